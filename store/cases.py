"""Cases: the stored record of each message, its review item, and case references.

A new case gets `CME-YYYY-NNNNN` from `ReferenceCounterRow`, incremented by one UPDATE ...
RETURNING (atomic on SQLite and PostgreSQL alike, so several workers never share a number).
A case update is stored on its own row, attached to the case it belongs to, and carries that
case's reference with a suffix (`CME-2026-00042/2`): it is not a new case. The caller's session
holds the transaction; nothing here commits.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Sequence

from sqlalchemy import func, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from store.tables import CaseRow, MessageRow, OutboxRow, ReferenceCounterRow, ReviewItemRow

AUTOMATIC = ("auto_reply", "bounce")
REFERENCE = re.compile(r"\bCME-(\d{4})-(\d{5})\b")


@dataclass(frozen=True)
class SavedCase:
    id: int
    reference: str  # the case's reference (for an update: the case it was attached to)
    row_reference: str  # the row's own reference (`.../N` for an update)
    attached: bool


@dataclass(frozen=True)
class CaseLink:
    id: int
    reference: str


def next_reference(session: Session, year: int) -> str:
    """The next reference of `year`: the counter row is locked by the UPDATE until the transaction ends."""
    bump = (update(ReferenceCounterRow).where(col(ReferenceCounterRow.year) == year)
            .values(last_number=ReferenceCounterRow.last_number + 1)
            .returning(ReferenceCounterRow.last_number))
    number = session.execute(bump).scalar_one_or_none()
    if number is None:
        try:
            with session.begin_nested():
                session.add(ReferenceCounterRow(year=year, last_number=1))
            number = 1
        except IntegrityError:  # another worker created the year's counter first
            number = session.execute(bump).scalar_one()
    return f"CME-{year:04d}-{number:05d}"


def quoted_references(text: str) -> list[str]:
    """Case references quoted in `text`, in order of appearance, without repeats."""
    seen: list[str] = []
    for m in REFERENCE.finditer(text or ""):
        if m.group(0) not in seen:
            seen.append(m.group(0))
    return seen


def _root(session: Session, row: CaseRow) -> CaseLink:
    while row.update_of_id is not None:
        parent = session.get(CaseRow, row.update_of_id)
        if parent is None:
            break
        row = parent
    assert row.id is not None
    return CaseLink(row.id, row.reference)


def find_case(session: Session, references: Sequence[str] = (), thread_ids: Sequence[str] = ()) -> CaseLink | None:
    """The case an update belongs to: by a quoted reference first, then by the thread it replies in.

    `thread_ids` are the Message-IDs of In-Reply-To and References: a reply to one of our
    acknowledgements, or to any message stored on a case, or in a thread a case started.
    """
    for ref in references:
        row = session.exec(select(CaseRow).where(CaseRow.reference == ref)).first()
        if row is not None:
            return _root(session, row)
    ids = [t for t in thread_ids if t][:50]
    if not ids:
        return None
    queries = (
        select(CaseRow).join(OutboxRow, col(OutboxRow.case_id) == col(CaseRow.id)).where(col(OutboxRow.message_id).in_(ids)),
        select(CaseRow).join(MessageRow, col(MessageRow.id) == col(CaseRow.message_row_id)).where(col(MessageRow.message_id).in_(ids)),
        select(CaseRow).where(col(CaseRow.thread_key).in_(ids)),
    )
    for query in queries:
        # an automatic reply or a bounce is never the case a person's message belongs to
        query = query.where(col(CaseRow.category).not_in(AUTOMATIC)).order_by(col(CaseRow.id))
        row = session.exec(query).first()
        if row is not None:
            return _root(session, row)
    return None


def _return_record(record: dict[str, Any]) -> str | None:
    try:
        from store.queue import return_record_of  # what the DfE return reads
    except ImportError:
        return None
    return return_record_of(record)


def _search_text(record: dict[str, Any]) -> str:
    try:
        from store.queue import search_text_of  # the review screen's search index
    except ImportError:
        return ""
    return search_text_of(record).replace("\x00", "")


def save_case(session: Session, *, message_entry_id: int, record: dict[str, Any], thread_key: str | None,
              now: datetime, status: str | None = None, attach_to: CaseLink | None = None,
              review: bool | None = None) -> SavedCase:
    """Store one record: a new case with a new reference, or an update attached to `attach_to`.

    `record` is the contract JSON; its `case_reference` is set here. A review item is opened when
    `review` says so (by default: when the record needs review or is urgent).
    """
    if attach_to is not None:
        parent = session.exec(select(CaseRow).where(col(CaseRow.id) == attach_to.id).with_for_update()).one()
        count = session.exec(select(func.count()).select_from(CaseRow)
                             .where(col(CaseRow.update_of_id) == attach_to.id)).one()
        reference, row_reference = attach_to.reference, f"{attach_to.reference}/{int(count) + 2}"
        parent.updated_at = now
    else:
        reference = row_reference = next_reference(session, now.year)
    record = dict(record, case_reference=reference)
    status = status or ("attached" if attach_to is not None else "new")
    row = CaseRow(reference=row_reference, message_row_id=message_entry_id, category=record.get("category", "other"),
                  status=status, urgent=bool(record.get("urgent")), needs_review=bool(record.get("needs_review", True)),
                  record=json.dumps(record, ensure_ascii=False), search_text=_search_text(record),
                  return_record=_return_record(record),
                  update_of_id=attach_to.id if attach_to else None,
                  thread_key=(thread_key or None) and thread_key[:998], created_at=now, updated_at=now)
    session.add(row)
    session.flush()
    assert row.id is not None
    from store.queue import keep_duplicate_keys  # the duplicate check's keys of its children

    keep_duplicate_keys(session, row.id, record)
    if review if review is not None else (row.needs_review or row.urgent):
        session.add(ReviewItemRow(case_id=row.id, urgent=row.urgent, opened_at=now,
                                  reasons=json.dumps(list(record.get("review_reasons") or []), ensure_ascii=False)))
    return SavedCase(row.id, reference, row_reference, attach_to is not None)


def record_of(session: Session, case_id: int) -> dict[str, Any]:
    row = session.get(CaseRow, case_id)
    if row is None:
        raise LookupError(f"no case {case_id}")
    return dict(json.loads(row.record))


def count_cases(session: Session) -> int:
    return int(session.exec(select(func.count()).select_from(CaseRow)).one())
