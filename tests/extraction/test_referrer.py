"""The referrer: author of the referral (not the forwarder), signature block, type from organisation or domain."""
import pytest

from extraction.drafts import Draft
from extraction.referrer import display_name, find_author, read_own_phone, read_signature
from extraction.referrer_types import referrer_type
from parsers.message import ParsedMessage, TextSource
from tests.extraction.mail import extract_mail

FORWARD = """Hi team,

Please see below, one for you I think.

Thanks
Orin

---------- Forwarded message ---------
From: Petra Whistledown <petra.w@example.com>
Date: Thu, 17 Sept 2026 at 16:02
Subject: Boy next door
To: Orin Bellwether <orin@example.org>

Dear Orin,

The boy next door has not been at school all term.

Kind regards

Petra Whistledown
Tel: 01632 960123
"""


def _message(body: str, subject: str, sender: str, name: str) -> ParsedMessage:
    return ParsedMessage(file="x.eml", message_id="<x@example.org>", from_address=sender, from_name=name,
                         to=("cme@example.org",), subject=subject, date="2026-09-18T10:00:00+01:00",
                         in_reply_to=None, references=(), headers=(),
                         sources=(TextSource("body", body, "plain"),))


def test_a_logos_words_in_a_signature_name_the_organisation_without_the_brackets() -> None:
    body = ("Can you open a case please?\n\nThanks\nAmrit\n\nAmrit Example\nInclusion Support Officer (North)\n"
            "Inclusion Support Service | Education and Inclusion Branch\n[image: image001.png]\n"
            "[Oakhurst County Council logo]\nTel: 01632 960588\n")
    author = find_author(_message(body, "Referral", "amrit.example@oakhurst.example.gov.uk", "Amrit Example"))
    assert author is not None
    draft = Draft("referrer")
    read_signature(author, draft)
    assert draft.get("organisation") in ("Oakhurst County Council", "Inclusion Support Service"), draft.fields
    assert "[" not in (draft.get("organisation") or "") and "image" not in (draft.get("organisation") or "")


def test_original_author_of_a_forward_is_the_referrer() -> None:
    parsed = _message(FORWARD, "Fwd: Boy next door", "orin@example.org", "Orin Bellwether")
    author = find_author(parsed)
    assert author is not None and author.forwarded
    assert (author.name, author.address) == ("Petra Whistledown", "petra.w@example.com")
    draft = Draft("referrer")
    read_signature(author, draft)
    assert draft.get("name") == "Petra Whistledown" and draft.get("phone") == "01632960123"
    f = draft.fields["phone"]
    assert FORWARD[f.source.start:f.source.end] == "01632 960123"


def test_signature_block_gives_role_and_organisation() -> None:
    body = ("Please find the form attached.\n\nKind regards\n\nOrin Bellwether\nAttendance Officer\n"
            "Quarry Hill Primary School\nTel: 01632 960111\n\nThis email is confidential.\n")
    author = find_author(_message(body, "CME referral", "o.b@quarryhill.example.sch.uk", "Orin Bellwether"))
    assert author is not None and not author.forwarded
    draft = Draft("referrer")
    read_signature(author, draft)
    got = {k: f.value for k, f in draft.fields.items()}
    assert got == {"name": "Orin Bellwether", "role": "Attendance Officer",
                   "organisation": "Quarry Hill Primary School", "phone": "01632960111"}


@pytest.mark.parametrize("raw, name", [
    ("Bellwether, Orin", "Orin Bellwether"),
    ("QUILL Anton (EXAMPLE HEALTHCARE NHS TRUST)", "Anton Quill"),
    ("Petra Whistledown", "Petra Whistledown"),
    ("PCSO Orin Bellwether", "Orin Bellwether"),
    ("Sgt Petra Whistledown", "Petra Whistledown"),
    ("Dr. Anton Quill", "Anton Quill"),
    ("bev quillfeather", "Bev Quillfeather"),  # a person who writes their name in small letters
    ("info desk", None),  # small letters that are no given name
    # shared mailboxes are nobody's name
    ("Pupil Tracing", None),
    ("Education Access", None),
    ("Quarry Hill School Office", None),
    ("Safeguarding Bulletin", None),
])
def test_display_name(raw: str, name: str | None) -> None:
    assert display_name(raw) == name


@pytest.mark.parametrize("email, role, org, answer, parent, kind", [
    ("a@quarryhill.hants.sch.uk", None, None, None, False, "school"),
    ("a.b@nhs.net", "Health Visitor", None, None, False, "health"),
    ("a.b@example.police.uk", None, None, None, False, "police"),
    ("a.b@examplecc.gov.uk", "CME Officer", "Example County Council", None, False, "local_authority"),
    ("a.b@examplecc.gov.uk", "Social Worker", "Example County Council", None, False, "social_care"),
    ("a@example.org.uk", "Caseworker", "Example Welcome Hub", None, False, "voluntary"),
    ("someone@gmail.com", None, None, None, True, "parent"),
    ("someone@gmail.com", None, None, None, False, "public"),
    (None, None, None, "A member of the public", False, "public"),
    ("x@example.co.uk", "Registrar", "Example Preparatory School", None, False, "school"),
    ("a.b@nhs.net", "School Nurse", "Example School Nursing Team", None, False, "health"),
    ("n.b@oakhurst-school.example.org", "Attendance Officer", None, None, False, "school"),
    ("someone@example.com", None, None, None, False, "public"),
    ("someone@example.com", "Millie's nan", None, None, False, "public"),  # family, not a job
    ("someone@example.com", "Uncle to the aforementioned", None, None, False, "public"),
    ("someone@example.com", "Foster Carer", None, None, False, "parent"),  # a carer answers for the child
    ("someone@example.com", "Swimming teacher", None, None, False, "public"),  # a private lesson is no school
    ("someone@example.com", "Retired headteacher", None, None, False, "public"),
    ("someone@example.org.uk", "Carer Support Worker", None, None, False, "other"),  # a job, not a carer
    # a dental practice, an optician or a pharmacy is a health service
    ("reception@example-dental.co.uk", "Receptionist", "Quarry Hill Dental Care", None, False, "health"),
    ("a@example.co.uk", "Optometrist", "Bellwether Opticians", None, False, "health"),
    # a shop or a trade, and a job done for the public, is the public at work; a news agency or a cab company is not
    ("a@example.co.uk", "Proprietor", "Quill's News & Convenience", None, False, "public"),
    ("a@example.co.uk", None, "Whistledown Window Cleaning", None, False, "public"),
    ("someone@example.com", "bus driver", None, None, False, "public"),
    ("a@example.co.uk", "Education Correspondent", "Example News Agency", None, False, "other"),
    ("a@example.co.uk", "Operations Manager", "Example Cars Ltd", None, False, "other"),
    ("c.quill@example.org", "Trust Attendance Lead", "The Quarry Hill Academies Trust", None, False, "school"),
])
def test_referrer_type(email, role, org, answer, parent, kind) -> None:
    assert referrer_type(email, role, org, answer, parent) == kind


