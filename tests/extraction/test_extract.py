"""extract_file end to end on fictitious emails: the record has the contract's shape and fields point at words."""
from email.message import EmailMessage

import pytest

from config.settings import load_settings
from extraction.context import ExtractionContext, build_context
from extraction.extract import extract_file, extract_referral
from extraction.nlp import build_nlp
from extraction.schools import SchoolRegister
from parsers.message import ParsedMessage, TextSource
from parsers.mime import parse_message

REGISTER = "URN,EstablishmentName,LA (code)\n900001,Quarry Hill Primary School,850\n900002,Oakhurst Junior School,850\n"
TOP_KEYS = {"schema", "source", "category", "case_reference", "urgent", "safeguarding", "acknowledge",
            "needs_review", "review_reasons", "referrer", "children", "parents_carers"}
CHILD_KEYS = {"first_name", "last_name", "date_of_birth", "gender", "upn", "address", "school", "date_last_attended"}

REFERRAL = """Dear CME Team,

I am writing about Marigold Whistledown (DOB 03/04/2015), who has not attended Quarry Hill Primary School since 19/06/2026.
She lives with her mother, Petra Whistledown, at 8 Lark Rise, Oakhurst, RG24 9ZZ. Mum's mobile: 07700 900123.
Marigold's UPN is B801200005001.

Kind regards

Orin Bellwether
Attendance Officer
Quarry Hill Primary School
Tel: 01632 960111
"""


@pytest.fixture(scope="module")
def context() -> ExtractionContext:
    return ExtractionContext(nlp=build_nlp("blank"), register=SchoolRegister.from_csv_text(REGISTER),
                             own_addresses=frozenset({"cme@example.org"}), inbox="cme@example.org")


def _email(body: str, sender: str = "Orin Bellwether <o.bellwether@quarryhill.example.sch.uk>",
           subject: str = "CME referral", attachments: tuple[tuple[bytes, str, str], ...] = (), **headers: str) -> bytes:
    msg = EmailMessage()
    msg["From"] = sender
    msg["To"] = "cme@example.org"
    msg["Subject"] = subject
    msg["Date"] = "Tue, 22 Sep 2026 09:30:00 +0100"
    msg["Message-ID"] = "<test-1@example.org>"
    for name, value in headers.items():
        msg[name.replace("_", "-")] = value
    msg.set_content(body)
    for data, content_type, filename in attachments:
        maintype, subtype = content_type.split("/")
        msg.add_attachment(data, maintype=maintype, subtype=subtype, filename=filename)
    return msg.as_bytes()


def _check_field(f: object, texts: dict[str, str]) -> None:
    assert isinstance(f, dict) and set(f) == {"value", "confidence", "source"}
    assert isinstance(f["value"], str) and 0.0 <= f["confidence"] <= 1.0
    src = f["source"]
    assert set(src) == {"part", "start", "end", "text", "rule"}
    assert src["rule"], "every value names the rule that produced it"
    if src["part"] != "derived":
        assert texts[src["part"]][src["start"]:src["end"]] == src["text"]


def _check_shape(record: dict, data: bytes) -> None:
    assert set(record) == TOP_KEYS and record["schema"] == "cme-referral/1"
    texts = {s.part: s.text for s in parse_message(data, "x.eml").sources}
    fields = [v for v in record["referrer"].values()]
    for child in record["children"]:
        assert set(child) == CHILD_KEYS
        fields += [child[k] for k in CHILD_KEYS - {"address", "school"}]
        fields += list(child["address"].values()) + list(child["school"].values())
    for parent in record["parents_carers"]:
        assert set(parent) == {"name", "relationship", "phone", "email"}
        fields += list(parent.values())
    for f in fields:
        if f is not None:
            _check_field(f, texts)


def test_referral_record_has_contract_shape_and_values(context: ExtractionContext) -> None:
    data = _email(REFERRAL)
    record = extract_file("r1.eml", data, context)
    _check_shape(record, data)
    assert record["category"] == "cme_referral" and record["acknowledge"] is True
    (child,) = record["children"]
    value = {k: (v["value"] if v else None) for k, v in child.items() if k not in ("address", "school")}
    assert value == {"first_name": "Marigold", "last_name": "Whistledown", "date_of_birth": "2015-04-03",
                     "gender": "female", "upn": "B801200005001", "date_last_attended": "2026-06-19"}
    assert {k: v["value"] for k, v in child["address"].items()} == {
        "line1": "8 Lark Rise", "town": "Oakhurst", "postcode": "RG24 9ZZ"}
    assert child["school"]["name"]["value"] == "Quarry Hill Primary School"
    assert child["school"]["urn"] == {"value": "900001", "confidence": child["school"]["urn"]["confidence"],
                                      "source": {"part": "derived", "start": None, "end": None,
                                                 "text": "URN of Quarry Hill Primary School in the school register",
                                                 "rule": "register.urn." + child["school"]["name"]["source"]["rule"]}}
    (parent,) = record["parents_carers"]
    assert (parent["name"]["value"], parent["relationship"]["value"], parent["phone"]["value"]) == (
        "Petra Whistledown", "mother", "07700900123")
    ref = {k: (v["value"] if v else None) for k, v in record["referrer"].items()}
    assert ref == {"name": "Orin Bellwether", "role": "Attendance Officer", "organisation": "Quarry Hill Primary School",
                   "email": "o.bellwether@quarryhill.example.sch.uk", "phone": "01632960111", "type": "school"}


def test_form_robot_acknowledges_the_person_in_the_form(context: ExtractionContext) -> None:
    body = ("A new submission has been received.\nYour full name: Petra Whistledown\n"
            "Your email address: Petra.W@example.com\nChild's name: Basil Whistledown\n"
            "Date of birth: 30/06/2016\n")
    data = _email(body, sender="Forms <no-reply@forms.example.org>", subject="Form submission")
    record = extract_file("r2.eml", data, context)
    _check_shape(record, data)
    assert record["referrer"]["email"]["value"] == "petra.w@example.com"
    assert record["referrer"]["name"]["value"] == "Petra Whistledown"
    assert record["acknowledge"] is True


