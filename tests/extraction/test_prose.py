"""Free text: a name fills a child's or parent's field only with a cue that says whose it is."""
from datetime import date

import pytest

from extraction.forms import FormReading
from extraction.prose import read_source
from parsers.message import TextSource
from tests.extraction.mail import extract_mail

REF = date(2026, 10, 1)


def _read(text: str) -> FormReading:
    reading = FormReading()
    read_source(TextSource("body", text, "plain"), REF, reading, 0, len(text))
    return reading


@pytest.mark.parametrize("text, first, last, dob", [
    ("I am worried about Marigold Whistledown (DOB 03/04/2015), who has not been seen.",
     "Marigold", "Whistledown", "2015-04-03"),
    ("The children are Ottoline QUILL, born 12th January 2016, and", "Ottoline", "QUILL", "2016-01-12"),
    ("QUILL, Basil (M) - DOB 30/06/2019 - Year 2", "Basil", "QUILL", "2019-06-30"),
    # middle names are given names, not the first name
    ("I am writing about Marigold Ottilie WHISTLEDOWN (DOB 03/04/2015) of Lark Rise.", "Marigold", "WHISTLEDOWN",
     "2015-04-03"),
    ("WHISTLEDOWN, Marigold Ottilie (DOB 03/04/2015)", "Marigold", "WHISTLEDOWN", "2015-04-03"),
    ("Marigold Whistledown (born the 14th September 2014) was placed with me.", "Marigold", "Whistledown",
     "2014-09-14"),
])
def test_child_with_date_of_birth(text: str, first: str, last: str, dob: str) -> None:
    (child,) = _read(text).children
    assert (child.get("first_name"), child.get("last_name"), child.get("date_of_birth")) == (first, last, dob)
    f = child.fields["date_of_birth"]
    assert text[f.source.start:f.source.end] == f.source.text


def test_sibling_cue_gives_child_and_gender() -> None:
    reading = _read("Marigold Whistledown (DOB 03/04/2015) and her brother Basil are at home.")
    names = [(c.get("first_name"), c.get("gender")) for c in reading.children]
    assert ("Basil", "male") in names


def test_parent_cues() -> None:
    reading = _read("Marigold lives with her mother, Petra Whistledown, at home. "
                    "Dad is Anton Quill, 07700 900124, but he works away.")
    got = {p.get("name"): p.get("relationship") for p in reading.parents}
    assert got == {"Petra Whistledown": "mother", "Anton Quill": "father"}
    anton = next(p for p in reading.parents if p.get("name") == "Anton Quill")
    assert anton.get("phone") == "07700900124"


def test_names_without_a_cue_fill_nothing() -> None:
    reading = _read("I spoke to Orin Bellwether at the council about Petra Whistledown yesterday.")
    assert reading.children == [] and reading.parents == []


def test_mums_phone_goes_to_mum() -> None:
    reading = _read("Her mum, Petra Whistledown, was not in. Mum's mobile: 07700 900123.")
    (mum,) = reading.parents
    assert mum.get("phone") == "07700900123"


def test_current_address_preferred_to_the_old_one() -> None:
    reading = _read("They left 2 Old Lane, Ashcombe, GU12 6ZZ in July and now live at 9 New Road, Fleetmoor, "
                    "GU51 3XY.")
    assert reading.family.get("postcode") == "GU51 3XY" and reading.family.get("line1") == "9 New Road"
    assert reading.old.get("postcode") == "GU12 6ZZ"


def test_child_named_after_girl_or_boy() -> None:
    (child,) = _read("A 14 year old girl, Kacey Thorn, has been at our drop-in during school hours.").children
    assert (child.get("first_name"), child.get("last_name"), child.get("gender")) == ("Kacey", "Thorn", "female")


def test_relation_with_name_in_brackets() -> None:
    (dad,) = _read("Dad (Piotr Nowicki) has not answered calls on 07700 900555.").parents
    assert (dad.get("name"), dad.get("relationship"), dad.get("phone")) == ("Piotr Nowicki", "father", "07700900555")


def test_last_attended_sentence_goes_to_the_children_it_speaks_of() -> None:
    reading = _read("Ottoline Quill (DOB 12/01/2016) and Basil Quill (DOB 30/06/2019) are at home. "
                    "Their last day was 17 July 2026.")
    assert [c.get("date_last_attended") for c in reading.children] == ["2026-07-17", "2026-07-17"]


def test_internal_capitals_in_surnames() -> None:
    (child,) = _read("Re: Isla McAllister, DOB 09/12/2014 - Year 7").children
    assert (child.get("first_name"), child.get("last_name")) == ("Isla", "McAllister")


def test_a_letterhead_address_is_not_where_the_child_lives() -> None:
    reading = _read("Quarry Hill Primary School\nSchool Lane, Oakhurst, RG24 9ZZ\n\n"
                    "Ottoline Quill (DOB 12/01/2016) has not attended since 3 September.")
    assert reading.family.fields == {}


def test_her_name_is_after_a_child_word() -> None:
    reading = _read("I'm worried about a girl who lives opposite me at 6 Bluebell Walk, Oakhurst. Her name is "
                    "Ottoline, I think her surname is Quill. She's about 14.")
    (child,) = reading.children
    assert (child.get("first_name"), child.get("last_name"), child.get("gender")) == ("Ottoline", "Quill", "female")
    assert child.fields["first_name"].confidence < 0.85  # prose without a date of birth: reviewed
    assert (reading.family.get("line1"), reading.family.get("town")) == ("6 Bluebell Walk", "Oakhurst")


def test_pronoun_that_cannot_mean_mum_gives_the_childs_gender() -> None:
    reading = _read("Reece Quill (DOB 07/07/2012) has not attended Oakhurst School since 9 October. "
                    "Mum says he is refusing.")
    assert reading.children[0].get("gender") == "male"


def test_a_numbered_form_label_is_not_a_child() -> None:
    assert _read("Telephone (2): 01632 960274\nEmail (2): a@example.org\n").children == []


def test_family_name_made_plain() -> None:
    from extraction.surnames import family_names

    text = ("The Quill family are housed at the Elm Lodge Hotel, 1 Station Approach, Oakhurst, RG24 9ZZ. "
            "The children, Omar (10) and Lina (7), have no school places.")
    reading = _read(text)
    family_names([TextSource("body", text, "plain")], reading)
    got = [(c.get("first_name"), c.get("last_name")) for c in reading.children]
    assert got == [("Omar", "Quill"), ("Lina", "Quill")]


@pytest.mark.parametrize("text, first, last", [
    ("My daughter Petal Quillfeather's attendance has been poor.", "Petal", "Quillfeather"),
    ("We are worried about his son Tobin O'Rourke's safety.", "Tobin", "O'Rourke"),
])
def test_a_possessive_is_not_part_of_the_name(text: str, first: str, last: str) -> None:
    (child,) = _read(text).children
    assert (child.get("first_name"), child.get("last_name")) == (first, last)


@pytest.mark.parametrize("text, expected", [
    # a son/daughter word that introduces another named child is not this child's gender
    ("My son Orrin was born 2.5.2015 and my daughter Fenella was born 11th Nov 2017.",
     {"Orrin": "male", "Fenella": "female"}),
    ("Our daughter Tamsin was born 03/04/2015 and our son Pell was born 04/05/2017.",
     {"Tamsin": "female", "Pell": "male"}),
    ("Quill Whistledown (DOB 03/04/2015) is a boy who lives with his nan.", {"Quill": "male"}),
    # male/female as a value in a list line, not an adjective in prose
    ("QUILLON, Tamsin - DOB 03/04/2015 - female\nQUILLON, Pell - DOB 04/05/2017 - male\n",
     {"Tamsin": "female", "Pell": "male"}),
    ("Quill Whistledown (DOB 03/04/2015) is staying with a female cousin.", {"Quill": None}),
])
def test_a_gender_word_belongs_to_the_name_it_introduces(text: str, expected: dict[str, str]) -> None:
    assert {c.get("first_name"): c.get("gender") for c in _read(text).children} == expected


@pytest.mark.parametrize("text, first, known_as, last, dob", [
    ("Their eldest, Temperance (known as Tem) Adebanjo, was born on the 9th of June 2019 and",
     "Temperance", "Tem", "Adebanjo", "2019-06-09"),
    ("my daughter Philippa (we call\nher Pip) was born 11th Nov 2017.", "Philippa", "Pip", None, "2017-11-11"),
])
def test_a_nickname_in_brackets_is_no_second_child(text: str, first: str, known_as: str, last: str | None,
                                                    dob: str) -> None:
    (child,) = _read(text).children
    assert (child.get("first_name"), child.get("known_as"), child.get("last_name"), child.get("date_of_birth")) \
        == (first, known_as, last, dob)


