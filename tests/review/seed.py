"""Fictitious cases for the review tests: real emails parsed by the real parser, stored as the
pipeline stores them (message, case with its contract record, review item). Invented names,
example.org addresses, drama-range phone numbers."""
from __future__ import annotations

import hashlib
import json
from datetime import datetime, timedelta, timezone
from email.message import EmailMessage
from typing import Any

from sqlmodel import Session, SQLModel

from parsers.mime import parse_message
from review.accounts import add_user
from store import message_text
from store.db import make_engine, session_factory
from store.queue import keep_duplicate_keys, search_text_of
from store.tables import CaseRow, MessageRow, ReviewItemRow

PASSWORD = "correct horse battery"
BASE_TIME = datetime(2026, 11, 2, 9, 0, tzinfo=timezone.utc)


def engine_for(path: str) -> Any:
    engine = make_engine(f"sqlite:///{path}")
    SQLModel.metadata.create_all(engine)
    return engine


def email_bytes(sender: str, subject: str, body: str, html: str | None = None,
                attachment: tuple[str, str, bytes] | None = None, date: str = "Mon, 02 Nov 2026 09:00:00 +0000") -> bytes:
    msg = EmailMessage()
    msg["From"] = sender
    msg["To"] = "cme@hants.gov.uk"
    msg["Subject"] = subject
    msg["Date"] = date
    msg["Message-ID"] = f"<{hashlib.sha1((subject + body).encode()).hexdigest()[:16]}@example.org>"
    msg.set_content(body)
    if html is not None:
        msg.add_alternative(html, subtype="html")
    if attachment is not None:
        name, ctype, data = attachment
        maintype, subtype = ctype.split("/")
        msg.add_attachment(data, maintype=maintype, subtype=subtype, filename=name)
    return msg.as_bytes()


def field(body: str, value: str | None, shown: str | None = None, confidence: float = 0.9,
          part: str = "body") -> dict[str, Any] | None:
    """A contract field whose source points at `shown` (or `value`) in the parsed text of `part`."""
    if value is None:
        return None
    needle = shown or value
    start = body.find(needle)
    if start < 0:
        return {"value": value, "confidence": confidence, "source": {"part": "derived", "start": None, "end": None, "text": None}}
    return {"value": value, "confidence": confidence,
            "source": {"part": part, "start": start, "end": start + len(needle), "text": needle}}


def child(body: str, first: str, last: str, dob: str | None, dob_shown: str | None = None, postcode: str | None = None,
          gender: str | None = None, last_attended: str | None = None, last_shown: str | None = None,
          dob_confidence: float = 0.9) -> dict[str, Any]:
    return {"first_name": field(body, first), "last_name": field(body, last),
            "date_of_birth": field(body, dob, dob_shown, dob_confidence), "gender": field(body, gender, confidence=0.7),
            "upn": None, "address": {"line1": None, "town": None, "postcode": field(body, postcode)},
            "school": {"name": None, "urn": None},
            "date_last_attended": field(body, last_attended, last_shown)}


def store_case(session: Session, number: int, raw: bytes, build: Any, category: str = "cme_referral",
               urgent: bool = False, needs_review: bool = True, reasons: tuple[str, ...] = (),
               created: datetime | None = None, status: str = "new", update_of_id: int | None = None) -> int:
    """Store one message and its case; `build(body_text)` returns (children, parents, referrer_type)."""
    parsed = parse_message(raw, f"seed{number}.eml")
    body = next(s.text for s in parsed.sources if s.part == "body")
    children, parents, referrer_type = build(body)
    created = created or BASE_TIME + timedelta(hours=number)
    record = {
        "schema": "cme-referral/1",
        "source": {"file": f"seed{number}.eml", "message_id": parsed.message_id, "from": parsed.from_address,
                   "subject": parsed.subject, "date": parsed.date},
        "category": category, "case_reference": f"CME-2026-{number:05d}", "urgent": urgent,
        "safeguarding": ["criminal_exploitation"] if urgent else [], "acknowledge": True,
        "needs_review": needs_review, "review_reasons": list(reasons),
        "referrer": {"name": None, "role": None, "organisation": None, "email": None, "phone": None,
                     "type": {"value": referrer_type, "confidence": 0.8,
                              "source": {"part": "derived", "start": None, "end": None, "text": None}}},
        "children": children, "parents_carers": parents,
    }
    message = MessageRow(account="cme@hants.gov.uk", folder="INBOX", uidvalidity=1, uid=number,
                         message_id=parsed.message_id, sha256=hashlib.sha256(raw).hexdigest(), size=len(raw),
                         raw=raw, status="stored", received_at=created)
    session.add(message)
    session.flush()
    case = CaseRow(reference=f"CME-2026-{number:05d}", message_row_id=message.id, category=category, status=status,
                   urgent=urgent, needs_review=needs_review, record=json.dumps(record),
                   search_text=search_text_of(record), created_at=created, updated_at=created,
                   update_of_id=update_of_id)
    session.add(case)
    session.flush()
    keep_duplicate_keys(session, case.id, record)
    session.add(ReviewItemRow(case_id=case.id, urgent=urgent, reasons=json.dumps(list(reasons)), opened_at=created))
    message_text.keep(session, message.id, kept_text(parsed), created)
    session.flush()
    return int(case.id)


