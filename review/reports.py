"""Reporting: counts by week, category, referrer type and outcome, a bar chart drawn as SVG on the
server, the DfE's termly CME return (review.dfe) for the terms of the chosen dates, on the page
and as CSV (the same as `cme report dfe`), and the extraction's figures over time: the latest runs
of `cme eval` (store/eval_runs.py) as a line chart drawn on the server, with their table.
"""
from __future__ import annotations

from collections import Counter
from datetime import date, datetime, time, timedelta

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response
from sqlmodel import Session

from review import dfe
from review.accounts import utcnow
from review.errors import ReviewError
from review.pages import CATEGORY_LABELS, LONDON, STATUS_LABELS, render
from review.record_form import parse_date
from review.session import WebSession, client_address, db, signed_in, web_session
from config.settings import CaseworkSettings
from store import audit, casework as store_casework, eval_runs, queue as store_queue
from store.users import User

router = APIRouter(prefix="/reports")


def _period(start: str, end: str) -> tuple[date, date]:
    """[start, end] as dates; default the last twelve weeks."""
    today = utcnow().date()
    try:
        first = parse_date(start) if start else today - timedelta(weeks=12)
        last = parse_date(end) if end else today
    except ValueError as exc:
        raise ReviewError(f"Dates must look like 2026-09-01 or 1/9/2026: {exc}") from None
    if last < first:
        raise ReviewError("The end date is before the start date.")
    return first, last


def _bounds(first: date, last: date) -> tuple[datetime, datetime]:
    return (datetime.combine(first, time.min, tzinfo=LONDON),
            datetime.combine(last + timedelta(days=1), time.min, tzinfo=LONDON))


def dfe_return(session: Session, first: date, last: date, casework: CaseworkSettings) -> tuple[dfe.DfeReturn, int]:
    """The DfE return of the terms holding `first` to `last`, and how many CME referrals of those
    terms still wait for review (and so are not in it)."""
    period = dfe.snap(first, last)
    ret = dfe.build_return(store_casework.for_return(session, period.first), period, casework)
    return ret, store_casework.count_waiting_review(session, *_bounds(period.first, period.last), ("cme_referral",))


def _referrer_type(record: dict) -> str:
    node = (record.get("referrer") or {}).get("type")
    return str(node.get("value")) if isinstance(node, dict) and node.get("value") else "not known"


def chart(weeks: list[tuple[str, int]]) -> dict:
    """Bar geometry for the weekly chart (drawn by the template as SVG)."""
    top = max([n for _, n in weeks] + [1])
    width, height, gap = 640, 200, 4
    bar = max(6, (width - 40) // max(len(weeks), 1) - gap)
    bars = []
    for i, (label, n) in enumerate(weeks):
        h = round(n / top * (height - 40))
        bars.append({"x": 30 + i * (bar + gap), "y": height - 20 - h, "w": bar, "h": h, "n": n, "label": label})
    return {"width": max(width, 40 + len(weeks) * (bar + gap)), "height": height, "bars": bars, "top": top}


EVAL_RUNS_SHOWN = 30  # the latest runs of `cme eval` on the chart and in its table
# (metric, its name on the page, the line's style class, the marker drawn at each run)
TREND_SERIES = (("field_f1", "Field F1", "app-trend__line--f1", "circle"),
                ("auto_accept_precision", "Auto-accept precision", "app-trend__line--precision", "square"),
                ("review_rate", "Review rate", "app-trend__line--review", "diamond"))


def trend(runs: list[eval_runs.EvalRun]) -> dict:
    """Line geometry for the chart of the eval runs' figures over time (drawn by the template as SVG).

    Runs are spaced evenly in the order they ran; each figure is a line from 0 to 1 with a marker at
    every run, broken where a run has no value (no record accepted: no auto-accept precision)."""
    width, height, left, right, top, bottom = 640, 240, 44, 16, 12, 48
    inner_w, inner_h = width - left - right, height - top - bottom
    n = len(runs)

    def x(i: int) -> float:
        return round(left + (i * inner_w / (n - 1) if n > 1 else inner_w / 2), 1)

    def y(v: float) -> float:
        return round(top + (1 - min(max(v, 0.0), 1.0)) * inner_h, 1)

    series = []
    for key, name, css, marker in TREND_SERIES:
        segments: list[list[tuple[float, float]]] = [[]]
        points = []
        for i, run in enumerate(runs):
            value = getattr(run, key)
            if value is None:
                segments.append([])
                continue
            segments[-1].append((x(i), y(value)))
            points.append({"x": x(i), "y": y(value), "value": value})
        lines = [" ".join(f"{px},{py}" for px, py in seg) for seg in segments if len(seg) > 1]
        series.append({"key": key, "name": name, "css": css, "marker": marker, "lines": lines, "points": points})
    every = max(1, -(-n // 8))  # at most about eight dates under the axis
    labels = [{"x": x(i), "text": run.ran_at.astimezone(LONDON).strftime("%-d %b")}
              for i, run in enumerate(runs) if i % every == 0 or i == n - 1]
    grid = [{"y": y(v), "text": f"{v:.2f}"} for v in (0.0, 0.25, 0.5, 0.75, 1.0)]
    return {"width": width, "height": height, "left": left, "right": width - right, "bottom": top + inner_h,
            "series": series, "labels": labels, "grid": grid}


@router.get("")
def reports_page(request: Request, start: str = "", end: str = "", user: User = Depends(signed_in),
                 ws: WebSession = Depends(web_session), session: Session = Depends(db)) -> Response:
    first, last = _period(start, end)
    cases = store_queue.cases_between(session, *_bounds(first, last))
    days = [c.created_at.astimezone(LONDON).date() for c in cases]
    week_counts: Counter[date] = Counter(d - timedelta(days=d.weekday()) for d in days)
    monday = first - timedelta(days=first.weekday())
    weeks = []
    while monday <= last:
        weeks.append((monday.strftime("%-d %b"), week_counts.get(monday, 0)))
        monday += timedelta(weeks=1)
    counts = {
        "Category": Counter(CATEGORY_LABELS.get(c.category, c.category) for c in cases),
        "Referrer type": Counter(_referrer_type(c.record).replace("_", " ").capitalize() for c in cases),
        "Outcome": Counter(STATUS_LABELS.get(c.status, c.status) for c in cases),
    }
    ret, waiting = dfe_return(session, first, last, request.app.state.settings.casework)
    runs = eval_runs.latest(session, EVAL_RUNS_SHOWN)
    return render(request, "reports.html", {
        "ws": ws, "first": first, "last": last, "total": len(cases), "weeks": weeks, "chart": chart(weeks),
        "dfe": ret, "dfe_waiting": waiting, "runs": runs, "trend": trend(runs),
        "counts": {k: sorted(v.items(), key=lambda kv: (-kv[1], kv[0])) for k, v in counts.items()},
    })


@router.get("/export.csv")
def export(request: Request, start: str = "", end: str = "", user: User = Depends(signed_in),
           session: Session = Depends(db)) -> Response:
    """The DfE termly return of the terms holding the chosen dates, as CSV."""
    first, last = _period(start, end)
    ret, waiting = dfe_return(session, first, last, request.app.state.settings.casework)
    audit.record_event(session, user.name, "export", utcnow(), detail={
        "from": ret.period.first, "to": ret.period.last, "rows": len(ret.rows), "waiting_review": waiting,
        "address": client_address(request)})
    session.commit()
    name = f"cme-return-{ret.period.first.isoformat()}-to-{ret.period.last.isoformat()}.csv"
    return Response(dfe.export_csv(ret), media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="{name}"', "Cache-Control": "no-store"})
