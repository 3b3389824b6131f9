"""parse_message on fixture emails: headers, body text, pairs, segments, problems."""
from __future__ import annotations

from pathlib import Path

import pytest

from parsers.errors import UnparseableMessage
from parsers.message import ParsedMessage, TextSource
from parsers.mime import parse_message

EMAILS = Path(__file__).parent.parent / "data" / "emails"


def parse(name: str) -> ParsedMessage:
    return parse_message((EMAILS / name).read_bytes(), name)


def body(message: ParsedMessage) -> TextSource:
    return next(s for s in message.sources if s.part == "body")


def pairs(source: TextSource) -> dict[str, str]:
    for p in source.pairs:
        assert source.text[p.start:p.end] == p.value
    return {p.label: p.value for p in source.pairs}


def segment_texts(source: TextSource, kind: str) -> list[str]:
    return [source.text[s.start:s.end] for s in source.segments if s.kind == kind]


@pytest.mark.parametrize(("name", "expected_in_body"), [
    ("cp1252-qp.eml", "I’m writing about my son “Jamie” – he hasn’t been"),
    ("iso-8859-2.eml", "My daughter Łucja Kowalczyk-Żak needs a school place."),
    ("undeclared-8bit.eml", "Renée Fournier was seen at the café – not in school."),
    ("wrong-charset.eml", "Zoë Brönte-Nuñez left on 2 November."),
    ("missing-final-boundary.eml", "Click here to keep your mailbox."),
])
def test_body_decodes_to_the_right_characters(name: str, expected_in_body: str) -> None:
    message = parse(name)
    assert expected_in_body in body(message).text
    assert "\r" not in body(message).text


def test_headers_are_decoded_and_normalised() -> None:
    message = parse("iso-8859-2.eml")
    assert message.from_name == "Tomasz Żak"
    assert message.from_address == "tomasz.zak@example.org"
    assert message.subject == "Szkoła dla Łucji"
    assert message.date == "2026-11-04T19:03:37+01:00"
    assert message.message_id == "<pl-1@example.org>"
    assert message.header("content-type").startswith("text/plain")
    header = next(s for s in message.sources if s.part == "header")
    assert header.text.splitlines()[0] == "From: Tomasz Żak <tomasz.zak@example.org>"


def test_sender_address_is_lower_case() -> None:
    assert parse("cp1252-qp.eml").from_address == "dana.whitlow@example.org"


def test_reply_threading_headers() -> None:
    message = parse("quoted-reply.eml")
    assert message.in_reply_to == "<ack.107@example.com>"
    assert message.references == ("<first.107@example.com>", "<ack.107@example.com>")


def test_html_only_table_rows_become_lines_and_pairs() -> None:
    source = body(parse("html-only-table.eml"))
    assert source.kind == "html"
    assert "Name | Ellis Varnham" in source.text
    assert "alert" not in source.text and "MsoNormal" not in source.text
    assert pairs(source) == {
        "Name": "Ellis Varnham",
        "Date of birth": "09.02.2014",
        "Home address": "12 Thistle Court, Exampleton, EX1 2AB",
        "Notes & actions": "Moved – no forwarding address",
    }
    assert segment_texts(source, "disclaimer") == [
        "The information in this email is confidential and intended solely for the addressee."]
    assert segment_texts(source, "signature")[0].startswith("Kind regards\nRobin Ashdown")


def test_outlook_forward_is_segmented_with_its_author() -> None:
    source = body(parse("outlook-forward.eml"))
    forwarded = [s for s in source.segments if s.kind == "forwarded"]
    assert len(forwarded) == 1
    segment = forwarded[0]
    assert (segment.from_address, segment.from_name) == ("casey.brook@police.example.org", "Casey Brook")
    assert segment.sent == "2026-11-09T16:40:00"
    assert "Two children aged about 8 and 11" in source.text[segment.start:segment.end]
    top = next(s for s in source.segments if s.kind == "top")
    assert "Passing this on" in source.text[top.start:top.end]
    assert "Two children" not in source.text[top.start:top.end]
    assert segment_texts(source, "disclaimer")[0].startswith("This email and any attachments are confidential")