def test_unlabelled_referrer_block_of_a_form() -> None:
    from extraction.referrer import read_contact_block

    text = ("Safeguarding\nNone known\nReferrer\nOttoline Hollin – Attendance and Welfare Officer\n"
            "Quarry Hill Primary School\n01632 960551 | w.hale@example.org\nDate: 16/10/2026\n")
    draft = Draft("referrer")
    read_contact_block(TextSource("attachment:form.docx", text, "docx"), draft)
    got = {k: f.value for k, f in draft.fields.items()}
    assert got == {"name": "Ottoline Hollin", "role": "Attendance and Welfare Officer",
                   "organisation": "Quarry Hill Primary School", "phone": "01632960551", "email": "w.hale@example.org"}
    for f in draft.fields.values():
        assert text[f.source.start:f.source.end] == f.source.text


@pytest.mark.parametrize("signature, expected", [
    # a rank alone is the role; the unit before the force's name is no job
    ("PCSO Orin Bellwether\nLarkfield Neighbourhood Team, Northshire Police\n",
     {"name": "Orin Bellwether", "role": "PCSO", "organisation": "Northshire Police"}),
    # a job line under a ranked name is the role
    ("PC Orin Bellwether\nMissing Person Coordinator\nNorthshire Police\n",
     {"name": "Orin Bellwether", "role": "Missing Person Coordinator", "organisation": "Northshire Police"}),
    ("Dr Orin Bellwether\nCommunity Paediatrician\n", {"name": "Orin Bellwether", "role": "Community Paediatrician"}),
])
def test_a_title_is_no_part_of_the_signed_name(signature: str, expected: dict[str, str]) -> None:
    body = "Hi,\n\nQuill Whistledown, 15, has not been to school for weeks.\n\n" + signature
    author = find_author(_message(body, "Concern", "o.bellwether@northshire.police.example.uk", "PCSO Orin Bellwether"))
    assert author is not None
    draft = Draft("referrer")
    read_signature(author, draft)
    assert {k: f.value for k, f in draft.fields.items()} == expected


@pytest.mark.parametrize("written, organisation", [
    ("Dunmere 0-19 Team, Brackenford Community Health NHS Trust", "Brackenford Community Health NHS Trust"),
    ("Ottoline Academy (Corvin Learning Trust)", "Ottoline Academy"),
    ("Cyngor Sir Brisco / Sir Brisco County Council", "Sir Brisco County Council"),
    ("Quarry Hill Primary School", "Quarry Hill Primary School"),
    ("Pimm, Hollin and Partners", "Pimm, Hollin and Partners"),   # a comma inside a firm's name stays
    ("Example Medical Practice, Dunmere", "Example Medical Practice"),  # the town after a body is no part of it
    ("Inclusion Service | Sir Brisco County Council", "Sir Brisco County Council"),
    ("Quarry Hill College | Botley Road | Dunmere", "Quarry Hill College"),
])
def test_tidy_organisation(written: str, organisation: str) -> None:
    from extraction.organisations import tidy_organisation

    assert tidy_organisation(written) == organisation


@pytest.mark.parametrize("role, organisation, tidy_role", [
    ("Neighbourhood Policing Team, Dunmere", "Northshire Police", "Neighbourhood Policing Team"),
    ("Quarry Hill Primary School", "Quarry Hill Primary School", None),
    ("Attendance Officer", "Quarry Hill Primary School", "Attendance Officer"),
    ("Head of Year, Key Stage 3", "Quarry Hill Primary School", "Head of Year, Key Stage 3"),
    ("Police Constable 2241", "Northshire Police", "Police Constable"),
    ("Health Visitor | Dunmere 0-19 Team", "Brackenford NHS Trust", "Health Visitor"),
    ("Sent from my iPhone", "Quarry Hill Primary School", None),
    ("Sent from Outlook for Android", "Quarry Hill Primary School", None),
    ("23 Example Grove", "Quarry Hill Primary School", None),
    # the team, ward or place after a comma is no part of the job; nor is the writer's own name before it
    ("Health Visitor, Dunmere 0-19 Team", "Brackenford NHS Trust", "Health Visitor"),
    ("PCSO 7712, Dunmere Neighbourhood Policing Team", "Northshire Police", "PCSO"),
    ("Sarah Kettle, Health Visitor", "Brackenford NHS Trust", "Health Visitor"),
    ("School Nurse (RN, SCPHN)", "Brackenford NHS Trust", "School Nurse (RN, SCPHN)"),
    ("Deputy Head, Designated Safeguarding Lead", "Quarry Hill Primary School", "Deputy Head, Designated Safeguarding Lead"),
])
def test_tidy_role(role: str, organisation: str, tidy_role: str | None) -> None:
    from extraction.model import Field, Span
    from extraction.organisations import tidy_referrer

    text = f"{role}\n{organisation}\n"
    d = Draft("referrer")
    d.offer("role", Field(role, 0.8, Span("body", 0, len(role), role)))
    d.offer("organisation", Field(organisation, 0.8, Span("body", len(role) + 1, len(text) - 1, organisation)))
    tidy_referrer(d)
    assert d.get("role") == tidy_role
    if tidy_role:
        src = d.fields["role"].source
        assert text[src.start:src.end] == tidy_role


