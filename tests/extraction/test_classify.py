"""Categories, automatic mail, acknowledgements and case references, on emails parsed by the real parser."""
from email.message import EmailMessage

import pytest

from extraction.classify import (acknowledgement_allowed, categorise, detect_automatic, find_case_reference,
                                 is_mailing_list, is_no_reply)
from parsers.mime import parse_message
from parsers.message import ParsedMessage
from tests.extraction.mail import extract_mail

OWN = "cme@example.org"


def mail(body: str, subject: str = "Pupil", sender: str = "a.teacher@school.example.org",
         headers: dict[str, str] | None = None) -> ParsedMessage:
    msg = EmailMessage()
    msg["From"] = sender
    msg["To"] = OWN
    msg["Subject"] = subject
    msg["Date"] = "Tue, 03 Nov 2026 09:00:00 +0000"
    msg["Message-ID"] = "<t1@example.org>"
    for name, value in (headers or {}).items():
        msg[name] = value
    msg.set_content(body)
    return parse_message(msg.as_bytes(), "t.eml")


@pytest.mark.parametrize("headers, subject, sender, kind", [
    ({"Auto-Submitted": "auto-replied"}, "Re: referral", "x@example.org", "auto_reply"),
    ({"X-Autoreply": "yes"}, "Re: referral", "x@example.org", "auto_reply"),
    ({}, "Automatic reply: Pupil", "x@example.org", "auto_reply"),
    ({}, "Out of Office: CME-2026-00001", "x@example.org", "auto_reply"),
    ({}, "Undeliverable: your message", "x@example.org", "bounce"),
    ({}, "Delivery Status Notification (Failure)", "x@example.org", "bounce"),
    ({}, "Returned", "MAILER-DAEMON@mail.example.org", "bounce"),
    ({"Auto-Submitted": "no"}, "Pupil", "x@example.org", None),
])
def test_detect_automatic(headers: dict[str, str], subject: str, sender: str, kind: str | None) -> None:
    assert detect_automatic(mail("Hello", subject, sender, headers)) == kind


def test_senders_never_acknowledged() -> None:
    assert is_no_reply("no-reply@forms.example.org") and is_no_reply("DoNotReply@example.org")
    assert is_no_reply("mailer-daemon@example.org") and not is_no_reply("noreen@example.org")
    listed = mail("News", headers={"List-Id": "<news.example.org>"})
    assert is_mailing_list(listed)
    person = mail("Please could you advise on a pupil?")
    assert acknowledgement_allowed(person, "other", "a.teacher@school.example.org", OWN)
    assert not acknowledgement_allowed(person, "auto_reply", "a.teacher@school.example.org", OWN)
    assert not acknowledgement_allowed(person, "cme_referral", OWN.upper(), OWN)
    assert not acknowledgement_allowed(person, "cme_referral", "no-reply@example.org", OWN)
    assert not acknowledgement_allowed(person, "cme_referral", None, OWN)
    assert not acknowledgement_allowed(listed, "other", "a.teacher@school.example.org", OWN)
    spam = mail("Your mailbox storage is almost full. Click here to release messages held in quarantine.",
                "Action required", "support@mailcentre.example.top")
    assert categorise(spam, False, None)[0] == "other"
    assert not acknowledgement_allowed(spam, "other", "support@mailcentre.example.top", OWN)


def test_a_child_seen_at_home_in_school_time_and_said_to_be_between_schools_is_a_referral() -> None:
    body = ("I've visited one of our tenants three times since September, all weekday mornings, and her daughter was "
            "at home every time. Mum says she's \"between schools\".")  # no name the extraction could hold on to
    assert categorise(mail(body, "Tenancy visit", "m.a@homes.example.org.uk"), False, None)[0] == "cme_referral"


def test_a_recalled_message_is_left_for_an_officer_and_never_acknowledged() -> None:
    recall = mail('Nandakumar, Priya would like to recall the message, "CME referral".', "Recall: CME referral",
                  "p.nandakumar@crestwood.example.sch.uk")
    assert detect_automatic(recall) is None  # not an out-of-office: the officer sees it beside the referral
    assert categorise(recall, False, None)[0] == "other"
    assert not acknowledgement_allowed(recall, "other", "p.nandakumar@crestwood.example.sch.uk", OWN)