def test_gmail_forward_is_segmented_with_its_author() -> None:
    source = body(parse("gmail-forward.eml"))
    segment = next(s for s in source.segments if s.kind == "forwarded")
    assert (segment.from_address, segment.from_name) == ("jo.denholm@example.org", "Jo Denholm")
    assert segment.sent == "2026-11-12T16:02:00"
    assert source.text[segment.start:].startswith("---------- Forwarded message")
    assert "The two boys at number 15" in source.text[segment.start:segment.end]


def test_quoted_reply_keeps_quoted_text_and_labels_it() -> None:
    source = body(parse("quoted-reply.eml"))
    quoted = next(s for s in source.segments if s.kind == "quoted")
    assert quoted.from_address == "cme@example.com"
    assert quoted.from_name == "Children Missing Education"
    assert "> Please let me know" in source.text[quoted.start:quoted.end]
    top = source.text[source.segments[0].start:source.segments[0].end]
    assert "the children started today" in top and ">" not in top


def test_thread_segments_cover_the_body_in_order() -> None:
    for name in ("outlook-forward.eml", "gmail-forward.eml", "quoted-reply.eml", "cp1252-qp.eml"):
        source = body(parse(name))
        thread = [s for s in source.segments if s.kind in ("top", "forwarded", "quoted")]
        assert thread[0].start == 0
        assert all(a.end == b.start for a, b in zip(thread, thread[1:]))
        assert thread[-1].end == len(source.text)


def test_missing_final_boundary_is_a_problem_not_an_error() -> None:
    message = parse("missing-final-boundary.eml")
    assert any("CloseBoundaryNotFound" in p for p in message.problems)


def test_undeclared_8bit_is_noted() -> None:
    assert any("windows-1252" in p for p in parse("undeclared-8bit.eml").problems)


@pytest.mark.parametrize("data", [
    b"",
    b"   \r\n\r\n",
    (EMAILS / "garbage.bin").read_bytes(),
    b"\x00\x01\x02\x03" * 200,
    b"just a line of text with no headers at all\nand another\n",
])
def test_bytes_that_are_not_an_email_are_unparseable(data: bytes) -> None:
    with pytest.raises(UnparseableMessage):
        parse_message(data)


def test_html_table_beats_a_plain_part_that_lost_it() -> None:
    raw = (
        "From: forms@example.org\nTo: cme@example.com\nSubject: Form\nDate: Mon, 9 Nov 2026 10:00:00 +0000\n"
        "MIME-Version: 1.0\nContent-Type: multipart/alternative; boundary=b\n\n"
        "--b\nContent-Type: text/plain\n\nChild name\nSam Quill\nDate of birth\n01/02/2015\n\n"
        "--b\nContent-Type: text/html\n\n<table><tr><td>Child name</td><td>Sam Quill</td></tr>"
        "<tr><td>Date of birth</td><td>01/02/2015</td></tr></table>\n--b--\n"
    ).encode()
    source = body(parse_message(raw))
    assert source.kind == "html"
    assert pairs(source) == {"Child name": "Sam Quill", "Date of birth": "01/02/2015"}


def test_html_table_beats_a_plain_part_that_ran_each_label_into_its_value() -> None:
    raw = (
        "From: senco@example.org\nTo: cme@example.com\nSubject: Referral\nDate: Mon, 9 Nov 2026 10:00:00 +0000\n"
        "MIME-Version: 1.0\nContent-Type: multipart/alternative; boundary=b\n\n"
        "--b\nContent-Type: text/plain\n\nName Sam Quill\n\nDate of birth 01/02/2015\n\n"
        "--b\nContent-Type: text/html\n\n<table><tr><td><b>Name</b></td><td>Sam Quill</td></tr>"
        "<tr><td><b>Date of birth</b></td><td>01/02/2015</td></tr></table>\n--b--\n"
    ).encode()
    source = body(parse_message(raw))
    assert source.kind == "html"
    assert pairs(source) == {"Name": "Sam Quill", "Date of birth": "01/02/2015"}


