"""The SQL the review screen needs: the queue, one case, edits, decisions, outbox, reporting.

Rows stay here; callers get frozen values. Urgent cases come first, then the oldest.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import func, or_, update
from sqlmodel import Session, col, select

from store.errors import StaleChange
from store.tables import CaseKeyRow, CaseRow, MessageRow, OutboxRow, ReviewItemRow

OPEN_STATUSES = ("new",)  # waiting for review
CLOSED_STATUSES = ("accepted", "rejected", "forwarded", "duplicate", "attached")  # reviewed (casework goes on)


@dataclass(frozen=True)
class QueueFilter:
    category: str | None = None
    status: str | None = "new"  # None: every status
    needs_review: bool | None = None
    search: str | None = None


@dataclass(frozen=True)
class CaseSummary:
    id: int
    reference: str
    category: str
    status: str
    urgent: bool
    needs_review: bool
    created_at: datetime
    record: dict[str, Any]
    version: int = 1
    owner: str | None = None
    due_on: date | None = None
    first_contact_on: date | None = None
    cme_reason: str | None = None
    closed_on: date | None = None
    closing_reason: str | None = None
    duplicate_of_id: int | None = None


@dataclass(frozen=True)
class CaseLink:
    id: int
    reference: str
    status: str
    created_at: datetime
    subject: str | None


@dataclass(frozen=True)
class CaseDetail:
    summary: CaseSummary
    raw: bytes
    message_id: str | None
    reasons: tuple[str, ...]
    duplicate_of: CaseLink | None
    update_of: CaseLink | None
    updates: tuple[CaseLink, ...]
    updated_at: datetime
    entry_id: int = 0  # the ledger entry of its message (store.message_text keeps what was read of it)


def search_text_of(record: dict[str, Any]) -> str:
    """Lower-case words the queue search matches: names of children and parents, postcodes."""
    words: list[str] = []

    def value(f: Any) -> str:
        return str(f.get("value") or "") if isinstance(f, dict) else ""

    for child in record.get("children") or ():
        first, last = value(child.get("first_name")), value(child.get("last_name"))
        words += [first, last, f"{first} {last}".strip()]
        postcode = value((child.get("address") or {}).get("postcode"))
        words += [postcode, postcode.replace(" ", "")]
    for parent in record.get("parents_carers") or ():
        words.append(value(parent.get("name")))
    return " | ".join(w.lower() for w in words if w)


DUPLICATE_KEY_LENGTH = 200


def _child_value(node: Any, *path: str) -> str:
    for step in path:
        node = node.get(step) if isinstance(node, dict) else None
    return str(node.get("value") or "").strip() if isinstance(node, dict) else ""


def duplicate_keys_of(record: dict[str, Any]) -> list[str]:
    """The keys another case naming the same child is found by, for each child with a name: its names in
    sorted order (`name:poppy quillfeather`), its date of birth (`dob:2015-04-03`) and its postcode without
    spaces (`postcode:SO509ZZ`), normalised as review.duplicates.child_match compares them."""
    keys: list[str] = []
    children = record.get("children")
    for child in children if isinstance(children, (list, tuple)) else ():
        if not isinstance(child, dict):
            continue
        name = f"{_child_value(child, 'first_name')} {_child_value(child, 'last_name')}".strip().lower()
        if not name:  # a child with no name is never matched
            continue
        dob = _child_value(child, "date_of_birth")
        postcode = _child_value(child, "address", "postcode").replace(" ", "").upper()
        for key in (f"name:{' '.join(sorted(name.split()))}", dob and f"dob:{dob}", postcode and f"postcode:{postcode}"):
            key = key and key.replace("\x00", "")[:DUPLICATE_KEY_LENGTH]
            if key and key not in keys:
                keys.append(key)
    return keys


def keep_duplicate_keys(session: Session, case_id: int, record: dict[str, Any]) -> None:
    """Replace the duplicate check's keys of a case with those of `record`."""
    table = CaseKeyRow.__table__  # type: ignore[attr-defined]
    session.execute(table.delete().where(table.c.case_id == case_id))
    keys = duplicate_keys_of(record)
    if keys:
        session.execute(table.insert(), [{"case_id": case_id, "key": key} for key in keys])