@pytest.mark.parametrize("subject, body, value", [
    ("RE: CME-2026-00042 referral received", "Thanks", "CME-2026-00042"),
    ("Update", "Our ref: CME 2026 00042. She has moved.", "CME-2026-00042"),
    ("Update", "Your reference cme/2026/42", "CME-2026-00042"),
    ("Form submission (ref 5530-2291)", "Submission reference: 5530-2291", None),
    ("Police", "Incident number 44260012345 refers", None),
    # another council's own reference that happens to contain "CME" is not one of ours
    ("CME enquiry - Cartwright children", "Our ref: DC/CME/2026/118\nDorset Council is trying to trace", None),
    # another council's reference written like one of ours, named as theirs
    ("CME enquiry - possible move to Hampshire", "Surrey CME ref: CME/26/1187\n\nWe have received a referral", None),
    ("Update", "Their ref CME/26/44, your ref CME-2026-00042", "CME-2026-00042"),
    # another council's reference after its initials
    ("CME Enquiry - KCC Ref CME/2026/4471 - Mason Quill", "KCC reference: CME/2026/4471 (please quote)", None),
    ("RE: Ref CME-2026-00042", "Thanks", "CME-2026-00042"),
    # named as theirs in the subject, then "Our reference" in their own letter: still theirs
    ("CME enquiry - WSCC ref CME/26/0917", "Our reference: CME/26/0917\n\nWe are trying to trace a girl.", None),
    ("CME enquiry - Surrey ref CME/26/0418 (your ref CME-2026-00042)", "Our reference: CME/26/0418", "CME-2026-00042"),
])
def test_find_case_reference(subject: str, body: str, value: str | None) -> None:
    found = find_case_reference(mail(body, subject))
    assert (found[0] if found else None) == value
    if found and found[1] == "body":
        text = mail(body, subject).sources[-1].text
        assert text[found[2]:found[3]].upper().replace(" ", "").replace("/", "").replace("-", "").startswith("CME2026")


CASES = [
    ("cme_referral", True, "CME referral - pupil", "Please find a referral for Ruby Fenwick (Y5). She has not attended "
     "since 2 October; we have been unable to contact the family and a home visit found the house empty."),
    ("roll_removal", True, "Leaver", "We are writing to let you know that Ruby Fenwick has been removed from our "
     "roll under regulation 9(1)(g) as the family have emigrated to Portugal."),
    ("la_enquiry", True, "Enquiry - Fenwick family", "We are trying to trace Ruby Fenwick (DOB 02/03/2016). "
     "Has this family moved into your area? Please could you check your records and let us know."),
    ("ehe", True, "Home education", "I am writing to tell you that I wish to deregister my daughter Ruby Fenwick "
     "from Larkfield Junior School so that I can home educate her from Monday."),
    ("attendance", True, "Penalty notice query", "I have had a letter about a penalty notice for Ruby's holiday in "
     "term time. She is not missing, she is attending every day now. Who do I speak to?"),
    ("reduced_hours", False, "Reduced timetable return", "Please find our nil return for reduced timetables "
     "this half term; no pupils are on a part-time timetable."),
    ("other", False, "Briefing", "Could you send me the joining link for next week's briefing please?"),
    ("other", False, "CME Tracking Panel", "Invitation to the November CME Tracking Panel. Agenda: 1. Open cases. "
     "2. Autumn census return (EHE and CME). Please send case summaries to me by Monday."),
    ("cme_referral", True, "A pupil of mine who I don't think is in school", "I teach Ruby Fenwick the piano at home. "
     "She told me she hasn't gone to a school since July and stays in and watches videos."),
]


@pytest.mark.parametrize("category, has_child, subject, body", CASES)
def test_categorise(category: str, has_child: bool, subject: str, body: str) -> None:
    got, confidence, reasons = categorise(mail(body, subject), has_child, None)
    assert got == category
    assert 0.0 < confidence <= 1.0 and reasons


def test_claimed_home_education_of_a_missing_child_is_a_referral() -> None:
    body = ("Mum claims to be home educating Ruby but nobody has seen her since September, her whereabouts are "
            "unknown and she is subject to a child protection plan.")
    assert categorise(mail(body, "Concern"), True, None)[0] == "cme_referral"


def test_quoting_a_reference_is_a_case_update_and_automatic_mail_wins() -> None:
    assert categorise(mail("She has a new address."), True, "CME-2026-00042")[0] == "case_update"
    ooo = mail("I am out of the office.", "Automatic reply: CME-2026-00042")
    assert categorise(ooo, False, "CME-2026-00042")[0] == "auto_reply"


def test_another_councils_team_name_is_not_a_referral() -> None:
    body = ("Dear colleague, we are trying to trace Ruby Fenwick. Please check your records.\n\n"
            "Jo Bloggs\nChildren Missing Education Officer\nExampleshire County Council")
    assert categorise(mail(body, "CME enquiry", "jo.bloggs@exampleshire.gov.uk"), True, None)[0] == "la_enquiry"


