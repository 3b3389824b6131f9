"""The queue page: urgent first, then oldest; counts by status; filters and search."""
from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response
from sqlmodel import Session

from extraction.model import CATEGORIES
from review.pages import STATUS_LABELS, render
from review.session import WebSession, db, signed_in, web_session
from store import queue as store_queue
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
    return render(request, "queue.html", {
        "ws": ws, "cases": cases, "total": total, "page": page, "pages": max(1, -(-total // PAGE_SIZE)),
        "counts": counts, "all_count": sum(counts.values()), "urgent_open": store_queue.urgent_open_count(session),
        "quarantined": quarantined_count(session),
        "filters": {"category": category, "status": status, "review": review, "q": q[:100]},
        "categories": CATEGORIES,
    })