def test_urgent_record_always_needs_review(context: ExtractionContext) -> None:
    body = REFERRAL.replace("Marigold's UPN", "We believe Marigold is being sexually exploited and she has been "
                            "reported missing from home twice this month. Marigold's UPN")
    record = extract_file("r3.eml", _email(body), context)
    assert record["urgent"] is True and record["needs_review"] is True
    assert any(r.startswith("Urgent") for r in record["review_reasons"])


def test_problems_become_review_sentences(context: ExtractionContext) -> None:
    body = REFERRAL.replace("B801200005001", "A801200005001").replace("RG24 9ZZ", "PO4 8AA")
    record = extract_file("r4.eml", _email(body), context)
    assert record["children"][0]["upn"] is None
    assert record["needs_review"] is True
    assert "The UPN given fails its check letter, so it is left out." in record["review_reasons"]
    assert any("Portsmouth" in r for r in record["review_reasons"])


def test_unreadable_file_gives_the_error_line(context: ExtractionContext) -> None:
    record = extract_file("junk.eml", b"\x00\x01 not an email at all \xff", context)
    assert set(record) == {"schema", "source", "error"} and record["source"]["file"] == "junk.eml"
    assert record["error"]


def test_start_up_context_loads_the_model_with_rules_before_ner() -> None:
    context = build_context(load_settings({}))
    names = context.nlp.pipe_names
    assert names.index("entity_ruler") < names.index("ner")
    assert len(context.register) > 100 and context.inbox


def test_blank_or_missing_model_runs_on_rules() -> None:
    nlp = build_nlp("no_such_model_installed")
    assert nlp.pipe_names == ["entity_ruler"]
    doc = nlp("Postcode RG24 9ZZ, mum")
    assert {e.label_ for e in doc.ents} >= {"POSTCODE", "REL"}


def test_parent_writing_about_their_own_child(context: ExtractionContext) -> None:
    body = ("Dear Sir or Madam,\n\nI am writing to tell you that I will be educating my daughter, Ottoline, at home "
            "from Monday. Ottoline Hollin (DOB 12/01/2016) is in Year 5 at Oakhurst Junior School.\n\n"
            "Yours faithfully,\n\nDora Hollin (Mrs)\n07700 900321\n")
    data = _email(body, sender="Dora Hollin <dora.hollin@example.com>", subject="Home education")
    record = extract_file("r5.eml", data, context)
    _check_shape(record, data)
    assert record["referrer"]["type"]["value"] == "parent"
    (parent,) = record["parents_carers"]
    assert (parent["name"]["value"], parent["relationship"]["value"], parent["email"]["value"]) == (
        "Dora Hollin", "mother", "dora.hollin@example.com")


def test_fewer_children_found_than_the_message_speaks_of(context: ExtractionContext) -> None:
    body = REFERRAL.replace("I am writing about", "I am writing about two children: the elder is")
    record = extract_file("r6.eml", _email(body), context)
    assert "The message speaks of 2 children but 1 could be identified." in record["review_reasons"]
    assert record["needs_review"] is True


def test_a_childs_year_group_is_not_a_count_of_children(context: ExtractionContext) -> None:
    body = REFERRAL.replace("I am writing about", "One of our Year 5 girls is")
    record = extract_file("r6.eml", _email(body), context)
    assert not any("speaks of" in reason for reason in record["review_reasons"]), record["review_reasons"]


def _parsed(text: str, kind: str, sender: str = "o.bellwether@quarryhill.example.sch.uk") -> ParsedMessage:
    return ParsedMessage(file="p.eml", message_id="<p@example.org>", from_address=sender, from_name=None,
                         to=("cme@example.org",), subject="CME referral", date="2026-09-22T09:30:00+01:00",
                         in_reply_to=None, references=(), headers=(),
                         sources=(TextSource("body" if kind == "plain" else "attachment:form", text, kind),))


OCR_SENTENCE = "Some details were read from a scanned form by OCR: check names and dates against it."


@pytest.mark.parametrize("kind, warned", [("plain", False), ("pdf", False), ("pdf-ocr", True), ("image-ocr", True)])
def test_details_read_by_ocr_are_flagged_for_checking(kind: str, warned: bool, context: ExtractionContext) -> None:
    referral = extract_referral(_parsed(REFERRAL, kind), context)
    assert referral.children
    assert (OCR_SENTENCE in referral.review_reasons) is warned


@pytest.mark.parametrize("added, expected", [
    ("We believe Marigold is being sexually exploited.", "signs of harm ("),
    ("We have made a referral to the MASH about Marigold today.", "a safeguarding referral has been made"),
])
def test_urgent_reason_names_the_concern_in_words(added: str, expected: str, context: ExtractionContext) -> None:
    body = REFERRAL.replace("Marigold's UPN", added + " Marigold's UPN")
    record = extract_file("r9.eml", _email(body), context)
    urgent = [r for r in record["review_reasons"] if r.startswith("Urgent")]
    assert record["urgent"] is True and len(urgent) == 1
    assert expected in urgent[0] and "()" not in urgent[0]


@pytest.mark.parametrize("sender, category", [
    ("Hana Quill <h.quill@northshire.gov.uk>", "cme_referral"),        # a colleague of the inbox's own council
    ("Hana Quill <h.quill@southmoor.gov.uk>", "la_enquiry"),           # another council's CME officer
])
def test_the_inbox_own_council_is_not_another_council(sender: str, category: str) -> None:
    own = ExtractionContext(nlp=build_nlp("blank"), register=SchoolRegister.from_csv_text(REGISTER),
                            own_addresses=frozenset({"cme@northshire.gov.uk"}), inbox="cme@northshire.gov.uk")
    body = ("Dear colleague,\n\nMarigold Whistledown (DOB 03/04/2015) has not attended Quarry Hill Primary School "
            "since 19/06/2026 and we cannot reach the family at 8 Lark Rise, Oakhurst, RG24 9ZZ. Could you "
            "check your records?\n\n"
            "Hana Quill\nCME Officer\n")
    record = extract_file("r10.eml", _email(body, sender=sender), own)
    assert record["category"] == category