def test_read_receipts_are_automatic_and_quiet_mail_is_unsure() -> None:
    raw = (b"From: office@school.example.org\r\nTo: cme@example.org\r\nSubject: Read: Pupil\r\n"
           b"Date: Tue, 03 Nov 2026 09:00:00 +0000\r\nMIME-Version: 1.0\r\n"
           b"Content-Type: multipart/report; report-type=disposition-notification; boundary=\"b1\"\r\n\r\n"
           b"--b1\r\nContent-Type: text/plain\r\n\r\nYour message was displayed.\r\n"
           b"--b1\r\nContent-Type: message/disposition-notification\r\n\r\n"
           b"Disposition: manual-action/MDN-sent-manually; displayed\r\n--b1--\r\n")
    assert detect_automatic(parse_message(raw, "r.eml")) == "auto_reply"
    category, confidence, reasons = categorise(mail("Hello", "Hi"), False, None)
    assert category == "other" and confidence <= 0.5 and "no clear evidence" in reasons[-1]


def test_a_third_party_mentioning_a_removal_is_not_a_roll_removal() -> None:
    body = ("I am the social worker for Ruby Fenwick, who is looked after. Her previous school removed her from roll "
            "last month and she has had no school place since. Please could you help?")
    assert categorise(mail(body, "No school place", "sw@exampleshire.gov.uk"), True, None)[0] == "cme_referral"


def test_doubted_home_education_stays_cme() -> None:
    body = ('His father says he is "home schooling" him, but we have found no evidence of any education and '
            "no notification has been made to the EHE team.")
    assert categorise(mail(body, "Concern", "pc@police.example.uk"), True, None)[0] == "cme_referral"


@pytest.mark.parametrize("body, sender", [
    ("Mum took me out in year 8 and said she would home school me. We don't really do any lessons and I want to "
     "go back to school.", "girl@example.com"),
    ("His mum took him out of school to home educate him and I tutored him twice a week. He hasn't had a session "
     "since September and as far as I know I was the only teaching he was getting.", "tutor@example.co.uk"),
])
def test_home_education_that_has_stopped_is_a_cme_referral(body: str, sender: str) -> None:
    assert categorise(mail(body, "Not in education", sender), True, None)[0] == "cme_referral"


def test_a_tutor_who_doubts_a_few_hours_a_week_is_a_full_time_education_makes_a_referral() -> None:
    body = ("I am a private tutor and for a year I have taught a girl called Amelie, 9. Her mother withdrew her from "
            "Sheet Primary to home educate her. I go to the house for two hours every Tuesday, and I have become "
            "uneasy that this is the only education Amelie is getting. I do not believe two hours a week amounts to "
            "a full-time education.")
    assert categorise(mail(body, "Concern about a home educated child", "tutor@example.co.uk"), True, None)[0] == \
        "cme_referral"


def test_home_education_the_council_found_unsuitable_is_a_cme_referral() -> None:
    body = ("Hi CME team, Orrin (DOB 09/02/2017) was removed from roll in 2024 when mum elected to home educate. "
            "After two visits I am not able to be satisfied that he is receiving a suitable education, so I'm "
            "passing him to you to consider the s437 process.\n\nJo Example\nEHE Adviser")
    assert categorise(mail(body, "EHE review - Orrin Quill", "jo.example@hants.gov.uk"), True, None)[0] == "cme_referral"


def test_a_pupil_the_writer_says_is_not_missing_is_an_attendance_question() -> None:
    body = ("I'd like advice about a pupil on roll. Tamsin (Year 4) has a GP letter for anxiety and we have "
            "authorised the absence. We know exactly where she is, so I don't think she is \"missing\" in the CME "
            "sense. Should we refer for medical tuition?")
    assert categorise(mail(body, "Advice please", "head@quarryhill.hants.sch.uk"), True, None)[0] == "attendance"


def test_another_council_handing_its_case_over_is_a_referral_not_an_enquiry() -> None:
    body = ("Hello Hampshire CME, the family are now living at 3 Example Road, New Milton. As they are resident in "
            "your area we are closing our case and passing it to you.\n\nJo Example\nChildren Missing Education "
            "Officer\nExampleshire Council")
    assert categorise(mail(body, "Case transfer", "jo@exampleshire.gov.uk"), True, None, "cme@hants.gov.uk")[0] \
        == "cme_referral"


