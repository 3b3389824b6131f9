"""Transport security as configured: IMAP over implicit TLS and STARTTLS, SMTP likewise, certificates checked."""
from __future__ import annotations


import pytest

from config.settings import load_settings
from ingest.errors import MailboxUnavailable
from ingest.imap import ImapMailbox
from ingest.poller import poll_once
from notifier.errors import DeliveryFailed
from notifier.smtp import SmtpSender
from tests.conftest import SmtpSink, free_port
from tests.ingest import mails
from tests.ingest.service import make_service, service_env


@pytest.mark.parametrize("tls", ["ssl", "starttls"])
def test_imap_over_tls_reads_the_mailbox(tls, imap_account, tls_certificate, tmp_path, extraction_context):
    imap_account.append(mails.person_referral())
    service = make_service(service_env(tmp_path, imap_account.env(tls=tls)), extraction_context)

    with ImapMailbox(service.settings.imap, ssl_context=tls_certificate.client_context()) as mailbox:
        report = poll_once(mailbox, service.deps)

    assert report.stored == 1 and imap_account.messages("INBOX") == []


def test_imap_refuses_a_certificate_it_does_not_trust(imap_account):
    settings = load_settings(imap_account.env(tls="ssl"))
    with pytest.raises(MailboxUnavailable, match="CERTIFICATE_VERIFY_FAILED"):
        with ImapMailbox(settings.imap):  # the system's CAs do not know the test certificate
            pass


@pytest.mark.parametrize("tls", ["ssl", "starttls"])
def test_smtp_over_tls_delivers(tls, tls_certificate):
    sink = SmtpSink(free_port(), tls=tls, server_context=tls_certificate.server_context())
    sink.start()
    try:
        settings = load_settings(sink.env())
        SmtpSender(settings.smtp, ssl_context=tls_certificate.client_context()).send(
            b"Subject: test\r\n\r\nhello\r\n", "cme@hants.gov.uk", ["person@example.org"])
        with pytest.raises(DeliveryFailed):
            SmtpSender(settings.smtp).send(b"Subject: test\r\n\r\nhello\r\n", "cme@hants.gov.uk", ["person@example.org"])
    finally:
        sink.stop()
    assert [m.rcpt_tos for m in sink.received] == [["person@example.org"]]


def test_smtp_plain_connection_to_a_starttls_only_server_is_refused_not_sent_in_clear(tls_certificate):
    sink = SmtpSink(free_port(), tls="starttls", server_context=tls_certificate.server_context())
    sink.start()
    try:
        settings = load_settings({**sink.env(), "CME_SMTP_TLS": "none"})
        with pytest.raises(DeliveryFailed):
            SmtpSender(settings.smtp).send(b"Subject: test\r\n\r\nhello\r\n", "cme@hants.gov.uk", ["person@example.org"])
    finally:
        sink.stop()
    assert sink.received == []
