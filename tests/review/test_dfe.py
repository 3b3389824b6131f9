"""The DfE termly return's rows, on a fixture of cases of every kind: a CME case with two children,
its duplicate, an automatic reply, a forward, a "not CME", closed and open cases, a reopened case,
a case still waiting for review. Fictitious children; no database (the rows are pure)."""
from __future__ import annotations

from datetime import date, datetime, timezone
from typing import Any

from config.settings import load_settings
from review import dfe
from review.schooldays import add_school_days, term_of
from store.queue import CaseSummary

CASEWORK = load_settings({}).casework
AUTUMN = dfe.snap(date(2026, 10, 1), date(2026, 11, 15))


def _f(value: str | None) -> dict[str, Any] | None:
    return None if value is None else {"value": value, "confidence": 0.9, "source": {"part": "body"}}


def _child(first: str, last: str, dob: str | None, gender: str | None = None, last_attended: str | None = None) -> dict:
    return {"first_name": _f(first), "last_name": _f(last), "date_of_birth": _f(dob), "gender": _f(gender),
            "date_last_attended": _f(last_attended)}


def _case(n: int, status: str, children: list[dict], category: str = "cme_referral", sent: str = "2026-10-05T08:30:00+01:00",
          read: datetime | None = None, **lifecycle: Any) -> CaseSummary:
    record = {"source": {"date": sent}, "category": category, "children": children, "safeguarding": [],
              "referrer": {"type": _f("school")}}
    return CaseSummary(id=n, reference=f"CME-2026-{n:05d}", category=category, status=status, urgent=False,
                       needs_review=False, created_at=read or datetime(2026, 10, 7, 9, 0, tzinfo=timezone.utc),
                       record=record, **lifecycle)


def _cases() -> list[CaseSummary]:
    siblings = [_child("Marigold", "Thistlewood", "2014-10-20", "female", "2026-09-18"),
                _child("Basil", "Thistlewood", "2019-03-02", "male")]
    return [
        _case(1, "enquiries", siblings, cme_reason="moved_no_destination"),
        _case(2, "duplicate", [_child("Marigold", "Thistlewood", "2014-10-20", "female")], duplicate_of_id=1),
        _case(3, "rejected", [], category="auto_reply"),
        _case(4, "forwarded", [_child("Clover", "Ashdown", "2013-05-05")], category="ehe"),
        _case(5, "rejected", [_child("Rowan", "Pebblecombe", "2012-01-01")]),  # not CME
        _case(6, "closed", [_child("Juniper", "Fallowfield", "2011-12-12", "girl")], sent="2026-09-10T10:00:00+01:00",
              closed_on=date(2026, 11, 20), closing_reason="on_roll_out_of_county", cme_reason="whereabouts_unknown"),
        _case(7, "closed", [_child("Sorrel", "Quenby", "2015-02-02")], sent="2026-06-10T10:00:00+01:00",
              closed_on=date(2026, 7, 1), closing_reason="home_educated"),  # closed before the term
        _case(8, "accepted", [_child("Tansy", "Brackenridge", "2016-06-30", "female")],
              sent="2026-12-30T23:30:00+00:00", read=datetime(2027, 1, 4, 8, 0, tzinfo=timezone.utc)),
        _case(9, "accepted", [_child("Yarrow", "Dunmore", "2010-04-04", "male")], sent="2026-10-01T09:00:00+01:00",
              closed_on=None, closing_reason=None),  # closed on 2026-10-20, then reopened: open again
        _case(10, "new", [_child("Fennel", "Orchard", "2012-02-02")]),  # still waiting for review
        _case(11, "accepted", [_child("Marigold", "Thistlewood", "2014-10-20", "female")],
              sent="2026-10-06T09:00:00+01:00"),  # the same child accepted twice: counted once
        _case(12, "accepted", [_child("Heather", "Linwood", "2012-03-03")], sent="2027-01-10T09:00:00+00:00",
              read=datetime(2027, 1, 10, 9, 5, tzinfo=timezone.utc)),  # told after the term
    ]


def _rows() -> dict[tuple[str, int], dict[str, Any]]:
    ret = dfe.build_return(_cases(), AUTUMN, CASEWORK)
    return {(r.case_reference, r.child): r._asdict() for r in ret.rows}


