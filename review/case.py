"""The case page and what the officer does there: edit fields, add or remove a child or a
parent/carer, accept, reject, forward, mark a duplicate, reopen, add notes, download attachments
(the casework after acceptance, owner, enquiries and closing, is review.casework's).

Every view, change and decision is written to the audit trail in the same transaction. Every
change carries the case's version from the form: a change made on an older version is refused
with a page that says what changed since.
"""
from __future__ import annotations

import dataclasses
import re
from typing import Any, Mapping
from urllib.parse import quote

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response
from sqlmodel import Session
from starlette.datastructures import FormData

from extraction.model import CATEGORIES, SAFEGUARDING
from notifier.acks import compose_forward, new_message_id
from notifier.triage import FORWARDED, Forward
from review import duplicates, record_form
from review.accounts import utcnow
from review.errors import NotFound, ReviewError
from review.lifecycle import change_words, changes_since, first_contact_due
from review.message_view import message_view
from review.pages import LONDON, STATUS_LABELS, render
from review.session import WebSession, db, signed_in, signed_in_form, web_session
from store import audit, casework as store_casework, labels as store_labels, message_text, queue as store_queue
from store.errors import DuplicateLoop, NotAllowed, StaleChange
from store.queue import CaseDetail
from store.users import User

router = APIRouter(prefix="/cases")
DONE = {"saved": "Changes saved", "accepted": "Case accepted", "rejected": "Marked as not CME",
        "forwarded": "Forwarded to the team", "duplicate": "Marked as a duplicate", "reopened": "Case reopened",
        "note": "Note added", "child_added": "Child added", "child_removed": "Child removed",
        "parent_added": "Parent or carer added", "parent_removed": "Parent or carer removed",
        "nothing": "Nothing was changed", "taken": "You own this case now", "assigned": "Owner changed",
        "enquiry": "Enquiry logged", "closed": "Case closed", "reopened_case": "Case reopened: it is open again",
        "cme_reason": "Reason saved"}


def load(session: Session, case_id: int) -> CaseDetail:
    case = store_queue.get_case(session, case_id)
    if case is None:
        raise NotFound("There is no case with that number.")
    return case


_load = load


def _teams(request: Request) -> list[tuple[str, str, str]]:
    t = request.app.state.settings.teams
    return [("ehe", "Elective Home Education", t.ehe), ("attendance", "Attendance", t.attendance),
            ("reduced_hours", "Reduced Hours Provision", t.reduced_hours)]


def _field_id(path: str) -> str:
    return "f-" + path.replace(".", "-").replace("_", "-")


def _rows(record: dict[str, Any], prefix: str, specs: tuple[record_form.FieldSpec, ...],
          typed: Mapping[str, str], errors: Mapping[str, str]) -> list[dict[str, Any]]:
    rows = []
    for spec in specs:
        path = f"{prefix}.{spec.key}"
        f = record_form.get_field(record, path) or {}
        source = f.get("source") or {}
        value = f.get("value")
        rows.append({"path": path, "id": _field_id(path), "spec": spec,
                     "value": typed.get(path, "" if value is None else str(value)),
                     "confidence": f.get("confidence") if f else None, "part": source.get("part") or "",
                     "start": source.get("start"), "end": source.get("end"), "text": source.get("text") or "",
                     "error": errors.get(path)})
    return rows


