"""Web sessions of the review screen: a signed cookie, the signed-in user, and CSRF checks.

The cookie (itsdangerous, HttpOnly, SameSite=Lax, Secure per CME_SECURE_COOKIES) carries the user
name, the account's session version (bumped at sign-out, which ends every cookie issued before)
and the CSRF token every form posts back. Sessions last at most eight hours.
"""
from __future__ import annotations

import hmac
import secrets
from collections.abc import Iterator
from dataclasses import dataclass
from ipaddress import ip_address
from urllib.parse import urlsplit

from fastapi import Depends, Request
from itsdangerous import BadSignature, URLSafeTimedSerializer
from sqlmodel import Session
from starlette.datastructures import FormData

from review.errors import CsrfRefused, Forbidden, NotSignedIn
from store import users
from store.users import User

COOKIE = "cme_session"
MAX_AGE = 8 * 3600


@dataclass(frozen=True)
class WebSession:
    user: User | None
    csrf: str


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
    user: User | None = None
    name = data.get("u")
    if isinstance(name, str):
        found = users.find_user(session, name)
        if found is not None and found[0].session_version == data.get("v"):
            user = found[0]
    if not isinstance(csrf, str) or len(csrf) < 20:
        return start_session(request, None)
    if name is not None and user is None:
        return start_session(request, None)
    return WebSession(user=user, csrf=csrf)


def start_session(request: Request, user: User | None) -> WebSession:
    """A fresh session (new CSRF token) whose cookie the response will carry."""
    ws = WebSession(user=user, csrf=secrets.token_urlsafe(32))
    payload = {"u": user.name if user else None, "v": user.session_version if user else None, "c": ws.csrf}
    request.state.set_session_cookie = serializer(request.app.state.secret_key).dumps(payload)
    return ws


def signed_in(ws: WebSession = Depends(web_session)) -> User:
    if ws.user is None:
        raise NotSignedIn()
    return ws.user


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