def kept_text(parsed: Any, checks: str | None = None) -> message_text.ReadText:
    """What the isolated reader hands the store for a parsed message (as `ingest.pipeline.kept_text` keeps it)."""
    return message_text.ReadText(
        message_text.HeaderFacts(parsed.from_address, parsed.from_name, parsed.to, parsed.subject, parsed.date,
                                 parsed.message_id, parsed.references),
        tuple(message_text.TextPart(s.part, s.kind, s.text) for s in parsed.sources),
        tuple(message_text.Listed(a.index, a.filename, a.content_type, a.size, a.parent) for a in parsed.attachments),
        parsed.problems, (), checks)


XSS_NAME = '<script>alert("name")</script><img src=x onerror=alert(1)>'


def seed(engine: Any) -> dict[str, int]:
    """Users "officer" and "boss" and a handful of cases; returns case ids by nickname."""
    make = session_factory(engine)
    ids: dict[str, int] = {}
    with make() as session:
        add_user(session, "officer", "officer", PASSWORD)
        add_user(session, "boss", "admin", PASSWORD)
        body1 = ("Dear CME team,\n\nWe are worried about Poppy Quillfeather, date of birth 03/04/2015, "
                 "of 12 Larkspur Close, Eastleigh SO50 9ZZ. She last attended on 15/09/2026.\n"
                 "Mother: Rowena Quillfeather, 07700 900123.\n\nRegards,\nAttendance Lead\nBrambleton Primary")
        raw1 = email_bytes("lead@brambleton.example.org", "CME referral - Poppy Quillfeather", body1,
                           attachment=("referral form.pdf", "application/pdf", b"%PDF-1.4 fictitious\n%%EOF\n"))
        ids["plain"] = store_case(session, 1, raw1, lambda b: (
            [child(b, "Poppy", "Quillfeather", "2015-04-03", "03/04/2015", "SO50 9ZZ", "female", "2026-09-15", "15/09/2026")],
            [{"name": field(b, "Rowena Quillfeather"), "relationship": field(b, "mother", "Mother"),
              "phone": field(b, "07700900123", "07700 900123"), "email": None}], "school"),
            reasons=("school not found in register",))
        body2 = ("URGENT: Tobias Wrenfield, born 14/02/2012, has not been seen since 02/10/2026 and we believe "
                 "he is being exploited by a county lines group. Last address 4 Heronsgate, Andover SP10 9ZZ.\n"
                 "Police reference given.\n\nPC Ada Lintwhistle")
        raw2 = email_bytes("ada.lintwhistle@police.example.org", "Urgent - missing child", body2)
        ids["urgent"] = store_case(session, 2, raw2, lambda b: (
            [child(b, "Tobias", "Wrenfield", "2012-12-14", "14/02/2012", "SP10 9ZZ", "male", "2026-10-02", "02/10/2026",
                   dob_confidence=0.4)], [], "police"),
            urgent=True, reasons=("child.date_of_birth low confidence", "urgent: criminal exploitation"),
            created=BASE_TIME + timedelta(days=3))
        body3 = f"Child name: {XSS_NAME}\nPlease look at <script>alert('body')</script> and <img src=x onerror=alert(2)>.\n"
        raw3 = email_bytes("someone@example.com", "Hostile <b>subject</b>", body3,
                           html=f"<p>Child name: {XSS_NAME}</p><script>alert('html')</script>",
                           attachment=("page.html", "text/html",
                                       b"<html><body onload=alert(3)><script>alert('attached')</script><p>Hello</p></body></html>"))
        ids["xss"] = store_case(session, 3, raw3, lambda b: (
            [{**child(b, XSS_NAME, "Onerror", None), "first_name": field(b, XSS_NAME)}], [], "public"),
            category="other", reasons=("category uncertain",))
        body4 = ("Hello, Poppy Quilfeather (dob 03/04/2015) is missing from school, she lived at SO50 9ZZ.\n")
        raw4 = email_bytes("office@thornbury.example.org", "Missing pupil", body4,
                           attachment=("notes.txt", "text/plain", b"Pupil notes\nDate of birth: 03/04/2015\nYear: 6\n"))
        notes = next(s.text for s in parse_message(raw4).sources if s.part == "attachment:notes.txt")
        ids["dup"] = store_case(session, 4, raw4, lambda b: (
            [{**child(b, "Poppy", "Quilfeather", None, None, "SO50 9ZZ"),
              "date_of_birth": field(notes, "2015-04-03", "03/04/2015", part="attachment:notes.txt")}], [], "school"))
        body5 = "Quick question about home education for my son, please call me.\n"
        raw5 = email_bytes("parent@example.com", "Home education", body5)
        ids["ehe"] = store_case(session, 5, raw5, lambda b: ([], [], "parent"), category="ehe", needs_review=False)
        body6 = "Update on CME-2026-00001: the family has moved to Basingstoke.\n"
        raw6 = email_bytes("lead@brambleton.example.org", "Re: CME referral [CME-2026-00001]", body6)
        ids["update"] = store_case(session, 6, raw6, lambda b: ([], [], "school"), category="case_update",
                                   status="attached", needs_review=False, update_of_id=ids["plain"])
        session.commit()
    return ids
