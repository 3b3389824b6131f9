"""The council directory and hand-entered cases on SQLite and PostgreSQL, through the real migrations."""
from __future__ import annotations

from datetime import datetime, timezone

import pytest
from sqlmodel import Session

from store import councils, ledger, manual
from store.councils import CouncilEntry, DuplicateCouncil


NOW = datetime(2026, 11, 20, 9, 0, tzinfo=timezone.utc)


def test_the_directory_is_seeded_once_and_keeps_what_an_admin_changed(sessions):
    seed = [CouncilEntry("Southampton City Council", "CME team", ""), CouncilEntry("Dorset Council", "CME team", "")]
    with sessions() as s:
        assert councils.seed_if_empty(s, seed, NOW) == 2
        s.commit()
    with sessions() as s:
        southampton = next(c for c in councils.directory(s) if c.name == "Southampton City Council")
        councils.save_council(s, southampton.id, CouncilEntry(southampton.name, "CME", "cme@southampton.example.org"),
                              "boss", NOW)
        s.commit()
    with sessions() as s:
        assert councils.seed_if_empty(s, seed, NOW) == 0  # never again, so an admin's changes stay
        assert [(c.name, c.email) for c in councils.directory(s)] == [
            ("Dorset Council", ""), ("Southampton City Council", "cme@southampton.example.org")]
        with pytest.raises(DuplicateCouncil):
            councils.save_council(s, None, CouncilEntry("dorset council", "", ""), "boss", NOW)


def _quarantined(session: Session) -> int:
    entry = ledger.claim(session, ledger.MessageKey("cme@hants.gov.uk", "INBOX", 1, 77), b"Subject: broken\r\n\r\nx",
                         None, NOW)
    ledger.mark_quarantined(session, entry.id, "unreadable", NOW)
    session.commit()
    return entry.id


def test_a_hand_entered_case_gets_the_next_reference_and_its_own_ledger_row(sessions):
    record = {"schema": "cme-referral/1", "source": {}, "category": "cme_referral", "urgent": False,
              "safeguarding": [], "acknowledge": False, "needs_review": False, "review_reasons": [],
              "referrer": {}, "children": [], "parents_carers": []}
    with sessions() as s:
        first = manual.save_entered_case(s, record=record, raw=b"Subject: call 1\r\n\r\nnotes 1\r\n",
                                         message_id="<m1@hants.gov.uk>", now=NOW, review=False,
                                         entered_by="officer", channel="phone")
        second = manual.save_entered_case(s, record=record, raw=b"Subject: call 2\r\n\r\nnotes 2\r\n",
                                          message_id="<m2@hants.gov.uk>", now=NOW, review=True,
                                          entered_by="officer", channel="letter")
        s.commit()
    assert (first.reference, second.reference) == ("CME-2026-00001", "CME-2026-00002")
    with sessions() as s:
        quarantined = _quarantined(s)
        manual.save_entered_case(s, record=record, raw=b"Subject: q\r\n\r\n1\r\n", message_id="<q1@hants.gov.uk>",
                                 now=NOW, review=False, entered_by="officer", channel="quarantined",
                                 quarantined=quarantined)
        s.commit()
        assert manual.case_of_message(s, quarantined).reference == "CME-2026-00003"
        with pytest.raises(ValueError):  # one case per quarantined message
            manual.save_case_from_quarantined(s, entry_id=quarantined, record=record, now=NOW, review=False,
                                              entered_by="officer")
