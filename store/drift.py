"""Spot checks of the records the service accepts without review, and the drift switch.

One in `CME_SPOT_CHECK_ONE_IN` records the gate would accept goes to an officer instead (a spot
check, a `spot_check` row beside its case), so the gate's precision is measured on what it lets
through. A reviewed spot check is **right** when the officer accepted it (or marked it a duplicate)
without changing any field before deciding, **wrong** when a field was changed (an `edit` entry in the
audit trail, a child or parent added or removed included) or it was rejected ("not CME") or forwarded
to another team.

The drift switch: over the latest `window` reviewed spot checks since auto-accept was last switched
on, the service stops accepting records without review when (window - wrong) / window falls below
the target. While fewer than `window` are reviewed, the missing ones count as right: the switch trips
as soon as even a full window could no longer reach the target, never on a half-filled one that
still could. Once tripped it stays off, whatever comes later, until an admin approves a new
calibration version (`store/versions.approve` calls `enable`). Switching it on starts a fresh
window. Both changes are written to the audit trail.

The state is one `service_setting` row (key `auto_accept`, JSON); no row means on. Nothing here
commits: the caller's transaction holds the change, with its audit entry.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Callable

from sqlalchemy.exc import DBAPIError, IntegrityError, OperationalError, SQLAlchemyError
from sqlmodel import Session, col, select

from store import audit
from store.errors import StoreRefused, StoreUnavailable
from store.tables import AuditRow, CaseRow, ReviewItemRow, ServiceSettingRow, SpotCheckRow

KEY = "auto_accept"
PAUSED, ENABLED = "auto_accept_paused", "auto_accept_enabled"  # audit actions
RIGHT_STATUSES = ("accepted", "enquiries", "closed", "duplicate")  # accepted (casework may go on): judged by edits
WRONG_STATUSES = ("rejected", "forwarded")  # not CME, or not the CME team's at all


@dataclass(frozen=True)
class Measure:
    window: int  # the window's size (CME_DRIFT_WINDOW)
    reviewed: int  # reviewed spot checks in the window so far (at most `window`)
    wrong: int

    @property
    def right(self) -> int:
        return self.reviewed - self.wrong

    @property
    def precision(self) -> float | None:
        """The share right of the reviewed ones (None before the first)."""
        return self.right / self.reviewed if self.reviewed else None

    @property
    def bound(self) -> float:
        """The precision a full window could still reach: what the switch is judged on."""
        return (self.window - self.wrong) / self.window


@dataclass(frozen=True)
class AutoAccept:
    on: bool
    reason: str | None  # why it is paused (no child's details: counts only)
    since: datetime | None  # when it was last paused or switched on (None: never changed)
    changed_by: str | None  # "service" (paused) or the admin who switched it on
    measure: Measure | None = None


def mark_spot_check(session: Session, case_id: int, now: datetime) -> None:
    session.add(SpotCheckRow(case_id=case_id, sampled_at=now))


def is_spot_check(session: Session, case_id: int) -> bool:
    return session.get(SpotCheckRow, case_id) is not None


def state(session: Session) -> AutoAccept:
    """Auto-accept as it stands (no measuring)."""
    row = session.get(ServiceSettingRow, KEY)
    if row is None:
        return AutoAccept(True, None, None, None)
    try:
        value = json.loads(row.value or "{}")
    except ValueError:
        value = {}
    value = value if isinstance(value, dict) else {}
    on = value.get("on", True) is not False
    return AutoAccept(on, None if on else str(value.get("reason") or "Auto-accept is paused."),
                      row.changed_at, row.changed_by)


def measure(session: Session, window: int, since: datetime | None = None) -> Measure:
    """The latest `window` spot checks reviewed after `since`, and how many of them were wrong."""
    edited = (select(AuditRow.id).where(col(AuditRow.case_id) == col(CaseRow.id), AuditRow.action == "edit",
                                        col(AuditRow.at) <= col(ReviewItemRow.closed_at))
              .correlate(CaseRow, ReviewItemRow).exists())
    query = (select(CaseRow.status, edited)
             .join(SpotCheckRow, col(SpotCheckRow.case_id) == col(CaseRow.id))
             .join(ReviewItemRow, col(ReviewItemRow.case_id) == col(CaseRow.id))
             .where(col(ReviewItemRow.closed_at).is_not(None),
                    col(CaseRow.status).in_(RIGHT_STATUSES + WRONG_STATUSES)))
    if since is not None:
        query = query.where(col(ReviewItemRow.closed_at) >= since)
    rows = session.exec(query.order_by(col(ReviewItemRow.closed_at).desc(), col(CaseRow.id).desc())
                        .limit(window)).all()
    wrong = sum(1 for status, was_edited in rows if status in WRONG_STATUSES or was_edited)
    return Measure(window=window, reviewed=len(rows), wrong=wrong)


def check(session: Session, window: int, min_precision: float, now: datetime) -> AutoAccept:
    """Auto-accept as it stands, pausing it first (audited) when the window has fallen below the target."""
    current = state(session)
    if not current.on:
        return current
    measured = measure(session, window, current.since)
    if measured.bound >= min_precision:
        return AutoAccept(True, None, current.since, current.changed_by, measured)
    reason = (f"Auto-accept is paused: {measured.wrong} of the last {measured.reviewed} spot checks reviewed were "
              f"wrong, so the records the service accepts can no longer be right {min_precision:.0%} of the time "
              f"(CME_DRIFT_MIN_PRECISION) over {window} spot checks (CME_DRIFT_WINDOW). Every record goes to "
              "review until an admin switches auto-accept back on.")
    _set(session, {"on": False, "reason": reason}, "service", now)
    audit.record_event(session, "service", PAUSED, now, detail={
        "window": window, "reviewed": measured.reviewed, "wrong": measured.wrong, "min_precision": min_precision})
    return AutoAccept(False, reason, now, "service", measured)


def enable(session: Session, actor: str, now: datetime, address: str | None = None) -> bool:
    """Auto-accept back on, as an admin approves a calibration version (a fresh window starts now); False when
    it was on already."""
    current = state(session)
    if current.on:
        return False
    _set(session, {"on": True}, actor, now)
    detail = {"paused_since": current.since.isoformat() if current.since else None, "reason": current.reason}
    if address:
        detail["address"] = address
    audit.record_event(session, actor, ENABLED, now, detail=detail)
    return True


def _set(session: Session, value: dict[str, object], actor: str, now: datetime) -> None:
    row = session.get(ServiceSettingRow, KEY)
    if row is None:  # the first change ever; another worker may be making it at the same moment
        try:
            with session.begin_nested():
                session.add(ServiceSettingRow(key=KEY, value=json.dumps(value), changed_at=now,
                                              changed_by=actor[:100]))
            return
        except IntegrityError:
            row = session.get(ServiceSettingRow, KEY, populate_existing=True)
            assert row is not None
    row.value, row.changed_at, row.changed_by = json.dumps(value), now, actor[:100]
    session.add(row)


def auto_accept(sessions: Callable[[], Session], window: int, min_precision: float, now: datetime) -> AutoAccept:
    """`check` in its own transaction, for the pipeline before it decides a message."""
    try:
        with sessions() as session:
            found = check(session, window, min_precision, now)
            session.commit()
    except SQLAlchemyError as exc:
        first = (str(exc).strip().splitlines() or [type(exc).__name__])[0][:300]
        if isinstance(exc, OperationalError) or (isinstance(exc, DBAPIError) and exc.connection_invalidated):
            raise StoreUnavailable(f"database unavailable: {first}") from exc
        raise StoreRefused(f"{type(exc).__name__}: {first}") from exc
    return found