@pytest.mark.parametrize("sentence, schools", [
    # two schools for two children with nothing pairing them: leave both empty
    ("They left Quarry Hill Primary School and Oakhurst Junior School on 2 September.", {"Ottoline": None, "Basil": None}),
    # one school for both
    ("They both left Quarry Hill Primary School on 2 September.",
     {"Ottoline": "Quarry Hill Primary School", "Basil": "Quarry Hill Primary School"}),
])
def test_schools_go_to_a_child_only_when_the_message_pairs_them(sentence: str, schools: dict) -> None:
    from extraction.places import read_schools
    from extraction.schools import SchoolRegister

    register = SchoolRegister.from_csv_text("URN,EstablishmentName,LA (code)\n900001,Quarry Hill Primary School,850\n"
                                            "900002,Oakhurst Junior School,850\n")
    text = "Can you check whether Ottoline (DOB 09/09/2013) and Basil (DOB 17/05/2016) Quill are known? " + sentence
    reading = _read(text)
    read_schools(TextSource("body", text, "plain"), reading, register, 0, len(text))
    got = {c.get("first_name"): c.get("school") for c in reading.children}
    assert got == schools
    # the rule says how the school was given, so its precision can be measured apart
    rules = {c.fields["school"].source.rule for c in reading.children if c.get("school")}
    assert rules <= {"places.read_schools.every_child.one_school"}
    assert {c.get("date_last_attended") for c in reading.children} == {"2026-09-02"}


@pytest.mark.parametrize("text, name, phone", [
    ("Marigold has not attended since 23 October and messages were found on her phone. Mum, Petra\n"
     "Whistledown (07700 900414), is now keeping her at home.", "Petra Whistledown", "07700900414"),
    ("Marigold Quill (13) was found in the city centre at 3am last Friday night. Her mum, Petra\n"
     "Quill, says she stopped going to school.", "Petra Quill", None),
    ("Her mum, Petra Quill, says she stopped going.", "Petra Quill", None),
    ("Ottoline has not been back and mum, Petra Quill, is not answering.", "Petra Quill", None),
    ("Mum (Petra Quill, 07700 900951) says Ottoline is at home.", "Petra Quill", "07700900951"),
])
def test_a_parent_name_wrapped_onto_the_next_line(text: str, name: str, phone: str | None) -> None:
    (parent,) = _read(text).parents
    assert (parent.get("name"), parent.get("relationship"), parent.get("phone")) == (name, "mother", phone)
    f = parent.fields["name"]
    assert text[f.source.start:f.source.end] == f.source.text


@pytest.mark.parametrize("text, children", [
    ("She was placed with carers in Oakhurst, aged 12, last year.", []),
    ("Ottoline was born in Quarrymoor (DOB 01/02/2015) and moved here.", []),
    ("The family moved to Brackenford, aged 9 and 11 the children are.", []),
    ("For your records, 3 children were seen at the door.", []),
    ("Ottoline Quill, 14, was seen in Oakhurst.", [("Ottoline", "Quill")]),
    ("I saw Ottoline Quill (DOB 01/02/2015) at home.", [("Ottoline", "Quill")]),
])
def test_a_place_after_a_preposition_is_no_child(text: str, children: list) -> None:
    assert [(c.get("first_name"), c.get("last_name")) for c in _read(text).children] == children


@pytest.mark.parametrize("text, first, last, gender", [
    ("There's a lad about 13 at number 4 who never goes to school. His name is Quill.", "Quill", None, "male"),
    # a child named in apposition after where they live
    ("The lad who lives next door to us, Dorian Quellby, is around all day.", "Dorian", "Quellby", "male"),
    ("The girl living opposite me, Tamsin Orrell, is never at school.", "Tamsin", "Orrell", "female"),
    ("Just to update you - Ottoline started with us here on Monday, so she is now on roll.", "Ottoline", None, None),
    ("Thank you. Basil has now been offered a place at a school near us.", "Basil", None, None),
    ("Thank you. Your referral about Basil Whistledown has been given a reference.", "Basil", "Whistledown", None),
    ("An update on Basil WHISTLEDOWN-PIMM for your records. He was found yesterday.", "Basil", "WHISTLEDOWN-PIMM",
     None),
])
def test_children_of_case_updates_and_neighbours(text: str, first: str, last: str | None, gender: str | None) -> None:
    (child,) = _read(text).children
    assert (child.get("first_name"), child.get("last_name")) == (first, last)
    if gender:
        assert child.get("gender") == gender



@pytest.mark.parametrize("text, gender", [
    ("Ottoline Quill (DOB 05/06/2012) last attended on 2 September. He has never gone missing from home.", "male"),
    ("Ottoline Quill (DOB 05/06/2012) left in September.\nShe was on roll with us but her attendance fell.", "female"),
    # a pronoun in a sentence about mum may be hers: no gender
    ("Ottoline Quill (DOB 05/06/2012) left in September. Mum says she will call us.", None),
    # pronouns of both sexes: no gender
    ("Ottoline Quill (DOB 05/06/2012) left in September. He was seen. She was not.", None),
])
def test_the_one_child_takes_the_pronouns_of_the_message(text: str, gender: str | None) -> None:
    from extraction.genders import read_genders

    reading = _read(text)
    read_genders([TextSource("body", text, "plain")], reading, {})
    (child,) = reading.children
    assert child.get("gender") == gender


@pytest.mark.parametrize("text, genders", [
    ("She left with her two boys. The boys, Orrin (9) and Pell (12), are not in school.",
     {"Orrin": "male", "Pell": "male"}),
    ("Her son Orrin (10) and daughters Fenella (8) and Tamsin (4) have not been to school.",
     {"Orrin": "male", "Fenella": "female", "Tamsin": "female"}),
])
def test_a_plural_noun_before_a_list_of_names_gives_each_a_gender(text: str, genders: dict[str, str]) -> None:
    from extraction.genders import read_genders

    reading = _read(text)
    read_genders([TextSource("body", text, "plain")], reading, {})
    assert {c.get("first_name"): c.get("gender") for c in reading.children} == genders


@pytest.mark.parametrize("text, last", [
    ("They have two kids, a girl called Ottoline and her little brother Basil. The surname I think is Quill.", "Quill"),
    ("A girl called Ottoline and her brother Basil. Their family name might be Quill.", "Quill"),
    ("A girl called Ottoline and her brother Basil live at the house.", None),
])
def test_a_family_name_said_in_words(text: str, last: str | None) -> None:
    from extraction.surnames import family_names

    reading = _read(text)
    family_names([TextSource("body", text, "plain")], reading)
    assert {c.get("last_name") for c in reading.children} == {last}


@pytest.mark.parametrize("text, expected", [
    ("Ottoline Quill (DOB 11/01/2014) left us on 30.09.2026 and her name is off our register.", "2026-09-30"),
    ("Ottoline Quill (born 08/08/2012) and her brother Basil Quill (born 21/03/2015). They last attended schools "
     "here (Ottoline at Brackenford\nAcademy, Basil at Quarry Hill Primary) on 25 September 2026.", "2026-09-25"),
    ("Ottoline Quill (DOB 11/01/2014) has not been in since 3 September.", "2026-09-03"),
    ("Ottoline Quill (DOB 11/01/2014) came off roll on 4 September.", "2026-09-04"),
    ("Ottoline Quill (DOB 11/01/2014) left Brackenford on 4 September.", None),   # a town, not a school
    # a sentence about "the following pupils" speaks of every child listed after it
    ("We are looking for the following pupils, who left Quarrington Academy without a destination on 3 September "
     "2026:\n\nPELLOW, Mara - DOB 02/02/2013 - female\nPELLOW, Joss - DOB 05/05/2016 - male\n", "2026-09-03"),
])
def test_last_attended_dates_in_prose(text: str, expected: str | None) -> None:
    assert {c.get("date_last_attended") for c in _read(text).children} == {expected}


@pytest.mark.parametrize("text, first, last, gender", [
    ("Hi, the girl next door, Ottoline (about 10), is kept in the house all day.", "Ottoline", None, "female"),
    ("the little boy was crying on the stairs. hes called Basil and hes about 8.", "Basil", None, "male"),
    ("theres a boy about 12 at the house who never goes to school. i think they call him Basil.", "Basil", None,
     "male"),
    ("I am worried for my sister's daughter Ottoline Quill who is 11.", "Ottoline", "Quill", "female"),
])
def test_neighbours_and_relatives_name_a_child(text: str, first: str, last: str | None, gender: str) -> None:
    (child,) = _read(text).children
    assert (child.get("first_name"), child.get("last_name"), child.get("gender")) == (first, last, gender)


@pytest.mark.parametrize("text, line1, town", [
    ("theres always shouting next door at 14 Thimble Lane, Brackenford and last nite it got worse.", "14 Thimble Lane",
     "Brackenford"),
    ("theres a boy about 12 at 40 Mill Street, Oakhurst who never goes to school.", "40 Mill Street", "Oakhurst"),
    ("the family at number 6 Plover Close, Oakhurst.", "6 Plover Close", "Oakhurst"),
    ("He has been returned to his mother's address at 9 Plover Avenue, Oakhurst.", "9 Plover Avenue", "Oakhurst"),
    ("I saw him at 40 Mill Street, Oakhurst.", None, None),   # no cue that anyone lives there
    # the family's old address with its postcode is no street-only current address
    ("The family left their rented house at 17 Mill Street, Oakhurst, RG24 9ZZ and nobody knows where they went.",
     None, None),
])
def test_a_street_without_a_postcode_after_a_cue(text: str, line1: str | None, town: str | None) -> None:
    family = _read(text).family
    assert (family.get("line1"), family.get("town")) == (line1, town)