def _page(request: Request, ws: WebSession, session: Session, case: CaseDetail,
          typed: Mapping[str, str] | None = None, errors: Mapping[str, str] | None = None,
          status_code: int = 200, stale: list[str] | None = None) -> Response:
    from review import casework  # the casework panel (its routes import this module)

    typed, errors = typed or {}, errors or {}
    record = case.summary.record
    children = [{"index": i, "rows": _rows(record, f"children.{i}", record_form.CHILD_FIELDS, typed, errors)}
                for i, _ in enumerate(record.get("children") or ())]
    parents = [{"index": i, "rows": _rows(record, f"parents_carers.{i}", record_form.PARENT_FIELDS, typed, errors)}
               for i, _ in enumerate(record.get("parents_carers") or ())]
    candidates = store_queue.duplicate_candidates(session, record, case.summary.id)
    suggestions = duplicates.suggest(record, store_queue.summaries(session, candidates))
    done = request.query_params.get("done", "")
    updates = []
    for link in case.updates:
        update = store_queue.get_case(session, link.id)
        parts = message_view(message_text.text_of(session, update.entry_id)).parts if update else ()
        updates.append((link, next((p.text for p in parts if p.part == "body"), "")[:1500]))
    message = message_view(message_text.text_of(session, case.entry_id))
    return render(request, "case.html", {
        "ws": ws, "case": case, "c": case.summary, "record": record,
        "message": message, "sender_checks": message.sender_checks,
        "referrer": _rows(record, "referrer", record_form.REFERRER_FIELDS, typed, errors),
        "children": children, "parents": parents, "errors": errors,
        "error_list": [{"text": f"{record_form.path_label(path)}: {message}", "href": "#" + _field_id(path)}
                       for path, message in errors.items()],
        "categories": CATEGORIES, "safeguarding_flags": SAFEGUARDING, "teams": _teams(request),
        "suggestions": suggestions, "history": audit.case_history(session, case.summary.id),
        "notes": audit.notes_of(session, case.summary.id), "emails": store_queue.emails_of(session, case.summary.id),
        "done": DONE.get(done, ""), "stale": stale,
        "version": case.summary.version, "updates": updates, **casework.context(request, session, case),
    }, status_code=status_code)


def back(case_id: int, done: str, anchor: str = "") -> RedirectResponse:
    return RedirectResponse(f"/cases/{case_id}?done={quote(done)}{anchor}", status_code=303)


_back = back


def stale_page(request: Request, ws: WebSession, session: Session, case_id: int, version: int) -> Response:
    """The case as it is now (409), saying who changed what since `version`; nothing of the officer's was saved."""
    from review import casework

    case = load(session, case_id)
    settings = casework.settings_of(request)
    lines = [f"{h.at.astimezone(LONDON).strftime('%-d %b %H:%M') if h.at.tzinfo else h.at.strftime('%-d %b %H:%M')} "
             f"{h.actor} {change_words(h, settings)}" for h in changes_since(audit.case_history(session, case_id), version)]
    return _page(request, ws, session, case, status_code=409, stale=lines or ["(the change is not in the history)"])


def _version(form: FormData) -> int:
    from review.casework import posted_version

    return posted_version(form)


@router.get("/{case_id}")
def case_page(request: Request, case_id: int, user: User = Depends(signed_in),
              ws: WebSession = Depends(web_session), session: Session = Depends(db)) -> Response:
    case = _load(session, case_id)
    audit.record_event(session, user.name, "view", utcnow(), case_id=case_id)
    session.commit()
    return _page(request, ws, session, case)


@router.post("/{case_id}/edit")
def edit_case(request: Request, case_id: int, user: User = Depends(signed_in),
              form: FormData = Depends(signed_in_form), ws: WebSession = Depends(web_session),
              session: Session = Depends(db)) -> Response:
    case = _load(session, case_id)
    version = _version(form)
    new, changes, errors = record_form.apply_edits(case.summary.record, form)
    if errors:
        typed = {k: str(v) for k, v in form.items() if k in dict(record_form.field_paths(case.summary.record))}
        return _page(request, ws, session, case, typed, errors, status_code=400)
    if not changes:
        return _back(case_id, "nothing")
    now = utcnow()
    try:
        new_version = store_queue.save_record(session, case_id, new, now, version=version)
        store_labels.capture(session, case_id, user.name, now)  # a correction of a decided case is its label
    except StaleChange:
        session.rollback()
        return stale_page(request, ws, session, case_id, version)
    audit.record_event(session, user.name, "edit", now, case_id=case_id, detail={
        "changes": [{"field": c.path, "before": c.before, "after": c.after} for c in changes], "version": new_version})
    session.commit()
    return _back(case_id, "saved")


def _people(session: Session, user: User, case: CaseDetail, form: FormData, key: str,
            index: int | None) -> str:
    version = _version(form)
    record = dict(case.summary.record)
    people = list(record.get(key) or [])
    now = utcnow()
    if index is None:
        people.append(record_form.empty_child() if key == "children" else record_form.empty_parent())
        detail: dict[str, Any] = {"added": key, "index": len(people) - 1}
    else:
        if not 0 <= index < len(people):
            raise NotFound("That person is not on this case.")
        removed = people.pop(index)
        detail = {"removed": key, "index": index, "before": removed}
    record[key] = people
    detail["version"] = store_queue.save_record(session, case.summary.id, record, now, version=version)
    store_labels.capture(session, case.summary.id, user.name, now)  # a correction of a decided case is its label
    audit.record_event(session, user.name, "edit", now, case_id=case.summary.id, detail=detail)
    session.commit()
    noun = "child" if key == "children" else "parent"
    return f"{noun}_{'added' if index is None else 'removed'}"


