"""Claims name their holder: a dead holder's claim is retaken at once, a live one's is left while renewed;
several workers upgrading a new database at the same moment all succeed."""
from __future__ import annotations

import subprocess
import sys
import threading
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from store import leases, ledger
from store.db import current_revision, make_engine, startup_lock, upgrade
from store.errors import AlreadyProcessed, ClaimedElsewhere
from store.ledger import MessageKey

NOW = datetime(2026, 11, 20, 9, 0, tzinfo=timezone.utc)
PROJECT = Path(__file__).resolve().parents[2]
OTHER_HOST = "worker-2.example.org/4026531836:4242:1234:abcd1234"


def _raw(n: int) -> bytes:
    return f"From: a{n}@example.org\r\nMessage-ID: <c{n}@example.org>\r\nSubject: s\r\n\r\nbody {n}\r\n".encode()


def _key(uid: int) -> MessageKey:
    return MessageKey("cme@imap.example.org", "INBOX", 7, uid)


def _dead_worker() -> str:
    """The name a worker process on this host had; the process has ended."""
    done = subprocess.run([sys.executable, "-c", "from store.leases import new_holder; print(new_holder())"],
                          cwd=PROJECT, capture_output=True, text=True, check=True)
    return done.stdout.strip()


def test_a_claim_whose_process_is_gone_is_taken_at_once(sessions):
    dead = _dead_worker()
    assert leases.gone(dead) and not leases.gone(leases.new_holder())
    with sessions() as s:
        ledger.claim(s, _key(1), _raw(1), None, NOW, holder=dead)
    with sessions() as s:
        taken = ledger.claim(s, _key(1), _raw(1), None, NOW + timedelta(seconds=1), holder=leases.new_holder())
    assert taken.status == "claimed"


def test_a_claim_held_by_a_live_worker_elsewhere_is_left_while_it_renews_it(sessions):
    mine = leases.new_holder()
    with sessions() as s:
        ledger.claim(s, _key(2), _raw(2), None, NOW, holder=OTHER_HOST)
    later = NOW + ledger.HELD_CLAIM_LEASE - timedelta(seconds=1)
    with sessions() as s, pytest.raises(ClaimedElsewhere):
        ledger.claim(s, _key(2), _raw(2), None, later, holder=mine)
    with sessions() as s:
        assert ledger.renew_claims(s, OTHER_HOST, later) == 1  # its heartbeat
    with sessions() as s, pytest.raises(ClaimedElsewhere):
        ledger.claim(s, _key(2), _raw(2), None, later + timedelta(seconds=2), holder=mine)
    with sessions() as s:  # then its machine stops: no heartbeat, and the claim runs out
        taken = ledger.claim(s, _key(2), _raw(2), None, later + ledger.HELD_CLAIM_LEASE, holder=mine)
    assert taken.status == "claimed"
    with sessions() as s:  # the one who lost it cannot renew it any more
        assert ledger.renew_claims(s, OTHER_HOST, later + ledger.HELD_CLAIM_LEASE) == 0


def test_a_claim_released_at_the_end_of_a_poll_is_retaken_by_anyone_at_once(sessions):
    with sessions() as s:
        ledger.claim(s, _key(3), _raw(3), None, NOW, holder=OTHER_HOST)
        assert ledger.release_claims(s, OTHER_HOST, NOW + timedelta(seconds=1)) == 1
    with sessions() as s:
        assert ledger.claim(s, _key(3), _raw(3), None, NOW + timedelta(seconds=1), holder=leases.new_holder())


def test_a_worker_retakes_its_own_claim_left_by_a_failed_poll(sessions):
    mine = leases.new_holder()
    with sessions() as s:
        ledger.claim(s, _key(4), _raw(4), None, NOW, holder=mine)
    with sessions() as s:
        again = ledger.claim(s, _key(4), _raw(4), None, NOW + timedelta(seconds=1), holder=mine)
    assert again.status == "claimed"