@pytest.mark.parametrize("text, names", [
    ("Home address: The Old Forge, Oakhurst. Parents: Anton and Petra Quill.", ["Anton Quill", "Petra Quill"]),
    ("Her parents, Anton and Petra Quill, have not told us where she is.", ["Anton Quill", "Petra Quill"]),
])
def test_two_parents_sharing_one_surname(text: str, names: list[str]) -> None:
    assert sorted(p.get("name") for p in _read(text).parents) == names


@pytest.mark.parametrize("text, expected", [
    # a writer who does not capitalise: taken only with a date of birth after the name
    ("hi my son dorian quellby dob 2/9/16 has no school since we moved", [("dorian", "quellby", "2016-09-02", "male")]),
    ("my daughter tamsin born 3.4.2015 is off school", [("tamsin", None, "2015-04-03", "female")]),
    ("i think my son is off, not sure what to do", []),
    ("my son pell has no school", []),
])
def test_a_child_named_in_lower_case(text: str, expected: list) -> None:
    got = [(c.get("first_name"), c.get("last_name"), c.get("date_of_birth"), c.get("gender")) for c in _read(text).children]
    assert got == expected


def test_a_name_and_its_date_of_birth_split_by_a_wrapped_line_are_one_child() -> None:
    from datetime import date

    from extraction.forms import FormReading
    from extraction.prose import read_source
    from parsers.message import TextSource

    text = ("I write to let you know that Marigold Whistledown\n(DOB 03/04/2015) left us today; she is moving to\n"
            "Spain with her family.\n")
    reading = FormReading()
    read_source(TextSource("body", text, "plain"), date(2026, 12, 4), reading, 0, len(text))
    assert [(c.get("first_name"), c.get("date_of_birth")) for c in reading.children] == [("Marigold", "2015-04-03")]


@pytest.mark.parametrize("text, children", [
    ("There's a little girl Keeley Example (year 4, she's 9) who stopped coming a few weeks ago.", [("Keeley", "Example")]),
    ("She said the boys, Charlie and Alfie Example, would start a new school after Christmas.",
     [("Charlie", "Example"), ("Alfie", "Example")]),
])
def test_children_named_with_an_age_note_or_as_a_pair_sharing_a_surname(text, children) -> None:
    from datetime import date

    from extraction.forms import FormReading
    from extraction.prose import read_source
    from parsers.message import TextSource

    reading = FormReading()
    read_source(TextSource("body", text, "plain"), date(2026, 12, 1), reading, 0, len(text))
    assert [(c.get("first_name"), c.get("last_name")) for c in reading.children] == children


@pytest.mark.parametrize("text, children", [
    ("One of my students, Samira Example, is 15 and has danced with us since she was 6.", [("Samira", "Example")]),
    ("Two little girls, Sienna and Maisie Example, used to cross with me every morning.",
     [("Sienna", "Example"), ("Maisie", "Example")]),
    ("The meeting with Tom Example is 10:30 on Monday.", []),
])
def test_a_child_named_with_their_age_or_with_a_sister(text, children) -> None:
    from datetime import date

    from extraction.forms import FormReading
    from extraction.prose import read_source
    from parsers.message import TextSource

    reading = FormReading()
    read_source(TextSource("body", text, "plain"), date(2026, 12, 1), reading, 0, len(text))
    assert [(c.get("first_name"), c.get("last_name")) for c in reading.children] == children


def test_a_child_whose_year_group_wrapped_onto_the_next_line_is_read() -> None:
    text = ("We hold the Passenger Transport contract for the school route that takes Ottoline Quill-Marsh\n"
            "(Year 9) from her home to the academy each morning, and she has not travelled since the 18th of\n"
            "September; the driver calls at the house each day but nobody answers the door any more at all.\n")
    (child,) = _read(text).children
    assert (child.get("first_name"), child.get("last_name")) == ("Ottoline", "Quill-Marsh")


def test_a_hyphenated_first_name_split_by_the_wrap_stays_one_name() -> None:
    text = ("At 23:40 on Saturday, while on patrol in the town centre, I found a 13 year old girl, Marigold-Rose\n"
            "Whistledown (DOB 06/02/2013), sitting in a car in the car park with two adult males who are not\n"
            "related to her; she was taken home to her mother and the MASH has been told about it tonight.\n")
    firsts = [c.get("first_name") for c in _read(text).children]
    assert firsts == ["Marigold-Rose"]


def test_children_listed_one_per_line_in_unwrapped_mail_stay_separate() -> None:
    text = ("I need your help tracing three children whose whereabouts are unknown since their mother left the family home at short notice with them last week after an incident.\n\n"
            "Basil Quill – DOB 17-May-2013 – Avon Valley Academy\n"
            "Ottoline Quill – DOB 02-Dec-2016 – Amesbury Archer Primary\n"
            "Marigold Quill – DOB 28th March 2019 – Amesbury Archer Primary\n")
    firsts = [c.get("first_name") for c in _read(text).children]
    assert firsts == ["Basil", "Ottoline", "Marigold"]


@pytest.mark.parametrize("text, name, relationship, phone", [
    # the mother named in one sentence, "her son" two sentences later
    ("I am the midwife visiting Petra Quillfeather after the birth of her baby. The family live at 5 Beech Walk, "
     "Basingstoke RG23 7JD. On my visits her son Basil Quillfeather (8) has been at home. Her number is "
     "07700 900902.", "Petra Quillfeather", "mother", "07700900902"),
    # "X's two children", X's sex from the pronoun used of him
    ("I am the recovery worker for Anton Marsh, who is engaging with our service for support with his alcohol use. "
     "Anton's two children came to live with him in August:\n\n1. Basil Marsh, DOB 15/06/2014\n",
     "Anton Marsh", "father", None),
    ("He lives with his partner, Ms Petra Kemp, and her two children, Ottoline Kemp (14) and Basil Kemp (12).",
     "Petra Kemp", "mother", None),
])
def test_the_person_whose_children_they_are_is_their_parent(text: str, name: str, relationship: str,
                                                            phone: str | None) -> None:
    reading = _read(text)
    assert [(p.get("name"), p.get("relationship"), p.get("phone")) for p in reading.parents] == [(name, relationship, phone)]


def test_a_professional_or_a_street_named_before_her_children_is_not_their_parent() -> None:
    text = ("I spoke to Ottoline Marsh, the family support worker, at St Paul's Walk yesterday. "
            "Her children, Basil Marsh (8) and Petra Marsh (6), were at home.")
    assert _read(text).parents == []


def test_parents_listed_by_full_name_are_both_parents() -> None:
    reading = _read("The children are Basil Hussein (8) and Petra Hussein (6). Parents are Anton Hussein and "
                    "Ottoline Hussein; the only number we hold is 07700 900186.")
    assert [p.get("name") for p in reading.parents] == ["Anton Hussein", "Ottoline Hussein"]


def test_a_child_born_in_a_month_and_year_is_still_a_child() -> None:
    (child,) = _read("The children are:\n  Basil Quill  - born Sept 2014 (his papers are with the visa office)").children
    assert (child.get("first_name"), child.get("last_name"), child.get("date_of_birth")) == ("Basil", "Quill", None)


def test_a_date_of_birth_given_with_her_or_his_belongs_to_the_child_named_before() -> None:
    (child,) = _read("A 9-year-old girl, Marigold Whistledown, aged 9, was alone. Her date of birth is 06/02/2017.").children
    assert child.get("date_of_birth") == "2017-02-06"


@pytest.mark.parametrize("text, expected", [
    ("two of my lads Basil and Otto Quill havent been in school", [("Basil", "Quill", "male"), ("Otto", "Quill", "male")]),
    ("with their two children, Marigold (girl, 13) and Basil (boy, 7).", [("Marigold", None, "female"),
                                                                          ("Basil", None, "male")]),
])
def test_children_named_with_a_plural_noun_or_a_sex_and_age_in_brackets(text: str, expected: list) -> None:
    assert [(c.get("first_name"), c.get("last_name"), c.get("gender")) for c in _read(text).children] == expected


def test_mum_and_dad_named_together_are_each_the_right_parent() -> None:
    reading = _read("She lives at 23 Lark Rise, Oakhurst with her mum and dad, Petra and Orin Quill.")
    assert sorted((p.get("name"), p.get("relationship")) for p in reading.parents) == [
        ("Orin Quill", "father"), ("Petra Quill", "mother")]


@pytest.mark.parametrize("text, expected", [
    ("I would like some advice about one of our Year 4 pupils, Basil Quill.", [("Basil", "Quill")]),
    ("a neighbour said Ms Quill's two boys, Basil and Otto Quill, were not at school.", [("Basil", "Quill"),
                                                                                       ("Otto", "Quill")]),
])
def test_a_child_named_after_our_pupils_or_two_boys(text: str, expected: list) -> None:
    assert [(c.get("first_name"), c.get("last_name")) for c in _read(text).children] == expected


