"""Entering a referral by hand: from a phone call, a letter, a visit, or a quarantined message.

The form has the fields of the case page and is checked by the same code (`record_form`), so a
hand-entered value is normalised and refused exactly as an edit would be. The case records that
it was entered by hand, by whom and from what (`entered_by_hand` in the record, and the audit
trail); a call, letter or visit keeps the officer's account of it as the case's message.
"""
from __future__ import annotations

import email.policy
import uuid
from datetime import datetime
from email.message import EmailMessage
from email.utils import format_datetime, formataddr
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response
from sqlmodel import Session
from starlette.datastructures import FormData

from extraction import missing_out
from extraction.model import SAFEGUARDING, SCHEMA, MissingOut, missing_out_to_dict
from review import record_form
from review.accounts import utcnow
from review.errors import NotFound
from review.pages import render
from review.session import WebSession, db, signed_in, signed_in_form, web_session
from store import audit, manual, message_text
from store.users import User

router = APIRouter(prefix="/new-case")
CHANNELS = {"phone": "a phone call", "letter": "a letter", "in_person": "a conversation in person"}
MANUAL_CATEGORIES = ("cme_referral", "roll_removal", "la_enquiry", "ehe", "attendance", "reduced_hours", "other")
ACCOUNT_LIMIT = 20_000
RULE = "manual.entered_by_hand"


def _empty_record() -> dict[str, Any]:
    return {"schema": SCHEMA, "source": {"file": None, "message_id": None, "from": None, "subject": None, "date": None},
            "category": "cme_referral", "case_reference": None, "urgent": False, "safeguarding": [],
            "acknowledge": False, "needs_review": False, "review_reasons": [],
            "referrer": {spec.key: None for spec in record_form.REFERRER_FIELDS},
            "children": [record_form.empty_child()], "parents_carers": [record_form.empty_parent()]}


def _rows(prefix: str, specs: tuple[record_form.FieldSpec, ...], form: FormData | None,
          errors: dict[str, str]) -> list[dict[str, Any]]:
    return [{"path": f"{prefix}.{s.key}", "id": "f-" + f"{prefix}.{s.key}".replace(".", "-").replace("_", "-"),
             "spec": s, "value": str(form.get(f"{prefix}.{s.key}") or "") if form else "",
             "error": errors.get(f"{prefix}.{s.key}")} for s in specs]


def _page(request: Request, ws: WebSession, session: Session, entry_id: int | None, form: FormData | None = None,
          errors: dict[str, str] | None = None, status_code: int = 200) -> Response:
    errors = errors or {}
    quarantined = manual.quarantined_source(session, entry_id) if entry_id is not None else None
    if entry_id is not None and quarantined is None:
        raise NotFound("There is no quarantined message with that number.")
    return render(request, "manual.html", {
        "ws": ws, "entry_id": entry_id, "quarantined": quarantined, "channels": CHANNELS,
        "categories": MANUAL_CATEGORIES, "safeguarding_flags": SAFEGUARDING,
        "referrer": _rows("referrer", record_form.REFERRER_FIELDS, form, errors),
        "child": _rows("children.0", record_form.CHILD_FIELDS, form, errors),
        "parent": _rows("parents_carers.0", record_form.PARENT_FIELDS, form, errors),
        "typed": {k: str(v) for k, v in form.items()} if form else {"category": "cme_referral"},
        "chosen_flags": set(form.getlist("safeguarding")) if form else set(),
        "errors": errors,
        "error_list": [{"text": (record_form.path_label(p) + ": " if "." in p else "") + m, "href": f"#{_anchor(p)}"}
                       for p, m in errors.items()],
    }, status_code=status_code)


def _anchor(path: str) -> str:
    return {"channel": "channel-phone", "account": "account", "category": "f-category"}.get(
        path, "f-" + path.replace(".", "-").replace("_", "-"))


