"""Real-world broken mail, written here with fictitious content: each test is one class of breakage a
peer project's corpus showed, and what the officer still gets from such a message."""
from __future__ import annotations

import base64
import binascii

import pytest

from parsers.errors import UnparseableMessage
from parsers.message import ParsedMessage, TextSource
from parsers.mime import attachment_bytes, parse_message

DATE = b"Date: Mon, 9 Nov 2026 10:00:00 +0000\n"


def body(message: ParsedMessage) -> TextSource:
    return next(s for s in message.sources if s.part == "body")


def _sjis_as_iso2022jp(text: str) -> bytes:
    """`text` written the way Windows mail programs write ISO-2022-JP (CP50220): the Shift_JIS pairs of cp932,
    NEC extension characters included, as JIS X 0208 pairs between ESC $B and ESC (B."""
    out = bytearray()
    jis = False
    for char in text:
        code = char.encode("cp932")
        if len(code) == 1:
            if jis:
                out += b"\x1b(B"
                jis = False
            out += code
            continue
        first, second = code
        row = (first - (0x70 if first <= 0x9F else 0xB0)) * 2
        if second < 0x9F:
            row, second = row - 1, second - (0x1F if second < 0x7F else 0x20)
        else:
            second -= 0x7E
        if not jis:
            out += b"\x1b$B"
            jis = True
        out += bytes([row, second])
    return bytes(out + (b"\x1b(B" if jis else b""))


def test_an_unencoded_gb2312_subject_is_read_in_the_charset_the_message_declares() -> None:
    raw = (b"From: Li Wen <li.wen@example.org>\nTo: cme@example.com\n" + "Subject: 关于孩子的学校".encode("gb2312") + b"\n"
           + DATE + b"MIME-Version: 1.0\nContent-Type: text/plain; charset=gb2312\nContent-Transfer-Encoding: 8bit\n\n"
           + "孩子没有学校。".encode("gb2312") + b"\n")
    message = parse_message(raw)
    assert message.subject == "关于孩子的学校"
    assert body(message).text.strip() == "孩子没有学校。"


def test_an_unencoded_header_takes_the_charset_of_the_text_part_of_a_multipart_message() -> None:
    raw = (b"From: " + "Tomasz Żak".encode("iso-8859-2") + b" <tomasz.zak@example.org>\nTo: cme@example.com\n"
           b"Subject: " + "Szkoła dla Łucji".encode("iso-8859-2") + b"\n" + DATE +
           b"MIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=zz\n\n--zz\n"
           b"Content-Type: text/plain; charset=iso-8859-2\n\nDzien dobry\n--zz--\n")
    message = parse_message(raw)
    assert (message.from_name, message.subject) == ("Tomasz Żak", "Szkoła dla Łucji")


def test_mostly_utf8_header_with_a_stray_byte_keeps_its_utf8() -> None:
    raw = ("From: Анна Петрова".encode() + b"\xf1 <anna.petrova@example.org>\nTo: cme@example.com\nSubject: hi\n"
           + DATE + b"\nhello\n")
    message = parse_message(raw)
    assert message.from_name.startswith("Анна Петрова")
    assert message.from_address == "anna.petrova@example.org"


def test_an_attachment_name_in_raw_8bit_keeps_its_letters() -> None:
    raw = (b"From: a@example.org\nTo: cme@example.com\nSubject: form\n" + DATE +
           b"MIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=zz\n\n--zz\n"
           b"Content-Type: text/plain; charset=iso-8859-1\n\nSee the form.\n--zz\n"
           b"Content-Type: text/plain; name=\"" + "Anmeldung Jürgen.txt".encode("latin-1") + b"\"\n"
           b"Content-Disposition: attachment; filename=\"" + "Anmeldung Jürgen.txt".encode("latin-1") + b"\"\n\n"
           b"Surname: Example\n--zz--\n")
    assert [a.filename for a in parse_message(raw).attachments] == ["Anmeldung Jürgen.txt"]


