"""Forms and tables: labelled values become the right person's fields, each pointing at its words."""
from datetime import date

import pytest

from extraction.forms import FormReading, read_forms
from parsers.message import LabelledValue, TextSource
from tests.extraction.mail import extract_mail

REF = date(2026, 10, 1)

FORM = """Referral form
Section A - Pupil details
Surname | WHISTLEDOWN
Forename(s) | Marigold
Date of birth | 03/04/2015
Gender | ☐ Male ☒ Female
UPN | B801200005001
Home address | 8 Lark Rise, Oakhurst
Postcode | RG24 9ZZ
Section B - Parent / carer details
Name | Mrs Petra Whistledown
Relationship to pupil | Mother
Telephone | 07700 900123
Section C - Referrer
Name | Orin Bellwether
Role | Attendance Officer
School | Quarry Hill Primary School
Email | o.bellwether@example.org
"""


def _source(text: str) -> TextSource:
    pairs = []
    for line_start, line in _lines(text):
        if " | " in line:
            label, value = line.split(" | ", 1)
            start = line_start + len(label) + 3
            pairs.append(LabelledValue(label, value, start, start + len(value), "table_cell"))
    return TextSource("attachment:form.pdf", text, "pdf", tuple(pairs))


def _lines(text: str) -> list[tuple[int, str]]:
    out, pos = [], 0
    for line in text.split("\n"):
        out.append((pos, line))
        pos += len(line) + 1
    return out


def test_sections_decide_whose_name_it_is() -> None:
    source = _source(FORM)
    reading = FormReading()
    read_forms(source, REF, reading)
    (child,) = reading.children
    values = {k: f.value for k, f in child.fields.items()}
    assert values["first_name"] == "Marigold" and values["last_name"] == "WHISTLEDOWN"
    assert values["date_of_birth"] == "2015-04-03" and values["gender"] == "female"
    assert values["upn"] == "B801200005001"
    family = {k: f.value for k, f in reading.family.fields.items()}
    assert family == {"line1": "8 Lark Rise", "town": "Oakhurst", "postcode": "RG24 9ZZ"}
    (parent,) = reading.parents
    assert {k: f.value for k, f in parent.fields.items()} == {
        "name": "Petra Whistledown", "relationship": "mother", "phone": "07700900123"}
    referrer = {k: f.value for k, f in reading.referrer.fields.items()}
    assert referrer == {"name": "Orin Bellwether", "role": "Attendance Officer",
                        "organisation": "Quarry Hill Primary School", "email": "o.bellwether@example.org"}
    for draft in (child, parent, reading.referrer):
        for f in draft.fields.values():  # every value points at its own words
            assert f.source.part == "attachment:form.pdf"
            assert FORM[f.source.start:f.source.end] == f.source.text


def test_header_row_table_gives_one_person_per_row() -> None:
    text = ("Parents / carers\nName | Relationship | Phone | Email\n"
            "Petra Whistledown | Mother | 07700 900123 | petra@example.com\n"
            "Anton Whistledown | Father (lives separately) | 07700 900124\n")
    reading = FormReading()
    read_forms(TextSource("body", text, "html"), REF, reading)
    got = [{k: f.value for k, f in p.fields.items()} for p in reading.parents]
    assert got == [
        {"name": "Petra Whistledown", "relationship": "mother", "phone": "07700900123", "email": "petra@example.com"},
        {"name": "Anton Whistledown", "relationship": "father", "phone": "07700900124"},
    ]


def test_numbered_children_of_an_online_form() -> None:
    text = ("Child 1: first name | Ottoline\nChild 1: date of birth | 12/01/2016\n"
            "Child 2: first name | Basil\nChild 2: date of birth | 30/06/2019\n")
    reading = FormReading()
    read_forms(_source(text), REF, reading)
    got = [(c.get("first_name"), c.get("date_of_birth")) for c in reading.children]
    assert got == [("Ottoline", "2016-01-12"), ("Basil", "2019-06-30")]


def test_invalid_upn_is_left_out_with_a_reason() -> None:
    reading = FormReading()
    read_forms(_source("Forename | Ottoline\nUPN | A801200005001\n"), REF, reading)
    (child,) = reading.children
    assert "upn" not in child.fields
    assert child.notes == ["The UPN given fails its check letter, so it is left out."]


def test_last_known_address_is_kept_apart_from_the_current_one() -> None:
    text = "Forename: Ottoline\nLast known address: 2 Old Lane, Ashcombe, GU12 6ZZ\n"
    reading = FormReading()
    read_forms(TextSource("body", text, "plain"), REF, reading)
    assert reading.family.fields == {}
    assert reading.old.get("postcode") == "GU12 6ZZ" and reading.old.get("line1") == "2 Old Lane"


def test_relation_in_a_phone_label_starts_that_parent() -> None:
    text = "Father: Anton Quill, 07700 900124\nMum's mobile: 07700 900123\n"
    reading = FormReading()
    read_forms(TextSource("body", text, "plain"), REF, reading)
    got = [(p.get("name"), p.get("relationship"), p.get("phone")) for p in reading.parents]
    assert got == [("Anton Quill", "father", "07700900124"), (None, "mother", "07700900123")]


@pytest.mark.parametrize("row, relationship", [
    ("Parent | Mr Anton Quill 07700 900190", "father"),
    ("Parent | Mrs Petra Quill", "mother"),
    ("Parent | Ms. Petra Quill", "mother"),
    ("Parent | Petra Quill", None),
    ("Parent | Mr Anton Quill\nRelationship to pupil | Stepfather", "stepfather"),
])
def test_a_parents_title_gives_the_relationship_when_none_is_written(row: str, relationship: str | None) -> None:
    text = "Name | Ottoline Quill\nDate of birth | 03/04/2015\n" + row + "\n"
    reading = FormReading()
    read_forms(_source(text), REF, reading)
    (parent,) = reading.parents
    assert parent.get("relationship") == relationship


