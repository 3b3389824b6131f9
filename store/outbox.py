"""The outbox: acknowledgements and forwards written in the case's transaction, sent after commit.

A row stays `pending` until the sender accepts it; a failure is retried with a growing delay
(1, 2, 4 ... minutes, at most 6 hours). A permanent refusal marks it `failed`; a bounce that
quotes its Message-ID or case reference marks it `bounced`. Each of these status changes writes
its audit entry (actor "service": `email_sent`, `email_failed`, `email_bounced`) in the same
transaction; the entry names the mail (kind, recipient, outbox id, Message-ID), never its content.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Sequence

from sqlalchemy import update
from sqlmodel import Session, col, select

from store import audit
from store.tables import CaseRow, OutboxRow

MAX_DELAY = timedelta(hours=6)


@dataclass(frozen=True)
class OutgoingMail:
    id: int
    kind: str  # ack | forward
    recipient: str
    message_id: str
    mime: bytes
    attempts: int


def _mail(row: OutboxRow) -> OutgoingMail:
    assert row.id is not None
    return OutgoingMail(row.id, row.kind, row.recipient, row.message_id, bytes(row.mime), row.attempts)


def add(session: Session, *, case_id: int | None, kind: str, recipient: str, thread_key: str | None,
        message_id: str, mime: bytes, now: datetime) -> int:
    row = OutboxRow(case_id=case_id, kind=kind, recipient=recipient.lower(), thread_key=thread_key,
                    message_id=message_id, mime=mime, next_attempt_at=now, created_at=now)
    session.add(row)
    session.flush()
    assert row.id is not None
    return row.id


def ack_exists(session: Session, recipient: str, thread_keys: Sequence[str]) -> bool:
    """Whether this sender already has an acknowledgement in this thread (at most one per thread)."""
    keys = [k for k in thread_keys if k]
    if not keys:
        return False
    row = session.exec(select(OutboxRow.id).where(OutboxRow.kind == "ack", OutboxRow.recipient == recipient.lower(),
                                                  col(OutboxRow.thread_key).in_(keys))).first()
    return row is not None


def acks_since(session: Session, recipient: str, since: datetime) -> int:
    """How many acknowledgements this address was given since `since` (a flood gets no more)."""
    rows = session.exec(select(OutboxRow.id).where(OutboxRow.kind == "ack", OutboxRow.recipient == recipient.lower(),
                                                   col(OutboxRow.created_at) >= since)).all()
    return len(rows)


def get(session: Session, ids: Sequence[int]) -> list[OutgoingMail]:
    rows = session.exec(select(OutboxRow).where(col(OutboxRow.id).in_(list(ids)), OutboxRow.status == "pending")
                        .order_by(col(OutboxRow.id))).all()
    return [_mail(r) for r in rows]


def due(session: Session, now: datetime, limit: int = 100) -> list[OutgoingMail]:
    rows = session.exec(select(OutboxRow).where(OutboxRow.status == "pending", col(OutboxRow.next_attempt_at) <= now)
                        .order_by(col(OutboxRow.id)).limit(limit)).all()
    return [_mail(r) for r in rows]


def _audit(session: Session, mail_id: int, action: str, now: datetime, **extra: str) -> None:
    """The service's audit entry for one outbox row (in the caller's transaction)."""
    row = session.get(OutboxRow, mail_id)
    if row is None:
        return
    detail = {"kind": row.kind, "recipient": row.recipient, "outbox_id": row.id, "message_id": row.message_id, **extra}
    audit.record_event(session, "service", action, now, case_id=row.case_id, detail=detail)


def mark_sent(session: Session, mail_id: int, now: datetime) -> None:
    session.execute(update(OutboxRow).where(col(OutboxRow.id) == mail_id)
                    .values(status="sent", sent_at=now, attempts=OutboxRow.attempts + 1, last_error=None))
    _audit(session, mail_id, "email_sent", now)


def retry_delay(attempts: int) -> timedelta:
    """Delay before the next try after `attempts` failed tries."""
    return min(timedelta(minutes=2 ** max(attempts - 1, 0)), MAX_DELAY)


def mark_failed(session: Session, mail: OutgoingMail, error: str, now: datetime, permanent: bool = False) -> None:
    """Count a failed try; a permanent refusal (the final failure) is also written to the audit trail."""
    attempts = mail.attempts + 1
    session.execute(update(OutboxRow).where(col(OutboxRow.id) == mail.id).values(
        status="failed" if permanent else "pending", attempts=attempts, last_error=error[:2000],
        next_attempt_at=now + retry_delay(attempts)))
    if permanent:
        first_line = (error.strip().splitlines() or [""])[0][:300]
        _audit(session, mail.id, "email_failed", now, error=first_line)


def mark_bounced(session: Session, message_ids: Sequence[str], references: Sequence[str],
                 now: datetime | None = None) -> int:
    """Mark the acknowledgements a bounce quotes (by our Message-ID or case reference) as bounced."""
    ids = [m for m in message_ids if m][:200]
    hits = set()
    if ids:
        hits |= set(session.exec(select(OutboxRow.id).where(col(OutboxRow.message_id).in_(ids))).all())
    refs = [r for r in references if r][:50]
    if refs:
        hits |= set(session.exec(select(OutboxRow.id).join(CaseRow, col(CaseRow.id) == col(OutboxRow.case_id))
                                 .where(col(CaseRow.reference).in_(refs), OutboxRow.kind == "ack")).all())
    if not hits:
        return 0
    marked = sorted(session.exec(select(OutboxRow.id).where(col(OutboxRow.id).in_(sorted(hits)),
                                                             col(OutboxRow.status).in_(("sent", "pending")))).all())
    if marked:
        session.execute(update(OutboxRow).where(col(OutboxRow.id).in_(marked)).values(status="bounced"))
    for mail_id in marked:
        _audit(session, mail_id, "email_bounced", now or datetime.now(timezone.utc))
    return len(hits)


def counts(session: Session) -> dict[str, int]:
    rows = session.exec(select(OutboxRow.status)).all()
    out: dict[str, int] = {}
    for status in rows:
        out[status] = out.get(status, 0) + 1
    return out
