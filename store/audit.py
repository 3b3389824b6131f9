"""The audit trail: who viewed, edited, decided, noted, sent or forwarded what, and when.

Rows are append-only; the review screen writes them in the same transaction as the change they
record, and shows a case's history from here.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func
from sqlmodel import Session, select

from store.tables import AuditRow


@dataclass(frozen=True)
class AuditEntry:
    at: datetime
    actor: str
    action: str
    detail: dict[str, Any]


def record_event(session: Session, actor: str, action: str, at: datetime,
                 case_id: int | None = None, detail: dict[str, Any] | None = None) -> None:
    """Add one audit row (the caller commits it with the change it records)."""
    session.add(AuditRow(case_id=case_id, actor=actor[:100], action=action[:40],
                         detail=json.dumps(detail or {}, ensure_ascii=False, default=str), at=at))


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
                      detail=detail if isinstance(detail, dict) else {"value": detail})
