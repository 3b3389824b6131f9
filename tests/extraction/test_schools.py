"""Matching school names as people write them to a GIAS-layout register (fictitious schools)."""
import pytest

from extraction.errors import RegisterError
from extraction.schools import SchoolRegister
from tests.extraction.mail import extract_mail

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


def test_the_school_after_a_date_of_birth_on_a_childs_list_line_is_found(register: SchoolRegister) -> None:
    text = "Ruby Quill - 12/06/2011 - Quillbrook (yr 11)\nAlfie Quill - 03/10/2014 - Tolworth Way (yr 4)\n"
    assert [(m.urn if m else None, written) for m, written, _, _ in register.find_in_text(text)] == [
        ("900005", "Quillbrook"), ("900007", "Tolworth Way")]


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


# A register with GIAS's place and status columns (fictitious schools): closed schools, earlier names,
# schools of the same name in different towns.
PLACES = """URN,LA (code),LA (name),EstablishmentName,EstablishmentStatus (name),PhaseOfEducation (name),Town,Locality,Postcode,PreviousNames
900201,850,Hampshire,St Oswin’s Church of England Primary School,Open,Primary,Marshby,,SO99 1AA,
900202,850,Hampshire,St Oswin's Church of England Primary School,Open,Primary,Eddington,Lower Fenn,GU99 2BB,
900203,936,Surrey,St Oswin's Church of England Primary School,Open,Primary,Ashcombe,,KT99 3CC,
900204,850,Hampshire,Quarrydown Community School,Closed,Secondary,,,,
900205,850,Hampshire,Quarrydown Community School,Open,Secondary,Marshby,,SO99 4DD,
900206,850,Hampshire,Tolbury Infant School,Closed,Primary,,,,
900207,850,Hampshire,Tolbury Primary School,Open,Primary,Tolbury,,SO99 5EE,
900208,850,Hampshire,Harnwick Academy,Open,Secondary,Harnwick,,SO99 6FF,Harnwick School
900209,850,Hampshire,Marshby College,Open,Secondary,Marshby,,SO99 7GG,
900210,850,Hampshire,Fennimore Primary School,Open,Primary,Marshby,,SO99 8HH,
900211,867,Bracknell Forest,Fennimore Primary School,Open,Primary,Ashcombe,,RG99 9JJ,
900212,850,Hampshire,Wendle Park Community School,Closed,Secondary,,,,
900213,850,Hampshire,Oakline Academy Wendle Park,Open,Secondary,Harnwick,,SO99 1KK,
900214,850,Hampshire,Brockhurst School,Closed,Secondary,,,,
900215,850,Hampshire,The Harnwick Church of England Academy,Open,Secondary,Harnwick,,SO99 2LL,
900216,850,Hampshire,Wexcombe,Open,Secondary,Marshby,,SO99 3MM,
900217,867,Bracknell Forest,Wexcombe Primary School,Open,Primary,Ashcombe,,RG99 4NN,
900218,850,Hampshire,Ludwell School,Open,Secondary,Marshby,,SO99 5PP,
900219,850,Hampshire,Ludwell College,Open,Not applicable,Marshby,,SO99 6QQ,
"""


@pytest.fixture(scope="module")
def places() -> SchoolRegister:
    return SchoolRegister.from_csv_text(PLACES)


@pytest.mark.parametrize("written", ["St Oswin's CE Primary", "St Oswin’s C of E Primary School", "St Oswins CE Primary"])
def test_the_same_name_in_three_towns_gets_no_school(places: SchoolRegister, written: str) -> None:
    assert places.match(written) is None


@pytest.mark.parametrize("written, urn", [
    ("St Oswins CE Primary, Marshby", "900201"),
    ("St Oswin’s C of E Primary School (Eddington)", "900202"),
    ("St Oswin's CE Primary in Lower Fenn", "900202"),  # a locality of the school
    ("St Oswin's CE Primary School, Ashcombe, Surrey", "900203"),
])
def test_a_town_written_with_the_name_says_which(places: SchoolRegister, written: str, urn: str) -> None:
    match = places.match(written)
    assert match is not None and match.urn == urn and match.name == places.name_of(urn)


