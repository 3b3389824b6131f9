"""A case's life after review: its owner, the enquiries made, closing and reopening, and the
decisions that open or end it, each checked against the case's status and version.

Statuses: `new` (to review) -> `accepted` (an open CME case) -> `enquiries` (the first enquiry is
logged) -> `closed` (with a reason and a date); a closed case reopens to `accepted`. The review's
other outcomes (`rejected`, `forwarded`, `duplicate`) and an open case go back to `new` when
reopened. `attached` (an update stored on its case) has no life of its own.

Every change carries the version the officer saw: `store.queue.claim_version` refuses it with
StaleChange when someone changed the case since. The caller's session holds the transaction.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Iterator, NamedTuple, Sequence

from sqlalchemy import func, text, union_all
from sqlmodel import Session, col, select

from store.errors import DuplicateLoop, NotAllowed
from store.labels import capture as capture_label
from store.queue import CASE_COLUMNS, CaseSummary, _case_row, _summaries, claim_version, set_status
from store.tables import RETURN_CASES, CaseRow, EnquiryRow

REVIEW_ACTIONS = {"accept": "accepted", "reject": "rejected", "forward": "forwarded", "duplicate": "duplicate"}
OPEN_CASEWORK = ("accepted", "enquiries")  # an open CME case
ASSIGNABLE = ("new", "accepted", "enquiries")
ENQUIRY_ALLOWED = ("new", "accepted", "enquiries")
REOPENS_TO = {"closed": "accepted", "accepted": "new", "enquiries": "new", "rejected": "new",
              "forwarded": "new", "duplicate": "new"}
ENQUIRY_KINDS = ("school", "health", "housing", "police", "other_council", "home_visit", "letter", "phone")


@dataclass(frozen=True)
class Enquiry:
    id: int
    made_on: date
    kind: str
    outcome: str
    next_step: str
    actor: str
    created_at: datetime


def _status_of(session: Session, case_id: int) -> str:
    return _case_row(session, case_id).status


def decide(session: Session, case_id: int, action: str, actor: str, now: datetime, version: int | None,
           duplicate_of_id: int | None = None, due_on: date | None = None) -> int:
    """A review decision (accept, reject, forward, duplicate) on a case waiting for review; the new version.

    Accepting opens the CME case: the first enquiry falls due on `due_on`, and the officer who
    accepts it owns it unless someone does already.
    """
    status = _status_of(session, case_id)
    if status != "new":
        raise NotAllowed(f"case {case_id} is {status}, not waiting for review")
    target = REVIEW_ACTIONS[action]
    if target == "duplicate":
        if duplicate_of_id is None or duplicate_of_id == case_id:
            raise DuplicateLoop("a case cannot be a duplicate of itself")
        if case_id in duplicate_chain(session, duplicate_of_id):
            raise DuplicateLoop(f"case {duplicate_of_id} is already, directly or through others, a duplicate of this one")
    new_version = set_status(session, case_id, target, actor, now, duplicate_of_id=duplicate_of_id, version=version)
    if target == "accepted":
        row = _case_row(session, case_id)
        row.due_on = due_on
        row.owner = row.owner or actor[:100]
        row.closed_on = row.closing_reason = None
        session.add(row)
        capture_label(session, case_id, actor, now)  # the record the officer accepted is its message's label
    return new_version


def duplicate_chain(session: Session, case_id: int, limit: int = 1000) -> list[int]:
    """`case_id` and the cases it is a duplicate of, following duplicate_of links (stops at a loop)."""
    chain: list[int] = []
    current: int | None = case_id
    while current is not None and current not in chain and len(chain) < limit:
        chain.append(current)
        row = session.get(CaseRow, current)
        current = row.duplicate_of_id if row is not None and row.status == "duplicate" else None
    return chain


def assign(session: Session, case_id: int, owner: str | None, actor: str, now: datetime, version: int | None) -> int:
    """Give the case to `owner` (None: nobody); the new version."""
    status = _status_of(session, case_id)
    if status not in ASSIGNABLE:
        raise NotAllowed(f"case {case_id} is {status}: only a case to review or an open case has an owner")
    new_version = claim_version(session, case_id, version, now)
    row = _case_row(session, case_id)
    row.owner = owner[:100] if owner else None
    session.add(row)
    return new_version


def set_cme_reason(session: Session, case_id: int, reason: str | None, now: datetime, version: int | None) -> int:
    new_version = claim_version(session, case_id, version, now)
    row = _case_row(session, case_id)
    row.cme_reason = reason[:40] if reason else None
    session.add(row)
    return new_version


def add_enquiry(session: Session, case_id: int, *, made_on: date, kind: str, outcome: str, next_step: str,
                actor: str, now: datetime, version: int | None) -> int:
    """Log an enquiry; the first one is the first contact, and it moves an open case to `enquiries`."""
    status = _status_of(session, case_id)
    if status not in ENQUIRY_ALLOWED:
        raise NotAllowed(f"case {case_id} is {status}: enquiries are logged on a case to review or an open case")
    if kind not in ENQUIRY_KINDS:
        raise NotAllowed(f"unknown kind of enquiry {kind!r}")
    new_version = claim_version(session, case_id, version, now)
    row = _case_row(session, case_id)
    session.add(EnquiryRow(case_id=case_id, made_on=made_on, kind=kind, outcome=outcome, next_step=next_step,
                           actor=actor[:100], created_at=now))
    if row.first_contact_on is None or made_on < row.first_contact_on:
        row.first_contact_on = made_on
    if row.status == "accepted":
        row.status = "enquiries"
    session.add(row)
    return new_version


def enquiries_of(session: Session, case_id: int) -> list[Enquiry]:
    """The enquiries of a case, newest first."""
    rows = session.exec(select(EnquiryRow).where(EnquiryRow.case_id == case_id)
                        .order_by(col(EnquiryRow.made_on).desc(), col(EnquiryRow.id).desc())).all()
    return [Enquiry(r.id or 0, r.made_on, r.kind, r.outcome, r.next_step, r.actor, r.created_at) for r in rows]


def close(session: Session, case_id: int, reason: str, closed_on: date, now: datetime, version: int | None) -> int:
    """Close an open case with a reason (validated by the caller against config's list) and a date."""
    status = _status_of(session, case_id)
    if status not in OPEN_CASEWORK:
        raise NotAllowed(f"case {case_id} is {status}: only an open case can be closed")
    new_version = claim_version(session, case_id, version, now)
    row = _case_row(session, case_id)
    row.status, row.closing_reason, row.closed_on = "closed", reason[:40], closed_on
    session.add(row)
    return new_version


def reopen(session: Session, case_id: int, actor: str, now: datetime, version: int | None) -> tuple[str, int]:
    """Reopen: a closed case is open again, any other decision goes back to review; (new status, version)."""
    status = _status_of(session, case_id)
    target = REOPENS_TO.get(status)
    if target is None:
        raise NotAllowed(f"case {case_id} is {status}: there is nothing to reopen")
    if target == "new":
        new_version = set_status(session, case_id, "new", actor, now, version=version)
    else:
        new_version = claim_version(session, case_id, version, now)
        row = _case_row(session, case_id)
        row.status = target
        session.add(row)
    row = _case_row(session, case_id)
    row.closed_on = row.closing_reason = None
    session.add(row)
    return target, new_version


def owned_by(session: Session, owner: str) -> list[CaseSummary]:
    """The cases `owner` has to act on (to review or open): the earliest due first, then urgent, then oldest."""
    query = select(*CASE_COLUMNS).where(CaseRow.owner == owner[:100], col(CaseRow.status).in_(ASSIGNABLE)).order_by(
        col(CaseRow.due_on).is_(None), col(CaseRow.due_on), col(CaseRow.urgent).desc(), col(CaseRow.created_at))
    return _summaries(session, query)


def count_owned_by(session: Session, owner: str) -> int:
    """How many cases `owner` has to act on (as `owned_by` lists them)."""
    query = select(func.count()).select_from(CaseRow).where(CaseRow.owner == owner[:100],
                                                            col(CaseRow.status).in_(ASSIGNABLE))
    return int(session.exec(query).one())


def _awaiting(query: Any, categories: Sequence[str]) -> Any:
    return query.where(col(CaseRow.first_contact_on).is_(None), (
        col(CaseRow.status).in_(OPEN_CASEWORK) | ((CaseRow.status == "new") & col(CaseRow.category).in_(categories))))


def awaiting_first_contact(session: Session, categories: Sequence[str], *, due_before: date | None = None,
                           undated_read_from: datetime | None = None) -> list[CaseSummary]:
    """Cases with no enquiry yet: open cases, and cases to review of `categories` (the caller works out due dates).

    `due_before`: only those whose due date is before that day or not set yet (a case to review's due date is
    worked out from the day the council was told); `undated_read_from`: only those with no due date set that
    the service read at or after that moment.
    """
    query = _awaiting(select(*CASE_COLUMNS), categories)
    if due_before is not None:
        query = query.where(col(CaseRow.due_on).is_(None) | (col(CaseRow.due_on) < due_before))
    if undated_read_from is not None:
        query = query.where(col(CaseRow.due_on).is_(None), col(CaseRow.created_at) >= undated_read_from)
    return _summaries(session, query.order_by(col(CaseRow.created_at), col(CaseRow.id)))


def count_awaiting_first_contact(session: Session, categories: Sequence[str], due_before: date,
                                 undated_read_before: datetime) -> int:
    """How many cases with no enquiry yet are due before `due_before`, or have no due date set and were read
    before `undated_read_before` (the caller knows those are late whatever day the council was told)."""
    query = _awaiting(select(func.count()).select_from(CaseRow), categories).where(
        (col(CaseRow.due_on) < due_before)
        | (col(CaseRow.due_on).is_(None) & (col(CaseRow.created_at) < undated_read_before)))
    return int(session.exec(query).one())


class ReturnCase(NamedTuple):
    """What the DfE return reads of one case: its columns and the record's fields it counts
    (store.queue.return_record_of), a plain tuple: a term's return reads thousands of cases."""

    id: int
    reference: str
    category: str
    status: str
    created_at: datetime
    cme_reason: str | None
    closed_on: date | None
    closing_reason: str | None
    record: dict[str, Any]


def for_return(session: Session, period_first: date) -> Iterator[ReturnCase]:
    """Accepted cases a return from `period_first` on may count, oldest first, one at a time as they are read
    (the session stays open while the caller reads them): open ones, and ones closed on or after that day (the
    caller applies the dates the council was told). Automatic mail never counts.

    Their `record` holds only what the return reads (store.queue.return_record_of; the whole record of a
    row stored without it).
    """
    # two arms, each read from the partial index ix_case_return (one OR'd query is planned as a scan of every
    # accepted or closed case); RETURN_CASES is repeated literally so the planner sees the index's predicate hold
    columns = (CaseRow.id, CaseRow.reference, CaseRow.category, CaseRow.status, CaseRow.created_at, CaseRow.cme_reason,
               CaseRow.closed_on, CaseRow.closing_reason,
               func.coalesce(CaseRow.return_record, CaseRow.record).label("return_record"))
    counted = text(RETURN_CASES)
    query = union_all(select(*columns).where(counted, col(CaseRow.closed_on).is_(None)),
                      select(*columns).where(counted, col(CaseRow.closed_on) >= period_first))
    loads = json.loads
    for case_id, reference, category, status, created_at, reason, closed_on, closing, kept in session.execute(
            query.order_by(text("created_at"), text("id"))):
        try:
            record = loads(kept)
        except ValueError:
            record = {}
        yield ReturnCase(case_id, reference, category, status, created_at, reason, closed_on, closing,
                         record if isinstance(record, dict) else {})


def waiting_review(session: Session, since: datetime, until: datetime, categories: Sequence[str]) -> list[CaseSummary]:
    """Cases of `categories` received in [since, until) still waiting for review (not in a return yet)."""
    query = select(*CASE_COLUMNS).where(CaseRow.status == "new", col(CaseRow.category).in_(categories),
                                        CaseRow.created_at >= since, CaseRow.created_at < until)
    return _summaries(session, query.order_by(col(CaseRow.created_at)))


def count_waiting_review(session: Session, since: datetime, until: datetime, categories: Sequence[str]) -> int:
    """How many cases `waiting_review` lists."""
    query = select(func.count()).select_from(CaseRow).where(
        CaseRow.status == "new", col(CaseRow.category).in_(categories), CaseRow.created_at >= since,
        CaseRow.created_at < until)
    return int(session.exec(query).one())
