"""Pupils missing out on education: a school's referral made before 20 school days (40 sessions)
missed is marked with the count the school gave; later referrals, other referrers and policy talk
are not."""
from email.message import EmailMessage

import pytest

from extraction.extract import extract_file
from extraction.missing_out import assess, describe


def _mark(text: str, referrer: str | None = "school", category: str = "cme_referral"):
    return assess([("body", text)], referrer, category)


@pytest.mark.parametrize("text, days, sessions, words", [
    ("Jack has missed 12 days of school since 3 November.", 12, None, "12 days"),
    ("He has been absent for 16 sessions, all unauthorised.", None, 16, "16 sessions"),
    ("She has not attended for two weeks and we cannot reach mum.", 10, None, "two weeks"),
    ("Absent since 03/11/2026, that is 9 consecutive school days.", 9, None, "9 consecutive school days"),
    ("After 20 school days we must remove her from roll. She has missed 8 days.", 8, None, "8 days"),
    ("Kai has had 14 sessions of unauthorised absence.", None, 14, "14 sessions"),
    ("Lily had 6 days off in October.", 6, None, "6 days"),
])
def test_a_school_referral_before_twenty_days_is_marked_with_the_count_it_states(text, days, sessions, words):
    mark = _mark(text)
    assert mark is not None
    assert (mark.days, mark.sessions, mark.source.text) == (days, sessions, words)
    assert text[mark.source.start:mark.source.end] == words  # the words the count was read from


@pytest.mark.parametrize("text", [
    "He has been absent for 22 school days continuously.",  # past 20 days: a child missing education
    "She has missed 44 sessions since September.",
    "We will visit the home within 5 days.",  # a plan, not an absence
    "Her attendance is 85% this term.",  # no count of days or sessions
    "☒  Continuous absence of 10 school days or more, whereabouts unknown",  # a form's threshold, not a count
    "☐  Absent for 5 school days",  # an option nobody ticked
    # days attended, not missed (a referral in the dev corpus)
    "He attended for the first seven days of term and has not attended since 11/09/2026.",
])
def test_twenty_days_missed_or_no_count_of_absence_is_not_marked(text):
    assert _mark(text) is None


def test_only_a_schools_referral_is_marked():
    text = "My neighbour's boy has missed 6 days of school."
    assert _mark(text, referrer="public") is None
    assert _mark(text, referrer="school", category="ehe") is None
    assert _mark(text) is not None


def test_the_count_is_given_in_days_and_sessions():
    assert describe(12, None) == "12 school days (24 sessions)"
    assert describe(None, 15) == "15 sessions (7.5 school days)"


def test_an_extracted_school_referral_carries_the_mark_in_its_record(extraction_context):
    msg = EmailMessage()
    msg["From"] = "Orin Bellwether <o.bellwether@quarryhill.example.sch.uk>"
    msg["To"] = "cme@hants.gov.uk"
    msg["Subject"] = "CME referral"
    msg["Date"] = "Tue, 22 Sep 2026 09:30:00 +0100"
    msg["Message-ID"] = "<pmooe@example.org>"
    msg.set_content("Dear CME Team,\n\nMarigold Whistledown (DOB 03/04/2015) has missed 11 days of school and we "
                    "cannot contact her mother, Petra Whistledown, on 07700 900123.\n\nKind regards\n\n"
                    "Orin Bellwether\nAttendance Officer\nQuarry Hill Primary School\n")
    record = extract_file("p.eml", msg.as_bytes(), extraction_context)
    assert record["referrer"]["type"]["value"] == "school"
    assert record["missing_out"]["days"] == 11 and record["missing_out"]["source"]["text"] == "11 days"
