"""Other councils: the directory of their CME contacts (admins keep it), referring a case to one,
and replying to another council's enquiry.

Every mail is drafted from the case (the summary only: `notifier.referrals`), shown to the officer,
who may edit it, and only then queued in the outbox, which the service's sender delivers. Nothing
is sent to a council whose address is not in the directory. Each send is recorded on the case
(outbound row, audit entry) in the transaction that queues it.
"""
from __future__ import annotations

import csv
from email.parser import BytesHeaderParser
from email.policy import default as default_policy
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response
from sqlmodel import Session
from starlette.datastructures import FormData

from config.settings import PACKAGE_DIR
from extraction.identifiers import normalise_email
from notifier.acks import new_message_id
from notifier.referrals import compose_outbound, subject_line, summarise
from review.accounts import utcnow
from review.errors import NotFound, ReviewError
from review.pages import render
from review.session import WebSession, admin, db, signed_in, signed_in_form, web_session
from store import audit, casework, councils, message_text, outbox, queue as store_queue
from store.councils import Council, CouncilEntry, DuplicateCouncil
from store.queue import CaseDetail
from store.users import User

router = APIRouter()
SEED_FILE = PACKAGE_DIR / "councils.csv"
AFTER = {"close": "Close this case", "keep": "Keep this case open"}
SENT = {"council": "Referral queued", "reply": "Reply queued", "sao": "SAO referral queued"}


def seed_entries(path: Path = SEED_FILE) -> list[CouncilEntry]:
    """The directory's first rows (council name, team, email; the email may be empty)."""
    with path.open(encoding="utf-8", newline="") as f:
        return [CouncilEntry(" ".join((r.get("name") or "").split()), " ".join((r.get("team") or "").split()),
                             normalise_email(r.get("email") or "") or "")  # a placeholder is no address
                for r in csv.DictReader(f) if (r.get("name") or "").strip()]


def council_directory(session: Session) -> list[Council]:
    """The directory, seeded from config/councils.csv the first time it is read."""
    if councils.seed_if_empty(session, seed_entries(), utcnow()):
        session.commit()
    return councils.directory(session)


def load_case(session: Session, case_id: int) -> CaseDetail:
    case = store_queue.get_case(session, case_id)
    if case is None:
        raise NotFound("There is no case with that number.")
    return case


def draft(request: Request, template: str, case: CaseDetail, user: User, **values: Any) -> str:
    teams = request.app.state.settings.teams
    return request.app.state.mail_env.get_template(template).render(
        summary=summarise(case.summary.record, case.summary.reference), officer=user.name,
        team_name=teams.team_name, team_address=teams.cme, **values)


def queue_mail(request: Request, session: Session, user: User, case: CaseDetail, *, kind: str, to: str,
               subject: str, body: str, action: str, council: Council | None = None, close_as: str | None = None,
               in_reply_to: str | None = None, references: tuple[str, ...] = ()) -> None:
    """Queue the approved mail in the outbox and record it on the case; the caller commits."""
    settings = request.app.state.settings
    now = utcnow()
    message_id = new_message_id(settings.teams)
    subject = subject_line(subject)
    mime = compose_outbound(to=to, subject=subject, body=body, reference=case.summary.reference, teams=settings.teams,
                            message_id=message_id, now=now, in_reply_to=in_reply_to, references=references)
    case_id = case.summary.id
    outbox.add(session, case_id=case_id, kind=kind, recipient=to, thread_key=store_queue.thread_key_of(session, case_id),
               message_id=message_id, mime=mime, now=now)
    councils.record_outbound(session, case_id=case_id, kind=kind, recipient=to, subject=subject, message_id=message_id,
                             sent_by=user.name, now=now, council_id=council.id if council else None,
                             closed_case=close_as is not None)
    detail: dict[str, Any] = {"recipient": to, "message_id": message_id, "subject": subject}
    if council is not None:
        detail["council"] = council.name
    if close_as is not None:
        detail["case_closed"] = _close(session, case, close_as, user, now)
    audit.record_event(session, user.name, action, now, case_id=case_id, detail=detail)


def _close(session: Session, case: CaseDetail, how: tuple[str, str], user: User, now: Any) -> str:
    """Close the case after the mail, as the case's lifecycle allows: a case to review leaves the queue
    (`how[0]`), an open case is closed with the reason `how[1]`; a case already closed stays as it is."""
    status = case.summary.status
    if status == "new":
        store_queue.set_status(session, case.summary.id, how[0], user.name, now)
        return how[0]
    if status in casework.OPEN_CASEWORK:
        casework.close(session, case.summary.id, how[1], now.date(), now, None)
        return f"closed: {how[1]}"
    return f"left {status}"


def mail_texts(form: FormData) -> tuple[str, str, dict[str, str]]:
    subject, body = subject_line(str(form.get("subject") or "")), str(form.get("body") or "").strip()
    errors = {}
    if not subject:
        errors["subject"] = "Give the email a subject."
    if not body:
        errors["body"] = "Write the email before sending it."
    return subject, body, errors


