"""Web sessions of the review screen: a signed cookie, the signed-in user, and CSRF checks.

The cookie (itsdangerous, HttpOnly, SameSite=Lax, Secure per CME_SECURE_COOKIES) carries the user
name, the account's session version and the CSRF token every form posts back. The version is
checked against the account on every request: signing out, a password change, disabling the
account, a role change or a new second factor bump it, which ends every cookie issued before.
Sessions last at most eight hours. Between the password and the TOTP code the cookie names the
account as "half signed in" for five minutes; that is not a session of the account.

A signed-in account whose password was chosen by someone else is sent to change it, and one
without a second factor when an admin requires it of everyone is sent to set one up, before any
other page (`signed_in`); the account pages themselves use `signed_in_any`.
"""
from __future__ import annotations

import hmac
import secrets
import time
from collections.abc import Iterator
from dataclasses import dataclass
from ipaddress import ip_address
from urllib.parse import urlsplit

from fastapi import Depends, Request
from itsdangerous import BadSignature, URLSafeTimedSerializer
from sqlmodel import Session
from starlette.datastructures import FormData

from review.accounts import two_factor_required
from review.errors import CsrfRefused, Forbidden, NotSignedIn, PasswordChangeRequired, TwoFactorRequired
from store import users
from store.users import User

COOKIE = "cme_session"
MAX_AGE = 8 * 3600
HALF_MAX_AGE = 5 * 60  # between a right password and the TOTP code


@dataclass(frozen=True)
class WebSession:
    user: User | None
    csrf: str
    half: str | None = None  # the account whose password was right, awaiting its TOTP code


def client_address(request: Request) -> str:
    """The client's address as the server saw it (behind a proxy, uvicorn's forwarded-allow-ips
    decides whether X-Forwarded-For is believed)."""
    return (request.client.host if request.client else "") or "unknown"


def secure_cookies(setting: str, host: str) -> bool:
    """"auto" means Secure unless the screen is served on a loopback address over plain http."""
    if setting in ("true", "false"):
        return setting == "true"
    if host in ("localhost", ""):
        return False
    try:
        return not ip_address(host).is_loopback
    except ValueError:
        return True


def cookie_name(secure: bool) -> str:
    """`__Host-` binds a Secure cookie to this host and path "/" (browsers enforce it)."""
    return f"__Host-{COOKIE}" if secure else COOKIE


def serializer(secret_key: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(secret_key, salt="cme-review-session")


def db(request: Request) -> Iterator[Session]:
    """One database session per request, closed afterwards."""
    with request.app.state.session_factory() as session:
        yield session


def web_session(request: Request, session: Session = Depends(db)) -> WebSession:
    """The request's session; an absent, forged, expired or ended one becomes a new anonymous one."""
    raw = request.cookies.get(request.app.state.cookie_name, "")
    data: dict[str, object] = {}
    if raw:
        try:
            loaded = serializer(request.app.state.secret_key).loads(raw, max_age=MAX_AGE)
            data = loaded if isinstance(loaded, dict) else {}
        except BadSignature:
            data = {}
    csrf = data.get("c")
    if not isinstance(csrf, str) or len(csrf) < 20:
        return start_session(request, None)
    name = data.get("u")
    if name is not None:
        user = _current(session, name, data.get("v"))
        return WebSession(user=user, csrf=csrf) if user is not None else start_session(request, None)
    half = data.get("h")
    if half is not None:
        started = data.get("ht")
        fresh = isinstance(started, int) and 0 <= time.time() - started <= HALF_MAX_AGE
        if not fresh or _current(session, half, data.get("v")) is None:
            return start_session(request, None)
        return WebSession(user=None, csrf=csrf, half=str(half))
    return WebSession(user=None, csrf=csrf)


def _current(session: Session, name: object, version: object) -> User | None:
    """The account, if the cookie's version is still the account's and it is not disabled."""
    if not isinstance(name, str):
        return None
    found = users.find_user(session, name)
    if found is None or found[0].session_version != version or found[0].disabled:
        return None
    return found[0]


def start_session(request: Request, user: User | None, half: User | None = None) -> WebSession:
    """A fresh session (new CSRF token) whose cookie the response will carry; `half`: the account
    whose password was right and whose TOTP code comes next."""
    ws = WebSession(user=user, csrf=secrets.token_urlsafe(32), half=half.name if half else None)
    payload: dict[str, object] = {"u": user.name if user else None, "v": user.session_version if user else None,
                                  "c": ws.csrf}
    if half is not None and user is None:
        payload.update(h=half.name, v=half.session_version, ht=int(time.time()))
    request.state.set_session_cookie = serializer(request.app.state.secret_key).dumps(payload)
    return ws


def user_of_request(request: Request) -> tuple[User | None, str]:
    """The signed-in account of a request that went through no route (error pages) and its CSRF
    token, or (None, "")."""
    raw = request.cookies.get(request.app.state.cookie_name, "")
    if not raw:
        return None, ""
    try:
        data = serializer(request.app.state.secret_key).loads(raw, max_age=MAX_AGE)
    except BadSignature:
        return None, ""
    if not isinstance(data, dict) or data.get("u") is None or not isinstance(data.get("c"), str):
        return None, ""
    with request.app.state.session_factory() as session:
        user = _current(session, data.get("u"), data.get("v"))
    return (user, str(data["c"])) if user is not None else (None, "")


def signed_in_any(ws: WebSession = Depends(web_session)) -> User:
    """The signed-in account, even one that must change its password or set up a second factor."""
    if ws.user is None:
        raise NotSignedIn()
    return ws.user


def signed_in(user: User = Depends(signed_in_any), session: Session = Depends(db)) -> User:
    """The signed-in account, once it has done what it must first (new password, second factor)."""
    if user.must_change_password:
        raise PasswordChangeRequired("Change your password before you go on.")
    if not user.totp_enrolled and two_factor_required(session):
        raise TwoFactorRequired("Set up two-factor sign-in before you go on.")
    return user


def admin(user: User = Depends(signed_in)) -> User:
    if user.role != "admin":
        raise Forbidden("Only an admin may do this.")
    return user


async def checked_form(request: Request, ws: WebSession = Depends(web_session)) -> FormData:
    """The posted form, once its CSRF token matches the session's and its origin is this site."""
    origin = request.headers.get("origin")
    if origin and urlsplit(origin).netloc != request.headers.get("host", ""):
        raise CsrfRefused("cross-site form")
    form = await request.form()
    token = form.get("csrf_token")
    if not isinstance(token, str) or not hmac.compare_digest(token, ws.csrf):
        raise CsrfRefused("missing or wrong CSRF token")
    return form


async def signed_in_form(user: User = Depends(signed_in), form: FormData = Depends(checked_form)) -> FormData:
    """A CSRF-checked form from a signed-in user (check the session first, so no session -> 403)."""
    return form


async def account_form(user: User = Depends(signed_in_any), form: FormData = Depends(checked_form)) -> FormData:
    """A CSRF-checked form from a signed-in account that may still have to change its password or
    set up a second factor (the account pages)."""
    return form
