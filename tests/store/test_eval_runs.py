"""Eval runs are kept with their figures and read back oldest first, the latest ones only."""
from datetime import datetime, timedelta, timezone

from store import eval_runs

T0 = datetime(2026, 11, 2, 9, 0, tzinfo=timezone.utc)
METRICS = {"messages": 4, "missing_predictions": 0, "field_f1": 0.8125, "field_f1_unrounded": 0.8125,
           "category_accuracy": 1.0, "urgent_recall": 1.0, "acknowledge_accuracy": 0.75,
           "auto_accept_precision": None, "review_rate": 1.0, "errors": {"CME-2026-00001": {"wrong": ["child.upn"]}},
           "reliability": [{"bin": "0.9-1.0", "values": 12, "mean_probability": 0.95, "share_right": 0.917}]}


def _run(at: datetime, f1: float) -> eval_runs.EvalRun:
    return eval_runs.run_of({**METRICS, "field_f1": f1}, ran_at=at, ran_by="ops", command="cme eval", since=None,
                            extraction_version="git 0435344", calibration_id="sha256:7c0f6fdac2d3", ece=0.0333)


def test_runs_are_kept_with_their_figures_and_read_oldest_first(sessions):
    with sessions() as s:
        for n in range(5):
            eval_runs.record(s, _run(T0 + timedelta(days=n), (80 + n) / 100))
        s.commit()
    with sessions() as s:
        runs = eval_runs.latest(s, limit=3)
    assert [r.field_f1 for r in runs] == [0.82, 0.83, 0.84]
    last = runs[-1]
    assert last.ran_at == T0 + timedelta(days=4) and last.auto_accept_precision is None and last.review_rate == 1.0
    assert (last.messages, last.ece, last.calibration_id) == (4, 0.0333, "sha256:7c0f6fdac2d3")
    assert last.metrics["reliability"][0]["values"] == 12 and "errors" not in last.metrics
