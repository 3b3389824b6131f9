"""Form labels name a field of a person: table-driven, written labels in, (owner, field, index) out."""
import pytest

from extraction.labels import LabelKey, labelled_lines, read_label
from tests.extraction.mail import extract_mail


@pytest.mark.parametrize("label, key", [
    ("Child 2: date of birth", LabelKey("child", "date_of_birth", 2)),
    ("Child's D.O.B.", LabelKey("child", "date_of_birth", None)),
    ("Forename(s)", LabelKey("any", "first_name", None)),
    ("Legal surname", LabelKey("any", "last_name", None)),
    ("Known as", LabelKey("any", "known_as", None)),
    ("UPN", LabelKey("any", "upn", None)),
    ("Date last attended", LabelKey("any", "date_last_attended", None)),
    ("Last day of attendance", LabelKey("any", "date_last_attended", None)),
    ("Home address", LabelKey("any", "address", None)),
    ("Postcode", LabelKey("any", "postcode", None)),
    ("Current / last school", LabelKey("any", "school", None)),
    ("Parent/carer 1", LabelKey("parent", "name", 1)),
    ("Parent or carer telephone", LabelKey("parent", "phone", None)),
    ("Relationship to pupil", LabelKey("parent", "relationship", None)),
    ("Mother", LabelKey("parent", "name", None)),
    ("Your full name", LabelKey("referrer", "name", None)),
    ("Job title or role", LabelKey("referrer", "role", None)),
    ("School / organisation", LabelKey("referrer", "organisation", None)),
    ("Your email address", LabelKey("referrer", "email", None)),
    ("Requesting local authority", LabelKey("referrer", "organisation", None)),
    ("School last attended", LabelKey("any", "school", None)),
    ("Date last attended at school", LabelKey("any", "date_last_attended", None)),
    ("Contact number", LabelKey("any", "phone", None)),
    ("How do you know the child?", LabelKey("referrer", "type", None)),
    ("Your relationship to the child", LabelKey("referrer", "type", None)),
    ("Boy or girl", LabelKey("any", "gender", None)),
    ("Child: girl or boy?", LabelKey("child", "gender", None)),
])
def test_label_names_field(label: str, key: LabelKey) -> None:
    assert read_label(label) == key


@pytest.mark.parametrize("label", ["Subject", "Reason for referral", "Submitted", "Attendance 2025/26 (%)",
                                   "Why are you contacting us?", "What happened?", "Please describe your concern",
                                   # what the school did is no school's name
                                   "Actions taken by school", "School actions", "Steps taken so far"])
def test_label_names_no_field(label: str) -> None:
    assert read_label(label) is None


def test_labelled_lines_point_at_values() -> None:
    text = "Hello\nDate of birth: 03/04/2015\nWe tried: calls, letters and a visit\nUPN: B801200005001\n"
    pairs = labelled_lines(text)
    assert [(p.label, text[p.start:p.end]) for p in pairs] == [
        ("Date of birth", "03/04/2015"), ("UPN", "B801200005001")]


def test_an_email_address_label_is_an_email_not_an_address() -> None:
    from extraction.labels import read_label

    assert read_label("Email address").field == "email"
    assert read_label("Home address").field == "address"


@pytest.mark.parametrize("label, key", [
    ("Address line 1", LabelKey("any", "line1", None)),  # a line of the address, not child 1's
    ("Child 2 - full name", LabelKey("child", "name", 2)),
    ("Left previous school", LabelKey("any", "date_last_attended", None)),  # a CSV column of dates
    ("Date of leaving", None),  # a roll removal's deletion date, not the last day attended
])
def test_labels_that_look_alike_name_different_things(label: str, key: LabelKey | None) -> None:
    assert read_label(label) == key


@pytest.mark.parametrize("label", ["Hours in school", "School hours", "Time in school", "School address",
                                   "School phone number", "Type of school", "School year", "Academy email"])
def test_a_label_about_the_schools_hours_address_or_kind_names_no_field(label: str) -> None:
    assert read_label(label) is None


@pytest.mark.parametrize("label, key", [
    ("School (if known)", LabelKey("any", "school", None)),
    ("Name of school", LabelKey("any", "school", None)),
    ("Date of last attendance at school", LabelKey("any", "date_last_attended", None)),
    ("Last day in school", LabelKey("any", "date_last_attended", None)),
])
def test_a_label_naming_the_school_or_the_last_day_there_still_does(label: str, key: LabelKey) -> None:
    assert read_label(label) == key