def test_a_one_line_signature_with_a_phone() -> None:
    body = "Hi,\n\nQuill Whistledown has not been in.\n\nOrin Bellwether, DSL, Quarry Hill School, 01632 960211\n"
    author = find_author(_message(body, "Concern", "o.b@quarryhill.example.org", "Orin Bellwether"))
    draft = Draft("referrer")
    read_signature(author, draft)
    assert {k: f.value for k, f in draft.fields.items()} == {
        "name": "Orin Bellwether", "role": "DSL", "organisation": "Quarry Hill School", "phone": "01632960211"}


@pytest.mark.parametrize("body, as_parent", [
    ("My son Pell has had no school place since we moved.", True),
    ("Our daughter is 9 and not in school.", True),
    ("He used to walk to school with one of my foster children.", False),
    ("She was in the same class as one of our kids last year.", False),
    ("My daughter's friend Amira Haddad is 15 and has not been at school since October.", False),
    ("I need to get my two into school, they have been off 3 weeks.", True),
    ("My two colleagues visited the house on Monday.", False),
])
def test_writing_of_ones_own_child(body: str, as_parent: bool) -> None:
    from extraction.roles import _MY_CHILD
    assert bool(_MY_CHILD.search(body)) is as_parent


@pytest.mark.parametrize("written, organisation", [
    ("Surrey County Council: working together to keep children safe.", "Surrey County Council"),
    ("Example NHS Trust - 0-19 Public Health Nursing", "Example NHS Trust"),
])
def test_an_organisation_loses_its_motto_and_the_unit_after_a_dash(written: str, organisation: str) -> None:
    from extraction.organisations import tidy_organisation

    assert tidy_organisation(written) == organisation


@pytest.mark.parametrize("line", ["My working days are Monday to Thursday", "Direct dial: 01632 960591",
                                  "Gender ............... F", "01632 960341 / 07700 900342", "04/12/2026"])
def test_a_sentence_a_form_row_or_a_number_is_no_organisation(line: str) -> None:
    from extraction.model import Field, Span
    from extraction.organisations import tidy_referrer

    d = Draft("referrer")
    d.offer("organisation", Field(line, 0.8, Span("body", 0, len(line), line)))
    tidy_referrer(d)
    assert d.get("organisation") is None


def test_a_public_body_is_known_by_its_email_domain_and_subdomains() -> None:
    from config.phrasebook import organisation_of

    assert organisation_of("pc.example@hampshire.police.uk") == "Hampshire and Isle of Wight Constabulary"
    assert organisation_of("no-reply@ppn.hampshire.police.uk") == "Hampshire and Isle of Wight Constabulary"
    assert organisation_of("someone@example.org") is None


@pytest.mark.parametrize("written, name", [("Corporal Samuel Kamara", "Samuel Kamara"), ("Maj. Tom Quill", "Tom Quill"),
                                            ("Gareth Quill CPO", "Gareth Quill"), ("LCpl Ana Quill", "Ana Quill")])
def test_a_service_rank_is_no_part_of_a_parents_name(written: str, name: str) -> None:
    from extraction.people import clean_name

    assert clean_name(written)[0] == name


def test_letters_after_a_name_are_no_part_of_it() -> None:
    from extraction.people import clean_name

    assert clean_name("Orin Bellwether RN SCPHN")[0] == "Orin Bellwether"


@pytest.mark.parametrize("organisation", ["Example Sanctuary Network", "Dunmere Athletic Youth FC", "Example Welcome"])
def test_community_groups_clubs_and_networks_are_voluntary(organisation: str) -> None:
    assert referrer_type("a@example.org", None, organisation, None, False) == "voluntary"


@pytest.mark.parametrize("email, org, parent, basis", [
    ("a@quarryhill.example.sch.uk", None, False, "domain"),
    ("a@example.org", "Quarry Hill Primary School", False, "organisation"),
    ("pat@example.com", None, True, "parent_words"),
    ("pat@example.com", None, False, "no_organisation"),
])
def test_the_referrer_type_says_what_it_was_read_from(email, org, parent, basis) -> None:
    from extraction.referrer_types import referrer_type_and_basis

    assert referrer_type_and_basis(email, None, org, None, parent)[1] == basis


@pytest.mark.parametrize("email, org, role, rule", [
    ("a@example.org", "Quarry Hill Primary School", None, "type.organisation#referrer_type.organisation.school"),
    ("sam@nhs.net", None, None, "type.domain#referrer_type.domain.health"),
    ("pat@example.com", None, "Designated Safeguarding Lead", "type.role#referrer_type.school_role"),
    ("pat@example.com", None, None, "type.no_organisation"),
])
def test_the_referrer_type_names_the_phrase_it_was_read_from(email, org, role, rule) -> None:
    from config.phrasebook import rule_with_phrase
    from extraction.referrer_types import referrer_type_reading

    _, basis, phrase = referrer_type_reading(email, role, org, None, False)
    assert rule_with_phrase(f"type.{basis}", phrase) == rule