CSV_EXPORT = """Please see the deletion return below (exported from our MIS).

UPN,Legal Surname,Legal Forename,DOB,Gender,Address 1,Address 2,Town,Postcode,Contact 1,Relationship,Contact 1 Tel,Last Attendance,Reason
B801200005001,Whistledown,Marigold,2015-04-03,F,8 Lark Rise,Little Oakhurst,Oakhurst,rg24 9zz,Mrs Petra Whistledown,Mother,07700900123,19/09/2026,Moved abroad
"""

FIXED_WIDTH = """LEAVER NOTIFICATION
SURNAME         FORENAME      DOB         SEX UPN            LAST ATT
--------------- ------------- ----------- --- -------------- -----------
WHISTLEDOWN     MARIGOLD      03/04/2015  F   B801200005001  19/09/2026
WHISTLEDOWN     BASIL         11/09/2017  M   (none held)    19/09/2026
"""


def _plain(text: str) -> TextSource:
    return TextSource("body", text, "plain", ())


def test_a_csv_export_row_gives_the_pupil_and_the_contact_on_that_row_as_a_parent() -> None:
    reading = FormReading()
    read_forms(_plain(CSV_EXPORT), REF, reading)
    (child,) = reading.children
    assert child.get("first_name") == "Marigold" and child.get("last_name") == "Whistledown"
    assert child.get("date_of_birth") == "2015-04-03" and child.get("upn") == "B801200005001"
    assert child.get("line1") == "8 Lark Rise" and child.get("postcode") == "RG24 9ZZ"
    assert child.get("date_last_attended") == "2026-09-19"
    (parent,) = reading.parents
    assert parent.get("phone") == "07700900123" and "Whistledown" in parent.get("name")
    span = child.fields["date_of_birth"].source
    assert CSV_EXPORT[span.start:span.end] == "2015-04-03"


def test_a_fixed_width_leaver_report_gives_one_pupil_per_row() -> None:
    reading = FormReading()
    read_forms(_plain(FIXED_WIDTH), REF, reading)
    assert [(c.get("first_name"), c.get("date_of_birth")) for c in reading.children] == [
        ("MARIGOLD", "2015-04-03"), ("BASIL", "2017-09-11")]
    assert reading.children[1].get("gender") == "male"


SYSTEM_EXPORT = """ PUPIL LEAVER NOTIFICATION
 School ............... Quarry Hill Primary School (850/2067)
 Legal surname ........ WHISTLEDOWN
 Legal forename ....... Marigold
 Preferred forename ... Goldie
 Date of birth ........ 03/04/2015
 Address .............. 8 Lark Rise
                        Oakhurst
                        RG24 9ZZ
 Contact 1 ............ Petra Whistledown (Mother)  Mobile 07700 900123
"""


def test_a_system_export_with_dot_leaders_gives_one_child_and_the_numbered_contact_as_parent() -> None:
    from parsers.pairs import leader_pairs

    reading = FormReading()
    read_forms(TextSource("body", SYSTEM_EXPORT, "plain", tuple(leader_pairs(SYSTEM_EXPORT))), REF, reading)
    (child,) = reading.children  # the preferred name is the same child, not a second one
    assert child.get("first_name") == "Marigold" and child.get("date_of_birth") == "2015-04-03"
    home = reading.family  # the address block is the family's, shared with the child when the record is built
    assert home.get("postcode") == "RG24 9ZZ" and home.get("line1") == "8 Lark Rise"
    (parent,) = reading.parents
    assert parent.get("name") == "Petra Whistledown"


MARKDOWN = """| Forename | Surname | DOB        | Gender | Last school          |
|----------|---------|------------|--------|----------------------|
| Marigold | Example | 03/04/2015 | F      | Quarry Hill Primary  |
| Basil    | Example | 11/09/2017 | M      | Quarry Hill Primary  |
"""

RULED = """-----------------------------------------------------------------------
UPN            Surname     Forename  DOB         Sex Yr  Last Att.
-----------------------------------------------------------------------
B801200005001  EXAMPLE     Marigold  03/04/2015  F   05  20/11/2026
"""

CAMEL_CSV = """SchoolName,UPN,Surname,Forename,DOB,Sex,AddressLine1,Town,Postcode
Quarry Hill Primary School,B801200005001,Example,Marigold,2015-04-03,F,8 Lark Rise,Oakhurst,rg24 9zz
"""


def test_a_markdown_table_gives_one_child_per_row() -> None:
    reading = FormReading()
    read_forms(_plain(MARKDOWN), REF, reading)
    assert [(c.get("first_name"), c.get("gender")) for c in reading.children] == [("Marigold", "female"), ("Basil", "male")]


def test_a_fixed_width_report_ruled_above_and_below_its_header_lines_columns_up_with_the_first_row() -> None:
    reading = FormReading()
    read_forms(_plain(RULED), REF, reading)
    (child,) = reading.children
    assert child.get("gender") == "female" and child.get("date_last_attended") == "2026-11-20"
    assert child.get("upn") == "B801200005001"


def test_a_csv_export_with_run_together_headings_is_read() -> None:
    reading = FormReading()
    read_forms(_plain(CAMEL_CSV), REF, reading)
    (child,) = reading.children
    assert child.get("line1") == "8 Lark Rise" and child.get("postcode") == "RG24 9ZZ"
    assert child.get("school") == "Quarry Hill Primary School"