def _entry_id(value: Any) -> int | None:
    text = str(value or "").strip()
    return int(text) if text.isdigit() else None


@router.get("")
def new_case_page(request: Request, entry: str = "", user: User = Depends(signed_in),
                  ws: WebSession = Depends(web_session), session: Session = Depends(db)) -> Response:
    entry_id = _entry_id(entry)
    if entry_id is not None:
        made = manual.case_of_message(session, entry_id)
        if made is not None:
            return RedirectResponse(f"/cases/{made.id}", status_code=303)
    return _page(request, ws, session, entry_id)


def _has_value(node: Any) -> bool:
    if isinstance(node, dict):
        return "value" in node and node.get("value") not in (None, "") or any(_has_value(v) for v in node.values())
    return False


def _account_raw(account: str, words: str, user: User, message_id: str, now: datetime, teams: Any) -> bytes:
    """The officer's account of a call, letter or visit, kept as the case's message (plain text)."""
    msg = EmailMessage(policy=email.policy.SMTP)
    msg["From"] = formataddr((f"{user.name} (entered by hand)", teams.cme))
    msg["To"] = teams.cme
    msg["Subject"] = f"Entered by hand: {words}"
    msg["Date"] = format_datetime(now)
    msg["Message-ID"] = message_id
    msg.set_content(account)
    return msg.as_bytes()


def build_record(form: FormData) -> tuple[dict[str, Any], dict[str, str]]:
    """The contract record the form describes (values normalised as an edit would be), and errors by path."""
    fields = _FormView(form, ("csrf_token", "entry", "channel", "account", "category", "urgent", "safeguarding",
                              "flags_present"))
    record, _, errors = record_form.apply_edits(_empty_record(), fields)  # type: ignore[arg-type]
    category = str(form.get("category") or "")
    if category not in MANUAL_CATEGORIES:
        errors["category"] = "choose what kind of referral this is"
    record["category"] = category if category in MANUAL_CATEGORIES else "other"
    record["safeguarding"] = [s for s in SAFEGUARDING if s in set(form.getlist("safeguarding"))]
    record["urgent"] = "urgent" in form
    for section in (record["referrer"], *record["children"], *record["parents_carers"]):
        _mark_entered(section)
    record["parents_carers"] = [p for p in record["parents_carers"] if _has_value(p)]
    return record, errors


def _mark_entered(node: dict[str, Any]) -> None:
    for key, value in node.items():
        if isinstance(value, dict) and "value" in value:
            value["source"] = {"part": "derived", "start": None, "end": None, "text": None, "rule": RULE}
        elif isinstance(value, dict):
            _mark_entered(value)


class _FormView:
    """A FormData with some keys left out (the record form must not see them)."""

    def __init__(self, form: FormData, drop: tuple[str, ...]) -> None:
        self._items = [(k, v) for k, v in form.multi_items() if k not in drop]

    def __contains__(self, key: object) -> bool:
        return any(k == key for k, _ in self._items)

    def __getitem__(self, key: str) -> Any:
        return next(v for k, v in self._items if k == key)

    def get(self, key: str, default: Any = None) -> Any:
        return next((v for k, v in self._items if k == key), default)

    def getlist(self, key: str) -> list[Any]:
        return [v for k, v in self._items if k == key]

    def items(self) -> list[tuple[str, Any]]:
        return list(dict(self._items).items())