@pytest.mark.parametrize("organisation, kind", [
    ("Step Up Dance Academy", "other"),
    ("Greaves Tuition", "other"),
    ("Hartley & Co Lettings", "other"),
    ("Oakfield Primary Academy", "school"),
])
def test_a_dance_or_tuition_academy_is_a_business_not_a_school(organisation: str, kind: str) -> None:
    from extraction.referrer_types import referrer_type_and_basis
    assert referrer_type_and_basis("someone@example.co.uk", None, organisation, None, False)[0] == kind


@pytest.mark.parametrize("says", [
    "I'm the stepdad of Leah and Mason Quennell (they have their mum's surname).",
    "I AM THEIR DAD. Leah and Mason Quennell have not been to school since July.",
    "I'm the father of Leah Quennell (11) and Mason Quennell (9). I don't live with them.",
])
def test_a_writer_who_says_they_are_the_childrens_parent_is_a_parent_referrer(extraction_context, says) -> None:
    from extraction.extract import extract_file
    from tests.extraction.mail import email_bytes

    mail = email_bytes(f"Hello,\n\n{says} Leah was at Cams Hill School until July.\n\nCraig Dunmore\n07700 900365\n",
                       "Craig Dunmore <craig.d77@example.com>", "Children not in school",
                       message_id="<says-parent@example.com>")
    record = extract_file("p.eml", mail, extraction_context)
    assert record["referrer"]["type"]["value"] == "parent"
    assert all((c["last_name"] or {}).get("value") != "Dunmore" for c in record["children"])


def test_a_contact_labelled_with_someone_elses_role_in_the_signature_is_not_the_writers() -> None:
    body = ("He says his dad teaches him at home.\n\nOrin Bellwether\nHead Coach, Marshby Otters Swimming Club\n"
            "Club Welfare Officer: welfare@otters.example.org\nSafeguarding Lead: 01632 960222\nMobile: 07700 900111\n")
    author = find_author(_message(body, "A swimmer", "coach@otters.example.org", "Orin Bellwether"))
    draft = Draft("referrer")
    read_signature(author, draft)
    assert draft.get("phone") == "07700900111" and draft.get("email") is None


def _signed(body: str, sender: str = "shop@example.org", name: str = "Quill's News") -> dict[str, str]:
    author = find_author(_message(body, "Two boys", sender, name))
    draft = Draft("referrer")
    read_signature(author, draft)
    read_own_phone(author, draft)
    return {k: f.value for k, f in draft.fields.items()}


def test_a_signature_with_no_sign_off_under_a_shop_s_mailbox_gives_the_writer() -> None:
    body = ("Two lads come in most mornings, never in uniform.\n\nOrin Quill\nProprietor\n"
            "Quill's News & Convenience\n01632 960 337\n\n")
    assert _signed(body) == {"name": "Orin Quill", "role": "Proprietor", "organisation": "Quill's News & Convenience",
                             "phone": "01632960337"}


def test_a_job_and_employer_in_brackets_under_the_name_are_read_without_the_brackets() -> None:
    body = ("I drive the school run. Mine is 07700 900418 if you need me.\n\nCheers\nOrin Quill\n"
            "(Driver, Meonside Travel)\n")
    assert _signed(body, "oq@example.org", "Orin Quill") == {
        "name": "Orin Quill", "role": "Driver", "organisation": "Meonside Travel", "phone": "07700900418"}


@pytest.mark.parametrize("raw", ["SafeSpace Kids", "Tull's News", "Admissions Team", "Oakridge Academy"])
def test_an_organisations_mailbox_name_is_not_a_person(raw: str) -> None:
    assert display_name(raw) is None


def test_the_name_signed_again_under_the_writers_details_is_not_their_organisation() -> None:
    body = ("Please send me what you hold about my son.\n\nMy details:\nPetra Quill\n4 Tamarisk Gardens, Gosport "
            "PO13 0TJ\n07700 900 848\n\nI look forward to your response within one calendar month.\n\nPetra Quill\n")
    assert _signed(body, "pq@example.org", "Petra Quill") == {"name": "Petra Quill", "phone": "07700900848"}


def test_a_signature_on_one_line_separated_by_bars_gives_each_detail() -> None:
    body = ("Details as per subject line.\n\nSarah\n\nSarah Long | School Nurse | Marshby School Nursing Team | "
            "07700 900862\n\nGet Outlook for iOS\n")
    assert _signed(body, "sarah.long@example.org", "Sarah Long") == {
        "name": "Sarah Long", "role": "School Nurse", "organisation": "Marshby School Nursing Team", "phone": "07700900862"}


def test_a_business_under_the_name_is_the_organisation_not_a_job() -> None:
    body = "I tutor her in maths.\n\nKind regards,\nPriya Raman\nRaman Maths Tuition | 07700 900 385\n"
    assert _signed(body, "priya@example.org", "Priya Raman") == {
        "name": "Priya Raman", "organisation": "Raman Maths Tuition", "phone": "07700900385"}


def test_best_to_get_me_on_gives_the_writers_phone() -> None:
    body = "im away driving most of the week, best to get me on +44 7700 900815 or this email.\n\ncheers\nLee\n"
    assert _signed(body, "lee@example.org", "Lee Quill").get("phone") == "07700900815"


def test_the_street_under_a_schools_name_in_a_signature_is_not_the_organisation() -> None:
    body = ("Please see the three pupils below.\n\nMany thanks,\nOrla Quill\nAttendance Officer\nQuarry Hill School\n"
            "Shakespeare Road, Oakhurst\nTel: 01632 960 337\n")
    got = _signed(body, sender="o.quill@quarryhill.example.sch.uk", name="Orla Quill")
    assert (got["role"], got["organisation"]) == ("Attendance Officer", "Quarry Hill School")


