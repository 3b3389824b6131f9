"""Urgency from real signs of harm, with negation, form answers and boilerplate ignored."""
import pytest

from extraction.safeguarding import assess, boilerplate_spans, negated
from parsers.message import Segment, TextSource


@pytest.mark.parametrize("text, flags", [
    ("Police believe Callum is involved in county lines and has been missing from home twice.",
     ("criminal_exploitation", "missing_from_home")),
    ("Neighbours say the flat is being used for cuckooing.", ("criminal_exploitation",)),
    ("Different cars pick her up late at night, always older men.", ("sexual_exploitation",)),
    ("Her father has said she will be taken abroad to marry this summer.", ("forced_marriage",)),
    ("There is a risk of FGM during the trip.", ("fgm",)),
    ("He has been viewing extremist material and was referred to Prevent.", ("radicalisation",)),
    ("We think the adults with her are not her real parents.", ("trafficking",)),
    ("Ella is subject to a child protection plan under the category of neglect.", ("neglect", "child_protection_plan")),
    ("Sam is a looked after child placed with foster carers in Exampletown.", ("looked_after",)),
    ("The family fled domestic abuse and are in a refuge.", ("domestic_abuse",)),
    ("She disclosed that she was hit by her stepfather and had bruises.", ("abuse",)),
    ("She ran away from home on Friday and has been reported missing to police.", ("missing_from_home",)),
])
def test_flags(text: str, flags: tuple[str, ...]) -> None:
    urgent, found, evidence = assess([text])
    assert urgent and found == flags
    for flag, part, start, end, words in evidence:
        assert part == "body" and text[start:end] == words


@pytest.mark.parametrize("text", [
    "I have no safeguarding concerns from the visit.",
    "There are no concerns about exploitation. He is not known to social care.",
    "Previous involvement: child protection plan (neglect) ended March 2024.",
    "She is not missing from home - mum is in regular contact.",
    "She has been missing school since June and is missing education.",
    "Missing from home? | No\nCurrent child protection plan | No\nLooked after child: No",
    "Is the child looked after? ☐ Yes ☒ No",
    "☐ CP plan   ☐ Looked after   ☒ None of these",
    "Safeguarding (tick if yes)\nChild protection plan\nLooked after child\nOther concerns",
    'Statutory guidance reminds us: "Children missing education are at significant risk of harm, including '
    'neglect, child sexual and child criminal exploitation, particularly county lines."',
    "Family is not on any school roll; whereabouts unknown since the summer.",
])
def test_not_urgent(text: str) -> None:
    urgent, flags, _ = assess([text])
    assert not urgent and flags == ()


def test_disclaimer_and_charity_statement_do_not_count() -> None:
    text = ("Please could you help this family find a school place.\n\n"
            "Exampletown Refugee Welcome is a registered charity (no. 1234567). We are committed to safeguarding "
            "children from abuse, exploitation and trafficking.\n\n"
            "This email and any attachments are confidential and intended solely for the addressee.")
    assert boilerplate_spans(text)
    assert assess([text])[0] is False


def test_parser_disclaimer_segment_does_not_count() -> None:
    text = "Ruby needs a school place.\nAny forced marriage or FGM concern must be reported to police."
    source = TextSource("body", text, "plain", segments=(Segment(0, 27, "top"), Segment(27, len(text), "disclaimer")))
    assert assess([source]) == (False, (), [])


def test_negation_stops_at_the_clause() -> None:
    text = "She has not come to school and is missing from home."
    start = text.index("missing from home")
    assert not negated(text, start, start + len("missing from home"))
    assert assess([text])[1] == ("missing_from_home",)


def test_form_answer_yes_counts() -> None:
    assert assess(["Is the child subject to a child protection plan? | Yes - since May"])[1] == ("child_protection_plan",)


@pytest.mark.parametrize("text", [
    "We want to prevent her missing more school.",
    "All staff complete Prevent duty training every year.",
    "She keeps going missing from lessons.",
    "Mum was cutting her hair when I visited.",
])
def test_ordinary_words_are_not_concerns(text: str) -> None:
    assert assess([text])[0] is False


@pytest.mark.parametrize("text, flag", [
    ("She told her teacher that her uncle touches her when mum is at work.", "abuse"),
    ("He is being made to sell drugs for older boys in Exampletown.", "criminal_exploitation"),
    ("He was found in Exampleton with a large amount of cash and two phones.", "criminal_exploitation"),
    ("She has been staying overnight at the flat of a 25-year-old man.", "sexual_exploitation"),
    ("The children have no food and the house is filthy.", "neglect"),
    ("Police were called to a domestic incident at the address last week.", "domestic_abuse"),
    ("He has not been home since Friday and his phone is off.", "missing_from_home"),
    ("Her passport has been taken by her father.", "trafficking"),
    ("She says she will be taken abroad for a ceremony to become a woman this summer.", "fgm"),
    ("Dad is taking her to Examplestan to get married in the holidays.", "forced_marriage"),
])
def test_harm_described_without_the_label(text: str, flag: str) -> None:
    urgent, flags, _ = assess([text])
    assert urgent and flag in flags