def test_a_q_and_a_form_whose_answer_holds_name_date_of_birth_and_gender_fills_all_three() -> None:
    from parsers.pairs import qa_pairs

    text = ("Q: Child 1 - full name, date of birth, gender\nA: Tyler Example, 19-05-2015, Boy\n\n"
            "Q: Child 2 - full name, date of birth, gender\nA: Summer Example, 12-01-2017, Girl\n")
    reading = FormReading()
    read_forms(TextSource("body", text, "plain", tuple(qa_pairs(text))), REF, reading)
    assert [(c.get("first_name"), c.get("date_of_birth"), c.get("gender")) for c in reading.children] == [
        ("Tyler", "2015-05-19", "male"), ("Summer", "2017-01-12", "female")]


def test_two_fields_of_a_form_read_as_one_line_are_kept_apart() -> None:
    text = "Forename: Marigold\nSurname: Whistledown\nSchool: Oakhurst Primary School Date last attended: 14/09/2026\n"
    at = text.index("Oakhurst")
    pair = LabelledValue("School", text[at:-1], at, len(text) - 1, "table_cell")
    reading = FormReading()
    read_forms(TextSource("attachment:form.pdf", text, "pdf", pairs=(pair,)), REF, reading)
    (child,) = reading.children
    assert (child.get("school"), child.get("date_last_attended")) == ("Oakhurst Primary School", "2026-09-14")


@pytest.mark.parametrize("value", [
    "Wiltshire Council (865)        Receiving LA: Hampshire County Council (850)",  # "Receiving LA" names no field
    "18 Lark Rise, Oakhurst, RG24 9ZZ. Father: Orin",  # a sentence ends: prose, not a second field
])
def test_a_value_is_not_cut_at_words_that_are_not_a_field_of_the_form(value: str) -> None:
    from extraction.forms import split_run_on
    pair = LabelledValue("Requesting LA", value, 0, len(value), "table_cell")
    assert split_run_on(pair) == [pair]


def test_a_label_left_at_the_end_of_a_value_is_not_part_of_the_name() -> None:
    from extraction.forms import split_run_on
    (pair,) = split_run_on(LabelledValue("Parent/carer 1", "Petra Quill Relationship:", 0, 25, "table_cell"))
    assert pair.value == "Petra Quill"


def test_two_labelled_fields_side_by_side_in_a_pdf_row_are_both_read() -> None:
    text = ("Section A - Pupil details\n"
            "Pupil name: Basil QUILL | Date of birth: 11/11/2011\n"
            "Gender: ☒ Male ☐ Female | UPN: A123456789012\n"
            "Section B - Parent / carer\n"
            "Name: Petra Quill | Relationship: Mother\n")
    reading = FormReading()
    read_forms(_source(text), REF, reading)
    (child,) = reading.children
    assert (child.get("first_name"), child.get("last_name"), child.get("date_of_birth")) == ("Basil", "QUILL", "2011-11-11")
    assert [(p.get("name"), p.get("relationship")) for p in reading.parents] == [("Petra Quill", "mother")]


def _mail(body: str, html: bool = False) -> bytes:
    from tests.extraction.mail import email_bytes

    return email_bytes(body, "Rosalind Fenwick <r.fenwick@example.org>", "Two children without a school place",
                       message_id="<forms-layout@example.org>", html=html)


def _children(record: dict) -> list[dict]:
    return [{k: (c[k] or {}).get("value") for k in ("first_name", "last_name", "date_of_birth", "gender")}
            for c in record["children"]]


def test_a_table_with_one_child_per_column_gives_each_child_their_column(extraction_context) -> None:
    from extraction.extract import extract_file

    html = """<p>The family moved to Havant in August; neither child has a school place yet.</p>
<table><tr><th></th><th>Child 1</th><th>Child 2</th></tr>
<tr><td>First name</td><td>Amelie</td><td>Harlan</td></tr>
<tr><td>Surname</td><td>Quennell</td><td>Quennell</td></tr>
<tr><td>Date of birth</td><td>19/06/2015</td><td>02/01/2019</td></tr>
<tr><td>Gender</td><td>F</td><td>M</td></tr></table>
<p>Rosalind Fenwick<br>Family Support Worker</p>"""
    record = extract_file("t.eml", _mail(html, html=True), extraction_context)
    assert _children(record) == [
        {"first_name": "Amelie", "last_name": "Quennell", "date_of_birth": "2015-06-19", "gender": "female"},
        {"first_name": "Harlan", "last_name": "Quennell", "date_of_birth": "2019-01-02", "gender": "male"}]


def test_a_form_laid_out_label_value_label_value_gives_one_child_not_one_per_row(extraction_context) -> None:
    from extraction.extract import extract_file

    html = """<p>Please see the referral below; the family have not answered calls since half term.</p>
<table><tr><td>Surname</td><td>ORMEROD</td><td>Forename(s)</td><td>Tallulah</td></tr>
<tr><td>Known as</td><td>Lula</td><td>Date of birth</td><td>14/02/2013</td></tr>
<tr><td>Ethnicity</td><td>WBRI</td><td>First language</td><td>English</td></tr>
<tr><td>SEN status</td><td>None</td><td>Year group</td><td>8</td></tr></table>
<p>Marguerite Oakes<br>Attendance Officer</p>"""
    record = extract_file("t.eml", _mail(html, html=True), extraction_context)
    assert _children(record) == [
        {"first_name": "Tallulah", "last_name": "ORMEROD", "date_of_birth": "2013-02-14", "gender": None}]


def test_a_block_of_name_dash_value_lines_is_read_as_a_form(extraction_context) -> None:
    from extraction.extract import extract_file

    body = """Afternoon,

I have spoken to this young person several times during school hours.

Name - Charlton Webbe
D.O.B - 23/10/2012
Address - 4 Kestrel Court, Gosport, PO13 0QA
Mum - Dorinda Webbe
Phone - 07700-900-321

Regards
Rosalind Fenwick
"""
    record = extract_file("d.eml", _mail(body), extraction_context)
    assert _children(record)[0]["first_name"] == "Charlton" and _children(record)[0]["date_of_birth"] == "2012-10-23"
    assert record["children"][0]["address"]["postcode"]["value"] == "PO13 0QA"
    assert record["parents_carers"][0]["name"]["value"] == "Dorinda Webbe"


