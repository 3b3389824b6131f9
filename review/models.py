"""Models: the admins' page of the calibration, category classifier and span categoriser versions
(`store/versions.py`).

Each version is listed with its report (what it was fitted on, its test figures, threshold, precision and
error bound, the classifier's accuracy or the span categoriser's field F1 against the one in force), with
"Approve" and "Roll back to the previous version". An approval is in force from the next message the service reads; approving a calibration
also switches auto-accept back on after a drift pause. Every change is audited with the admin's address.
"""
from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response
from sqlmodel import Session
from starlette.datastructures import FormData

from review.accounts import utcnow
from review.pages import render
from review.session import WebSession, admin, client_address, db, signed_in_form, web_session
from store import drift as store_drift, versions
from store.errors import NotAllowed, UnknownVersion
from store.users import User

router = APIRouter(prefix="/models")
TITLES = {"calibration": "Confidence calibration", "textcat": "Category classifier", "spancat": "Span categoriser"}
DONE = {"approved": "Version approved: it is in force from the next message read",
        "rolled_back": "Rolled back: the previous version is in force from the next message read"}


def _page(request: Request, ws: WebSession, session: Session, error: str | None = None, done: str = "",
          status_code: int = 200) -> Response:
    kinds = [{"kind": kind, "title": TITLES[kind], "in_force": versions.in_force(session, kind),
              "versions": versions.listed(session, kind)} for kind in versions.KINDS]
    return render(request, "models.html", {"ws": ws, "kinds": kinds, "error": error, "done": done,
                                           "auto_accept": store_drift.state(session)}, status_code=status_code)


@router.get("")
def models_page(request: Request, user: User = Depends(admin), ws: WebSession = Depends(web_session),
                session: Session = Depends(db)) -> Response:
    return _page(request, ws, session, done=DONE.get(request.query_params.get("done", ""), ""))


def _kind(form: FormData) -> str:
    kind = str(form.get("kind") or "")
    return kind if kind in versions.KINDS else ""


@router.post("/approve")
def approve(request: Request, user: User = Depends(admin), form: FormData = Depends(signed_in_form),
            ws: WebSession = Depends(web_session), session: Session = Depends(db)) -> Response:
    kind, number = _kind(form), str(form.get("version") or "")
    try:
        if not kind or not number.isdigit() or len(number) > 9:
            raise UnknownVersion("There is no such version.")
        versions.approve(session, kind, int(number), user.name, utcnow(), address=client_address(request))
    except (NotAllowed, UnknownVersion) as exc:
        session.rollback()
        return _page(request, ws, session, error=str(exc), status_code=400)
    session.commit()
    return RedirectResponse("/models?done=approved", status_code=303)


@router.post("/rollback")
def rollback(request: Request, user: User = Depends(admin), form: FormData = Depends(signed_in_form),
             ws: WebSession = Depends(web_session), session: Session = Depends(db)) -> Response:
    kind = _kind(form)
    try:
        if not kind:
            raise UnknownVersion("There is no such kind of version.")
        versions.rollback(session, kind, user.name, utcnow(), address=client_address(request))
    except (NotAllowed, UnknownVersion) as exc:
        session.rollback()
        return _page(request, ws, session, error=str(exc), status_code=400)
    session.commit()
    return RedirectResponse("/models?done=rolled_back", status_code=303)
