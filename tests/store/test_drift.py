"""The drift switch in the store, on SQLite and PostgreSQL: reviewed spot checks are judged right or
wrong the way officers leave them, auto-accept pauses when the window can no longer reach its target
and stays paused until an admin switches it back on (audited), which starts a fresh window."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from store import audit, casework, cases, drift, ledger

from store.ledger import MessageKey
from store.queue import save_record

NOW = datetime(2026, 11, 20, 9, 0, tzinfo=timezone.utc)


def _spot_check(sessions, n: int, spot: bool = True) -> int:
    """A case the gate accepted and that was shown to an officer as a spot check (or not, `spot` False)."""
    raw = f"From: a{n}@example.org\r\nMessage-ID: <d{n}@example.org>\r\nSubject: s\r\n\r\nbody {n}\r\n".encode()
    record = {"schema": "cme-referral/1", "source": {}, "category": "cme_referral", "case_reference": None,
              "urgent": False, "safeguarding": [], "acknowledge": True, "needs_review": True,
              "review_reasons": ["Spot check"], "referrer": {}, "children": [], "parents_carers": []}
    with sessions() as s:
        entry = ledger.claim(s, MessageKey("cme@example.org", "INBOX", 1, n), raw, f"<d{n}@example.org>", NOW)
        saved = cases.save_case(s, message_entry_id=entry.id, record=record, thread_key=None, now=NOW, review=True)
        if spot:
            drift.mark_spot_check(s, saved.id, NOW)
        ledger.mark_stored(s, entry.id, NOW)
        s.commit()
    return saved.id


def _review(sessions, case_id: int, action: str, at: datetime, edit: bool = False) -> None:
    """An officer's review as the case page records it: an edit (audited) first if asked, then the decision."""
    with sessions() as s:
        if edit:
            record = cases.record_of(s, case_id)
            save_record(s, case_id, dict(record, urgent=False, category="cme_referral"), at)
            audit.record_event(s, "officer", "edit", at, case_id=case_id,
                               detail={"changes": [{"field": "children.0.last_name", "before": "A", "after": "B"}]})
        casework.decide(s, case_id, action, "officer", at + timedelta(seconds=1), None)
        audit.record_event(s, "officer", action, at + timedelta(seconds=1), case_id=case_id)
        s.commit()


def _check(sessions, window: int = 4, target: float = 0.75, at: datetime = NOW) -> drift.AutoAccept:
    with sessions() as s:
        found = drift.check(s, window, target, at)
        s.commit()
    return found


def test_spot_checks_accepted_unchanged_are_right_and_changed_rejected_or_forwarded_ones_are_wrong(sessions):
    at = NOW + timedelta(hours=1)
    plans = [("accept", False), ("accept", True), ("reject", False), ("forward", False), ("accept", False)]
    for n, (action, edit) in enumerate(plans, start=1):
        _review(sessions, _spot_check(sessions, n), action, at + timedelta(minutes=n), edit=edit)
    _review(sessions, _spot_check(sessions, 10, spot=False), "reject", at)  # not a spot check: not counted
    _spot_check(sessions, 11)  # not reviewed yet: not counted
    with sessions() as s:
        measured = drift.measure(s, 50)
    assert (measured.reviewed, measured.right, measured.wrong) == (5, 2, 3)
    assert measured.precision == pytest.approx(0.4)


def test_the_window_holds_only_the_latest_reviewed_spot_checks(sessions):
    at = NOW + timedelta(hours=1)
    _review(sessions, _spot_check(sessions, 1), "reject", at)  # the oldest, outside a window of 3
    for n in (2, 3, 4):
        _review(sessions, _spot_check(sessions, n), "accept", at + timedelta(minutes=n))
    with sessions() as s:
        assert (drift.measure(s, 3).reviewed, drift.measure(s, 3).wrong) == (3, 0)
        assert drift.measure(s, 4).wrong == 1


def test_auto_accept_pauses_once_the_window_can_no_longer_reach_the_target_and_says_why(sessions):
    at = NOW + timedelta(hours=1)
    _review(sessions, _spot_check(sessions, 1), "reject", at)
    first = _check(sessions)  # 1 wrong of a window of 4: 3/4 can still be right, the target is 0.75
    assert first.on
    _review(sessions, _spot_check(sessions, 2), "accept", at + timedelta(minutes=1), edit=True)
    paused = _check(sessions, at=at + timedelta(minutes=5))
    assert not paused.on
    assert "2 of the last 2 spot checks reviewed were wrong" in paused.reason
    with sessions() as s:
        assert drift.state(s).on is False  # it stays paused
        events = audit.service_events(s, (drift.PAUSED,))
    assert [(e.actor, e.detail["wrong"]) for e in events] == [("service", 2)]


def test_paused_auto_accept_stays_paused_until_an_admin_switches_it_on_which_is_audited(sessions):
    at = NOW + timedelta(hours=1)
    for n in (1, 2):
        _review(sessions, _spot_check(sessions, n), "reject", at + timedelta(minutes=n))
    assert not _check(sessions, at=at + timedelta(minutes=5)).on
    for n in (3, 4, 5, 6):  # later spot checks all right: still paused, no admin said so
        _review(sessions, _spot_check(sessions, n), "accept", at + timedelta(minutes=10 + n))
    assert not _check(sessions, at=at + timedelta(minutes=30)).on

    enabled_at = at + timedelta(hours=1)
    with sessions() as s:
        assert drift.enable(s, "boss", enabled_at, address="127.0.0.1")
        s.commit()
    back = _check(sessions, at=enabled_at + timedelta(minutes=1))
    assert back.on and back.measure.reviewed == 0  # a fresh window: the old wrong ones no longer count
    with sessions() as s:
        events = audit.service_events(s, (drift.ENABLED,))
        assert not drift.enable(s, "boss", enabled_at)  # already on: nothing to do, nothing audited
    assert [(e.actor, e.detail["address"]) for e in events] == [("boss", "127.0.0.1")]
    assert "were wrong" in events[0].detail["reason"]