CASE_COLUMNS = tuple(CaseRow.__table__.columns)  # type: ignore[attr-defined]


def _summaries(session: Session, query: Any) -> list[CaseSummary]:
    """The summaries of a `select(*CASE_COLUMNS)`: plain rows, no ORM objects to build and track (lists read
    thousands of cases)."""
    return [_summary(r) for r in session.execute(query).all()]


RETURN_CHILD_FIELDS = ("first_name", "last_name", "date_of_birth", "gender", "date_last_attended", "sen")


def return_record_of(record: dict[str, Any]) -> str:
    """The part of a record the DfE return reads, as JSON: the mail's date, the safeguarding flags, the
    referrer's type and the children's names, dates, sex and SEN, each value kept as the record holds it."""
    def kept(node: Any) -> Any:
        return {"value": node.get("value")} if isinstance(node, dict) else node

    source, referrer = record.get("source"), record.get("referrer")
    return json.dumps({
        "source": {"date": source.get("date") if isinstance(source, dict) else None},
        "safeguarding": record.get("safeguarding"),
        "referrer": {"type": kept(referrer.get("type") if isinstance(referrer, dict) else None)},
        "children": [{key: kept(child[key]) for key in RETURN_CHILD_FIELDS if key in child}
                     for child in record.get("children") or () if isinstance(child, dict)],
    }, ensure_ascii=False)


def _summary(row: Any) -> CaseSummary:
    """A case row (an ORM row, or a plain row of CASE_COLUMNS) as a frozen summary."""
    try:
        record = json.loads(row.record)
    except ValueError:
        record = {}
    return CaseSummary(id=row.id or 0, reference=row.reference, category=row.category, status=row.status,
                       urgent=row.urgent, needs_review=row.needs_review, created_at=row.created_at,
                       record=record if isinstance(record, dict) else {}, version=row.version or 1, owner=row.owner,
                       due_on=row.due_on, first_contact_on=row.first_contact_on, cme_reason=row.cme_reason,
                       closed_on=row.closed_on, closing_reason=row.closing_reason,
                       duplicate_of_id=row.duplicate_of_id)


def _link(row: CaseRow) -> CaseLink:
    subject = (_summary(row).record.get("source") or {}).get("subject")
    return CaseLink(row.id or 0, row.reference, row.status, row.created_at, subject)


def _filtered(query: Any, flt: QueueFilter) -> Any:
    if flt.category:
        query = query.where(CaseRow.category == flt.category)
    if flt.status:
        query = query.where(CaseRow.status == flt.status)
    if flt.needs_review is not None:
        query = query.where(CaseRow.needs_review == flt.needs_review)
    term = (flt.search or "").strip().lower()
    if term:
        like = f"%{term.replace('%', '').replace('_', '')}%"
        squeezed = f"%{term.replace(' ', '').replace('%', '').replace('_', '')}%"
        # references are upper-case ASCII (CME-2026-00042): matched as written, a trigram index serves all three
        query = query.where(or_(col(CaseRow.reference).like(like.upper()),
                                col(CaseRow.search_text).like(like),
                                col(CaseRow.search_text).like(squeezed)))
    return query


QUEUE_ORDER = (col(CaseRow.urgent).desc(), col(CaseRow.created_at), col(CaseRow.id))  # ix_case_queue_order


def list_cases(session: Session, flt: QueueFilter, limit: int = 100, offset: int = 0) -> list[CaseSummary]:
    """Cases matching `flt`: urgent first, then oldest first.

    The page's ids are found first (from the queue-order index alone), then only their rows are read:
    a later page skips the ids before it, not whole rows.
    """
    page = _filtered(select(CaseRow.id), flt).order_by(*QUEUE_ORDER).offset(offset).limit(limit)
    return _summaries(session, select(*CASE_COLUMNS).where(col(CaseRow.id).in_(page.scalar_subquery()))
                      .order_by(*QUEUE_ORDER))