@pytest.mark.parametrize("sentence, referrer_phone, mum_phone", [
    ("Please contact me rather than mum: 07700 900515.", "07700900515", None),
    ("Please call me on 07700 900515 before visiting.", "07700900515", None),
    ("who do i speak to?? my number 07700 900515", "07700900515", None),
    ("My mobile no. 07700 900515 is best.", "07700900515", None),
    ("Mum's mobile: 07700 900515.", None, "07700900515"),
])
def test_a_phone_in_the_writers_own_sentence_is_the_referrers(sentence: str, referrer_phone: str | None,
                                                              mum_phone: str | None, context: ExtractionContext) -> None:
    body = REFERRAL.replace(" Mum's mobile: 07700 900123.", "").replace("Tel: 01632 960111\n", "")
    record = extract_file("r11.eml", _email(body.replace("Marigold's UPN", sentence + " Marigold's UPN")), context)
    assert (record["referrer"]["phone"] or {}).get("value") == referrer_phone
    (mum,) = record["parents_carers"]
    assert (mum["phone"] or {}).get("value") == mum_phone


@pytest.mark.parametrize("answer, kind, relationship", [
    ("Mother", "parent", "mother"),
    ("Grandad", "parent", "grandfather"),
    ("Neighbour", "public", None),
])
def test_a_form_answer_says_who_wrote(answer: str, kind: str, relationship: str | None,
                                      context: ExtractionContext) -> None:
    body = ("New entry received\n\nChild's full name: Basil Whistledown\nChild's date of birth: 30 Jun 2016\n"
            "Boy or girl: Boy\nWhy are you contacting us?: We moved here and he has no school place yet.\n"
            f"Your name: Petra Whistledown\nYour relationship to the child: {answer}\n"
            "Your email: petra.w@example.com\n")
    record = extract_file("r12.eml", _email(body, sender="Forms <noreply@forms.example.org>"), context)
    assert record["referrer"]["type"]["value"] == kind
    assert record["children"][0]["gender"]["value"] == "male"
    relationships = [(p["relationship"] or {}).get("value") for p in record["parents_carers"]]
    assert relationships == ([relationship] if relationship else [])


@pytest.mark.parametrize("sender, signature, name, kind", [
    ("Pupil Tracing <tracing@southmoor.example.org>", "\nKind regards\n\nHana Quill\n", "Hana Quill", "public"),
    ("News Bulletin <bulletin@news.example.org>", "", None, None),
    ("Hana Quill <hana.q@example.com>", "\nThanks\n\nHana Quill\n", "Hana Quill", "public"),
])
def test_a_mailbox_is_not_the_person_who_signed(sender: str, signature: str, name: str | None, kind: str | None,
                                                context: ExtractionContext) -> None:
    body = "Hello,\n\nI am worried about the boy at number 8 Lark Rise, Oakhurst, who is never at school.\n" + signature
    record = extract_file("r13.eml", _email(body, sender=sender, subject="A boy not in school"), context)
    assert (record["referrer"]["name"] or {}).get("value") == name
    assert (record["referrer"]["type"] or {}).get("value") == kind


@pytest.mark.parametrize("body, last", [
    ("Hi, my son Basil (12) is being bullied so badly that he won't go to school. What can I do?\n\nPetra Quill\n",
     "Quill"),
    ("Hi, our daughter Ottoline is still waiting for a school place.\n\nPetra Quill\n", "Quill"),
    # a neighbour writing about someone else's child gives no family name
    ("Hi, the boy next door, Basil (12), never goes to school.\n\nPetra Quill\n", None),
])
def test_a_parent_writing_of_my_son_gives_the_family_name(body: str, last: str | None,
                                                          context: ExtractionContext) -> None:
    record = extract_file("r14.eml", _email(body, sender="Petra Quill <petra.q@example.com>", subject="school"),
                          context)
    (child,) = record["children"]
    assert (child["last_name"] or {}).get("value") == last


@pytest.mark.parametrize("sentence, kind", [
    ("Basil left us on 6 September and no school has requested his file.", "school"),
    ("Basil came off our roll on 6 September.", "school"),
    ("Basil has been in and out of the centre since September.", "other"),
])
def test_a_writer_speaking_as_a_school_is_school_staff(sentence: str, kind: str, context: ExtractionContext) -> None:
    body = (f"Dear colleagues,\n\nBasil Quill (DOB 30/01/2013, male) is missing education. {sentence}\n"
            "Address: 2 Lark Rise, Oakhurst, RG24 9ZZ\n\nHana Pimm\nFamily Liaison\n")
    record = extract_file("r15.eml", _email(body, sender="Hana Pimm <hana.pimm@example.org>"), context)
    assert record["referrer"]["type"]["value"] == kind


@pytest.mark.parametrize("schools, warned", [
    ("Marigold at Quarry Hill Primary School, Basil at Oakhurst Junior School", False),
    ("Marigold at Quarry Hill Primary School, Basil at home", True),
])
def test_a_sibling_without_a_school_is_checked(schools: str, warned: bool, context: ExtractionContext) -> None:
    body = ("Good morning,\n\nWe are trying to locate Marigold Whistledown (born 08/08/2015) and her brother Basil "
            f"Whistledown (born 21/03/2017). They last attended schools here ({schools}) on 25 August 2026. "
            "A relative has told us that mum, Petra Whistledown, may have moved to 8 Lark Rise, Oakhurst, RG24 9ZZ.\n\n"
            "Kind regards\n\nOrin Bellwether\nAttendance Officer\nQuarry Hill Primary School\n")
    record = extract_file("r16.eml", _email(body), context)
    assert [p["name"]["value"] for p in record["parents_carers"]] == ["Petra Whistledown"]
    sentence = "Basil's school was not identified, though a sibling's was: check it."
    assert (sentence in record["review_reasons"]) is warned


