"""The queue page: urgent first, then oldest; counts by status; filters and search. And the
casework lists: "My cases" (the officer's own) and "Overdue" (no first enquiry by its due date)."""
from __future__ import annotations

from datetime import datetime, time

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response
from sqlmodel import Session

from extraction.model import CATEGORIES
from review.pages import LONDON, STATUS_LABELS, render
from review.accounts import utcnow
from review.session import WebSession, db, signed_in, web_session
from store import casework as store_casework, drift as store_drift, queue as store_queue
from store.export import quarantined_count
from store.users import User

router = APIRouter()
PAGE_SIZE = 50


@router.get("/")
def queue_page(request: Request, category: str = "", status: str = "new", review: str = "", q: str = "",
               page: int = 1, user: User = Depends(signed_in), ws: WebSession = Depends(web_session),
               session: Session = Depends(db)) -> Response:
    category = category if category in CATEGORIES else ""
    status = status if status in STATUS_LABELS or status == "any" else "new"
    review = review if review in ("yes", "no") else ""
    flt = store_queue.QueueFilter(category=category or None, status=None if status == "any" else status,
                                  needs_review={"yes": True, "no": False}.get(review), search=q[:100] or None)
    page = max(1, min(page, 10_000))
    total = store_queue.count_cases(session, flt)
    cases = store_queue.list_cases(session, flt, limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE)
    counts = store_queue.status_counts(session)
    auto_accept = _auto_accept(request, session)
    return render(request, "queue.html", {
        "auto_accept": auto_accept, "drift": request.app.state.settings.drift,
        "ws": ws, "cases": cases, "total": total, "page": page, "pages": max(1, -(-total // PAGE_SIZE)),
        "counts": counts, "all_count": sum(counts.values()), "urgent_open": store_queue.urgent_open_count(session),
        "quarantined": quarantined_count(session),
        "filters": {"category": category, "status": status, "review": review, "q": q[:100]},
        "categories": CATEGORIES, "mine": store_casework.count_owned_by(session, user.name),
        "overdue": _overdue_count(request, session),
    })


def _auto_accept(request: Request, session: Session) -> store_drift.AutoAccept:
    """The drift switch, paused now (audited) if the reviewed spot checks have fallen below the target."""
    settings = request.app.state.settings.drift
    found = store_drift.check(session, settings.window, settings.min_precision, utcnow())
    session.commit()
    return found


def _overdue_count(request: Request, session: Session) -> int:
    """Counted in SQL: a case due before today, or one with no due date read before the day from which a
    case is not yet late; only the few read since then are read whole, their day told taken from the mail."""
    from review.casework import settings_of, today
    from review.lifecycle import FIRST_CONTACT_CATEGORIES, is_overdue, late_if_told_before

    casework, now = settings_of(request), today()
    since = datetime.combine(late_if_told_before(casework, now), time.min, tzinfo=LONDON)
    certain = store_casework.count_awaiting_first_contact(session, FIRST_CONTACT_CATEGORIES, now, since)
    recent = store_casework.awaiting_first_contact(session, FIRST_CONTACT_CATEGORIES, undated_read_from=since)
    return certain + sum(1 for c in recent if is_overdue(c, casework, now))


def _casework_rows(request: Request, cases: list) -> list[dict]:
    from review.casework import settings_of, today
    from review.lifecycle import first_contact_due, is_overdue, told_on

    casework, now = settings_of(request), today()
    return [{"c": c, "told_on": told_on(c), "due_on": first_contact_due(c, casework),
             "overdue": is_overdue(c, casework, now)} for c in cases]


@router.get("/my-cases")
def my_cases(request: Request, user: User = Depends(signed_in), ws: WebSession = Depends(web_session),
             session: Session = Depends(db)) -> Response:
    """The signed-in officer's cases to review and open cases, the earliest due first."""
    rows = _casework_rows(request, store_casework.owned_by(session, user.name))
    return render(request, "cases_list.html", {
        "ws": ws, "title": "My cases", "rows": rows, "empty": "You own no case to review or open case.",
        "intro": "Cases you own that wait for review or are open, the earliest first enquiry due first."})


@router.get("/overdue")
def overdue(request: Request, user: User = Depends(signed_in), ws: WebSession = Depends(web_session),
            session: Session = Depends(db)) -> Response:
    """Cases whose first enquiry is late: no enquiry logged by the due date (only cases due before today,
    or with no due date set yet, are read)."""
    from review.casework import settings_of, today
    from review.lifecycle import FIRST_CONTACT_CATEGORIES

    awaiting = store_casework.awaiting_first_contact(session, FIRST_CONTACT_CATEGORIES, due_before=today())
    rows = [r for r in _casework_rows(request, awaiting) if r["overdue"]]
    rows.sort(key=lambda r: (r["due_on"], not r["c"].urgent))
    days = settings_of(request).first_contact_school_days
    return render(request, "cases_list.html", {
        "ws": ws, "title": "Overdue", "rows": rows, "empty": "No case is overdue.",
        "intro": f"Cases with no enquiry logged {days} school days after the council was told of the child, "
                 "the longest overdue first."})