def test_a_sentence_with_a_dash_is_not_a_form_line(extraction_context) -> None:
    from parsers.pairs import dash_pairs

    assert dash_pairs("Update - she has moved to Andover.\nThanks for your help.\n") == []


@pytest.mark.parametrize("lines", [
    "QUENNELL, Mercy - F - 12.05.2015\nQUENNELL, Johnny - M - 30.11.2017",
    "1. Mercy Quennell, F, 12/05/2015\n2. Johnny Quennell, M, 30/11/2017",
    "1) Mercy QUENNELL DOB 12/05/15 Sex F Year 6\n2) Johnny QUENNELL DOB 30/11/17 Sex M Year 4",
])
def test_lines_each_listing_a_child_with_sex_and_date_of_birth_give_each_child(extraction_context, lines) -> None:
    from extraction.extract import extract_file

    body = f"Hi,\n\nA family has pulled onto the lay-by south of Andover.\n\n{lines}\n\nThanks,\nRosalind Fenwick\n"
    children = _children(extract_file("r.eml", _mail(body), extraction_context))
    assert [(c["first_name"], c["last_name"].title(), c["date_of_birth"], c["gender"]) for c in children] == [
        ("Mercy", "Quennell", "2015-05-12", "female"), ("Johnny", "Quennell", "2017-11-30", "male")]


def test_a_surname_written_first_in_capitals_is_put_last() -> None:
    from extraction.people import clean_name

    assert clean_name("CHEUNG Wing Yan")[0] == "Wing Yan CHEUNG"
    assert clean_name("Wing Yan Cheung")[0] == "Wing Yan Cheung"


def test_a_line_with_a_date_after_a_heading_is_not_a_child() -> None:
    from parsers.pairs import roster_pairs

    assert roster_pairs("Half Term - 26.10.2026\nPlease reply by Friday.\n") == []


def test_a_web_form_answer_of_dont_know_is_no_value_and_a_remark_after_a_dash_is_not_the_town(
        extraction_context) -> None:
    from extraction.extract import extract_file

    body = """A new submission has been received for the form "Report a child who may be missing education".

Question: Your name
Answer: Rosalind Fenwick

Question: Child's first name
Answer: Kacper

Question: Child's surname
Answer: Don't know

Question: Child's address
Answer: Hazel Grove, Fleet - I don't know the number, it's the house with the white caravan

Question: Which school does/did the child attend?
Answer: not sure
"""
    record = extract_file("w.eml", _mail(body), extraction_context)
    child = record["children"][0]
    assert child["first_name"]["value"] == "Kacper" and child["last_name"] is None
    assert child["school"]["name"] is None
    assert child["address"]["town"]["value"] == "Fleet"


def test_numbered_pupil_lines_with_address_upn_and_last_attended_give_each_pupil_their_own(extraction_context) -> None:
    from extraction.extract import extract_file

    body = """Good afternoon,

Please accept the following two referrals.

1) Mason Quennell - DOB 03/11/2013 - Y8 - UPN Y850419113041 - 9 Desborough Road, Eastleigh SO50 5NZ - last attended 14/09/2026 - mum Dorinda Quennell 07700 900731. A friend says he has gone to Ireland.

2) Precious Hartwell - DOB 27/01/2012 - Y10 - UPN N850419111112 - 40 Nutbeem Road, Eastleigh SO50 5JW - last attended 01/10/2026 - dad Tobias Hartwell 07700 900742.
Half Term - 26.10.2026

Rosalind Fenwick
"""
    record = extract_file("p.eml", _mail(body), extraction_context)
    got = [(c["first_name"]["value"], c["date_of_birth"]["value"], c["upn"]["value"],
            c["address"]["postcode"]["value"], c["date_last_attended"]["value"]) for c in record["children"]]
    assert got == [("Mason", "2013-11-03", "Y850419113041", "SO50 5NZ", "2026-09-14"),
                   ("Precious", "2012-01-27", "N850419111112", "SO50 5JW", "2026-10-01")]


def test_the_heading_row_of_a_pasted_pupil_table_is_not_a_school(extraction_context) -> None:
    from extraction.extract import extract_file

    body = ("Hi, the pupil below came off roll today - the family have moved to Spain.\n\n"
            "Legal Surname\tLegal Forename\tDOB\tGender\tUPN\tYear\tAddress\tPrimary Contact\n"
            "Quennell\tHarlan\t12/01/2016\tM\tW850221616031\t6\t40 Peak Lane, Fareham PO14 1PT\tMrs L Quennell\n\n"
            "Rosalind Fenwick\nOffice Manager\n")
    record = extract_file("t.eml", _mail(body), extraction_context)
    school = record["children"][0]["school"]["name"]
    assert school is None or "\t" not in school["value"] and "Gender" not in school["value"]


@pytest.mark.parametrize("sentence", [
    "Leo attended regularly until Friday 25 September 2026 and has not attended since.",
    "They were both at Milton Park Primary and the last day they went was Friday 25.09.26.",
    "She couldn't get there from the hotel and stopped going after the 25th September.",
    "When I rang the school they told me Leo's last day there was Friday 25th September.",
    "He was at Milton Park Primary and finished there at the end of the summer term, on 25 September 2026.",
])
def test_the_last_day_a_child_went_to_school_is_the_date_last_attended(extraction_context, sentence) -> None:
    from extraction.extract import extract_file

    body = f"Hi,\n\nLeo Quennell (DOB 07/03/2013) is not in school. {sentence}\n\nRosalind Fenwick\n"
    record = extract_file("l.eml", _mail(body), extraction_context)
    assert record["children"][0]["date_last_attended"]["value"] == "2026-09-25"