def test_a_child_whose_birth_date_cannot_be_read_is_still_a_child() -> None:
    (child,) = _read("my cousin Basil Quill (born 09/14/2010 - sorry, US format) hasnt been to school since easter").children
    assert (child.get("first_name"), child.get("last_name"), child.get("date_of_birth")) == ("Basil", "Quill", None)


def test_a_list_of_children_with_son_or_daughter_after_each_name_gives_their_sex() -> None:
    reading = _read("Details from their GP registration:\n- Basil Quill, son, DOB 11/01/2013\n"
                    "- Marigold Quill, daughter, DOB 25/06/2016\n")
    assert [(c.get("first_name"), c.get("gender")) for c in reading.children] == [("Basil", "male"),
                                                                                 ("Marigold", "female")]


def test_a_great_niece_named_by_her_great_aunt_keeps_her_surname() -> None:
    (child,) = _read("My great-niece Marigold Quill has been living with me since the end of July.").children
    assert (child.get("first_name"), child.get("last_name")) == ("Marigold", "Quill")


def test_children_listed_after_a_colon_take_the_familys_name() -> None:
    reading = _read("We have had the Quill family on pitch 14. Mum is called Petra. There are three\n"
                    "children: Basil who I would say is about 12, Marigold who told me she is 9, and little Otto who "
                    "must be 5 or 6.")
    assert [(c.get("first_name"), c.get("last_name")) for c in reading.children] == [
        ("Basil", "Quill"), ("Marigold", "Quill"), ("Otto", "Quill")]
    assert [(p.get("name"), p.get("relationship")) for p in reading.parents] == [("Petra", "mother")]


@pytest.mark.parametrize("text", ["Children: None known.", "Other children: N/A", "Children: see the attached form."])
def test_a_children_label_with_no_names_gives_no_child(text: str) -> None:
    assert _read(text).children == []


def test_male_or_female_after_the_birth_date_in_a_numbered_list_is_the_childs_sex() -> None:
    reading = _read("1. Basil Quill DOB 12/03/2016 Male UPN A123456789012\n"
                    "2. Marigold Quill DOB 30/10/2017 Female UPN A123456789013\n")
    assert [(c.get("first_name"), c.get("gender")) for c in reading.children] == [("Basil", "male"),
                                                                                 ("Marigold", "female")]


def test_a_parent_named_after_a_bracketed_relation_is_that_parent() -> None:
    reading = _read("Marigold Quill (DOB 01/02/2015) lives with her mum. My husband (Marigold's dad) is Orin Quill, "
                    "his mobile is 07700 900582.")
    assert ("Orin Quill", "father") in [(p.get("name"), p.get("relationship")) for p in reading.parents]


def test_a_heading_in_capitals_is_not_taken_for_a_childs_name() -> None:
    text = ("ATTENDANCE PANEL - OTTOLINE QUILL (YEAR 11, DOB 22/04/2011)\n\n"
            "Ottoline's attendance this year is 71%. You are invited to a panel meeting.")
    names = [(c.get("first_name"), c.get("last_name")) for c in _read(text).children]
    assert names == [("OTTOLINE", "QUILL")]


def test_a_word_opening_a_sentence_about_her_date_of_birth_is_not_a_child() -> None:
    text = ("One of my pupils, Ottoline Quill, has lessons four days a week. According to our booking form her "
            "date of birth is 9.3.14, so she should be in Year 8.")
    firsts = [c.get("first_name") for c in _read(text).children]
    assert "According" not in firsts and "Ottoline" in firsts


def test_children_whose_ages_the_writer_guesses_are_each_a_child() -> None:
    text = ("the two children Basil who must be about 11 and his little sister Ottoline who is maybe 7 have not "
            "been going to school since they moved in.")
    assert sorted(c.get("first_name") for c in _read(text).children) == ["Basil", "Ottoline"]


def test_a_child_writing_about_themselves_is_the_child() -> None:
    text = "My name is Basil Quill, I'm 13 and I'm supposed to be in Year 9. My birthday is 3/2/2013."
    (child,) = _read(text).children
    assert (child.get("first_name"), child.get("last_name"), child.get("date_of_birth")) == ("Basil", "Quill",
                                                                                           "2013-02-03")


def test_a_teenager_writing_about_her_cousin_is_not_the_child() -> None:
    text = "My name is Nell Quarrie, I'm 16 and I'm emailing about my cousin Tamsin Wexley. She's 12 now."
    assert [c.get("first_name") for c in _read(text).children] == ["Tamsin"]



@pytest.mark.parametrize("text, first, last, gender", [
    ("The child is Basil Quill. He is 14 years old and lives next door to me.", "Basil", "Quill", "male"),
    ("The family's name is Quill. The boy is Basil, he is about 11.", "Basil", None, "male"),
    ("The pupil's name is Ottoline Quill and she left in July.", "Ottoline", "Quill", "female"),
])
def test_the_writer_saying_who_the_child_is_names_the_child(text: str, first: str, last: str | None,
                                                            gender: str) -> None:
    child = next(c for c in _read(text).children if c.get("first_name") == first)
    assert (child.get("last_name"), child.get("gender")) == (last, gender)


def test_a_verb_opening_an_answer_before_a_year_group_is_not_a_child() -> None:
    text = "Reason: Offered Y7 place, never started. 3 calls, 2 letters, home visit 29/09 no answer."
    assert _read(text).children == []


def test_twins_named_together_share_their_surname_and_date_of_birth() -> None:
    text = "I met the baby's older brothers, twin boys Basil and Otto Quill, DOB 18/04/2020, aged 6, at home."
    got = sorted((c.get("first_name"), c.get("last_name"), c.get("date_of_birth")) for c in _read(text).children)
    assert got == [("Basil", "Quill", "2020-04-18"), ("Otto", "Quill", "2020-04-18")]


def test_a_tutor_group_and_a_verb_beside_a_childs_name_are_not_children() -> None:
    text = "Martin,\n\nFlagging Summer Quill-Ward 9SH (DOB 01/07/2013). She hasn't been in since Thursday 5th Nov."
    assert [(c.get("first_name"), c.get("last_name")) for c in _read(text).children] == [("Summer", "Quill-Ward")]


def test_the_school_after_a_childs_date_of_birth_on_a_list_line_is_no_child() -> None:
    text = ("Ruby Quill - 12/06/2011 - Winton (yr 11)\nAlfie Quill - 03/10/2014 - John Hanson (yr 7)\n"
            "Frankie Quill - 21/01/2020 - Vigo Primary (yr 2)\n")
    assert sorted(c.get("first_name") for c in _read(text).children) == ["Alfie", "Frankie", "Ruby"]


def test_twin_brothers_named_together_are_both_children() -> None:
    text = "I'm writing about twin brothers, Basil and Otto Quill (DOB 12/05/2016, Year 6), who moved here in the summer."
    got = sorted((c.get("first_name"), c.get("last_name"), c.get("date_of_birth")) for c in _read(text).children)
    assert got == [("Basil", "Quill", "2016-05-12"), ("Otto", "Quill", "2016-05-12")]


def test_an_age_written_in_words_in_a_formal_letter_makes_a_child() -> None:
    text = ("Marigold Whistledown, whom I understand to be seven years of age and who would ordinarily be in Year 3, "
            "lives with her mother.")
    (child,) = _read(text).children
    assert (child.get("first_name"), child.get("last_name")) == ("Marigold", "Whistledown")


@pytest.mark.parametrize("text, name, relation", [
    ("We live at 8 Heron Way. mums name is Petra Quill. Please dont say it was me.", "Petra Quill", "mother"),
    ("The details I have from the booking are:\nMum - Petra Quill, 07700 900649\nAddress - 8 Heron Way",
     "Petra Quill", "mother"),
])
def test_a_parent_named_without_an_apostrophe_or_after_a_dash_is_recorded(text: str, name: str, relation: str) -> None:
    got = {p.get("name"): p.get("relationship") for p in _read(text).parents}
    assert got == {name: relation}


def test_a_child_listed_as_a_named_parents_son_is_the_child_and_the_parent_is_not() -> None:
    text = ("Since 14 August Petra Quill and her two children have been living with us.\n\nThe children are:\n"
            "- Basil Quill, Petra's son, born 3rd of November 2013\n- Ottoline Quill, her daughter, born 22nd of June 2018\n")
    reading = _read(text)
    assert sorted(c.get("first_name") for c in reading.children) == ["Basil", "Ottoline"]
    assert [(p.get("name"), p.get("relationship")) for p in reading.parents] == [("Petra Quill", "mother")]


@pytest.mark.parametrize("text", [
    "COUNTY LINES AWARENESS WEEK (16-22 NOVEMBER)\nGangs use children to carry drugs between towns.",
    "Anti-Bullying Week (13-17 November) starts on Monday; please share the leaflet.",
    "They were in Tenerife (12-19 Oct) with their dad, so missed the first week.",
])
def test_a_date_range_after_a_name_is_no_childs_age(text: str) -> None:
    assert _read(text).children == []


