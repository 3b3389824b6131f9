"""The review web app: `create_app(settings, engine) -> FastAPI`.

Serves the GOV.UK Frontend assets itself, sets the security headers on every response (CSP with
no inline script, no framing, nosniff), and maps review errors to HTTP statuses in one place.
"""
from __future__ import annotations

import logging
import os
import secrets
from pathlib import Path
from typing import Any
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from sqlalchemy.engine import Engine
from sqlmodel import Session

from config.settings import Settings
from notifier.templating import make_env
from review import case, casework, pages, quarantine, queue, reports, signin, team
from review import councils, manual, sao  # referrals out: by hand, to other councils, for an SAO
from review.errors import CsrfRefused, Forbidden, NotFound, NotSignedIn, ReviewError
from review.session import MAX_AGE, cookie_name, secure_cookies

ROUTERS = (signin.router, queue.router, case.router, casework.router, reports.router, quarantine.router, team.router,
           team.password_router)
ROUTERS += (manual.router, councils.router, sao.router)
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
    async def review_error(request: Request, exc: ReviewError) -> Response:
        if isinstance(exc, NotSignedIn) and request.method in ("GET", "HEAD"):
            target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
            return RedirectResponse(f"/sign-in?next={quote(target, safe='')}", status_code=303)
        title, message = _error_words(exc)
        return HTMLResponse(pages.render_error(request, exc.status, title, message), status_code=exc.status)

    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    app.mount("/assets", StaticFiles(directory=STATIC_DIR / "govuk" / "assets"), name="assets")
    for router in ROUTERS:
        app.include_router(router)
    return app