def count_cases(session: Session, flt: QueueFilter) -> int:
    return int(session.exec(_filtered(select(func.count()).select_from(CaseRow), flt)).one())


def status_counts(session: Session) -> dict[str, int]:
    rows = session.exec(select(CaseRow.status, func.count()).group_by(CaseRow.status)).all()
    return {status: int(n) for status, n in rows}


def urgent_open_count(session: Session) -> int:
    query = select(func.count()).select_from(CaseRow).where(col(CaseRow.urgent).is_(True), CaseRow.status == "new")
    return int(session.exec(query).one())


def get_case(session: Session, case_id: int) -> CaseDetail | None:
    row = session.get(CaseRow, case_id)
    if row is None:
        return None
    message = session.get(MessageRow, row.message_row_id)
    item = session.exec(select(ReviewItemRow).where(ReviewItemRow.case_id == case_id)).first()
    reasons: list[str] = []
    if item is not None:
        try:
            reasons = [str(r) for r in json.loads(item.reasons or "[]")]
        except ValueError:
            reasons = []
    summary = _summary(row)
    for reason in summary.record.get("review_reasons") or ():
        if str(reason) not in reasons:
            reasons.append(str(reason))
    updates = session.exec(select(CaseRow).where(CaseRow.update_of_id == case_id)
                           .order_by(col(CaseRow.created_at))).all()
    dup = session.get(CaseRow, row.duplicate_of_id) if row.duplicate_of_id else None
    parent = session.get(CaseRow, row.update_of_id) if row.update_of_id else None
    return CaseDetail(summary=summary, raw=message.raw if message else b"",
                      message_id=message.message_id if message else None, reasons=tuple(reasons),
                      duplicate_of=_link(dup) if dup else None, update_of=_link(parent) if parent else None,
                      updates=tuple(_link(u) for u in updates), updated_at=row.updated_at, entry_id=row.message_row_id)


def case_id_by_reference(session: Session, reference: str) -> int | None:
    row = session.exec(select(CaseRow).where(func.upper(CaseRow.reference) == reference.strip().upper())).first()
    return None if row is None else row.id


def claim_version(session: Session, case_id: int, version: int | None, now: datetime) -> int:
    """Bump the case's version, refusing (StaleChange) when it is no longer `version`; the new version.

    One UPDATE ... WHERE version = :seen: a second writer waits for the first one's row lock and then
    matches no row, so of two changes made on the same version exactly one is kept. `version` None
    (a change that does not come from a form) bumps whatever the version is.
    """
    row = _case_row(session, case_id)
    seen = row.version if version is None else version
    done = session.execute(update(CaseRow).where(col(CaseRow.id) == case_id, col(CaseRow.version) == seen)
                           .values(version=seen + 1, updated_at=now)
                           .execution_options(synchronize_session=False)).rowcount
    session.expire(row)
    if done != 1:
        current = _case_row(session, case_id).version
        raise StaleChange(f"case {case_id} is at version {current}, the change was made on {seen}", seen, current)
    return seen + 1


def save_record(session: Session, case_id: int, record: dict[str, Any], now: datetime,
                version: int | None = None) -> int:
    """Replace a case's record (after an officer's edit) and the queue columns drawn from it; the new version."""
    new_version = claim_version(session, case_id, version, now)
    row = _case_row(session, case_id)
    row.record = json.dumps(record, ensure_ascii=False)
    row.search_text = search_text_of(record)
    row.return_record = return_record_of(record)
    keep_duplicate_keys(session, case_id, record)
    row.urgent = bool(record.get("urgent", row.urgent))
    if record.get("category"):
        row.category = str(record["category"])
    row.updated_at = now
    session.add(row)
    item = session.exec(select(ReviewItemRow).where(ReviewItemRow.case_id == case_id)).first()
    if item is not None and item.urgent != row.urgent:
        item.urgent = row.urgent
        session.add(item)
    return new_version