def test_a_full_name_then_what_the_child_is_called_then_a_date_of_birth_gives_the_given_name() -> None:
    text = ("My two children:\n  Ottoline Quill, born Nov 3rd 2017, she is in Year 4\n"
            "  Basil Quill (we call him Baz), born Jan 22nd 2013, Year 9\n")
    got = {(c.get("first_name"), c.get("last_name"), c.get("date_of_birth")) for c in _read(text).children}
    assert got == {("Ottoline", "Quill", "2017-11-03"), ("Basil", "Quill", "2013-01-22")}


def test_a_named_parents_daughter_is_a_child_but_a_named_childs_grown_up_or_schoolgoing_sibling_is_not() -> None:
    reading = _read("The tenancy was in the names of Petra Quill and her partner. Petra's daughter Ottoline Quill "
                    "lived with them. Ottoline's sister Mabel (19) has her own flat and her brother Basil is at "
                    "Oakhurst Juniors and attending well.")
    assert [c.get("first_name") for c in reading.children][:1] == ["Ottoline"]
    assert "Mabel" not in [c.get("first_name") for c in reading.children]


@pytest.mark.parametrize("text, first, last", [
    ("There are two boys at home every weekday. The older one always answers the door, he says his name is Basil "
     "and that he is 11.", "Basil", None),
    ("Theres a lad who plays for one of the under 15 teams, Basil Quill, hes 14 and hasnt been to school.",
     "Basil", "Quill"),
])
def test_a_child_named_by_what_he_says_or_followed_by_hes_and_an_age_is_read(text: str, first: str, last) -> None:
    assert [(c.get("first_name"), c.get("last_name")) for c in _read(text).children] == [(first, last)]


@pytest.mark.parametrize("text, expected", [
    ("Tamsin Quillon (DOB 03/04/2013) has missed the whole term. Tamsin's younger sister, Fenella Quillon "
     "(DOB 08/01/2017), has not started at the infants either.", {"Tamsin": None, "Fenella": "female"}),
    ("Son: Orrin Vance, DOB 04/05/2015\nLast school: Hatch Warren Junior\n", {"Orrin": "male"}),
    ("Pell Quillon - Year 2 - born 22 June 2019\nPell is Tamsin Quillon's younger brother.\n"
     "Tamsin Quillon - Year 5 - born 3 March 2016\n", {"Pell": "male", "Tamsin": None}),
    ("Subject line aside, Reece Walder, DOB 19/04/2013, male. Not seen since May.", {"Reece": "male"}),
    # a word that introduces another name is that name's, and "brother and sister" says which is which for neither
    ("Ottoline Quill (DOB 05/06/2012) and her brother Femi Quill (DOB 01/02/2014) left in June.",
     {"Ottoline": "female", "Femi": "male"}),  # "and her brother": hers
    ("The brother and sister, Rhys Quill (DOB 05/06/2016) and Poppy Quill (DOB 01/02/2018), are at home.",
     {"Rhys": None, "Poppy": None}),
])
def test_the_word_for_a_child_beside_their_name_gives_their_sex(text: str, expected: dict[str, str | None]) -> None:
    from extraction.genders import read_genders

    reading = _read(text)
    read_genders([TextSource("body", text, "plain")], reading, {})
    assert {c.get("first_name"): c.get("gender") for c in reading.children} == expected


def test_a_best_friend_who_is_called_x_and_is_in_a_school_year_is_a_child() -> None:
    text = "um my best friend is called Ottoline Quill and shes in year 8 with me. she just stopped coming."
    assert [(c.get("first_name"), c.get("last_name")) for c in _read(text).children] == [("Ottoline", "Quill")]


def _extract(extraction_context, body: str) -> dict:
    return extract_mail(extraction_context, body, sender="bev <bev1970@example.com>")


def test_children_named_by_first_name_alone_with_an_age_or_school_year_are_read(extraction_context) -> None:
    body = ("hi\n\nim worried about the kids at number 9 Tern Walk in Rowner (Gosport PO13 0QF). its the Quill family, "
            "their mum is Shannon Quill.\n\ntheres 3 of them, the eldest boy Jayden must be 13 or so, then Mya shes in "
            "year 4 or should be, and the little one Alfie who should of started reception in september but hes at "
            "home with the others every day.\n\nbev\n07700 900814\n")
    children = _extract(extraction_context, body)["children"]
    assert [(c["first_name"]["value"], c["last_name"]["value"]) for c in children] == [
        ("Jayden", "Quill"), ("Mya", "Quill"), ("Alfie", "Quill")]
    assert children[0]["gender"]["value"] == "male"  # "the eldest boy Jayden"
    assert children[0]["first_name"]["source"]["rule"] == "prose.lone_given_name"


def test_a_number_after_a_name_is_no_age_and_a_grown_up_is_no_child(extraction_context) -> None:
    body = ("Hello,\n\nA family has pulled on to Pitch 4, Lakeside Site, Tadley. Shannon is 34 and says the children "
            "are not in school.\n\nbev\n")
    assert _extract(extraction_context, body)["children"] == []


def test_an_everyday_word_after_a_kinship_word_is_no_childs_name() -> None:
    text = ("Oliwia Quill - born 09.04.2015 - my niece\nSzymon Quill - born 23.11.2018 - my nephew\n\n"
            "In Poland Oliwia finish 4 class of primary school and Szymon was in 1 class.")
    assert [c.get("first_name") for c in _read(text).children] == ["Oliwia", "Szymon"]


def test_a_cousin_who_turned_an_age_of_school_years_is_a_child() -> None:
    text = "im writing about my little cousin Basil Quill. he turned 9 in June and he hasnt been to school since easter."
    assert [(c.get("first_name"), c.get("last_name")) for c in _read(text).children] == [("Basil", "Quill")]


def test_a_house_number_after_was_is_no_age() -> None:
    text = ("Basil Quill, DOB 12/12/2015, male.\nTheir last known address on the Island was 16 Marlborough Road, "
            "Ryde PO33 1AB.")
    assert [c.get("first_name") for c in _read(text).children] == ["Basil"]


def test_children_in_a_school_year_at_a_named_school_are_on_a_roll_not_missing(extraction_context) -> None:
    body = ("Hi,\n\nI've just been made redundant and need to apply for free school meals for my boys. Alfie is in "
            "year 1 at Tweseldown Infants and Jack is in year 4 at Church Crookham Junior school. How do I apply?\n\n"
            "bev\n")
    record = _extract(extraction_context, body)
    assert record["children"] == []


def test_a_grown_up_who_gave_his_name_is_not_taken_for_a_child(extraction_context) -> None:
    from tests.extraction.mail import extract_mail

    body = ("Child: Jayden Ropley, DOB 11/03/2014, male\nAddress: 52 Dunsford Crescent, Oakhurst RG24 9ZZ\n\n"
            "Brought in at 01:40 by an adult male who gave his name as Craig Lowe and said he is mum's boyfriend.\n\n"
            "Aoife Brennan\nStaff Nurse\n")
    record = extract_mail(extraction_context, body, "Aoife Brennan <aoife.brennan@example.net>")
    assert [c["first_name"]["value"] for c in record["children"]] == ["Jayden"]


def test_children_called_sisters_or_brothers_in_their_sentence_take_that_sex(extraction_context) -> None:
    from tests.extraction.mail import extract_mail

    body = ("We have 2 sisters registered with us Tiana Hollin (dob 14/03/2015) and Skye Hollin (dob 02/11/2017). Mum "
            "keeps booking them in for the middle of the school day.\n\nAddress: 14 Tanners Mead, Oakhurst RG24 9ZZ\n\n"
            "Shannon Pike\nReceptionist\n")
    record = extract_mail(extraction_context, body, "Hollybank Dental <reception@example-dental.co.uk>")
    assert [(c["first_name"]["value"], c["gender"]["value"]) for c in record["children"]] == [
        ("Tiana", "female"), ("Skye", "female")]


def test_the_writer_saying_which_children_are_the_boys_and_which_the_girl_decides_their_sex(extraction_context) -> None:
    from tests.extraction.mail import extract_mail

    body = ("Additional members:\nEllis Foyler - 14/06/2013\nBrooke Foyler - 02/02/2015\nJayden Foyler - 21/10/2016\n\n"
            "Ellis and Jayden are the boys, Brooke's the girl (she's really good, she's doing spins already). We just "
            "don't think they're in school.\n\nKerry Lawson\nDuty Manager\n")
    record = extract_mail(extraction_context, body, "Kerry Lawson <kerry.lawson@example-arena.co.uk>")
    assert [(c["first_name"]["value"], c["gender"]["value"]) for c in record["children"]] == [
        ("Ellis", "male"), ("Brooke", "female"), ("Jayden", "male")]