@pytest.mark.parametrize("text", [
    "We follow Keeping Children Safe in Education and report any concerns about abuse or neglect to the DSL.",
    "Mum said she was looking forward to getting married next year.",
    "The children are not home educated; they have no school place.",
    "If there are any signs of exploitation the school will call the police.",
])
def test_policy_and_hypothetical_words_are_not_concerns(text: str) -> None:
    assert assess([text])[0] is False


@pytest.mark.parametrize("text, flag", [
    ("No one knows where he is, he has run away from home.", "missing_from_home"),
    ("He has not been seen since he ran away.", "missing_from_home"),
    ("Nobody has seen her and she has gone missing.", "missing_from_home"),
])
def test_absence_words_do_not_negate_what_follows(text: str, flag: str) -> None:
    assert flag in assess([text])[1]


def test_concern_ruled_out_afterwards() -> None:
    assert assess(["Concerns about FGM were ruled out by the GP."])[0] is False


@pytest.mark.parametrize("text, flag", [
    ("He hasn't slept at home for three nights and turned up with a burner phone.", "missing_from_home"),
    ("Officers found him in a flat where adults were supplying class A.", "criminal_exploitation"),
    ("She has a new phone she won't explain and unexplained cash.", "criminal_exploitation"),
    ("The boys knock on doors asking neighbours for food; there is nothing in the fridge.", "neglect"),
    ("No one has taken her to the GP about the infected wound.", "neglect"),
    ("Grandma has chosen a husband for her and she will meet him at the wedding.", "forced_marriage"),
    ("Her aunt spoke of a ritual to make her a real woman when they visit family.", "fgm"),
    ("He stormed out of his foster placement on Friday and has not been back to the placement.", "missing_from_home"),
])
def test_harm_in_other_words(text: str, flag: str) -> None:
    urgent, flags, _ = assess([text])
    assert urgent and flag in flags


@pytest.mark.parametrize("text", [
    "Sam was on a child protection plan (physical abuse) until March 2023; the case is closed.",
    "The family were on child protection plans under the category of neglect, which ended in 2024.",
    "He got a new phone for his birthday.",
    "Whereabouts unknown: the family moved out in October.",
])
def test_past_plans_and_ordinary_words_are_not_concerns(text: str) -> None:
    assert assess([text])[0] is False


def test_category_of_a_current_plan_counts() -> None:
    flags = assess(["Sam is on a child protection plan (neglect) and the family will not engage."])[1]
    assert flags == ("neglect", "child_protection_plan")


@pytest.mark.parametrize("text, flag", [
    ("Staff saw her getting into a car driven by a man in his thirties.", "sexual_exploitation"),
    ("Her 'boyfriend' is 24 and collects her from the park.", "sexual_exploitation"),
    ("He shares videos from a proscribed group and says he wants to fight for the cause.", "radicalisation"),
    ("She cooks and cleans for the household all day and her passport is with the man she lives with.",
     "trafficking"),
    ("A woman who said she was his aunt came with him but could not give his surname.", "trafficking"),
])
def test_more_harm_in_other_words(text: str, flag: str) -> None:
    urgent, flags, _ = assess([text])
    assert urgent and flag in flags


def test_a_wrapped_line_does_not_end_the_negation() -> None:
    text = ("The family may have moved to Devon. There are no concerns about\n"
            "exploitation or abuse and he has never gone missing from home, as far as we know here.")
    assert assess([text])[0] is False


def test_a_form_line_still_ends_the_negation() -> None:
    assert assess(["Looked after: No\nChild protection plan: Yes (neglect)"])[1] == ("neglect", "child_protection_plan")


def test_courses_and_bulletins_are_not_concerns() -> None:
    assert assess(["Book now: county lines awareness sessions for school staff."])[0] is False
    bulletin = mail_with_headers("Exploitation week: child sexual exploitation webinar. FGM is a crime.",
                                 {"List-Unsubscribe": "<mailto:leave@news.example.org>"})
    assert assess(bulletin) == (False, (), [])
    assert assess(["Dad's new partner is 35 and works nights."])[0] is False


def mail_with_headers(body: str, headers: dict[str, str]):
    from email.message import EmailMessage

    from parsers.mime import parse_message

    msg = EmailMessage()
    msg["From"], msg["To"], msg["Subject"] = "news@news.example.org", "cme@example.org", "Bulletin"
    msg["Date"] = "Tue, 03 Nov 2026 09:00:00 +0000"
    for name, value in headers.items():
        msg[name] = value
    msg.set_content(body)
    return parse_message(msg.as_bytes(), "b.eml")


