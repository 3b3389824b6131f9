"""Accounts page (admins): who can sign in, adding an officer or admin."""
from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response
from sqlmodel import Session
from starlette.datastructures import FormData

from review import accounts
from review.errors import AccountError
from review.pages import render
from review.session import WebSession, admin, db, signed_in_form, web_session
from store import users
from store.users import User

router = APIRouter(prefix="/users")


def _page(request: Request, ws: WebSession, session: Session, error: str | None = None,
          done: str = "", status_code: int = 200) -> Response:
    return render(request, "users.html", {"ws": ws, "users": users.list_users(session), "error": error,
                                          "done": done, "now": accounts.utcnow()}, status_code=status_code)


@router.get("")
def users_page(request: Request, user: User = Depends(admin), ws: WebSession = Depends(web_session),
               session: Session = Depends(db)) -> Response:
    done = "Account added" if request.query_params.get("done") == "added" else ""
    return _page(request, ws, session, done=done)


@router.post("")
def add(request: Request, user: User = Depends(admin), form: FormData = Depends(signed_in_form),
        ws: WebSession = Depends(web_session), session: Session = Depends(db)) -> Response:
    try:
        accounts.add_user(session, str(form.get("name") or "").strip(), str(form.get("role") or ""),
                          str(form.get("password") or ""), actor=user.name)
    except AccountError as exc:
        session.rollback()
        return _page(request, ws, session, error=str(exc), status_code=400)
    session.commit()
    return RedirectResponse("/users?done=added", status_code=303)
