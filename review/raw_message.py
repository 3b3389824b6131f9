"""The message of a case exactly as it arrived, downloaded as an `.eml` file (audited with the
client address). The browser is told to save it, never to show it: its HTML could carry script."""
from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response
from sqlmodel import Session

from review.accounts import utcnow
from review.errors import NotFound
from review.session import client_address, db, signed_in
from store import audit, queue as store_queue
from store.users import User

router = APIRouter(prefix="/cases")


@router.get("/{case_id}/message.eml")
def raw_message(request: Request, case_id: int, user: User = Depends(signed_in), session: Session = Depends(db)) -> Response:
    case = store_queue.get_case(session, case_id)
    if case is None:
        raise NotFound("There is no case with that number.")
    reference = case.summary.reference
    audit.record_event(session, user.name, "download_message", utcnow(), case_id=case_id,
                       detail={"file": f"{reference}.eml", "bytes": len(case.raw), "address": client_address(request)})
    session.commit()
    return Response(content=case.raw, media_type="message/rfc822", headers={
        "Content-Disposition": f'attachment; filename="{reference}.eml"', "X-Content-Type-Options": "nosniff",
        "Content-Security-Policy": "default-src 'none'; sandbox", "Cache-Control": "no-store"})