def test_a_town_that_is_none_of_theirs_gets_no_school(places: SchoolRegister) -> None:
    assert places.match("St Oswin's CE Primary, Harnwick") is None


@pytest.mark.parametrize("town, postcode, urn", [
    ("Eddington", None, "900202"),
    (None, "GU99 2XY", "900202"),  # postcode district
    (None, "KT98 1AB", "900203"),  # postcode area only
    ("Marshby", "GU99 2XY", "900202"),  # the district is the closer place
    ("Farley", None, None),  # none of theirs
    (None, "SO99", None),  # no full postcode
])
def test_the_familys_town_or_postcode_says_which(places: SchoolRegister, town, postcode, urn) -> None:
    match = places.match("St Oswin's CE Primary", town=town, postcode=postcode)
    assert (match.urn if match else None) == urn


def test_a_closed_school_gives_way_to_its_open_namesake(places: SchoolRegister) -> None:
    match = places.match("Quarrydown Community School")  # an academy conversion: a new URN, the same name
    assert match is not None and match.urn == "900205"
    assert places.match("Quarrydown").urn == "900205"


def test_a_closed_school_gives_way_to_the_open_school_named_after_it(places: SchoolRegister) -> None:
    match = places.match("Wendle Park")  # renamed by the trust it joined: the new name holds the old one
    assert match is not None and (match.urn, match.name) == ("900213", "Oakline Academy Wendle Park")


def test_a_closed_school_with_no_open_namesake_is_itself(places: SchoolRegister) -> None:
    # the infant school is no predecessor the register can show of the primary: its own name and URN
    match = places.match("Tolbury Infants")
    assert match is not None and (match.urn, match.name) == ("900206", "Tolbury Infant School")
    # nor is a school whose successor took a new name: the register does not link them
    match = places.match("Brockhurst School")
    assert match is not None and (match.urn, match.name) == ("900214", "Brockhurst School")


def test_an_earlier_name_matches_the_school_as_it_is_now(places: SchoolRegister) -> None:
    match = places.match("Harnwick School")
    assert match is not None and (match.urn, match.name) == ("900208", "Harnwick Academy")


def test_a_bare_town_is_no_school(places: SchoolRegister) -> None:
    assert places.match("Marshby") is None  # not Marshby College
    assert places.find_in_text("She was at Marshby until the summer.") == []
    assert places.match("Marshby College").urn == "900209"


def test_a_town_after_a_shared_name_in_prose_is_read_with_it(places: SchoolRegister) -> None:
    text = "She left Fennimore Primary School, Ashcombe in May. He is at St Oswin's CE Primary in Eddington."
    found = places.find_in_text(text)
    assert [(m.urn if m else None, w) for m, w, _, _ in found] == [
        ("900211", "Fennimore Primary School, Ashcombe"), ("900202", "St Oswin's CE Primary in Eddington")]
    for _, written, start, end in found:
        assert text[start:end] == written
    (found,) = places.find_in_text("He went to Fennimore Primary School in September.")
    assert found[0] is None and found[1] == "Fennimore Primary School"


@pytest.mark.parametrize("written", ["St Nicholas’ School", "St Nicholas's School", "St Nicholas School",
                                     "St. Nicholas’s School", "ST NICHOLAS' SCHOOL"])
def test_the_apostrophes_form_is_ignored(written: str) -> None:
    register = SchoolRegister.from_csv_text("URN,EstablishmentName\n900301,St Nicholas' School\n")
    assert register.match(written).urn == "900301"


@pytest.mark.parametrize("written, urn", [
    ("St Oswin's CE Primary (URN 900202)", "900202"),  # the URN says which of the three
    ("St Oswin's CE Primary School, URN: 900203", "900203"),
    ("Quarrydown Community School URN 900204", "900205"),  # the closed school's URN: its successor
    ("Marshby College (URN 900202)", None),  # the URN of another school: neither
    ("Marshby College (URN 123456)", None),  # a URN the register does not have: a school elsewhere
])
def test_a_urn_written_with_the_name(places: SchoolRegister, written: str, urn: str | None) -> None:
    match = places.match(written)
    assert (match.urn if match else None) == urn


