"""Mail an officer sends from a case: a referral to another council's CME team, a reply to
another council's enquiry, a School Attendance Order referral to the Legal Intervention Team.

Pure. `summarise` turns a case record into the facts a receiving team needs (the child, the
last known address and school, the parents or carers, the concerns) and nothing else: never the
referrer (who may be anonymous), the original message or its attachments. The templates draft
the text; the officer reviews and edits it before `compose_outbound` makes the mail the outbox
sends. A reply threads under the message it answers (In-Reply-To, References).
"""
from __future__ import annotations

import email.policy
from dataclasses import dataclass
from datetime import date, datetime
from email.message import EmailMessage
from email.utils import format_datetime, formataddr
from typing import Any, Mapping, Sequence

from config.settings import TeamAddresses
from extraction.missing_out import describe as describe_missing_out
from notifier.acks import _references

SUBJECT_LIMIT = 200
BODY_LIMIT = 100_000


@dataclass(frozen=True)
class Person:
    title: str  # "Child 1", "Parent or carer 1"
    lines: tuple[str, ...]  # "Name: Poppy Quillfeather", ...


@dataclass(frozen=True)
class CaseSummary:
    reference: str
    children: tuple[Person, ...]
    parents: tuple[Person, ...]
    concerns: tuple[str, ...]
    missing_out: str | None  # "Pupil missing out on education: ..." or None


def _value(node: Any) -> str | None:
    return str(node["value"]) if isinstance(node, Mapping) and node.get("value") not in (None, "") else None


def _date(value: str | None) -> str | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value).strftime("%-d %B %Y")
    except ValueError:
        return value


def _child(i: int, child: Mapping[str, Any]) -> Person:
    address = child.get("address") or {}
    school = child.get("school") or {}
    name = " ".join(v for v in (_value(child.get("first_name")), _value(child.get("last_name"))) if v)
    where = ", ".join(v for v in (_value(address.get("line1")), _value(address.get("town")),
                                  _value(address.get("postcode"))) if v)
    school_name, urn = _value(school.get("name")), _value(school.get("urn"))
    lines = [("Name", name or "not known"), ("Date of birth", _date(_value(child.get("date_of_birth")))),
             ("Sex", _value(child.get("gender"))), ("UPN", _value(child.get("upn"))),
             ("Last known address", where or None),
             ("School", f"{school_name} (URN {urn})" if school_name and urn else school_name),
             ("Last attended", _date(_value(child.get("date_last_attended"))))]
    return Person(f"Child {i + 1}", tuple(f"{label}: {value}" for label, value in lines if value))


def _parent(i: int, parent: Mapping[str, Any]) -> Person:
    lines = [("Name", _value(parent.get("name"))), ("Relationship", _value(parent.get("relationship"))),
             ("Phone", _value(parent.get("phone"))), ("Email", _value(parent.get("email")))]
    return Person(f"Parent or carer {i + 1}", tuple(f"{label}: {value}" for label, value in lines if value))


def missing_out_words(record: Mapping[str, Any]) -> str | None:
    """"Pupil missing out on education: 12 school days (24 sessions) missed ..." when the record is marked."""
    mark = record.get("missing_out")
    if not isinstance(mark, Mapping):
        return None
    count = describe_missing_out(mark.get("days"), mark.get("sessions"))
    return (f"Pupil missing out on education: the school referred after {count} missed, "
            "before the 20 school days (40 sessions) of a child missing education.")


def summarise(record: Mapping[str, Any], reference: str) -> CaseSummary:
    children = tuple(_child(i, c) for i, c in enumerate(record.get("children") or ()) if isinstance(c, Mapping))
    parents = tuple(p for p in (_parent(i, p) for i, p in enumerate(record.get("parents_carers") or ())
                                if isinstance(p, Mapping)) if p.lines)
    concerns = tuple(str(s).replace("_", " ") for s in record.get("safeguarding") or ())
    return CaseSummary(reference, children, parents, concerns, missing_out_words(record))


def subject_line(text: str) -> str:
    """One line, at most 200 characters: a typed subject can never add a header."""
    return " ".join(text.split())[:SUBJECT_LIMIT]


def compose_outbound(*, to: str, subject: str, body: str, reference: str, teams: TeamAddresses, message_id: str,
                     now: datetime, in_reply_to: str | None = None, references: Sequence[str] = ()) -> bytes:
    """The mail as the officer approved it: plain text, from the CME inbox, with the case reference."""
    msg = EmailMessage(policy=email.policy.SMTP)
    msg["From"] = formataddr((teams.team_name, teams.cme))
    msg["To"] = to
    msg["Subject"] = subject_line(subject)
    msg["Date"] = format_datetime(now)
    msg["Message-ID"] = message_id
    refs = _references(in_reply_to, references)
    if in_reply_to:
        msg["In-Reply-To"] = in_reply_to
    if refs:
        msg["References"] = " ".join(refs)
    msg["X-CME-Reference"] = reference
    msg.set_content(body.replace("\r\n", "\n")[:BODY_LIMIT])
    return msg.as_bytes()
