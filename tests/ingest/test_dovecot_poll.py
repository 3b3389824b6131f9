"""The service against a real Dovecot and a real SMTP server: what the CME team would notice."""
from __future__ import annotations

import json
from email import message_from_bytes
from email.message import Message

import pytest
from sqlmodel import select

from store.db import session_factory
from store.tables import MessageRow, OutboxRow
from tests.ingest import mails
from tests.ingest.service import make_service, service_env


def _bodies(msg: Message) -> str:
    return " ".join(part.get_content() for part in msg.walk() if part.get_content_maintype() == "text")


def _parsed(data: bytes) -> Message:
    import email.policy

    return message_from_bytes(data, policy=email.policy.default)


@pytest.fixture
def service(tmp_path, imap_account, smtp_server, extraction_context):
    env = service_env(tmp_path, imap_account.env(), smtp_server.env())
    return make_service(env, extraction_context)


def test_poll_stores_every_message_once_acknowledges_people_and_empties_inbox(service, imap_account, smtp_server):
    person = mails.person_referral()
    batch = [person, mails.second_person_referral(), mails.out_of_office(), mails.mailing_list(),
             mails.no_reply_form(), mails.not_an_email()]
    for raw in batch:
        imap_account.append(raw)

    first = service.poll()
    second = service.poll()

    assert (first.seen, first.stored, first.quarantined) == (6, 5, 1)
    assert (second.seen, second.stored, second.quarantined, second.acks_sent) == (0, 0, 0, 0)
    assert imap_account.messages("INBOX") == []
    assert len(imap_account.messages("Processed")) == 5
    assert imap_account.messages("Quarantine") == [mails.not_an_email()]

    records = service.export()
    assert len(records) == 6
    errors = [r for r in records if "error" in r]
    assert len(errors) == 1 and "not an email" in errors[0]["error"]
    stored = [r for r in records if "error" not in r]
    references = [r["case_reference"] for r in stored]
    assert len(set(references)) == 5 and all(ref.startswith("CME-2026-") for ref in references)

    # Only the two people and the referrer named in the form get an acknowledgement, once each.
    recipients = sorted(rcpt for mail in smtp_server.received for rcpt in mail.rcpt_tos)
    assert recipients == ["k.olowe@quillfield.example.org", "ola.brightwater@example.com", "tom.pyke@example.com"]


def test_acknowledgement_threads_names_no_child_and_is_marked_automatic(service, imap_account, smtp_server):
    raw = mails.person_referral(message_id="<thread-root-1@quillfield.example.org>")
    imap_account.append(raw)
    service.poll()

    (mail,) = smtp_server.received
    ack = _parsed(mail.data)
    (record,) = service.export()
    assert record["case_reference"] in ack["Subject"]
    assert ack["In-Reply-To"] == "<thread-root-1@quillfield.example.org>"
    assert "<thread-root-1@quillfield.example.org>" in ack["References"]
    assert ack["Auto-Submitted"] == "auto-replied"
    text = ack["Subject"] + " " + _bodies(ack)
    for detail in (mails.CHILD_FIRST, mails.CHILD_LAST, mails.CHILD_DOB, mails.CHILD_POSTCODE, mails.CHILD_SCHOOL,
                   "Hollyhock", "2015"):
        assert detail not in text
    assert "999" in text and "What happens next" in text


def test_redelivered_message_adds_no_record_and_no_acknowledgement(service, imap_account, smtp_server):
    raw = mails.person_referral()
    imap_account.append(raw)
    service.poll()
    imap_account.append(raw)  # the same bytes again
    imap_account.append(b"Received: from relay.example.org by mx.example.org; Mon, 16 Nov 2026 10:15:00 +0000\r\n" + raw)

    again = service.poll()

    assert again.stored == 0 and again.duplicates == 2
    assert len(service.export()) == 1
    assert len(smtp_server.received) == 1
    assert imap_account.messages("INBOX") == []
    assert len(imap_account.messages("Processed")) == 3


def test_changed_uidvalidity_adds_nothing(tmp_path, imap_account, smtp_server, extraction_context):
    service = make_service(service_env(tmp_path, imap_account.env(folder="Referrals"), smtp_server.env()),
                           extraction_context)
    batch = [mails.person_referral(), mails.out_of_office()]
    for raw in batch:
        imap_account.append(raw, folder="Referrals")
    service.poll()
    client = imap_account.client()
    before = client.folder_status("Referrals", ["UIDVALIDITY"])[b"UIDVALIDITY"]
    client.delete_folder("Referrals")  # the folder is recreated: UIDs start again under a new UIDVALIDITY
    client.create_folder("Referrals")
    after = client.folder_status("Referrals", ["UIDVALIDITY"])[b"UIDVALIDITY"]
    client.logout()
    assert after != before
    for raw in batch:
        imap_account.append(raw, folder="Referrals")

    report = service.poll()

    assert report.stored == 0 and report.duplicates == 2
    assert len(service.export()) == 2
    assert len(smtp_server.received) == 1
    assert imap_account.messages("Referrals") == []


def test_smtp_down_then_up_sends_the_acknowledgement_later(service, imap_account, smtp_server):
    smtp_server.stop()
    imap_account.append(mails.person_referral())

    down = service.poll()
    assert down.stored == 1 and down.acks_failed == 1
    assert imap_account.messages("INBOX") == []  # the record is safe; the mail moved on

    smtp_server.start()
    early = service.poll()  # the retry waits for its delay
    assert early.acks_sent == 0 and smtp_server.received == []
    service.clock.advance(minutes=5)
    later = service.poll()

    assert later.acks_sent == 1
    assert [m.rcpt_tos for m in smtp_server.received] == [["k.olowe@quillfield.example.org"]]
    service.clock.advance(hours=1)
    assert service.poll().acks_sent == 0