def test_an_admissions_question_about_a_child_on_roll_is_other() -> None:
    body = ("I am writing on behalf of my constituent about her daughter, who is on roll and attending at Example "
            "School. Her in-year application to another school was refused and she would like to know how to appeal.")
    assert categorise(mail(body, "Constituent enquiry", "caseworker@parliament.example"), True, None)[0] == "other"


MORE = [
    ("la_enquiry", "Missing child - possible link", "Hello, I am the CME officer for Exampleshire. A family left our "
     "area without notice and may be living near Exampleton. Do you hold any information on the children below?",
     "cme.officer@exampleshire.gov.uk"),
    ("la_enquiry", "Children Missing Education", "Exampleshire CME service here. We are checking whether the children "
     "below have been registered with any school in your area.", "cme@exampleshire.gov.uk"),
    ("attendance", "Leave request", "My request for term time leave for a family wedding was refused and the school "
     "says we will get a fine if we go.", "dad@example.com"),
    ("attendance", "Y10 pupil", "Jack has 62% attendance and lots of unauthorised absence this term. He is on roll "
     "and in most days but is regularly late.", "head@school.example.org"),
    ("roll_removal", "CME notification", "We have deleted Connor Vale from our admission register under 9(1)(h). "
     "He failed to return after authorised leave and joint enquiries have not located him.", "office@school.example.org"),
    ("other", "FOI request", "Under the Freedom of Information Act please tell me how many children were reported "
     "missing education in 2025.", "journalist@example.com"),
    ("cme_referral", "New arrivals, no school", "I support a family who arrived from abroad in September. The three "
     "children have no school place yet. Please help them get into school.", "volunteer@charity.example.org"),
    ("cme_referral", "Looked after child", "I am a social worker in Exampleshire. Our looked after child Mae moved "
     "to a placement in your county; her previous school removed her from roll and she has no school place.",
     "sw@exampleshire.gov.uk"),
]


@pytest.mark.parametrize("category, subject, body, sender", MORE)
def test_categorise_other_wordings(category: str, subject: str, body: str, sender: str) -> None:
    has_child = category != "other"
    assert categorise(mail(body, subject, sender), has_child, None, OWN)[0] == category


@pytest.mark.parametrize("subject, body", [
    ("Re: your acknowledgement CME-2026-00991",
     "Thank you for your message. I am currently out of the office and will return on 3 December."),
    ("RE: Pupil", "I'm on annual leave until Monday with limited access to email. Please call the office."),
])
def test_out_of_office_without_headers_is_automatic(subject: str, body: str) -> None:
    parsed = mail(body, subject)
    assert detect_automatic(parsed) == "auto_reply"
    assert categorise(parsed, False, "CME-2026-00991")[0] == "auto_reply"
    assert not acknowledgement_allowed(parsed, "auto_reply", "a.teacher@school.example.org", OWN)


def test_a_person_away_next_week_still_writes_a_case_update() -> None:
    body = ("Thank you for your email. Tomas is now on roll with us and attending well; I will be away next "
            "week so please contact the office with any questions. His new address is 4 Example Road.\n" * 8)
    parsed = mail(body, "Re: CME-2026-00991")
    assert detect_automatic(parsed) is None


@pytest.mark.parametrize("category, subject, body", [
    ("attendance", "Letter", "My son's attendance at Example Park is only 86 per cent and they say they "
                             "will take us to court. He goes every day now."),
    ("reduced_hours", "Part time table", "From Monday Ava will be in school from 9.00 to 12.00 each day."),
    ("reduced_hours", "Ava", "Ava will attend mornings only for the next three weeks."),
    ("roll_removal", "Leaver", "Tom will be taken off our register on Friday as the family have moved away."),
    ("other", "Form", "Could you send us the latest referral form? Ours is out of date."),
    ("other", "Deletions", "I have read the county's Children Missing Education policy but would be grateful for "
                           "clarification: do you expect a CME referral or a deletion notification for pupils leaving "
                           "at a normal transition point? We have no particular pupil in mind."),
    ("other", "CME policy", "When one of our families moves or stops attending we are never sure whom to refer to. "
                            "Could you please send me a copy of Hampshire's Children Missing Education policy and "
                            "your referral form?"),
])
def test_categorise_plain_wordings(category: str, subject: str, body: str) -> None:
    has_child = category not in ("other",)
    assert categorise(mail(body, subject), has_child, None)[0] == category


def test_attendance_figures_on_a_referral_form_do_not_make_it_attendance() -> None:
    body = ("Children Missing Education referral\nAttendance 2025/26: 71.4%\nHome visit: no answer, neighbours "
            "say the family left the area.")
    assert categorise(mail(body, "CME referral"), True, None)[0] == "cme_referral"