def test_only_accepted_cme_cases_count_one_row_per_child() -> None:
    assert sorted(_rows()) == [("CME-2026-00001", 1), ("CME-2026-00001", 2), ("CME-2026-00006", 1),
                               ("CME-2026-00008", 1), ("CME-2026-00009", 1)]


def test_a_child_on_two_accepted_cases_is_counted_once_and_named_in_the_warnings() -> None:
    ret = dfe.build_return(_cases(), AUTUMN, CASEWORK)
    assert ret.merged == ("CME-2026-00011",)
    assert "CME-2026-00011" in dfe.summary(ret, waiting=1) and "1 CME referral(s)" in dfe.summary(ret, waiting=1)


def test_the_period_snaps_to_the_autumn_term() -> None:
    assert (AUTUMN.first, AUTUMN.last, AUTUMN.label) == (date(2026, 9, 1), date(2026, 12, 31), "autumn term 2026/27")
    spring_to_summer = dfe.snap(date(2027, 2, 1), date(2027, 5, 1))
    assert (spring_to_summer.first, spring_to_summer.last) == (date(2027, 1, 1), date(2027, 8, 31))
    assert spring_to_summer.label == "spring term 2026/27 to summer term 2026/27"


def test_siblings_get_their_own_sex_year_group_and_time_missing() -> None:
    rows = _rows()
    marigold, basil = rows[("CME-2026-00001", 1)], rows[("CME-2026-00001", 2)]
    assert (marigold["sex"], marigold["year_group"], marigold["year_group_label"]) == ("female", 7, "Year 7")
    assert (basil["sex"], basil["year_group"], basil["year_group_label"]) == ("male", 3, "Year 3")
    assert marigold["missing_from"] == "2026-09-18" and marigold["days_missing"] == (date(2026, 12, 31) - date(2026, 9, 18)).days
    assert basil["missing_from"] == "2026-10-05"  # not known when last in education: from the day the council was told
    assert marigold["time_missing_band"] == "12 weeks to under 1 term"
    assert marigold["reason"] == "Moved away with no known destination school" and marigold["category"] == "CME referral"
    assert (marigold["found"], marigold["closing_reason"], marigold["status_at_period_end"]) == ("not yet", "", "open")
    assert marigold["sen"] == "not known"


def test_a_closed_case_gives_found_the_closing_reason_and_date() -> None:
    juniper = _rows()[("CME-2026-00006", 1)]
    assert juniper["sex"] == "female" and juniper["date_told"] == "2026-09-10"
    assert (juniper["found"], juniper["closing_reason"], juniper["closed_on"]) == (
        "yes", "Found on a school roll outside Hampshire", "2026-11-20")
    assert juniper["missing_to"] == "2026-11-20" and juniper["days_missing"] == 71
    assert juniper["time_missing_band"] == "4 to under 12 weeks"


def test_the_date_told_is_the_mails_date_not_when_the_service_read_it() -> None:
    tansy = _rows()[("CME-2026-00008", 1)]
    assert tansy["date_told"] == "2026-12-30" and tansy["days_missing"] == 1
    assert tansy["year_group_label"] == "Year 6"  # 30 June 2016: Year 6 in 2026/27


def test_a_date_header_after_the_mail_was_read_is_not_believed() -> None:
    forged = _case(40, "accepted", [_child("Teasel", "Marsh", "2013-01-01")], sent="2099-01-01T09:00:00+00:00")
    [row] = dfe.build_return([forged], AUTUMN, CASEWORK).rows
    assert row.date_told == "2026-10-07"  # the day the service read it


def test_a_reopened_case_is_open_again_to_the_end_of_the_period() -> None:
    yarrow = _rows()[("CME-2026-00009", 1)]
    assert (yarrow["found"], yarrow["closed_on"], yarrow["missing_to"]) == ("not yet", "", "2026-12-31")
    assert yarrow["reason"] == "not recorded"


def test_a_case_closed_after_the_period_is_open_in_it() -> None:
    spring = dfe.snap(date(2026, 2, 1), date(2026, 2, 1))
    later = _case(20, "closed", [_child("Bramble", "Hollis", "2013-03-03")], sent="2026-02-01T09:00:00+00:00",
                  closed_on=date(2026, 5, 1), closing_reason="no_trace")
    [row] = dfe.build_return([later], spring, CASEWORK).rows
    assert (row.found, row.closing_reason, row.missing_to) == ("not yet", "", "2026-03-31")
    [summer] = dfe.build_return([later], dfe.snap(date(2026, 5, 1), date(2026, 5, 1)), CASEWORK).rows
    assert (summer.found, summer.closing_reason) == ("no", "No trace after reasonable enquiries")