def test_a_school_name_several_towns_share_is_found_in_the_town_the_family_lives_in(extraction_context) -> None:
    from extraction.extract import extract_file

    body = ("hello\n\nim a hairdresser and I cut the hair of a little girl, Amelie Quennell. Amelie is 8. Her mum told "
            "me she took her out of the Grange juniors after the october half term because she had a row with the "
            "teachers, but they are still living in Gosport as far as i know.\n\nthanks\n")
    record = extract_file("g.eml", _mail(body), extraction_context)
    child = record["children"][0]
    assert (child["address"]["town"] or {}).get("value") == "Gosport"
    assert (child["school"]["urn"] or {}).get("value") == "116170"  # Grange Junior School, Gosport


def test_parents_listed_one_after_another_keep_their_own_phone_and_email() -> None:
    text = ("Name: Basil Quill\nDOB: 14.10.19\n"
            "Parents: Otto Quill (dad) 07700 900672 / Petra Quill (mum) 07700 900673, petra.quill@example.com\n")
    reading = FormReading()
    read_forms(_plain(text), REF, reading)
    assert [(p.get("name"), p.get("relationship"), p.get("phone"), p.get("email")) for p in reading.parents] == [
        ("Otto Quill", "father", "07700900672", None),
        ("Petra Quill", "mother", "07700900673", "petra.quill@example.com")]


def test_the_phone_and_email_under_a_parents_name_and_address_are_the_parents_not_the_writers(extraction_context) -> None:
    body = ("Hi,\n\nI teach Finn Quill (nearly 11) private swimming lessons on weekday mornings; his mum says he left "
            "his school in July.\n\nDetails from our booking form:\nParent: Claire Quill\nAddress: 3 Birch Avenue, "
            "Fleetmoor GU51 4ZZ\nMobile: 07700 900562\nEmail: claire.quill@example.com\n\nKind regards,\n\n"
            "Hannah Coutts\nSwimming Teacher | Example Aquatics\n01632 960271\n")
    record = extract_mail(extraction_context, body, "Hannah Coutts <hannah@example-aquatics.co.uk>")
    [parent] = record["parents_carers"]
    assert (parent["phone"]["value"], parent["email"]["value"]) == ("07700900562", "claire.quill@example.com")
    assert (record["referrer"]["phone"]["value"], record["referrer"]["email"]["value"]) == (
        "01632960271", "hannah@example-aquatics.co.uk")


def test_a_parent_email_row_after_the_second_parent_goes_to_the_parent_it_names(extraction_context) -> None:
    body = ("Child name | Bia Quill\nDate of birth | 22/05/2017\nHome address | 31 Jellicoe Avenue, Gosport PO12 4ZZ\n"
            "Parent/carer 1 (name, relationship, phone) | Ana Quill (mother) - 07700 900318\n"
            "Parent/carer 2 (name, relationship, phone) | Paulo Quill (father) - no number held\n"
            "Parent email | ana.quill.pt@example.com\n\nM Tennant\nAttendance Officer\n")
    record = extract_mail(extraction_context, body, "M Tennant <m.tennant@example.sch.uk>")
    assert [(p["name"]["value"], (p["email"] or {}).get("value")) for p in record["parents_carers"]] == [
        ("Ana Quill", "ana.quill.pt@example.com"), ("Paulo Quill", None)]


@pytest.mark.parametrize("mark", ["* ", "- ", "• "])
def test_a_bulleted_list_of_labelled_details_gives_the_child(extraction_context, mark) -> None:
    body = (f"Hi CME team,\n\nReferral below for a Y9 student.\n\n{mark}Name: Tyler-Jay QUILLON (known as TJ)\n"
            f"{mark}DOB: 05/01/13\n{mark}Address: 112 Chestnut Avenue, Eastleigh, SO50 9ZZ\n"
            f"{mark}Mum: Kerry Quillon - 07700 900456\n\nThanks\nSam Ferris\nPastoral Lead\n")
    record = extract_mail(extraction_context, body, "Sam Ferris <s.ferris@example.sch.uk>")
    [child] = record["children"]
    assert (child["first_name"]["value"], child["date_of_birth"]["value"], child["address"]["postcode"]["value"]) == (
        "Tyler-Jay", "2013-01-05", "SO50 9ZZ")


ENQUIRY = """Dear Colleague

We are trying to trace the two children below, who have stopped attending their schools.

1. Tyler-Jay QUINNELL
   DOB: 15/06/2014   Sex: M   UPN: A850239618052
   School: Testbourne Community School, Whitchurch (Y8)
   Last attended: 16/10/2026

2. Scarlett QUINNELL
   DOB: 02/04/2019   Sex: F
   Last attended: 16/10/2026

Last known address: 27 Kennet Mews, Oakhurst RG24 9ZZ
Parent: Amber Quinnell (mother) - 07700 900302

Claire Whitlock
Attendance & CME Officer
"""


def test_a_numbered_list_of_children_with_several_details_on_a_line_gives_each_child_their_own(extraction_context) -> None:
    record = extract_mail(extraction_context, ENQUIRY, "Claire Whitlock <claire.whitlock@example.gov.uk>")
    got = [(c["first_name"]["value"], c["date_of_birth"]["value"], c["gender"]["value"]) for c in record["children"]]
    assert got == [("Tyler-Jay", "2014-06-15", "male"), ("Scarlett", "2019-04-02", "female")]
    assert record["children"][0]["upn"]["value"] == "A850239618052"


def test_a_town_written_after_a_school_is_not_taken_for_a_child(extraction_context) -> None:
    record = extract_mail(extraction_context, ENQUIRY, "Claire Whitlock <claire.whitlock@example.gov.uk>")
    assert "Whitchurch" not in [c["first_name"]["value"] for c in record["children"]]