def test_a_child_in_the_juniors_is_not_a_school_called_after_the_child(extraction_context) -> None:
    from tests.extraction.mail import extract_mail

    body = ("Stacey Marchand came to a family visit with their son Kai Marchand (04/05/2017) and daughter Summer Marchand "
            "(12/12/2019), on a school day. The children haven't been to school since roughly the week Dean was arrested. "
            "They were both at Riders - Kai in the juniors, Summer in the infants. Stacey says Riders is too far now."
            "\n\nAisha Okafor\nFamily Support Worker\n")
    record = extract_mail(extraction_context, body, "Aisha Okafor <aisha.okafor@example.org.uk>")
    names = [(c["school"]["name"] or {}).get("value") or "" for c in record["children"]]
    assert not any(" in the " in n for n in names)


@pytest.mark.parametrize("said, relationship", [
    ("I am mother of Szymon Wrobel. He is 9 years old, born 04.04.2017.", "mother"),
    ("I'm Szymon Wrobel's dad. He was born on 4 April 2017.", "father"),
    ("I am writing as the grandmother of Szymon Wrobel. He is 9 years old, born 04/04/2017.", "grandmother"),
])
def test_a_writer_who_says_whose_parent_they_are_names_the_child_and_is_the_parent(extraction_context, said,
                                                                                   relationship) -> None:
    from tests.extraction.mail import extract_mail

    body = (f"Hello,\n\nMy name is Jolanta Wrobel. {said} We came to Aldershot in August and he has no school place "
            "yet.\n\nOur address: Flat 2, 88 Brickfield Row, Aldershot GU11 3RB\n\nThank you\nJolanta Wrobel\n")
    record = extract_mail(extraction_context, body, "Jolanta Wrobel <jolanta.w@example.org>")
    (child,) = record["children"]
    assert (child["first_name"]["value"], child["last_name"]["value"], child["date_of_birth"]["value"],
            child["gender"]["value"]) == ("Szymon", "Wrobel", "2017-04-04", "male")
    assert [(p["name"]["value"], p["relationship"]["value"]) for p in record["parents_carers"]] == [
        ("Jolanta Wrobel", relationship)]
    assert record["referrer"]["type"]["value"] == "parent"


def test_an_aunt_far_away_who_names_her_niece_is_not_taken_for_her_carer(extraction_context) -> None:
    from tests.extraction.mail import extract_mail

    body = ("I am the aunt of Nadia Rahman (born 03/05/2011) and I am writing from abroad. She has not been in school "
            "since October.\n\nRokeya Haque\n")
    record = extract_mail(extraction_context, body, "Rokeya Haque <rokeya.haque@example.com>")
    assert [c["first_name"]["value"] for c in record["children"]] == ["Nadia"]
    assert record["parents_carers"] == [] and record["referrer"]["type"]["value"] == "public"


def test_a_grandparent_writing_of_my_daughter_names_the_childrens_mother_not_a_child(extraction_context) -> None:
    from tests.extraction.mail import extract_mail

    body = ("Dear Sir or Madam\n\nmy name is Patricia Whitlow and I am writing about my two grandsons Tyler and Kayden "
            "Marsh who have been living with me since April when my daughter Jade couldnt look after them no more, "
            "Tyler is 10 and Kayden is 7 and they have no school here\n\nPat Whitlow (the boys Nan)\n")
    record = extract_mail(extraction_context, body, "Patricia Whitlow <patw58@example.com>")
    assert sorted(c["first_name"]["value"] for c in record["children"]) == ["Kayden", "Tyler"]
    assert ("Jade", "mother") in [(p["name"]["value"], p["relationship"]["value"]) for p in record["parents_carers"]]


def test_a_child_who_gives_their_own_age_after_their_name_is_a_child() -> None:
    reading = _read("we've had a new lad coming to youth club the last few weeks, Harvey Langdon, he says he's 11. "
                    "really nice kid, bit quiet.")
    assert [(c.get("first_name"), c.get("last_name")) for c in reading.children] == [("Harvey", "Langdon")]


def test_a_list_line_of_name_dash_age_dash_note_is_a_child_and_an_age_range_is_not() -> None:
    reading = _read("School age children:\n\nLevi Loveridge - 13 - not on any school roll since he finished primary.\n"
                    "Britney Loveridge - 8 - Y4, at Poulner Junior\n\nOrganisation | NHS Foundation Trust - 0-19 Public "
                    "Health Nursing\n")
    assert [c.get("first_name") for c in reading.children] == ["Levi", "Britney"]


def test_a_child_named_under_the_writers_signature_is_still_read(extraction_context) -> None:
    from tests.extraction.mail import extract_mail

    body = ("Hi, we got moved into a B&B type place called Seaview Lodge, its one room with a kettle.\n\nOur address now "
            "is Room 6, Seaview Lodge, 18 Marlowe Parade, Gosport PO12 3RW and my number is 07700 900431.\n\nThanks\n"
            "Sharnie Kerswell\n\nMy daughter is Lacey, she's 11 and she hasn't been to school since July.\n")
    record = extract_mail(extraction_context, body, "Sharnie Kerswell <sharniek@example.com>")
    assert [(c["first_name"]["value"], c["gender"]["value"]) for c in record["children"]] == [("Lacey", "female")]


def test_a_building_in_the_address_is_never_taken_for_the_child(extraction_context) -> None:
    from tests.extraction.mail import extract_mail

    body = ("Hi, my son has no school since we were evicted in August.\n\nOur address now is Room 6, Seaview Lodge, "
            "18 Marlowe Parade, Gosport PO12 3RW.\n\nThanks\nSharnie Kerswell\n")
    record = extract_mail(extraction_context, body, "Sharnie Kerswell <sharniek@example.com>")
    assert all(c["first_name"]["value"] != "Seaview" for c in record["children"])


def test_children_in_a_lower_case_school_year_are_children_and_a_contraction_is_no_name() -> None:
    reading = _read("the children are Riley Dempsey in year 6, Tia-Rose Dempsey in year 3 and Frankie Dempsey in "
                    "year 1. They're in year 6, 3 and 1.")
    assert [c.get("first_name") for c in reading.children] == ["Riley", "Tia-Rose", "Frankie"]


def test_the_last_day_they_were_in_school_is_the_date_last_attended(extraction_context) -> None:
    from tests.extraction.mail import extract_mail

    body = ("Hi, we think the Dempsey family have moved away, the children are Riley Dempsey in year 6 and Frankie "
            "Dempsey in year 1 and the last day they were in school was Wednesday 30th September, mum doesnt answer.\n\n"
            "Tracy Bellingham\nReceptionist\n")
    record = extract_mail(extraction_context, body, "Office <office@oakfield.example.sch.uk>")
    assert [c["date_last_attended"]["value"] for c in record["children"]] == ["2026-09-30", "2026-09-30"]


def test_an_older_brother_past_school_age_by_the_age_given_is_not_among_the_children(extraction_context) -> None:
    from tests.extraction.mail import extract_mail

    body = ("Good day,\n\nMy children do not have school. My son Andrei Dumitru has 13 years (born 14.05.2013) and my "
            "daughter Daria Dumitru has 8 years (born 30.11.2017). My big son Marius has 17 years and he works with my "
            "husband in the warehouse.\n\nThank you very much,\nIonela Dumitru\n")
    record = extract_mail(extraction_context, body, "Ionela Dumitru <ionela.d@example.com>")
    assert [c["first_name"]["value"] for c in record["children"]] == ["Andrei", "Daria"]


def test_a_case_update_names_its_child_in_our_subject_line_and_by_first_name_below(extraction_context) -> None:
    from tests.extraction.mail import extract_mail

    body = ("Hi Sue\nYes Oliver was with us until October, mum rang to say they were moving to her mums. No CTF request "
            "has come through.\nThanks\nCarol\n\nCarol Ansty\nOffice Manager\n")
    record = extract_mail(extraction_context, body, "Office <office@oakfield.example.sch.uk>",
                          subject="RE: CME-2026-00402 Oliver Penfold - request for information")
    assert [(c["first_name"]["value"], c["last_name"]["value"]) for c in record["children"]] == [("Oliver", "Penfold")]
    other = extract_mail(extraction_context, body.replace("Oliver", "he"), "Office <office@oakfield.example.sch.uk>",
                         subject="RE: CME-2026-00402 Oliver Penfold - request for information")
    assert other["children"] == []


def test_a_flat_in_a_house_is_where_the_child_lives_not_an_office(extraction_context) -> None:
    body = ("Hello,\n\nMason Quillon (dob 8/12/2013) lives at Flat 7 Kestrel House, Cricketers Way, Andover SP10 5RB. "
            "He has not been at school since July.\n\nThank you\nCraig Quillon\n")
    address = extract_mail(extraction_context, body, "Craig Quillon <cq@example.org>")["children"][0]["address"]
    assert [address[k]["value"] for k in ("line1", "town", "postcode")] == [
        "Flat 7 Kestrel House, Cricketers Way", "Andover", "SP10 5RB"]


