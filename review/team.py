"""Accounts: the admins' page of who can sign in (adding an officer or admin), and everyone's own
password change."""
from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response
from sqlmodel import Session
from starlette.datastructures import FormData

from review import accounts
from review.errors import AccountError, NotFound, SignInRefused
from review.pages import render
from review.session import WebSession, admin, db, signed_in, signed_in_form, start_session, web_session
from store import audit, users
from store.users import User

router = APIRouter(prefix="/users")


def _page(request: Request, ws: WebSession, session: Session, error: str | None = None,
          done: str = "", status_code: int = 200) -> Response:
    return render(request, "users.html", {"ws": ws, "users": users.list_users(session), "error": error,
                                          "done": done, "now": accounts.utcnow()}, status_code=status_code)


@router.get("")
def users_page(request: Request, user: User = Depends(admin), ws: WebSession = Depends(web_session),
               session: Session = Depends(db)) -> Response:
    done = {"added": "Account added", "unlocked": "Account unlocked"}.get(request.query_params.get("done", ""), "")
    return _page(request, ws, session, done=done)


@router.post("")
def add(request: Request, user: User = Depends(admin), form: FormData = Depends(signed_in_form),
        ws: WebSession = Depends(web_session), session: Session = Depends(db)) -> Response:
    try:
        accounts.add_user(session, str(form.get("name") or "").strip(), str(form.get("role") or ""),
                          str(form.get("password") or ""), actor=user.name)
    except AccountError as exc:
        session.rollback()
        return _page(request, ws, session, error=str(exc), status_code=400)
    session.commit()
    return RedirectResponse("/users?done=added", status_code=303)


@router.post("/unlock")
def unlock(user: User = Depends(admin), form: FormData = Depends(signed_in_form),
           session: Session = Depends(db)) -> Response:
    name = str(form.get("name") or "")
    if users.find_user(session, name) is None:
        raise NotFound("There is no account of that name.")
    now = accounts.utcnow()
    users.set_lock(session, name, 0, now)  # a lock ending now also restarts the count of failures
    audit.record_event(session, user.name, "account_unlocked", now, detail={"user": name})
    session.commit()
    return RedirectResponse("/users?done=unlocked", status_code=303)


password_router = APIRouter(prefix="/account")


@password_router.get("")
def account_page(request: Request, user: User = Depends(signed_in), ws: WebSession = Depends(web_session)) -> Response:
    done = "Password changed" if request.query_params.get("done") == "password" else ""
    return render(request, "account.html", {"ws": ws, "error": None, "done": done})


@password_router.post("")
def change_password(request: Request, user: User = Depends(signed_in), form: FormData = Depends(signed_in_form),
                    ws: WebSession = Depends(web_session), session: Session = Depends(db)) -> Response:
    new = str(form.get("new_password") or "")
    error = None
    try:
        accounts.sign_in(session, user.name, str(form.get("current_password") or ""), accounts.utcnow())
    except SignInRefused:
        error = "Your current password is not right."
    if error is None and new != str(form.get("confirm_password") or ""):
        error = "The new passwords are not the same."
    if error is None:
        try:
            accounts.change_password(session, user.name, new)
        except AccountError as exc:
            error = str(exc)
    if error is not None:
        session.commit()  # a wrong current password counts towards the lock-out
        return render(request, "account.html", {"ws": ws, "error": error, "done": ""}, status_code=400)
    audit.record_event(session, user.name, "password_changed", accounts.utcnow())
    session.commit()
    found = users.find_user(session, user.name)
    start_session(request, found[0] if found else None)
    return RedirectResponse("/account?done=password", status_code=303)