@pytest.mark.parametrize("row, school", [
    ("Last day in school: 13/10/26", None),
    ("School: Tuesday 3rd March", None),
    ("School: Quarry Hill Primary School", "Quarry Hill Primary School"),
    ("School: Marchmont Academy", "Marchmont Academy"),
])
def test_a_date_is_never_a_school(row: str, school: str | None, context: ExtractionContext) -> None:
    from extraction.drafts import Draft
    from extraction.extract import _school
    from extraction.model import Field, Span

    d = Draft("child")
    value = row.split(": ", 1)[1]
    d.offer("school", Field(value, 0.9, Span("body", 0, len(value), value)))
    got = _school(d, context).name
    assert (got.value if got else None) == school


FORM_NOTIFICATION = """A new Children Missing Education referral has been submitted.

Referrer name: Orin Bellwether
Referrer email: o.bellwether@quarryhill.example.sch.uk
Referrer organisation: Quarry Hill Primary School

Child 1 first name: Marigold
Child 1 last name: Whistledown
Child 1 date of birth: 03/04/2015

Child 2 first name: Basil
Child 2 last name: Whistledown
Child 2 date of birth: 11/09/2017

Address: 8 Lark Rise, Oakhurst, RG24 9ZZ
Parent or carer: Petra Whistledown (mother), 07700 900123
"""


@pytest.mark.parametrize("headers", [
    {"Auto_Submitted": "auto-generated"},
    {"Auto_Submitted": "auto-generated", "Precedence": "bulk", "X_Auto_Response_Suppress": "All"},
])
def test_a_form_robots_notification_is_read_as_a_referral_and_its_referrer_acknowledged(
        context: ExtractionContext, headers: dict[str, str]) -> None:
    raw = _email(FORM_NOTIFICATION, sender="Online forms <forms@council.example.gov.uk>",
                 subject="Form submission: CME referral", **headers)
    record = extract_file("f.eml", raw, context)
    assert record["category"] == "cme_referral"
    assert sorted(c["first_name"]["value"] for c in record["children"]) == ["Basil", "Marigold"]
    assert record["acknowledge"] is True
    assert record["referrer"]["email"]["value"] == "o.bellwether@quarryhill.example.sch.uk"


def test_a_form_robots_notification_without_the_referrers_email_is_not_answered(context: ExtractionContext) -> None:
    body = FORM_NOTIFICATION.replace("Referrer email: o.bellwether@quarryhill.example.sch.uk\n", "")
    raw = _email(body, sender="Online forms <forms@council.example.gov.uk>", subject="Form submission",
                 Auto_Submitted="auto-generated")
    record = extract_file("f.eml", raw, context)
    assert record["category"] == "cme_referral" and record["children"]
    assert record["acknowledge"] is False  # never to the robot's own address


def test_an_out_of_office_reply_is_closed_unread_and_names_no_child(context: ExtractionContext) -> None:
    raw = _email("Thank you for your email. I am out of the office until Monday 7 December with no access "
                 "to email. For urgent matters please call the school office.", subject="Out of office",
                 Auto_Submitted="auto-replied")
    record = extract_file("o.eml", raw, context)
    assert record["category"] == "auto_reply"
    assert record["children"] == [] and record["acknowledge"] is False


def test_an_automatic_reply_that_carries_a_childs_details_is_read_and_reviewed(context: ExtractionContext) -> None:
    raw = _email(REFERRAL, subject="Automatic reply: CME referral", Auto_Submitted="auto-replied")
    record = extract_file("a.eml", raw, context)
    assert record["category"] != "auto_reply"
    assert record["children"][0]["first_name"]["value"] == "Marigold"
    assert record["needs_review"] is True


def test_a_secure_mail_notice_naming_no_child_is_not_a_referral(context: ExtractionContext) -> None:
    raw = _email("Hello,\n\nOrin Bellwether (o.bellwether@quarryhill.example.sch.uk) has sent you a secure email.\n"
                 "Read secure message: https://secure.example.org/read?m=1\n", sender="notify@secure.example.org",
                 subject="Secure message from Orin Bellwether: CME referral", Auto_Submitted="auto-generated")
    record = extract_file("s.eml", raw, context)
    assert record["category"] == "other" and record["children"] == [] and record["needs_review"]
    assert any("secure-mail notice" in r for r in record["review_reasons"])


def test_a_bulletin_from_a_mailing_list_that_names_no_child_is_not_a_referral(context: ExtractionContext) -> None:
    raw = _email("This month: children missing education, county lines and FGM reporting duties for schools.",
                 sender="bulletin@partnership.example.org", subject="Partnership bulletin: CME and county lines",
                 List_Id="<bulletin.partnership.example.org>")
    record = extract_file("l.eml", raw, context)
    assert record["category"] == "other" and not record["urgent"] and not record["acknowledge"]


def test_a_partner_systems_bulk_notice_about_a_missing_named_child_is_urgent(context: ExtractionContext) -> None:
    body = ("CHILD CONCERN NOTIFICATION\n\nName : WHISTLEDOWN, Marigold\nDOB : 03/04/2015\n\n"
            "Marigold was reported missing from home by her mother last night and remains missing.\n")
    raw = _email(body, sender="noreply@force.example.police.uk", subject="Child concern notification",
                 Auto_Submitted="auto-generated", Precedence="bulk")
    record = extract_file("p.eml", raw, context)
    assert record["urgent"] and "missing_from_home" in record["safeguarding"]
    assert record["category"] == "cme_referral" and record["needs_review"]


