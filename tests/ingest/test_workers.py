"""Several workers on one PostgreSQL database and one mailbox: every message once, every person acknowledged once."""
from __future__ import annotations

import threading

from ingest.imap import ImapMailbox
from ingest.poller import PollReport, poll_once
from tests.ingest import mails
from tests.ingest.service import make_service, service_env


def test_two_workers_polling_at_once_store_each_message_once(tmp_path, imap_account, smtp_server, postgres,
                                                              extraction_context):
    env = service_env(tmp_path, imap_account.env(), smtp_server.env(), {"CME_DATABASE_URL": postgres.new_database()})
    workers = [make_service(env, extraction_context) for _ in range(2)]
    batch = [mails.person_referral(), mails.second_person_referral(), mails.no_reply_form(), mails.out_of_office(),
             mails.mailing_list(), mails.not_an_email()] + [mails.person_referral(sender=f"teacher{n}@school.example.org")
                                                             for n in range(6)]
    for raw in batch:
        imap_account.append(raw)
    reports: list[PollReport] = []
    errors: list[BaseException] = []
    start = threading.Barrier(2)

    def work(service) -> None:
        try:
            with ImapMailbox(service.settings.imap) as mailbox:
                start.wait()
                reports.append(poll_once(mailbox, service.deps))
        except BaseException as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(w,)) for w in workers]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    workers[0].poll()  # whatever one worker left claimed by the other is done now

    assert errors == []
    records = workers[0].export()
    assert len(records) == len(batch)
    references = [r["case_reference"] for r in records if "error" not in r]
    assert len(references) == len(set(references)) == len(batch) - 1
    recipients = sorted(r for m in smtp_server.received for r in m.rcpt_tos)
    assert len(recipients) == len(set(recipients)) == 9
    assert imap_account.messages("INBOX") == []
    assert len(imap_account.messages("Processed")) + len(imap_account.messages("Quarantine")) == len(batch)
