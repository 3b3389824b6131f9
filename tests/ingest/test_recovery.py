"""A poll killed with SIGKILL costs no waiting: the next poll finishes every message at once, and
acknowledges each person once.

Each trial kills a real `cme poll --once` at a random point (after a random number of messages, plus
a random fraction of a second: while it reads, stores, sends or moves), then polls again.
"""
from __future__ import annotations

import dataclasses
import os
import random
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest
from sqlmodel import select

from config.settings import load_settings
from ingest.cli import build_deps, open_database, open_mailbox
from ingest.poller import poll_mailbox
from store.db import session_factory
from store.errors import ClaimedElsewhere
from store.export import export_records
from store.tables import MessageRow, OutboxRow
from tests.ingest import mails
from tests.ingest.service import service_env

PROJECT = Path(__file__).resolve().parents[2]
CME = [sys.executable, "-m", "ingest.cli"]
TRIALS = 4
PEOPLE = 10
LEFT_AT_KILL = 6  # messages still unread when the kill's delay starts: more than the delay can cover


def _batch(trial: int) -> list[bytes]:
    people = [mails.person_referral(sender=f"teacher{n}.t{trial}@school.example.org") for n in range(PEOPLE)]
    return people[:3] + [mails.out_of_office(), mails.not_an_email()] + people[3:]


def _start_poll(env: dict[str, str]) -> subprocess.Popen:
    return subprocess.Popen([*CME, "poll", "--once"], cwd=PROJECT, env={**os.environ, **env}, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)


def _kill_during(proc: subprocess.Popen, after: int, delay: float) -> str:
    """SIGKILL `proc` `delay` seconds after it has finished `after` messages; what it logged until then."""
    seen, finished = [], 0
    assert proc.stderr is not None
    for line in proc.stderr:
        seen.append(line)
        finished += "cme.pipeline: ledger entry" in line
        if "message(s) to read" in line and after == 0 or finished and finished >= after:
            break
    time.sleep(delay)
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    return "".join(seen)


def _unconfirmed_sends(engine, sink_ids: set[str]) -> set[str]:
    """Acknowledgements the SMTP server accepted whose row was not yet marked sent: the at-least-once window."""
    with session_factory(engine)() as session:
        rows = session.exec(select(OutboxRow)).all()
        return {r.message_id for r in rows if r.message_id in sink_ids and r.status != "sent"}


def _message_ids(received) -> list[str]:
    return [m.message["Message-ID"] for m in received]


def test_a_poll_killed_at_random_points_is_finished_by_the_next_poll_without_waiting(
        tmp_path, dovecot, smtp_server, extraction_context):
    rng = random.Random(20261206)
    window_hits = 0
    # after how many messages each trial is killed; enough are left that the poll cannot finish first
    points = rng.sample(range(len(_batch(0)) - LEFT_AT_KILL), TRIALS)
    for trial, after in enumerate(points):
        account = dovecot.new_account()
        env = service_env(tmp_path / f"trial{trial}", account.env(), smtp_server.env())
        batch = _batch(trial)
        for raw in batch:
            account.append(raw)
        before = len(smtp_server.received)
        delay = rng.uniform(0.0, 0.2)  # then a random point while it sends, moves or reads the next ones

        killed = _start_poll(env)
        log = _kill_during(killed, after, delay)
        assert killed.returncode == -signal.SIGKILL, log[-2000:]

        settings = load_settings(env)
        engine = open_database(settings)
        sent_before_kill = set(_message_ids(smtp_server.received[before:]))
        window = _unconfirmed_sends(engine, sent_before_kill)
        window_hits += bool(window)
        with session_factory(engine)() as session:
            claimed = session.exec(select(MessageRow).where(MessageRow.status == "claimed")).all()
        print(f"trial {trial}: killed {delay:.2f} s after message {after}: {len(claimed)} claim(s) left, "
              f"{len(window)} acknowledgement(s) in the at-least-once window", file=sys.stderr)

        deps = build_deps(settings, engine, context=extraction_context)  # the service's real clock
        report = poll_mailbox(open_mailbox(settings), deps)

        assert report.busy == 0 and not report.skipped, (trial, delay, report.line())
        assert account.messages("INBOX") == [], (trial, delay)
        with session_factory(engine)() as session:
            records = list(export_records(session))
        assert len(records) == len(batch), (trial, delay)
        assert sum("error" in r for r in records) == 1
        references = [r["case_reference"] for r in records if "error" not in r]
        assert len(set(references)) == len(references) == len(batch) - 1
        received = smtp_server.received[before:]
        recipients = Counter(r for m in received for r in m.rcpt_tos)
        assert set(recipients) == {f"teacher{n}.t{trial}@school.example.org" for n in range(PEOPLE)}, (trial, delay)
        sent_twice = {mid for mid, n in Counter(_message_ids(received)).items() if n > 1}
        # the one duplicate the protocol allows: the server took it, the kill came before it was marked sent
        assert sent_twice <= window and len(window) <= 1, (trial, delay, sent_twice, window)
        assert sum(recipients.values()) == PEOPLE + len(sent_twice), (trial, delay)
        engine.dispose()
    assert window_hits <= 1


