"""The audit trail: who viewed, edited, decided, noted, sent or forwarded what, and when; and who
signed in, failed to, exported or changed an account, from which address.

Rows are append-only; the review screen writes them in the same transaction as the change they
record, and shows a case's history from here. A case view is kept once per person per case per day
(London time): the first view of the day says the person saw it, and every later one adds nothing.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import func
from sqlmodel import Session, select

from store.tables import AuditRow

LONDON = ZoneInfo("Europe/London")
VIEW = "view"

@dataclass(frozen=True)
class AuditEntry:
    at: datetime
    actor: str
    action: str
    detail: dict[str, Any]
    case_id: int | None = None


def record_event(session: Session, actor: str, action: str, at: datetime,
                 case_id: int | None = None, detail: dict[str, Any] | None = None) -> None:
    """Add one audit row (the caller commits it with the change it records); a case view already
    recorded for this person and case today adds nothing."""
    if action == VIEW and case_id is not None and _viewed_today(session, actor, case_id, at):
        return
    session.add(AuditRow(case_id=case_id, actor=actor[:100], action=action[:40],
                         detail=json.dumps(detail or {}, ensure_ascii=False, default=str), at=at))


def _viewed_today(session: Session, actor: str, case_id: int, at: datetime) -> bool:
    local = at.astimezone(LONDON) if at.tzinfo is not None else at
    start = datetime.combine(local.date(), time.min, tzinfo=LONDON if at.tzinfo is not None else None)
    query = select(AuditRow.id).where(AuditRow.case_id == case_id, AuditRow.actor == actor[:100],
                                      AuditRow.action == VIEW, AuditRow.at >= start,
                                      AuditRow.at < start + timedelta(days=1)).limit(1)
    return session.exec(query).first() is not None


def service_events(session: Session, actions: tuple[str, ...], limit: int = 200, offset: int = 0,
                   actor: str | None = None) -> list[AuditEntry]:
    """Entries not tied to a case (sign-ins, exports, account changes), newest first."""
    query = select(AuditRow).where(AuditRow.action.in_(actions))  # type: ignore[attr-defined]
    if actor:
        query = query.where(AuditRow.actor == actor[:100])
    rows = session.exec(query.order_by(AuditRow.at.desc(), AuditRow.id.desc()).offset(offset).limit(limit)).all()
    return [_entry(r) for r in rows]


def count_service_events(session: Session, actions: tuple[str, ...], actor: str | None = None) -> int:
    query = select(func.count()).select_from(AuditRow).where(AuditRow.action.in_(actions))  # type: ignore[attr-defined]
    if actor:
        query = query.where(AuditRow.actor == actor[:100])
    return int(session.exec(query).one())


def case_history(session: Session, case_id: int) -> list[AuditEntry]:
    """Every audit entry of one case, newest first."""
    rows = session.exec(select(AuditRow).where(AuditRow.case_id == case_id)
                        .order_by(AuditRow.at.desc(), AuditRow.id.desc())).all()
    return [_entry(r) for r in rows]


def notes_of(session: Session, case_id: int) -> list[AuditEntry]:
    """The officers' notes on a case (kept as audit entries with action "note"), oldest first."""
    rows = session.exec(select(AuditRow).where(AuditRow.case_id == case_id, AuditRow.action == "note")
                        .order_by(AuditRow.at, AuditRow.id)).all()
    return [_entry(r) for r in rows]


def count_events(session: Session, actor: str, action: str, since: datetime) -> int:
    """How many `action` entries `actor` has at or after `since` (sign-in failures for lock-out)."""
    query = select(func.count()).select_from(AuditRow).where(
        AuditRow.actor == actor[:100], AuditRow.action == action, AuditRow.at >= since)
    return int(session.exec(query).one())


def last_event_at(session: Session, actor: str, action: str) -> datetime | None:
    query = select(func.max(AuditRow.at)).where(AuditRow.actor == actor[:100], AuditRow.action == action)
    return session.exec(query).one()


def _entry(row: AuditRow) -> AuditEntry:
    try:
        detail = json.loads(row.detail or "{}")
    except ValueError:
        detail = {"text": row.detail}
    return AuditEntry(at=row.at, actor=row.actor, action=row.action,
                      detail=detail if isinstance(detail, dict) else {"value": detail}, case_id=row.case_id)