def _people_route(request: Request, ws: WebSession, session: Session, user: User, case_id: int, form: FormData,
                  key: str, index: int | None, anchor: str) -> Response:
    try:
        done = _people(session, user, _load(session, case_id), form, key, index)
    except StaleChange:
        session.rollback()
        return stale_page(request, ws, session, case_id, _version(form))
    return _back(case_id, done, anchor)


@router.post("/{case_id}/children/add")
def add_child(request: Request, case_id: int, user: User = Depends(signed_in),
              form: FormData = Depends(signed_in_form), ws: WebSession = Depends(web_session),
              session: Session = Depends(db)) -> Response:
    return _people_route(request, ws, session, user, case_id, form, "children", None, "#children")


@router.post("/{case_id}/children/{index}/remove")
def remove_child(request: Request, case_id: int, index: int, user: User = Depends(signed_in),
                 form: FormData = Depends(signed_in_form), ws: WebSession = Depends(web_session),
                 session: Session = Depends(db)) -> Response:
    return _people_route(request, ws, session, user, case_id, form, "children", index, "#children")


@router.post("/{case_id}/parents/add")
def add_parent(request: Request, case_id: int, user: User = Depends(signed_in),
               form: FormData = Depends(signed_in_form), ws: WebSession = Depends(web_session),
               session: Session = Depends(db)) -> Response:
    return _people_route(request, ws, session, user, case_id, form, "parents_carers", None, "#parents")


@router.post("/{case_id}/parents/{index}/remove")
def remove_parent(request: Request, case_id: int, index: int, user: User = Depends(signed_in),
                  form: FormData = Depends(signed_in_form), ws: WebSession = Depends(web_session),
                  session: Session = Depends(db)) -> Response:
    return _people_route(request, ws, session, user, case_id, form, "parents_carers", index, "#parents")


@router.post("/{case_id}/decision")
def decide(request: Request, case_id: int, user: User = Depends(signed_in),
           form: FormData = Depends(signed_in_form), ws: WebSession = Depends(web_session),
           session: Session = Depends(db)) -> Response:
    case = _load(session, case_id)
    action = str(form.get("action") or "")
    if action not in ("accept", "reject", "reopen", "forward", "duplicate"):
        raise ReviewError("Choose what to do with this case.")
    version = _version(form)
    try:
        done = _decide(request, session, user, case, action, form, version)
    except StaleChange:
        session.rollback()
        return stale_page(request, ws, session, case_id, version)
    except NotAllowed:
        session.rollback()
        label = STATUS_LABELS.get(case.summary.status, case.summary.status).lower()
        raise ReviewError(f"This case is {label}, so it cannot be decided again: reopen it first. "
                          "Nothing was changed.") from None
    except DuplicateLoop:
        session.rollback()
        raise ReviewError("That case is already, directly or through other cases, a duplicate of this one: "
                          "marking this one its duplicate would make them point at each other. Nothing was changed.") from None
    session.commit()
    return _back(case_id, done)