def test_document_share_lure_is_spam_and_not_acknowledged() -> None:
    parsed = mail("Example Council has shared a document with you. Sign in with your Microsoft 365 email and "
                  "password to view. This link expires in 24 hours.", "Document shared with you",
                  "share@portal.example.top")
    assert categorise(parsed, False, None)[0] == "other"
    assert not acknowledgement_allowed(parsed, "other", "share@portal.example.top", OWN)


@pytest.mark.parametrize("category, subject, body", [
    ("ehe", "Taking Ava out of school", "We are thinking of taking our daughter Ava out of Example Primary and "
                                        "teaching her ourselves. What do we need to do?"),
    ("roll_removal", "Notice of pupil withdrawal", "Ava has been withdrawn by her parents and will not be "
                                                   "returning to Example House School after half term."),
    ("cme_referral", "Concern", "Dad says he is being educated at home but we have had no letter. He has not "
                                "been seen since September."),
    ("cme_referral", "My sisters", "They haven't been to school since Easter. Mum says she's going to home school "
                                   "them but she doesn't do anything with them."),
    ("cme_referral", "Student not attending", "We enrolled Leo on our 14-16 programme in September; he had been home "
                                              "educated before that. He has not attended since 25 September."),
])
def test_categorise_withdrawals_and_claims(category: str, subject: str, body: str) -> None:
    assert categorise(mail(body, subject), True, None)[0] == category


def test_read_receipt_is_automatic() -> None:
    assert detect_automatic(mail("Your message was read on 25/11/2026 08:00.", "Read: CME referral")) == "auto_reply"


def test_school_auto_acknowledgement_is_automatic() -> None:
    parsed = mail("Thank you for contacting Example School. Your email has been received and will be passed "
                  "to the relevant member of staff.", "Re: CME-2026-00412")
    assert categorise(parsed, False, "CME-2026-00412")[0] == "auto_reply"


@pytest.mark.parametrize("category, body", [
    ("la_enquiry", "We are the Children Missing Education team for Exampleshire. Could the children have turned up "
                   "in Hampshire?\nHelen Birch\nCME Officer, Exampleshire Council"),
    ("cme_referral", "There's a lad at number 4 who never seems to go to school; he's out on his bike in the daytime."),
])
def test_enquiries_and_neighbours_in_plain_words(category: str, body: str) -> None:
    assert categorise(mail(body, "Children", "someone@example.org"), category == "la_enquiry", None)[0] == category


def test_two_digit_year_case_reference() -> None:
    assert find_case_reference(mail("Case ref: CME-26-219. Leo starts on Monday.", "Leo"))[0] == "CME-2026-00219"


@pytest.mark.parametrize("category, body, sender", [
    ("la_enquiry", "Pupil tracing: is she on roll in one of your schools? The family relocated to Gosport.",
     "tracing@exampleshire.gov.uk"),
    ("reduced_hours", "From Monday Jack will attend school three mornings a week and alternative provision "
                      "for the other two days.", "inclusion@school.example.org"),
])
def test_tracing_and_part_weeks(category: str, body: str, sender: str) -> None:
    assert categorise(mail(body, "Pupil", sender), True, None)[0] == category


@pytest.mark.parametrize("category, body, has_child", [
    ("ehe", "We have decided to educate our son otherwise than at school from 1 December.", True),
    ("la_enquiry", "Can you confirm whether the children are known to Hampshire?\nTom Reid, Education Access "
                   "Officer, Exampleshire Council", True),
])
def test_round_five_categories(category: str, body: str, has_child: bool) -> None:
    assert categorise(mail(body, "Children", "someone@example.org"), has_child, None)[0] == category


def test_a_child_at_risk_without_a_name_is_a_referral() -> None:
    body = ("theres a lad about 13 at the end of our road out at all hours with older lads in balaclavas on mopeds, "
            "he has a new phone every week and never goes to school")
    assert categorise(mail(body, "worried", "neighbour@example.com"), False, None, OWN)[0] == "cme_referral"
    assert categorise(mail("Could you tell me when the office opens?", "question", "neighbour@example.com"),
                      False, None, OWN)[0] == "other"