def test_an_html_table_of_pupils_beats_a_plain_part_that_wrote_one_cell_per_line() -> None:
    raw = (
        "From: data@example.org\nTo: cme@example.com\nSubject: Off roll\nDate: Mon, 9 Nov 2026 10:00:00 +0000\n"
        "MIME-Version: 1.0\nContent-Type: multipart/alternative; boundary=b\n\n"
        "--b\nContent-Type: text/plain\n\nPupils taken off roll:\n\nName\nDate of birth\nReg 9(1) ground\nDestination\n"
        "Sam Quill\n01/02/2013\nB\nOakridge Academy\nKit Ober\n12/12/2012\nA\nNot known\n\n"
        "--b\nContent-Type: text/html\n\n<p>Pupils taken off roll:</p><table><tr><th>Name</th><th>Date of birth</th>"
        "<th>Reg 9(1) ground</th><th>Destination</th></tr><tr><td>Sam Quill</td><td>01/02/2013</td><td>B</td><td>Oakridge "
        "Academy</td></tr><tr><td>Kit Ober</td><td>12/12/2012</td><td>A</td><td>Not known</td></tr></table>\n--b--\n"
    ).encode()
    source = body(parse_message(raw))
    assert source.kind == "html"
    assert "Sam Quill | 01/02/2013 | B | Oakridge Academy" in source.text


def test_an_html_document_sent_as_text_plain_is_read_as_html() -> None:
    raw = (
        "From: office@example.org\nTo: cme@example.com\nSubject: Referral\nDate: Mon, 9 Nov 2026 10:00:00 +0000\n"
        "MIME-Version: 1.0\nContent-Type: text/plain; charset=utf-8\n\n"
        "<html><body><p>Please see below.</p><table><tr><td>Child name</td><td>Sam Quill</td></tr></table>"
        "</body></html>\n"
    ).encode()
    source = body(parse_message(raw))
    assert source.kind == "html" and "<td>" not in source.text
    assert pairs(source) == {"Child name": "Sam Quill"}


def test_plain_part_is_preferred_when_it_renders_the_html() -> None:
    raw = (
        "From: a@example.org\nTo: cme@example.com\nSubject: Hi\nDate: Mon, 9 Nov 2026 10:00:00 +0000\n"
        "MIME-Version: 1.0\nContent-Type: multipart/alternative; boundary=b\n\n"
        "--b\nContent-Type: text/plain\n\nPlain words about Kit Ober.\n\n"
        "--b\nContent-Type: text/html\n\n<p>HTML words about Kit Ober.</p>\n--b--\n"
    ).encode()
    source = body(parse_message(raw))
    assert (source.kind, source.text.strip()) == ("plain", "Plain words about Kit Ober.")


def test_html_blockquote_reply_is_quoted_and_mailto_addresses_are_kept() -> None:
    html = ('<div>Thanks, they start on Monday.</div><div>On Mon, 2 Nov 2026 at 14:10, CME Team &lt;'
            '<a href="mailto:cme@example.com">cme@example.com</a>&gt; wrote:<br></div><blockquote type="cite">'
            '<div>Dear Ms Ilves,</div><div>Please tell <a href="mailto:officer@example.com">the officer</a>.</div>'
            '</blockquote>')
    raw = ("From: Mari Ilves <mari.ilves@example.org>\nTo: cme@example.com\nSubject: Re: places\n"
           "Date: Mon, 9 Nov 2026 10:00:00 +0000\nContent-Type: text/html; charset=utf-8\n\n" + html).encode()
    source = body(parse_message(raw))
    assert "> Please tell the officer <officer@example.com>." in source.text.splitlines()
    quoted = next(s for s in source.segments if s.kind == "quoted")
    assert (quoted.from_address, quoted.from_name) == ("cme@example.com", "CME Team")
    assert "Dear Ms Ilves" in source.text[quoted.start:quoted.end]
    assert "they start on Monday" not in source.text[quoted.start:quoted.end]


