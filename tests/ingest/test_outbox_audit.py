"""Every email the service sends, fails to send or sees bounce is in the case's audit trail."""
from __future__ import annotations

import email.policy
from email import message_from_bytes
from typing import Iterator

import pytest
from sqlmodel import select

from store import audit
from store.db import session_factory
from store.tables import CaseRow, OutboxRow
from tests.conftest import free_port
from tests.ingest import mails
from tests.ingest.service import make_service, service_env


@pytest.fixture
def service(tmp_path, imap_account, smtp_server, extraction_context):
    return make_service(service_env(tmp_path, imap_account.env(), smtp_server.env()), extraction_context)


def _history(service, action: str | None = None) -> list[audit.AuditEntry]:
    with session_factory(service.engine)() as session:
        case_ids = session.exec(select(CaseRow.id)).all()
        entries = [e for cid in case_ids for e in audit.case_history(session, cid)]
    return [e for e in entries if action is None or e.action == action]


def test_a_sent_acknowledgement_is_audited_on_its_case_without_the_childs_details(service, imap_account, smtp_server):
    imap_account.append(mails.person_referral())

    service.poll()

    (mail,) = smtp_server.received
    sent_id = message_from_bytes(mail.data, policy=email.policy.default)["Message-ID"]
    (entry,) = _history(service, "email_sent")
    assert entry.actor == "service" and entry.at == service.clock.now
    assert entry.detail["kind"] == "ack" and entry.detail["recipient"] == "k.olowe@quillfield.example.org"
    assert entry.detail["message_id"] == sent_id and isinstance(entry.detail["outbox_id"], int)
    written = repr(entry.detail)
    for secret in (mails.CHILD_FIRST, mails.CHILD_LAST, mails.CHILD_DOB, mails.CHILD_POSTCODE):
        assert secret not in written


def test_smtp_down_audits_nothing_until_the_retry_is_sent(service, imap_account, smtp_server):
    smtp_server.stop()
    imap_account.append(mails.person_referral())
    assert service.poll().acks_failed == 1
    # a transient failure is retried: only a final failure is an audit entry
    assert [e.action for e in _history(service) if e.action.startswith("email_")] == []

    smtp_server.start()
    service.clock.advance(minutes=5)
    assert service.poll().acks_sent == 1
    assert [e.action for e in _history(service) if e.action.startswith("email_")] == ["email_sent"]


class RefusingSink:
    """A real SMTP server that refuses every recipient permanently (550)."""

    def __init__(self) -> None:
        from aiosmtpd.controller import Controller

        class Handler:
            async def handle_RCPT(self, server, session, envelope, address, options):  # noqa: N802
                return "550 5.1.1 mailbox unavailable"

        self.port = free_port()
        self.controller = Controller(Handler(), hostname="127.0.0.1", port=self.port)


@pytest.fixture
def refusing_smtp() -> Iterator[RefusingSink]:
    sink = RefusingSink()
    sink.controller.start()
    try:
        yield sink
    finally:
        sink.controller.stop()


def test_a_refused_acknowledgement_is_audited_as_failed_with_the_reason(tmp_path, imap_account, refusing_smtp,
                                                                         extraction_context):
    env = service_env(tmp_path, imap_account.env(),
                      {"CME_SMTP_HOST": "127.0.0.1", "CME_SMTP_PORT": str(refusing_smtp.port), "CME_SMTP_TLS": "none"})
    service = make_service(env, extraction_context)
    imap_account.append(mails.person_referral())

    service.poll()

    (entry,) = _history(service, "email_failed")
    assert entry.actor == "service" and entry.detail["kind"] == "ack"
    assert "550" in entry.detail["error"] and "\n" not in entry.detail["error"]
    assert _history(service, "email_sent") == []
    with session_factory(service.engine)() as session:
        assert session.exec(select(OutboxRow.status)).all() == ["failed"]


def test_a_bounce_is_audited_on_the_case_of_the_acknowledgement(service, imap_account, smtp_server):
    imap_account.append(mails.person_referral(sender="gone@example.org"))
    service.poll()
    ack = message_from_bytes(smtp_server.received[0].data, policy=email.policy.default)
    reference = service.export()[0]["case_reference"]
    imap_account.append(mails.bounce_of(ack["Message-ID"], reference))

    service.poll()

    (entry,) = _history(service, "email_bounced")
    assert entry.detail["message_id"] == ack["Message-ID"] and entry.detail["recipient"] == "gone@example.org"
    with session_factory(service.engine)() as session:
        first = session.exec(select(CaseRow).where(CaseRow.reference == reference)).one()
        assert "email_bounced" in [e.action for e in audit.case_history(session, first.id)]
