"""The review web app: `create_app(settings, engine) -> FastAPI`.

Serves the GOV.UK Frontend assets itself, sets the security headers on every response (CSP with
no inline script, no framing, nosniff), and maps every error to a GOV.UK page with the navigation
in one place: review errors, unknown paths (404) and methods (405), malformed or out-of-range ids
in a path (404: an id is a positive 32-bit number, as the database keeps it), malformed query
values (400), and any failure of the service itself (500, logged with the path only).
"""
from __future__ import annotations

import logging
import os
import secrets
from pathlib import Path
from typing import Any
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException
from sqlalchemy.engine import Engine
from sqlmodel import Session

from config.settings import Settings
from notifier.templating import make_env
from review import activity, case, casework, pages, quarantine, queue, raw_message, reports, signin, team
from review import councils, manual, sao  # referrals out: by hand, to other councils, for an SAO
from review import models  # calibration and classifier versions
from review.errors import (CsrfRefused, Forbidden, NotFound, NotSignedIn, PasswordChangeRequired, ReviewError,
                           TwoFactorRequired)
from review.session import MAX_AGE, cookie_name, secure_cookies, user_of_request

log = logging.getLogger(__name__)
ROUTERS = (signin.router, queue.router, case.router, casework.router, raw_message.router, reports.router,
           quarantine.router, team.router, team.password_router, activity.router)
ROUTERS += (manual.router, councils.router, sao.router, models.router)
MAX_ID = 2**31 - 1  # ids are INTEGER columns: a larger number in a path is no page, not a database error
STATUS_WORDS = {
    400: ("There is a problem with the address", "The address has a value the service cannot read. "
          "Check the address, or go back and use the links on the page."),
    404: ("Page not found", "If you typed the address, check it is correct. If you pasted it, check you "
          "copied the whole address."),
    405: ("This page cannot do that", "The page exists, but not for what your browser asked of it."),
    500: ("Sorry, there is a problem with the service", "Nothing was changed. Try again later."),
}
STATIC_DIR = Path(__file__).resolve().parent / "static"
CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
       "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
SECURITY_HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
}


class QueryRedactor(logging.Filter):
    """Drops query strings from uvicorn's access log: a queue search carries a child's name."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple) and len(record.args) >= 3 and isinstance(record.args[2], str):
            path, sep, _ = record.args[2].partition("?")
            if sep:
                record.args = (*record.args[:2], f"{path}?…", *record.args[3:])
        return True


def _redact_access_log() -> None:
    access = logging.getLogger("uvicorn.access")
    if not any(isinstance(f, QueryRedactor) for f in access.filters):
        access.addFilter(QueryRedactor())


def secret_key(settings: Settings) -> str:
    """CME_SECRET_KEY, or a key generated once and kept (mode 0600) in the data dir."""
    if settings.web.secret_key:
        return settings.web.secret_key
    path = settings.data_dir / "review-secret-key"
    if path.is_file():
        return path.read_text(encoding="ascii").strip()
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(48)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # another worker made it first
        return path.read_text(encoding="ascii").strip()
    with os.fdopen(fd, "w", encoding="ascii") as out:
        out.write(key)
    return key


def _error_words(exc: ReviewError) -> tuple[str, str]:
    if isinstance(exc, NotSignedIn):
        return "Sign in to continue", "You were signed out, so nothing was changed."
    if isinstance(exc, CsrfRefused):
        return ("This form has expired", "Nothing was changed. Forms stop working when you sign out or sign in "
                "again: go back, reload the page and try again.")
    if isinstance(exc, NotFound):
        return "Page not found", str(exc)
    if isinstance(exc, Forbidden):
        return "You cannot do that", str(exc)
    return "There is a problem", str(exc)


def _id_out_of_range(path: str) -> bool:
    """A path segment that is a number too large (or too long) to be an id of anything."""
    for segment in path.split("/"):
        digits = segment.lstrip("+-")
        if digits.isdigit() and (len(digits) > 12 or int(digits) > MAX_ID):
            return True
    return False


def _error_page(request: Request, status: int, title: str | None = None, message: str | None = None,
                headers: dict[str, str] | None = None) -> HTMLResponse:
    words = STATUS_WORDS.get(status, ("There is a problem", ""))
    try:
        user, csrf = user_of_request(request)
    except Exception:  # the database itself may be what failed: the page is still shown, without a user
        user, csrf = None, ""
    html = pages.render_error(request, status, title or words[0], words[1] if message is None else message,
                              user, csrf)
    # the security headers here too: a 500 page leaves through no middleware of ours
    return HTMLResponse(html, status_code=status, headers={**SECURITY_HEADERS, "Cache-Control": "no-store",
                                                           **(headers or {})})


def create_app(settings: Settings, engine: Engine) -> FastAPI:
    app = FastAPI(title="CME inbox review", docs_url=None, redoc_url=None, openapi_url=None)
    app.state.settings = settings
    app.state.session_factory = lambda: Session(engine)
    app.state.secret_key = secret_key(settings)
    app.state.templates = pages.templates()
    app.state.mail_env = make_env()
    secure = secure_cookies(settings.web.secure_cookies, settings.web.host)
    app.state.cookie_name = cookie_name(secure)
    _redact_access_log()

    @app.middleware("http")  # added first, so it runs inside `headers`: its pages get the headers too
    async def ids_in_range(request: Request, call_next: Any) -> Response:
        if _id_out_of_range(request.url.path):
            return _error_page(request, 404)
        return await call_next(request)

    @app.middleware("http")
    async def headers(request: Request, call_next: Any) -> Response:
        response: Response = await call_next(request)
        cookie = getattr(request.state, "set_session_cookie", None)
        if cookie is not None:
            response.set_cookie(app.state.cookie_name, cookie, max_age=MAX_AGE, httponly=True, secure=secure,
                                samesite="lax", path="/")
        for name, value in SECURITY_HEADERS.items():
            response.headers.setdefault(name, value)
        if not request.url.path.startswith(("/static/", "/assets/")):
            response.headers["Cache-Control"] = "no-store"
        return response

    @app.exception_handler(ReviewError)
    def review_error(request: Request, exc: ReviewError) -> Response:
        if request.method in ("GET", "HEAD"):
            if isinstance(exc, NotSignedIn):
                target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
                return RedirectResponse(f"/sign-in?next={quote(target, safe='')}", status_code=303)
            if isinstance(exc, PasswordChangeRequired):
                return RedirectResponse("/account", status_code=303)
            if isinstance(exc, TwoFactorRequired):
                return RedirectResponse("/account/two-factor", status_code=303)
        title, message = _error_words(exc)
        return _error_page(request, exc.status, title, message)

    @app.exception_handler(StarletteHTTPException)
    def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        headers = dict(exc.headers or {})
        detail = None if exc.status_code in STATUS_WORDS or not isinstance(exc.detail, str) else exc.detail
        return _error_page(request, exc.status_code, message=detail, headers=headers)

    @app.exception_handler(RequestValidationError)
    def validation_error(request: Request, exc: RequestValidationError) -> Response:
        in_path = any((e.get("loc") or ("",))[0] == "path" for e in exc.errors())
        return _error_page(request, 404 if in_path else 400)

    @app.exception_handler(Exception)
    def server_error(request: Request, exc: Exception) -> Response:
        log.error("review screen failed on %s %s: %s", request.method, request.url.path, type(exc).__name__)
        return _error_page(request, 500)

    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    app.mount("/assets", StaticFiles(directory=STATIC_DIR / "govuk" / "assets"), name="assets")
    for router in ROUTERS:
        app.include_router(router)
    return app
