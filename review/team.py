"""Accounts: the admins' page of who can sign in (add an account, change its role, disable or
enable it, reset its two-factor sign-in, forget its failed sign-ins, require two-factor sign-in of
everyone), and everyone's own page (change the password, set up two-factor sign-in)."""
from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response
from sqlmodel import Session
from starlette.datastructures import FormData

from review import accounts
from review.errors import AccountError
from review.pages import render
from review.session import (WebSession, account_form, admin, client_address, db, signed_in_any, signed_in_form,
                            start_session, web_session)
from store import users
from store.users import User

router = APIRouter(prefix="/users")
DONE = {"added": "Account added", "unlocked": "Failed sign-ins forgotten", "role": "Role changed",
        "disabled": "Account disabled: its open sessions have ended", "enabled": "Account enabled",
        "two_factor_reset": "Two-factor sign-in reset", "required": "Two-factor sign-in is now required of everyone",
        "optional": "Two-factor sign-in is now optional"}


def _page(request: Request, ws: WebSession, session: Session, error: str | None = None,
          done: str = "", status_code: int = 200) -> Response:
    now = accounts.utcnow()
    waiting = {t.key.split(":", 1)[1] for t in users.list_throttles(session, now - accounts.FORGET_AFTER)
               if t.key.startswith("account:") and t.failures > 0}
    return render(request, "users.html", {
        "ws": ws, "users": users.list_users(session), "error": error, "done": done, "now": now,
        "failing": waiting, "two_factor_required": accounts.two_factor_required(session),
        "min_password": accounts.MIN_PASSWORD}, status_code=status_code)


@router.get("")
def users_page(request: Request, user: User = Depends(admin), ws: WebSession = Depends(web_session),
               session: Session = Depends(db)) -> Response:
    return _page(request, ws, session, done=DONE.get(request.query_params.get("done", ""), ""))


@router.post("")
def add(request: Request, user: User = Depends(admin), form: FormData = Depends(signed_in_form),
        ws: WebSession = Depends(web_session), session: Session = Depends(db)) -> Response:
    try:
        accounts.add_user(session, str(form.get("name") or "").strip(), str(form.get("role") or ""),
                          str(form.get("password") or ""), actor=user.name, must_change_password=True,
                          address=client_address(request))
    except AccountError as exc:
        session.rollback()
        return _page(request, ws, session, error=str(exc), status_code=400)
    session.commit()
    return RedirectResponse("/users?done=added", status_code=303)


def _change(request: Request, session: Session, ws: WebSession, done: str, change: object) -> Response:
    try:
        change()  # type: ignore[operator]
    except AccountError as exc:
        session.rollback()
        return _page(request, ws, session, error=str(exc), status_code=400)
    session.commit()
    return RedirectResponse(f"/users?done={done}", status_code=303)


@router.post("/unlock")
def unlock(request: Request, user: User = Depends(admin), form: FormData = Depends(signed_in_form),
           ws: WebSession = Depends(web_session), session: Session = Depends(db)) -> Response:
    name = str(form.get("name") or "")
    return _change(request, session, ws, "unlocked",
                   lambda: accounts.clear_failures(session, user.name, name, client_address(request)))


@router.post("/role")
def change_role(request: Request, user: User = Depends(admin), form: FormData = Depends(signed_in_form),
                ws: WebSession = Depends(web_session), session: Session = Depends(db)) -> Response:
    name, role = str(form.get("name") or ""), str(form.get("role") or "")
    return _change(request, session, ws, "role",
                   lambda: accounts.set_role(session, user.name, name, role, client_address(request)))


@router.post("/disable")
def disable(request: Request, user: User = Depends(admin), form: FormData = Depends(signed_in_form),
            ws: WebSession = Depends(web_session), session: Session = Depends(db)) -> Response:
    name, turn_off = str(form.get("name") or ""), str(form.get("disabled") or "") == "yes"
    return _change(request, session, ws, "disabled" if turn_off else "enabled",
                   lambda: accounts.set_disabled(session, user.name, name, turn_off, client_address(request)))