def test_the_services_own_address_in_a_letter_is_never_the_referrers(extraction_context) -> None:
    from tests.extraction.mail import extract_mail

    body = ("To: Children Missing Education Team\nBy email: cme@hants.gov.uk\n\nRe: Tamsin Quill, DOB 09/05/2016\n\n"
            "I am writing about Tamsin, who has not been at school since September.\n\nDr Orla Pellworth\nGP Partner\n")
    record = extract_mail(extraction_context, body, "Orla Pellworth <orla.pellworth@nhs.net>")
    assert record["referrer"]["email"]["value"] == "orla.pellworth@nhs.net"
    assert record["acknowledge"] is True


@pytest.mark.parametrize("signature, name, organisation", [
    ("Imran Quillon MRPharmS\nPharmacist\nQuarry Hill Pharmacy\n01632 960111", "Imran Quillon", "Quarry Hill Pharmacy"),
    ("Jo Pellworth RGN, BSc (Hons)\nSchool Nurse\nExample Healthcare NHS Trust", "Jo Pellworth",
     "Example Healthcare NHS Trust"),
    # signed with a short name, the full name beneath it
    ("Bev\n\nBeverley Quillon\nReceptionist\nQuarry Hill Junior School", "Beverley Quillon", "Quarry Hill Junior School"),
    # a priest's title, and a verse under the signature is no organisation
    ("Fr Tony Quill\nSchool Chaplain\n\"Let the little children come to me\"\n01632 960566", "Tony Quill", None),
])
def test_letters_titles_and_verses_around_a_signature_are_not_the_writers_name_or_body(
        extraction_context, signature: str, name: str, organisation: str | None) -> None:
    from tests.extraction.mail import extract_mail

    body = f"Hello,\n\nTamsin Quill (DOB 09/05/2016) has not been at school since September.\n\nRegards,\n\n{signature}\n"
    referrer = extract_mail(extraction_context, body, "office@example.org")["referrer"]
    assert referrer["name"]["value"] == name
    got = (referrer["organisation"] or {}).get("value")
    assert got == organisation if organisation else not (got or "").startswith('"')


def test_a_signature_line_of_office_hours_is_not_the_organisation(extraction_context) -> None:
    record = extract_mail(extraction_context, "Please can someone contact the family of Kit Ober (Year 3), not seen "
                          "since 2 October.\n\nKind regards\n\nLorna Pike\nSchool Business Support Officer\nOakridge "
                          "Junior School\nTel: 01632 960144\nOffice hours 8.15am - 3.45pm\n",
                          "Oakridge Office <office@oakridge.hants.sch.uk>")
    assert record["referrer"]["organisation"]["value"] == "Oakridge Junior School"


def test_a_list_of_checks_completed_by_us_is_not_the_referrers_name(extraction_context) -> None:
    body = ("Could you check whether Kai Thornby (DOB 22/01/2016) is known to Hampshire?\n\nChecks completed by us: Lost "
            "Pupil Database (no match), S2S (no CTF request), MASH (not open).\n\nMany thanks\n\nPriya Rowe\nCME & "
            "Admissions Officer\nPortsmouth City Council\n")
    record = extract_mail(extraction_context, body, "Priya Rowe <priya.rowe@portsmouthcc.gov.uk>")
    assert record["referrer"]["name"]["value"] == "Priya Rowe"


def test_a_clinic_letters_dictated_line_is_not_the_organisation(extraction_context) -> None:
    body = ("I reviewed Poppy Harlow, who is 12, in clinic today; she is not on the roll of any school.\n\nYours sincerely\n\n"
            "Dr Anjali Menon\nConsultant Paediatrician\nDictated but not read - electronically approved\n")
    record = extract_mail(extraction_context, body, "Anjali Menon <anjali.menon3@nhs.net>")
    assert record["referrer"]["organisation"] is None or "Dictated" not in record["referrer"]["organisation"]["value"]


def test_a_reply_written_under_the_message_it_quotes_is_the_writers(extraction_context) -> None:
    from tests.extraction.mail import extract_mail

    body = ("\n-----Original Message-----\nFrom: Children Missing Education <cme@hants.gov.uk>\nSent: 07 October 2026 "
            "10:14\nTo: Office <office@oakfield.example.sch.uk>\nSubject: CME-2026-00402 request for information\n\n"
            "Dear colleague,\n\nCould you please confirm whether Oliver is on roll with you.\n\nKind regards\n"
            "Sue Halstead\nCME Officer\nHampshire County Council\n\n\nHi Sue\nYes Oliver was with us, he last came in on "
            "Friday 2nd October. Mum is Stacey Penfold 07700 900655, we have tried her 3 times.\nThanks\nCarol\n\n"
            "Carol Ansty\nOffice Manager\nOakfield Primary School\n")
    record = extract_mail(extraction_context, body, "Office <office@oakfield.example.sch.uk>",
                          subject="RE: CME-2026-00402 request for information")
    assert record["referrer"]["name"]["value"] == "Carol Ansty"
    assert [(p["name"]["value"], p["phone"]["value"]) for p in record["parents_carers"]] == [
        ("Stacey Penfold", "07700900655")]