def test_a_contact_written_in_the_same_sentence_as_a_parent_is_that_parents(context: ExtractionContext) -> None:
    body = REFERRAL.replace("Mum's mobile: 07700 900123.",
                            "Mum has not answered the emails we sent to petra.w@example.com.")
    record = extract_file("k.eml", _email(body), context)
    (parent,) = record["parents_carers"]
    assert parent["email"]["value"] == "petra.w@example.com"
    assert parent["email"]["source"]["rule"] == "kin.nearest_contact"


def test_a_fathers_number_is_not_given_to_the_mother_who_shares_his_surname(context: ExtractionContext) -> None:
    body = REFERRAL.replace("Mum's mobile: 07700 900123.",
                            "Her father (Bram Whistledown, 07700 900456) does not answer.")
    record = extract_file("k.eml", _email(body), context)
    petra = next(p for p in record["parents_carers"] if p["name"] and p["name"]["value"] == "Petra Whistledown")
    assert petra["phone"] is None or petra["phone"]["value"] != "07700900456"


def test_explain_shows_each_finding_its_rule_and_why_the_winner_won(context: ExtractionContext) -> None:
    from extraction.extract import explain_file

    body = REFERRAL + "\nDate of birth: 03/04/2015\n"
    text = explain_file("e.eml", _email(body), context)
    assert "child 1" in text and "date_of_birth: '2015-04-03'" in text
    assert "agrees with" in text  # the same date read twice, by two rules
    assert "review reasons" in text and "calibrated probability" in text


def test_a_subject_access_request_naming_a_child_is_not_a_referral(context: ExtractionContext) -> None:
    body = ("Dear Data Protection Officer,\n\nPlease find below my subject access request for the records the CME "
            "service holds about me and my daughter Marigold Whistledown (DOB 03/04/2015).\n\nRegards,\nPetra Whistledown\n")
    record = extract_file("r.eml", _email(body, sender="petra.w@example.com", subject="Subject access request"),
                          context)
    assert record["category"] == "other" and record["needs_review"]
    assert any("subject access request" in r for r in record["review_reasons"])


@pytest.mark.parametrize("sentence", [
    "Marigold was at Quarry Hill until the summer and has not started anywhere since.",
    "Quarry Hill took her off the roll in July.",
])
def test_a_school_written_by_its_distinctive_name_alone_is_found_in_the_register(
        context: ExtractionContext, sentence: str) -> None:
    body = ("Dear CME Team,\n\nI am worried about Marigold Whistledown (DOB 03/04/2015, female), who lives with her "
            f"mother, Petra Whistledown, at 8 Lark Rise, Oakhurst, RG24 9ZZ. {sentence}\n\nPat Doe\n")
    record = extract_file("b.eml", _email(body, sender="Pat Doe <pat.doe@example.org>"), context)
    school = record["children"][0]["school"]
    assert school["name"]["value"] == "Quarry Hill Primary School" and school["urn"]["value"] == "900001"


@pytest.mark.parametrize("closing", ["Petra Whistledown (Marigold's mum)", "As her mum I just want her back in school.\n\nPetra Whistledown"])
def test_a_parent_who_writes_says_which_parent_they_are_in_the_signature_or_the_text(
        context: ExtractionContext, closing: str) -> None:
    body = ("Hello,\n\nMy daughter Marigold Whistledown (DOB 03/04/2015) has had no school place since we moved to "
            f"8 Lark Rise, Oakhurst, RG24 9ZZ in July.\n\n{closing}\n")
    record = extract_file("p.eml", _email(body, sender="Petra Whistledown <petra.w@example.com>"), context)
    petra = next(p for p in record["parents_carers"] if p["name"] and p["name"]["value"] == "Petra Whistledown")
    assert petra["relationship"]["value"] == "mother"


GRANDMOTHER = """Dear Sir or Madam,

My grandchildren, Basil Quill and Ottoline Quill, moved with their mother from Oakhurst to 14 Tern Close,
Gosport, PO12 3QW before Easter, and I do not believe either child has been to school since. I simply wish
them to be in school, as they ought to be. My daughter tells me it is being sorted.

Yours faithfully,

Mrs Petra Whistledown
(maternal grandmother)
3 Orchard Lea
Four Marks
Alton GU34 5EF
"""


def value(f: object) -> object:
    return getattr(f, "value", None)


def test_a_grandparent_writing_from_home_is_neither_a_parent_nor_an_organisation(context: ExtractionContext) -> None:
    referral = extract_referral(parse_message(_email(GRANDMOTHER, sender="Petra Whistledown <pw@example.com>")),
                                context)
    assert value(referral.referrer.name) == "Petra Whistledown"
    assert value(referral.referrer.organisation) is None, "her home address is not an organisation"
    assert value(referral.referrer.type) != "parent"
    assert all(value(p.name) != "Petra Whistledown" for p in referral.parents_carers)


PUPIL_TABLE = """Dear CME Officer,
We are concerned about the pupil below, who has not attended for 11 school days.
Name | DOB | Year | Class | Last attended
Basil Quill | 22/01/2019 | 3 | Kestrels | 29/09/2026
Home address on our system: 18 Tern Close, Oakhurst, RG24 9ZZ

Kind regards,
Hana Pimm
Pastoral Lead
Quarry Hill Primary School
"""


def test_a_table_of_pupils_under_the_greeting_is_read_as_the_child_not_the_writer(context: ExtractionContext) -> None:
    referral = extract_referral(parse_message(_email(PUPIL_TABLE, sender="Hana Pimm <h.pimm@quarryhill.example.sch.uk>")),
                                context)
    assert [(value(c.first_name), value(c.last_name), value(c.date_of_birth)) for c in referral.children] == [
        ("Basil", "Quill", "2019-01-22")]
    assert value(referral.referrer.name) != "Basil Quill"


