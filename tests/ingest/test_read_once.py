"""A message is read once, in the isolated reader: what it read is kept with the case, the case page shows
that, and a forward carries the original byte for byte (read back from the SMTP server)."""
from __future__ import annotations

import html
import json
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlmodel import select

from ingest.pipeline import send_outbox
from review.accounts import add_user
from review.app import create_app
from store import message_text
from store.db import session_factory
from store.tables import CaseRow, MessageRow, OutboxRow
from tests.ingest.service import make_service, service_env
from tests.review.conftest import csrf_of, sign_in

REFERRAL = """From: Imogen Tarrant <i.tarrant@larchmere.example.org>
To: cme@hants.gov.uk
Subject: Pupil not attending
Date: Mon, 16 Nov 2026 10:12:00 +0000
Message-ID: <read-once-1@larchmere.example.org>
MIME-Version: 1.0
Content-Type: text/plain; charset="utf-8"
Content-Transfer-Encoding: 8bit

Dear CME team,

I would like to refer Wilbur Fenwick-Osei, date of birth 03/09/2014, of 9 Tansy Row, Alton GU34 9ZQ.
Wilbur has not attended Larchmere Junior School since 9 November and the family have not answered our calls.
Father: Kwame Osei, 07700 900263.

Kind regards,
Imogen Tarrant – Attendance Officer, Larchmere Junior School
01632 960418
""".replace("\n", "\r\n").encode()

HOME_EDUCATION = """From: Nell Quarry <nell.quarry@example.org>
To: cme@hants.gov.uk
Subject: Home education
Date: Mon, 16 Nov 2026 11:00:00 +0000
Message-ID: <read-once-2@example.org>
MIME-Version: 1.0
Content-Type: text/plain; charset="utf-8"
Content-Transfer-Encoding: 8bit

Hello, we have decided to home educate our son from Monday and have written to his school to
deregister him. Please pass this to the elective home education team – thank you.
Regards
Nell Quarry
""".replace("\n", "\r\n").encode()


@pytest.fixture
def service(tmp_path, imap_account, smtp_server, extraction_context):
    return make_service(service_env(tmp_path, imap_account.env(), smtp_server.env()), extraction_context)


def _row(service: Any, message_id: str) -> tuple[CaseRow, MessageRow]:
    with session_factory(service.engine)() as session:
        message = session.exec(select(MessageRow).where(MessageRow.message_id == message_id)).one()
        case = session.exec(select(CaseRow).where(CaseRow.message_row_id == message.id)).one()
        return case, message


def _officer(service: Any) -> TestClient:
    with session_factory(service.engine)() as session:
        add_user(session, "officer", "officer", "correct horse battery")
        session.commit()
    client = TestClient(create_app(service.settings, service.engine), base_url="http://127.0.0.1")
    assert sign_in(client, "officer", "correct horse battery").status_code == 303
    return client


def _attached_original(data: bytes) -> bytes:
    """The attached original as the forward carried it over SMTP, cut from the mail's own bytes."""
    head, body = data.split(b"Content-Type: message/rfc822\r\n", 1)
    boundary = head.split(b'boundary="', 1)[1].split(b'"', 1)[0]
    return body.split(b"\r\n\r\n", 1)[1].split(b"\r\n--" + boundary, 1)[0]


def test_the_case_page_shows_the_text_the_reader_kept_and_the_highlights_index_into_it_after_the_raw_changed(
        service, imap_account):
    imap_account.append(REFERRAL)
    assert service.poll().stored == 1
    case, message = _row(service, "<read-once-1@larchmere.example.org>")
    with session_factory(service.engine)() as session:
        kept = message_text.text_of(session, message.id)
    assert kept is not None and kept.header.from_address == "i.tarrant@larchmere.example.org"
    parts = {p.part: p.text for p in kept.parts}
    assert "Wilbur Fenwick-Osei, date of birth 03/09/2014" in parts["body"]
    record = json.loads(case.record)
    spans = [f["source"] for f in record["children"][0].values() if isinstance(f, dict) and f.get("source")]
    assert any(s["part"] == "body" for s in spans)
    for s in spans:  # every highlight of the record falls on the words it was read from, in the kept text
        if s["part"] in parts:
            assert parts[s["part"]][s["start"]:s["end"]] == s["text"]

    with session_factory(service.engine)() as session:  # the parsers change; the stored bytes no longer parse
        row = session.get(MessageRow, message.id)
        row.raw = b"\x00\x01 not the message the service read\r\n"
        session.add(row)
        session.commit()
    with _officer(service) as client:
        page = html.unescape(client.get(f"/cases/{case.id}").text)
    assert "I would like to refer Wilbur Fenwick-Osei, date of birth 03/09/2014" in page
    assert "Imogen Tarrant <i.tarrant@larchmere.example.org>" in page and "Pupil not attending" in page
    assert "not the message the service read" not in page