def test_an_unpaid_invoice_lure_with_a_web_page_attached_is_spam_and_not_acknowledged() -> None:
    msg = EmailMessage()
    msg["From"] = "Accounts Receivable <billing@invoice-docs.example.net>"
    msg["To"] = "cme@hants.gov.uk"
    msg["Subject"] = "Overdue invoice INV-44821"
    msg["Date"] = "Tue, 03 Nov 2026 10:00:00 +0000"
    msg["Message-ID"] = "<inv@example.net>"
    msg.set_content("Dear Customer,\n\nInvoice INV-44821 remains unpaid. Please review the attached invoice and "
                    "confirm payment today using the secure portal.\n\nAccounts Receivable Team\n")
    msg.add_attachment("<html><body>Loading document...</body></html>", subtype="html", filename="INV-44821.html")
    parsed = parse_message(msg.as_bytes(), "inv.eml")
    assert categorise(parsed, False, None)[0] == "other"
    assert not acknowledgement_allowed(parsed, "other", "billing@invoice-docs.example.net", OWN)


def test_a_parcel_redelivery_lure_is_spam_and_not_acknowledged() -> None:
    parsed = mail("Dear Customer,\n\nWe attempted to deliver your parcel today. To arrange redelivery you must pay "
                  "an outstanding shipping fee of 1.99 GBP within 48 hours.\n", "Your parcel", "notice@parcel.example.co")
    assert categorise(parsed, False, None)[0] == "other"
    assert not acknowledgement_allowed(parsed, "other", "notice@parcel.example.co", OWN)


def test_a_letter_addressed_to_our_cme_officer_from_a_district_council_is_a_referral_not_an_enquiry() -> None:
    body = ("Test Valley Borough Council\nHousing Options\n\nChildren Missing Education Officer\nHampshire County "
            "Council\nWinchester\n\nDear Sir or Madam,\nI am writing to let you know about three children placed by "
            "this Council in temporary accommodation in Andover. I would be "
            "grateful if you could contact the family to help them secure school places.\n\nGareth Simms\n"
            "Housing Options Officer\n")
    parsed = mail(body, "Okafor family", "g.simms@testvalley.gov.uk")
    assert categorise(parsed, True, None, "cme@hants.gov.uk")[0] == "cme_referral"


def test_a_child_at_home_all_day_is_a_referral_even_when_a_waiting_list_is_mentioned() -> None:
    body = ("My son Basil Quill dob 19/04/2016 lives with his mum. She says hes on a waiting list for a new school but "
            "its been 2 weeks of term now and he is still at home all day, he told me he hasnt been to any school.")
    category, _, _ = categorise(mail(body, subject="my son", sender="dad.quill@example.com"), True, None, None)
    assert category == "cme_referral"


@pytest.mark.parametrize("said", ["we don't go to school", "we dont go to school", "we don’t go to school"])
def test_unnamed_children_who_say_they_dont_go_to_school_are_a_referral(extraction_context, said: str) -> None:
    from tests.extraction.mail import extract_mail

    body = (f"Dear Sir or Madam,\n\nI am one of the volunteers who deliver leaflets and the community newsletter for "
            f"the borough council.\n\nYesterday at about 11 o'clock a boy and a girl answered the door to me in Peverell "
            f"Road. When I asked if they were off poorly the girl said \"{said}\" and closed the door.\n\n"
            "I do not know the family's name.\n\nYours faithfully,\nMargaret Hodge\n")
    record = extract_mail(extraction_context, body, "Margaret Hodge <peggy.hodge@example.net>",
                          subject="Children at home on a school day")
    assert record["category"] == "cme_referral"


def test_a_nurse_telling_of_a_child_said_to_be_home_educated_is_a_referral_not_an_ehe_notice(extraction_context) -> None:
    from tests.extraction.mail import extract_mail

    body = ("Hello,\nI'm not sure this is a CME matter or an EHE one, so please pass it on if needed.\nI saw Oscar "
            "Whitworth (DOB 11/08/2017, 9 yrs) today for his diabetes review. Mum (Gemma Whitworth) told me at the review "
            "in August that Oscar had left school at Easter and she is now home educating him. Today I asked whether "
            "anyone from the council had been in touch about the home education. Mum said she \"doesn't have to tell "
            "anyone\". My worry is purely that I'm not sure he is receiving any education.\nAddress we hold: 3 Kennet "
            "Meadow, Oakhurst, RG24 9ZZ.\nMany thanks,\nClaire Dunmore RGN\nPractice Nurse\nAnton Vale Medical Practice\n")
    record = extract_mail(extraction_context, body, "Claire Dunmore <claire.dunmore@nhs.net>",
                          subject="9 year old not in school - says home educated")
    assert record["category"] == "cme_referral"