def test_a_poll_that_stops_at_its_batch_limit_says_so_and_the_next_reads_the_rest(tmp_path, imap_account, smtp_server,
                                                                                  extraction_context, caplog):
    from tests.ingest.service import make_service

    env = service_env(tmp_path, imap_account.env(), smtp_server.env())
    for n in range(3):
        imap_account.append(mails.person_referral(sender=f"head{n}@school.example.org"))
    service = make_service(env, extraction_context)

    with caplog.at_level("INFO", logger="cme.poller"):
        first = poll_mailbox(open_mailbox(service.settings), service.deps, limit=2)
    second = poll_mailbox(open_mailbox(service.settings), service.deps, limit=2)

    assert first.seen == 2 and first.more and "more=waiting stopped=batch-limit" in first.line()
    assert "stopped at its batch limit of 2 messages" in caplog.text
    assert second.seen == 1 and not second.more and "more=" not in second.line()
    assert imap_account.messages("INBOX") == []


def test_a_standby_is_woken_when_the_worker_polling_the_folder_dies(tmp_path):
    import threading
    from datetime import datetime, timezone

    from ingest.schedule import LeaseWatcher
    from store import leases
    from store.db import make_engine, upgrade

    engine = make_engine(f"sqlite:///{tmp_path / 'cme.sqlite3'}")
    upgrade(engine)
    sessions = session_factory(engine)
    worker = "import sys; from store.leases import new_holder; print(new_holder(), flush=True); sys.stdin.read()"
    polling = subprocess.Popen([sys.executable, "-c", worker], cwd=PROJECT, stdin=subprocess.PIPE,
                               stdout=subprocess.PIPE, text=True)
    assert polling.stdout is not None
    holder = polling.stdout.readline().strip()
    with sessions() as session:
        assert leases.acquire(session, "cme@imap.example.org/INBOX", holder, datetime.now(timezone.utc))

    def abandoned() -> bool:
        with sessions() as session:
            return leases.abandoned(session, "cme@imap.example.org/INBOX", datetime.now(timezone.utc))

    woken, stop = threading.Event(), threading.Event()
    watcher = LeaseWatcher(abandoned, woken.set, stop, every=0.2)
    watcher.start()
    try:
        assert not abandoned()
        polling.send_signal(signal.SIGKILL)
        polling.wait(timeout=30)
        assert woken.wait(timeout=30), "the standby was not woken"
    finally:
        stop.set()
        watcher.join(timeout=10)
        engine.dispose()


def test_a_working_poll_keeps_its_claims_and_its_lease_alive(tmp_path, extraction_context):
    from datetime import timedelta

    from ingest.poller import Heartbeat
    from store import leases, ledger
    from store.ledger import MessageKey
    from tests.ingest.service import make_service

    service = make_service(service_env(tmp_path), extraction_context)
    deps, clock = service.deps, service.clock
    key = MessageKey("cme@imap.example.org", "INBOX", 7, 1)
    with deps.sessions() as session:
        assert leases.acquire(session, "cme@imap.example.org/INBOX", deps.worker, clock())
        ledger.claim(session, key, mails.person_referral(), None, clock(), holder=deps.worker)
    clock.advance(seconds=25)  # the worker is still reading the message
    beat = Heartbeat(deps, "cme@imap.example.org/INBOX", timedelta(seconds=0.05))
    beat.start()
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and _claim_expiry(deps, key) != clock() + ledger.HELD_CLAIM_LEASE:
            time.sleep(0.05)
    finally:
        beat.stop()
    assert _claim_expiry(deps, key) == clock() + ledger.HELD_CLAIM_LEASE
    clock.advance(seconds=25)  # 50 s after the claim: without the heartbeat it would have run out
    other = dataclasses.replace(deps, worker="worker-2.example.org/1:4242:1:abcd")
    with other.sessions() as session:
        assert not leases.acquire(session, "cme@imap.example.org/INBOX", other.worker, clock())
        with pytest.raises(ClaimedElsewhere):
            ledger.claim(session, key, mails.person_referral(), None, clock(), holder=other.worker)


def _claim_expiry(deps, key):
    from store.tables import MessageRow

    with deps.sessions() as session:
        row = session.exec(select(MessageRow).where(MessageRow.uid == key.uid)
                           .execution_options(populate_existing=True)).one()
        return row.claim_expires_at


def test_an_acknowledgement_is_not_sent_twice_when_the_service_dies_while_closing_the_smtp_connection(
        tmp_path, dovecot, extraction_context):
    """The server has taken the acknowledgement; the poll is killed as it says QUIT. The acknowledgement was
    recorded as sent the moment the server accepted it, so the next poll does not send it again."""
    from aiosmtpd.controller import Controller

    from tests.conftest import free_port

    received: list[bytes] = []
    victim: dict[str, subprocess.Popen] = {}

    class KillOnQuit:
        async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's name)
            received.append(envelope.content)
            return "250 OK"

        async def handle_QUIT(self, server, session, envelope):  # noqa: N802
            if "poll" in victim and victim["poll"].poll() is None:
                victim["poll"].send_signal(signal.SIGKILL)
            return "221 Bye"

    port = free_port()
    controller = Controller(KillOnQuit(), hostname="127.0.0.1", port=port)
    controller.start()
    try:
        account = dovecot.new_account()
        account.append(mails.person_referral(sender="teacher.quit@school.example.org"))
        env = service_env(tmp_path, account.env(),
                          {"CME_SMTP_HOST": "127.0.0.1", "CME_SMTP_PORT": str(port), "CME_SMTP_TLS": "none"})
        victim["poll"] = _start_poll(env)
        victim["poll"].communicate(timeout=120)
        assert victim["poll"].returncode == -signal.SIGKILL, "the poll was not killed at QUIT"
        assert len(received) == 1

        settings = load_settings(env)
        engine = open_database(settings)
        deps = build_deps(settings, engine, context=extraction_context)
        poll_mailbox(open_mailbox(settings), deps)
        engine.dispose()
        assert len(received) == 1, "the acknowledgement the server had already taken was sent again"
    finally:
        controller.stop()