@router.post("")
def create_case(request: Request, user: User = Depends(signed_in), form: FormData = Depends(signed_in_form),
                ws: WebSession = Depends(web_session), session: Session = Depends(db)) -> Response:
    now = utcnow()
    entry_id = _entry_id(form.get("entry"))
    channel = "quarantined" if entry_id is not None else str(form.get("channel") or "")
    account = str(form.get("account") or "").strip()
    record, errors = build_record(form)
    if entry_id is None and channel not in CHANNELS:
        errors["channel"] = "say how the referral came to you"
    if entry_id is None and not account:
        errors["account"] = "write down what you were told or what the letter says"
    if len(account) > ACCOUNT_LIMIT:
        errors["account"] = f"at most {ACCOUNT_LIMIT} characters"
    child = record["children"][0]
    if not (_has_value(child.get("first_name")) or _has_value(child.get("last_name"))) and not account:
        errors["children.0.first_name"] = "give the child's name, or describe the child in your account"
    if entry_id is not None:
        made = manual.case_of_message(session, entry_id)
        if made is not None:
            return RedirectResponse(f"/cases/{made.id}", status_code=303)
    if errors:
        return _page(request, ws, session, entry_id, form, errors, status_code=400)
    record["entered_by_hand"] = {"by": user.name, "from": channel, "ledger_entry": entry_id, "at": now.isoformat()}
    texts = [("body", account)] if account else []
    review = bool(record["urgent"])
    teams = request.app.state.settings.teams
    message_id = f"<cme.manual.{uuid.uuid4().hex}@{teams.cme.rsplit('@', 1)[-1]}>"
    source = manual.quarantined_source(session, entry_id) if entry_id is not None else None
    if entry_id is not None and source is None:
        raise NotFound("There is no quarantined message with that number.")
    readable = _readable(source) if source is not None else None
    if source is not None and readable is not None:
        record["source"] = dict(source.source)
        _set_missing_out(record, texts + readable)
        saved = manual.save_case_from_quarantined(session, entry_id=source.entry_id, record=record, now=now,
                                                  review=review, entered_by=user.name)
        if account:  # the officer's notes on the message go on the case as a note
            audit.record_event(session, user.name, "note", now, case_id=saved.id, detail={"text": account[:5000]})
    else:
        if source is not None:  # a message that cannot be opened safely: the case rests on the officer's notes
            account = (account or "(no notes)") + (f"\n\n[Entered from quarantined message {source.entry_id}, "
                                                   "which the service could not open: read it from the quarantine page.]")
        referrer_email = (record["referrer"].get("email") or {}).get("value")
        words = CHANNELS.get(channel, f"quarantined message {entry_id}")
        record["source"] = {"file": None, "message_id": message_id, "from": referrer_email,
                            "subject": f"Entered by hand: {words}", "date": now.isoformat()}
        _set_missing_out(record, texts)
        raw = _account_raw(account, words, user, message_id, now, teams)
        text = message_text.ReadText(message_text.HeaderFacts(
            teams.cme, f"{user.name} (entered by hand)", (teams.cme,), f"Entered by hand: {words}", now.isoformat()),
            (message_text.TextPart("body", "plain", account),))
        saved = manual.save_entered_case(session, record=record, raw=raw, message_id=message_id, now=now,
                                         review=review, entered_by=user.name, channel=channel, quarantined=entry_id,
                                         text=text)
    detail: dict[str, Any] = {"from": channel, "reference": saved.reference}
    if entry_id is not None:
        detail["ledger_entry"] = entry_id
    audit.record_event(session, user.name, "entered_by_hand", now, case_id=saved.id, detail=detail)
    session.commit()
    return RedirectResponse(f"/cases/{saved.id}?entered=1", status_code=303)


def _readable(source: manual.QuarantinedSource) -> list[tuple[str, str]] | None:
    """The text the reader kept of the message (none when it could not read it: nothing here parses mail);
    None for a poison message (it stopped the process before), which must not rest a case on itself."""
    if source.poison:
        return None
    kept = source.kept
    return [(p.part, p.text) for p in kept.parts] if kept is not None and kept.read else []


def _set_missing_out(record: dict[str, Any], texts: list[tuple[str, str]]) -> None:
    referrer_type = (record["referrer"].get("type") or {}).get("value")
    mark: MissingOut | None = missing_out.assess(texts, referrer_type, record["category"])
    if mark is not None:
        record["missing_out"] = missing_out_to_dict(mark)
