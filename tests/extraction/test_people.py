"""Names as written: titles dropped, SURNAME, Forename turned round, notes cut off; relationships normalised."""
import pytest

from extraction.people import clean_name, relationship_of, split_name, surname_first_form
from tests.extraction.mail import extract_mail


@pytest.mark.parametrize("raw, name, span", [
    ("Mrs Petra Quillfeather", "Petra Quillfeather", (4, 22)),
    ("Petra Quillfeather (mother) - 07700 900123", "Petra Quillfeather", (0, 18)),
    ("QUILLFEATHER, Petra", "Petra QUILLFEATHER", (0, 19)),
    ("Orin Bellwether, Attendance Officer", "Orin Bellwether", (0, 15)),
    ("Dr. Ama Oduya-Finch, mobile 01632 960111", "Ama Oduya-Finch", (4, 19)),
    ("Thanks Karen", "Karen", (7, 12)),  # a sign-off and the name on one line
    ("Many thanks, Petra Quillfeather", "Petra Quillfeather", (13, 31)),
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


def _referral(extraction_context, body: str) -> dict:
    from extraction.extract import extract_file
    from tests.extraction.mail import email_bytes

    mail = email_bytes(f"Hi,\n\n{body}\n\nPat Doe\n", message_id="<parent-phrasing@example.org>")
    return extract_file("p.eml", mail, extraction_context)


@pytest.mark.parametrize("sentence, parent", [
    ("Gemma Quennell is their mum.", ("Gemma Quennell", "mother", None)),
    ("Her mum (my aunt Gemma Quennell) works nights.", ("Gemma Quennell", "mother", None)),
    ("Mum Gemma Quennell brings her baby to our group.", ("Gemma Quennell", "mother", None)),
    ("She lives with her mum, my ex-partner Gemma Quennell, in Fareham.", ("Gemma Quennell", "mother", None)),
    ("1) Leah Quennell - DOB 14/02/2013 - Y8 - 9 Desborough Road, Eastleigh SO50 5NZ - last attended 14/09/2026 - "
     "mum Gemma Quennell 07700 900731.", ("Gemma Quennell", "mother", "07700900731")),

    # an older sibling writing of "our mum"; a stepfather on a labelled line; a name then the parent it is
    ("Our mum Gemma Quennell works nights and sleeps all day.", ("Gemma Quennell", "mother", None)),
    ("Mother: Gemma Quennell\nStepfather: Ross Quennell (her birth father is not involved)",
     None),
    ("We heard that Ross Quennell, the father, had taken a job in Qatar.", ("Ross Quennell", "father", None)),
    ("It's Gemma Quennell, Leah Quennell's mum, who rang the office.", ("Gemma Quennell", "mother", None)),
    # a titled name with the relation in brackets, as a school's form lists parents
    ("Parents:\nDr Gemma Quennell (mother) - 07700 900836\n", ("Gemma Quennell", "mother", "07700900836")),
    # the parent as the one the writer reached, named after a comma
    ("I phoned mum, Gemma Quennell (07700 900305), who agreed to take her to the GP.",
     ("Gemma Quennell", "mother", "07700900305")),
    ("We traced mum, Gemma Quennell, through our Housing Options team.", ("Gemma Quennell", "mother", None)),
    # a school's "SURNAME, Forename" in brackets, with the number after a dash
    ("Mum (QUENNELL, Gemma - 07700 900761) phoned the office.", ("Gemma QUENNELL", "mother", "07700900761")),
])
def test_a_parent_named_with_their_relation_to_the_child_is_recorded(extraction_context, sentence, parent) -> None:
    record = _referral(extraction_context,
                       f"Leah Quennell (DOB 14/02/2013) has not been at school since July. {sentence}")
    got = [((p["name"] or {}).get("value"), (p["relationship"] or {}).get("value"), (p["phone"] or {}).get("value"))
           for p in record["parents_carers"]]
    assert got == ([parent] if parent else [("Gemma Quennell", "mother", None), ("Ross Quennell", "stepfather", None)])


@pytest.mark.parametrize("sentence, relationship", [
    ("I support foster carers Graham and Tilda Quennell, who took the placement in September.", "carer"),
    ("The family are Agnieszka and Pawel Quennell, of 23 Example Way, Andover.", None),
])
def test_a_couple_named_together_are_both_recorded(extraction_context, sentence, relationship) -> None:
    record = _referral(extraction_context,
                       f"Leah Quennell (DOB 14/02/2013) has not been at school since July. {sentence}")
    names = [(p["name"] or {}).get("value") for p in record["parents_carers"]]
    assert names[:2] in (["Graham Quennell", "Tilda Quennell"], ["Agnieszka Quennell", "Pawel Quennell"])
    if relationship:
        assert {(p["relationship"] or {}).get("value") for p in record["parents_carers"][:2]} == {relationship}


def test_a_grandmother_described_in_brackets_after_a_hyphenated_name_is_no_parent(extraction_context) -> None:
    record = _referral(extraction_context, "Leah Quennell (DOB 14/02/2013) has not been at school since July. They "
                       "are living with mum's mother (Leah-Rose's nan) in Aldershot.")
    assert [(p["name"] or {}).get("value") for p in record["parents_carers"]] in ([], [None])


def test_mum_saying_something_is_not_a_parent_named_mum(extraction_context) -> None:
    record = _referral(extraction_context, "Mum said Leah Quennell (DOB 14/02/2013) has not been at school since July.")
    assert all((p["name"] or {}).get("value") != "Leah Quennell" for p in record["parents_carers"])


@pytest.mark.parametrize("writer, relation", [
    ("Danielle Okafor", "mother"), ("Steve Okafor", "father"), ("Mrs Danielle Okafor", "mother"),
    ("Jo Okafor", None),  # a name used as much by both sexes says nothing
    ("D Okafor", None),  # nor does an initial
])
def test_a_parent_who_writes_about_my_son_is_his_mother_or_father_by_their_given_name(extraction_context, writer,
                                                                                     relation) -> None:
    body = (f"Hi,\n\nMy son Oliver Okafor (dob 22/05/2016) has had no school place since we moved to Basingstoke "
            f"in October.\n\nThanks\n{writer}\n07700 900231\n")
    record = extract_mail(extraction_context, body, f"{writer} <d.okafor@example.com>")
    [parent] = record["parents_carers"]
    assert (parent["relationship"] or {}).get("value") == relation
    if relation and not writer.startswith("Mrs"):
        assert parent["relationship"]["source"]["rule"] == "given_names.usual_sex"
        assert parent["relationship"]["source"]["text"] == writer


def test_a_grandmothers_daughter_who_moved_with_her_children_is_their_mother_not_a_child(extraction_context) -> None:
    body = ("Dear Sir or Madam,\n\nI am writing about my two grandchildren. My daughter, Rachel Lewis, moved to Gosport "
            "in August with her three children, Harvey Lewis (born 03/05/2014), Poppy Lewis (born 11/09/2016) and Alfie "
            "Lewis (born 20/01/2019), and none of them has started at a school there.\n\nYours faithfully\n"
            "Gwyneth Morgan\n01632 960393\n")
    record = extract_mail(extraction_context, body, "Gwyneth Morgan <g.morgan@example.com>")
    assert [c["first_name"]["value"] for c in record["children"]] == ["Harvey", "Poppy", "Alfie"]
    assert [(p["name"]["value"], p["relationship"]["value"]) for p in record["parents_carers"]] == [
        ("Rachel Lewis", "mother")]
    assert record["referrer"]["type"]["value"] == "public"  # their grandmother, not their parent


def test_a_foster_carer_who_signs_as_one_is_recorded_as_the_childs_carer(extraction_context) -> None:
    body = ("Hello,\n\nJayden Pike (DOB 14/03/2013) was placed with me on 2 November and has no school place in "
            "Hampshire yet.\n\nRegards\nAngela Whitcombe\nFoster Carer\n07700 900412\n")
    record = extract_mail(extraction_context, body, "Angela Whitcombe <a.whitcombe@example.com>")
    assert record["referrer"]["type"]["value"] == "parent"
    assert [(p["name"]["value"], p["relationship"]["value"]) for p in record["parents_carers"]] == [
        ("Angela Whitcombe", "carer")]


@pytest.mark.parametrize("said", [
    "I'm a foster carer (approved with Hampshire) and I have had a young lad placed with me since Monday.",
    "My husband Rob and I are foster carers. We had an emergency placement on Friday 6th November.",
])
def test_a_carer_who_says_a_child_was_placed_with_them_is_that_childs_carer(extraction_context, said: str) -> None:
    body = (f"Good morning\n\n{said} His name is Kieran Doyle, date of birth 27.1.2015, and he has no school "
            "place yet.\n\nMany thanks\nBernie Oyelaran\n07700 900634\n")
    record = extract_mail(extraction_context, body, "Bernie Oyelaran <bernie.o@example.com>")
    assert record["referrer"]["type"]["value"] == "parent"
    assert [(p["name"]["value"], p["relationship"]["value"]) for p in record["parents_carers"]][0] == (
        "Bernie Oyelaran", "carer")  # not "mother" for "my husband and I"


def test_a_child_placed_with_the_writer_years_ago_does_not_make_them_his_carer_now(extraction_context) -> None:
    body = ("Dear Sir/Madam,\n\nI am a foster carer approved by Dorset Council. Kayden Mills (born 14/09/2014) was "
            "placed with me for just over two years. He went home in July to live with his mum, Shannon Mills, at "
            "9 Bridge Court, Fordingbridge, SP6 1AB.\n\nKind regards\n\nBernie Oakley\n01632 960418\n")
    record = extract_mail(extraction_context, body, "Bernie Oakley <b.oakley@example.com>")
    assert [(p["name"]["value"], p["relationship"]["value"]) for p in record["parents_carers"]] == [
        ("Shannon Mills", "mother")]


_GRANDFATHER = """Dear Sir or Madam,

I write to draw to your attention the position of my two grandchildren, who have resided with my wife and me since
the 3rd of August of this year.

The children are:

    Amelia Quillfeather-Price, my granddaughter, born the 14th of February 2018, who would now be in Year 4; and
    Thomas Quillfeather-Price, my grandson, born the 30th of October 2020, who would now be in Year 1.

Until the end of the summer term both children lived with their mother, my daughter Rebecca Price, in Portsmouth.

Our address is 11 Downland Close, Waterlooville, PO8 0SX. I may be reached on 01632 960402 during the day.

Yours faithfully,

Geoffrey Quillfeather
"""


def test_a_grandfathers_letter_gives_the_grandchildren_their_mother_and_him_as_grandfather(extraction_context) -> None:
    record = extract_mail(extraction_context, _GRANDFATHER, "Geoffrey Quillfeather <gq@example.com>")
    assert [(c["first_name"]["value"], c["gender"]["value"]) for c in record["children"]] == [
        ("Amelia", "female"), ("Thomas", "male")]  # "my granddaughter", "my grandson"
    assert [(p["name"]["value"], p["relationship"]["value"]) for p in record["parents_carers"]] == [
        ("Geoffrey Quillfeather", "grandfather"), ("Rebecca Price", "mother")]  # not a third child
    assert record["referrer"]["phone"]["value"] == "01632960402"  # "I may be reached on ..."


def test_a_nana_names_her_grandson_once_and_his_dad_as_his_father(extraction_context) -> None:
    body = ("Hello!!\n\nI am writing about my grandson Oliver Quill (we call him Ollie!) who is 10 - date of birth "
            "06-11-2015. He lives with my son Craig Quill (his dad) at 28 Kingfisher Close, Eastleigh SO50 4ZZ and "
            "STILL hasn't got a school place!!!\n\nJean Quill (Nana)\n")
    record = extract_mail(extraction_context, body, "Jean Quill <jq@example.com>")
    assert [(c["first_name"]["value"], c["date_of_birth"]["value"]) for c in record["children"]] == [
        ("Oliver", "2015-11-06")]
    assert ("Craig Quill", "father") in [(p["name"]["value"], (p["relationship"] or {}).get("value"))
                                         for p in record["parents_carers"]]


def test_a_referral_written_in_its_subject_line_gives_the_childs_address_and_parent(extraction_context) -> None:
    subject = ("CME referral Amira QUILL dob 9/7/14 - 19 Linden Grove Andover SP10 3ZZ - not in any school since "
               "arriving in Aug - mum Noura Quill 07700 900562")
    body = "Found on new birth visit to mum yesterday, mum happy for referral - thanks, Becky Lamb HV\n"
    record = extract_mail(extraction_context, body, "Becky Lamb <b.lamb@example.nhs.uk>", subject=subject)
    [child] = record["children"]
    assert (child["address"]["line1"]["value"], child["address"]["postcode"]["value"]) == ("19 Linden Grove", "SP10 3ZZ")
    assert [(p["name"]["value"], p["phone"]["value"]) for p in record["parents_carers"]] == [
        ("Noura Quill", "07700900562")]


def test_parents_named_with_their_relationship_and_number_in_brackets_each_get_their_own(extraction_context) -> None:
    body = ("Bartosz Nowicki (DOB 19/06/2014) has not attended since 23 October. We have made daily calls to both "
            "parents, Agnieszka Nowicki (mum, 07700 900318) and Piotr Nowicki (dad, 07700 900319); both numbers now "
            "give an unobtainable tone.\n\nRegards\nHelen Mortimer\nDeputy Head\n")
    record = extract_mail(extraction_context, body, "Helen Mortimer <h.mortimer@example.sch.uk>")
    assert [(p["name"]["value"], p["relationship"]["value"], p["phone"]["value"]) for p in record["parents_carers"]] == [
        ("Agnieszka Nowicki", "mother", "07700900318"), ("Piotr Nowicki", "father", "07700900319")]


def test_early_help_named_like_a_person_is_not_a_child(extraction_context) -> None:
    from tests.extraction.mail import extract_mail

    body = ("Poppy Langley (Year 8) has not attended since the summer and is not on any roll we know of. For information, "
            "Poppy was supported by Early Help in Year 6 (closed Jan 2025).\n\nKaren Whitby\nAttendance Officer\n")
    record = extract_mail(extraction_context, body, "Karen Whitby <k.whitby@yateley.hants.sch.uk>")
    assert [c["first_name"]["value"] for c in record["children"]] == ["Poppy"]