def test_a_upn_goes_to_the_child_named_in_its_sentence_when_a_paragraph_is_one_line(extraction_context) -> None:
    body = ("Hi, Filip Nowacki in my class hasn't been in at all this term. His cousin Kacper (Y4, different surname) "
            "says Filip is staying at their nan's. Filip dob 03/02/2016, upn p850222620043, address on our system is "
            "27 Sycamore Walk, Basingstoke RG21 5TJ.\n\nKerry\n")
    children = extract_mail(extraction_context, body, "Kerry Quill <kq@example.hants.sch.uk>")["children"]
    filip = next(c for c in children if c["first_name"]["value"] == "Filip")
    assert filip["upn"]["value"] == "P850222620043"


@pytest.mark.parametrize("line, dob", [
    ("1. Daryna Bondarchuk (F) - 17.03.2012 - was at Danebury, Y10", "2012-03-17"),
    ("We are worried about Oliver Stannard (09/04/2012) who is not on any school roll.", "2012-04-09"),
    ("Daryna Bondarchuk, 17/03/2012, has had no school since October.", "2012-03-17"),
])
def test_a_date_written_straight_after_a_childs_full_name_is_their_date_of_birth(extraction_context, line: str,
                                                                                 dob: str) -> None:
    body = f"Dear CME team,\n\n{line}\n\nThe family live at 16 Chantry Mews, Andover SP10 1QZ.\n\nOksana Quill\n"
    children = extract_mail(extraction_context, body, "Oksana Quill <oq@example.org>")["children"]
    assert [c["date_of_birth"]["value"] for c in children] == [dob]


def test_a_date_after_a_grown_ups_name_or_todays_date_makes_no_child(extraction_context) -> None:
    body = ("Dear CME team,\n\nMaisie Quillet (DOB 02/02/2015) has not been in school since September.\n\n"
            "Reviewed by Rachel Venner, 04/12/2026.\nMum Karen Quillet, 14/02/1988, has been told.\n\nOksana Quill\n")
    children = extract_mail(extraction_context, body, "Oksana Quill <oq@example.org>")["children"]
    assert [c["first_name"]["value"] for c in children] == ["Maisie"]


def test_the_childrens_last_day_at_their_schools_is_the_date_last_attended(extraction_context) -> None:
    body = ("Dear CME team,\n\nDaryna Bondarchuk (DOB 17/03/2012) and Maksym Bondarchuk (DOB 02/11/2014) have no "
            "school. The children's last day at their schools was 16.10.2026.\n\nOksana Quill\n")
    children = extract_mail(extraction_context, body, "Oksana Quill <oq@example.org>")["children"]
    assert [c["date_last_attended"]["value"] for c in children] == ["2026-10-16", "2026-10-16"]


def test_children_listed_by_first_name_and_age_in_one_run_on_line_are_all_read(extraction_context) -> None:
    body = ("hi its about my kids school we moved to havant 3 weeks ago theres Kayden hes 12 Lacey-Mae shes 9 and Alfie "
            "hes 6 all surname Quillon same as me we are at 41 Ramsdale avenue havant PO9 4LJ\n\nthanks shannon\n")
    children = extract_mail(extraction_context, body, "Shannon Quillon <sq@example.com>")["children"]
    assert [(c["first_name"]["value"], c["gender"]["value"]) for c in children] == [
        ("Kayden", "male"), ("Lacey-Mae", "female"), ("Alfie", "male")]


def test_a_sister_writing_of_her_little_brother_in_small_letters_names_him(extraction_context) -> None:
    body = ("hi i dont really know who i should be emailing. my little brother lewis quillon (born 9 aug 2012) hasnt been "
            "to school since about easter. they live at 31 Coldharbour Mews, Gosport PO12 4LD.\n\nthanks\nshannon\n")
    (child,) = extract_mail(extraction_context, body, "Shannon Quillon <sq@example.com>")["children"]
    assert (child["first_name"]["value"].lower(), child["date_of_birth"]["value"], child["gender"]["value"]) == (
        "lewis", "2012-08-09", "male")


def test_a_name_in_capitals_between_a_word_and_a_date_of_birth_is_the_childs(extraction_context) -> None:
    body = ("Good morning,\n\nOfficers attended Flat 6, 44 Stourvale Road, Havant, PO9 4HN. Officers found DEMI QUILLON "
            "(DOB 17/02/2016, 10 yrs) alone in the property.\n\nOliver Brandon\nResponse Officer\n")
    children = extract_mail(extraction_context, body, "Oliver Brandon <ob@example.police.uk>")["children"]
    assert [c["first_name"]["value"].casefold() for c in children] == ["demi"]


def test_a_school_written_like_a_name_before_a_year_group_is_no_child(extraction_context) -> None:
    body = ("Dear colleagues,\n\nName:   Skye Quillon\nDOB:   04/04/2017\nLast known address: 22 Quayfield Close, Poole "
            "BH15 4RS\nSchool:   Hamworthy Park Juniors (Year 5)\n\nPriya Quill\nCME Officer\n")
    children = extract_mail(extraction_context, body, "Priya Quill <pq@example.gov.uk>")["children"]
    assert [c["first_name"]["value"] for c in children] == ["Skye"]


def test_a_name_never_starts_inside_the_word_before_it() -> None:
    (child,) = _read("Not in since Monday. DOBs Marigold Whistledown 03/04/2015, both at home.").children
    assert (child.get("first_name"), child.get("date_of_birth")) == ("Marigold", "2015-04-03")


@pytest.mark.parametrize("text, dob", [
    ("My son Kyle Pendry still has no school place. he is 10 and should be in year 6, his dob is 04/02/2016.",
     "2016-02-04"),
    ("We have been supporting Jayden Coombes, 13, Year 9 at Park Community (DOB 02/06/2013). He missed both visits.",
     "2013-06-02"),
    ("Basil Quill is 14 (his date of birth on our consent form is 21 January 2012) and he lives with his aunt.",
     "2012-01-21"),
    ("My son Toby Strudwick is in Year 3 at Kings Worthy Primary (he's 7, birthday 14/12/2018) and we are moving.",
     "2018-12-14"),
])
def test_a_date_of_birth_said_after_the_child_is_named_is_theirs(text: str, dob: str) -> None:
    (child,) = _read(text).children
    assert child.get("date_of_birth") == dob


@pytest.mark.parametrize("text", [
    "My son Kyle Pendry is off school. His mum's DOB is 04/02/1990 if you need it.",
    "Kyle Pendry is not in school. He lives with his nan and his little sister, DOB 02/06/2019.",
    "Kyle Pendry is off school. I was born on 04/02/2014 so I am his cousin.",
])
def test_someone_elses_date_of_birth_is_not_given_to_the_child(text: str) -> None:
    assert all(c.get("date_of_birth") is None for c in _read(text).children if c.get("first_name") == "Kyle")


@pytest.mark.parametrize("text, parent", [
    ("The mother of the children is Petra Whistledown, who is my younger sister.", ("Petra Whistledown", "mother")),
    ("The father of Marigold is Anton Quill and he works away.", ("Anton Quill", "father")),
    ("Marigold Quill is 7 and she lives with there mum Petra Whistledown who i split from", ("Petra Whistledown", "mother")),
])
def test_a_parent_named_in_the_writers_own_words_is_read(text: str, parent: tuple[str, str]) -> None:
    assert [(p.get("name"), p.get("relationship")) for p in _read(text).parents] == [parent]


def test_a_date_straight_after_a_name_at_the_end_of_a_line_is_the_date_of_birth() -> None:
    text = ("Names and dobs are Basil Quill 12/04/2015; Marigold Quill 22/08/2020\n"
            "Address is 31 Saxon Fields Way Andover SP10 5GN.")
    got = {c.get("first_name"): c.get("date_of_birth") for c in _read(text).children}
    assert got == {"Basil": "2015-04-12", "Marigold": "2020-08-22"}


def test_a_note_mark_is_no_name_and_the_only_childs_date_of_birth_may_come_later() -> None:
    text = ("We have put Kyle Quill (Y9) on a reduced timetable from today.\n\nHe will be in school mornings only.\n"
            "PS sorry forgot to add - DOB 02/02/2012.")
    assert [(c.get("first_name"), c.get("date_of_birth")) for c in _read(text).children] == [("Kyle", "2012-02-02")]


def test_a_child_spoken_of_by_what_they_are_is_not_named_so() -> None:
    text = "Three of them, 2 boys and a little girl. The Biggest Boy is 11 or 12 and the girl is about 6."
    assert [c.get("first_name") for c in _read(text).children] == []


def test_children_listed_one_per_line_by_first_name_and_date_of_birth_are_each_read(extraction_context) -> None:
    from tests.extraction.mail import extract_mail
    body = ("Good morning,\n\nWe let a house at 11 Foxglove Rise, Hedge End SO30 4GW to Ms Kerry Example on 9th "
            "November. Kerry and her children live there:\n\nTyler - 02/02/2011\nChloe - 19/06/2013\n- Bailey 08/10/2015\n\n"
            "None of the children have been in school since April.\n\nLeanne Example\nTenancy Officer\n")
    record = extract_mail(extraction_context, body, "Leanne Example <l.example@housing.example.org>")
    assert [(c["first_name"]["value"], c["date_of_birth"]["value"]) for c in record["children"]] == [
        ("Tyler", "2011-02-02"), ("Chloe", "2013-06-19"), ("Bailey", "2015-10-08")]


