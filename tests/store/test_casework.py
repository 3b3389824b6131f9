"""A case's lifecycle in the store, on SQLite and PostgreSQL: versions refuse a stale change (also
from two sessions at once), decisions check the status, duplicates never loop, enquiries open the
casework, closing and reopening, the officer's and the overdue lists."""
from __future__ import annotations

import threading
from datetime import date, datetime, timedelta, timezone

import pytest

from store import casework, cases, ledger

from store.errors import DuplicateLoop, NotAllowed, StaleChange
from store.ledger import MessageKey
from store.queue import get_case, save_record

NOW = datetime(2026, 11, 20, 9, 0, tzinfo=timezone.utc)


def _new_case(sessions, n: int, category: str = "cme_referral") -> int:
    raw = f"From: a{n}@example.org\r\nMessage-ID: <c{n}@example.org>\r\nSubject: s\r\n\r\nbody {n}\r\n".encode()
    record = {"schema": "cme-referral/1", "source": {}, "category": category, "case_reference": None, "urgent": False,
              "safeguarding": [], "acknowledge": True, "needs_review": True, "review_reasons": [], "referrer": {},
              "children": [], "parents_carers": []}
    with sessions() as s:
        entry = ledger.claim(s, MessageKey("cme@example.org", "INBOX", 1, n), raw, f"<c{n}@example.org>", NOW)
        saved = cases.save_case(s, message_entry_id=entry.id, record=record, thread_key=None, now=NOW)
        ledger.mark_stored(s, entry.id, NOW)
        s.commit()
    return saved.id


def _version(sessions, case_id: int) -> int:
    with sessions() as s:
        return get_case(s, case_id).summary.version


def test_a_change_made_on_an_older_version_is_refused(sessions):
    case_id = _new_case(sessions, 1)
    seen = _version(sessions, case_id)
    with sessions() as s:
        assert casework.assign(s, case_id, "ada", "ada", NOW, seen) == seen + 1
        s.commit()
    with sessions() as s, pytest.raises(StaleChange) as stale:
        casework.assign(s, case_id, "bea", "bea", NOW, seen)
    assert (stale.value.posted, stale.value.current) == (seen, seen + 1)
    with sessions() as s:
        assert get_case(s, case_id).summary.owner == "ada"


def test_of_two_changes_on_the_same_version_at_once_exactly_one_is_kept(sessions):
    case_id = _new_case(sessions, 2)
    seen = _version(sessions, case_id)
    both = threading.Barrier(2)
    outcomes: list[str] = []

    def officer(name: str) -> None:
        with sessions() as s:
            get_case(s, case_id)
            both.wait(timeout=30)
            try:
                casework.assign(s, case_id, name, name, NOW, seen)
                s.commit()
                outcomes.append("kept")
            except StaleChange:
                s.rollback()
                outcomes.append("refused")

    threads = [threading.Thread(target=officer, args=(name,)) for name in ("ada", "bea")]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert sorted(outcomes) == ["kept", "refused"]
    assert _version(sessions, case_id) == seen + 1


def test_a_rejected_case_cannot_be_accepted_until_it_is_reopened(sessions):
    case_id = _new_case(sessions, 3)
    with sessions() as s:
        casework.decide(s, case_id, "reject", "ada", NOW, None)
        s.commit()
    with sessions() as s, pytest.raises(NotAllowed):
        casework.decide(s, case_id, "accept", "ada", NOW, None)
    with sessions() as s:
        assert casework.reopen(s, case_id, "ada", NOW, None)[0] == "new"
        casework.decide(s, case_id, "accept", "bea", NOW, None, due_on=date(2026, 11, 27))
        s.commit()
        summary = get_case(s, case_id).summary
    assert (summary.status, summary.owner, summary.due_on) == ("accepted", "bea", date(2026, 11, 27))


def test_duplicates_never_point_at_each_other(sessions):
    a, b, c = (_new_case(sessions, n) for n in (4, 5, 6))
    with sessions() as s:
        casework.decide(s, b, "duplicate", "ada", NOW, None, duplicate_of_id=a)
        casework.decide(s, c, "duplicate", "ada", NOW, None, duplicate_of_id=b)
        s.commit()
    with sessions() as s, pytest.raises(DuplicateLoop):
        casework.decide(s, a, "duplicate", "ada", NOW, None, duplicate_of_id=c)  # c -> b -> a
    with sessions() as s, pytest.raises(DuplicateLoop):
        casework.decide(s, a, "duplicate", "ada", NOW, None, duplicate_of_id=a)