def _after(form: FormData) -> str:
    after = str(form.get("after") or "")
    if after not in AFTER:
        raise ReviewError("Choose whether to close the case or keep it open.")
    return after


# --- the directory ---------------------------------------------------------------------------

def _directory_page(request: Request, ws: WebSession, session: Session, user: User, errors: dict[str, str] | None = None,
                    typed: dict[str, str] | None = None, status_code: int = 200) -> Response:
    done = {"saved": "Directory saved", "added": "Council added"}.get(request.query_params.get("done", ""), "")
    return render(request, "councils.html", {"ws": ws, "councils": council_directory(session),
                                             "is_admin": user.role == "admin", "errors": errors or {},
                                             "typed": typed or {}, "done": done}, status_code=status_code)


@router.get("/councils")
def directory_page(request: Request, user: User = Depends(signed_in), ws: WebSession = Depends(web_session),
                   session: Session = Depends(db)) -> Response:
    return _directory_page(request, ws, session, user)


def _entry(form: FormData) -> tuple[CouncilEntry, dict[str, str]]:
    name = " ".join(str(form.get("name") or "").split())[:200]
    team = " ".join(str(form.get("team") or "").split())[:200]
    typed = str(form.get("email") or "").strip()
    errors = {}
    if not name:
        errors["name"] = "Give the council's name."
    email = ""
    if typed:
        email = normalise_email(typed) or ""
        if not email:
            errors["email"] = "Enter an email address, like cme@council.example.org, or leave it empty."
    return CouncilEntry(name, team, email), errors


@router.post("/councils")
def add_council(request: Request, user: User = Depends(admin), form: FormData = Depends(signed_in_form),
                ws: WebSession = Depends(web_session), session: Session = Depends(db)) -> Response:
    return _save(request, user, form, ws, session, None)


@router.post("/councils/{council_id}")
def change_council(request: Request, council_id: int, user: User = Depends(admin),
                   form: FormData = Depends(signed_in_form), ws: WebSession = Depends(web_session),
                   session: Session = Depends(db)) -> Response:
    return _save(request, user, form, ws, session, council_id)


def _save(request: Request, user: User, form: FormData, ws: WebSession, session: Session,
          council_id: int | None) -> Response:
    entry, errors = _entry(form)
    key = "new" if council_id is None else str(council_id)
    if not errors:
        before = councils.get_council(session, council_id) if council_id is not None else None
        if council_id is not None and before is None:
            raise NotFound("There is no such council in the directory.")
        try:
            saved = councils.save_council(session, council_id, entry, user.name, utcnow())
        except DuplicateCouncil as exc:
            errors["name"] = f"{exc}."
        else:
            detail: dict[str, Any] = {"council": saved.name, "team": saved.team, "email": saved.email or "(none)"}
            if before is not None:
                detail["before"] = {"name": before.name, "team": before.team, "email": before.email}
            audit.record_event(session, user.name, "council_directory", utcnow(), detail=detail)
            session.commit()
            return RedirectResponse(f"/councils?done={'added' if council_id is None else 'saved'}#council-{saved.id}",
                                    status_code=303)
    session.rollback()
    typed = {"key": key, "name": str(form.get("name") or ""), "team": str(form.get("team") or ""),
             "email": str(form.get("email") or "")}
    return _directory_page(request, ws, session, user, {f"{key}.{k}": v for k, v in errors.items()}, typed, 400)


# --- refer a case to another council ---------------------------------------------------------

def _refer_page(request: Request, ws: WebSession, session: Session, user: User, case: CaseDetail,
                council: Council | None, form: FormData | None = None, errors: dict[str, str] | None = None,
                status_code: int = 200) -> Response:
    subject = body = ""
    if council is not None:
        subject = str(form.get("subject")) if form else (
            f"Child missing education: referral from Hampshire County Council [{case.summary.reference}]")
        body = str(form.get("body")) if form else draft(request, "council_referral.txt.j2", case, user, council=council)
    return render(request, "refer.html", {
        "ws": ws, "c": case.summary, "mode": "council", "councils": council_directory(session), "council": council,
        "to": council.email if council else "", "subject": subject, "body": body, "after": AFTER,
        "chosen_after": str(form.get("after") or "close") if form else "close", "errors": errors or {},
        "action": f"/cases/{case.summary.id}/refer"}, status_code=status_code)


def _council(session: Session, value: Any) -> Council | None:
    text = str(value or "").strip()
    if not text.isdigit():
        return None
    return next((c for c in council_directory(session) if c.id == int(text)), None)  # seeds it when first read


@router.get("/cases/{case_id}/refer")
def refer_page(request: Request, case_id: int, council: str = "", user: User = Depends(signed_in),
               ws: WebSession = Depends(web_session), session: Session = Depends(db)) -> Response:
    case = load_case(session, case_id)
    chosen = _council(session, council)
    if council and chosen is None:
        raise NotFound("There is no such council in the directory.")
    return _refer_page(request, ws, session, user, case, chosen)


