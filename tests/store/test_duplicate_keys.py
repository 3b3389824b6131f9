"""The duplicate check's first pass: the cases sharing a child's names, date of birth or postcode, found
from the keys kept with every case (store.queue.duplicate_keys_of), for cases stored before the keys
existed too, those sharing the most keys first; a hostile value (a NUL, a postcode of 5,000 characters) is stored without harm."""
from __future__ import annotations

import hashlib
import json
from datetime import datetime, timezone

from alembic import command

from store import cases, queue
from store.db import _alembic_config, make_engine, session_factory, upgrade
from store.tables import CaseRow, MessageRow

NOW = datetime(2026, 11, 2, 9, 0, tzinfo=timezone.utc)


def _f(value):
    return None if value is None else {"value": value, "confidence": 0.9}


def _record(first, last, dob, postcode, category="cme_referral"):
    return {"category": category, "source": {}, "children": [
        {"first_name": _f(first), "last_name": _f(last), "date_of_birth": _f(dob), "address": {"postcode": _f(postcode)}}]}


def _message(session, n):
    raw = f"Message-ID: <k{n}@example.org>\r\n\r\nfictitious\r\n".encode()
    row = MessageRow(account="cme@hants.gov.uk", folder="INBOX", uidvalidity=1, uid=n, message_id=f"<k{n}@example.org>",
                     sha256=hashlib.sha256(raw).hexdigest(), size=len(raw), raw=raw, status="stored", received_at=NOW)
    session.add(row)
    session.flush()
    return row.id


def test_keys_are_the_childs_names_date_of_birth_and_postcode_as_the_match_compares_them():
    record = {"children": [*_record(" Poppy ", "QUILLFEATHER", " 2015-04-03", "so50 9zz")["children"],
                           {"first_name": None, "date_of_birth": _f("2015-04-03")}, "not a child",
                           *_record("Quillfeather", "Poppy", None, None)["children"]]}
    assert queue.duplicate_keys_of(record) == ["name:poppy quillfeather", "dob:2015-04-03", "postcode:SO509ZZ"]
    assert queue.duplicate_keys_of({"children": "Poppy"}) == [] and queue.duplicate_keys_of({}) == []


def test_cases_stored_before_the_keys_existed_are_found_after_the_upgrade(database_url):
    engine = make_engine(database_url)
    with engine.begin() as connection:
        command.upgrade(_alembic_config(connection), "dfe_return_index")
    with session_factory(engine)() as session:
        for n, record in enumerate([_record("Poppy", "Quillfeather", "2015-04-03", "SO50 9ZZ"),
                                    _record("Tobias", "Wrenfield", "2012-02-14", "SP10 9ZZ")], start=1):
            session.add(CaseRow(id=n, reference=f"CME-2026-{n:05d}", message_row_id=_message(session, n),
                                category="cme_referral", record=json.dumps(record), created_at=NOW, updated_at=NOW))
        session.commit()
    upgrade(engine)
    with session_factory(engine)() as session:
        assert queue.duplicate_candidates(session, _record("Poppie", "Quilfeather", "2015-04-03", None), exclude_id=0) == [1]
        assert queue.duplicate_candidates(session, _record("Tobias", "Wrenfield", None, None), exclude_id=2) == []
    engine.dispose()


def test_the_cases_sharing_most_keys_come_first_then_the_most_recent(sessions):
    with sessions() as session:
        ids = [cases.save_case(session, message_entry_id=_message(session, n), thread_key=None, now=NOW.replace(hour=n),
                               record=_record(*child)).id
               for n, child in enumerate([("Poppy", "Quillfeather", "2015-04-03", "SO50 9ZZ"),
                                          ("Jasper", "Quillfeather", "2017-06-20", "SO50 9ZZ"),
                                          ("Poppy", "Quillfeather", "2011-01-09", None),
                                          ("Ivo", "Hazelmere", "2016-02-02", "RG21 4AB"),
                                          ("Poppy", "Quillfeather", None, "SO50 9ZZ")], start=1)]
        session.commit()
    with sessions() as session:
        ours = _record("Poppy", "Quillfeather", "2015-04-03", "SO50 9ZZ")
        assert queue.duplicate_candidates(session, ours, exclude_id=ids[0]) == [ids[4], ids[2], ids[1]]
        assert queue.duplicate_candidates(session, ours, exclude_id=ids[0], limit=1) == [ids[4]]


def test_hostile_values_are_kept_as_keys_without_harm(sessions):
    with sessions() as session:
        saved = cases.save_case(session, message_entry_id=_message(session, 1), thread_key=None, now=NOW,
                                record=_record("Po\x00ppy", "Quillfeather", "2015-04-03\x00", "SO50 " + "Z" * 5000))
        session.commit()
    with sessions() as session:
        ours = _record("Poppy", "Quillfeather", "2015-04-03", "SO50 " + "Z" * 5000)
        assert queue.duplicate_candidates(session, ours, exclude_id=0) == [saved.id]
