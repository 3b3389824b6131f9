"""Hostile and broken input: parse_message returns a ParsedMessage or raises UnparseableMessage, nothing else."""
from __future__ import annotations

import hashlib
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from parsers.errors import UnparseableMessage
from parsers.message import ParsedMessage
from parsers.mime import attachment_bytes, parse_message
from parsers.problems import CODES
from tests.parsers import documents as make

EMAILS = Path(__file__).parent.parent / "data" / "emails"
SEEDS = [p.read_bytes() for p in sorted(EMAILS.glob("*.eml"))] + [
    make.email_with([("form.pdf", "application/pdf", make.label_value_table_pdf([("Surname", "ORMEROD")], "Form"))]),
    make.email_with([("fwd.eml", "message/rfc822", make.email_with([("notes.txt", "text/plain", b"Surname: ORMEROD\n"),
                                                                   ("notes.txt", "text/plain", b"Surname: PELLING\n")])),
                     ("notes.txt", "text/plain", b"Surname: QUAYLE\n")]),
]
HEAD = b"From: a@example.org\nTo: cme@example.com\nSubject: test\nDate: Mon, 9 Nov 2026 10:00:00 +0000\nMIME-Version: 1.0\n"


def parse_or_refuse(data: bytes) -> ParsedMessage | None:
    try:
        message = parse_message(data)
    except UnparseableMessage:
        return None
    for source in message.sources:
        for pair in source.pairs:
            assert source.text[pair.start:pair.end] == pair.value
        for segment in source.segments:
            assert 0 <= segment.start < segment.end <= len(source.text)
    for problem in message.problems:
        assert problem.split(":", 1)[0] in CODES, problem
    for listed in message.attachments:  # every listed attachment can be fetched again, the same one
        name, _, payload = attachment_bytes(data, listed.index)
        assert (name, hashlib.sha256(payload).hexdigest()) == (listed.filename, listed.sha256)
    return message


@st.composite
def mutated(draw: st.DrawFn) -> bytes:
    data = bytearray(draw(st.sampled_from(SEEDS)))
    for _ in range(draw(st.integers(1, 8))):
        action = draw(st.sampled_from(["flip", "cut", "insert", "truncate"]))
        at = draw(st.integers(0, max(len(data) - 1, 0)))
        if action == "flip" and data:
            data[at] = draw(st.integers(0, 255))
        elif action == "cut":
            del data[at:at + draw(st.integers(1, 200))]
        elif action == "insert":
            data[at:at] = draw(st.sampled_from([b"\n", b"--", b"=?utf-8?b?", b"\x00", b"\r\n\r\n", b"Content-Type: multipart/mixed; boundary=\"\"\n",
                                                b"=\n", b"<table><tr><td>", b"\xff\xfe", b"charset=x-unknown"]))
        else:
            del data[at:]
    return bytes(data)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated())
def test_mutated_emails_never_raise_anything_else(data: bytes) -> None:
    parse_or_refuse(data)


@settings(max_examples=100, deadline=None)
@given(st.binary(max_size=2000))
def test_random_bytes_never_raise_anything_else(data: bytes) -> None:
    parse_or_refuse(HEAD + data)
    parse_or_refuse(data)


def nested(depth: int) -> bytes:
    body = b"Content-Type: text/plain\n\nhello\n"
    for i in range(depth):
        body = b"Content-Type: multipart/mixed; boundary=b%d\n\n--b%d\n" % (i, i) + body + b"\n--b%d--\n" % i
    return HEAD + body


def test_absurd_nesting_keeps_the_headers_and_says_why() -> None:
    for depth in (60, 3000):
        message = parse_or_refuse(nested(depth))
        assert message is not None and message.subject == "test"
        assert message.problems


def test_thousands_of_parts_are_cut_short() -> None:
    parts = b"".join(b"--x\nContent-Type: text/plain\n\npart %d\n" % i for i in range(3000))
    message = parse_or_refuse(HEAD + b"Content-Type: multipart/mixed; boundary=x\n\n" + parts + b"--x--\n")
    assert message is not None
    assert any("too large" in p for p in message.problems)


def test_absurdly_deep_html_still_gives_its_text() -> None:
    html = b"<div>" * 20000 + b"Kit Ober" + b"</div>" * 20000
    message = parse_or_refuse(HEAD + b"Content-Type: text/html\n\n" + html)
    assert message is not None
    assert "Kit Ober" in next(s for s in message.sources if s.part == "body").text


def test_attached_message_the_stdlib_cannot_write_back_is_still_listed_and_read() -> None:
    inner = (b"From: Pat Quayle <pat@example.org>\r\nDate: Fri, 6 Nov 2026\x0b11:21:06 +0000\r\nSubject: left\r\n\r\n"
             b"The family left on Friday.\r\n")
    raw = (HEAD + b"Content-Type: multipart/mixed; boundary=x\n\n--x\nContent-Type: text/plain\n\nSee attached.\n"
           b"--x\nContent-Type: message/rfc822\nContent-Disposition: attachment; filename=\"left.eml\"\n\n"
           + inner + b"\n--x--\n")
    message = parse_or_refuse(raw)
    assert message is not None and [a.filename for a in message.attachments] == ["left.eml"]
    attached = next(s for s in message.sources if s.part == "attachment:left.eml")
    assert "The family left on Friday." in attached.text


def test_pdf_whose_pages_cannot_be_built_is_a_problem() -> None:
    broken = make.pdf([(50, 40, "Referral")]).replace(b"/MediaBox", b"/Mediabox")  # same length: xref stays valid
    message = parse_or_refuse(make.email_with([("referral.pdf", "application/pdf", broken)]))
    assert message is not None
    assert any("'referral.pdf'" in p and "unreadable" in p for p in message.problems)


def test_a_charset_label_with_a_nul_byte_still_gives_the_text() -> None:
    data = (b"From: office@example.org\nTo: cme@example.com\nSubject: Wrong label\nDate: Thu, 5 Nov 2026 10:00:00 +0000\n"
            b"MIME-Version: 1.0\nContent-Type: text/plain; charset=\x00so-8859-1\nContent-Transfer-Encoding: 8bit\n\n"
            b"Zo\xc3\xab Br\xc3\xb6nte-Nu\xc3\xb1ez left on 2 November.\n")
    message = parse_message(data, "nul.eml")
    assert any("left on 2 November" in s.text for s in message.sources if s.part != "header")
