"""Versions of the artefacts the reader uses: the confidence calibration, the category text classifier and the
span categoriser.

`cme calibrate --from-store` and `cme train` add a version (numbered 1, 2 ... per kind) with its
artefact and its report; one that did not beat the version in force is stored refused, with the reason,
and can never be approved. The service uses the newest approved version of each kind that is not
retired; with none, the files shipped in `config/` (version 0). An admin approves a version (the Models
page, or an operator's `cme versions approve`), and rolls back: the version in force is retired and the
one approved before it (or the shipped file) is in force again. Approving a calibration also switches
auto-accept back on after a drift pause (`store/drift.py`). Every change is audited. Nothing here
commits: the caller's transaction holds the change with its audit entry.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func
from sqlmodel import Session, col, select

from store import audit, drift
from store.errors import NotAllowed, UnknownVersion
from store.tables import ModelVersionRow

KINDS = ("calibration", "textcat", "spancat")
ADDED, APPROVED, ROLLED_BACK = "version_added", "version_approved", "version_rolled_back"  # audit actions


@dataclass(frozen=True)
class Version:
    """A stored version without its artefact."""

    kind: str
    version: int
    created_at: datetime
    created_by: str
    report: dict[str, Any]
    refused: str | None
    approved_at: datetime | None
    approved_by: str | None
    retired_at: datetime | None
    retired_by: str | None
    size: int = 0  # the artefact's bytes

    @property
    def status(self) -> str:
        if self.refused:
            return "refused"
        if self.retired_at is not None:
            return "rolled back"
        return "approved" if self.approved_at is not None else "waiting for approval"


def _kind(kind: str) -> str:
    if kind not in KINDS:
        raise NotAllowed(f"unknown kind of version {kind!r} (calibration, textcat or spancat)")
    return kind


def _version(row: ModelVersionRow, size: int = 0) -> Version:
    try:
        report = json.loads(row.report or "{}")
    except ValueError:
        report = {}
    return Version(row.kind, row.version, row.created_at, row.created_by, report if isinstance(report, dict) else {},
                   row.refused, row.approved_at, row.approved_by, row.retired_at, row.retired_by, size)


def add(session: Session, kind: str, artefact: bytes, report: dict[str, Any], actor: str, now: datetime,
        refused: str | None = None) -> Version:
    """Store a new version (not approved); its number is the kind's next."""
    last = session.exec(select(func.max(ModelVersionRow.version)).where(ModelVersionRow.kind == _kind(kind))).one()
    row = ModelVersionRow(kind=kind, version=(last or 0) + 1, created_at=now, created_by=actor[:100],
                          artefact=artefact, report=json.dumps(report, ensure_ascii=False, default=str),
                          refused=refused)
    session.add(row)
    session.flush()
    audit.record_event(session, actor, ADDED, now, detail={"kind": kind, "version": row.version,
                                                            "refused": refused})
    return _version(row, len(artefact))


def listed(session: Session, kind: str | None = None) -> list[Version]:
    """Every version (of one kind when given), newest first, without the artefacts."""
    size = func.length(ModelVersionRow.artefact)
    query = select(ModelVersionRow, size)
    if kind is not None:
        query = query.where(ModelVersionRow.kind == _kind(kind))
    rows = session.exec(query.order_by(col(ModelVersionRow.kind), col(ModelVersionRow.version).desc())).all()
    return [_version(row, n or 0) for row, n in rows]


def _in_force_row(session: Session, kind: str) -> ModelVersionRow | None:
    return session.exec(select(ModelVersionRow).where(
        ModelVersionRow.kind == _kind(kind), col(ModelVersionRow.approved_at).is_not(None),
        col(ModelVersionRow.retired_at).is_(None), col(ModelVersionRow.refused).is_(None))
        .order_by(col(ModelVersionRow.version).desc()).limit(1)).first()


def in_force(session: Session, kind: str) -> int:
    """The number of the version in force: the newest approved and not retired (0: the shipped file)."""
    row = _in_force_row(session, kind)
    return row.version if row is not None else 0


def artefact(session: Session, kind: str, version: int) -> bytes:
    row = _row(session, kind, version)
    return bytes(row.artefact)


def report(session: Session, kind: str, version: int) -> Version:
    return _version(_row(session, kind, version))


def _row(session: Session, kind: str, version: int) -> ModelVersionRow:
    row = session.exec(select(ModelVersionRow).where(ModelVersionRow.kind == _kind(kind),
                                                     ModelVersionRow.version == version)).first()
    if row is None:
        raise UnknownVersion(f"there is no {kind} version {version}")
    return row


def approve(session: Session, kind: str, version: int, actor: str, now: datetime,
            address: str | None = None) -> Version:
    """An admin approves a version: it is in force from the next message read (a rolled-back one may be
    approved again). A refused version cannot be. Approving a calibration ends a drift pause."""
    row = _row(session, kind, version)
    if row.refused:
        raise NotAllowed(f"{kind} version {version} was refused and cannot be approved: {row.refused}")
    before = in_force(session, kind)
    row.approved_at, row.approved_by, row.retired_at, row.retired_by = now, actor[:100], None, None
    session.add(row)
    detail: dict[str, Any] = {"kind": kind, "version": version, "previous": before}
    if address:
        detail["address"] = address
    audit.record_event(session, actor, APPROVED, now, detail=detail)
    if kind == "calibration":
        drift.enable(session, actor, now, address=address)
    session.flush()
    return _version(row)


def rollback(session: Session, kind: str, actor: str, now: datetime, address: str | None = None) -> int:
    """Retire the version in force; the one approved before it (or the shipped file, 0) is in force again.
    Returns the number now in force."""
    row = _in_force_row(session, kind)
    if row is None:
        raise NotAllowed(f"no approved {kind} version is in force: the shipped file is already used")
    row.retired_at, row.retired_by = now, actor[:100]
    session.add(row)
    session.flush()
    now_in_force = in_force(session, kind)
    detail: dict[str, Any] = {"kind": kind, "version": row.version, "now_in_force": now_in_force}
    if address:
        detail["address"] = address
    audit.record_event(session, actor, ROLLED_BACK, now, detail=detail)
    return now_in_force
