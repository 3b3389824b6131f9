"""Referrals out, through the real app on a real SQLite file: a case entered by hand (from a call or
a quarantined message), the council directory, and the refusals that keep mail from going astray."""
from __future__ import annotations

import json
import re
from datetime import datetime, timezone
from typing import Any, Iterator

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, select

from config.settings import load_settings
from review.app import create_app
from store import ledger, outbox
from store.council_tables import CouncilRow, OutboundRow
from store.tables import AuditRow, CaseRow, MessageRow, OutboxRow, ReferenceCounterRow
from tests.review.conftest import csrf_of, sign_in

PHONE_CALL = ("Mrs Ottilie Brackwater, attendance officer at Fernhollow Primary, rang at 10:15. "
              "Ivo Saltmarsh has missed 12 days since half term; the school cannot reach his father.")


@pytest.fixture(autouse=True)
def references_after_the_seeded_cases(engine: Any, ids: dict[str, int]) -> None:
    """The seed writes CME-2026-00001..6 itself; the service's counter must start after them."""
    with Session(engine) as session:
        session.add(ReferenceCounterRow(year=datetime.now(timezone.utc).year, last_number=100))
        session.commit()


def _form(client: TestClient, path: str, **data: Any) -> Any:
    token = csrf_of(client.get(path).text)
    return client.post(path, data={"csrf_token": token, **data}, follow_redirects=False)


def _call(**extra: str) -> dict[str, str]:
    fields = {"channel": "phone", "account": PHONE_CALL, "category": "cme_referral",
              "referrer.name": "Ottilie Brackwater", "referrer.role": "Attendance officer",
              "referrer.organisation": "Fernhollow Primary", "referrer.type": "school",
              "referrer.phone": "01632 960 456",
              "children.0.first_name": "Ivo", "children.0.last_name": "Saltmarsh",
              "children.0.date_of_birth": "7/3/2016", "children.0.address.postcode": "so50 9zz",
              "parents_carers.0.name": "Bram Saltmarsh", "parents_carers.0.relationship": "father",
              "parents_carers.0.phone": "+44 7700 900456"}
    fields.update(extra)
    return fields


def _cases(engine: Any) -> list[CaseRow]:
    with Session(engine) as session:
        return list(session.exec(select(CaseRow).order_by(CaseRow.id)).all())


def test_a_referral_typed_from_a_phone_call_is_checked_like_an_edit_and_nothing_is_made_until_it_is_right(
        officer: TestClient, engine: Any) -> None:
    before = len(_cases(engine))
    refused = _form(officer, "/new-case", **_call(**{"children.0.address.postcode": "not a postcode",
                                                     "children.0.date_of_birth": "31/02/2016"}))
    assert refused.status_code == 400
    assert "enter a UK postcode, like SO23 8UJ" in refused.text
    assert "that date does not exist" in refused.text
    assert "Saltmarsh" in refused.text  # what was typed is kept
    assert len(_cases(engine)) == before

    no_channel = _form(officer, "/new-case", **_call(channel=""))
    assert no_channel.status_code == 400 and "say how the referral came to you" in no_channel.text


def test_a_phone_referral_becomes_a_case_that_says_who_entered_it_and_from_what(officer: TestClient,
                                                                                 engine: Any) -> None:
    made = _form(officer, "/new-case", **_call())
    assert made.status_code == 303
    case_id = int(re.search(r"/cases/(\d+)", made.headers["location"]).group(1))
    with Session(engine) as session:
        row = session.get(CaseRow, case_id)
        record = json.loads(row.record)
        message = session.get(MessageRow, row.message_row_id)
        entries = session.exec(select(AuditRow).where(AuditRow.case_id == case_id)).all()
    assert row.status == "new" and row.reference.startswith("CME-")
    assert record["entered_by_hand"]["by"] == "officer" and record["entered_by_hand"]["from"] == "phone"
    child = record["children"][0]
    assert child["address"]["postcode"]["value"] == "SO50 9ZZ"  # normalised as the case form does
    assert child["date_of_birth"]["value"] == "2016-03-07"
    assert record["parents_carers"][0]["phone"]["value"] == "07700900456"
    assert record["missing_out"]["days"] == 12  # a school's referral before 20 days: PMOOE
    assert message.account == "entered-by-hand"  # never a mailbox's key: the poller never touches it
    assert [(e.actor, e.action, json.loads(e.detail)["from"]) for e in entries] == [("officer", "entered_by_hand", "phone")]

    page = officer.get(f"/cases/{case_id}?entered=1")
    assert "Entered by hand" in page.text and "from a phone call" in page.text
    assert PHONE_CALL.replace("'", "&#39;") in page.text  # the officer's account is the case's message
    assert "Pupil missing out on education" in page.text and "12 school days (24 sessions)" in page.text
    queue = officer.get("/")
    assert row.reference in queue.text and "12 days" in queue.text


