"""The casework part of the case page: who owns the case, take it or give it to another officer,
the reasonable enquiries log, why the child is missing education, close with a reason, reopen.

Every form posts the version of the case it was shown; a change made on an older version is
refused and the page says what changed since (review.case renders it).
"""
from __future__ import annotations

from datetime import date
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response
from sqlmodel import Session
from starlette.datastructures import FormData

from config.settings import CaseworkSettings
from review import case as case_page
from review.accounts import utcnow
from review.errors import ReviewError
from review.lifecycle import ENQUIRY_KIND_LABELS, first_contact_due, is_overdue, told_on
from review.pages import LONDON, STATUS_LABELS
from review.record_form import parse_date
from review.session import WebSession, db, signed_in, signed_in_form, web_session
from store import audit, casework as store_casework, labels as store_labels
from store.errors import NotAllowed, StaleChange
from store.queue import CaseDetail
from store.users import User, list_users

router = APIRouter(prefix="/cases")
MAX_TEXT = 5000


def settings_of(request: Request) -> CaseworkSettings:
    casework = request.app.state.settings.casework
    assert casework is not None, "settings come from config.settings.load_settings"
    return casework


def today() -> date:
    return utcnow().astimezone(LONDON).date()


def context(request: Request, session: Session, case: CaseDetail) -> dict[str, Any]:
    """What _lifecycle.html and _enquiries.html show."""
    casework = settings_of(request)
    c = case.summary
    reason = casework.closing_reason(c.closing_reason or "")
    return {
        "owner": c.owner, "officers": [u.name for u in list_users(session)],
        "told_on": told_on(c), "due_on": first_contact_due(c, casework),
        "overdue": is_overdue(c, casework, today()), "today": today(),
        "first_contact_school_days": casework.first_contact_school_days,
        "closing_reasons": casework.closing_reasons, "closing": reason,
        "cme_reasons": casework.cme_reasons, "cme_reason_label": dict(casework.cme_reasons).get(c.cme_reason or ""),
        "enquiries": store_casework.enquiries_of(session, c.id), "enquiry_kinds": ENQUIRY_KIND_LABELS,
    }


def posted_version(form: FormData) -> int:
    try:
        return int(str(form.get("version") or ""))
    except ValueError:
        raise ReviewError("This form is missing the case's version: reload the case and try again.") from None


def _text(form: FormData, name: str) -> str:
    return str(form.get(name) or "").strip()[:MAX_TEXT]


def _date(form: FormData, name: str, what: str, default: date | None = None) -> date:
    raw = _text(form, name)
    if not raw and default is not None:
        return default
    try:
        value = parse_date(raw)
    except ValueError:
        raise ReviewError(f"{what} must be a date like 23/04/2026.") from None
    if value > today():
        raise ReviewError(f"{what} cannot be in the future.")
    return value


def _not_allowed(case: CaseDetail) -> ReviewError:
    label = STATUS_LABELS.get(case.summary.status, case.summary.status)
    return ReviewError(f"That cannot be done to this case now: it is {label.lower()}. Nothing was changed.")


def _run(request: Request, ws: WebSession, session: Session, case_id: int, form: FormData, change: Any,
         done: str, anchor: str = "") -> Response:
    """Apply `change(case, version, now)` (which may return another `done` word) and commit; a stale
    version shows what changed since."""
    case = case_page.load(session, case_id)
    version = posted_version(form)
    try:
        done = change(case, version, utcnow()) or done
    except StaleChange:
        session.rollback()
        return case_page.stale_page(request, ws, session, case_id, version)
    except NotAllowed:
        session.rollback()
        raise _not_allowed(case) from None
    session.commit()
    return case_page.back(case_id, done, anchor)


@router.post("/{case_id}/owner")
def set_owner(request: Request, case_id: int, user: User = Depends(signed_in),
              form: FormData = Depends(signed_in_form), ws: WebSession = Depends(web_session),
              session: Session = Depends(db)) -> Response:
    """Take the case (action=take) or give it to an officer (owner=NAME; empty: nobody)."""
    if str(form.get("action") or "") == "take":
        owner: str | None = user.name
    else:
        owner = _text(form, "owner") or None
        if owner is not None and owner not in {u.name for u in list_users(session)}:
            raise ReviewError("Choose an officer who has an account.")

    def change(case: CaseDetail, version: int, now: Any) -> None:
        new = store_casework.assign(session, case_id, owner, user.name, now, version)
        audit.record_event(session, user.name, "assign", now, case_id=case_id,
                           detail={"owner": owner or "", "before": case.summary.owner or "", "version": new})

    return _run(request, ws, session, case_id, form, change, "taken" if owner == user.name else "assigned", "#casework")