def test_a_school_called_just_its_name_is_the_one_meant_without_a_phase(places: SchoolRegister) -> None:
    assert places.match("Wexcombe").urn == "900216"  # the register's own name, word for word
    assert places.match("Wexcombe School").urn == "900216"  # not Wexcombe Primary School
    assert places.match("Wexcombe Primary").urn == "900217"
    assert places.match("Ludwells") is None  # the school or the college: not said


# The bundled register (config/schools-hampshire-and-neighbours.csv): every open establishment of Hampshire
# and its neighbouring authorities, the closed schools of the earlier Hampshire list and renamed schools'
# earlier names. Real schools: what a CME Officer would look up.

@pytest.fixture(scope="module")
def bundled() -> SchoolRegister:
    from config.settings import DEFAULT_REGISTER

    return SchoolRegister.from_csv_text(DEFAULT_REGISTER.read_text(encoding="utf-8-sig"))


@pytest.mark.parametrize("written, urn, name", [
    ("Winchester College", "116532", "Winchester College"),  # independent
    ("Churchers College", "116579", "Churcher's College"),  # independent, apostrophe left out
    ("Hollywater School", "131068", "Hollywater School"),  # special
    ("Rachel Madocks", "116611", "Rachel Madocks School"),  # special
    ("Rowhill School", "115836", "Rowhill School"),  # pupil referral unit
    ("The Blue Coat School, Basingstoke", "150839", "The Blue Coat School Basingstoke"),  # academy
    ("Bohunt Farnborough", "149712", "Bohunt Farnborough"),  # academy
    ("Bitterne Park School", "116458", "Bitterne Park School"),  # Southampton
    ("Admiral Lord Nelson School", "140697", "Admiral Lord Nelson School"),  # Portsmouth
    ("Bourne Community College", "126069", "Bourne Community College"),  # West Sussex
    ("Ash Manor School", "125271", "Ash Manor School"),  # Surrey
    ("Twynham School", "136649", "Twynham School"),  # Bournemouth, Christchurch and Poole
])
def test_bundled_register_has_every_kind_of_school(bundled: SchoolRegister, written: str, urn: str, name: str) -> None:
    match = bundled.match(written)
    assert match is not None and (match.urn, match.name) == (urn, name)


@pytest.mark.parametrize("written, urn, name", [
    ("Aldworth School", "116427", "Aldworth School"),  # closed; what it became is not in the register
    ("Test Valley School", "116426", "Test Valley School"),
    ("Brighton Hill Community School", "149707", "Brighton Hill Community School"),  # the academy it became
    ("Frogmore Community College", "150951", "Frogmore Community College"),
    ("Halterworth Community Primary School", "148216", "Halterworth Primary School"),
    ("Brune Park", "150871", "King's Academy Brune Park"),
    ("Bay House School", "137791", "King's Academy Bay House"),  # renamed: same URN
    ("LWS Academy", "140732", "King's Academy Lord Wilson"),
    ("Samuel Cody Specialist Sports College", "116640", "Samuel Cody School"),
])
def test_bundled_register_knows_old_names(bundled: SchoolRegister, written: str, urn: str, name: str) -> None:
    match = bundled.match(written)
    assert match is not None and (match.urn, match.name) == (urn, name)


@pytest.mark.parametrize("written", ["St Swithun’s", "St Swithun's", "St Swithuns", "ST SWITHUNS"])
def test_bundled_register_ignores_the_apostrophe(bundled: SchoolRegister, written: str) -> None:
    match = bundled.match(written)
    assert match is not None and (match.urn, match.name) == ("116534", "St Swithuns")