def test_the_csv_has_no_names_or_dates_of_birth_and_no_formulas() -> None:
    hostile = _case(30, "accepted", [{**_child("Nettle", "Grove", "2012-02-02"), "sen": _f("=HYPERLINK(1)")}])
    text = dfe.export_csv(dfe.build_return([*_cases(), hostile], AUTUMN, CASEWORK))
    assert text.splitlines()[0] == ",".join(dfe.COLUMNS)
    assert "Thistlewood" not in text and "2014-10-20" not in text
    assert "'=HYPERLINK(1)" in text


def test_school_days_skip_weekends_and_the_configured_holidays() -> None:
    assert add_school_days(date(2026, 10, 22), 5) == date(2026, 10, 29)  # Thursday + 5 school days
    half_term = ((date(2026, 10, 26), date(2026, 10, 30)),)
    assert add_school_days(date(2026, 10, 22), 5, half_term) == date(2026, 11, 5)
    assert term_of(date(2027, 4, 1)).name == "summer" and term_of(date(2027, 3, 31)).name == "spring"


def test_cme_report_dfe_writes_the_terms_return_and_says_what_it_leaves_out(tmp_path) -> None:
    import csv
    import os
    import subprocess
    import sys
    from pathlib import Path

    from store import casework
    from store.db import make_engine, session_factory, upgrade
    from tests.review.seed import seed

    url = f"sqlite:///{tmp_path / 'cme.sqlite3'}"
    engine = make_engine(url)
    upgrade(engine)  # the schema the command expects, then the fictitious cases
    ids = seed(engine)
    with session_factory(engine)() as session:
        casework.decide(session, ids["plain"], "accept", "officer", datetime(2026, 11, 3, tzinfo=timezone.utc), None)
        session.commit()
    out = tmp_path / "return.csv"
    project = Path(__file__).resolve().parents[2]
    done = subprocess.run([sys.executable, "-m", "ingest.cli", "report", "dfe", "--from", "2026-10-01", "--to", "2026-11-15",
                           "-o", str(out)], cwd=project, capture_output=True, text=True, timeout=120,
                          env={**os.environ, "CME_DATA_DIR": str(tmp_path), "CME_DATABASE_URL": url,
                               "PYTHONPATH": str(project)})
    assert done.returncode == 0, done.stderr
    assert "autumn term 2026/27 (2026-09-01 to 2026-12-31): 1 child" in done.stderr
    assert "2 CME referral(s) of the period still waiting for review are not counted" in done.stderr
    [row] = list(csv.DictReader(out.open(encoding="utf-8")))
    assert (row["case_reference"], row["sex"], row["date_told"]) == ("CME-2026-00001", "female", "2026-11-02")
    bad = subprocess.run([sys.executable, "-m", "ingest.cli", "report", "dfe", "--from", "1/10/2026", "--to", "2026-11-15"],
                         cwd=project, capture_output=True, text=True, timeout=120,
                         env={**os.environ, "CME_DATA_DIR": str(tmp_path), "CME_DATABASE_URL": url})
    assert bad.returncode == 2 and "dates like 2026-09-01" in bad.stderr


def test_school_holidays_are_read_from_the_setting_and_a_bad_range_is_named() -> None:
    import pytest

    from config.settings import SettingsError

    casework = load_settings({"CME_SCHOOL_HOLIDAYS": "2026-12-21/2027-01-01, 2026-10-26/2026-10-30",
                              "CME_FIRST_CONTACT_SCHOOL_DAYS": "3"}).casework
    assert casework.school_holidays[0] == (date(2026, 10, 26), date(2026, 10, 30))
    assert casework.first_contact_school_days == 3
    with pytest.raises(SettingsError, match="CME_SCHOOL_HOLIDAYS"):
        load_settings({"CME_SCHOOL_HOLIDAYS": "2026-10-30/2026-10-26"})
    with pytest.raises(SettingsError, match="CME_FIRST_CONTACT_SCHOOL_DAYS"):
        load_settings({"CME_FIRST_CONTACT_SCHOOL_DAYS": "soon"})
