"""What the casework screens work out from a case: the date the council was told, when the first
enquiry is due, whether it is overdue, and what changed since the version an officer saw.

Pure functions of frozen values and the casework settings; today's date is an argument.
"""
from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any, Iterable

from config.settings import CaseworkSettings
from review.pages import LONDON
from review.schooldays import add_school_days
from store.audit import AuditEntry
from store.queue import CaseSummary

ENQUIRY_KIND_LABELS = {
    "school": "School", "health": "Health", "housing": "Housing", "police": "Police",
    "other_council": "Another council", "home_visit": "Home visit", "letter": "Letter", "phone": "Phone call",
}
FIRST_CONTACT_CATEGORIES = ("cme_referral",)  # a case to review whose first enquiry is already counting
ACTION_WORDS = {
    "edit": "changed the record", "accept": "accepted it", "reject": "marked it not CME", "forward": "forwarded it",
    "mark_duplicate": "marked it a duplicate", "reopen": "reopened it", "assign": "changed the owner",
    "enquiry": "logged an enquiry", "close": "closed it",
    "reason_missing_education": "recorded why the child is missing education",
}


def told_on(case: CaseSummary) -> date:
    """The day the council was told: the mail's Date header (UK date), else the day the service read it.

    A Date header is the sender's word: one after the day the service read the mail is not believed.
    """
    return day_told(case.created_at, (case.record.get("source") or {}).get("date"))


def day_told(read_at: datetime, sent: Any) -> date:
    """`told_on` of a case read at `read_at` whose record's `source.date` is `sent`."""
    read = (read_at.astimezone(LONDON) if read_at.tzinfo else read_at).date()
    if sent:
        try:
            when = datetime.fromisoformat(str(sent))
        except ValueError:
            return read
        day = (when.astimezone(LONDON) if when.tzinfo else when).date()
        return day if day <= read else read
    return read


def first_contact_due(case: CaseSummary, casework: CaseworkSettings) -> date:
    """When the first enquiry is due: the date set when the case was accepted, else worked out now."""
    if case.due_on is not None:
        return case.due_on
    return add_school_days(told_on(case), casework.first_contact_school_days, casework.school_holidays)


def late_if_told_before(casework: CaseworkSettings, today: date) -> date:
    """The day from which a case told on it is not yet late by `today`: a case with no due date set, told
    on any earlier day, is overdue (its first enquiry falls due before `today`; later start days never
    fall due earlier)."""
    day = today
    while add_school_days(day - timedelta(days=1), casework.first_contact_school_days, casework.school_holidays) >= today:
        day -= timedelta(days=1)
    return day


def is_overdue(case: CaseSummary, casework: CaseworkSettings, today: date) -> bool:
    if case.first_contact_on is not None or case.status not in ("new", "accepted", "enquiries"):
        return False
    if case.status == "new" and case.category not in FIRST_CONTACT_CATEGORIES:
        return False
    return first_contact_due(case, casework) < today


def version_of(entry: AuditEntry) -> int:
    try:
        return int(entry.detail.get("version") or 0)
    except (TypeError, ValueError):
        return 0


def changes_since(history: Iterable[AuditEntry], version: int) -> list[AuditEntry]:
    """The changes made after `version`, oldest first (views and downloads are not changes)."""
    return sorted((h for h in history if version_of(h) > version), key=lambda h: (version_of(h), h.at))


def change_words(entry: AuditEntry, casework: CaseworkSettings) -> str:
    """One line saying what a change did, without a child's details."""
    words = ACTION_WORDS.get(entry.action, entry.action.replace("_", " "))
    d: dict[str, Any] = entry.detail
    if entry.action == "assign":
        words = f"gave it to {d['owner']}" if d.get("owner") else "left it with nobody"
    elif entry.action == "close":
        reason = casework.closing_reason(str(d.get("reason") or ""))
        words = f"closed it: {reason.label if reason else d.get('reason')}"
    elif entry.action == "enquiry":
        words = f"logged an enquiry ({ENQUIRY_KIND_LABELS.get(str(d.get('kind')), d.get('kind'))})"
    elif entry.action == "edit" and d.get("changes"):
        words = "changed " + ", ".join(str(c.get("field")) for c in d["changes"])
    return words