def test_a_forwarder_who_gives_the_childs_address_is_the_referrer_not_the_parent_below(extraction_context) -> None:
    from tests.extraction.mail import extract_mail

    body = ("Good morning,\n\nPlease see below, forwarded at the request of our Headteacher. Mia Castellano (Year 8) "
            "will be coming off roll once the family leave.\n\nAddress we hold is 6 Salterns Close, Hayling Island "
            "PO11 9PX.\n\nKind regards\n\nAngela Ruddock\nSchool Business Manager\nOakfield College\n01632 960331\n\n"
            "From: Sofia Castellano <sofia.c@example.com>\nSent: 16 November 2026 07:41\nTo: Office "
            "<office@oakfield.example.sch.uk>\nSubject: Mia - leaving\n\nDear Mrs Whitfield,\n\nOur family will be "
            "moving to Spain next week.\n\nBest regards,\nSofia Castellano (Mia's mum)\n")
    record = extract_mail(extraction_context, body, "Angela Ruddock <a.ruddock@oakfield.example.sch.uk>",
                          subject="FW: Mia - leaving")
    assert record["referrer"]["name"]["value"] == "Angela Ruddock"
    assert record["referrer"]["email"]["value"] == "a.ruddock@oakfield.example.sch.uk"


@pytest.mark.parametrize("signature, organisation", [
    # the school's town and county under its name
    ("Dawn Quillet\nAttendance & Welfare Lead\nThe Vyne Community School\nBasingstoke, Hampshire\nT: 01632 960214",
     "The Vyne Community School"),
    # the council, its building and its town on one piped line
    ("Claire Quillet\nChildren Missing Education Officer\nEducation Welfare & Inclusion | Children's Services\n"
     "Isle of Wight Council | County Hall | Newport\nTel: 01632 960540", "Isle of Wight Council"),
    # the team above the body it belongs to
    ("Bilal Quillet\nTemporary Accommodation Officer\nHousing Needs Service\nLondon Borough of Sutton\n"
     "Tel: 01632 960284", "London Borough of Sutton"),
])
def test_the_organisation_is_the_body_a_signature_names_not_its_town_building_or_team(
        extraction_context, signature: str, organisation: str) -> None:
    body = f"Hello,\n\nTamsin Quill (DOB 09/05/2016) has not been at school since September.\n\nRegards,\n\n{signature}\n"
    referrer = extract_mail(extraction_context, body, "someone@example.org")["referrer"]
    assert referrer["organisation"]["value"] == organisation


def test_a_note_typed_up_under_the_senders_signature_is_read_and_the_sender_stays_the_referrer(
        extraction_context) -> None:
    body = ("Hello,\n\nOne of the men on our wing asked me to send the note below to whoever deals with children not "
            "being in school. I have typed it up word for word.\n\nThanks,\nNicola\n\nNicola Quarrell\nFamily Liaison "
            "Officer\nHMP Winchester\nTel: 01632 960612\n\nOFFICIAL-SENSITIVE\n\n"
            "------------------------------------------------------------\nNote from Craig Dunmore (typed up 02/12/2026)\n"
            "------------------------------------------------------------\n\nTo who it may concern\n\nMy name is Craig "
            "Dunmore I am the dad of Mason Dunmore born 8/12/2013. The kids live with there mum at Flat 7 Kestrel House, "
            "Cricketers Way, Andover SP10 5RB. Mason told me he dont go to school no more.\n\nThank you\nCraig Dunmore\n")
    record = extract_mail(extraction_context, body, '"Quarrell, Nicola" <nicola.quarrell@justice.gov.uk>')
    assert record["referrer"]["name"]["value"] == "Nicola Quarrell"
    assert record["referrer"]["organisation"]["value"] == "HMP Winchester"
    child = record["children"][0]
    assert (child["first_name"]["value"], child["date_of_birth"]["value"]) == ("Mason", "2013-12-08")
    assert child["address"]["postcode"]["value"] == "SP10 5RB"


def test_a_grandmother_who_misspells_granddaughter_writes_as_a_relative_and_her_daughter_is_the_mother(
        extraction_context) -> None:
    body = ("Dear Sir/Madam\n\ni am writting about my grandaughter Kayleigh-Mae Quillon she is 9 (born 14th july 2017) "
            "and she has not been to school since her and her mum moved to Fareham.\n\nHer mum is my daughter Stacey "
            "Pullet they are living at Flat 4 19 Gudge Heath Lane Fareham PO15 5BD.\n\nyou can ring me on 07700 900237."
            "\n\nThank you\nMaureen Pullet (nan)\n")
    record = extract_mail(extraction_context, body, "Derek Pullet <derek.pullet@example.com>")
    assert [c["first_name"]["value"] for c in record["children"]] == ["Kayleigh-Mae"]
    assert [(p["name"]["value"], p["relationship"]["value"]) for p in record["parents_carers"]] == [
        ("Stacey Pullet", "mother")]
    assert record["referrer"]["type"]["value"] == "public"


def test_a_parents_message_passed_on_keeps_the_parents_own_contact_not_the_forwarders(extraction_context) -> None:
    body = ("Hi Hampshire CME,\n\nThis came into our admissions inbox over the weekend. Passing it on.\n\nThanks,\nLisa\n\n"
            "Lisa Quarrie\nSchool Admissions Officer\nPortsmouth City Council\nTel: 01632 960247\n\n"
            "From: Rania Quillam <rania.quillam@example.com>\nSent: Saturday, October 17, 2026 9:37 PM\n"
            "To: Admissions <admissions@portsmouthcc.gov.uk>\nSubject: School place\n\nHello,\n\nI want to apply school "
            "place for my two children. We live at 33 Lavender Gardens, Waterlooville PO7 8QE.\n\nMy daughter Amira "
            "Quillam 04/05/2015 - year 7\n\nThey did not go to school since we moved. My number is 07700900662.\n\n"
            "Thank you\nRania Quillam\n")
    referrer = extract_mail(extraction_context, body, "Lisa Quarrie <lisa.quarrie@portsmouthcc.gov.uk>",
                            subject="FW: School place")["referrer"]
    assert referrer["name"]["value"] == "Rania Quillam"
    assert referrer["phone"]["value"] == "07700900662"
    assert referrer["organisation"] is None