def test_the_councils_own_call_handler_asking_whether_a_family_is_in_the_county_is_a_referral() -> None:
    body = ("Call note for the CME team.\n\nCaller said her grandson Tyrese Locke (9) has been staying with her in "
            "Alton since the summer and she does not think he is at any school. Enquiry taken by phone at 10:40; "
            "she asked whether he might still be on a Hampshire school's roll.\n\nLiam Fry\nContact Centre Adviser\n")
    parsed = mail(body, "Phone enquiry - grandson", "liam.fry@hants.gov.uk")
    assert categorise(parsed, True, None, "cme@hants.gov.uk")[0] == "cme_referral"


def test_another_councils_enquiry_is_still_an_enquiry() -> None:
    body = ("Dear colleague,\nWe are tracing Tyrese Locke (DOB 04/02/2017), believed to have moved into your area "
            "in the summer. Could you let us know whether he is registered at a Hampshire school?\n\nPriya Nandra\n"
            "CME Officer, Wokingham Borough Council\n")
    parsed = mail(body, "CME enquiry - Tyrese Locke", "priya.nandra@wokingham.gov.uk")
    assert categorise(parsed, True, None, "cme@hants.gov.uk")[0] == "la_enquiry"


def test_the_police_asking_whether_children_at_risk_are_known_to_us_is_a_referral_not_an_enquiry() -> None:
    body = ("Dear CME team,\nOfficers attended 4 Example Road, Alton last night after a violent incident between the "
            "adults. Two children, Tyrese Locke (9) and Mia Locke (12), were present. They have not been in school since the summer. "
            "Please confirm whether the children are known to you.\n\nPC Sam Example\nDomestic Abuse Investigation\n")
    parsed = mail(body, "Children at a domestic incident", "sam.example@hampshire.police.uk")
    assert categorise(parsed, True, None, "cme@hants.gov.uk")[0] == "cme_referral"
    council = mail(body.replace("PC Sam Example\nDomestic Abuse Investigation", "Sam Example\nCME Officer"),
                   "Children at a domestic incident", "sam.example@wokingham.gov.uk")
    assert categorise(council, True, None, "cme@hants.gov.uk")[0] == "la_enquiry"


def test_a_pupil_who_has_not_come_back_from_a_holiday_abroad_is_a_referral_not_attendance() -> None:
    body = ("Dear CME team,\nMilan Horvat (Year 4) went to Slovakia on an unauthorised leave of absence in October. "
            "He was due back on 2nd November and has not returned; his father could not give us a return date.\n\n"
            "Jo Carey\nHeadteacher\n")
    parsed = mail(body, "Pupil not back from abroad", "head@oakridge.hants.sch.uk")
    assert categorise(parsed, True, None, "cme@hants.gov.uk")[0] == "cme_referral"


def test_a_home_educator_answering_our_letter_is_home_education_whatever_our_quoted_letter_says() -> None:
    body = ("I am home educating Poppy and have been since July, as I told the school in writing. Please stop "
            "sending me these letters.\n\nRuth Gale\n\nOn 2 Nov 2026, CME Team wrote:\n> The local authority has a "
            "duty to identify children who are not registered at a school and are not receiving suitable education\n"
            "> otherwise than at school. Our records indicate Poppy is no longer on roll at her school.\n")
    parsed = mail(body, "Re: Poppy Gale", "ruth.gale@example.org")
    assert categorise(parsed, True, None, "cme@hants.gov.uk")[0] == "ehe"


def test_a_voicemail_transcript_sent_by_a_machine_is_read_not_closed_as_an_automatic_reply() -> None:
    body = ("You have a new voicemail.\n\nFrom:      Withheld\nDuration:  0:58\n\nTranscript (automatically generated - "
            "may contain errors):\n\n\"hi I'm ringing about the two boys at number 9 Heathcote Rise, they're about "
            "eight and twelve, they're never at school\"\n\nThis is an automated message. Please do not reply.\n")
    headers = {"Auto-Submitted": "auto-generated", "Precedence": "bulk"}
    voicemail = mail(body, "New voicemail from Withheld (0:58)", "no-reply@vm.example.net", headers)
    assert detect_automatic(voicemail) is None
    assert not acknowledgement_allowed(voicemail, "cme_referral", "no-reply@vm.example.net", OWN)
    out_of_office = mail("I am out of the office until Monday. This is an automatically generated reply.",
                         "Away", "x@example.org", headers)
    assert detect_automatic(out_of_office) == "auto_reply"


