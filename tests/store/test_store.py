"""The store on a real SQLite file: migrations, ledger claims, case references, updates, the outbox."""
from __future__ import annotations

import threading
from datetime import datetime, timedelta, timezone

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlmodel import SQLModel

from store import cases, ledger, outbox
from store.db import make_engine, upgrade
from store.errors import AlreadyProcessed, ClaimedElsewhere
from store.ledger import MessageKey

NOW = datetime(2026, 11, 20, 9, 0, tzinfo=timezone.utc)


def _raw(n: int, message_id: str | None = None) -> bytes:
    mid = message_id or f"<m{n}@example.org>"
    return f"From: a{n}@example.org\r\nMessage-ID: {mid}\r\nSubject: s\r\n\r\nbody {n}\r\n".encode()


def _key(uid: int, uidvalidity: int = 7) -> MessageKey:
    return MessageKey("cme@imap.example.org", "INBOX", uidvalidity, uid)


def _record(category: str = "cme_referral", needs_review: bool = True) -> dict:
    return {"schema": "cme-referral/1", "source": {}, "category": category, "case_reference": None, "urgent": False,
            "safeguarding": [], "acknowledge": True, "needs_review": needs_review, "review_reasons": ["x missing"],
            "referrer": {}, "children": [], "parents_carers": []}


def test_migrations_create_exactly_the_tables_of_store_tables(database_url):
    engine = make_engine(database_url)
    upgrade(engine)
    upgrade(engine)  # a second start-up is a no-op
    with engine.connect() as connection:
        diff = compare_metadata(MigrationContext.configure(connection, opts={"compare_type": True}), SQLModel.metadata)
    assert diff == []


def test_claim_refuses_the_same_key_and_the_same_bytes(sessions):
    with sessions() as s:
        first = ledger.claim(s, _key(1), _raw(1), "<m1@example.org>", NOW)
        ledger.mark_stored(s, first.id, NOW)
        s.commit()
    with sessions() as s, pytest.raises(AlreadyProcessed) as same_key:
        ledger.claim(s, _key(1), _raw(99), None, NOW)
    assert same_key.value.entry.id == first.id
    with sessions() as s, pytest.raises(AlreadyProcessed) as same_bytes:
        ledger.claim(s, _key(2, uidvalidity=8), _raw(1), "<m1@example.org>", NOW)
    assert same_bytes.value.entry.id == first.id


def test_a_fresh_claim_is_left_alone_and_a_stale_one_is_taken_over(sessions):
    with sessions() as s:
        ledger.claim(s, _key(3), _raw(3), None, NOW)
    with sessions() as s, pytest.raises(ClaimedElsewhere):
        ledger.claim(s, _key(3), _raw(3), None, NOW + timedelta(minutes=1))
    with sessions() as s:
        taken = ledger.claim(s, _key(3), _raw(3), None, NOW + timedelta(minutes=30))
    assert taken.status == "claimed"


def test_a_message_that_keeps_stopping_the_process_is_quarantined_after_three_claims(sessions):
    with sessions() as s:
        ledger.claim(s, _key(30), _raw(30), None, NOW)
        for n in (1, 2):  # the process died twice while working on it; each time the claim ran out
            again = ledger.claim(s, _key(30), _raw(30), None, NOW + n * (ledger.CLAIM_LEASE + timedelta(seconds=1)))
            assert again.status == "claimed"
        with pytest.raises(AlreadyProcessed) as gave_up:
            ledger.claim(s, _key(30), _raw(30), None, NOW + 3 * (ledger.CLAIM_LEASE + timedelta(seconds=1)))
    assert gave_up.value.entry.status == "quarantined"
    assert "3 times" in gave_up.value.entry.reason


def test_a_stale_claim_under_an_old_uidvalidity_moves_to_the_new_key(sessions):
    with sessions() as s:
        ledger.claim(s, _key(31, uidvalidity=7), _raw(31), None, NOW)  # then the process died
    with sessions() as s, pytest.raises(ClaimedElsewhere):
        ledger.claim(s, _key(1, uidvalidity=8), _raw(31), None, NOW + timedelta(minutes=1))
    with sessions() as s:
        taken = ledger.claim(s, _key(1, uidvalidity=8), _raw(31), None, NOW + timedelta(minutes=11))
        assert taken.key == _key(1, uidvalidity=8) and taken.status == "claimed"
        assert ledger.lookup(s, _key(31, uidvalidity=7)) is None


def test_same_message_id_and_body_is_found_as_a_copy(sessions):
    raw = _raw(4)
    with sessions() as s:
        first = ledger.claim(s, _key(4), raw, "<m4@example.org>", NOW)
        ledger.mark_stored(s, first.id, NOW)
        s.commit()
        copy = ledger.claim(s, _key(5), b"Received: by mx.example.org\r\n" + raw, "<m4@example.org>", NOW)
        assert ledger.find_same_content(s, copy, b"Received: by mx.example.org\r\n" + raw).id == first.id
        changed = ledger.claim(s, _key(6), raw.replace(b"body 4", b"other words"), "<m4@example.org>", NOW)
        assert ledger.find_same_content(s, changed, raw.replace(b"body 4", b"other words")) is None
        other_type = raw.replace(b"Subject: s", b"Subject: s\r\nContent-Type: text/html")
        typed = ledger.claim(s, _key(7), other_type, "<m4@example.org>", NOW)
        assert ledger.find_same_content(s, typed, other_type) is None  # same body, read differently
        folded = raw.replace(b"Subject: s", b"Subject:\r\n   s")
        refolded = ledger.claim(s, _key(8), folded, "<m4@example.org>", NOW)
        assert ledger.find_same_content(s, refolded, folded).id == first.id