@pytest.mark.parametrize("text, flag", [
    ("She told staff her stepdad gives her a beating and she had marks on her neck.", "abuse"),
    ("Mum left after years of violence from her husband and is in a safe house.", "domestic_abuse"),
    ("Both boys are on CP with Exampleshire (neglect).", "child_protection_plan"),
    ("We think she might be at risk of FGM when they travel.", "fgm"),
])
def test_plain_and_colloquial_concerns(text: str, flag: str) -> None:
    assert flag in assess([text])[1]


@pytest.mark.parametrize("text", [
    "Mum says he is refusing and that he \"might run away\" if we make him come back.",
    "How many children were reported as missing\neducation in 2025?",
])
def test_threats_and_statistics_are_not_episodes(text: str) -> None:
    assert assess([text])[0] is False


@pytest.mark.parametrize("text, flag", [
    ("She has been absent from home overnight twice and turns up days later.", "missing_from_home"),
    ("He won't say where he has been since Friday.", "missing_from_home"),
    ("He was arrested in possession of a knife and wraps of cocaine.", "criminal_exploitation"),
    ("She has been sending photos of herself to a man she met online.", "sexual_exploitation"),
])
def test_round_four_wordings(text: str, flag: str) -> None:
    assert flag in assess([text])[1]


def test_an_episode_last_year_is_past() -> None:
    assert assess(["He was reported missing last year but has been home since."])[0] is False


@pytest.mark.parametrize("text", [
    "Dad is working in a restaurant in Exampletown.",
    "Mum cleans offices all day.",
    "Dad was arrested last year for dealing.",
    "Mum has been away from home overnight for work.",
    "She has marks on her arms from eczema.",
])
def test_what_adults_do_is_not_the_childs_harm(text: str) -> None:
    assert assess([text])[0] is False


@pytest.mark.parametrize("text", ["Her uncle keeps her passport.", "Mum says she has been absent from home overnight."])
def test_an_adult_acting_on_the_child_or_reporting_still_counts(text: str) -> None:
    assert assess([text])[0] is True


@pytest.mark.parametrize("text, flag", [
    ("Her mum found\nmessages on her phone from a 30-year-old offering her money to meet him.", "sexual_exploitation"),
    ("A youth worker thinks he is being used to move drugs.", "criminal_exploitation"),
    ("They were dirty, smelt of urine and sleep on the floor.", "neglect"),
    ("She is in the care of Exampleshire County Council and placed with carers in Havant.", "looked_after"),
])
def test_round_five_wordings(text: str, flag: str) -> None:
    assert flag in assess([text])[1]


def test_a_referral_to_the_mash_is_urgent_without_naming_a_concern() -> None:
    from extraction.safeguarding import urgent_summary

    urgent, flags, evidence = assess(["He came in upset last week and we passed this to the MASH."])
    assert urgent and flags == ()
    assert "MASH" in urgent_summary(flags, evidence)
    assert assess(["This does not meet the threshold for a referral to children's social care."])[0] is False
    assert assess(["If you are worried, make a referral to the MASH."])[0] is False
    assert assess(["There was a referral to children's services in 2022."])[0] is False


@pytest.mark.parametrize("text, flag", [
    ("Her cousin says she was married there last month to a man of 35.", "forced_marriage"),
    ("He came in with a black eye and said his dad lost it with him.", "abuse"),
    ("Dad controls all the money and won't let her leave the house; she is frightened of him.", "domestic_abuse"),
])
def test_round_six_wordings(text: str, flag: str) -> None:
    assert flag in assess([text])[1]


def test_parents_marriage_is_not_a_concern() -> None:
    assert assess(["Her parents were married in 2005 and separated last year."])[0] is False


def test_phrases_wrapped_over_two_lines_still_match() -> None:
    text = ("Hi, my son is being bullied so badly that he won't go to school and he wants to kill\n"
            "himself. What can I do?")
    from extraction.safeguarding import unwrap, urgent_summary

    assert len(unwrap(text)) == len(text) and "kill himself" in unwrap(text)
    urgent, flags, evidence = assess([text])
    assert urgent and flags == () and urgent_summary(flags, evidence) == "a risk of self-harm or suicide"
    assert unwrap("Looked after: No\nCP plan: Yes") == "Looked after: No\nCP plan: Yes"


@pytest.mark.parametrize("text, flag", [
    ("He is dropped off at the park by different older lads in cars and carries large amounts of money.",
     "criminal_exploitation"),
    ("She is 16 weeks pregnant and the father is a 24-year-old.", "sexual_exploitation"),
    ("Dad told us they were sleeping in the car.", "neglect"),
    ("I have heard her screaming and a man shouting that he will kill you.", "abuse"),
])
def test_round_seven_wordings(text: str, flag: str) -> None:
    assert flag in assess([text])[1]


def test_homelessness_alone_is_not_neglect() -> None:
    assert assess(["The family were made homeless in August and are in temporary accommodation."])[0] is False
