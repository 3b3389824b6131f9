"""The case page's likely duplicates, on a real database (SQLite and PostgreSQL) filled through the store's
own save path: the same child is found with a misspelt surname at the same postcode, at a new address with
the same date of birth, and with swapped names and a mistyped date of birth; a sibling at the same address,
a namesake born years apart and an automatic reply are not shown. Fictitious children throughout."""
from __future__ import annotations

import hashlib
import re
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any, Iterator

import pytest
from fastapi.testclient import TestClient

from config.settings import load_settings
from review.accounts import add_user
from review.app import create_app
from store import cases, queue
from store.db import make_engine, session_factory, upgrade
from store.tables import MessageRow
from tests.review.conftest import sign_in

NOW = datetime(2026, 11, 2, 9, 0, tzinfo=timezone.utc)
PASSWORD = "correct horse battery"
FILLER_FIRST = ("Tobias", "Elowen", "Marigold", "Fenwick", "Isolde", "Barnaby", "Clementine", "Orrin")
FILLER_LAST = ("Wrenfield", "Thistlewood", "Marchbank", "Ashcombe", "Bramblecote", "Fernsby")


def _f(value: str | None) -> dict[str, Any] | None:
    return None if value is None else {"value": value, "confidence": 0.9, "source": {"part": "body"}}


def _record(first: str, last: str, dob: str | None, postcode: str | None, category: str = "cme_referral") -> dict:
    return {"schema": "cme-referral/1", "source": {"date": NOW.isoformat()}, "category": category,
            "urgent": False, "safeguarding": [], "needs_review": True, "review_reasons": [], "referrer": {},
            "children": [{"first_name": _f(first), "last_name": _f(last), "date_of_birth": _f(dob),
                          "address": {"postcode": _f(postcode)}}], "parents_carers": []}


def _save(session: Any, n: int, record: dict, status: str | None = None) -> cases.SavedCase:
    raw = f"Message-ID: <dup{n}@example.org>\r\n\r\nfictitious\r\n".encode()
    message = MessageRow(account="cme@hants.gov.uk", folder="INBOX", uidvalidity=1, uid=n,
                         message_id=f"<dup{n}@example.org>", sha256=hashlib.sha256(raw).hexdigest(), size=len(raw),
                         raw=raw, status="stored", received_at=NOW)
    session.add(message)
    session.flush()
    return cases.save_case(session, message_entry_id=message.id, record=record, thread_key=None,
                           now=NOW + timedelta(minutes=n), status=status)


@pytest.fixture(params=["sqlite", "postgresql"])
def stored(request: Any, tmp_path: Path) -> Iterator[tuple[Any, dict[str, cases.SavedCase]]]:
    url = (request.getfixturevalue("postgres").new_database() if request.param == "postgresql"
           else f"sqlite:///{tmp_path / 'cme.sqlite3'}")
    engine = make_engine(url)
    upgrade(engine)
    saved: dict[str, cases.SavedCase] = {}
    with session_factory(engine)() as session:
        add_user(session, "officer", "officer", PASSWORD)
        n = 0
        for first in FILLER_FIRST:  # other children, some at the same postcode district or born the same year
            for last in FILLER_LAST:
                n += 1
                _save(session, n, _record(first, last, f"2015-0{n % 9 + 1}-1{n % 10}", f"SO5{n % 4} {n % 10}QX"))
        saved["misspelt"] = _save(session, 101, _record("Poppy", "Quilfeather", "2015-04-08", "so50 9zz"))
        saved["moved"] = _save(session, 102, _record("Poppie", "Quillfeather", "2015-04-03", "RG21 4AB"))
        saved["swapped"] = _save(session, 103, _record("Quillfeather", "Poppy", "2015-04-30", "PO9 1QX"))
        saved["sibling"] = _save(session, 104, _record("Jasper", "Quillfeather", "2017-06-20", "SO50 9ZZ"))
        saved["namesake"] = _save(session, 105, _record("Poppy", "Quillfeather", "2011-01-09", "GU14 7QX"))
        saved["automatic"] = _save(session, 106, _record("Poppy", "Quillfeather", "2015-04-03", "SO50 9ZZ",
                                                         category="auto_reply"), status="rejected")
        saved["ours"] = _save(session, 107, _record("Poppy", "Quillfeather", "2015-04-03", "SO50 9ZZ"))
        session.commit()
    yield engine, saved
    engine.dispose()


def _shown(client: TestClient, case_id: int) -> dict[str, str]:
    """The likely duplicates the case page offers: reference -> the child's name and why."""
    html = client.get(f"/cases/{case_id}").text
    found = re.findall(r'value="(CME-[\d-]+)">\s*<label[^>]*>[^–]*– ([^(<]+) \(.*?</label>\s*'
                       r'<div class="govuk-hint govuk-radios__hint">(\d+)% match: ([^<]*)\.', html, re.S)
    return {reference: f"{name} {score}% {why}" for reference, name, score, why in found}


def _client(engine: Any, tmp_path: Path) -> TestClient:
    settings = load_settings({"CME_DATA_DIR": str(tmp_path), "CME_SECURE_COOKIES": "false"})
    return TestClient(create_app(settings, engine), base_url="http://127.0.0.1")


def test_the_same_child_is_offered_as_a_duplicate_and_near_misses_are_not(stored: Any, tmp_path: Path) -> None:
    engine, saved = stored
    with _client(engine, tmp_path) as client:
        assert sign_in(client, "officer", PASSWORD).status_code == 303
        shown = _shown(client, saved["ours"].id)
    assert set(shown) == {saved[k].reference for k in ("misspelt", "moved", "swapped")}, shown
    assert "Poppy Quilfeather" in shown[saved["misspelt"].reference]  # misspelt surname, same postcode
    assert "same postcode" in shown[saved["misspelt"].reference]
    assert "same date of birth" in shown[saved["moved"].reference]  # a new address, the same date of birth
    assert "date of birth one digit apart" in shown[saved["swapped"].reference]  # same names, swapped


def test_an_edited_record_is_looked_for_by_its_new_details(stored: Any, tmp_path: Path) -> None:
    engine, saved = stored
    with session_factory(engine)() as session:  # the officer corrects the "moved" case: another child
        queue.save_record(session, saved["moved"].id, _record("Rowan", "Pebblecombe", "2012-01-01", "SP10 2QX"), NOW)
        queue.save_record(session, saved["sibling"].id, _record("Poppy", "Quillfeather", "2015-04-03", None), NOW)
        session.commit()
    with _client(engine, tmp_path) as client:
        assert sign_in(client, "officer", PASSWORD).status_code == 303
        shown = _shown(client, saved["ours"].id)
    assert set(shown) == {saved[k].reference for k in ("misspelt", "sibling", "swapped")}, shown
