"""The review screen's rules without the web: year groups, time missing, edits' normal forms,
duplicate matching and spreadsheet-safe CSV cells."""
from __future__ import annotations

from datetime import date

import pytest

from review import dfe, duplicates, record_form
from review.record_form import FieldSpec


@pytest.mark.parametrize("dob, on, expected", [
    (date(2020, 9, 1), date(2025, 10, 1), 0),   # oldest in Reception 2025/26
    (date(2021, 8, 31), date(2025, 10, 1), 0),  # youngest in Reception
    (date(2021, 9, 1), date(2025, 10, 1), -1),  # not yet of school age
    (date(2009, 9, 1), date(2026, 3, 1), 11),   # Year 11 in 2025/26
    (date(2010, 8, 31), date(2026, 3, 1), 11),
    (date(2015, 4, 3), date(2026, 8, 31), 6),   # summer holiday still counts as the year just ended
    (date(2015, 4, 3), date(2026, 9, 1), 7),
])
def test_year_group(dob: date, on: date, expected: int) -> None:
    assert dfe.year_group(dob, on) == expected


def test_year_group_labels_and_time_bands() -> None:
    assert [dfe.year_group_label(n) for n in (-1, 0, 3, 12, 15)] == [
        "Pre-school", "Reception", "Year 3", "Year 12 (post-16)", "Over school age"]
    assert [dfe.time_band(d) for d in (None, 0, 27, 28, 100, 400)] == [
        "not known", "not yet missing", "under 4 weeks", "4 to under 12 weeks", "12 weeks to under 1 term",
        "1 year or more"]


@pytest.mark.parametrize("kind, typed, expected", [
    ("date", "3/4/2015", "2015-04-03"), ("date", "2015-04-03", "2015-04-03"), ("date", "03.04.2015", "2015-04-03"),
    ("postcode", "so50  9zz", "SO50 9ZZ"), ("postcode", "sw1a1aa", "SW1A 1AA"),
    ("phone", "+44 (0)7700 900123", "07700900123"), ("phone", "01632 960 123", "01632960123"),
    ("email", "A.Person@Example.ORG", "a.person@example.org"), ("upn", "g801 2001 1234 5", "G801200112345"),
    ("text", "  Poppy   Jane ", "Poppy Jane"),
])
def test_typed_values_take_the_contracts_form(kind: str, typed: str, expected: str) -> None:
    assert record_form.normalise(FieldSpec("x", "X", kind), typed) == expected


@pytest.mark.parametrize("kind, typed", [
    ("date", "31/02/2015"), ("date", "next Tuesday"), ("postcode", "SO50"), ("phone", "12345"),
    ("email", "not an address"), ("upn", "123"), ("upn", "A801200112345"), ("urn", "12a456"),
])
def test_bad_values_are_refused(kind: str, typed: str) -> None:
    with pytest.raises(ValueError):
        record_form.normalise(FieldSpec("x", "X", kind), typed)


def test_choice_fields_accept_only_their_choices() -> None:
    spec = dict((s.key, s) for s in record_form.CHILD_FIELDS)["gender"]
    assert record_form.normalise(spec, "Female") == "female"
    with pytest.raises(ValueError):
        record_form.normalise(spec, "unknown")


def _child(first: str, last: str, dob: str | None, postcode: str | None) -> dict:
    f = lambda v: None if v is None else {"value": v, "confidence": 0.9, "source": {"part": "body"}}  # noqa: E731
    return {"first_name": f(first), "last_name": f(last), "date_of_birth": f(dob),
            "address": {"postcode": f(postcode)}}


def test_duplicate_matching_is_fuzzy_on_names_and_strict_on_birth_dates() -> None:
    a = _child("Poppy", "Quillfeather", "2015-04-03", "SO50 9ZZ")
    same, why = duplicates.child_match(a, _child("Poppy", "Quilfeather", "2015-04-03", "so509zz"))
    assert same >= 90 and "same date of birth" in why and "same postcode" in why
    swapped, _ = duplicates.child_match(a, _child("Quillfeather", "Poppy", "2015-04-03", None))
    assert swapped >= duplicates.THRESHOLD
    sibling, _ = duplicates.child_match(a, _child("Jasper", "Quillfeather", "2017-06-20", "SO50 9ZZ"))
    assert sibling < duplicates.THRESHOLD
    other, _ = duplicates.child_match(a, _child("Poppy", "Quillfeather", "2011-01-09", None))
    assert other < duplicates.THRESHOLD
    assert duplicates.child_match(a, _child("", "", "2015-04-03", "SO50 9ZZ"))[0] == 0


def test_csv_cells_cannot_become_formulas() -> None:
    assert dfe._cell("=HYPERLINK(\"http://x\")") == "'=HYPERLINK(\"http://x\")"
    assert dfe._cell("@SUM(A1)") == "'@SUM(A1)" and dfe._cell("+1") == "'+1"
    assert dfe._cell(-1) == "-1" and dfe._cell("Year 7") == "Year 7"