def test_a_csv_return_of_pupils_gives_each_child_the_writers_school_told_apart_by_its_town() -> None:
    register = SchoolRegister.from_csv_text("URN,EstablishmentName,Town,Postcode\n"
                                            "900011,St Anne's Catholic Primary School,Oakhurst,RG24 9AA\n"
                                            "900012,St Anne's Catholic Primary School,Exampleton,PO9 1AA\n")
    context = ExtractionContext(nlp=build_nlp("blank"), register=register, own_addresses=frozenset({"cme@example.org"}),
                                inbox="cme@example.org")
    body = ("Please see the attached deletion return for two pupils removed from our admission register today.\n\n"
            "Kind regards\n\nHana Pimm\nAttendance Officer\nSt Anne's Catholic Primary School, Oakhurst\n")
    csv = ("UPN,Surname,Forename,DOB,Gender,Address1,Town,Postcode,Parent/Carer,Parent phone,Date last attended\n"
           "A123456789012,Quill,Marigold,12/07/2016,F,88 Lark Rise,Oakhurst,RG24 8AX,Petra Quill (mother),07700 900614,02/10/2026\n"
           "A123456789013,Quill,Basil,30/03/2020,M,88 Lark Rise,Oakhurst,RG24 8AX,Petra Quill (mother),07700 900614,02/10/2026\n")
    raw = _email(body, sender="Hana Pimm <h.pimm@stannes.example.sch.uk>", subject="Deletion return",
                 attachments=((csv.encode(), "text/csv", "return.csv"),))
    referral = extract_referral(parse_message(raw), context)
    assert [(value(c.first_name), value(c.school.urn)) for c in referral.children] == [("Marigold", "900011"),
                                                                                         ("Basil", "900011")]
    assert [value(p.name) for p in referral.parents_carers] == ["Petra Quill"]


def test_the_club_the_writer_runs_is_not_the_childs_school(context: ExtractionContext) -> None:
    body = ("Hello,\nI run Step Up Dance Academy in Oakhurst. Marigold Whistledown is 15 (date of birth 22/01/2011) "
            "and has danced with us for years. She told me her dad has taken her out of school (she was at Quarry Hill "
            "Primary School).\n\nCharlotte Example\nOwner\nStep Up Dance Academy\n")
    referral = extract_referral(parse_message(_email(body, sender="Charlotte Example <c@stepup.example.co.uk>")), context)
    (child,) = referral.children
    assert value(child.school.name) == "Quarry Hill Primary School"


def test_a_business_address_in_the_signature_is_not_the_organisation(context: ExtractionContext) -> None:
    body = ("Hello,\nMarigold Whistledown (DOB 22/01/2011) has not been at Quarry Hill Primary School since September.\n\n"
            "Charlotte Example\nOwner & Principal\nStep Up Dance Academy\nUnit 4, Example Business Park, Oakhurst\n")
    referral = extract_referral(parse_message(_email(body, sender="Charlotte Example <c@stepup.example.co.uk>")), context)
    assert value(referral.referrer.organisation) == "Step Up Dance Academy"


def test_a_child_line_with_sex_and_birth_date_and_a_school_line_with_its_last_day_fill_each_field(
        context: ExtractionContext) -> None:
    body = ("Hello Hampshire CME,\n\nThe family are now resident in your area.\n\n"
            "Child 1: Basil Quill, male, DOB 24/08/2016\n"
            "         Last school: Quarry Hill Primary School, last attended 10/07/2026\n\n"
            "Jo Example\nChildren Missing Education Officer\nExampleshire Council\n")
    referral = extract_referral(parse_message(_email(body, sender="Jo Example <jo@exampleshire.gov.uk>")), context)
    (child,) = referral.children
    assert (value(child.gender), value(child.date_of_birth), value(child.school.name), value(child.date_last_attended)) \
        == ("male", "2016-08-24", "Quarry Hill Primary School", "2026-07-10")


def test_a_school_name_wrapped_across_two_lines_is_one_school_and_a_street_is_no_parent(
        context: ExtractionContext) -> None:
    body = ("Dear Sir/Madam,\n\nI am writing for Mrs Petra Whistledown of 4 Beech Grove, Oakhurst RG24 9ZZ, about her "
            "daughter Marigold Whistledown (DOB 03/04/2015), who used to go to Quarry\nHill Primary School until "
            "July.\n\nYours faithfully,\n\nOrin Example\n")
    referral = extract_referral(parse_message(_email(body, sender="Orin Example <orin@example.org>")), context)
    (child,) = referral.children
    assert value(child.school.name) == "Quarry Hill Primary School"
    assert "Beech Grove" not in [value(p.name) for p in referral.parents_carers]


def test_an_email_line_in_the_signature_does_not_hide_the_signed_name(context: ExtractionContext) -> None:
    body = ("Dear CME team,\n\nMarigold Whistledown (DOB 03/04/2015) has not attended Quarry Hill Primary School since "
            "19/06/2026.\n\nKind regards\n\nHana Pimm\nAttendance Officer\nQuarry Hill Primary School\n"
            "Tel: 01632 960214 (direct) | Email: h.pimm@quarryhill.example.sch.uk\n")
    referral = extract_referral(parse_message(_email(body, sender="h.pimm@quarryhill.example.sch.uk")), context)
    assert value(referral.referrer.name) == "Hana Pimm"


def test_a_form_answer_that_says_more_than_the_school_still_names_it(context: ExtractionContext) -> None:
    body = ("Dear CME Officer,\n\nName of child ......... Basil\nSurname ......... not known (I only know mum)\n"
            "Age ......... about 7\nSchool (if known) ......... Quarry Hill Primary until the summer\n"
            "Postcode ......... RG24 9ZZ\n\nWith best wishes,\nHilary Example\n")
    referral = extract_referral(parse_message(_email(body, sender="Hilary Example <h@example.com>")), context)
    (child,) = referral.children
    assert (value(child.first_name), value(child.last_name), value(child.school.name)) == (
        "Basil", None, "Quarry Hill Primary School")