def test_signature_starts_at_the_sign_off_before_a_mobile_footer() -> None:
    raw = (b"From: a@example.org\nTo: cme@example.com\nSubject: Hi\nDate: Mon, 9 Nov 2026 10:00:00 +0000\n\n"
           b"Lena has not been to school this week.\n\nKind regards\nPia Marsh\n\nSent from my iPhone\n")
    source = body(parse_message(raw))
    assert segment_texts(source, "signature") == ["Kind regards\nPia Marsh\n\nSent from my iPhone"]


def test_iso_2022_jp_body_is_decoded() -> None:
    text = "すみません。"
    raw = (b"From: a@example.org\nTo: cme@example.com\nSubject: jp\nDate: Mon, 9 Nov 2026 10:00:00 +0000\n"
           b"Content-Type: text/plain; charset=ISO-2022-JP\n\n" + text.encode("iso2022_jp") + b"\n")
    assert body(parse_message(raw)).text.strip() == text


def test_library_logs_do_not_carry_header_values(caplog: pytest.LogCaptureFixture) -> None:
    raw = (b"From: a@example.org\nTo: cme@example.com\nSubject: Raina Velkova =?UTF-8?B?44G+4.G/44KA44KB44KC?=\n"
           b"Date: Mon, 9 Nov 2026 10:00:00 +0000\n\nbody\n")
    with caplog.at_level("DEBUG"):
        parse_message(raw)
    assert "Raina" not in caplog.text


def test_a_header_block_on_one_line_still_starts_a_quote() -> None:
    raw = (b"From: Sam Orr <sam.orr@example.org>\nTo: cme@example.com\nSubject: RE: boys\n"
           b"Date: Mon, 9 Nov 2026 10:00:00 +0000\n\nSee below.\n\nBest,\nSam\n\n"
           b"From: Jo Ree <jo@example.org> Sent: 09 November 2026 16:40 To: Sam Orr Subject: boys\n\nThey left.\n")
    source = body(parse_message(raw))
    quoted = next(s for s in source.segments if s.kind == "quoted")
    assert (quoted.from_address, quoted.from_name, quoted.sent) == ("jo@example.org", "Jo Ree", "2026-11-09T16:40:00")
    assert segment_texts(source, "signature") == ["Best,\nSam"]


def test_html_charset_declared_only_in_a_meta_tag() -> None:
    html = '<html><head><meta http-equiv="Content-Type" content="text/html; charset=iso-8859-2"></head>' \
           '<body><p>Łucja Żak</p></body></html>'
    raw = (b"From: a@example.org\nTo: cme@example.com\nSubject: x\nDate: Mon, 9 Nov 2026 10:00:00 +0000\n"
           b"Content-Type: text/html\nContent-Transfer-Encoding: 8bit\n\n" + html.encode("iso-8859-2"))
    assert body(parse_message(raw)).text == "Łucja Żak"


def test_tab_separated_lines_of_a_plain_body_are_pairs() -> None:
    raw = (b"From: a@example.org\nTo: cme@example.com\nSubject: x\nDate: Mon, 9 Nov 2026 10:00:00 +0000\n\n"
           b"Details below.\nChild name\tSam Quill\nDate of birth\t\t01/02/2015\nTime: 10:30\n")
    assert pairs(body(parse_message(raw))) == {"Child name": "Sam Quill", "Date of birth": "01/02/2015", "Time": "10:30"}


def test_html_rows_of_several_cells_stay_on_one_line() -> None:
    html = ("<table><tr><th>Name</th><th>Address</th><th>Date of birth</th></tr>"
            "<tr><td>Sam Quill</td><td>4 Reed Walk<br>Exampleton</td><td>01/02/2015</td></tr></table>")
    raw = (b"From: a@example.org\nTo: cme@example.com\nSubject: x\nDate: Mon, 9 Nov 2026 10:00:00 +0000\n"
           b"Content-Type: text/html; charset=utf-8\n\n" + html.encode())
    source = body(parse_message(raw))
    assert "Sam Quill | 4 Reed Walk, Exampleton | 01/02/2015" in source.text.splitlines()
    assert {(p.label, p.value, p.kind) for p in source.pairs} == {
        ("Name", "Sam Quill", "table_column"), ("Address", "4 Reed Walk, Exampleton", "table_column"),
        ("Date of birth", "01/02/2015", "table_column")}


