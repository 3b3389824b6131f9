"""Sign-in (password, then the TOTP code for an account that has one) and sign-out pages."""
from __future__ import annotations

import math
import re
from urllib.parse import quote

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response
from sqlmodel import Session
from starlette.datastructures import FormData

from review import accounts
from review.errors import SignInRefused, SignInThrottled
from review.pages import render
from review.session import (WebSession, checked_form, client_address, db, signed_in_any, start_session,
                            web_session)
from store import audit, users
from store.users import User

router = APIRouter()
SAFE_PATH = re.compile(r"/[A-Za-z0-9/_.~?=&%+-]*")  # no scheme, no backslash, no tab or newline
WRONG = "The user name or password is not right."
WRONG_CODE = "The code is not right, or it was used already. Enter the 6 digits your authenticator app shows now."


def _safe_next(target: str | None) -> str:
    """Only a path on this site (never //host or a scheme) may follow sign-in."""
    if not target or not SAFE_PATH.fullmatch(target) or target.startswith("//"):
        return "/"
    return target


def _wait_words(exc: SignInThrottled) -> str:
    seconds = max(1, math.ceil(exc.wait.total_seconds()))  # type: ignore[attr-defined]
    span = f"{seconds} seconds" if seconds < 120 else f"{math.ceil(seconds / 60)} minutes"
    return (f"There have been too many failed sign-ins from this address or for this account. "
            f"Wait {span}, then try again.")


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
        user = accounts.sign_in(session, name, password, accounts.utcnow(), client_address(request))
    except SignInRefused as exc:
        session.commit()
        ws = start_session(request, None)
        throttled = isinstance(exc, SignInThrottled)
        return render(request, "sign_in.html", {
            "ws": ws, "next": target, "name": name[:100],
            "error": _wait_words(exc) if throttled else WRONG}, status_code=429 if throttled else 400)
    session.commit()
    if user.totp_enrolled:
        start_session(request, None, half=user)
        return RedirectResponse(f"/sign-in/code?next={quote(target, safe='')}", status_code=303)
    start_session(request, user)
    return RedirectResponse(target, status_code=303)


@router.get("/sign-in/code")
def code_page(request: Request, next: str = "/", ws: WebSession = Depends(web_session)) -> Response:
    if ws.user is not None:
        return RedirectResponse(_safe_next(next), status_code=303)
    if ws.half is None:
        return RedirectResponse("/sign-in", status_code=303)
    return render(request, "sign_in_code.html", {"ws": ws, "next": _safe_next(next), "error": None})


@router.post("/sign-in/code")
def check_code(request: Request, form: FormData = Depends(checked_form), ws: WebSession = Depends(web_session),
               session: Session = Depends(db)) -> Response:
    target = _safe_next(str(form.get("next") or "/"))
    if ws.half is None:  # the five minutes after the password are over, or no password was given
        return RedirectResponse("/sign-in", status_code=303)
    try:
        user = accounts.check_code(session, ws.half, str(form.get("code") or ""), accounts.utcnow(),
                                   client_address(request))
    except SignInRefused as exc:
        session.commit()
        throttled = isinstance(exc, SignInThrottled)
        return render(request, "sign_in_code.html", {
            "ws": ws, "next": target, "error": _wait_words(exc) if throttled else WRONG_CODE},
            status_code=429 if throttled else 400)
    session.commit()
    start_session(request, user)
    return RedirectResponse(target, status_code=303)


@router.post("/sign-out")
def sign_out(request: Request, user: User = Depends(signed_in_any), form: FormData = Depends(checked_form),
             session: Session = Depends(db)) -> Response:
    users.end_sessions(session, user.name)
    audit.record_event(session, user.name, "sign_out", accounts.utcnow(), detail={"address": client_address(request)})
    session.commit()
    start_session(request, None)
    return RedirectResponse("/sign-in", status_code=303)