def test_a_line_starting_with_a_word_that_is_no_given_name_and_a_date_is_no_child(extraction_context) -> None:
    from tests.extraction.mail import extract_mail
    body = ("Hi,\n\nLeah Example (DOB 14/02/2013) has not attended since July.\n\nReviewed - 02/02/2016\n"
            "Closed - 19/06/2017\n\nJo Example\n")
    record = extract_mail(extraction_context, body, "Jo Example <jo@school.example.sch.uk>")
    assert [c["first_name"]["value"] for c in record["children"]] == ["Leah"]


def test_a_note_in_capitals_listing_each_child_with_date_of_birth_and_sex_gives_each_child(extraction_context) -> None:
    from tests.extraction.mail import extract_mail
    body = ("Hi there,\n\nA mum wrote the details down herself:\n\nYUSUF EXAMPLE 12.3.2017 BOY\nZAHRA EXAMPLE 2.9.2019 GIRL\n"
            "\nBeth Example\nVolunteer\n")
    record = extract_mail(extraction_context, body, "Beth Example <beth@hub.example.org.uk>")
    assert [(c["first_name"]["value"].title(), c["date_of_birth"]["value"], c["gender"]["value"])
            for c in record["children"]] == [("Yusuf", "2017-03-12", "male"), ("Zahra", "2019-09-02", "female")]


def test_a_name_with_a_school_year_in_small_letters_after_it_is_a_child() -> None:
    text = "Olly Quill yr 3 - 14 Wessex Close Alton GU34 2HB. Mum says hes being home educated from today."
    assert [(c.get("first_name"), c.get("last_name")) for c in _read(text).children] == [("Olly", "Quill")]


def test_a_teacher_named_with_the_year_she_teaches_is_no_child() -> None:
    text = "I have spoken to Amara Okafor year 6 teacher about Basil Quill (Y6), who has not been in since May."
    assert [c.get("first_name") for c in _read(text).children] == ["Basil"]


def test_a_school_called_after_a_surname_is_no_child() -> None:
    text = "My son Basil (year 9 at the Costello school, DOB 19/2/2013) has not been in school since the 9th."
    assert [(c.get("first_name"), c.get("date_of_birth")) for c in _read(text).children] == [("Basil", "2013-02-19")]


def test_a_sister_of_seventeen_at_college_is_no_child_missing_education(extraction_context) -> None:
    body = ("Child: Basil Quill, DOB 29/09/2012, Year 9\nAddress: 3 Lynch Meadow, Whitchurch RG28 7LD\n"
            "Siblings: older sister Marigold, 17 - at college in Basingstoke, college also unable to contact\n"
            "Reason for referral: family evicted, whereabouts unknown.\n\nJo Example\nInclusion Support Officer\n")
    record = extract_mail(extraction_context, body, "Jo Example <jo.example@hants.gov.uk>")
    assert [c["first_name"]["value"] for c in record["children"]] == ["Basil"]


def test_a_last_day_in_a_childs_own_paragraph_is_that_childs(extraction_context) -> None:
    body = ("Dear CME Team,\n\nThree of our Year 11 students have stopped attending:\n\n"
            "1. Basil QUILL, DOB 14/10/2010. Address: 18 Beaulieu Road, Dibden Purlieu SO45 4JF. Last attended Friday "
            "2nd October. Mum says they are moving.\n\n"
            "2. Marigold WHISTLEDOWN, DOB 27/03/2011. Address: 5 Shore Road, Hythe SO45 6HF. Last attended Friday 18th "
            "September. Dad says she is working.\n\nKind regards\n\nJo Example\nHead of Year 11\n")
    record = _extract(extraction_context, body)
    assert {c["first_name"]["value"]: c["date_last_attended"]["value"] for c in record["children"]} == {
        "Basil": "2026-10-02", "Marigold": "2026-09-18"}


def test_an_in_year_note_in_brackets_makes_no_child() -> None:
    text = "Checks made:\nAdmissions (incl. in-year applications) - no record\nBasil Quill (Year 9) is not known here."
    assert [c.get("first_name") for c in _read(text).children] == ["Basil"]


def test_a_last_day_on_a_list_line_whose_child_was_not_read_is_not_given_to_the_child_above(extraction_context) -> None:
    body = ("Hi,\n\nBasil Quill - 13 - not on any school roll since he finished primary.\n"
            "Jimmy Quill (junior) - 11 - Y6, at Poulner Junior since September, last attended Thurs 1/10\n"
            "Marigold Quill - 8 - Y4, his sister, last in Thurs 1/10\n\nJo Example\n")
    record = _extract(extraction_context, body)
    basil = [c for c in record["children"] if c["first_name"]["value"] == "Basil"]
    assert basil and basil[0]["date_last_attended"] is None


@pytest.mark.parametrize("words", ["my Grandson CHARLIE WEEKS", "my grandson Charlie Weeks", "our Son CHARLIE WEEKS"])
def test_a_kin_word_written_with_a_capital_before_the_name_is_no_part_of_it(extraction_context, words: str) -> None:
    body = (f"Dear Sir/Madam\n\nI am writing to you about {words} who is 8 and lives with his mother at 16 Hogmoor "
            "Road, Whitehill, GU35 9EP. He has not been in school since October.\n\nJoan Weeks\n")
    record = extract_mail(extraction_context, body, "Joan Weeks <joan.weeks@example.com>")
    assert [(c["first_name"]["value"].title(), c["last_name"]["value"].title()) for c in record["children"]] == [
        ("Charlie", "Weeks")]


def test_a_given_name_that_is_also_a_kin_word_is_kept() -> None:
    from extraction.people import split_name

    assert split_name("Son Nguyen") == ("Son", "Nguyen")


def test_a_food_bank_named_before_her_children_is_not_their_mother(extraction_context) -> None:
    body = ("Hello,\n\nI volunteer at the Brighton Hill Community Food Bank in Basingstoke. A young mum has been coming "
            "in with her three children, who say they are not at school at the moment.\n\nThanks\nBev Hartley\n")
    record = extract_mail(extraction_context, body, "Bev Hartley <bev.hartley@example.com>")
    assert not any("Bank" in p["name"]["value"] or "Community" in p["name"]["value"]
                   for p in record["parents_carers"] if p.get("name"))


@pytest.mark.parametrize("said, sex", [("My two sons are", "male"), ("Both girls are", "female")])
def test_children_counted_as_sons_or_daughters_take_that_sex(extraction_context, said: str, sex: str) -> None:
    body = (f"Good morning,\n\n{said} waiting for a school place in Southampton for five weeks.\n\n"
            "1. Jakub Quill - born 14.02.2016\n2. Szymon Quill - born 30.08.2019\n\n"
            "Address: Flat 2, 118 Shirley Road, Southampton SO15 3FE\n\nTomasz Quill\n")
    record = extract_mail(extraction_context, body, "Tomasz Quill <t.quill@example.com>")
    assert [c["gender"]["value"] for c in record["children"]] == [sex, sex]


def test_two_sons_beside_a_daughter_give_no_child_a_sex_by_count(extraction_context) -> None:
    body = ("Good morning,\n\nMy two sons and my daughter are waiting for school places.\n\n"
            "1. Jakub Quill - born 14.02.2016\n2. Szymon Quill - born 30.08.2019\n\nTomasz Quill\n")
    record = extract_mail(extraction_context, body, "Tomasz Quill <t.quill@example.com>")
    assert not any(c.get("gender") for c in record["children"])


def test_a_lesson_in_a_home_education_timetable_is_not_a_child(extraction_context) -> None:
    body = ("Dear Sir/Madam,\n\nOur timetable for our daughter Poppy Quill (born 23/07/2016):\n\n"
            "Monday: Maths (CGP Year 6), English (Year 6 comprehension)\nTuesday: Science (Year 6 book)\n\n"
            "Kind regards,\n\nRachel Quill\n")
    record = extract_mail(extraction_context, body, "Rachel Quill <rachel.quill@example.com>")
    assert [c["first_name"]["value"] for c in record["children"]] == ["Poppy"]


def test_a_place_the_family_lived_before_her_children_are_named_is_not_their_parent(extraction_context) -> None:
    body = ("Hello,\n\nAisha Quill (mum, 07700 900615) is at Room 6, Chapel Hill House, 23 Chapel Hill, Basingstoke "
            "RG21 5TB. She was evicted in Tower Hamlets in August and placed here. Her son Yusuf Quill (DOB 14/09/2017) "
            "has not been in school since.\n\nBernadette Ames\nHealth Visitor\n")
    record = extract_mail(extraction_context, body, "Bernadette Ames <b.ames@example.net>")
    assert "Tower Hamlets" not in [(p.get("name") or {}).get("value") for p in record["parents_carers"]]
