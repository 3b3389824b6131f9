"""The quarantine page: an officer sees every message the service could not process, and its reason."""
from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

from fastapi.testclient import TestClient
from sqlmodel import Session, select

from store import audit, ledger, outbox
from store.tables import AuditRow, OutboxRow

HOSTILE_SUBJECT = '<script>alert("subject")</script><img src=x onerror=alert(2)>'


def _raw(subject: str) -> bytes:
    from email.header import Header

    encoded = Header(subject, "utf-8").encode()  # RFC 2047, as a mail client would write it
    return (f"From: Nell Quarry <nell.quarry@example.org>\r\nTo: cme@hants.gov.uk\r\nSubject: {encoded}\r\n"
            "Date: Tue, 03 Nov 2026 08:30:00 +0000\r\nMessage-ID: <q1@example.org>\r\n"
            "Content-Type: text/plain; charset=\"x-unknown-9\"\r\n\r\n\xff\xfe broken body\r\n").encode("latin-1")


def _quarantine(engine: Any, raw: bytes, reason: str, uid: int = 900) -> int:
    with Session(engine) as session:
        entry = ledger.claim(session, ledger.MessageKey("cme@hants.gov.uk", "INBOX", 1, uid), raw, "<q1@example.org>",
                             datetime(2026, 11, 3, 8, 31, tzinfo=timezone.utc))
        ledger.mark_quarantined(session, entry.id, reason, datetime(2026, 11, 3, 8, 31, tzinfo=timezone.utc))
        session.commit()
        return entry.id


def test_quarantine_page_and_download_need_a_session(client: TestClient, engine: Any) -> None:
    entry_id = _quarantine(engine, _raw("Pupil left"), "the message could not be parsed")
    for path in ("/quarantine", f"/quarantine/{entry_id}/message.eml"):
        response = client.get(path, follow_redirects=False)
        assert response.status_code == 303 and response.headers["location"].startswith("/sign-in")


def test_queue_counts_quarantined_messages_and_the_page_lists_them_with_their_reason(officer: TestClient,
                                                                                     engine: Any) -> None:
    queue = officer.get("/")
    assert 'href="/quarantine"' in queue.text  # in the navigation
    assert "in quarantine" not in queue.text

    _quarantine(engine, _raw("Pupil left Oakbrook Primary – ünïcode"), "unknown charset x-unknown-9 in the body")
    queue = officer.get("/")
    assert "1 message is in quarantine" in queue.text

    page = officer.get("/quarantine")
    assert page.status_code == 200
    assert "nell.quarry@example.org" in page.text
    assert "Pupil left Oakbrook Primary – ünïcode" in page.text  # decoded from RFC 2047
    assert "unknown charset x-unknown-9 in the body" in page.text
    assert "3 Nov 2026" in page.text


def test_hostile_subject_is_shown_as_text(officer: TestClient, engine: Any) -> None:
    _quarantine(engine, _raw(HOSTILE_SUBJECT), '<b onmouseover="x()">reason</b>')
    page = officer.get("/quarantine")
    assert "<script>alert" not in page.text and "<img src=x" not in page.text and "<b onmouseover" not in page.text
    assert "&lt;script&gt;alert(&#34;subject&#34;)&lt;/script&gt;" in page.text


def test_download_gives_the_raw_bytes_as_an_attachment_and_both_are_audited(officer: TestClient, engine: Any) -> None:
    raw = _raw("Pupil left")
    entry_id = _quarantine(engine, raw, "the message could not be parsed")
    officer.get("/quarantine")

    response = officer.get(f"/quarantine/{entry_id}/message.eml")

    assert response.status_code == 200 and response.content == raw
    assert response.headers["content-type"].startswith("message/rfc822")
    assert response.headers["content-disposition"].startswith("attachment;")
    assert response.headers["x-content-type-options"] == "nosniff"
    with Session(engine) as session:
        actions = [(r.actor, r.action) for r in session.exec(select(AuditRow).order_by(AuditRow.id)).all()]
        assert ("officer", "quarantine_view") in actions
        assert ("officer", "quarantine_download") in actions
        assert audit.count_events(session, "officer", "quarantine_download",
                                  datetime(2000, 1, 1, tzinfo=timezone.utc)) == 1


def test_only_a_quarantined_message_downloads(officer: TestClient, engine: Any, ids: dict[str, int]) -> None:
    assert officer.get("/quarantine/1/message.eml").status_code == 404  # a stored message, not quarantined
    assert officer.get("/quarantine/99999/message.eml").status_code == 404


def test_case_history_says_in_words_which_email_was_sent_and_which_bounced(officer: TestClient, engine: Any,
                                                                           ids: dict[str, int]) -> None:
    """(Not quarantine, but the same screen: the service's email audit entries on a case page.)"""
    at = datetime(2026, 11, 3, 9, 0, tzinfo=timezone.utc)
    with Session(engine) as session:
        mail_id = outbox.add(session, case_id=ids["plain"], kind="ack", recipient="lead@brambleton.example.org",
                             thread_key=None, message_id="<ack-7@hants.gov.uk>", mime=b"Subject: x\r\n\r\nx", now=at)
        outbox.mark_sent(session, mail_id, at)
        outbox.mark_bounced(session, ["<ack-7@hants.gov.uk>"], [], at)
        session.commit()
        assert session.get(OutboxRow, mail_id).status == "bounced"

    page = officer.get(f"/cases/{ids['plain']}").text

    assert "Acknowledgement sent to lead@brambleton.example.org" in page
    assert "Acknowledgement bounced from lead@brambleton.example.org" in page
    assert "Message-ID &lt;ack-7@hants.gov.uk&gt;" in page
