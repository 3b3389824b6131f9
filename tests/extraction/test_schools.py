"""Matching school names as people write them to a GIAS-layout register (fictitious schools)."""
import pytest

from extraction.errors import RegisterError
from extraction.schools import SchoolRegister

REGISTER = """\ufeffURN,EstablishmentName,LA (code),LA (name),TypeOfEstablishment (name),PhaseOfEducation (name)
900001,Larkfield Junior School,850,Hampshire,Local authority maintained schools,Primary
900002,Larkfield Infant School,850,Hampshire,Local authority maintained schools,Primary
900003,St Brigid’s Church of England Primary School,850,Hampshire,Local authority maintained schools,Primary
900004,St Brigid’s Catholic Primary School,850,Hampshire,Local authority maintained schools,Primary
900005,Quillbrook Community School,850,Hampshire,Local authority maintained schools,Secondary
900006,Ferncombe Infant School,850,Hampshire,Local authority maintained schools,Primary
900007,Tolworth Way Primary School,850,Hampshire,Local authority maintained schools,Primary
900008,"St Aldhelm’s Catholic Primary School, Marshford",850,Hampshire,Local authority maintained schools,Primary
900009,"St Aldhelm’s Catholic Primary School, Eddington",850,Hampshire,Local authority maintained schools,Primary
900010,Pennyfold Church of England Aided Junior School,850,Hampshire,Local authority maintained schools,Primary
"""


@pytest.fixture(scope="module")
def register() -> SchoolRegister:
    return SchoolRegister.from_csv_text(REGISTER)


@pytest.mark.parametrize("written, urn", [
    ("Larkfield Junior School", "900001"),
    ("Larkfield Juniors", "900001"),
    ("Larkfield Jnr", "900001"),
    ("larkfield infants", "900002"),
    ("Larkfeild Junior School", "900001"),  # misspelt
    ("St Brigid's C of E Primary", "900003"),
    ("St Brigids CE Primary School", "900003"),
    ("St. Brigid's RC Primary", "900004"),
    ("Quillbrook", "900005"),
    ("Quillbrook Community", "900005"),
    ("Tolworth Way Primary", "900007"),
    ("St Aldhelm's Catholic Primary School, Eddington", "900009"),
    ("Pennyfold C of E Junior", "900010"),
])
def test_matches(register: SchoolRegister, written: str, urn: str) -> None:
    match = register.match(written)
    assert match is not None and match.urn == urn
    assert match.name == register.name_of(urn) and 0.75 <= match.score <= 1.0


@pytest.mark.parametrize("written", [
    "Larkfield",  # infant or junior: ambiguous
    "Larkfield Primary School",  # no such primary; the infant and junior are different schools
    "St Brigid's Primary",  # Church of England or Catholic?
    "St Aldhelm's Catholic Primary",  # two of them
    "Ferncombe College",  # a college in the same town is not the infant school
    "Ferncombe School",  # another school sharing the town's name
    "Quillbrook High School for Girls Academy Trust Ltd",
    "Westmarsh Academy",
    "St Brigid's Catholic Junior School",
    "",
])
def test_no_match(register: SchoolRegister, written: str) -> None:
    assert register.match(written) is None


def test_missing_column_is_named() -> None:
    with pytest.raises(RegisterError, match="EstablishmentName"):
        SchoolRegister.from_csv_text("URN,Name\n1,A School\n")


def test_find_in_text(register: SchoolRegister) -> None:
    text = ("She attends Larkfield Junior School in Marshby. Her brother is at Quillbrook. "
            "They lived at 14 Tolworth Way, Marshby. Before that she was at Westmarsh Academy in Dorset.")
    found = register.find_in_text(text)
    assert [(m.urn if m else None, written) for m, written, _, _ in found] == [
        ("900001", "Larkfield Junior School"), ("900005", "Quillbrook"), (None, "Westmarsh Academy")]
    for _, written, start, end in found:
        assert text[start:end] == written


def test_street_named_like_a_school_is_not_a_school(register: SchoolRegister) -> None:
    assert register.find_in_text("Address: 3 Tolworth Way Primary School Lane? no: 3 Tolworth Way, Marshby") == []
    assert register.find_in_text("The family moved to Tolworth Way in July.") == []


def test_generic_and_short_names_never_match(register: SchoolRegister) -> None:
    text = "Mum says she is at Home School now; her previous school was Larkfield Jnr (Year 4, Larkfield Junior School)."
    found = register.find_in_text(text)
    assert [(m.urn if m else None, w) for m, w, _, _ in found] == [
        ("900001", "Larkfield Jnr"), ("900001", "Larkfield Junior School")]
    assert register.match("Ferncombs Infant School") is None or register.match("Ferncombs Infant School").urn == "900006"
    assert register.match("Ferncomb Infants") is not None


def test_lower_case_juniors_in_prose(register: SchoolRegister) -> None:
    (found,) = register.find_in_text("Both used to go to Larkfield juniors until July.")
    assert found[0] is not None and found[0].urn == "900001" and found[1] == "Larkfield juniors"


def test_the_registers_own_name_wins_over_a_sibling_school() -> None:
    register = SchoolRegister.from_csv_text(
        "URN,EstablishmentName\n900101,Brackenhurst School\n900102,Brackenhurst Primary School\n"
        "900103,The Merrow College\n")
    assert register.match("Brackenhurst School").urn == "900101"
    assert register.match("Brackenhurst Primary").urn == "900102"
    assert register.match("Merrow College").urn == "900103"
    (found,) = register.find_in_text("He started with us at Brackenhurst School on Monday.")
    assert found[0].urn == "900101"


def test_bare_name_after_attendance_at(register: SchoolRegister) -> None:
    (found,) = register.find_in_text("Her attendance at Quillbrook is only 80 per cent.")
    assert found[0] is not None and found[0].urn == "900005" and found[1] == "Quillbrook"
