"""Eval runs: each `cme eval` kept with its figures, so the reports page can show them over time.

A run says when it ran, who ran it and with what command, which labels it scored (`since`), the
scorer's summary metrics, how many messages, and which extraction it measured: the build (git
describe or the package's version) and the confidence model the reader used. Nothing of a child:
the metrics hold counts, rates and field names only.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlmodel import Session, col, select

from store.tables import EvalRunRow

SUMMARY = ("field_f1", "category_accuracy", "urgent_recall", "acknowledge_accuracy", "auto_accept_precision",
           "review_rate")


@dataclass(frozen=True)
class EvalRun:
    """One run of `cme eval`."""

    ran_at: datetime
    ran_by: str
    command: str
    since: datetime | None
    messages: int
    field_f1: float | None
    category_accuracy: float | None
    urgent_recall: float | None
    acknowledge_accuracy: float | None
    auto_accept_precision: float | None
    review_rate: float | None
    ece: float | None
    extraction_version: str
    calibration_id: str | None
    metrics: dict[str, Any] = field(default_factory=dict)
    id: int | None = None


def _number(value: Any) -> float | None:
    return None if value is None else float(value)


def run_of(metrics: dict[str, Any], *, ran_at: datetime, ran_by: str, command: str, since: datetime | None,
           extraction_version: str, calibration_id: str | None, ece: float | None) -> EvalRun:
    """A run from the scorer's metrics (`extraction.scoring.score`): the summary figures in their own columns,
    the rest (per field, confusions, reliability) kept as JSON; each message's errors are left out."""
    rest = {k: v for k, v in metrics.items() if k not in SUMMARY and k not in ("errors", "field_f1_unrounded")}
    return EvalRun(ran_at=ran_at, ran_by=ran_by[:100], command=command[:300], since=since,
                   messages=int(metrics.get("messages") or 0),
                   **{k: _number(metrics.get(k)) for k in SUMMARY},
                   ece=ece, extraction_version=extraction_version[:100],
                   calibration_id=calibration_id[:100] if calibration_id else None, metrics=rest)


def record(session: Session, run: EvalRun) -> int:
    """Keep `run`; its id (the caller commits)."""
    row = EvalRunRow(ran_at=run.ran_at, ran_by=run.ran_by, command=run.command, since=run.since, messages=run.messages,
                     field_f1=run.field_f1, category_accuracy=run.category_accuracy, urgent_recall=run.urgent_recall,
                     acknowledge_accuracy=run.acknowledge_accuracy, auto_accept_precision=run.auto_accept_precision,
                     review_rate=run.review_rate, ece=run.ece, extraction_version=run.extraction_version,
                     calibration_id=run.calibration_id, metrics=json.dumps(run.metrics, ensure_ascii=False))
    session.add(row)
    session.flush()
    assert row.id is not None
    return row.id


def _run(row: EvalRunRow) -> EvalRun:
    try:
        metrics = json.loads(row.metrics)
    except ValueError:
        metrics = {}
    return EvalRun(ran_at=row.ran_at, ran_by=row.ran_by, command=row.command, since=row.since, messages=row.messages,
                   field_f1=row.field_f1, category_accuracy=row.category_accuracy, urgent_recall=row.urgent_recall,
                   acknowledge_accuracy=row.acknowledge_accuracy, auto_accept_precision=row.auto_accept_precision,
                   review_rate=row.review_rate, ece=row.ece, extraction_version=row.extraction_version,
                   calibration_id=row.calibration_id, metrics=metrics if isinstance(metrics, dict) else {}, id=row.id)


def latest(session: Session, limit: int = 30) -> list[EvalRun]:
    """The latest `limit` runs, oldest first (the order a chart over time reads them in)."""
    rows = session.exec(select(EvalRunRow).order_by(col(EvalRunRow.ran_at).desc(), col(EvalRunRow.id).desc())
                        .limit(limit)).all()
    return [_run(row) for row in reversed(rows)]