def _quarantine(engine: Any, poison: bool = False) -> int:
    raw = (b"From: Linnet Oakes <linnet.oakes@example.org>\r\nTo: cme@hants.gov.uk\r\nSubject: Pupil not seen\r\n"
           b"Date: Tue, 03 Nov 2026 08:30:00 +0000\r\nMessage-ID: <quarantined-1@example.org>\r\n"
           b"Content-Type: text/plain; charset=\"x-unknown-9\"\r\n\r\nWren Halloway has not been seen since October.\r\n")
    now = datetime(2026, 11, 3, 8, 31, tzinfo=timezone.utc)
    with Session(engine) as session:
        entry = ledger.claim(session, ledger.MessageKey("cme@hants.gov.uk", "INBOX", 1, 901), raw, None, now)
        ledger.mark_quarantined(session, entry.id, "unknown charset x-unknown-9 in the body", now)
        if poison:  # it stopped the process three times: quarantined as a poison message
            row = session.get(MessageRow, entry.id)
            row.attempts = ledger.MAX_ATTEMPTS
            session.add(row)
        session.commit()
        return entry.id


def test_a_quarantined_message_becomes_a_case_once_and_its_quarantine_entry_links_to_it(officer: TestClient,
                                                                                       engine: Any) -> None:
    entry_id = _quarantine(engine)
    listing = officer.get("/quarantine")
    assert f'href="/new-case?entry={entry_id}"' in listing.text and "Create a case from this message" in listing.text

    form = officer.get(f"/new-case?entry={entry_id}")
    assert "linnet.oakes@example.org" in form.text and "Pupil not seen" in form.text
    made = officer.post("/new-case", data={"csrf_token": csrf_of(form.text), "entry": str(entry_id),
                                           "category": "cme_referral", "children.0.first_name": "Wren",
                                           "children.0.last_name": "Halloway", "referrer.type": "public",
                                           "account": "Rang Ms Oakes back: Wren moved in October."},
                        follow_redirects=False)
    assert made.status_code == 303
    case_id = int(re.search(r"/cases/(\d+)", made.headers["location"]).group(1))
    with Session(engine) as session:
        row = session.get(CaseRow, case_id)
        record = json.loads(row.record)
    assert row.message_row_id == entry_id
    assert record["entered_by_hand"]["from"] == "quarantined" and record["entered_by_hand"]["ledger_entry"] == entry_id
    assert record["source"]["from"] == "linnet.oakes@example.org" and record["source"]["subject"] == "Pupil not seen"
    case_page = officer.get(f"/cases/{case_id}").text
    assert f"quarantined message {entry_id}" in case_page
    # the message itself is the case's: the service could not read it, so the page offers it as it arrived
    # (the web process never parses it) and says why its text is not shown
    assert 'id="text-not-kept"' in case_page and f'href="/cases/{case_id}/message.eml"' in case_page
    assert officer.get(f"/cases/{case_id}/message.eml").content.endswith(b"Wren Halloway has not been seen since October.\r\n")
    assert "Rang Ms Oakes back: Wren moved in October." in case_page  # the officer's notes are a note on it

    listing = officer.get("/quarantine")
    assert f'href="/cases/{case_id}"' in listing.text and f"{row.reference}</a> was made from it" in listing.text
    again = officer.get(f"/new-case?entry={entry_id}", follow_redirects=False)
    assert again.status_code == 303 and again.headers["location"] == f"/cases/{case_id}"
    assert len([c for c in _cases(engine) if c.message_row_id == entry_id]) == 1