@pytest.mark.parametrize("body, phone", [
    ("He has been at home with me since.\n\nMy UK mobile is 07700 900953 (my Irish one won't work here).\n\n"
     "Many thanks,\nLee\n", "07700900953"),
    ("Not in since Monday. Can someone ring me 07700900808 cheers Lee (dad)\n", "07700900808"),
    ("Not in since Monday.\n\nCan someone ring me on the school number 01632 960218 after 1pm?\n\nThanks\nLee\n",
     "01632960218"),
])
def test_the_writers_own_number_said_in_their_words_is_theirs(body: str, phone: str) -> None:
    assert _signed(body, "lee@example.org", "Lee Quill").get("phone") == phone


def test_a_relatives_number_in_the_writers_words_is_not_the_writers() -> None:
    body = "Not in since Monday. My uncles number is 07700 900119 if you need him.\n\nLee\n"
    assert _signed(body, "lee@example.org", "Lee Quill").get("phone") is None


@pytest.mark.parametrize("body", [
    "my sun is not in skool sins we moovd in the sumer. he is 12.\n\npleas can sum1 help\n\ndarren (tylers dad)\n",
    "Is there any help with uniform? My two are both at Cranbourne. I'm a single mum on universal credit.\n\nLeanne\n",
])
def test_a_parent_who_says_so_in_passing_is_a_parent(extraction_context, body: str) -> None:
    record = extract_mail(extraction_context, body, "Darren Quill <dq79@example.com>")
    assert record["referrer"]["type"]["value"] == "parent"


@pytest.mark.parametrize("email, organisation, kind", [
    ("t.officer@meonvalleyhomes.example.org.uk", "Meon Valley Homes", "other"),  # a housing provider
    ("h.officer@solentvale.example.org.uk", "Solent Vale Housing Association", "other"),
    ("p.officer@justice.gov.uk", "The Probation Service", "other"),
    ("n.officer@housing.example.gov.uk", "Test Valley Housing Options", "local_authority"),  # the council's own team
    ("m.worker@saferhomes.example.org.uk", "Safer Homes Hampshire", "voluntary"),  # a charity with "Homes" in its name
    ("v@pantry.example.org.uk", "Eastleigh Community Pantry", "voluntary"),
])
def test_housing_providers_and_probation_are_neither_council_nor_charity(email: str, organisation: str,
                                                                        kind: str) -> None:
    assert referrer_type(email, None, organisation, None, False) == kind


def test_grandparents_who_are_special_guardians_of_their_grandchildren_write_as_their_carers(extraction_context) -> None:
    body = ("Dear Sir or Madam\n\nMy husband and I are special guardians for our two grandchildren, Basil Quill (born "
            "3rd June 2015) and Otto Quill (born 19th December 2017). We moved to Ringwood in October and they have "
            "had no school since.\n\nYours faithfully\n\nPauline Stainer (Mrs)\n")
    record = extract_mail(extraction_context, body, "Pauline Stainer <pauline.stainer@example.co.uk>")
    assert record["referrer"]["type"]["value"] == "parent"
    assert [(p["name"]["value"], p["relationship"]["value"]) for p in record["parents_carers"]] == [
        ("Pauline Stainer", "grandmother")]


def test_a_school_office_asking_to_take_a_pupil_off_roll_names_the_pupil_and_the_school(extraction_context) -> None:
    body = "Can you remove Marigold Quill from our roll she has moved to Devon. DOB 04/05/2018\n\nThanks Karen\n\n" \
           "Sent from my iPhone\n"
    record = extract_mail(extraction_context, body, "Grange Junior School Office <office@grangejunior.example.com>",
                          subject="Roll")
    referrer = {k: (v or {}).get("value") for k, v in record["referrer"].items()}
    assert (referrer["name"], referrer["organisation"], referrer["type"]) == ("Karen", "Grange Junior School", "school")
    assert [(c["first_name"]["value"], c["last_name"]["value"], c["date_of_birth"]["value"])
            for c in record["children"]] == [("Marigold", "Quill", "2018-05-04")]


def test_the_app_a_message_was_sent_from_is_no_organisation(extraction_context) -> None:
    body = ("I AM WRITING ABOUT MY GRANDAUGHTER MARIGOLD QUILL WHO IS 13. She has not been to school since September."
            "\n\nMy phone number is 01632 960418.\n\nKen Example\n(Marigold's grandad)\n\n\n"
            "Sent from the all new AOL app for Android\n")
    record = extract_mail(extraction_context, body, "KEN EXAMPLE <kenexample51@example.com>")
    assert record["referrer"]["organisation"] is None


def test_a_faith_leaders_title_in_the_senders_name_does_not_hide_the_signature(extraction_context) -> None:
    body = ("Could someone from your team advise me what I should do about a boy of 12 who attends our centre all day?"
            "\n\nJazakAllahu khayran (thank you),\n\nYusuf Example\nImam & Education Lead\nNorth Hampshire Islamic Centre\n"
            "Tel: 01632 960839\n")
    record = extract_mail(extraction_context, body, "Imam Yusuf Example <education@example-centre.org.uk>")
    referrer = {k: (v or {}).get("value") for k, v in record["referrer"].items()}
    assert (referrer["name"], referrer["role"], referrer["organisation"]) == (
        "Yusuf Example", "Imam & Education Lead", "North Hampshire Islamic Centre")


@pytest.mark.parametrize("line", ["Safe Haven Example (Registered charity no. 1098765)",
                                  "Safe Haven Example is a registered charity no. 1098765"])