@router.post("/two-factor-reset")
def reset_two_factor(request: Request, user: User = Depends(admin), form: FormData = Depends(signed_in_form),
                     ws: WebSession = Depends(web_session), session: Session = Depends(db)) -> Response:
    name = str(form.get("name") or "")
    return _change(request, session, ws, "two_factor_reset",
                   lambda: accounts.reset_two_factor(session, user.name, name, client_address(request)))


@router.post("/two-factor-required")
def require_two_factor(request: Request, user: User = Depends(admin), form: FormData = Depends(signed_in_form),
                       ws: WebSession = Depends(web_session), session: Session = Depends(db)) -> Response:
    required = str(form.get("required") or "") == "yes"
    return _change(request, session, ws, "required" if required else "optional",
                   lambda: accounts.set_two_factor_required(session, user.name, required, client_address(request)))


password_router = APIRouter(prefix="/account")


def _account(request: Request, ws: WebSession, session: Session, user: User, error: str | None = None,
             done: str = "", status_code: int = 200) -> Response:
    return render(request, "account.html", {
        "ws": ws, "error": error, "done": done, "must_change": user.must_change_password,
        "two_factor_required": accounts.two_factor_required(session), "min_password": accounts.MIN_PASSWORD},
        status_code=status_code)


@password_router.get("")
def account_page(request: Request, user: User = Depends(signed_in_any), ws: WebSession = Depends(web_session),
                 session: Session = Depends(db)) -> Response:
    done = {"password": "Password changed", "two_factor": "Two-factor sign-in is set up"}.get(
        request.query_params.get("done", ""), "")
    return _account(request, ws, session, user, done=done)


@password_router.post("")
def change_password(request: Request, user: User = Depends(signed_in_any), form: FormData = Depends(account_form),
                    ws: WebSession = Depends(web_session), session: Session = Depends(db)) -> Response:
    new = str(form.get("new_password") or "")
    current = str(form.get("current_password") or "")
    error = None
    if accounts.check_password_of(session, user.name, current) is None:
        error = "Your current password is not right"
    elif new != str(form.get("confirm_password") or ""):
        error = "The new passwords are not the same"
    elif new == current:
        error = "Choose a new password, not the one you have now"
    if error is None:
        try:
            accounts.change_password(session, user.name, new, client_address(request))
        except AccountError as exc:
            error = str(exc)
    if error is not None:
        session.rollback()
        return _account(request, ws, session, user, error=error, status_code=400)
    session.commit()
    found = users.find_user(session, user.name)
    start_session(request, found[0] if found else None)  # this session goes on; every other one has ended
    return RedirectResponse("/account?done=password", status_code=303)


@password_router.get("/two-factor")
def two_factor_page(request: Request, user: User = Depends(signed_in_any), ws: WebSession = Depends(web_session),
                    session: Session = Depends(db)) -> Response:
    secret = accounts.new_totp_secret()
    return _two_factor(request, ws, session, user, secret)


def _two_factor(request: Request, ws: WebSession, session: Session, user: User, secret: str,
                error: str | None = None, status_code: int = 200) -> Response:
    return render(request, "two_factor.html", {
        "ws": ws, "secret": secret, "secret_groups": " ".join(secret[i:i + 4] for i in range(0, len(secret), 4)),
        "uri": accounts.totp_uri(secret, user.name), "error": error, "enrolled": user.totp_enrolled,
        "required": accounts.two_factor_required(session)}, status_code=status_code)


@password_router.post("/two-factor")
def enrol_two_factor(request: Request, user: User = Depends(signed_in_any), form: FormData = Depends(account_form),
                     ws: WebSession = Depends(web_session), session: Session = Depends(db)) -> Response:
    secret = str(form.get("secret") or "")
    try:
        accounts.enrol_totp(session, user.name, secret, str(form.get("code") or ""), accounts.utcnow(),
                            client_address(request))
    except AccountError as exc:
        session.rollback()
        if not secret or len(secret) != 32:
            secret = accounts.new_totp_secret()
        return _two_factor(request, ws, session, user, secret, error=str(exc), status_code=400)
    session.commit()
    found = users.find_user(session, user.name)
    start_session(request, found[0] if found else None)
    return RedirectResponse("/account?done=two_factor", status_code=303)