@router.post("/cases/{case_id}/refer")
def refer(request: Request, case_id: int, user: User = Depends(signed_in), form: FormData = Depends(signed_in_form),
          ws: WebSession = Depends(web_session), session: Session = Depends(db)) -> Response:
    case = load_case(session, case_id)
    council = _council(session, form.get("council"))
    if council is None:
        raise ReviewError("Choose the council to refer this case to.")
    subject, body, errors = mail_texts(form)
    if not council.email:
        errors["to"] = (f"{council.name} has no email address in the directory, so nothing can be sent to it. "
                        "An admin must add its CME team's address on the Other councils page first.")
    after = _after(form)
    if errors:
        return _refer_page(request, ws, session, user, case, council, form, errors, status_code=400)
    queue_mail(request, session, user, case, kind="council_referral", to=council.email, subject=subject, body=body,
               action="referred_to_council", council=council,
               close_as=("forwarded", "moved_out_of_area") if after == "close" else None)
    session.commit()
    return RedirectResponse(f"/cases/{case_id}?sent=council", status_code=303)


# --- reply to another council's enquiry ------------------------------------------------------

def _thread(session: Session, case: CaseDetail) -> tuple[str | None, str, tuple[str, ...]]:
    """(Message-ID, subject, References) of the message a reply answers: as the reader kept them at ingestion;
    for a message stored before they were kept, read from its header block (a bounded header-only parse)."""
    kept = message_text.text_of(session, case.entry_id)
    if kept is not None and kept.read:
        h = kept.header
        return h.message_id, " ".join((h.subject or "").split()), h.references
    raw = case.raw
    try:
        headers = BytesHeaderParser(policy=default_policy).parsebytes(raw[:262144])
        references = tuple(str(headers.get("references") or "").split())
        subject = " ".join(str(headers.get("subject") or "").split())
        message_id = str(headers.get("message-id") or "").strip() or None
    except Exception:  # a header too broken to read: the reply starts a new thread
        return None, "", ()
    return message_id, subject, references


def _enquiry(case: CaseDetail) -> None:
    if case.summary.category != "la_enquiry":
        raise ReviewError("Only an enquiry from another council can be answered here. If this message is one, "
                          "set its category to LA enquiry first.")


def _reply_to(case: CaseDetail) -> str:
    record = case.summary.record
    referrer_email = ((record.get("referrer") or {}).get("email") or {}).get("value")
    return str(referrer_email or (record.get("source") or {}).get("from") or "")


def _reply_page(request: Request, ws: WebSession, session: Session, user: User, case: CaseDetail,
                form: FormData | None = None, errors: dict[str, str] | None = None, status_code: int = 200) -> Response:
    _, original_subject, _ = _thread(session, case)
    subject = original_subject if original_subject.lower().startswith("re:") else f"Re: {original_subject}".strip()
    if case.summary.reference not in subject:
        subject = f"{subject} [{case.summary.reference}]"
    return render(request, "refer.html", {
        "ws": ws, "c": case.summary, "mode": "reply", "council": None, "councils": [],
        "to": str(form.get("to")) if form else _reply_to(case),
        "subject": str(form.get("subject")) if form else subject,
        "body": str(form.get("body")) if form else draft(request, "enquiry_reply.txt.j2", case, user),
        "after": AFTER, "chosen_after": str(form.get("after") or "close") if form else "close",
        "errors": errors or {}, "action": f"/cases/{case.summary.id}/reply"}, status_code=status_code)


@router.get("/cases/{case_id}/reply")
def reply_page(request: Request, case_id: int, user: User = Depends(signed_in), ws: WebSession = Depends(web_session),
               session: Session = Depends(db)) -> Response:
    case = load_case(session, case_id)
    _enquiry(case)
    return _reply_page(request, ws, session, user, case)


@router.post("/cases/{case_id}/reply")
def reply(request: Request, case_id: int, user: User = Depends(signed_in), form: FormData = Depends(signed_in_form),
          ws: WebSession = Depends(web_session), session: Session = Depends(db)) -> Response:
    case = load_case(session, case_id)
    _enquiry(case)
    subject, body, errors = mail_texts(form)
    to = normalise_email(str(form.get("to") or "").strip()) or ""
    if not to:
        errors["to"] = "Enter the email address of the council that asked, like cme@council.example.org."
    after = _after(form)
    if errors:
        return _reply_page(request, ws, session, user, case, form, errors, status_code=400)
    message_id, _, references = _thread(session, case)
    queue_mail(request, session, user, case, kind="enquiry_reply", to=to, subject=subject, body=body,
               action="replied_to_enquiry", close_as=("rejected", "other") if after == "close" else None,
               in_reply_to=message_id, references=references)
    session.commit()
    return RedirectResponse(f"/cases/{case_id}?sent=reply", status_code=303)