def test_nothing_is_sent_to_a_council_whose_address_is_not_known(officer: TestClient, engine: Any,
                                                                 ids: dict[str, int]) -> None:
    first = officer.get(f"/cases/{ids['plain']}/refer?council=1")  # the directory is seeded when first read
    assert first.status_code == 200 and "no email address in the directory" in first.text
    directory = officer.get("/councils")
    for name in ("Southampton City Council", "Portsmouth City Council", "Isle of Wight Council", "Dorset Council",
                 "BCP Council (Bournemouth, Christchurch and Poole)", "Wiltshire Council", "West Berkshire Council",
                 "Wokingham Borough Council", "Bracknell Forest Council", "Surrey County Council",
                 "West Sussex County Council"):
        assert name in directory.text
    with Session(engine) as session:
        southampton = session.exec(select(CouncilRow).where(CouncilRow.name == "Southampton City Council")).one()
    assert southampton.email == ""
    case_id = ids["plain"]
    page = officer.get(f"/cases/{case_id}/refer?council={southampton.id}")
    assert "has no email address in the directory" in page.text and 'id="send"' not in page.text
    refused = officer.post(f"/cases/{case_id}/refer", data={
        "csrf_token": csrf_of(page.text), "council": str(southampton.id), "subject": "Referral", "body": "Summary",
        "after": "close"}, follow_redirects=False)
    assert refused.status_code == 400
    assert "Southampton City Council has no email address in the directory, so nothing can be sent to it" in refused.text
    with Session(engine) as session:
        assert session.exec(select(OutboxRow)).all() == []
        assert session.exec(select(OutboundRow)).all() == []
        assert session.get(CaseRow, case_id).status == "new"


def test_only_an_admin_can_change_the_council_directory(client: TestClient, engine: Any) -> None:
    assert sign_in(client).status_code == 303  # an officer
    page = client.get("/councils")
    assert "only an admin can change this directory" in page.text and 'action="/councils/' not in page.text
    with Session(engine) as session:
        surrey = session.exec(select(CouncilRow).where(CouncilRow.name == "Surrey County Council")).one()
    refused = client.post(f"/councils/{surrey.id}", data={"csrf_token": csrf_of(page.text), "name": surrey.name,
                                                          "team": "CME", "email": "cme@surrey.example.org"})
    assert refused.status_code == 403
    with Session(engine) as session:
        assert session.get(CouncilRow, surrey.id).email == ""

    client.cookies.clear()
    assert sign_in(client, "boss").status_code == 303  # an admin
    page = client.get("/councils")
    bad = client.post(f"/councils/{surrey.id}", data={"csrf_token": csrf_of(page.text), "name": surrey.name,
                                                      "team": surrey.team, "email": "not an address"})
    assert bad.status_code == 400 and "Enter an email address" in bad.text
    saved = client.post(f"/councils/{surrey.id}", data={"csrf_token": csrf_of(page.text), "name": surrey.name,
                                                        "team": surrey.team, "email": "CME@Surrey.example.org"},
                        follow_redirects=False)
    assert saved.status_code == 303
    with Session(engine) as session:
        assert session.get(CouncilRow, surrey.id).email == "cme@surrey.example.org"
        entry = session.exec(select(AuditRow).where(AuditRow.action == "council_directory")).one()
    assert entry.actor == "boss" and json.loads(entry.detail)["email"] == "cme@surrey.example.org"


@pytest.fixture()
def legal_client(tmp_path: Any, engine: Any, ids: dict[str, int]) -> Iterator[TestClient]:
    settings = load_settings({"CME_DATA_DIR": str(tmp_path), "CME_SECURE_COOKIES": "false",
                              "CME_LEGAL_ADDRESS": "Legal.Intervention@hants.example.org"})
    with TestClient(create_app(settings, engine), base_url="http://127.0.0.1") as c:
        assert sign_in(c).status_code == 303
        yield c


def test_a_school_attendance_order_referral_needs_the_legal_teams_address(officer: TestClient, engine: Any,
                                                                         ids: dict[str, int]) -> None:
    page = officer.get(f"/cases/{ids['plain']}/sao")
    assert "CME_LEGAL_ADDRESS" in page.text and 'id="send"' not in page.text
    refused = officer.post(f"/cases/{ids['plain']}/sao", data={"csrf_token": csrf_of(page.text), "subject": "SAO",
                                                               "body": "Referral"})
    assert refused.status_code == 400 and "cannot be sent" in refused.text
    with Session(engine) as session:
        assert session.exec(select(OutboxRow)).all() == []


