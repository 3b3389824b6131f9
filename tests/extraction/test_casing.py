"""Mail written all in small letters is read like any other: names, streets, towns and postcodes."""
from extraction.casing import truecase
from extraction.extract import extract_file
from tests.extraction.mail import email_bytes

LOWER = """hi my name is nell quarrie im 16 and im emailing about my cousin tamsin wexley. shes 12 now.

tamsin hasnt been to school since october half term and her mum doesnt make her. she told me shes hungry every
night because theres no food in.

they live at 14 foxglove close basingstoke rg22 5hn. my number is 07700 900614.

nell
"""


def _mail(body: str) -> bytes:
    return email_bytes(body, "nell x <nell.q09@example.com>", "my cousin", "Tue, 03 Nov 2026 21:10:00 +0000",
                       "<lower@example.com>")


def test_a_message_in_small_letters_gives_the_child_and_the_address(extraction_context) -> None:
    record = extract_file("l.eml", _mail(LOWER), extraction_context)
    (child,) = record["children"]
    assert (child["first_name"]["value"], child["last_name"]["value"]) == ("Tamsin", "Wexley")
    assert child["address"]["line1"]["value"] == "14 Foxglove Close"
    assert child["address"]["town"]["value"] == "Basingstoke"
    assert child["address"]["postcode"]["value"] == "RG22 5HN"


UPPER = """HELLO

I AM WRITING ABOUT MY GRANDDAUGHTER POPPY ASHWELL WHO IS 9. SHE MOVED WITH HER MUM DEBORAH ASHWELL TO
ANDOVER IN JULY AND HAS NOT STARTED A SCHOOL. THEY LIVE AT 22 WILLOW GREEN, ANDOVER, SP10 3QT.

MY NUMBER IS 07700 900512.

MAUREEN
"""


def test_a_message_written_all_in_capitals_gives_the_child_the_parent_and_the_address(extraction_context) -> None:
    record = extract_file("u.eml", _mail(UPPER), extraction_context)
    (child,) = record["children"]
    assert (child["first_name"]["value"].upper(), child["last_name"]["value"].upper()) == ("POPPY", "ASHWELL")
    assert child["address"]["postcode"]["value"] == "SP10 3QT"
    assert child["address"]["line1"]["value"].upper() == "22 WILLOW GREEN"
    (parent,) = record["parents_carers"]
    assert parent["name"]["value"].upper() == "DEBORAH ASHWELL" and parent["relationship"]["value"] == "mother"


def test_capitals_change_no_offset_and_leave_ordinary_words_alone(extraction_context) -> None:
    cased = truecase(LOWER, extraction_context.register)
    assert len(cased) == len(LOWER) and cased.lower() == LOWER
    assert "Tamsin Wexley" in cased and "Nell Quarrie" in cased
    assert "im Emailing" not in cased and "Hungry" not in cased


def test_a_message_with_ordinary_capitals_is_left_as_written(extraction_context) -> None:
    text = "I am writing about Tamsin Wexley, who lives at 14 Foxglove Close, Basingstoke RG22 5HN. " * 3
    assert truecase(text, extraction_context.register) == text


def test_a_cousin_whose_age_follows_is_a_child(extraction_context) -> None:
    body = "Hi,\n\nI am emailing about my cousin Tamsin Wexley. She's 12 now and has no school place.\n\nNell Quarrie\n"
    record = extract_file("c.eml", _mail(body), extraction_context)
    assert [c["first_name"]["value"] for c in record["children"]] == ["Tamsin"]


def test_a_grown_up_cousin_is_not_a_child(extraction_context) -> None:
    body = ("Hi,\n\nMy cousin Sarah Wexley is the children's mum. Her son Reuben Wexley (DOB 02/02/2015) has no "
            "school place.\n\nNell Quarrie\n")
    record = extract_file("g.eml", _mail(body), extraction_context)
    assert "Sarah" not in [c["first_name"]["value"] for c in record["children"]]


def test_a_long_formal_letter_with_few_capitals_gets_no_invented_names(extraction_context) -> None:
    text = ("The household appears to consist of a mother, a young man who may be an older son, and a girl who "
            "looks to be of primary school age. I have heard her mother call her Amira in the garden at about "
            "eleven o'clock in the morning on several weekdays this term, when she would ordinarily be at school. "
            "The mother is courteous if reserved, and it may well be that the family is educating her at home. ") * 2
    letters = sum(c.isalpha() for c in text)
    assert 0.012 * letters < sum(c.isupper() for c in text) < 0.03 * letters  # few capitals, not none
    cased = truecase(text, extraction_context.register)
    assert "Call" not in cased and "I have heard her mother call her Amira" in cased


