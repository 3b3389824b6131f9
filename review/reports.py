"""Reporting: counts by week, category, referrer type and outcome, a bar chart drawn as SVG on the
server, and the DfE's termly CME return (review.dfe) for the terms of the chosen dates, on the page
and as CSV (the same as `cme report dfe`).
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
from store import audit, casework as store_casework, queue as store_queue
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
    return render(request, "reports.html", {
        "ws": ws, "first": first, "last": last, "total": len(cases), "weeks": weeks, "chart": chart(weeks),
        "dfe": ret, "dfe_waiting": waiting,
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
