"""Rendering pages: the jinja2 environment (our templates plus the GOV.UK Frontend macros).

Autoescaping is on for every template, so text from a message is always shown as text.
"""
from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates
from jinja2 import ChoiceLoader, Environment, FileSystemLoader, PackageLoader, PrefixLoader

from extraction.model import CATEGORIES

LONDON = ZoneInfo("Europe/London")
TEMPLATE_DIR = Path(__file__).resolve().parent.parent / "templates" / "review"

CATEGORY_LABELS = {
    "cme_referral": "CME referral", "roll_removal": "Removal from roll", "la_enquiry": "LA enquiry",
    "case_update": "Case update", "ehe": "Elective home education", "attendance": "Attendance",
    "reduced_hours": "Reduced hours", "auto_reply": "Automatic reply", "bounce": "Delivery failure",
    "other": "Other",
}
STATUS_LABELS = {
    "new": "To review", "accepted": "Accepted", "enquiries": "Making enquiries", "closed": "Closed",
    "rejected": "Not CME", "forwarded": "Forwarded", "duplicate": "Duplicate", "attached": "Attached to a case",
}
assert set(CATEGORY_LABELS) == set(CATEGORIES)


def _when(value: datetime | str | None) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value)
        except ValueError:
            return value
    if value.tzinfo is not None:
        value = value.astimezone(LONDON)
    return value.strftime("%-d %b %Y %H:%M")


def _percent(value: float | None) -> str:
    return "" if value is None else f"{round(float(value) * 100)}%"


def templates() -> Jinja2Templates:
    loader = ChoiceLoader([
        FileSystemLoader(TEMPLATE_DIR),
        PrefixLoader({"govuk_frontend_jinja": PackageLoader("govuk_frontend_jinja", "templates")}),
    ])
    env = Environment(loader=loader, autoescape=True, trim_blocks=True, lstrip_blocks=True)
    env.filters["when"] = _when
    env.filters["percent"] = _percent
    env.globals.update(category_labels=CATEGORY_LABELS, status_labels=STATUS_LABELS)
    from review import history  # it reads this module's labels

    env.globals["history_lines"] = history.lines
    return Jinja2Templates(env=env)


def render(request: Request, name: str, context: dict[str, Any], status_code: int = 200) -> HTMLResponse:
    """A page, with the signed-in user and the CSRF token every form needs."""
    ws = context.pop("ws", None)
    base = {"user": ws.user if ws else None, "csrf_token": ws.csrf if ws else "",
            "path": request.url.path}
    return request.app.state.templates.TemplateResponse(request, name, {**base, **context},
                                                        status_code=status_code)


def render_error(request: Request, status: int, title: str, message: str, user: Any = None,
                 csrf_token: str = "") -> str:
    """An error page; with the signed-in `user` (and their session's CSRF token, for the sign-out
    button) it shows the navigation."""
    template = request.app.state.templates.get_template("error.html")
    return template.render(request=request, user=user, csrf_token=csrf_token, path=request.url.path,
                           status=status, title=title, message=message)
