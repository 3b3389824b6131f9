"""AcroForm fields: repeated labels told apart by group, fields in reading order."""
from __future__ import annotations

from parsers.mime import parse_message
from tests.parsers import documents as make
from tests.parsers.test_attachments import pairs, source


def _fields_text(form: bytes) -> list[str]:
    src = source(parse_message(make.email_with([("form.pdf", "application/pdf", form)])), "form.pdf")
    pairs(src)  # offsets check
    return src.text.split("Form fields:\n", 1)[1].splitlines()


def _child(group: str, top: float, surname: str, dob: str) -> dict:
    return {"T": group, "kids": [{"T": "surname", "TU": "Surname", "V": surname, "at": (100, top)},
                                 {"T": "dob", "TU": "Date of birth", "V": dob, "at": (100, top + 30)}]}


def test_repeated_labels_take_the_group_of_the_field_name_in_reading_order() -> None:
    # the catalogue lists the second child first; the page shows the first child above
    form = make.pdf([(50, 40, "Children")], fields=[
        _child("child2", 300, "PELLING", "02/06/2016"),
        {"T": "parent_name", "TU": "Parent’s name", "V": "Wynn Pelling", "at": (100, 500)},
        _child("child1", 100, "PELLING", "30/11/2013"),
    ])
    assert _fields_text(form) == [
        "Child 1 - Surname: PELLING", "Child 1 - Date of birth: 30/11/2013",
        "Child 2 - Surname: PELLING", "Child 2 - Date of birth: 02/06/2016",
        "Parent’s name: Wynn Pelling"]


def test_flat_field_names_and_headings_on_the_page_give_the_group() -> None:
    flat = make.pdf([], fields=[
        {"T": "c2_surname", "TU": "Surname", "V": "ORMEROD", "at": (100, 300)},
        {"T": "c1_surname", "TU": "Surname", "V": "QUAYLE", "at": (100, 100)}])
    assert _fields_text(flat) == ["Child 1 - Surname: QUAYLE", "Child 2 - Surname: ORMEROD"]
    # generic names (Text3, Text9) say nothing: the "Pupil 1" / "Pupil 2" headings above the boxes do
    headed = make.pdf([(50, 80, "Pupil 1"), (50, 280, "Pupil 2")], fields=[
        {"T": "Text9", "TU": "Surname", "V": "ORMEROD", "at": (100, 300)},
        {"T": "Text3", "TU": "Surname", "V": "QUAYLE", "at": (100, 100)}])
    assert _fields_text(headed) == ["Pupil 1 - Surname: QUAYLE", "Pupil 2 - Surname: ORMEROD"]


def test_repeated_labels_without_any_group_stay_as_they_are() -> None:
    form = make.pdf([], fields=[
        {"T": "Text2", "TU": "Surname", "V": "ORMEROD", "at": (100, 300)},
        {"T": "Text1", "TU": "Surname", "V": "QUAYLE", "at": (100, 100)},
        {"T": "Text4", "TU": "School", "V": "Exampleton Primary", "at": (320, 100)}])
    assert _fields_text(form) == ["Surname: QUAYLE", "School: Exampleton Primary", "Surname: ORMEROD"]
    numbered = make.pdf([], fields=[{"T": "surname_2", "TU": "Surname", "V": "ORMEROD", "at": (100, 300)},
                                    {"T": "surname_1", "TU": "Surname", "V": "QUAYLE", "at": (100, 100)}])
    assert _fields_text(numbered) == ["Surname (1): QUAYLE", "Surname (2): ORMEROD"]


def test_fields_follow_the_pages_then_top_to_bottom_then_left_to_right() -> None:
    form = make.pdf([], pages_count=2, fields=[
        {"T": "sig", "TU": "Signed", "V": "P. Quayle", "at": (100, 100), "page": 1},
        {"T": "dob", "TU": "Date of birth", "V": "14/03/2015", "at": (100, 200)},
        {"T": "forename", "TU": "Forename", "V": "Ada", "at": (330, 102)},
        {"T": "surname", "TU": "Surname", "V": "QUILLFORD", "at": (100, 100)}])
    assert _fields_text(form) == ["Surname: QUILLFORD", "Forename: Ada", "Date of birth: 14/03/2015",
                                  "Signed: P. Quayle"]