def test_shift_jis_text_labelled_iso_2022_jp_is_read_as_japanese() -> None:
    text = "山田さんの件でご連絡します。①番のクラスです。"
    raw = (b"From: a@example.org\nTo: cme@example.com\nSubject: =?ISO-2022-JP?B?" +
           base64.b64encode("お問い合わせ".encode("cp932")) + b"?=\n" + DATE +
           b"Content-Type: text/plain; charset=ISO-2022-JP\nContent-Transfer-Encoding: 8bit\n\n" + text.encode("cp932") + b"\n")
    message = parse_message(raw)
    assert body(message).text.strip() == text
    assert message.subject == "お問い合わせ"


def test_iso_2022_jp_with_windows_extension_characters_is_read_whole() -> None:
    text = "田中さん（①組）は㈱の社宅に住んでいます。"
    raw = (b"From: a@example.org\nTo: cme@example.com\nSubject: =?ISO-2022-JP?B?" +
           base64.b64encode(_sjis_as_iso2022jp("①の件")) + b"?=\n" + DATE +
           b"Content-Type: text/plain; charset=ISO-2022-JP\nContent-Transfer-Encoding: 7bit\n\n" + _sjis_as_iso2022jp(text) + b"\n")
    message = parse_message(raw)
    assert body(message).text.strip() == text
    assert message.subject == "①の件"


def test_a_comma_inside_an_encoded_display_name_keeps_the_senders_address() -> None:
    raw = (b"From: =?utf-8?Q?Ormerod,_Tess_(Brackenford_School)?= <t.ormerod@example.org>\nTo: cme@example.com\n"
           b"Subject: pupil\n" + DATE + b"\nhello\n")
    message = parse_message(raw)
    assert (message.from_address, message.from_name) == ("t.ormerod@example.org", "Ormerod, Tess (Brackenford School)")


def test_an_encoded_surname_after_a_plain_given_name_reads_as_one_name() -> None:
    raw = (b"From: Tomasz =?utf-8?q?Wi=C5=9Bniewski?= <t.wisniewski@example.pl>\nTo: cme@example.com\n"
           b"Subject: school place\n" + DATE + b"\nhello\n")
    assert parse_message(raw).from_name == "Tomasz Wi\u015bniewski"


def test_a_from_without_an_address_gives_way_to_a_second_from_that_has_one() -> None:
    raw = b"From: Quill\nFrom: Sam Quill <sam.quill@example.org>\nTo: cme@example.com\nSubject: hi\n" + DATE + b"\nhello\n"
    message = parse_message(raw)
    assert (message.from_address, message.from_name) == ("sam.quill@example.org", "Sam Quill")


def test_a_from_with_only_a_name_gives_no_address_but_keeps_the_name() -> None:
    message = parse_message(b"From: Pia Marsh\nTo: cme@example.com\nSubject: hi\n" + DATE + b"\nhello\n")
    assert (message.from_address, message.from_name) == (None, "Pia Marsh")
    assert any(p.startswith("no-sender") for p in message.problems)


def test_an_address_used_as_display_name_does_not_replace_the_real_mailbox() -> None:
    raw = b"From: head@school.example.org <lure@example.net>\nTo: cme@example.com\nSubject: hi\n" + DATE + b"\nhello\n"
    assert parse_message(raw).from_address == "lure@example.net"


HEAD = (b"From: Jane Roe <jane.roe@example.org>\r\nTo: cme@example.com\r\nSubject: Kit Ober has left\r\n"
        b"Date: Mon, 9 Nov 2026 10:00:00 +0000\r\n")