def test_a_message_its_reader_refused_is_listed_and_exported_with_the_header_facts_the_reader_kept(
        service, imap_account):
    refused = (b"From: Linnet Oakes <linnet.oakes@example.org>\r\nTo: cme@hants.gov.uk\r\nSubject: Pupil not seen\r\n"
               b"Date: Tue, 03 Nov 2026 08:30:00 +0000\r\nMessage-ID: <read-once-3@example.org>\r\n\r\n"
               + bytes(range(1, 9)) * 64 + b"\r\n")  # control bytes: "binary data, not an email"
    imap_account.append(refused)
    assert service.poll().quarantined == 1
    with session_factory(service.engine)() as session:  # the stored bytes change: the facts kept do not
        row = session.exec(select(MessageRow).where(MessageRow.message_id == "<read-once-3@example.org>")).one()
        row.raw = b"From: someone.else@example.net\r\nSubject: not what was read\r\n\r\nx\r\n"
        session.add(row)
        session.commit()

    (line,) = service.export()
    assert line["source"]["from"] == "linnet.oakes@example.org" and line["source"]["subject"] == "Pupil not seen"
    assert line["source"]["date"] == "2026-11-03T08:30:00+00:00" and "binary data" in line["error"]
    with _officer(service) as client:
        page = html.unescape(client.get("/quarantine").text)
    assert "linnet.oakes@example.org" in page and "Pupil not seen" in page and "someone.else" not in page


def test_a_forward_carries_the_original_byte_for_byte_and_names_its_sender_from_the_kept_facts(
        service, imap_account, smtp_server):
    imap_account.append(HOME_EDUCATION)
    service.poll()
    _, message = _row(service, "<read-once-2@example.org>")
    (forward,) = [m for m in smtp_server.received if m.rcpt_tos == ["ehe@hants.gov.uk"]]

    assert _attached_original(forward.data) == bytes(message.raw) == HOME_EDUCATION
    cover = forward.data.split(b"Content-Type: message/rfc822", 1)[0]
    assert b"From: nell.quarry@example.org" in cover and b"Home education" not in cover.split(b"\r\n\r\n", 1)[1]


def test_an_officer_s_forward_from_the_case_page_carries_the_original_byte_for_byte(service, imap_account,
                                                                                     smtp_server):
    imap_account.append(REFERRAL)
    service.poll()
    case, message = _row(service, "<read-once-1@larchmere.example.org>")
    before = len(smtp_server.received)
    with _officer(service) as client:
        page = client.get(f"/cases/{case.id}")
        version = int(next(line.split('value="')[1].split('"')[0] for line in page.text.splitlines()
                           if 'name="version"' in line))
        done = client.post(f"/cases/{case.id}/decision", data={"csrf_token": csrf_of(page.text), "version": version,
                                                               "action": "forward", "team": "attendance"},
                           follow_redirects=False)
    assert done.status_code == 303
    with session_factory(service.engine)() as session:  # queued by the web process at its own clock's time
        ids = list(session.exec(select(OutboxRow.id).where(OutboxRow.kind == "forward")).all())
    assert send_outbox(service.deps, ids).sent == 1

    (forward,) = smtp_server.received[before:]
    assert forward.rcpt_tos == ["attendance.queries@hants.gov.uk"]
    assert _attached_original(forward.data) == bytes(message.raw) == REFERRAL
    assert b"From: i.tarrant@larchmere.example.org" in forward.data.split(b"Content-Type: message/rfc822", 1)[0]