def test_a_numbered_section_heading_in_capitals_is_not_a_child() -> None:
    from parsers.pairs import numbered_name_pairs

    text = "1. CHILD DETAILS\nLegal surname:\tCHAMBERS\n2. Logan CHAMBERS\nDOB: 12/3/14\n"
    assert [p.value for p in numbered_name_pairs(text)] == ["Logan CHAMBERS"]


def test_children_listed_in_columns_spaced_apart_with_son_or_daughter_are_each_recorded(extraction_context) -> None:
    body = ("Hello,\n\nOur guests' two children still have no school places. Their visas say:\n\n"
            "  MYKYTA KRAVCHUK    11.04.2013    (son)\n  SOFIIA KRAVCHUK    28.09.2016    (daughter)\n\n"
            "Address: 3 Hawthorn Rise, Oakhurst RG24 9ZZ\n\nMany thanks,\nSue Ashcombe\n")
    record = extract_mail(extraction_context, body, "Sue Ashcombe <sue.ashcombe@example.com>")
    got = [(c["first_name"]["value"].title(), c["date_of_birth"]["value"], c["gender"]["value"]) for c in record["children"]]
    assert got == [("Mykyta", "2013-04-11", "male"), ("Sofiia", "2016-09-28", "female")]


def test_children_in_a_numbered_list_written_in_sentences_each_get_their_date_of_birth_and_sex(extraction_context) -> None:
    body = ("Dear Colleagues\n\nTwo children of a newly arrived family have no school place. Address: 7 Chestnut Rise, "
            "Oakhurst, RG24 9ZZ.\n\n1. Farzana AHMADZAY - also written Farzanah AHMADZAI on the Home Office BRP. Girl. "
            "DOB on papers 01/01/2016 (dad thinks she was born in spring 2016).\n\n2. Mustafa AHMADZAY - Mostafa on the "
            "BRP. Boy. DOB 15/07/2019. Has never been to school.\n\nSophie Lindqvist\nEAL Coordinator\n")
    record = extract_mail(extraction_context, body, "Sophie Lindqvist <s.lindqvist@example.sch.uk>")
    got = [(c["first_name"]["value"], c["date_of_birth"]["value"], c["gender"]["value"]) for c in record["children"]]
    assert got == [("Farzana", "2016-01-01", "female"), ("Mustafa", "2019-07-15", "male")]


def test_a_school_named_for_a_sibling_is_not_the_childs(extraction_context) -> None:
    body = ("Connor Pryce (DOB 12/03/2012) has not attended since 18 September. Mum told the office they are moving to "
            "Bognor, no address given. His sister at Trosnant Jnr is also off.\n\nMark Ellery\nAttendance Officer\n")
    record = extract_mail(extraction_context, body, "Mark Ellery <m.ellery@example.org.uk>")
    assert [(c["school"]["name"] or {}).get("value") for c in record["children"]] == [None]


@pytest.mark.parametrize("answer, sex", [
    ("Male ☐ Female ☒", "female"),  # the box after its word
    ("Male [x] Female [ ]", "male"),
    ("☐ Male ☒ Female ☐ Other", "female"),  # the box before its word
    ("☒ Male ☐ Female", "male"),
    ("Female", "female"),
])
def test_a_ticked_sex_on_a_form_is_read_whichever_side_its_box_is_on(answer: str, sex: str) -> None:
    from extraction.drafts import gender_of

    assert gender_of(answer)[0] == sex


def test_a_spreadsheet_of_children_with_each_parents_name_and_relationship_in_snake_case_columns_gives_the_parents(
        extraction_context) -> None:
    from tests.extraction.mail import extract_mail

    body = ("case_ref,forename,surname,dob,address_line_1,town,postcode,parent_carer,relationship,parent_phone\n"
            "SW-1,Zahra,Quill,11/06/2012,1 Example Road,Eastleigh,SO50 9DT,Farid Quill,Father,07700 900745\n"
            "SW-2,Selam,Pellworth,23/11/2014,14 Sample Road,Eastleigh,SO50 5AE,Hiwet Pellworth,Mother,07700 900758\n")
    record = extract_mail(extraction_context, body, "Farah Quennell <farah@example.org.uk>")
    assert [((p["name"] or {}).get("value"), (p["relationship"] or {}).get("value")) for p in record["parents_carers"]] \
        == [("Farid Quill", "father"), ("Hiwet Pellworth", "mother")]


def test_a_side_by_side_row_whose_value_names_a_class_still_gives_the_upn(extraction_context) -> None:
    from extraction.extract import extract_file

    html = """<p>Referral below; not seen since half term.</p>
<table><tr><td>Surname</td><td>ORMEROD</td><td>Forename(s)</td><td>Tallulah</td></tr>
<tr><td>UPN</td><td>H850200131412</td><td>Year group</td><td>Year 8 (Kestrel)</td></tr></table>
<p>Marguerite Oakes<br>Attendance Officer</p>"""
    record = extract_file("t.eml", _mail(html, html=True), extraction_context)
    assert [(c["upn"] or {}).get("value") for c in record["children"]] == ["H850200131412"]


def test_children_listed_with_son_or_daughter_beside_the_name_keep_their_dates_of_birth(extraction_context) -> None:
    from tests.extraction.mail import extract_mail

    body = ("Mum has told me none of the children have been in school since they left London.\n\nMum: Adaeze Okafor - "
            "07700 900656\n\nChildren:\nDavid Okafor (son) - 14.03.12\nRuth Okafor (daughter) - 02.09.14\n\nThanks\nMarc Bell\n")
    record = extract_mail(extraction_context, body, "Marc Bell <marc.bell@lewisham.gov.uk>")
    assert _children(record) == [
        {"first_name": "David", "last_name": "Okafor", "date_of_birth": "2012-03-14", "gender": "male"},
        {"first_name": "Ruth", "last_name": "Okafor", "date_of_birth": "2014-09-02", "gender": "female"}]


