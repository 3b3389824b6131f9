"""The DfE return's CSV, byte for byte, read from a real database (SQLite and PostgreSQL) through the
store as the Reports page and `cme report dfe` read it: cases of every kind (the pure fixture of
test_dfe plus odd and hostile records: values stored as bare strings, a date of birth that is no
date, a child that is no object, a case naming no child, formulas, commas, quotes and new lines in
values, a Date header that is no date or has no zone, a row stored before `return_record` existed).

The expected file was written by the return as it stood before it was made faster; a change that
moves one byte of it fails here. Fictitious children throughout.
"""
from __future__ import annotations

import hashlib
import json
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Any, Iterator

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session

from config.settings import load_settings
from review import dfe
from review.reports import dfe_return
from store.db import make_engine, session_factory, upgrade
from store.queue import return_record_of, search_text_of
from store.tables import CaseRow, MessageRow
from tests.review.test_dfe import _cases, _child, _f

EXPECTED = Path(__file__).parent / "data" / "dfe-return-autumn-2026.csv"
CASEWORK = load_settings({}).casework


def _odd_cases() -> list[tuple[dict[str, Any], dict[str, Any]]]:
    """(row columns, record) of the odd and hostile cases, numbered from 50."""
    sent = "2026-10-12T10:00:00+01:00"

    def record(children: Any, **extra: Any) -> dict[str, Any]:
        return {"source": {"date": sent}, "category": "cme_referral", "children": children, "safeguarding": [],
                "referrer": {"type": _f("school")}, **extra}

    bare = {"first_name": "Wren", "last_name": "Hatherley", "date_of_birth": "2013-07-07", "gender": "F",
            "date_last_attended": "2026-09-30", "sen": "EHC plan"}
    hostile = {**_child("Sorrel", "Ambleside", "2012-12-12", "MALE", "2026-10-01"),
               "sen": _f('Yes, "EHCP"\nreviewed\t=SUM(A1)')}
    return [
        ({"status": "accepted", "cme_reason": "never_started"}, record([bare])),
        ({"status": "enquiries", "cme_reason": "unknown_code"},
         record([hostile], safeguarding=["criminal_exploitation", "missing_from_home"],
                referrer={"type": _f("+police")})),
        ({"status": "accepted"}, record([{**_child("Teasel", "Brook", "not a date", "x", "someday")}, "a string child",
                                         _child("Vetch", "Brook", "2030-01-01", "female", "2027-05-05")])),
        ({"status": "accepted"}, record([])),  # names no child: one row of blanks
        ({"status": "accepted"}, record(None, source={})),  # no Date header: the day the service read it
        ({"status": "accepted"}, record([_child("Alder", "Crane", "2019-09-01", "boy")],
                                        source={"date": "yesterday"})),
        ({"status": "accepted"}, record([_child("Bryony", "Crane", "2008-08-31", "girl")],
                                        source={"date": "2026-09-01T23:30:00"})),  # no zone
        ({"status": "accepted"}, record([_child("Campion", "Dale", "2021-03-03", "Male")],
                                        source={"date": "2026-10-31T23:30:00Z"})),
        ({"status": "closed", "closed_on": date(2026, 12, 1), "closing_reason": "unknown_reason"},
         record([_child("Dittany", "Eyre", "2014-01-01", "female", "2026-08-01")])),
        ({"status": "closed", "closed_on": None, "closing_reason": None},
         record([_child("Eyebright", "Fox", "2015-05-05", "male")])),  # closed without a date: open in the return
        ({"status": "closed", "closed_on": date(2026, 9, 1), "closing_reason": "no_trace", "cme_reason": "other"},
         record([_child("Foxglove", "Gale", "2016-06-06", "female", "2026-06-30")])),
        ({"status": "closed", "closed_on": date(2027, 2, 1), "closing_reason": "left_country"},
         record([_child("Gorse", "Hale", "2017-07-07")])),  # closed after the term: open in it
        ({"status": "accepted", "category": "la_enquiry"}, record([_child("Hazel", "Ince", "2011-11-11", "f")])),
        ({"status": "accepted", "legacy": True},  # stored before return_record: the whole record is read
         record([_child("Iris", "Jago", "2012-02-29", "female", "2026-10-02")],
                parents_carers=[{"name": _f("Ivy Jago")}])),
        ({"status": "accepted"}, record([_child("MARIGOLD", "thistlewood", "2014-10-20", "female")])),  # counted once
        ({"status": "accepted"}, record([_child("Juniper", "Kell", "2010-09-01", "female")],
                                        safeguarding=["@home", "-1"])),
        ({"status": "rejected"}, record([_child("Knapweed", "Lowe", "2013-03-03")])),
        ({"status": "accepted", "category": "auto_reply"}, record([_child("Lovage", "Moss", "2013-03-03")])),
        ({"status": "accepted", "category": "mystery"},  # values that are no strings, a field with no value
         record([{**_child("Madder", "Nye", None), "date_of_birth": {"value": "2014-02-03T00:00:00"},
                  "gender": {"confidence": 0.5}, "sen": {"value": 3}, "date_last_attended": {"value": 20260901}}])),
    ]