def test_a_charitys_registration_beside_its_name_leaves_the_name(extraction_context, line: str) -> None:
    body = (f"Two children in our refuge have no school place.\n\nThank you,\n\nLucy Example\nChildren's Support Worker\n"
            f"{line}\nMobile: 07700 900452\n")
    record = extract_mail(extraction_context, body, "Lucy Example <l.example@safehaven.example.org.uk>")
    assert record["referrer"]["organisation"]["value"] == "Safe Haven Example"


def test_another_councils_answer_over_our_enquiry_is_from_its_officer_not_the_child_in_our_quoted_lines(
        extraction_context) -> None:
    body = ("Hi Rebecca,\n\nThe child and family below are not known to Essex County Council.\n\nKind regards\n\n"
            "Joanne Example\nChildren Missing Education Officer\nEducation Access | Essex County Council\n"
            "Tel: 0113 496 0218\n\n"
            "From: Children Missing Education <cme@hants.gov.uk>\nSent: 07 October 2026 11:48\n"
            "To: Education Access CME <cme.enquiries@essex.example.gov.uk>\nSubject: CME-2026-01098 - Enquiry\n\n"
            "Dear Colleague,\n\nHampshire CME is trying to trace the child below.\n\nName: Basil QUILL\nDOB: 28/02/2012\n"
            "School: Portchester Community School (Year 10)\n\nKind regards\n\nRebecca Example\n"
            "Children Missing Education Officer\n")
    record = extract_mail(extraction_context, body, "Joanne Example <joanne.example@essex.example.gov.uk>",
                          subject="RE: CME-2026-01098 - Enquiry")
    referrer = {k: (v or {}).get("value") for k, v in record["referrer"].items()}
    assert (referrer["name"], referrer["organisation"]) == ("Joanne Example", "Essex County Council")


@pytest.mark.parametrize("body", [
    "Please can you look into Kit Ober (Year 3), not seen in school since 2nd October.\n\nKind regards\n\n"
    "Mrs J Featherstone\nDeputy Headteacher\nExample Junior School\n",
    "CME referral\n\nChild's name: Kit Ober\nDate of birth: 04/05/2018\n\nCompleted by: J. Featherstone\n"
    "Role: Deputy Headteacher\n",
])
def test_a_writer_signing_with_an_initial_is_named_in_full_from_the_sender(extraction_context, body: str) -> None:
    referrer = extract_mail(extraction_context, body, "Joanne Featherstone <j.featherstone@example.sch.uk>")["referrer"]
    assert referrer["name"]["value"] == "Joanne Featherstone"


def test_an_initial_that_is_not_the_senders_keeps_the_signed_name(extraction_context) -> None:
    body = ("Please can you look into Kit Ober (Year 3), not seen in school since 2nd October.\n\nKind regards\n\n"
            "K Lacey\nAttendance Officer\nExample Junior School\n")
    referrer = extract_mail(extraction_context, body, "Debbie Rowe <d.rowe@example.sch.uk>")["referrer"]
    assert referrer["name"]["value"] == "K Lacey"


@pytest.mark.parametrize("sender, signature, job, organisation", [
    # a hyphenated given name under no sign-off
    ("Kerry-Anne Walsh <kerry-anne.walsh@example.net>", "Please treat this as urgent.\n\nKerry-Anne Walsh\nSchool Nurse\n"
     "Oakhurst Public Health Nursing Service\nMobile: 07700 900914\n", "School Nurse",
     "Oakhurst Public Health Nursing Service"),
    # one line split by bars, longer than a name's line
    ("Sophie Lang <sophie.lang@example.net>", "\nSophie Lang | Senior Staff Nurse (Paediatrics) | Oakhurst Hospitals NHS "
     "Foundation Trust\n", "Senior Staff Nurse (Paediatrics)", "Oakhurst Hospitals NHS Foundation Trust"),
])
def test_a_signature_without_a_sign_off_gives_the_job_and_organisation(extraction_context, sender: str, signature: str,
                                                                         job: str, organisation: str) -> None:
    body = "Kit Ober (Year 3) has not been seen in school since 2nd October and the family do not answer.\n" + signature
    referrer = extract_mail(extraction_context, body, sender)["referrer"]
    assert (referrer["role"]["value"], referrer["organisation"]["value"]) == (job, organisation)


def test_a_writer_whose_signature_gives_their_own_email_under_a_table_is_still_named(extraction_context) -> None:
    body = ("Dear colleague,\n\nWe are trying to trace two siblings believed to have moved to your area:\n\n"
            "Surname\tForename\tDOB\tGender\tYear\n"
            "QUILL\tAmber\t14/03/2016\tF\tY5\n"
            "QUILL\tRiley\t30/09/2018\tM\tY3\n\n"
            "Last known address: 17 Barossa Road, Camberley GU15 4JF\n\nKind regards,\n\n"
            "Priya Raman\nChildren Missing Education Officer\nSurrey County Council\nTel: 01632 960882\n"
            "Email: priya.raman@surreycc.example.gov.uk\n")
    referrer = extract_mail(extraction_context, body, "Priya Raman <priya.raman@surreycc.example.gov.uk>")["referrer"]
    assert referrer["name"]["value"] == "Priya Raman"


def test_a_signature_after_the_dash_dash_delimiter_gives_the_job_not_the_name_again(extraction_context) -> None:
    body = ("Morning,\n\nPlease see below: Isla Quill (Y4) has left us for Scotland.\n\nThanks,\nLorraine\n\n--\n"
            "Lorraine Haskins\nOffice Manager\nExample Heath Primary School\nTel: 01632 960372\n")
    referrer = extract_mail(extraction_context, body, "Lorraine Haskins <l.haskins@example.sch.uk>")["referrer"]
    assert (referrer["name"]["value"], referrer["role"]["value"]) == ("Lorraine Haskins", "Office Manager")