@pytest.mark.parametrize("written, town, postcode, urn", [
    ("St Joseph's Catholic Primary School", None, None, None),  # twelve of them, in seven authorities
    ("St Joseph’s RC Primary, Aldershot", None, None, "137422"),
    ("St Josephs Catholic Primary (Epsom)", None, None, "125205"),
    ("St Joseph's Catholic Primary", None, "GU11 3AA", "137422"),  # the family's postcode
    ("St Mary's C of E Primary", None, None, None),
    ("St Mary's CE Primary School", "Oxted", None, "125194"),  # the family's town
    ("Newlands Primary School", None, None, None),  # Yateley, Hampshire, or Millbrook, Southampton
    ("Newlands Primary School", "Yateley", "GU46 6LB", "116080"),
    ("Newlands Primary School", "Southampton", "SO16 9QX", "133704"),
    ("Kings School", None, None, None),  # Kings' School, Winchester, or The King's School, Fair Oak
    ("Kings School, Winchester", None, None, "116468"),
    ("Newlands Primary School", "Portsmouth", None, None),  # neither is there
])
def test_bundled_register_same_name_in_several_places(bundled: SchoolRegister, written: str, town: str | None,
                                                       postcode: str | None, urn: str | None) -> None:
    match = bundled.match(written, town=town, postcode=postcode)
    assert (match.urn if match else None) == urn


def test_bundled_register_in_prose(bundled: SchoolRegister) -> None:
    text = ("Both girls were at Newlands Primary School in Yateley until Easter; their brother goes to "
            "St Joseph's Catholic Primary School. The family were last seen in Winchester.")
    found = bundled.find_in_text(text)
    assert [(m.urn if m else None, w) for m, w, _, _ in found] == [
        ("116080", "Newlands Primary School in Yateley"), (None, "St Joseph's Catholic Primary School")]


def test_bundled_register_a_town_is_no_school(bundled: SchoolRegister) -> None:
    assert bundled.match("Bournemouth") is None  # not Bournemouth School
    assert bundled.match("Bournemouth, Christchurch and Poole Council") is None
    assert bundled.find_in_text("She has been at Winchester since the summer.") == []


def test_bundled_register_columns() -> None:
    import csv
    import io

    from config.settings import DEFAULT_REGISTER

    rows = list(csv.DictReader(io.StringIO(DEFAULT_REGISTER.read_text(encoding="utf-8-sig"))))
    assert len({r["URN"] for r in rows}) == len(rows) > 2400
    closed = [r for r in rows if r["EstablishmentStatus (name)"] == "Closed"]
    assert 20 <= len(closed) < 30 and all(r["LA (code)"] == "850" for r in closed)
    assert {r["LA (name)"] for r in rows} >= {"Hampshire", "Portsmouth", "Southampton", "Isle of Wight",
                                               "West Sussex", "Surrey", "Dorset", "Wiltshire", "West Berkshire"}


def test_tools_register_keeps_closed_schools_and_old_names(tmp_path) -> None:
    """tools/register.py, which builds the bundled register from a GIAS extract and the earlier lists."""
    import importlib.util
    from pathlib import Path

    path = Path(__file__).resolve().parents[2] / "tools" / "register.py"
    spec = importlib.util.spec_from_file_location("register_tool", path)
    tool = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(tool)
    gias = tmp_path / "gias.csv"
    gias.write_text("URN,LA (code),EstablishmentName,EstablishmentTypeGroup (name),EstablishmentStatus (code),"
                    "EstablishmentStatus (name),Town\n"
                    "900401,850,Harnwick Academy,Academies,1,Open,Harnwick\n"
                    "900402,850,St Oswin's Primary School,Local authority maintained schools,1,Open,Marshby\n"
                    "900403,850,Quarrydown School,Academies,1,Open,Marshby\n", encoding="utf-8")
    earlier = tmp_path / "earlier.csv"
    earlier.write_text("URN,EstablishmentName,LA (code),TypeOfEstablishment (name)\n"
                       "900401,Harnwick School,850,Local authority maintained schools\n"
                       "900402,St Oswin’s Primary School,850,Local authority maintained schools\n"
                       "900404,Quarrydown School,850,Local authority maintained schools\n", encoding="utf-8")
    out = tmp_path / "register.csv"
    assert tool.main([str(gias), str(earlier), "-o", str(out)]) == 0
    text = out.read_text(encoding="utf-8")
    assert text.splitlines()[0].endswith(",Town,PreviousNames")
    again = tmp_path / "again.csv"  # refreshed from the same extract with the register as the earlier list
    assert tool.main([str(gias), str(out), "-o", str(again)]) == 0 and again.read_text(encoding="utf-8") == text
    register = SchoolRegister.from_csv_text(text)
    assert len(register) == 4
    assert register.match("Harnwick School").urn == "900401"  # a previous name
    assert "St Oswin’s" not in text  # the apostrophe alone is no other name
    closed = [line for line in text.splitlines() if line.startswith("900404,")]
    assert closed == ["900404,850,Quarrydown School,Local authority maintained schools,2,Closed,,"]
    assert register.match("Quarrydown School").urn == "900403"  # the academy it became