@pytest.mark.parametrize("stray", [
    b"---- Original email message ----\r\n",
    b"From jane.roe@example.org Mon Nov  9 10:00:00 2026\r\n",
    b"\r\n",
    b"   \r\n",
    b"Forwarded by the school office\r\n",
])
def test_a_stray_first_line_before_the_headers_still_yields_sender_subject_and_body(stray: bytes) -> None:
    message = parse_message(stray + HEAD + b"\r\nKit has not been in school since Monday.\r\n")
    assert (message.from_address, message.from_name) == ("jane.roe@example.org", "Jane Roe")
    assert message.subject == "Kit Ober has left"
    assert body(message).text.strip() == "Kit has not been in school since Monday."


def test_a_stray_line_before_a_folded_received_header_is_skipped() -> None:
    raw = (b"---- Original email message ----\r\nReceived: from mail.example.org\r\n\tby mx.example.com; Mon, 9 Nov 2026\r\n"
           + HEAD + b"\r\nKit has not been in school since Monday.\r\n")
    message = parse_message(raw)
    assert (message.from_address, message.subject) == ("jane.roe@example.org", "Kit Ober has left")


def test_text_with_no_header_block_at_all_is_still_not_an_email() -> None:
    with pytest.raises(UnparseableMessage):
        parse_message(b"Hi,\r\nFrom: Jane\r\nSent: today\r\n\r\nKit has left.\r\n")


def test_header_lines_broken_without_indentation_keep_sender_subject_and_the_decoded_body() -> None:
    text = "Kit Ober (born 02/03/2016) has not been seen since half term."
    raw = (b"Received: from mail.example.org by mx.example.com\r\nwith ESMTP id 123; Mon, 9 Nov 2026 10:00:01 +0000\r\n"
           b"From: Jane Roe\r\n<jane.roe@example.org>\r\nTo: cme@example.com,\r\nduty@example.com\r\n"
           b"Subject: =?utf-8?Q?Re:_Kit_Ober_?=\r\n=?utf-8?Q?Re:_has_left?=\r\nDate: Mon, 9 Nov 2026 10:00:00 +0000\r\n"
           b"MIME-Version: 1.0\r\nContent-Type: multipart/mixed;\r\nboundary=\"part-boundary\"\r\n\r\n"
           b"--part-boundary\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n"
           + base64.encodebytes(text.encode()).replace(b"\n", b"\r\n") + b"--part-boundary--\r\n")
    message = parse_message(raw)
    assert (message.from_address, message.from_name) == ("jane.roe@example.org", "Jane Roe")
    assert message.subject == "Re: Kit Ober Re: has left"
    assert message.to == ("cme@example.com", "duty@example.com")
    assert body(message).text.strip() == text
    assert any("without indentation" in p for p in message.problems)


def test_a_body_that_follows_the_headers_without_a_blank_line_stays_the_body() -> None:
    message = parse_message(b"From: a@example.org\nSubject: Kit\nKit has not been in school.\nHe moved.\n")
    assert message.subject == "Kit"
    assert body(message).text == "Kit has not been in school.\nHe moved.\n"


MIME = HEAD + b"MIME-Version: 1.0\r\n"


def test_a_multipart_with_no_boundary_parameter_keeps_its_text_and_invents_no_attachment() -> None:
    message = parse_message(MIME + b"Content-Type: multipart/alternative;\r\n\r\nKit has not been in school since Monday.\r\n")
    assert body(message).text.strip() == "Kit has not been in school since Monday."
    assert message.attachments == ()


def test_a_multipart_whose_declared_boundary_never_appears_keeps_its_parts() -> None:
    raw = (MIME + b"Content-Type: multipart/mixed; boundary=\"declared-one\"\r\n\r\n"
           b"--used-one\r\nContent-Type: text/plain\r\n\r\nKit has not been in school since Monday.\r\n"
           b"--used-one\r\nContent-Type: text/plain; name=notes.txt\r\nContent-Disposition: attachment; filename=notes.txt\r\n\r\n"
           b"Surname: Ober\r\n--used-one--\r\n")
    message = parse_message(raw)
    assert body(message).text.strip() == "Kit has not been in school since Monday."
    assert [a.filename for a in message.attachments] == ["notes.txt"]


