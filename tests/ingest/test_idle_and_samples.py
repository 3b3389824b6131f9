"""IDLE wakes the poller; the scheduler backs off a lost mailbox; the bundled sample mailbox reads cleanly."""
from __future__ import annotations

import email
import email.policy
import shutil
import threading
import time
from pathlib import Path

from config.settings import load_settings
from ingest.errors import MailboxUnavailable
from ingest.imap import ImapMailbox
from ingest.schedule import Backoff, IdleWatcher, guarded
from tests.ingest import mails
from tests.ingest.service import make_service, service_env

SAMPLES = Path(__file__).resolve().parents[2] / "samples"


def test_idle_wakes_the_poller_when_mail_arrives(imap_account):
    settings = load_settings(imap_account.env())
    woken, stop = threading.Event(), threading.Event()
    watcher = IdleWatcher(lambda: ImapMailbox(settings.imap), woken.set, stop, timeout=2)
    watcher.start()
    try:
        assert woken.wait(15)  # it polls once on connecting, for mail that came while it was away
        woken.clear()
        time.sleep(1.0)  # let it enter IDLE
        imap_account.append(mails.person_referral())
        assert woken.wait(15), "IDLE did not report the new message"
    finally:
        stop.set()
        watcher.join(timeout=10)
        assert not watcher.is_alive()


def test_a_lost_mailbox_is_retried_with_a_growing_delay():
    calls: list[int] = []

    def poll() -> None:
        calls.append(1)
        raise MailboxUnavailable("connection refused")

    backoff = Backoff(first=60)
    job = guarded(poll, backoff)
    job()
    job()  # within the delay: not tried again
    assert len(calls) == 1 and backoff.failures == 1
    backoff.not_before = 0
    job()
    assert len(calls) == 2 and backoff.failures == 2 and backoff.not_before - time.monotonic() > 100


def test_mail_announced_during_a_poll_is_polled_for_before_the_job_returns():
    again = threading.Event()
    polls: list[int] = []

    def poll() -> None:
        polls.append(1)
        if len(polls) == 1:
            again.set()  # IDLE announced new mail while this poll was running

    guarded(poll, Backoff(), again=again)()
    assert len(polls) == 2
    guarded(poll, Backoff(), again=again)()
    assert len(polls) == 3


def test_the_sample_mailbox_is_read_acknowledged_and_emptied(tmp_path, extraction_context):
    env = service_env(tmp_path)
    service = make_service(env, extraction_context)
    samples = sorted(SAMPLES.glob("*.eml"))
    assert 6 <= len(samples) <= 10

    report = service.poll()

    assert report.seen == len(samples) and report.quarantined == 0
    assert report.stored + report.duplicates == len(samples)
    assert service.poll().seen == 0
    records = service.export()
    assert len(records) == len(samples)
    categories = {r["category"] for r in records}
    assert {"auto_reply", "ehe"} <= categories
    outbox = sorted((tmp_path / "var" / "outbox").glob("*.eml"))
    sent = [email.message_from_bytes(p.read_bytes(), policy=email.policy.default) for p in outbox]
    acks = [m for m in sent if m["Auto-Submitted"] == "auto-replied"]
    assert acks and all(m["To"] != "no-reply@forms.example.org" for m in sent)
    assert any(m["To"] == "ehe@hants.gov.uk" for m in sent)  # the misdirected EHE mail is forwarded
    for ack in acks:
        text = ack["Subject"] + ack.get_body(("plain",)).get_content() + ack.get_body(("html",)).get_content()
        assert "<script" not in text and "onerror" not in text
        for name in ("Tegan", "Fairweather", "Callum", "Kyle", "Ashdown", "Jaxon", "Ruby", "Penhallow"):
            assert name not in text
    # new mail dropped into the Maildir is read at the next poll
    shutil.copy(SAMPLES / samples[1].name, tmp_path / "var" / "mailbox" / "INBOX" / "new" / "dropped.eml")
    assert service.poll().duplicates == 1