def _store(session: Session) -> None:
    read = datetime(2026, 10, 13, 9, 0, tzinfo=timezone.utc)
    rows: list[tuple[int, dict[str, Any], dict[str, Any]]] = []
    for case in _cases():
        lifecycle = {k: getattr(case, k) for k in ("cme_reason", "closed_on", "closing_reason", "duplicate_of_id")}
        rows.append((case.id, {"status": case.status, "category": case.category, "created_at": case.created_at,
                               **lifecycle}, case.record))
    for n, (columns, record) in enumerate(_odd_cases(), start=50):
        rows.append((n, {"created_at": read, **columns}, record))
    for n, columns, record in rows:
        legacy = columns.pop("legacy", False)
        raw = f"Message-ID: <dfe{n}@example.org>\r\n\r\nfictitious\r\n".encode()
        session.add(MessageRow(id=n, account="cme@hants.gov.uk", folder="INBOX", uidvalidity=1, uid=n,
                               message_id=f"<dfe{n}@example.org>", sha256=hashlib.sha256(raw).hexdigest(),
                               size=len(raw), raw=raw, status="stored", received_at=columns["created_at"]))
        session.flush()
        columns.setdefault("category", "cme_referral")
        session.add(CaseRow(id=n, reference=f"CME-2026-{n:05d}", message_row_id=n, urgent=False, needs_review=False,
                            record=json.dumps({**record, "category": columns["category"]}, ensure_ascii=False),
                            search_text=search_text_of({"children": [c for c in record.get("children") or ()
                                                                     if isinstance(c, dict)]}),
                            return_record=None if legacy else return_record_of(record),
                            updated_at=columns["created_at"], **columns))
        session.flush()
    session.commit()


@pytest.fixture(params=["sqlite", "postgresql"])
def engine(request: Any, tmp_path: Path) -> Iterator[Any]:
    url = (request.getfixturevalue("postgres").new_database() if request.param == "postgresql"
           else f"sqlite:///{tmp_path / 'cme.sqlite3'}")
    engine = make_engine(url)
    upgrade(engine)
    with session_factory(engine)() as session:
        _store(session)
    yield engine
    engine.dispose()


def test_the_terms_return_csv_keeps_every_byte(engine: Any) -> None:
    with session_factory(engine)() as session:
        ret, waiting = dfe_return(session, date(2026, 10, 1), date(2026, 11, 15), CASEWORK)
    assert dfe.export_csv(ret).encode("utf-8") == EXPECTED.read_bytes()
    assert ret.merged == ("CME-2026-00011", "CME-2026-00064") and ret.no_reason == 17 and waiting == 1


def test_the_reports_page_serves_the_same_bytes(engine: Any, tmp_path: Path) -> None:
    from review.accounts import add_user
    from review.app import create_app
    from tests.review.conftest import sign_in

    with session_factory(engine)() as session:
        add_user(session, "officer", "officer", "correct horse battery")
        session.commit()
    settings = load_settings({"CME_DATA_DIR": str(tmp_path), "CME_SECURE_COOKIES": "false"})
    with TestClient(create_app(settings, engine), base_url="http://127.0.0.1") as client:
        assert sign_in(client, "officer", "correct horse battery").status_code == 303
        response = client.get("/reports/export.csv?start=2026-10-01&end=2026-11-15")
    assert response.status_code == 200 and response.headers["content-type"] == "text/csv; charset=utf-8"
    assert response.content == EXPECTED.read_bytes()
