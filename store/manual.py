"""Cases an officer enters by hand: from a phone call, a letter, a visit, or a quarantined message.

Every case rests on a ledger row. A call, letter or visit gets one of its own (account
`entered-by-hand`, never a mailbox's), holding the officer's account of it as a plain-text email,
so the case page, the export and the search treat it like any other case. A quarantined message
keeps its own row (still `quarantined`, so its quarantine entry stays and links to the case).
The caller's session holds the transaction; nothing here commits.
"""
from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Sequence

from sqlmodel import Session, col, select

from store import cases
from store.export import _header_source
from store.ledger import sha256_of
from store.tables import CaseRow, MessageRow

MANUAL_ACCOUNT = "entered-by-hand"
MANUAL_FOLDER = "manual"


@dataclass(frozen=True)
class QuarantinedSource:
    entry_id: int
    raw: bytes
    source: dict[str, Any]  # the record's `source` read from its headers


@dataclass(frozen=True)
class CaseLink:
    id: int
    reference: str


def quarantined_source(session: Session, entry_id: int) -> QuarantinedSource | None:
    row = session.get(MessageRow, entry_id)
    if row is None or row.status != "quarantined":
        return None
    return QuarantinedSource(entry_id, bytes(row.raw), _header_source(row))


def case_of_message(session: Session, entry_id: int) -> CaseLink | None:
    row = session.exec(select(CaseRow).where(CaseRow.message_row_id == entry_id)).first()
    return CaseLink(row.id, row.reference) if row is not None and row.id is not None else None


def cases_of_messages(session: Session, entry_ids: Sequence[int]) -> dict[int, CaseLink]:
    """The case made from each of these ledger entries, where one was."""
    ids = list(entry_ids)[:1000]
    if not ids:
        return {}
    rows = session.exec(select(CaseRow).where(col(CaseRow.message_row_id).in_(ids))).all()
    return {r.message_row_id: CaseLink(r.id or 0, r.reference) for r in rows}


def save_entered_case(session: Session, *, record: dict[str, Any], raw: bytes, message_id: str, now: datetime,
                      review: bool) -> cases.SavedCase:
    """A case from a call, letter or visit: its own ledger row (the officer's account), then the case."""
    row = MessageRow(account=MANUAL_ACCOUNT, folder=MANUAL_FOLDER, uidvalidity=0, uid=secrets.randbits(48),
                     message_id=message_id[:998], sha256=sha256_of(raw), size=len(raw), raw=raw, status="stored",
                     received_at=now, processed_at=now, moved_at=now)
    session.add(row)
    session.flush()
    assert row.id is not None
    return cases.save_case(session, message_entry_id=row.id, record=record, thread_key=message_id, now=now,
                           status="new", review=review)


def save_case_from_quarantined(session: Session, *, entry_id: int, record: dict[str, Any], now: datetime,
                               review: bool) -> cases.SavedCase:
    """A case from a quarantined message (which keeps its quarantine entry); LookupError if there is none
    to make, ValueError if a case was already made from it."""
    source = quarantined_source(session, entry_id)
    if source is None:
        raise LookupError(f"no quarantined message {entry_id}")
    if case_of_message(session, entry_id) is not None:
        raise ValueError(f"a case was already made from quarantined message {entry_id}")
    thread_key = source.source.get("message_id")
    return cases.save_case(session, message_entry_id=entry_id, record=record, thread_key=thread_key, now=now,
                           status="new", review=review)