SHORTENED = """URN,LA (code),LA (name),EstablishmentName,EstablishmentStatus (name),PhaseOfEducation (name),Town,Locality,Postcode
900301,835,Dorset,Quarrydown Academy Tolbury,Open,Secondary,Tolbury,,DT99 1AA
900302,850,Hampshire,Oakline Academy Marshby,Open,Secondary,Marshby,,SO99 2BB
900303,850,Hampshire,Oakline Academy Harnwick,Open,Secondary,Harnwick,,SO99 3CC
900304,850,Hampshire,Wendle Community School Harnwick,Open,Secondary,Harnwick,,SO99 4DD
"""


def test_a_school_written_without_the_town_its_name_ends_with_is_that_school() -> None:
    register = SchoolRegister.from_csv_text(SHORTENED)
    assert register.match("Quarrydown Academy").urn == "900301"
    assert register.match("Wendle Community School").name == "Wendle Community School Harnwick"
    assert register.match("Oakline Academy") is None  # the start of two schools' names: which is not said
    assert register.match("Quarrydown") is None  # the distinctive word alone is not enough


def test_the_child_named_in_brackets_after_a_school_is_the_one_who_went_there(extraction_context) -> None:
    body = ("Good evening,\n\nMy two children, Freya Quill (DOB 03/02/2014) and Alfie Quill (DOB 19/10/2017), live with "
            "their mother. Until the summer the children attended The Wellington Academy (Freya) and Shipton Bellinger "
            "Primary School (Alfie). Neither has started a new school.\n\nI can be reached on my UK mobile, "
            "+44 7700 900129.\n\nRegards,\n\nLee Quill\n")
    record = extract_mail(extraction_context, body, "Lee Quill <lq@example.com>")
    assert [(c["first_name"]["value"], c["school"]["name"]["value"]) for c in record["children"]] == [
        ("Freya", "The Wellington Academy"), ("Alfie", "Shipton Bellinger Primary School")]
    assert record["referrer"]["phone"]["value"] == "07700900129"  # "I can be reached on my UK mobile, ..."


@pytest.mark.parametrize("sentence", [
    'He told me last week he "got kicked out of Wavell" back in the spring.',
    "Alfie tells me he left Calthorpe Park last spring and is doing home school.",
    "Up to the summer they were both at Wildern, and since then nothing.",
    # the first word of the name alone, the school written to, a bracketed name, a child taken out of it
    "He left Calthorpe in Y10 after a managed move fell through.",
    "His mum has now emailed Crookhorn and told them he is home educated.",
    "The school she previously attended (Harrow Way) gave her last day as 7 February.",
    "She told me she had taken him out of Perins at Christmas.",
    "he said he used to go Crookhorn but his mum sorted it",
])
def test_a_school_written_by_its_short_name_after_leaving_or_being_put_out_is_found(extraction_context,
                                                                                   sentence: str) -> None:
    assert [m.urn for m, *_ in extraction_context.register.find_in_text(sentence) if m is not None]


@pytest.mark.parametrize("sentence", ["She left Rose at home with the baby.", "We emailed Sophie about it."])
def test_a_given_name_after_left_or_emailed_is_no_school(extraction_context, sentence: str) -> None:
    assert [m for m, *_ in extraction_context.register.find_in_text(sentence) if m is not None] == []