def test_enquiries_open_the_casework_and_closing_and_reopening_keep_the_dates(sessions):
    case_id = _new_case(sessions, 7)
    with sessions() as s, pytest.raises(NotAllowed):  # a case waiting for review is not open casework
        casework.close(s, case_id, "no_trace", date(2026, 11, 20), NOW, None)
    with sessions() as s:
        casework.decide(s, case_id, "accept", "ada", NOW, None, due_on=date(2026, 11, 27))
        for day, kind in ((date(2026, 11, 23), "school"), (date(2026, 11, 24), "home_visit")):
            casework.add_enquiry(s, case_id, made_on=day, kind=kind, outcome="No one at home", next_step="Letter",
                                 actor="ada", now=NOW, version=None)
        s.commit()
        summary = get_case(s, case_id).summary
        assert (summary.status, summary.first_contact_on) == ("enquiries", date(2026, 11, 23))
        assert [e.kind for e in casework.enquiries_of(s, case_id)] == ["home_visit", "school"]  # newest first
        casework.close(s, case_id, "no_trace", date(2026, 12, 1), NOW, None)
        s.commit()
        closed = get_case(s, case_id).summary
        assert (closed.status, closed.closing_reason, closed.closed_on) == ("closed", "no_trace", date(2026, 12, 1))
        with pytest.raises(NotAllowed):
            casework.decide(s, case_id, "accept", "ada", NOW, None)
        assert casework.reopen(s, case_id, "ada", NOW, None)[0] == "accepted"
        s.commit()
        reopened = get_case(s, case_id).summary
    assert (reopened.status, reopened.closed_on, reopened.closing_reason) == ("accepted", None, None)


def test_my_cases_and_the_cases_awaiting_a_first_enquiry(sessions):
    mine, theirs, rejected, other = (_new_case(sessions, n) for n in (8, 9, 10, 11))
    _new_case(sessions, 12, category="ehe")
    with sessions() as s:
        casework.decide(s, mine, "accept", "ada", NOW, None, due_on=date(2026, 11, 27))
        casework.decide(s, theirs, "accept", "bea", NOW, None, due_on=date(2026, 11, 26))
        casework.decide(s, rejected, "reject", "ada", NOW, None)
        casework.assign(s, other, "ada", "bea", NOW, None)
        s.commit()
        assert [c.id for c in casework.owned_by(s, "ada")] == [mine, other]
        assert casework.count_owned_by(s, "ada") == 2
        waiting = {c.id for c in casework.awaiting_first_contact(s, ("cme_referral",))}
    assert mine in waiting and theirs in waiting and other in waiting and rejected not in waiting


def test_an_edit_bumps_the_version(sessions):
    case_id = _new_case(sessions, 13)
    seen = _version(sessions, case_id)
    with sessions() as s:
        record = get_case(s, case_id).summary.record
        assert save_record(s, case_id, {**record, "urgent": True}, NOW + timedelta(minutes=1), version=seen) == seen + 1
        s.commit()
    with sessions() as s, pytest.raises(StaleChange):
        save_record(s, case_id, record, NOW, version=seen)


def test_the_return_reads_a_childs_details_as_an_officer_last_edited_them(sessions):
    case_id = _new_case(sessions, 14)
    child = {"first_name": {"value": "Elowen", "confidence": 0.9, "source": {"part": "body", "start": 0, "end": 6}},
             "last_name": {"value": "Marchbank"}, "date_of_birth": {"value": "2016-02-01"}, "gender": "female",
             "address": {"postcode": {"value": "SO50 9ZZ"}}}
    with sessions() as s:
        record = get_case(s, case_id).summary.record
        edited = {**record, "source": {"date": "2026-11-02T09:00:00+00:00"}, "safeguarding": ["neglect"],
                  "referrer": {"type": {"value": "school"}}, "children": [child]}
        save_record(s, case_id, edited, NOW, version=None)
        casework.decide(s, case_id, "accept", "ada", NOW, None, due_on=date(2026, 11, 27))
        save_record(s, case_id, {**edited, "children": [{**child, "date_of_birth": {"value": "2016-03-01"}}]}, NOW,
                    version=None)
        s.commit()
        [found] = [c for c in casework.for_return(s, date(2026, 9, 1)) if c.id == case_id]
    assert found.record["source"] == {"date": "2026-11-02T09:00:00+00:00"}
    assert (found.record["safeguarding"], found.record["referrer"]) == (["neglect"], {"type": {"value": "school"}})
    assert found.record["children"] == [{"first_name": {"value": "Elowen"}, "last_name": {"value": "Marchbank"},
                                         "date_of_birth": {"value": "2016-03-01"}, "gender": "female"}]