def _decide(request: Request, session: Session, user: User, case: CaseDetail, action: str, form: FormData,
            version: int) -> str:
    from review import casework

    case_id, now = case.summary.id, utcnow()
    detail: dict[str, Any] = {"before": case.summary.status}
    if action == "reopen":
        return casework.reopen(session, user, case, form, version, now)
    if action in ("accept", "reject"):
        due = first_contact_due(case.summary, casework.settings_of(request)) if action == "accept" else None
        detail["version"] = store_casework.decide(session, case_id, action, user.name, now, version, due_on=due)
        if due is not None:
            detail["due_on"] = due.isoformat()
        done = {"accept": "accepted", "reject": "rejected"}[action]
    elif action == "forward":
        team = str(form.get("team") or "")
        if team not in FORWARDED:
            raise ReviewError("Choose the team to forward this message to.")
        settings = request.app.state.settings
        address = dict((key, address) for key, _, address in _teams(request))[team]
        forward = Forward(address, FORWARDED[team][1], FORWARDED[team][2])
        detail["version"] = store_casework.decide(session, case_id, "forward", user.name, now, version)
        message_id = new_message_id(settings.teams)
        kept = message_text.text_of(session, case.entry_id)  # the original is attached whole, never parsed here
        mime = compose_forward(raw=case.raw, reference=case.summary.reference, forward=forward,
                               received=case.summary.created_at, teams=settings.teams,
                               env=request.app.state.mail_env, message_id=message_id, now=now,
                               sender=kept.header.from_address if kept else None)
        store_queue.queue_email(session, case_id, "forward", address, message_id, mime,
                                store_queue.thread_key_of(session, case_id), now)
        detail.update(team=forward.team, recipient=address, message_id=message_id)
        note = str(form.get("note") or "").strip()
        if note:
            audit.record_event(session, user.name, "note", now, case_id=case_id, detail={"text": note[:5000]})
        done = "forwarded"
    else:  # duplicate
        reference = next((str(v).strip() for v in form.getlist("duplicate_of") if str(v).strip()), "")
        plausible = re.fullmatch(r"[A-Za-z0-9-]{1,20}", reference) is not None
        target = store_queue.case_id_by_reference(session, reference) if plausible else None
        if target is None or target == case_id:
            raise ReviewError("Give the reference of another existing case, like CME-2026-00012.")
        detail["version"] = store_casework.decide(session, case_id, "duplicate", user.name, now, version,
                                                  duplicate_of_id=target)
        detail["duplicate_of"] = reference.upper()
        done = "duplicate"
    action_name = {"accept": "accept", "reject": "reject", "forward": "forward", "duplicate": "mark_duplicate"}[action]
    audit.record_event(session, user.name, action_name, now, case_id=case_id, detail=detail)
    return done


@router.post("/{case_id}/notes")
def add_note(case_id: int, user: User = Depends(signed_in), form: FormData = Depends(signed_in_form),
             session: Session = Depends(db)) -> Response:
    _load(session, case_id)
    text = str(form.get("note") or "").strip()
    if not text:
        raise ReviewError("Write the note before adding it.")
    audit.record_event(session, user.name, "note", utcnow(), case_id=case_id, detail={"text": text[:5000]})
    session.commit()
    return _back(case_id, "note", "#notes")


@router.get("/{case_id}/attachments/{index}")
def attachment(request: Request, case_id: int, index: int, user: User = Depends(signed_in),
               session: Session = Depends(db)) -> Response:
    from ingest.reader import ReaderConfig, Unread, shared_reader

    case = _load(session, case_id)
    # cut from the raw message in an isolated worker under the reader's limits (no model loaded, no OCR)
    reader = shared_reader(dataclasses.replace(ReaderConfig.of(request.app.state.settings), attachments_only=True))
    fetched = reader.attachment(bytes(case.raw), index) if 0 <= index < 100_000 else None
    if fetched is None:
        raise NotFound("This message has no such attachment.")
    if isinstance(fetched, Unread):
        raise ReviewError(f"This attachment could not be taken out of the message ({fetched.reason}). "
                          "Download the whole message instead.")
    audit.record_event(session, user.name, "download", utcnow(), case_id=case_id,
                       detail={"attachment": index, "filename": fetched.filename[:200]})
    session.commit()
    return Response(content=fetched.data, media_type=_safe_type(fetched.content_type), headers={
        "Content-Disposition": _disposition(fetched.filename), "X-Content-Type-Options": "nosniff",
        "Content-Security-Policy": "default-src 'none'; sandbox", "Cache-Control": "no-store"})


def _safe_type(content_type: str) -> str:
    value = (content_type or "").strip().lower()
    return value if re.fullmatch(r"[a-z0-9][a-z0-9.+-]*/[a-z0-9][a-z0-9.+-]*", value) else "application/octet-stream"


def _disposition(filename: str) -> str:
    """`attachment` with an ASCII fallback name and the exact name in RFC 5987 form."""
    name = filename.replace("\\", "/").rsplit("/", 1)[-1] or "attachment"
    fallback = re.sub(r"[^A-Za-z0-9._ -]", "_", name)[:120] or "attachment"
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(name[:200], safe='')}"