_STACKED_FORM = """Please see our referral below.

SECTION A - CHILD DETAILS
Surname
QUILL
Forename(s)
Ottoline
Date of birth
02/11/2013
Last known address
Flat 9, Lark Mews
Winchester
SO23 9PX
SECTION B - PARENT / CARER DETAILS
Name
Marigold Quill
Relationship to child
Mother
Telephone
07700 900078
"""


def test_a_form_with_each_answer_under_its_label_is_read(extraction_context) -> None:
    record = extract_mail(extraction_context, _STACKED_FORM, "Orin Bellwether <o.bellwether@quarryhill.example.sch.uk>")
    (child,) = record["children"]
    value = {k: (v or {}).get("value") for k, v in child.items() if k != "address" and k != "school"}
    assert (value["first_name"], value["last_name"], value["date_of_birth"]) == ("Ottoline", "QUILL", "2013-11-02")
    assert child["address"]["postcode"]["value"] == "SO23 9PX" and child["address"]["town"]["value"] == "Winchester"
    (parent,) = record["parents_carers"]
    assert (parent["name"]["value"], parent["relationship"]["value"], parent["phone"]["value"]) == \
        ("Marigold Quill", "mother", "07700900078")


def test_a_referral_written_as_numbered_points_is_read_like_a_form(extraction_context) -> None:
    body = ("Hi,\n\nI'd like to refer one of my Year 9 students.\n\n1. Name: Tia-Mae CORRIGAN (UPN T850201217318)\n\n"
            "2. Date of birth: 3rd of March 2013\n\n3. Last known address: 41 Kestrel Rise, Basingstoke RG22 6NW\n\n"
            "4. She has a new mobile number: 07700 900 812\n\nThanks\nDan Reid\nHead of Year 9\nMobile: 07700 900813\n")
    record = extract_mail(extraction_context, body, "Dan Reid <d.reid@example.sch.uk>")
    (child,) = record["children"]
    assert (child["first_name"]["value"], child["date_of_birth"]["value"], child["address"]["postcode"]["value"]) == (
        "Tia-Mae", "2013-03-03", "RG22 6NW")
    assert record["referrer"]["phone"]["value"] == "07700900813"  # a point that is a sentence is no "Mobile:" label


_HEADINGS_OVER_ANSWERS = """CME referral form (schools)
SECTION A: CHILD DETAILS
Legal surname | Forename(s)
QUILL | Ottoline
Date of birth | Gender | UPN | Year group
02/11/2019 | Female | A850206223019 | 3
Home address | Postcode
31 Larchmont Road, Eastleigh | SO50 5RD
SECTION B: PARENT / CARER
Name | Relationship | Telephone
Marigold Quill | Mother | 07700 900078
"""


def test_a_form_with_a_row_of_headings_over_a_row_of_answers_is_read_cell_for_cell(extraction_context) -> None:
    record = extract_mail(extraction_context, _HEADINGS_OVER_ANSWERS, "Office <office@quarryhill.example.sch.uk>")
    (child,) = record["children"]
    assert (child["first_name"]["value"], child["last_name"]["value"], child["date_of_birth"]["value"],
            child["gender"]["value"], child["upn"]["value"], child["address"]["postcode"]["value"]) == (
        "Ottoline", "QUILL", "2019-11-02", "female", "A850206223019", "SO50 5RD")
    (parent,) = record["parents_carers"]
    assert (parent["name"]["value"], parent["relationship"]["value"], parent["phone"]["value"]) == (
        "Marigold Quill", "mother", "07700900078")


def test_a_heading_above_a_paragraph_is_no_label_and_answer() -> None:
    from extraction.labels import stacked_lines
    text = "Referrer\nSophie Tran wrote to us.\n\nBackground\nRiley lives with his father.\nSchool\nHe left."
    assert stacked_lines(text) == []


@pytest.mark.parametrize("line, name", [
    ("Mum = Joanne Mortimer 07700 900086", "Joanne Mortimer"),  # a clinician's note
    ("Main carer: Sue Pryor 07700 900246", "Sue Pryor"),
])
def test_a_parent_or_carer_written_as_a_note_is_read(extraction_context, line: str, name: str) -> None:
    record = extract_mail(extraction_context, f"Leah Quill dob 02.02.2011 is not in school.\n\n{line}\n",
                          "Orin Bellwether <o.bellwether@quarryhill.example.sch.uk>")
    assert [(p["name"] or {}).get("value") for p in record["parents_carers"]] == [name]
