"""Typed findings and the one step that chooses between them: what an officer reading `cme extract --explain`
or a record would notice."""
from datetime import date
from pathlib import Path

import pytest

from extraction import evidence
from extraction.calibration import Calibration
from extraction.context import ExtractionContext
from extraction.drafts import Draft, put
from extraction.extract import explain_file, extract_file
from extraction.findings import DROP, REVISE, Finding, resolve
from extraction.model import Field, Span
from extraction.nlp import build_nlp
from extraction.organisations import tidy_referrer
from extraction.schools import SchoolRegister
from tests.extraction.mail import email_bytes

DAY = date(2026, 9, 22)
REGISTER = "URN,EstablishmentName,LA (code)\n900001,Quarry Hill Primary School,850\n"
FORM_AND_PROSE = """Dear CME Team,

Child's name: Marigold Whistledown
Date of birth: 03/04/2015
Postcode: RG24 9ZZ

Marigold Whistledown (DOB 04/03/2015) lives with her mother, Petra Whistledown. Petra's mobile: 07700 900123.

Kind regards

Orin Bellwether
Attendance Officer
Quarry Hill Primary School
"""


@pytest.fixture(scope="module")
def context() -> ExtractionContext:
    return ExtractionContext(nlp=build_nlp("blank"), register=SchoolRegister.from_csv_text(REGISTER),
                             own_addresses=frozenset({"cme@example.org"}), inbox="cme@example.org")


def _email(body: str) -> bytes:
    return email_bytes(body, "Orin Bellwether <o.bellwether@quarryhill.example.sch.uk>", "CME referral",
                       "Tue, 22 Sep 2026 09:30:00 +0100", "<findings-1@example.org>", to="cme@example.org")


def _field(value: str, score: float, rule: str, start: int = 0) -> Field:
    return Field(value, score, Span("body", start, start + len(value), value, rule))


def test_a_value_found_twice_in_agreement_scores_higher_than_either_alone() -> None:
    d = Draft("child")
    d.offer("first_name", _field("Marigold", 0.86, "prose._add_child"))
    d.offer("first_name", _field("MARIGOLD", 0.92, "form.table_cell.first_name", 40))
    chosen = d.fields["first_name"]
    assert chosen.confidence == pytest.approx(0.92 + evidence.AGREED)
    assert chosen.source.rule == "form.table_cell.first_name"  # the better-scored of the two is kept
    assert chosen.evidence["agreement"] == 1


def test_a_later_finding_replaces_the_first_only_when_it_scores_more_than_a_tenth_higher() -> None:
    d = Draft("child")
    d.offer("date_of_birth", _field("2015-04-03", 0.86, "prose.read_source"))
    d.offer("date_of_birth", _field("2015-03-04", 0.96, "form.line.date_of_birth"))  # 0.10 more: not enough
    assert d.get("date_of_birth") == "2015-04-03"
    d.offer("date_of_birth", _field("2014-01-01", 0.97, "form.table_cell.date_of_birth"))  # 0.11 more
    assert d.get("date_of_birth") == "2014-01-01"
    taken = [v.taken for v in d.resolution.verdicts]
    assert taken == [True, False, True]


def test_the_drafts_fields_are_what_resolve_makes_of_its_findings() -> None:
    d = Draft("referrer")
    d.offer("role", _field("Sent from my iPhone", 0.83, "referrer.read_signature"))
    d.offer("organisation", _field("Quarry Hill Primary School, Oakhurst", 0.83, "referrer.read_signature", 30))
    tidy_referrer(d)
    assert dict(d.fields) == dict(resolve(d.findings).chosen)
    assert "role" not in d.fields  # a mail app's line is no role: dropped, not deleted behind resolve's back
    assert [f.step for f in d.findings] == ["offer", "offer", DROP, REVISE]
    d.offer("role", _field("Attendance Officer", 0.7, "referrer.read_signature", 70))
    assert d.get("role") == "Attendance Officer"  # after a drop, the next finding is the first again


def test_the_fields_cannot_be_changed_behind_the_findings_back() -> None:
    d = Draft("child")
    d.offer("first_name", _field("Marigold", 0.9, "form.line.first_name"))
    with pytest.raises(TypeError):
        d.fields["first_name"] = _field("Quill", 0.9, "form.line.first_name")  # type: ignore[index]