def test_the_writers_attached_contact_card_gives_the_referrer(context: ExtractionContext) -> None:
    body = ("Hello,\n\nOne of my claimants told me her son Basil Quill (12) has not been in school since "
            "September. My contact details are in the attached card.\n\nThanks\n")
    card = ("BEGIN:VCARD\r\nVERSION:3.0\r\nN:Example;Priya;;;\r\nFN:Priya Example\r\n"
            "ORG:Department for Work and Pensions;Oakhurst Jobcentre\r\nTITLE:Work Coach\r\n"
            "TEL;TYPE=WORK,VOICE:01632 960318\r\nEMAIL;TYPE=INTERNET:priya.example@dwp.gov.uk\r\nEND:VCARD\r\n")
    raw = _email(body, sender="Oakhurst Jobcentre <oakhurst.jcp@dwp.gov.uk>", subject="Child not in school",
                 attachments=((card.encode(), "text/vcard", "Priya Example.vcf"),))
    r = extract_referral(parse_message(raw), context).referrer
    assert (value(r.name), value(r.organisation), value(r.role), value(r.phone), value(r.email)) == (
        "Priya Example", "Department for Work and Pensions", "Work Coach", "01632960318", "priya.example@dwp.gov.uk")
    assert value(r.type) != "local_authority", "a government department is not a council"


def test_a_father_writing_i_have_two_children_is_their_parent(context: ExtractionContext) -> None:
    body = ("Good day,\n\nMy name is Orin Quill. We live now in 8 Lark Rise, Oakhurst, RG24 9ZZ.\n\nI have two children:\n"
            "Basil Quill, born 01-02-2015, boy\nMarigold Quill, born 14-06-2019, girl\n\nThey not go to school now. "
            "My wife Petra Quill she speak little English. My phone is 07700 900746.\n\nOrin Quill\n")
    referral = extract_referral(parse_message(_email(body, sender="Orin Quill <orin.quill@example.com>")), context)
    assert value(referral.referrer.type) == "parent"
    assert ("Orin Quill", "father") in [(value(p.name), value(p.relationship)) for p in referral.parents_carers]


def test_children_listed_each_with_their_own_address_keep_their_own(extraction_context) -> None:
    from tests.extraction.mail import extract_mail

    body = ("Three juveniles stopped in town during school hours today:\n\n"
            "1. Orrin QUILLON, male, DOB 22/03/2012, 8 Example Road, Farnborough GU14 0AJ. On roll, school informed.\n\n"
            "2. Tamsin PELLWORTH, female, DOB 09/10/2011, 57 Sample Close, Aldershot GU12 4SE. School aware.\n\n"
            "3. Femi VANTERPOOL, male, DOB 30/06/2011, Flat 6, 18 Test Street, Aldershot GU11 3DP. Not on any roll.\n\n"
            "PC Lee Quill\n")
    record = extract_mail(extraction_context, body, "PC Lee Quill <lee.quill@hampshire.police.uk>")
    assert [(c["first_name"]["value"], c["address"]["postcode"]["value"]) for c in record["children"]] == [
        ("Orrin", "GU14 0AJ"), ("Tamsin", "GU12 4SE"), ("Femi", "GU11 3DP")]


def test_a_baby_named_beside_school_age_children_is_not_one_of_them(extraction_context) -> None:
    from tests.extraction.mail import extract_mail

    body = ("Hello, I am the health visitor for baby Pellworth (born 29/09/2026) and visited the family last week. "
            "Her brother Orrin Quill, DOB 30/01/2019, is not at any school.\n\nJo Quennell\nHealth Visitor\n")
    record = extract_mail(extraction_context, body, "Jo Quennell <jo.quennell@nhs.net>")
    assert [c["first_name"]["value"] for c in record["children"]] == ["Orrin"]


def test_a_toddler_whose_age_is_given_beside_a_school_age_sister_is_not_one_of_the_children(extraction_context) -> None:
    from tests.extraction.mail import extract_mail

    body = ("I mind a little boy called Orrin who is 3. His big sister Tamsin Quill is 7 and should be in year 3 but "
            "she is at home every day.\n\nJo Pellworth\nChildminder\n")
    record = extract_mail(extraction_context, body, "Jo Pellworth <jo@example.org>")
    assert [c["first_name"]["value"] for c in record["children"]] == ["Tamsin"]


def test_a_class_named_after_a_bird_or_tree_is_not_a_child(extraction_context) -> None:
    from tests.extraction.mail import extract_mail

    body = ("Good morning,\n\nWe are writing about Isla Quennell. Isla is in Year 5 (Kestrel class), DOB 14/03/2017. "
            "She last attended on Friday 23rd October.\n\nMrs J Pellworth\nSchool Office\n")
    record = extract_mail(extraction_context, body, "office@quarryhill.hants.sch.uk")
    assert [c["first_name"]["value"] for c in record["children"]] == ["Isla"]


@pytest.mark.parametrize("sentence, day", [
    ("She last attended on Friday 23rd October 2025, before half term.", "2025-10-23"),
    ("The school told us her last day of attendance was 07/02/2025.", "2025-02-07"),
    ("The last time she actually went in was Monday 15th September 2025.", "2025-09-15"),
])
def test_the_last_day_a_child_just_named_attended_is_theirs(extraction_context, sentence: str, day: str) -> None:
    from tests.extraction.mail import extract_mail

    body = (f"Good morning,\n\nTom Quennell (DOB 02/02/2016) is at home with his mum. Isla Quennell is in Year 5, "
            f"DOB 14/03/2017. {sentence}\n\nJo Pellworth\n")
    record = extract_mail(extraction_context, body, "Jo Pellworth <jo@example.org>")
    got = {c["first_name"]["value"]: (c["date_last_attended"] or {}).get("value") for c in record["children"]}
    assert got["Isla"] == day and got["Tom"] is None