def test_a_message_whose_holder_died_three_times_is_quarantined(sessions):
    with sessions() as s:
        ledger.claim(s, _key(5), _raw(5), None, NOW, holder=_dead_worker())
        ledger.claim(s, _key(5), _raw(5), None, NOW, holder=_dead_worker())
        ledger.claim(s, _key(5), _raw(5), None, NOW, holder=_dead_worker())
    with sessions() as s, pytest.raises(AlreadyProcessed) as gave_up:
        ledger.claim(s, _key(5), _raw(5), None, NOW, holder=leases.new_holder())
    assert gave_up.value.entry.status == "quarantined"


def test_a_lease_holder_that_stops_renewing_is_taken_over_after_the_short_lease(sessions):
    mine = leases.new_holder()
    with sessions() as s:
        assert leases.acquire(s, "cme@imap/INBOX", OTHER_HOST, NOW)
        assert leases.acquire(s, "cme@imap/INBOX", OTHER_HOST, NOW + leases.HEARTBEAT)  # heartbeat
        assert not leases.acquire(s, "cme@imap/INBOX", mine, NOW + leases.LEASE)
        assert leases.holder_of(s, "cme@imap/INBOX", NOW + leases.LEASE) == OTHER_HOST
        assert leases.acquire(s, "cme@imap/INBOX", mine, NOW + leases.HEARTBEAT + leases.LEASE)
        assert leases.holder_of(s, "cme@imap/INBOX", NOW + leases.HEARTBEAT + leases.LEASE) == mine


def test_workers_upgrading_a_new_database_at_the_same_moment_all_succeed(database_url):
    engines = [make_engine(database_url) for _ in range(4)]
    start = threading.Barrier(len(engines))
    errors: list[BaseException] = []

    def start_up(engine) -> None:
        try:
            start.wait()
            upgrade(engine)
        except BaseException as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=start_up, args=(e,)) for e in engines]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert errors == []
    assert {current_revision(e) for e in engines} == {current_revision(engines[0])} != {None}
    with startup_lock(engines[0]):  # let go of after every upgrade
        pass
    for e in engines:
        e.dispose()


def test_a_lease_left_by_a_holder_that_died_is_seen_as_abandoned_and_a_released_one_is_not(sessions):
    mine = leases.new_holder()
    with sessions() as s:
        assert leases.acquire(s, "cme@imap/INBOX", OTHER_HOST, NOW)
        assert not leases.abandoned(s, "cme@imap/INBOX", NOW + leases.HEARTBEAT)  # alive, renewing
        assert leases.abandoned(s, "cme@imap/INBOX", NOW + leases.LEASE)  # stopped renewing
        assert leases.acquire(s, "cme@imap/INBOX", mine, NOW + leases.LEASE)
        leases.release(s, "cme@imap/INBOX", mine, NOW + leases.LEASE)
        assert not leases.abandoned(s, "cme@imap/INBOX", NOW + 2 * leases.LEASE)  # let go of at the end of a poll
        assert leases.acquire(s, "cme@imap/INBOX", _dead_worker(), NOW + 2 * leases.LEASE)
        assert leases.abandoned(s, "cme@imap/INBOX", NOW + 2 * leases.LEASE)  # its process is gone


def test_a_worker_that_lost_its_claim_cannot_quarantine_what_another_stored(sessions):
    with sessions() as s:
        first = ledger.claim(s, _key(6), _raw(6), None, NOW, holder=OTHER_HOST)
    with sessions() as s:  # its heartbeat stopped; another worker took the claim and stored the message
        ledger.claim(s, _key(6), _raw(6), None, NOW + ledger.HELD_CLAIM_LEASE, holder=leases.new_holder())
        ledger.mark_stored(s, first.id, NOW + ledger.HELD_CLAIM_LEASE)
        s.commit()
    with sessions() as s:  # then the first worker's store failed (the case exists) and it gives up
        ledger.mark_quarantined(s, first.id, "IntegrityError", NOW + ledger.HELD_CLAIM_LEASE)
        s.commit()
        assert ledger.get(s, first.id).status == "stored"