def test_a_child_writing_in_small_letters_about_her_best_friend_gives_the_friend(extraction_context) -> None:
    body = ("hi\n\nmy name is nell quarrie and im 13. its about my best friend tamsin wexley who is 13 too. we were "
            "both in year 8 last year but she never came back in september and she doesnt do any school work at "
            "home.\n\nshe lives at 112 highlands road in fareham.\n\nnell\n")
    record = extract_file("f.eml", _mail(body), extraction_context)
    assert [c["first_name"]["value"] for c in record["children"]] == ["Tamsin"]


def test_a_name_followed_by_dob_in_small_letters_does_not_take_dob_as_a_surname() -> None:
    text = ("hi, im writing about my nephew jasper quill dob 3/11/11 hes 14. him and my sister petra moved up at "
            "easter and he hasnt been in school since. its been 6 months now and hes just on his xbox all day.")
    assert "Jasper Quill dob 3/11/11" in truecase(text)


def test_in_capitals_a_name_shown_by_its_date_of_birth_or_age_is_read(extraction_context) -> None:
    body = ("HELLO\n\nIM WRITING ABOUT MY NEIGHBOURS GIRL. OLIVIA DRAKE DOB 04/05/2013 HAS NOT BEEN TO SCHOOL SINCE "
            "EASTER, SHE IS IN YEAR 8. MUM (SANDRA DRAKE) SAYS SHE IS POORLY BUT SHE IS OUT ON HER BIKE EVERY DAY. "
            "THEY LIVE AT 4 LINDEN WALK, ROMSEY SO51 8GH.\n\nBARRY\n")
    record = extract_file("c.eml", _mail(body), extraction_context)
    (child,) = record["children"]
    assert (child["first_name"]["value"].upper(), child["last_name"]["value"].upper()) == ("OLIVIA", "DRAKE")
    assert child["date_of_birth"]["value"] == "2013-05-04"
    (parent,) = record["parents_carers"]
    assert parent["name"]["value"].upper() == "SANDRA DRAKE" and parent["relationship"]["value"] == "mother"


def test_a_date_after_is_does_not_make_the_word_before_it_a_name(extraction_context) -> None:
    text = ("hi my name is dylan orme im 15 my birthday is 14/01/2011 and nobody is sorting out my school. "
            "my mum says the meeting is 16 september but it keeps moving. ")
    cased = truecase(text, extraction_context.register)
    assert "Dylan Orme" in cased and "Birthday" not in cased and "Meeting" not in cased


def test_a_quoted_question_does_not_make_its_verb_a_childs_first_name(extraction_context) -> None:
    body = ("Hi Kate,\n\n1. Yes, my son Oliver Pearce started at Quarry Hill Primary on Monday.\n2. We have moved, it's "
            "9 Heron Way, Oakhurst RG24 9ZZ.\n\nHannah\n\n> On 6 Oct 2026 the CME team wrote:\n> 1. Has Oliver now "
            "started at his new school? If so, which school?\n> 2. What is your new address?\n")
    record = extract_file("q.eml", _mail(body), extraction_context)
    assert [c["first_name"]["value"] for c in record["children"]] == ["Oliver"]
    assert record["children"][0]["address"]["line1"]["value"] == "9 Heron Way"


SOME_CAPITALS = """hi im emailing because the lady on the council phone line said to email this address. we moved to fleet from
woking end of september and were staying at my mums now which is 18 Hartsleaf Close Fleet GU52 7XB till we get our own
place. my kids are kayden hes 9 and lacey shes 7. there both out of school since we left woking. i did the online form
for schools near my mums but nobody has got back to me and its nearly 6 weeks now. please call after 3 thank you Shannon
"""


def test_children_named_in_small_letters_before_their_ages_are_read_beside_a_written_address(extraction_context) -> None:
    record = extract_file("s.eml", email_bytes(SOME_CAPITALS, "Shannon Pryce <shannonp@example.com>", "school places",
                                               "Tue, 03 Nov 2026 21:10:00 +0000", "<some@example.com>"),
                          extraction_context)
    assert [c["first_name"]["value"] for c in record["children"]] == ["Kayden", "Lacey"]