def test_a_form_line_saying_both_gives_the_value_to_every_child_listed(extraction_context) -> None:
    from tests.extraction.mail import extract_mail

    body = ("We would like to refer two siblings.\n\n1) Kian REDD (M) - DOB 3.4.17 - Year 5\n2) Nia REDD (F) - DOB "
            "28.11.19 - Year 2\n\nAddress: 9 Stockheath Way, Havant, PO9 5QR\nLast attended: both Tuesday 15.9.26\n\n"
            "Sam Okoro\nFamily Support Worker\n")
    record = extract_mail(extraction_context, body, "Sam Okoro <s.okoro@riders.hants.sch.uk>")
    assert [(c["date_last_attended"] or {}).get("value") for c in record["children"]] == ["2026-09-15", "2026-09-15"]


def test_a_list_giving_each_childs_age_and_date_of_birth_keeps_the_school_age_children(extraction_context) -> None:
    from tests.extraction.mail import extract_mail

    body = ("Two of the children are not in school at the moment.\n\nChildren:\n"
            "- Corey Vance, 17 (12/03/2009) - doing a part-time course at college, no concerns\n"
            "- Leah Vance, 13 (11/06/2013) - Year 9, was at Court Moor\n"
            "- Milo Vance, 8 (30/01/2018) - Year 4, was at Heatherside Juniors\n"
            "- Ivy Vance, 3 (02/04/2023) - not school age yet\n\nThanks\nTom Oakes\nFamily Support Worker\n")
    record = extract_mail(extraction_context, body, "Tom Oakes <tom.oakes@hants.gov.uk>")
    assert [(c["first_name"]["value"], (c["date_of_birth"] or {}).get("value")) for c in record["children"]] == [
        ("Leah", "2013-06-11"), ("Milo", "2018-01-30")]


def test_a_reply_below_our_quoted_enquiry_keeps_the_child_it_names_and_not_our_officers_contact(extraction_context) -> None:
    from tests.extraction.mail import extract_mail

    body = ("On 09/11/2026 16:44, Children Missing Education wrote:\n> Could you confirm whether he remains on roll?\n>\n"
            "> Name: Ashton Frayne\n> DOB: 09/09/2013\n> Tel: 01632 960111\n>\n> Siobhan Tate\n\nHi Siobhan,\n\nYes, "
            "Ashton is on roll with us in Year 8. Mum told us they moved to:\n\n5 Cranbury Close\nEastleigh\nSO50 9GL\n\n"
            "Neil\n")
    record = extract_mail(extraction_context, body, "Neil Garvey <ngarvey@toynbee.hants.sch.uk>")
    assert _children(record) == [
        {"first_name": "Ashton", "last_name": "Frayne", "date_of_birth": "2013-09-09", "gender": "male"}]
    assert record["children"][0]["address"]["postcode"]["value"] == "SO50 9GL"
    assert record["referrer"]["phone"] is None


def test_children_listed_by_given_name_with_boy_or_girl_and_an_age_are_each_a_child(extraction_context) -> None:
    from tests.extraction.mail import extract_mail

    body = ("Flagging a family on the transit site.\n\nAddress for now: Pitch 4, Wolvers Lane transit site, nr Basingstoke\n"
            "Mum: Rosie Lovell, mobile 07700 900863\n\nThe Lovell children - three of school age, none in school:\n"
            "  Levi (boy) - about 13\n  Mercy (girl) - 10 or 11\n  Tyson (boy) - about 7\n\nThanks,\nMarie\n")
    record = extract_mail(extraction_context, body, "Marie Cooke <marie.cooke@hants.gov.uk>")
    assert [(c["first_name"]["value"], (c["gender"] or {}).get("value"), c["address"]["town"]["value"])
            for c in record["children"]] == [("Levi", "male", "Basingstoke"), ("Mercy", "female", "Basingstoke"),
                                            ("Tyson", "male", "Basingstoke")]


@pytest.mark.parametrize("listing", [
    "Mariam - girl, about 13 (dad thinks she was born in 2013)\nAhmad - boy, about 10\nYasin - boy, 7 or 8\n",
    "MARIAM HOTAK    11.04.2013    (daughter)\nAHMAD HOTAK    28.09.2016    (son)\nYASIN HOTAK    02.02.2019    (son)\n",
])
def test_a_list_of_children_with_approximate_ages_or_sex_in_brackets_gives_each_child(extraction_context,
                                                                                       listing: str) -> None:
    from tests.extraction.mail import extract_mail

    body = ("Dear Sir/Madam,\n\nA family we help arrived three weeks ago and are staying at the Riverside Lodge Hotel, "
            "London Road, Basingstoke. The father, Mr Abdul Hotak, wants the children in school.\n\nThe Hotak children "
            "are:\n" + listing + "\nThank you\nRuth Heskey\n")
    record = extract_mail(extraction_context, body, "Ruth Heskey <ruthheskey@example.org>")
    assert [(c["first_name"]["value"].title(), (c["gender"] or {}).get("value")) for c in record["children"]] == [
        ("Mariam", "female"), ("Ahmad", "male"), ("Yasin", "male")]


def test_children_listed_with_accented_names_and_a_date_after_a_foreign_word_are_read(extraction_context) -> None:
    from tests.extraction.mail import extract_mail

    body = ("Dzień dobry,\n\nMieszkamy teraz w Basingstoke.\n\nMoje dzieci:\n- Jakub Wiśniewski, ur. 15.04.2015 (syn)\n"
            "- Zofia Wiśniewska, ur. 02.09.2019 (córka)\n\nPlease can you help us to find a school place.\n"
            "Katarzyna Wiśniewska\n")
    record = extract_mail(extraction_context, body, "Katarzyna Wiśniewska <kasia.w@example.pl>")
    assert [(c["first_name"]["value"], c["last_name"]["value"], c["date_of_birth"]["value"])
            for c in record["children"]] == [("Jakub", "Wiśniewski", "2015-04-15"), ("Zofia", "Wiśniewska", "2019-09-02")]