def test_a_kind_of_school_in_a_town_is_not_a_school_but_a_known_one_in_small_letters_is(extraction_context) -> None:
    register = extraction_context.register
    assert [w for _, w, *_ in register.find_in_text("Both went to a Salisbury primary until May.")] == []
    assert [w for _, w, *_ in register.find_in_text("Evie was at Holbrook primary until July.")] == ["Holbrook primary"]


@pytest.mark.parametrize("sentence, urn", [
    ("just to let you know my son alfie started at park gate primary yesterday", "116033"),
    ("School (if known): used to go to wootey infants", "115985"),
    ("he was at Redbridge Community school until the summer", "116453"),
])
def test_a_school_written_in_small_letters_after_going_there_is_found(extraction_context, sentence: str,
                                                                      urn: str) -> None:
    assert [m.urn for m, *_ in extraction_context.register.find_in_text(sentence) if m is not None] == [urn]


@pytest.mark.parametrize("sentence, urn", [
    ("i havent been to school since i got excluded from harrow way in march", "116431"),
    ("my names alfie im 14 and in year 10 at harrow way", "116431"),
    ("she hasnt been to school since July, she was at mayfield before.", "150362"),
    ("Kirsty took Jayden out of Brune Park last Easter time", "150871"),
    ("He went up to Brighton Hill in September last year", "149707"),
])
def test_a_school_written_by_its_bare_name_in_small_letters_or_after_a_year_group_is_found(
        extraction_context, sentence: str, urn: str) -> None:
    assert [m.urn for m, *_ in extraction_context.register.find_in_text(sentence) if m is not None] == [urn]


@pytest.mark.parametrize("sentence", ["she was at home all day and went to the park", "he has been at work since",
                                      "she was at winchester with her dad", "he went up to see his nan"])
def test_everyday_words_and_towns_in_small_letters_name_no_school(extraction_context, sentence: str) -> None:
    assert [m for m, *_ in extraction_context.register.find_in_text(sentence) if m is not None] == []


def test_a_school_goes_to_the_child_named_before_it_even_in_small_letters(extraction_context) -> None:
    body = ("hi my kids are Lacey Pearce 9, Alfie Pearce 7 and Kayden Pearce 12 we moved to 41 Ramsdale Avenue "
            "Havant PO9 4LJ. Lacey and Alfie was at the park all summer and kayden was at admiral lord nelson "
            "but its to far now\n\nShannon Pearce 07700 900416\n")
    record = extract_mail(extraction_context, body, "Shannon Pearce <sp@example.com>")
    schools = {c["first_name"]["value"]: (c["school"]["name"] or {}).get("value") for c in record["children"]}
    assert schools == {"Lacey": None, "Alfie": None, "Kayden": "Admiral Lord Nelson School"}


@pytest.mark.parametrize("sentence", ["we went to the park with her school friends", "he was at the local school",
                                      "she goes to a primary school near us"])
def test_ordinary_words_before_school_in_small_letters_name_no_school(extraction_context, sentence: str) -> None:
    assert [m for m, *_ in extraction_context.register.find_in_text(sentence) if m is not None] == []


def test_a_school_whose_name_is_also_a_locality_is_found_when_it_took_the_child_off_roll(extraction_context) -> None:
    body = ("Hello,\n\nI am writing about Oliver Stannard (dob 09/04/2012), who lives at 6 Wren Close, Fleet GU51 3RT.\n\n"
            "Oliver is not currently on any school roll - Calthorpe Park took him off in the summer.\n\n"
            "Marcus Feld\nClinical Psychologist\n")
    record = extract_mail(extraction_context, body, "Marcus Feld <m.feld@example.org>")
    assert record["children"][0]["school"]["urn"]["value"] == "116436"


