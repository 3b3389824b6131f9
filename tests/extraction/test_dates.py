"""Dates as UK writers write them, and compulsory school age (domain.md §1.2-1.3)."""
from datetime import date

import pytest

from extraction.dates import (csa_end, csa_start, find_ages, find_dates, in_compulsory_school_age,
                              parse_date, year_group)

REF = date(2026, 11, 3)


@pytest.mark.parametrize("text, value, span", [
    ("DOB 3/7/26 (from form)", date(2026, 7, 3), (4, 10)),
    ("born 04-09-2016.", date(2016, 9, 4), (5, 15)),
    ("born 4.9.2016", date(2016, 9, 4), (5, 13)),
    ("on 3rd April 2015 she", date(2015, 4, 3), (3, 17)),
    ("on April 3rd, 2015", date(2015, 4, 3), (3, 18)),
    ("DOB: 3 Apr 15", date(2015, 4, 3), (5, 13)),
    ("DOB 03-Apr-2015", date(2015, 4, 3), (4, 15)),
    ("last seen Tuesday 12th March", date(2026, 3, 12), (10, 28)),
    ("ISO 2015-04-03 here", date(2015, 4, 3), (4, 14)),
    ("the twelfth of January 2016", date(2016, 1, 12), (0, 27)),
    ("Date of birth: 21st of June 2019", date(2019, 6, 21), (15, 32)),
    ("parent born 14/02/85", date(1985, 2, 14), (12, 20)),
])
def test_find_dates_value_and_span(text: str, value: date, span: tuple[int, int]) -> None:
    found = find_dates(text, REF)
    assert [(d, s, e) for d, s, e in found] == [(value, *span)]
    assert text[span[0]:span[1]].strip() == text[span[0]:span[1]]


def test_day_first_always() -> None:
    assert parse_date("03/04/2015", REF) == date(2015, 4, 3)


def test_year_missing_is_the_latest_past_date() -> None:
    # 20 December has not yet come in 2026 by 3 November: it was last year
    assert parse_date("last attended 20 December", REF) == date(2025, 12, 20)
    assert parse_date("since 4 September", REF) == date(2026, 9, 4)


@pytest.mark.parametrize("text", [
    "aged 9", "Tobi, who is 6", "a 7-year-old boy", "31/02/2016", "version 1.2.3", "since May 2026",
    "ref 12.3.4.2020", "Year 9", "13/13/2013",
])
def test_no_date_invented(text: str) -> None:
    assert find_dates(text, REF) == []


def test_several_dates_in_order() -> None:
    text = "DOB 14/12/2010; last day in school 16 July; reported 29/09/2026"
    assert [d for d, _, _ in find_dates(text, REF)] == [date(2010, 12, 14), date(2026, 7, 16), date(2026, 9, 29)]


def test_parse_date_refuses_two_different_dates() -> None:
    assert parse_date("01/02/2015 or 02/02/2015", REF) is None


def test_ages_reported_separately() -> None:
    assert find_ages("Tobi is aged 6 and his sister 9 years old") == [(6, 8, 14), (9, 30, 41)]


@pytest.mark.parametrize("dob, start", [
    (date(2020, 2, 10), date(2025, 3, 31)),
    (date(2020, 9, 1), date(2025, 12, 31)),
    (date(2020, 8, 31), date(2025, 8, 31)),
    (date(2020, 3, 31), date(2025, 3, 31)),
])
def test_csa_start(dob: date, start: date) -> None:
    assert csa_start(dob) == start


@pytest.mark.parametrize("dob, end", [
    (date(2007, 9, 23), date(2024, 6, 28)),
    (date(2008, 6, 30), date(2024, 6, 28)),
    (date(2010, 8, 31), date(2026, 6, 26)),
    (date(2012, 2, 29), date(2028, 6, 30)),
])
def test_csa_end(dob: date, end: date) -> None:
    assert csa_end(dob) == end


def test_in_compulsory_school_age() -> None:
    on = date(2026, 11, 3)
    assert in_compulsory_school_age(date(2015, 4, 3), on) is True
    assert in_compulsory_school_age(date(2022, 3, 10), on) == "below"
    assert in_compulsory_school_age(date(2010, 5, 1), on) == "above"


@pytest.mark.parametrize("dob, year", [
    (date(2020, 9, 1), 0), (date(2021, 8, 31), 0), (date(2009, 9, 1), 11), (date(2010, 8, 31), 11),
    (date(2013, 5, 3), 8), (date(2022, 1, 1), -1),
])
def test_year_group_2025_26(dob: date, year: int) -> None:
    assert year_group(dob, date(2025, 10, 1)) == year


def test_weekday_chooses_between_this_year_and_last() -> None:
    # 20 November 2025 was a Thursday; 20 November 2026 is after the reference date anyway
    assert parse_date("Thursday 20 November", REF) == date(2025, 11, 20)
    # 30 October 2025 was a Thursday, 30 October 2026 a Friday
    assert parse_date("Thursday 30th October", REF) == date(2025, 10, 30)
    assert parse_date("Friday 30th October", REF) == date(2026, 10, 30)


def test_lower_case_may_without_a_year_is_a_verb() -> None:
    assert find_dates("the 3 may be at home", REF) == []
    assert parse_date("DOB 3 may 2015", REF) == date(2015, 5, 3)


@pytest.mark.parametrize("text, iso, written", [
    ("not in school since Thursday the 8th of October.", "2026-10-08", "Thursday the 8th of October"),
    ("born 2015.05.02 in Exampletown", "2015-05-02", "2015.05.02"),
    ("DOB: 2015/05/02", "2015-05-02", "2015/05/02"),
])
def test_more_written_forms(text: str, iso: str, written: str) -> None:
    (d, s, e), = find_dates(text, date(2026, 11, 17))
    assert d.isoformat() == iso and text[s:e].rstrip(".") == written


@pytest.mark.parametrize("text, when", [
    ("Lucía Hartley, my granddaughter, born the 14 of February of 2016", date(2016, 2, 14)),
    ("born the twelfth of January of 2016", date(2016, 1, 12)),
])
def test_a_date_written_with_of_before_its_year_keeps_its_year(text: str, when: date) -> None:
    assert [d for d, _, _ in find_dates(text, date(2026, 11, 1))] == [when]


@pytest.mark.parametrize("text, value", [
    ("his last day in was Fri 30th", date(2026, 10, 30)),  # the latest Friday the 30th up to 3 November
    ("not been in since thurs 22nd", date(2026, 10, 22)),
    ("Last in Fri 23/10", date(2026, 10, 23)),
])
def test_a_weekday_with_a_day_and_no_month_or_year_is_the_latest_such_day(text: str, value: date) -> None:
    assert [d for d, _, _ in find_dates(text, REF)] == [value]


@pytest.mark.parametrize("text", ["starting Fri 13th", "3/4 of the class", "room 23/10 upstairs"])
def test_a_day_no_calendar_fits_or_a_fraction_is_no_date(text: str) -> None:
    assert find_dates(text, REF) == []
