"""The council directory (other councils' CME contacts) and the referrals sent from cases.

The directory is seeded once, when it is empty, from the rows the caller reads out of
`config/councils.csv`; after that an admin keeps it. A council with no email address is listed
but nothing can be sent to it. Sent referrals point at the outbox row that carries the mail.
The caller's session holds the transaction; nothing here commits.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Iterable

from sqlalchemy import func
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from store.council_tables import CouncilRow, OutboundRow


@dataclass(frozen=True)
class Council:
    id: int
    name: str
    team: str
    email: str  # "" when not known
    updated_at: datetime
    updated_by: str


@dataclass(frozen=True)
class CouncilEntry:
    """A directory row as typed or seeded (before it has an id)."""

    name: str
    team: str
    email: str


@dataclass(frozen=True)
class Outbound:
    kind: str  # council | enquiry_reply | sao
    recipient: str
    subject: str
    council: str | None
    sent_by: str
    closed_case: bool
    created_at: datetime


class DuplicateCouncil(ValueError):
    """Another council in the directory already has that name."""


def _council(row: CouncilRow) -> Council:
    assert row.id is not None
    return Council(row.id, row.name, row.team, row.email, row.updated_at, row.updated_by)


def seed_if_empty(session: Session, entries: Iterable[CouncilEntry], now: datetime) -> int:
    """Fill an empty directory with `entries`; returns how many were added (0 once it has rows)."""
    if session.exec(select(func.count()).select_from(CouncilRow)).one():
        return 0
    added = 0
    try:
        with session.begin_nested():
            for entry in entries:
                session.add(CouncilRow(name=entry.name, team=entry.team, email=entry.email, updated_at=now,
                                       updated_by="seed"))
                added += 1
    except IntegrityError:  # another worker seeded it first
        return 0
    return added


def directory(session: Session) -> list[Council]:
    return [_council(r) for r in session.exec(select(CouncilRow).order_by(func.lower(CouncilRow.name))).all()]


def get_council(session: Session, council_id: int) -> Council | None:
    row = session.get(CouncilRow, council_id)
    return _council(row) if row is not None else None


def _name_taken(session: Session, name: str, except_id: int | None) -> bool:
    query = select(CouncilRow.id).where(func.lower(CouncilRow.name) == name.lower())
    if except_id is not None:
        query = query.where(col(CouncilRow.id) != except_id)
    return session.exec(query).first() is not None


def save_council(session: Session, council_id: int | None, entry: CouncilEntry, actor: str, now: datetime) -> Council:
    """Add a council (`council_id` None) or change one; raises DuplicateCouncil, LookupError."""
    if _name_taken(session, entry.name, council_id):
        raise DuplicateCouncil(f"{entry.name} is already in the directory")
    if council_id is None:
        row = CouncilRow(name=entry.name, team=entry.team, email=entry.email, updated_at=now, updated_by=actor[:100])
    else:
        found = session.get(CouncilRow, council_id)
        if found is None:
            raise LookupError(f"no council {council_id}")
        row = found
        row.name, row.team, row.email, row.updated_at, row.updated_by = (
            entry.name, entry.team, entry.email, now, actor[:100])
    session.add(row)
    session.flush()
    return _council(row)


def record_outbound(session: Session, *, case_id: int, kind: str, recipient: str, subject: str, message_id: str,
                    sent_by: str, now: datetime, council_id: int | None = None, closed_case: bool = False) -> None:
    session.add(OutboundRow(case_id=case_id, kind=kind, council_id=council_id, recipient=recipient.lower(),
                            subject=subject, message_id=message_id, sent_by=sent_by[:100], closed_case=closed_case,
                            created_at=now))


def outbound_of(session: Session, case_id: int) -> list[Outbound]:
    """What was sent out from a case (referrals to councils, enquiry replies, SAO referrals), oldest first."""
    rows = session.exec(select(OutboundRow, CouncilRow).join(CouncilRow, col(CouncilRow.id) == col(OutboundRow.council_id),
                                                              isouter=True)
                        .where(OutboundRow.case_id == case_id).order_by(col(OutboundRow.created_at), col(OutboundRow.id))).all()
    return [Outbound(r.kind, r.recipient, r.subject, c.name if c is not None else None, r.sent_by, r.closed_case,
                     r.created_at) for r, c in rows]
