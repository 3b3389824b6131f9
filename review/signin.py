"""Sign-in and sign-out pages."""
from __future__ import annotations

import re

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response
from sqlmodel import Session
from starlette.datastructures import FormData

from review import accounts
from review.errors import SignInRefused
from review.pages import render
from review.session import WebSession, checked_form, db, signed_in, start_session, web_session
from store import audit, users
from store.users import User

router = APIRouter()
SAFE_PATH = re.compile(r"/[A-Za-z0-9/_.~?=&%+-]*")  # no scheme, no backslash, no tab or newline


def _safe_next(target: str | None) -> str:
    """Only a path on this site (never //host or a scheme) may follow sign-in."""
    if not target or not SAFE_PATH.fullmatch(target) or target.startswith("//"):
        return "/"
    return target


@router.get("/sign-in")
def sign_in_page(request: Request, next: str = "/", ws: WebSession = Depends(web_session)) -> Response:
    if ws.user is not None:
        return RedirectResponse(_safe_next(next), status_code=303)
    return render(request, "sign_in.html", {"ws": ws, "next": _safe_next(next), "error": None, "name": ""})


@router.post("/sign-in")
def sign_in(request: Request, form: FormData = Depends(checked_form), session: Session = Depends(db)) -> Response:
    name = str(form.get("name") or "")
    password = str(form.get("password") or "")
    target = _safe_next(str(form.get("next") or "/"))
    try:
        user = accounts.sign_in(session, name, password, accounts.utcnow())
    except SignInRefused:
        session.commit()
        ws = start_session(request, None)
        return render(request, "sign_in.html", {
            "ws": ws, "next": target, "name": name[:100],
            "error": "The user name or password is not right, or the account is locked for 15 minutes "
                     "after 5 failed attempts."}, status_code=400)
    session.commit()
    start_session(request, user)
    return RedirectResponse(target, status_code=303)


@router.post("/sign-out")
def sign_out(request: Request, user: User = Depends(signed_in), form: FormData = Depends(checked_form),
             session: Session = Depends(db)) -> Response:
    users.end_sessions(session, user.name)
    audit.record_event(session, user.name, "sign_out", accounts.utcnow())
    session.commit()
    start_session(request, None)
    return RedirectResponse("/sign-in", status_code=303)