def test_the_sao_draft_carries_the_case_its_notes_and_the_mail_sent(legal_client: TestClient, engine: Any,
                                                                    ids: dict[str, int]) -> None:
    case_id = ids["plain"]
    now = datetime(2026, 11, 2, 10, 5, tzinfo=timezone.utc)
    with Session(engine) as session:
        for kind, recipient in (("ack", "lead@brambleton.example.org"), ("forward", "attendance@hants.gov.uk")):
            outbox.add(session, case_id=case_id, kind=kind, recipient=recipient, thread_key=None,
                       message_id=f"<{kind}@hants.gov.uk>", mime=b"x", now=now)
        session.commit()
    page = legal_client.get(f"/cases/{case_id}")
    legal_client.post(f"/cases/{case_id}/notes", data={"csrf_token": csrf_of(page.text),
                                                       "note": "Home visit on 4 November: nobody at the address."})
    draft = legal_client.get(f"/cases/{case_id}/sao")
    assert "legal.intervention@hants.example.org" in draft.text
    for words in ("CME-2026-00001", "Poppy Quillfeather", "3 April 2015", "Rowena Quillfeather",
                  "Home visit on 4 November: nobody at the address.", "No enquiries are logged on this case.",
                  "Forward to attendance@hants.gov.uk (pending)"):
        assert words in draft.text
    assert "lead@brambleton.example.org" not in draft.text  # the referrer (acknowledged) is never in it


def test_a_message_that_stopped_the_service_is_never_opened_again_its_case_rests_on_the_officers_notes(
        officer: TestClient, engine: Any) -> None:
    entry_id = _quarantine(engine, poison=True)
    form = officer.get(f"/new-case?entry={entry_id}")
    made = officer.post("/new-case", data={"csrf_token": csrf_of(form.text), "entry": str(entry_id),
                                           "category": "cme_referral", "children.0.first_name": "Wren",
                                           "account": "Read the download: a school's referral for Wren."},
                        follow_redirects=False)
    assert made.status_code == 303
    case_id = int(re.search(r"/cases/(\d+)", made.headers["location"]).group(1))
    with Session(engine) as session:
        row = session.get(CaseRow, case_id)
    assert row.message_row_id != entry_id  # a notes row of its own, not the poison message
    page = officer.get(f"/cases/{case_id}").text
    assert "a school&#39;s referral for Wren" in page and f"quarantined message {entry_id}" in page
    assert "Wren Halloway has not been seen" not in page
    assert f'href="/cases/{case_id}"' in officer.get("/quarantine").text


def test_an_open_case_referred_to_another_council_is_closed_as_moved_out_of_the_area(officer: TestClient, engine: Any,
                                                                                     ids: dict[str, int]) -> None:
    from store import casework

    case_id = ids["plain"]
    now = datetime.now(timezone.utc)
    with Session(engine) as session:
        casework.decide(session, case_id, "accept", "officer", now, None)  # an open CME case
        session.commit()
    officer.get("/councils")  # the directory is seeded when first read
    with Session(engine) as session:
        wiltshire = session.exec(select(CouncilRow).where(CouncilRow.name == "Wiltshire Council")).one()
        wiltshire.email = "cme@wiltshire.example.org"
        session.add(wiltshire)
        session.commit()
        wiltshire_id = wiltshire.id
    page = officer.get(f"/cases/{case_id}/refer?council={wiltshire_id}")
    sent = officer.post(f"/cases/{case_id}/refer", data={"csrf_token": csrf_of(page.text), "council": str(wiltshire_id),
                                                         "subject": "CME referral", "body": "Summary", "after": "close"},
                        follow_redirects=False)
    assert sent.status_code == 303
    with Session(engine) as session:
        row = session.get(CaseRow, case_id)
        (mail,) = session.exec(select(OutboxRow)).all()
        (out,) = session.exec(select(OutboundRow)).all()
    assert (row.status, row.closing_reason) == ("closed", "moved_out_of_area")
    assert mail.recipient == "cme@wiltshire.example.org" and mail.kind == "council_referral" and mail.status == "pending"
    assert out.council_id == wiltshire_id and out.sent_by == "officer" and out.closed_case