def test_a_form_finding_records_its_kind_of_source_its_label_and_the_validators_result() -> None:
    text = "Postcode: rg24 9zz\nDate of birth: 03/04/2015\n"
    d = Draft("child")
    put(d, "postcode", "rg24 9zz", 10, 18, evidence.LABELLED_LINE, "body", text, DAY, "Postcode", rule="form.line")
    put(d, "date_of_birth", "03/04/2015", 34, 44, evidence.LABELLED_LINE, "body", text, DAY, "Date of birth",
        rule="form.line")
    postcode, dob = d.findings
    assert isinstance(postcode, Finding) and postcode.value == "RG24 9ZZ" and postcode.rule == "form.line.postcode"
    assert (postcode.span.part, postcode.span.start, postcode.span.end) == ("body", 10, 18)
    assert postcode.evidence["source"] == "labelled_line" and postcode.evidence["cue"] == "Postcode"
    assert postcode.evidence["checks"] == {"postcode_valid": True}
    assert dob.value == "2015-04-03" and dob.evidence["checks"] == {"date_parses": True}


def test_explain_shows_the_losing_finding_and_why_it_lost(context: ExtractionContext) -> None:
    text = explain_file("e.eml", _email(FORM_AND_PROSE), context)
    lines = text.splitlines()
    at = lines.index("  date_of_birth: '2015-04-03'")
    winner, loser = lines[at + 1:at + 3]
    assert "'2015-04-03' by form.table_cell.date_of_birth" in winner and "label 'Date of birth'" in winner
    assert "date parses" in winner and "taken: the first finding" in winner
    assert "'2015-03-04' by prose.read_source" in loser and "prose" in loser
    assert "not taken: form.table_cell.date_of_birth ('2015-04-03', 0.96) was found first" in loser


def test_explain_shows_an_agreeing_finding_raising_the_score(context: ExtractionContext) -> None:
    text = explain_file("e.eml", _email(FORM_AND_PROSE), context)
    assert "by prose._add_child (score 0.92, body: \u201cMarigold\u201d; prose, 1 agreeing before it): agrees with " \
           "form.table_cell.name ('Marigold'): the score is raised from 0.92 to 0.97" in text


def test_the_record_does_not_carry_the_evidence(context: ExtractionContext) -> None:
    record = extract_file("e.eml", _email(FORM_AND_PROSE), context)
    dob = record["children"][0]["date_of_birth"]
    assert set(dob) == {"value", "confidence", "source"} and dob["source"]["rule"] == "form.table_cell.date_of_birth"


def test_the_shipped_calibration_gives_the_same_probability_with_or_without_a_findings_evidence() -> None:
    shipped = Path(__file__).resolve().parents[2] / "config" / "calibration.json"
    cal = Calibration.from_json(shipped.read_text(encoding="utf-8"))
    e = {"source": "table_cell", "cue": "Date of birth", "checks": {"date_parses": True}, "agreement": 2,
         "merged": True}
    for path, rule, part, score in (("child.date_of_birth", "form.table_cell.date_of_birth", "body", 0.96),
                                    ("parent.phone", "kin.read_parents", "attachment:form.pdf", 0.86)):
        assert cal.probability(path, rule, part, score, e) == cal.probability(path, rule, part, score)


def test_a_second_mention_of_the_same_child_merged_in_raises_the_values_it_agrees_with() -> None:
    first, second = Draft("child"), Draft("child")
    first.offer("first_name", _field("Marigold", 0.86, "prose._add_child"))
    second.offer("first_name", _field("Marigold", 0.92, "form.table_cell.first_name", 40), cue="Forename")
    second.offer("date_of_birth", _field("2015-04-03", 0.96, "form.table_cell.date_of_birth", 60))
    first.absorb(second)
    assert first.fields["first_name"].confidence == pytest.approx(0.92 + evidence.AGREED)
    assert first.get("date_of_birth") == "2015-04-03"
    merged = first.findings[-2]
    assert merged.evidence["merged"] and merged.evidence["cue"] == "Forename"  # its evidence comes with it
    assert first.merged == [second]  # kept for --explain


def test_explain_shows_the_cue_words_that_made_prose_take_a_name(context: ExtractionContext) -> None:
    text = explain_file("c.eml", _email("Dear team,\n\nThe child is Basil Quill. He is 12 and has not been at "
                                        "school since July. Gemma Quill is their mum.\n\nOrin Bellwether\n"), context)
    assert "cue words 'The child is'" in text
    assert "cue words 'is their mum'" in text