def set_status(session: Session, case_id: int, status: str, actor: str, now: datetime,
               duplicate_of_id: int | None = None, version: int | None = None) -> int:
    """Record a decision: the case leaves the review queue (or, for "new", returns to it); the new version.

    The status rules (no accept of a rejected case, no duplicate loop) are store.casework's.
    """
    new_version = claim_version(session, case_id, version, now)
    row = _case_row(session, case_id)
    row.status = status
    row.duplicate_of_id = duplicate_of_id if status == "duplicate" else None
    row.needs_review = status == "new"
    row.updated_at = now
    session.add(row)
    item = session.exec(select(ReviewItemRow).where(ReviewItemRow.case_id == case_id)).first()
    if item is not None:
        item.closed_at, item.closed_by = (None, None) if status == "new" else (now, actor[:100])
        session.add(item)
    return new_version


def queue_email(session: Session, case_id: int | None, kind: str, recipient: str, message_id: str,
                mime: bytes, thread_key: str | None, now: datetime) -> None:
    """A pending outbox row; the service's poller sends it."""
    session.add(OutboxRow(case_id=case_id, kind=kind, recipient=recipient, thread_key=thread_key,
                          message_id=message_id, mime=mime, status="pending", next_attempt_at=now,
                          created_at=now))


def thread_key_of(session: Session, case_id: int) -> str | None:
    return _case_row(session, case_id).thread_key


@dataclass(frozen=True)
class EmailEntry:
    kind: str  # ack | forward
    recipient: str
    status: str  # pending | sent | failed | bounced
    created_at: datetime
    sent_at: datetime | None
    attempts: int
    last_error: str | None


def emails_of(session: Session, case_id: int) -> list[EmailEntry]:
    """The emails the service sent or will send for a case (acknowledgements, forwards), oldest first."""
    rows = session.exec(select(OutboxRow).where(OutboxRow.case_id == case_id).order_by(col(OutboxRow.created_at),
                                                                                      col(OutboxRow.id))).all()
    return [EmailEntry(r.kind, r.recipient, r.status, r.created_at, r.sent_at, r.attempts, r.last_error) for r in rows]


def cases_between(session: Session, since: datetime, until: datetime) -> list[CaseSummary]:
    """Cases received in [since, until), oldest first (reporting and the DfE export)."""
    query = select(*CASE_COLUMNS).where(CaseRow.created_at >= since, CaseRow.created_at < until).order_by(
        col(CaseRow.created_at), col(CaseRow.id))
    return _summaries(session, query)


def duplicate_candidates(session: Session, record: dict[str, Any], exclude_id: int, limit: int = 200) -> list[int]:
    """The cases, except one and automatic mail, that share a key of `duplicate_keys_of(record)` (a child's
    names, date of birth or postcode): the duplicate check's first pass. Those sharing the most keys first,
    then the most recent; at most `limit`."""
    keys = duplicate_keys_of(record)
    if not keys:
        return []
    shared = func.count().label("shared")
    query = (select(CaseKeyRow.case_id, shared)
             .join(CaseRow, col(CaseRow.id) == col(CaseKeyRow.case_id))
             .where(col(CaseKeyRow.key).in_(keys), col(CaseKeyRow.case_id) != exclude_id,
                    col(CaseRow.category).not_in(("auto_reply", "bounce")))
             .group_by(col(CaseKeyRow.case_id), col(CaseRow.created_at))
             .order_by(shared.desc(), col(CaseRow.created_at).desc(), col(CaseKeyRow.case_id).desc())
             .limit(limit))
    return [int(case_id) for case_id, _ in session.execute(query).all()]


def summaries(session: Session, case_ids: list[int]) -> list[CaseSummary]:
    """The summaries of `case_ids` that exist, in the order given."""
    if not case_ids:
        return []
    found = {s.id: s for s in _summaries(session, select(*CASE_COLUMNS).where(col(CaseRow.id).in_(case_ids)))}
    return [found[i] for i in dict.fromkeys(case_ids) if i in found]


def _case_row(session: Session, case_id: int) -> CaseRow:
    row = session.get(CaseRow, case_id)
    if row is None:
        raise LookupError(f"no case {case_id}")
    return row