def test_the_school_a_child_was_placed_at_is_theirs_but_one_offering_a_place_is_not(extraction_context) -> None:
    placed = extract_mail(extraction_context, "Isla Quill (DOB 30/05/2013) has an EHCP. She was placed at Hill House "
                          "School in Lymington from September 2024 and the placement broke down.", "Lee Quill <lq@example.com>")
    offered = extract_mail(extraction_context, "Isla Quill (DOB 30/05/2013) has an EHCP. She has been offered a place "
                           "at Hill House School in Lymington.", "Lee Quill <lq@example.com>")
    assert [(c["school"]["name"] or {}).get("value") for c in placed["children"]] == ["Hill House School"]
    assert [(c["school"]["name"] or {}).get("value") for c in offered["children"]] == [None]


def test_a_school_taking_a_pupil_off_its_roll_is_the_pupils_school_not_the_one_she_moves_to(extraction_context) -> None:
    body = ("Hi CME team,\n\nPlease see our deletion below. Ellie Quill (DOB 14/03/2014, Year 7) transfers to Thornden "
            "School on Monday 23rd November; Thornden have confirmed the place and we will send the CTF via S2S.\n"
            "Her brother Sam Quill (DOB 02/05/2017) is in Year 4 at Crestwood Community School and stays there.\n\n"
            "Address: 4 Example Close, Eastleigh SO50 7ZQ\n\nThanks\nSteve Example\nData Manager\nWyvern College\n")
    record = extract_mail(extraction_context, body, "Steve Example <s.example@wyvern.hants.sch.uk>",
                          subject="Deletion from roll - Reg 9(1)(a)")
    assert record["category"] == "roll_removal"
    schools = {c["first_name"]["value"]: (c["school"]["name"] or {}).get("value") for c in record["children"]}
    assert schools["Ellie"] == "Wyvern College"
    assert schools["Sam"] == "Crestwood Community School"  # a brother's own school is his


def test_a_school_referring_its_own_pupil_is_the_pupils_school_not_the_one_he_came_from(extraction_context) -> None:
    body = ("Hi CME team,\n\nKai Example (DOB 03/03/2014, Year 7), 41 Brookside Walk, Havant PO9 2JB, joined us in "
            "September from Bosmere Juniors and last attended on 02/11/2026. Mum is not answering and a home visit "
            "found the house empty.\n\nMichelle Example\nAttendance Officer\nWarblington School\n")
    record = extract_mail(extraction_context, body, "Michelle Example <attendance@warblington.hants.sch.uk>",
                          subject="CME referral - Kai Example")
    assert record["category"] == "cme_referral"
    assert record["children"][0]["school"]["name"]["value"] == "Warblington School"


def test_a_hospital_school_naming_the_school_a_pupil_is_on_the_roll_of_keeps_that_school(extraction_context) -> None:
    body = ("Dear CME Officer,\n\nJasmine Example (female), DOB 04/10/2010, was discharged home on 25 September.\n\n"
            "Jasmine was on roll at Henry Beaufort School when she was admitted, and has no school place now.\n\n"
            "Helen Example\nTeacher, Southampton Hospital School\n")
    record = extract_mail(extraction_context, body, "Helen Example <h.example@hospitalschool.example.org>",
                          subject="Year 11 girl discharged from hospital with no school place")
    assert record["children"][0]["school"]["name"]["value"] == "Henry Beaufort School"


@pytest.mark.parametrize("written", ["Quillbrook Community Church", "Larkfield Chapel", "Quillbrook Fellowship"])
def test_a_place_of_worship_is_not_the_school_of_the_same_name(register: SchoolRegister, written: str) -> None:
    assert register.match(written) is None


def test_a_church_school_is_still_a_school(register: SchoolRegister) -> None:
    assert register.match("Pennyfold Church of England Junior School").urn == "900010"


def test_a_school_written_without_the_specialism_the_register_adds_is_found() -> None:
    register = SchoolRegister.from_csv_text(
        "URN,EstablishmentName,LA (code),LA (name),TypeOfEstablishment (name),PhaseOfEducation (name)\n"
        "900011,The Hartwell School A Specialist Sports College,936,Surrey,Foundation school,Secondary\n")
    match = register.match("Hartwell School")
    assert match is not None and match.urn == "900011"
