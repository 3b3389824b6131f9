"""Referring a case to the Legal Intervention Team for a School Attendance Order.

One click drafts the referral document from the case: its summary, the enquiries logged on it (if
any), the letters and emails sent, and the officer's notes. The officer reads and may edit it,
then it is queued in the outbox to the Legal Intervention Team's address (CME_LEGAL_ADDRESS);
with no address configured nothing can be sent, and the page says so.
"""
from __future__ import annotations

from datetime import datetime

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response
from sqlmodel import Session
from starlette.datastructures import FormData

from review.councils import mail_texts, draft, load_case, queue_mail
from review.pages import LONDON, render
from review.session import WebSession, db, signed_in, signed_in_form, web_session
from store import audit, casework, queue as store_queue
from store.queue import CaseDetail
from store.users import User

router = APIRouter()
MAIL_KINDS = {"forward": "Forward", "council_referral": "Referral to another council",
              "enquiry_reply": "Reply to an enquiry", "sao_referral": "SAO referral"}


def _when(at: datetime) -> str:
    return (at.astimezone(LONDON) if at.tzinfo else at).strftime("%-d %b %Y")


def _sources(session: Session, case: CaseDetail) -> tuple[list[str], list[str], list[str]]:
    """(enquiries, letters and emails, notes) of the case, each as lines of the document, oldest first."""
    logged = list(reversed(casework.enquiries_of(session, case.summary.id)))  # the enquiries log, oldest first

    def line(e: casework.Enquiry) -> str:
        said = "".join(f"; {label}: {' '.join(text.split())}" for label, text in
                       (("outcome", e.outcome), ("next step", e.next_step)) if text)
        return f"{e.made_on.strftime('%-d %b %Y')}, {e.actor}: {e.kind.replace('_', ' ')}{said}"

    enquiries = [line(e) for e in logged]
    letters = [line(e) for e in logged if e.kind == "letter"]
    letters += [f"{_when(m.sent_at or m.created_at)}: {MAIL_KINDS.get(m.kind, m.kind)} to {m.recipient} ({m.status})"
                for m in store_queue.emails_of(session, case.summary.id)
                if m.kind != "ack"]  # an acknowledgement names the referrer, who may be anonymous
    notes = [f"{_when(n.at)}, {n.actor}: {' '.join(str(n.detail.get('text', '')).split())}"
             for n in audit.notes_of(session, case.summary.id)]
    return enquiries, letters, notes


def _page(request: Request, ws: WebSession, session: Session, user: User, case: CaseDetail,
          form: FormData | None = None, errors: dict[str, str] | None = None, status_code: int = 200) -> Response:
    enquiries, letters, notes = _sources(session, case)
    body = str(form.get("body")) if form else draft(request, "sao_referral.txt.j2", case, user, enquiries=enquiries,
                                                    letters=letters, notes=notes)
    subject = str(form.get("subject")) if form else f"School Attendance Order referral [{case.summary.reference}]"
    return render(request, "sao.html", {"ws": ws, "c": case.summary, "to": request.app.state.settings.legal_address,
                                        "subject": subject, "body": body, "errors": errors or {}},
                  status_code=status_code)


@router.get("/cases/{case_id}/sao")
def sao_page(request: Request, case_id: int, user: User = Depends(signed_in), ws: WebSession = Depends(web_session),
             session: Session = Depends(db)) -> Response:
    return _page(request, ws, session, user, load_case(session, case_id))


@router.post("/cases/{case_id}/sao")
def refer_for_sao(request: Request, case_id: int, user: User = Depends(signed_in),
                  form: FormData = Depends(signed_in_form), ws: WebSession = Depends(web_session),
                  session: Session = Depends(db)) -> Response:
    case = load_case(session, case_id)
    subject, body, errors = mail_texts(form)
    to = request.app.state.settings.legal_address
    if not to:
        errors["to"] = ("No address is set for the Legal Intervention Team (the CME_LEGAL_ADDRESS setting), so the "
                        "referral cannot be sent. Ask the service's administrator to set it.")
    if errors:
        return _page(request, ws, session, user, case, form, errors, status_code=400)
    queue_mail(request, session, user, case, kind="sao_referral", to=to, subject=subject, body=body,
               action="sao_referral")
    session.commit()
    return RedirectResponse(f"/cases/{case_id}?sent=sao", status_code=303)