@pytest.mark.parametrize("sentence, day", [
    ("Isla's last day at Katesgrove Primary in Reading was Friday 23rd October 2025.", "2025-10-23"),
    ("\nLast in school: 9/10/25\n", "2025-10-09"),
])
def test_the_last_day_in_school_said_with_the_schools_name_or_as_a_note_is_read(extraction_context, sentence: str,
                                                                                day: str) -> None:
    from tests.extraction.mail import extract_mail

    body = f"Good morning,\n\nIsla Quennell is in Year 5, DOB 14/03/2017. {sentence}\n\nJo Pellworth\n"
    record = extract_mail(extraction_context, body, "Jo Pellworth <jo@example.org>")
    assert [(c["date_last_attended"] or {}).get("value") for c in record["children"]] == [day]


def test_a_school_answer_with_a_remark_after_it_still_names_the_school(context: ExtractionContext) -> None:
    for answer in ("Quarry Hill (still on roll, but has not attended since 14/10/2026)",
                   "Quarry Hill - left end of July, not started anywhere since", "Quarry Hill I think"):
        body = (f"Hello,\n\nChild: Basil Quill, DOB 01/02/2015\nAddress: 8 Lark Rise, Oakhurst, RG24 9ZZ\n"
                f"School: {answer}\n\nThanks\nHilary Example\n")
        referral = extract_referral(parse_message(_email(body, sender="Hilary Example <h@example.com>")), context)
        (child,) = referral.children
        assert (value(child.school.name), value(child.school.urn)) == ("Quarry Hill Primary School", "900001"), answer
        assert child.school.name.source.text == "Quarry Hill", "the officer is shown the school's name, not the remark"


def test_a_form_with_answers_set_apart_by_spaces_gives_the_child_and_school(context: ExtractionContext) -> None:
    body = ("Report a child who may be missing education\n"
            "QUESTION                                  ANSWER\n"
            "ABOUT YOU\n"
            "  Your name                               Hilary Example\n"
            "  Contact telephone                       01632 960 771\n"
            "ABOUT THE CHILD\n"
            "  Child's full name                       Basil Quill (known as Baz)\n"
            "  Date of birth                           Not known\n"
            "  Approximate age                         12\n"
            "  Address                                 8 Lark Rise, Oakhurst\n"
            "  School (if known)                       Quarry Hill I think\n"
            "\nThis email was generated automatically. Do not reply.\n")
    referral = extract_referral(parse_message(_email(body, sender="Forms <no-reply@forms.example.gov.uk>",
                                                     Auto_Submitted="auto-generated")), context)
    assert [(value(c.first_name), value(c.last_name), value(c.school.name)) for c in referral.children] == [
        ("Basil", "Quill", "Quarry Hill Primary School")], "'Approximate age' is a label, not a child called Approximate"


def test_a_reduced_timetable_letters_hours_in_school_leave_the_pupil_at_the_writers_school(
        context: ExtractionContext) -> None:
    body = ("Good afternoon,\n\nPlease see below the reduced timetable agreed for one of our pupils.\n\n"
            "Pupil: Alfie Quill\nDate of birth: 17/03/2017\nYear group: 5\n"
            "Hours in school: Monday - Friday, 8.45am - 12.15pm (17.5 hours per week)\n"
            "School address: 1 Lark Rise, Oakhurst, RG24 9ZZ\n"
            "Start date: 09/11/2026\nReview date: 07/12/2026\n\n"
            "Kind regards,\n\nOrin Bellwether\nInclusion Manager\nQuarry Hill Primary School\n")
    referral = extract_referral(parse_message(_email(body, subject="Reduced timetable notification")), context)
    (child,) = referral.children
    assert (value(child.school.name), value(child.school.urn)) == ("Quarry Hill Primary School", "900001"), \
        "the hours are no school's name: the pupil is the writer's"
    assert child.address.line1 is None, "the school's address is not the pupil's"


@pytest.mark.parametrize("note, reviewed", [
    # a pupil left unnamed: the return cannot be recorded
    ("Just to let you know that from today he will be attending mornings only (8.45am - 12.00pm) while we put some "
     "support in place. This was agreed with Mum and will be reviewed on 11th December.", True),
    # a nil return: complete without a pupil
    ("Please accept this as Quarry Hill Primary School's nil return for November: we have no pupils on a reduced "
     "timetable at present.", False),
])
def test_a_reduced_timetable_note_naming_no_pupil_is_reviewed_unless_it_is_a_nil_return(
        context: ExtractionContext, note: str, reviewed: bool) -> None:
    body = f"Morning,\n\n{note}\n\nThanks,\nOrin\n\nOrin Bellwether\nHeadteacher\nQuarry Hill Primary School\n"
    referral = extract_referral(parse_message(_email(body, subject="Reduced timetable")), context)
    assert referral.category == "reduced_hours" and referral.children == ()
    assert ("No child could be identified in the message." in referral.review_reasons) is reviewed


def test_a_parent_telling_that_the_school_took_her_son_off_roll_makes_a_referral(context: ExtractionContext) -> None:
    body = ("Hello,\n\nI am writing because Quarry Hill Primary School have taken my son Basil Quill off roll without "
            "my agreement. He has been removed from the school roll and has had no education since October.\n\n"
            "Please help.\n\nPetra Quill\n07700 900412\n")
    referral = extract_referral(parse_message(_email(body, sender="Petra Quill <petra.quill@example.com>",
                                                     subject="My son taken off roll")), context)
    assert referral.category == "cme_referral", "only a school notifies a removal from its roll"


def test_a_school_taking_a_pupil_off_its_roll_is_still_a_removal(context: ExtractionContext) -> None:
    body = ("Dear CME team,\n\nPlease note we have taken Basil Quill (DOB 01/02/2015) off roll today: the family have "
            "moved to Wales and he has been removed from the school roll.\n\nKind regards\n\nOrin Bellwether\n"
            "Office Manager\nQuarry Hill Primary School\n")
    referral = extract_referral(parse_message(_email(body, subject="Pupil off roll")), context)
    assert referral.category == "roll_removal"
