"""Names as written: titles dropped, SURNAME, Forename turned round, notes cut off; relationships normalised."""
import pytest

from extraction.people import clean_name, relationship_of, split_name, surname_first_form


@pytest.mark.parametrize("raw, name, span", [
    ("Mrs Petra Quillfeather", "Petra Quillfeather", (4, 22)),
    ("Petra Quillfeather (mother) - 07700 900123", "Petra Quillfeather", (0, 18)),
    ("QUILLFEATHER, Petra", "Petra QUILLFEATHER", (0, 19)),
    ("Orin Bellwether, Attendance Officer", "Orin Bellwether", (0, 15)),
    ("Dr. Ama Oduya-Finch, mobile 01632 960111", "Ama Oduya-Finch", (4, 19)),
])
def test_clean_name(raw: str, name: str, span: tuple[int, int]) -> None:
    assert clean_name(raw) == (name, *span)


@pytest.mark.parametrize("raw", ["N/A", "Not known", "(not answered)", "none in the UK", "07700 900123"])
def test_not_a_name(raw: str) -> None:
    assert clean_name(raw) is None


@pytest.mark.parametrize("name, first, last", [
    ("Petra Quillfeather", "Petra", "Quillfeather"),
    ("Jonah QUILL-FEATHER", "Jonah", "QUILL-FEATHER"),
    ("Mary Ann Thistle", "Mary Ann", "Thistle"),
    ("Jonah", "Jonah", None),
])
def test_split_name(name: str, first: str, last: str | None) -> None:
    assert split_name(name) == (first, last)


def test_surname_first_form() -> None:
    assert surname_first_form("QUILL, Jonah (M)")
    assert not surname_first_form("Jonah Quill, Year 5")


@pytest.mark.parametrize("word, relation", [
    ("Mum", "mother"), ("step-dad", "stepfather"), ("Nan", "grandmother"), ("Foster carer", "carer"),
    ("Father (lives separately)", "father"), ("Neighbour", None),
])
def test_relationship_of(word: str, relation: str | None) -> None:
    assert relationship_of(word) == relation