def test_a_form_notification_with_each_answer_under_its_question_gives_labelled_pairs() -> None:
    body = ("A new referral has been submitted.\n\nWhat is your name?\nOrin Bellwether\n\n"
            "6. Child's full name\nMarigold Whistledown\n\nDate of birth\n03/04/2015\n\n"
            "Kind regards,\nThe forms team\n")
    raw = (b"From: noreply@forms.example.org\r\nTo: cme@example.org\r\nSubject: New response\r\n"
           b"Date: Tue, 03 Nov 2026 09:00:00 +0000\r\nMessage-ID: <q@example.org>\r\n\r\n" + body.encode())
    source = next(s for s in parse_message(raw, "q.eml").sources if s.part == "body")
    pairs = {p.label: p.value for p in source.pairs}
    assert pairs["What is your name"] == "Orin Bellwether"
    assert pairs["Child's full name"] == "Marigold Whistledown" and pairs["Date of birth"] == "03/04/2015"
    dob = next(p for p in source.pairs if p.label == "Date of birth")
    assert source.text[dob.start:dob.end] == "03/04/2015"


def test_a_sender_whose_display_name_has_an_unquoted_comma_keeps_its_address() -> None:
    raw = (b"From: EXAMPLE, Orin (BRACKENFORD HEALTH NHS FOUNDATION\r\n TRUST) <orin.example@nhs.net>\r\n"
           b"To: cme@example.org\r\nSubject: Referral\r\nDate: Tue, 03 Nov 2026 09:00:00 +0000\r\n"
           b"Message-ID: <c@example.org>\r\n\r\nHello\r\n")
    parsed = parse_message(raw, "c.eml")
    assert parsed.from_address == "orin.example@nhs.net"
    assert parsed.from_name == "EXAMPLE, Orin"


def test_a_pasted_record_with_labels_and_values_in_columns_gives_its_pairs_and_prose_gives_none() -> None:
    from parsers.pairs import spaced_pairs

    text = ("Student Details\nLegal Surname         QUILL\nLegal Forename        Jasper\n"
            "Date of Birth         29/08/2011\nUPN                   B850205715023\n\n"
            "He said  that he would come.  We rang  twice.\n")
    got = [(p.label, p.value, text[p.start:p.end]) for p in spaced_pairs(text)]
    assert [(label, value) for label, value, _ in got] == [
        ("Legal Surname", "QUILL"), ("Legal Forename", "Jasper"), ("Date of Birth", "29/08/2011"),
        ("UPN", "B850205715023")]
    assert all(value == span for _, value, span in got)


def test_labels_aligned_with_colons_are_left_to_the_colon_reader() -> None:
    from parsers.pairs import spaced_pairs

    text = "SUBJECT\n  Name            : QUILL, Nell\n  Sex             : Female\n  DOB             : 06-Jun-2012\n"
    assert spaced_pairs(text) == []


def test_an_html_definition_list_gives_its_terms_and_values_as_pairs() -> None:
    raw = (
        "From: worker@example.org\nTo: cme@example.com\nSubject: Referral\nDate: Mon, 9 Nov 2026 10:00:00 +0000\n"
        "MIME-Version: 1.0\nContent-Type: text/html; charset=utf-8\n\n"
        "<p>Details below.</p><dl><dt>Child's name</dt><dd>Kai Demby</dd><dt>Date of birth</dt><dd>30.05.2017</dd>"
        "<dt>Current address</dt><dd>Flat 6, 31 West Street<br>Havant<br>PO9 1LG</dd></dl><p>Nadia</p>\n"
    ).encode()
    source = body(parse_message(raw))
    assert pairs(source) == {"Child's name": "Kai Demby", "Date of birth": "30.05.2017",
                             "Current address": "Flat 6, 31 West Street, Havant, PO9 1LG"}
