"""An acknowledgement threads under the sender's message in a real mail server, whatever the length of its ids."""
from __future__ import annotations

import email
import email.policy

import pytest

from tests.ingest.service import make_service, service_env
from tests.notifier.test_acks import OUTLOOK_ID, OUTLOOK_THREAD


def _reply_from_a_school() -> bytes:
    """A school's answer in an Outlook thread (long Exchange ids), carrying a new referral."""
    return f"""From: Imogen Tarrant <i.tarrant@larchmere.example.org>
To: cme@hants.gov.uk
Subject: RE: Pupils not attending this term
Date: Mon, 16 Nov 2026 10:12:00 +0000
Message-ID: {OUTLOOK_ID}
In-Reply-To: {OUTLOOK_THREAD[-1]}
References: {OUTLOOK_THREAD[0]}
 {OUTLOOK_THREAD[1]}
 {OUTLOOK_THREAD[2]}
MIME-Version: 1.0
Content-Type: text/plain; charset="utf-8"

Dear CME team,

I would like to refer Wilbur Fenwick-Osei, date of birth 03/09/2014, of 9 Tansy Row, Alton GU34 9ZQ.
Wilbur has not attended Larchmere Junior School since 9 November and the family have not answered our calls.
Father: Kwame Osei, 07700 900263.

Kind regards,
Imogen Tarrant
Attendance Officer, Larchmere Junior School
01632 960418
""".replace("\n", "\r\n").encode()


@pytest.fixture
def service(tmp_path, imap_account, smtp_server, extraction_context):
    return make_service(service_env(tmp_path, imap_account.env(), smtp_server.env()), extraction_context)


def test_acknowledgement_of_an_outlook_thread_carries_its_ids_unencoded_and_the_server_threads_it(
        service, imap_account, smtp_server):
    imap_account.append(_reply_from_a_school())
    service.poll()

    (mail,) = smtp_server.received
    assert mail.rcpt_tos == ["i.tarrant@larchmere.example.org"]
    assert b"=?" not in mail.data.split(b"\r\n\r\n", 1)[0]

    # Python's parser reads exactly those ids
    ack = email.message_from_bytes(mail.data, policy=email.policy.default)
    assert ack["In-Reply-To"] == OUTLOOK_ID
    assert ack["References"].split() == OUTLOOK_THREAD + [OUTLOOK_ID]

    # Dovecot reads them too: the acknowledgement lands beside the original (now in Processed) and the
    # server's own threading (RFC 5256 REFERENCES) puts it under the sender's message
    imap_account.append(mail.data, "Processed")
    client = imap_account.client()
    try:
        client.select_folder("Processed", readonly=True)
        uids = sorted(client.search(["ALL"]))
        assert len(uids) == 2
        original, reply = uids
        envelope = client.fetch([reply], ["ENVELOPE"])[reply][b"ENVELOPE"]
        assert envelope.in_reply_to == OUTLOOK_ID.encode()
        header = client.fetch([reply], ["BODY.PEEK[HEADER.FIELDS (REFERENCES)]"])[reply]
        references = next(v for k, v in header.items() if k.startswith(b"BODY[HEADER"))
        assert references.split()[1:] == [i.encode() for i in OUTLOOK_THREAD + [OUTLOOK_ID]]
        assert client.thread(algorithm="REFERENCES") == ((original, reply),)
    finally:
        client.logout()