def test_a_mothers_partner_on_a_labelled_line_is_a_second_adult_not_a_second_mother(extraction_context) -> None:
    from tests.extraction.mail import extract_mail

    body = ("Kayden Lowe (Year 3) has not been in school since Thursday and the house is empty.\n\n"
            "Mother: Shannon Lowe - 07700 900905\nMother's partner: Dean Collis (not Kayden's father)\n\nMrs A Patel\nDSL\n")
    record = extract_mail(extraction_context, body, "A Patel <a.patel@valley.hants.sch.uk>")
    assert [(p["name"]["value"], p["relationship"]["value"]) for p in record["parents_carers"]] == [
        ("Shannon Lowe", "mother"), ("Dean Collis", "other")]


def test_a_blank_form_cell_does_not_take_the_next_label_as_its_answer() -> None:
    text = ("Section F - Referrer\nReferrer name | Role\nReferrer telephone | Referrer email\nDate of referral\n")
    reading = FormReading()
    read_forms(_source(text), REF, reading)  # the blank form's table: each label beside the next one
    assert reading.referrer.get("name") is None and reading.referrer.get("phone") is None


def test_a_sentence_wrapped_into_short_lines_is_no_section_heading(extraction_context) -> None:
    from tests.extraction.mail import extract_mail

    body = ("Dear Sir/Madam\n\nPlease accept this email as our\nnotification that we have put a pupil\n"
            "on a reduced timetable. This was\nagreed with parent at a meeting on\nMonday 16th November.\n\n"
            "Name: Alfie QUILL\nDOB: 21.01.2018\nYear 4\n\nParent: Mrs Rachel Quill\nTel: 07700 900163\n\nRegards\n\n"
            "Pauline Lanning\n")
    record = extract_mail(extraction_context, body, "Pauline Lanning <admin@quarryhill.hants.sch.uk>")
    assert [c["first_name"]["value"] for c in record["children"]] == ["Alfie"]
    assert [p["name"]["value"] for p in record["parents_carers"]] == ["Rachel Quill"]


def test_a_sex_written_after_the_date_of_birth_on_its_line_is_the_childs(extraction_context) -> None:
    body = ("Dear CME team\n\nPlease find below two referrals.\n\nName: Mihai POPESCU\nDOB: 08/12/2012 - Year 9 - Male\n"
            "Address: 21 Tern Close, Stubbington, PO14 2QB\n\nName: Isla BRENNAN\nDOB: 15/06/2015, Year 7, F\n"
            "Address: 9 Hawthorn Rise, Chandler's Ford, SO53 2FJ\n\nThanks\nFiona Example\n")
    record = extract_mail(extraction_context, body, "Fiona Example <f.example@trust.example.org.uk>")
    assert [(c["first_name"]["value"], (c["gender"] or {}).get("value")) for c in record["children"]] == [
        ("Mihai", "male"), ("Isla", "female")]


def test_two_parents_written_with_one_surname_each_get_it(extraction_context) -> None:
    body = ("Dear CME team\n\nStudent: Maisie Example\nDOB: 11/04/2013 (13)\nAddress: 17 Stanmore Rise, Winchester "
            "SO22 4HB\nParents: Gareth and Louise Example - mums mobile 07700 900551\n\nThanks\nJo Example\n")
    record = extract_mail(extraction_context, body, "Jo Example <jo@school.example.sch.uk>")
    assert [(p["name"] or {}).get("value") for p in record["parents_carers"]] == ["Gareth Example", "Louise Example"]


def test_a_removal_list_with_the_upn_in_the_first_column_gives_each_pupil_their_own_upn(extraction_context) -> None:
    from extraction.extract import extract_file

    html = """<p>Please see below the pupils removed from our admission register.</p>
<table><tr><th>UPN</th><th>Surname</th><th>Forename</th><th>DOB</th><th>Leaving Date</th></tr>
<tr><td>M850210416211</td><td>QUILL</td><td>Basil</td><td>12/03/2012</td><td>16/10/2026</td></tr>
<tr><td>G850402125087</td><td>ORMEROD</td><td>Tallulah</td><td>27/09/2013</td><td>21/10/2026</td></tr>
<tr><td>F850218819342</td><td>FENWICK</td><td>Harlan</td><td>19/01/2015</td><td>23/10/2026</td></tr></table>
<p>Rosalind Fenwick<br>Data Manager</p>"""
    record = extract_file("t.eml", _mail(html, html=True), extraction_context)
    assert {c["first_name"]["value"]: c["upn"]["value"] for c in record["children"]} == {
        "Basil": "M850210416211", "Tallulah": "G850402125087", "Harlan": "F850218819342"}


@pytest.mark.parametrize("answer, school", [
    ("Cressex Community School (last attended 10/07/2026)", "Cressex Community School"),
    ("Hartsdown Academy, Margate (still on roll - deletion only after joint enquiries)", "Hartsdown Academy"),
])
def test_a_school_the_register_does_not_hold_loses_the_note_after_it(extraction_context, answer: str,
                                                                     school: str) -> None:
    body = f"Child: Ellis Quill\nDOB: 03/05/2013\nSchool: {answer}\n\nRosalind Fenwick\nCME Officer\n"
    record = extract_mail(extraction_context, body, "Rosalind Fenwick <r.fenwick@example.org>")
    assert record["children"][0]["school"]["name"]["value"] == school
