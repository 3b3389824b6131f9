"""A case's history in words: who did what and when, one line per thing done.

Field paths become labels ("children.0.date_of_birth" -> "Child 1 date of birth"), dates are shown
dd/mm/yyyy, categories and statuses by their names on the screen; a person's views of a case are
one "Viewed" line per day (older databases kept one row per page view).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Iterable

from review.pages import CATEGORY_LABELS, LONDON, STATUS_LABELS
from review.record_form import CHILD_FIELDS, PARENT_FIELDS, REFERRER_FIELDS
from store.audit import AuditEntry

CASE_FIELDS = {"category": "Category", "urgent": "Urgent", "safeguarding": "Safeguarding concerns"}
PEOPLE = {"children": "child", "parents_carers": "parent or carer"}
MAIL_KINDS = {"ack": "Acknowledgement", "forward": "Forward"}
ISO_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")


@dataclass(frozen=True)
class HistoryLine:
    at: datetime
    actor: str
    what: str  # "Changed", "Accepted", "Viewed" ...
    details: tuple[str, ...] = ()  # one line each: "Child 1 date of birth: 14/03/2016 → 15/03/2016"
    notes: tuple[str, ...] = ()  # smaller print: ids of an email sent


def _lower_first(label: str) -> str:
    """"Date of birth" -> "date of birth", but "UPN" and "School URN" keep their capitals where they are words."""
    if len(label) > 1 and label[1].isupper():
        return label
    return label[0].lower() + label[1:]


def field_label(path: str) -> str:
    """"children.0.date_of_birth" -> "Child 1 date of birth"; "referrer.email" -> "Referrer email"."""
    if path in CASE_FIELDS:
        return CASE_FIELDS[path]
    owner, _, rest = str(path).partition(".")
    specs = {"referrer": REFERRER_FIELDS, "children": CHILD_FIELDS, "parents_carers": PARENT_FIELDS}.get(owner)
    if specs is None:
        return str(path).replace("_", " ").replace(".", " ").capitalize()
    if owner == "referrer":
        who, key = "Referrer", rest
    else:
        index, _, key = rest.partition(".")
        number = int(index) + 1 if index.isdigit() else index
        who = f"{PEOPLE[owner].capitalize()} {number}"
    label = next((s.label for s in specs if s.key == key), key.replace("_", " ").replace(".", " "))
    return f"{who} {_lower_first(label)}"


def value_words(path: str, value: Any) -> str:
    """A value as the screen shows it: dates dd/mm/yyyy, names of categories, Yes/No, "(blank)"."""
    if value is None or value == "" or value == []:
        return "(blank)"
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, list):
        return ", ".join(str(v).replace("_", " ") for v in value)
    if path == "category":
        return CATEGORY_LABELS.get(str(value), str(value))
    text = str(value)
    match = ISO_DATE.fullmatch(text)
    if match:
        try:
            return date(int(match[1]), int(match[2]), int(match[3])).strftime("%d/%m/%Y")
        except ValueError:
            return text
    if path.endswith((".relationship", ".gender", ".type")):
        return text.replace("_", " ")
    return text


def _status(value: Any) -> str:
    return STATUS_LABELS.get(str(value), str(value))


def _line(entry: AuditEntry) -> HistoryLine:
    d, action = entry.detail, entry.action
    line = lambda what, details=(), notes=(): HistoryLine(entry.at, entry.actor, what, tuple(details), tuple(notes))  # noqa: E731
    was = f"Status before: {_status(d['before'])}" if isinstance(d.get("before"), str) else ""
    if action == "view":
        return line("Viewed")
    if action == "edit":
        if isinstance(d.get("changes"), list):
            return line("Changed", [f"{field_label(str(c.get('field')))}: {value_words(str(c.get('field')), c.get('before'))}"
                                    f" → {value_words(str(c.get('field')), c.get('after'))}"
                                    for c in d["changes"] if isinstance(c, dict)])
        for verb, key in (("Added", "added"), ("Removed", "removed")):
            if key in d:
                who = PEOPLE.get(str(d[key]), str(d[key]))
                index = d.get("index")
                return line(f"{verb} {who} {index + 1 if isinstance(index, int) else ''}".rstrip())
        return line("Changed")
    if action == "accept":
        return line("Accepted", [was] if was else [])
    if action == "reject":
        return line("Marked as not CME", [was] if was else [])
    if action == "reopen":
        return line("Reopened for review", [was] if was else [])
    if action == "forward":
        return line(f"Forwarded to the {d.get('team') or 'other'} team", [str(d.get("recipient") or "")],
                    [f"Message-ID {d['message_id']}"] if d.get("message_id") else [])
    if action == "mark_duplicate":
        return line(f"Marked as a duplicate of {d.get('duplicate_of', 'another case')}")
    if action == "note":
        return line("Added a note", [str(d.get("text", ""))[:120]])
    if action == "download":
        return line("Downloaded an attachment", [str(d.get("filename") or "")])
    if action == "download_message":
        return line("Downloaded the message as it arrived (.eml)")
    if action in ("email_sent", "email_failed", "email_bounced"):
        kind = MAIL_KINDS.get(str(d.get("kind")), "Email")
        verb = {"email_sent": "sent to", "email_failed": "could not be sent to", "email_bounced": "bounced from"}[action]
        detail = f"{kind} {verb} {d.get('recipient', '')}" + (f": {d['error']}" if d.get("error") else "")
        return line({"email_sent": "Email sent", "email_failed": "Email not sent", "email_bounced": "Email bounced"}[action],
                    [detail], [f"Outbox {d.get('outbox_id', '')}, Message-ID {d.get('message_id', '')}"])
    words = [f"{str(k).replace('_', ' ').capitalize()}: {value_words(str(k), v)}" for k, v in d.items()
             if k not in ("before", "address", "version") and not isinstance(v, (dict, list))]
    return line(action.replace("_", " ").capitalize(), words)


def lines(entries: Iterable[AuditEntry]) -> list[HistoryLine]:
    """The history lines of `entries` (newest first, as given), with one view per person per day."""
    entries = list(entries)
    seen: set[tuple[str, date]] = set()
    keep: list[AuditEntry] = []
    for entry in reversed(entries):  # oldest first: the first view of a day stays
        if entry.action == "view":
            at = entry.at.astimezone(LONDON) if entry.at.tzinfo is not None else entry.at
            key = (entry.actor, at.date())
            if key in seen:
                continue
            seen.add(key)
        keep.append(entry)
    return [_line(e) for e in reversed(keep)]
