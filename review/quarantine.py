"""The quarantine page: messages the service could not process, for an officer to read by hand.

Sender and subject come from the stored header block (decoded by the stdlib, shown as text); the raw
message downloads as an `.eml` attachment. Every view and download is in the audit trail.
"""
from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response
from sqlmodel import Session

from review.accounts import utcnow
from review.errors import NotFound
from review.pages import render
from review.session import WebSession, client_address, db, signed_in, web_session
from store import audit, manual
from store.export import quarantined_messages, quarantined_raw
from store.users import User

router = APIRouter(prefix="/quarantine")


@router.get("")
def quarantine_page(request: Request, user: User = Depends(signed_in), ws: WebSession = Depends(web_session),
                    session: Session = Depends(db)) -> Response:
    messages = quarantined_messages(session)
    audit.record_event(session, user.name, "quarantine_view", utcnow(), detail={"listed": len(messages)})
    session.commit()
    made = manual.cases_of_messages(session, [m.entry_id for m in messages])  # cases entered by hand from them
    return render(request, "quarantine.html", {"ws": ws, "messages": messages, "made": made})


@router.get("/{entry_id}/message.eml")
def quarantined_download(request: Request, entry_id: int, user: User = Depends(signed_in),
                         session: Session = Depends(db)) -> Response:
    raw = quarantined_raw(session, entry_id)
    if raw is None:
        raise NotFound("There is no quarantined message with that number.")
    audit.record_event(session, user.name, "quarantine_download", utcnow(),
                       detail={"ledger_entry": entry_id, "address": client_address(request)})
    session.commit()
    return Response(content=raw, media_type="message/rfc822", headers={
        "Content-Disposition": f'attachment; filename="quarantined-{entry_id}.eml"',
        "X-Content-Type-Options": "nosniff", "Content-Security-Policy": "default-src 'none'; sandbox",
        "Cache-Control": "no-store"})