@router.post("/{case_id}/enquiries")
def add_enquiry(request: Request, case_id: int, user: User = Depends(signed_in),
                form: FormData = Depends(signed_in_form), ws: WebSession = Depends(web_session),
                session: Session = Depends(db)) -> Response:
    kind = _text(form, "kind")
    if kind not in ENQUIRY_KIND_LABELS:
        raise ReviewError("Choose who was asked or what was done (school, health, housing ...).")
    made_on = _date(form, "made_on", "The date of the enquiry", default=today())
    outcome, next_step = _text(form, "outcome"), _text(form, "next_step")
    if not outcome:
        raise ReviewError("Say what the enquiry found (the outcome), even if it found nothing.")

    def change(case: CaseDetail, version: int, now: Any) -> None:
        new = store_casework.add_enquiry(session, case_id, made_on=made_on, kind=kind, outcome=outcome,
                                         next_step=next_step, actor=user.name, now=now, version=version)
        audit.record_event(session, user.name, "enquiry", now, case_id=case_id, detail={
            "kind": kind, "made_on": made_on.isoformat(), "outcome": outcome, "next_step": next_step, "version": new})

    return _run(request, ws, session, case_id, form, change, "enquiry", "#enquiries")


@router.post("/{case_id}/cme-reason")
def set_cme_reason(request: Request, case_id: int, user: User = Depends(signed_in),
                   form: FormData = Depends(signed_in_form), ws: WebSession = Depends(web_session),
                   session: Session = Depends(db)) -> Response:
    reason = _text(form, "cme_reason") or None
    if reason is not None and reason not in dict(settings_of(request).cme_reasons):
        raise ReviewError("Choose a reason from the list.")

    def change(case: CaseDetail, version: int, now: Any) -> None:
        new = store_casework.set_cme_reason(session, case_id, reason, now, version)
        audit.record_event(session, user.name, "reason_missing_education", now, case_id=case_id,
                           detail={"reason": reason or "", "before": case.summary.cme_reason or "", "version": new})

    return _run(request, ws, session, case_id, form, change, "cme_reason", "#casework")


@router.post("/{case_id}/close")
def close_case(request: Request, case_id: int, user: User = Depends(signed_in),
               form: FormData = Depends(signed_in_form), ws: WebSession = Depends(web_session),
               session: Session = Depends(db)) -> Response:
    reason = settings_of(request).closing_reason(_text(form, "reason"))
    if reason is None:
        raise ReviewError("Choose why the case is closed.")
    note = _text(form, "note")
    if reason.id == "other" and not note:
        raise ReviewError("Say why the case is closed when the reason is 'Other'.")
    closed_on = _date(form, "closed_on", "The closing date", default=today())

    def change(case: CaseDetail, version: int, now: Any) -> None:
        if closed_on < told_on(case.summary):
            raise ReviewError("The closing date is before the council was told of the child.")
        new = store_casework.close(session, case_id, reason.id, closed_on, now, version)
        store_labels.capture(session, case_id, user.name, now)  # the record as closed is its message's label
        audit.record_event(session, user.name, "close", now, case_id=case_id, detail={
            "reason": reason.id, "closed_on": closed_on.isoformat(), "note": note, "version": new})

    return _run(request, ws, session, case_id, form, change, "closed", "#casework")


def reopen(session: Session, user: User, case: CaseDetail, form: FormData, version: int, now: Any) -> str:
    """Reopen with a reason (shared with the decision form's "reopen"); the `done` word."""
    reason = _text(form, "reason")
    if not reason:
        raise ReviewError("Say why the case is reopened.")
    target, new = store_casework.reopen(session, case.summary.id, user.name, now, version)
    audit.record_event(session, user.name, "reopen", now, case_id=case.summary.id, detail={
        "before": case.summary.status, "after": target, "reason": reason, "version": new})
    return "reopened" if target == "new" else "reopened_case"


@router.post("/{case_id}/reopen")
def reopen_case(request: Request, case_id: int, user: User = Depends(signed_in),
                form: FormData = Depends(signed_in_form), ws: WebSession = Depends(web_session),
                session: Session = Depends(db)) -> Response:
    return _run(request, ws, session, case_id, form,
                lambda case, version, now: reopen(session, user, case, form, version, now), "reopened", "#casework")