def test_malformed_mail_is_quarantined_with_a_reason_and_the_poll_goes_on(service, imap_account):
    imap_account.append(mails.not_an_email())
    imap_account.append(mails.person_referral())

    report = service.poll()

    assert (report.quarantined, report.stored) == (1, 1)
    assert len(imap_account.messages("Quarantine")) == 1
    with session_factory(service.engine)() as session:
        row = session.exec(select(MessageRow).where(MessageRow.status == "quarantined")).one()
        assert row.reason and "not an email" in row.reason
        assert bytes(row.raw) == mails.not_an_email()  # the raw bytes are kept
        from store.export import quarantined_messages

        (listed,) = quarantined_messages(session)
        assert listed.entry_id == row.id and "not an email" in listed.reason and listed.moved


def test_oversized_mail_is_quarantined_unread(tmp_path, imap_account, smtp_server, extraction_context):
    env = service_env(tmp_path, imap_account.env(), smtp_server.env(), {"CME_IMAP_MAX_BYTES": "2048"})
    service = make_service(env, extraction_context)
    big = mails.person_referral() + b"x" * 4000 + b"\r\n"
    imap_account.append(big)

    report = service.poll()

    assert report.quarantined == 1 and smtp_server.received == []
    (record,) = service.export()
    assert "over the 2048-byte limit" in record["error"]
    assert record["source"]["from"] == "k.olowe@quillfield.example.org"
    with session_factory(service.engine)() as session:
        row = session.exec(select(MessageRow)).one()
        assert len(row.raw) < 2048  # only the header block was downloaded


def test_bounce_of_an_acknowledgement_marks_it_bounced_and_is_not_answered(service, imap_account, smtp_server):
    imap_account.append(mails.person_referral(sender="gone@example.org"))
    service.poll()
    ack = _parsed(smtp_server.received[0].data)
    reference = service.export()[0]["case_reference"]
    imap_account.append(mails.bounce_of(ack["Message-ID"], reference))

    report = service.poll()

    assert report.stored == 1 and len(smtp_server.received) == 1
    with session_factory(service.engine)() as session:
        assert session.exec(select(OutboxRow.status)).all() == ["bounced"]
    assert service.export()[1]["category"] == "bounce"


def test_move_without_the_move_extension_copies_flags_and_expunges_only_that_message(service, imap_account):
    from ingest.imap import ImapMailbox
    from ingest.poller import poll_once

    imap_account.append(mails.person_referral())
    other = imap_account.client()
    other.select_folder("INBOX")
    imap_account.append(mails.out_of_office())
    # another client's message flagged \Deleted must survive our expunge (no bare EXPUNGE)
    other.add_flags(other.search(["ALL"])[-1:], [b"\\Deleted"])
    other.logout()

    with ImapMailbox(service.settings.imap, use_move=False) as mailbox:
        report = poll_once(mailbox, service.deps)

    assert report.stored == 1 and report.moved == 1
    assert len(imap_account.messages("Processed")) == 1
    client = imap_account.client()
    client.select_folder("INBOX", readonly=True)
    assert len(client.search(["DELETED"])) == 1  # still there, still flagged by the other client
    client.logout()


def test_export_lines_follow_the_contract(service, imap_account):
    imap_account.append(mails.person_referral())
    imap_account.append(mails.not_an_email())
    service.poll()

    for record in service.export():
        assert record["schema"] == "cme-referral/1"
        assert set(record["source"]) == {"file", "message_id", "from", "subject", "date"}
        if "error" not in record:
            assert record["case_reference"].startswith("CME-")
            json.dumps(record)


def test_a_reply_in_a_case_thread_is_stored_as_an_update_of_that_case(service, imap_account, smtp_server):
    imap_account.append(mails.person_referral(message_id="<case-root-7@quillfield.example.org>"))
    service.poll()
    reply = (b"From: Kemi Olowe <k.olowe@quillfield.example.org>\r\nTo: cme@hants.gov.uk\r\n"
             b"Subject: Re: Referral\r\nDate: Tue, 17 Nov 2026 08:00:00 +0000\r\nMessage-ID: <reply-8@quillfield.example.org>\r\n"
             b"In-Reply-To: <case-root-7@quillfield.example.org>\r\nReferences: <case-root-7@quillfield.example.org>\r\n"
             b"\r\nThe family has now been seen in Portsmouth, the neighbour says.\r\n")
    imap_account.append(reply)

    service.poll()

    first, update = service.export()
    assert update["category"] == "case_update"
    assert update["case_reference"] == first["case_reference"]
    assert update["needs_review"] is True
    assert len(smtp_server.received) == 1  # one acknowledgement per sender per thread


def test_a_flood_from_one_sender_gets_only_a_few_acknowledgements(service, imap_account, smtp_server):
    for n in range(7):
        imap_account.append(mails.person_referral(subject=f"Referral number {n}"))

    report = service.poll()

    assert report.stored == 7
    assert len(smtp_server.received) == 5


def test_automatic_mail_stays_out_of_the_queue_and_urgent_mail_heads_it(service, imap_account):
    from store.tables import CaseRow, ReviewItemRow

    imap_account.append(mails.out_of_office())
    imap_account.append(mails.person_referral())
    imap_account.append(mails.urgent_police())
    service.poll()

    with session_factory(service.engine)() as session:
        rows = {row.category if not row.urgent else "urgent": row for row in session.exec(select(CaseRow)).all()}
        assert rows["auto_reply"].status == "rejected"
        assert rows["urgent"].status == "new"
        items = session.exec(select(ReviewItemRow)).all()
        assert any(item.case_id == rows["urgent"].id and item.urgent for item in items)
        assert all(item.case_id != rows["auto_reply"].id for item in items)
