"""Cases an officer enters by hand: from a phone call, a letter, a visit, or a quarantined message.

Every case rests on a ledger row. A call, letter or visit gets one of its own (account
`entered-by-hand`, never a mailbox's, so the poller never touches it), holding the officer's
account of it as a plain-text email, so the case page, the export and the search treat it like any
other case. A quarantined message that can be read rests the case on its own row (which stays
`quarantined`, so its quarantine entry stays and links to the case); one that stopped the process
(a poison message) is never opened again, and the case rests on the officer's notes instead.
`manual_entry` records who entered each case, from what, and the quarantined message it came from.
The caller's session holds the transaction; nothing here commits.
"""
from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Sequence

from sqlmodel import Session, col, select

from store import cases, message_text
from store.council_tables import ManualEntryRow
from store.export import _header_source
from store.ledger import MAX_ATTEMPTS, sha256_of
from store.tables import CaseRow, MessageRow

MANUAL_ACCOUNT = "entered-by-hand"
MANUAL_FOLDER = "manual"


@dataclass(frozen=True)
class QuarantinedSource:
    entry_id: int
    raw: bytes
    source: dict[str, Any]  # the record's `source` read from its headers
    poison: bool  # it stopped the process before: never parse it again
    kept: message_text.ReadText | None = None  # what the reader read of it at ingestion, if anything


@dataclass(frozen=True)
class CaseLink:
    id: int
    reference: str


def quarantined_source(session: Session, entry_id: int) -> QuarantinedSource | None:
    row = session.get(MessageRow, entry_id)
    if row is None or row.status != "quarantined":
        return None
    kept = message_text.text_of(session, entry_id)
    return QuarantinedSource(entry_id, bytes(row.raw), _header_source(row, kept.header if kept else None),
                             row.attempts >= MAX_ATTEMPTS, kept)


def cases_of_messages(session: Session, entry_ids: Sequence[int]) -> dict[int, CaseLink]:
    """The case entered by hand from each of these quarantined ledger entries, where one was."""
    ids = list(entry_ids)[:1000]
    if not ids:
        return {}
    rows = session.exec(select(ManualEntryRow, CaseRow).join(CaseRow, col(CaseRow.id) == col(ManualEntryRow.case_id))
                        .where(col(ManualEntryRow.quarantined_message_id).in_(ids))).all()
    return {int(m.quarantined_message_id): CaseLink(c.id or 0, c.reference) for m, c in rows
            if m.quarantined_message_id is not None}


def case_of_message(session: Session, entry_id: int) -> CaseLink | None:
    return cases_of_messages(session, [entry_id]).get(entry_id)


def _entered(session: Session, saved: cases.SavedCase, entered_by: str, channel: str, quarantined: int | None,
             now: datetime) -> None:
    session.add(ManualEntryRow(case_id=saved.id, entered_by=entered_by[:100], channel=channel,
                               quarantined_message_id=quarantined, entered_at=now))
    session.flush()


def save_entered_case(session: Session, *, record: dict[str, Any], raw: bytes, message_id: str, now: datetime,
                      review: bool, entered_by: str, channel: str, quarantined: int | None = None,
                      text: message_text.ReadText | None = None) -> cases.SavedCase:
    """A case resting on the officer's account (a call, letter, visit, or a poison message's notes); `text`:
    the account as the case page shows it (kept like a read message's text)."""
    if quarantined is not None and case_of_message(session, quarantined) is not None:
        raise ValueError(f"a case was already made from quarantined message {quarantined}")
    row = MessageRow(account=MANUAL_ACCOUNT, folder=MANUAL_FOLDER, uidvalidity=0, uid=secrets.randbits(48),
                     message_id=message_id[:998], sha256=sha256_of(raw), size=len(raw), raw=raw, status="stored",
                     received_at=now, processed_at=now, moved_at=now)
    session.add(row)
    session.flush()
    assert row.id is not None
    if text is not None:
        message_text.keep(session, row.id, text, now)
    saved = cases.save_case(session, message_entry_id=row.id, record=record, thread_key=message_id, now=now,
                            status="new", review=review)
    _entered(session, saved, entered_by, channel, quarantined, now)
    return saved


def save_case_from_quarantined(session: Session, *, entry_id: int, record: dict[str, Any], now: datetime,
                               review: bool, entered_by: str) -> cases.SavedCase:
    """A case resting on a quarantined message (which keeps its quarantine entry); LookupError if there is
    none to make, ValueError if a case was already made from it."""
    source = quarantined_source(session, entry_id)
    if source is None:
        raise LookupError(f"no quarantined message {entry_id}")
    if case_of_message(session, entry_id) is not None:
        raise ValueError(f"a case was already made from quarantined message {entry_id}")
    saved = cases.save_case(session, message_entry_id=entry_id, record=record,
                            thread_key=source.source.get("message_id"), now=now, status="new", review=review)
    _entered(session, saved, entered_by, "quarantined", entry_id, now)
    return saved