def test_case_references_are_sequential_per_year_and_unique_across_threads(sessions):
    refs: list[str] = []
    lock = threading.Lock()

    def worker() -> None:
        for _ in range(10):
            with sessions() as s:
                ref = cases.next_reference(s, 2026)
                s.commit()
            with lock:
                refs.append(ref)

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(refs) == [f"CME-2026-{n:05d}" for n in range(1, 41)]
    with sessions() as s:
        assert cases.next_reference(s, 2027) == "CME-2027-00001"


def _stored_case(s, uid: int, thread_key: str | None = None) -> cases.SavedCase:
    entry = ledger.claim(s, _key(uid), _raw(uid), f"<m{uid}@example.org>", NOW)
    saved = cases.save_case(s, message_entry_id=entry.id, record=_record(), thread_key=thread_key, now=NOW)
    ledger.mark_stored(s, entry.id, NOW)
    s.commit()
    return saved


def test_update_attaches_to_the_case_it_quotes_or_replies_to(sessions):
    with sessions() as s:
        case = _stored_case(s, 10, thread_key="<root@example.org>")
        other = _stored_case(s, 11)
        by_ref = cases.find_case(s, cases.quoted_references(f"Re: our referral {other.reference} - more news"))
        by_thread = cases.find_case(s, [], ["<unrelated@example.org>", "<root@example.org>"])
        by_message = cases.find_case(s, [], ["<m10@example.org>"])
        assert (by_ref.id, by_thread.id, by_message.id) == (other.id, case.id, case.id)
        assert cases.find_case(s, ["CME-2026-99999"], ["<nothing@example.org>"]) is None

        entry = ledger.claim(s, _key(12), _raw(12), "<m12@example.org>", NOW)
        update = cases.save_case(s, message_entry_id=entry.id, record=_record("case_update"), thread_key=None,
                                 now=NOW, attach_to=by_thread)
        s.commit()
        assert update.attached and update.reference == case.reference
        assert update.row_reference == f"{case.reference}/2"
        assert cases.record_of(s, update.id)["case_reference"] == case.reference
        # an update of the update still belongs to the first case
        assert cases.find_case(s, [update.row_reference.split("/")[0]]).id == case.id
        assert cases.count_cases(s) == 3


def test_outbox_retries_with_growing_delay_and_at_most_one_ack_per_sender_and_thread(sessions):
    with sessions() as s:
        case = _stored_case(s, 20, thread_key="<t@example.org>")
        mail_id = outbox.add(s, case_id=case.id, kind="ack", recipient="Person@Example.org",
                             thread_key="<t@example.org>", message_id="<ack1@hants.gov.uk>", mime=b"x", now=NOW)
        s.commit()
        assert outbox.ack_exists(s, "person@example.org", ["<t@example.org>"])
        assert not outbox.ack_exists(s, "person@example.org", ["<another@example.org>"])
        (mail,) = outbox.due(s, NOW)
        outbox.mark_failed(s, mail, "down", NOW)
        s.commit()
        assert outbox.due(s, NOW + timedelta(seconds=30)) == []
        (mail,) = outbox.due(s, NOW + timedelta(minutes=1))
        outbox.mark_failed(s, mail, "down", NOW)
        s.commit()
        assert outbox.due(s, NOW + timedelta(minutes=1)) == []
        assert [m.id for m in outbox.due(s, NOW + timedelta(minutes=2))] == [mail_id]
        outbox.mark_sent(s, mail_id, NOW)
        assert outbox.mark_bounced(s, ["<ack1@hants.gov.uk>"], []) == 1
        s.commit()
        assert outbox.counts(s) == {"bounced": 1}


def test_one_worker_at_a_time_holds_a_mailbox_lease(sessions):
    from store import leases

    mine, theirs = leases.new_holder(), "other-host.example.org:4242:abcd"
    with sessions() as s:
        assert leases.acquire(s, "cme@imap/INBOX", theirs, NOW)
        assert not leases.acquire(s, "cme@imap/INBOX", mine, NOW + leases.LEASE - timedelta(seconds=1))
        assert leases.acquire(s, "cme@imap/Other", mine, NOW)  # another folder is another lease
        assert leases.acquire(s, "cme@imap/INBOX", mine, NOW + leases.LEASE + timedelta(seconds=1))  # ran out
        assert leases.acquire(s, "cme@imap/INBOX", mine, NOW + leases.LEASE + timedelta(minutes=2))  # renewed
        leases.release(s, "cme@imap/INBOX", mine, NOW + leases.LEASE + timedelta(minutes=2))
        assert leases.acquire(s, "cme@imap/INBOX", theirs, NOW + leases.LEASE + timedelta(minutes=2))


def test_a_lease_left_by_a_dead_process_on_this_host_is_taken_over_at_once(sessions):
    import socket
    import subprocess
    import sys

    from store import leases

    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    crashed = f"{socket.gethostname()}:{dead.stdout.strip()}:0000"
    with sessions() as s:
        assert leases.acquire(s, "cme@imap/INBOX", crashed, NOW)
        assert leases.acquire(s, "cme@imap/INBOX", leases.new_holder(), NOW)


def test_database_errors_do_not_show_the_values_written(sessions):
    from sqlalchemy.exc import IntegrityError

    from store.tables import ReferenceCounterRow

    with sessions() as s:
        s.add(ReferenceCounterRow(year=2026, last_number=1))
        s.commit()
        s.add(ReferenceCounterRow(year=2026, last_number=424242))
        with pytest.raises(IntegrityError) as failed:
            s.commit()
    assert "424242" not in str(failed.value)