def test_a_multipart_whose_boundary_never_appears_and_has_no_parts_is_read_as_text() -> None:
    raw = MIME + b"Content-Type: multipart/mixed; boundary=\"never-used\"\r\n\r\nKit has not been in school.\r\n-- \r\nJane\r\n"
    message = parse_message(raw)
    assert body(message).text.startswith("Kit has not been in school.")
    assert message.attachments == ()


def test_an_empty_multipart_gives_no_body_and_no_invented_attachment() -> None:
    message = parse_message(MIME + b"Content-Type: multipart/alternative; boundary=\"b\"\r\n\r\n\r\n")
    assert message.attachments == ()
    assert any(p.startswith("no-body") for p in message.problems)


def test_a_uuencoded_part_without_its_begin_line_is_decoded() -> None:
    text = b"Kit Ober has not been in school since Monday 2 November; the family has moved away.\r\n"
    encoded = b"".join(binascii.b2a_uu(text[i:i + 45]) for i in range(0, len(text), 45)) + b"`\n"
    message = parse_message(MIME + b"Content-Type: text/plain\r\nContent-Transfer-Encoding: x-uuencode\r\n\r\n" + encoded)
    assert body(message).text.strip() == text.decode().strip()


@pytest.mark.parametrize("damage", ["padding lost", "stray characters", "one character too many", "two pasted together",
                                    "stray characters and one too many"])
def test_base64_of_the_wrong_length_or_with_stray_characters_is_still_decoded(damage: str) -> None:
    text = "Kit Ober has not been in school since Monday; the family has moved away."
    encoded = base64.b64encode(text.encode())
    if damage == "padding lost":
        encoded = base64.b64encode((text + "!").encode()).rstrip(b"=")
        text += "!"
    elif damage == "stray characters":
        encoded = encoded[:20] + b"*" + encoded[20:40] + b"\x07!" + encoded[40:]
    elif damage == "one character too many":
        encoded += b"Q"
    elif damage == "stray characters and one too many":
        encoded = encoded[:20] + b"-" + encoded[20:40] + b"_" + encoded[40:] + b"Q"
    else:
        encoded = base64.b64encode(text[:11].encode()) + base64.b64encode(text[11:].encode())
    message = parse_message(MIME + b"Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n" + encoded + b"\r\n")
    assert body(message).text.strip() == text


def test_a_text_part_labelled_base64_that_is_plain_text_is_read_as_it_is() -> None:
    raw = MIME + b"Content-Type: text/plain\r\nContent-Transfer-Encoding: base64\r\n\r\nKit has not been in school, sorry.\r\n"
    assert body(parse_message(raw)).text.strip() == "Kit has not been in school, sorry."


def test_a_broken_base64_attachment_is_decoded_and_fetchable_by_its_index() -> None:
    content = b"Surname: Ober\nForename: Kitty\n"  # 30 bytes: 40 characters, the 41st is one too many
    raw = (MIME + b"Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\nSee the notes.\r\n--b\r\n"
           b"Content-Type: text/plain; name=notes.txt\r\nContent-Disposition: attachment; filename=notes.txt\r\n"
           b"Content-Transfer-Encoding: base64\r\n\r\n" + base64.b64encode(content) + b"Q\r\n--b--\r\n")
    message = parse_message(raw)
    notes = next(s for s in message.sources if s.part == "attachment:notes.txt")
    assert notes.text == content.decode()
    assert attachment_bytes(raw, 0) == ("notes.txt", "text/plain", content)


def test_a_recipient_whose_encoded_name_is_its_own_address_is_listed_once() -> None:
    raw = (b"From: a@example.org\nTo: =?utf-8?B?" + base64.b64encode(b"cme@example.com") + b"?= <cme@example.com>,\n"
           b" =?utf-8?Q?Ober,_Kit?= <kit.ober@example.org>\nSubject: hi\n" + DATE + b"\nhello\n")
    assert parse_message(raw).to == ("cme@example.com", "kit.ober@example.org")