def test_a_young_person_past_compulsory_school_age_is_not_a_child_missing_education(extraction_context) -> None:
    from tests.extraction.mail import extract_mail

    body = ("Good morning,\n\nWe have an application for our apprenticeship from a young man called Brandon Tilley "
            "(DOB 03/03/2010), 10 Ashdown Rise, Fair Oak, Eastleigh SO50 7RZ. He left his school in Year 11 before his "
            "GCSEs and has not been in education since. Is this your team?\n\nCallum Ferris\nRecruitment Advisor\n"
            "Solent Skills Training Ltd\n")
    record = extract_mail(extraction_context, body, "Callum Ferris <callum@example-training.co.uk>")
    assert record["children"][0]["date_of_birth"]["value"] == "2010-03-03"
    assert record["category"] == "other" and record["needs_review"]


def test_a_mailing_lists_bulletin_telling_a_childs_story_is_not_a_referral() -> None:
    body = ("EduReach UK | December Bulletin\nView this email in your browser: https://edureach.example.org/b/12\n\n"
            "IN THIS ISSUE\n- What the autumn census tells us\n- Voices: Sami, 13 (name changed), on eight months "
            "without a school place\n\nFREE TRAINING FOR PRACTITIONERS\nA 90-minute online session, 14 January 2027. "
            "Places are limited: https://edureach.example.org/events\n\nUnsubscribe: https://edureach.example.org/u\n")
    bulletin = mail(body, "December bulletin: new figures on children missing education", "news@edureach.example.org",
                    {"List-Id": "EduReach bulletin <bulletin.edureach.example.org>", "Precedence": "bulk"})
    assert categorise(bulletin, True, None)[0] == "other"


def test_a_child_at_risk_is_a_referral_even_when_the_message_speaks_of_attendance() -> None:
    body = ("I am writing about a Year 9 student, Ada Quill, who disclosed this morning that she is being sent to a "
            "relative abroad next week to be married. Her mother has taken her passport. PC Lewis is attending school "
            "this afternoon. Her attendance this year is 97%.")
    assert categorise(mail(body, "URGENT: Year 9 student - risk of forced marriage"), True, None, OWN)[0] == "cme_referral"
    calm = "Ada Quill's attendance this year is 81% and she is often late. Could the attendance team advise?"
    assert categorise(mail(calm, "Attendance advice"), True, None, OWN)[0] == "attendance"


def test_a_reply_over_the_writers_own_referral_is_an_update_of_it() -> None:
    quoted = ("\n\nFrom: Claire Example <c.example@school.example.org>\nSent: 10 November 2026 09:12\nTo: " + OWN +
              "\nSubject: CME referral - Basil Quill (Year 2)\n\nI would like to refer a Year 2 pupil, Basil Quill, "
              "DOB 03/05/2019, who has not attended since 2 October.\n")
    correction = "Sorry, wrong DOB in my email below - it should be 05/03/2019." + quoted
    assert categorise(mail(correction, "RE: CME referral - Basil Quill (Year 2)", "c.example@school.example.org"),
                      True, None, OWN)[0] == "case_update"
    forwarded_again = "SECOND EMAIL - nobody has replied." + quoted
    assert categorise(mail(forwarded_again, "FW: CME referral - Basil Quill (Year 2)", "c.example@school.example.org"),
                      True, None, OWN)[0] == "cme_referral"


def _link_mail(sender: str, link: str) -> bytes:
    return ("From: Hampshire County Council via DocuSign <" + sender + ">\r\nTo: cme@hants.gov.uk\r\n"
            "Subject: CME referral documents for signature\r\nDate: Mon, 16 Nov 2026 10:12:00 +0000\r\n"
            "Message-ID: <ds-1@example.org>\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n"
            "Hampshire County Council sent you CME referral documents to review.\r\n\r\nREVIEW DOCUMENTS\r\n"
            + link + "\r\n\r\nChildren Missing Education\r\n").encode()


def test_a_link_to_a_host_dressed_as_the_councils_makes_a_message_phishing_whatever_its_words() -> None:
    parsed = parse_message(_link_mail("dse@envelope-review.example.com",
                                      "https://hants-gov-uk.envelope-review.example.com/Signing?a=6c1f"), "m.eml")
    assert categorise(parsed, False, None, "cme@hants.gov.uk")[0] == "other"
    assert not acknowledgement_allowed(parsed, "other", "dse@envelope-review.example.com", "cme@hants.gov.uk")


def test_the_councils_own_mail_linking_to_its_own_services_is_not_phishing() -> None:
    parsed = parse_message(_link_mail("officer@hants.gov.uk", "https://hantsgov.sharepoint.example.com/sites/cme"),
                           "m.eml")
    assert "looks like spam or phishing" not in categorise(parsed, False, None, "cme@hants.gov.uk")[2]
