"""The acknowledgement and the forward, as the recipient's mail program reads them."""
from __future__ import annotations

import email
import email.policy
from datetime import datetime, timezone

from config.settings import load_settings
from notifier.acks import compose_ack, compose_forward, new_message_id
from notifier.templating import make_env
from notifier.triage import Forward

TEAMS = load_settings({}).teams
NOW = datetime(2026, 11, 20, 9, 0, tzinfo=timezone.utc)


def _read(data: bytes):
    return email.message_from_bytes(data, policy=email.policy.default)


def _ack(**kw):
    values = dict(reference="CME-2026-00042", recipient="parent@example.com", category="cme_referral",
                  in_reply_to="<orig@example.com>", references=["<root@example.com>"], forward=None, teams=TEAMS,
                  env=make_env(), message_id=new_message_id(TEAMS), now=NOW)
    values.update(kw)
    return _read(compose_ack(**values))


def test_ack_carries_the_reference_threads_and_is_automatic():
    msg = _ack()
    assert "[CME-2026-00042]" in msg["Subject"]
    assert msg["In-Reply-To"] == "<orig@example.com>"
    assert msg["References"].split() == ["<root@example.com>", "<orig@example.com>"]
    assert msg["Auto-Submitted"] == "auto-replied"
    assert msg["From"].addresses[0].addr_spec == TEAMS.cme
    assert msg["Message-ID"].endswith("@hants.gov.uk>")
    plain = msg.get_body(("plain",)).get_content()
    html = msg.get_body(("html",)).get_content()
    for text in (plain, html):
        assert "CME-2026-00042" in text and "999" in text and "What happens next" in text


def test_ack_of_a_forwarded_message_says_which_team_has_it():
    forward = Forward(TEAMS.ehe, "elective home education", "the Elective Home Education team")
    plain = _ack(forward=forward, category="ehe").get_body(("plain",)).get_content()
    assert "the Elective Home Education team" in plain


def test_ack_html_escapes_what_it_is_given():
    forward = Forward(TEAMS.ehe, "<script>alert(1)</script>", "the <b>team</b>")
    html = _ack(forward=forward).get_body(("html",)).get_content()
    assert "<script>" not in html and "&lt;script&gt;" in html


def test_forward_attaches_the_original_message_whole():
    original = b"From: parent@example.com\r\nSubject: home education\r\nMessage-ID: <p1@example.com>\r\n\r\nWe will home educate.\r\n"
    forward = Forward(TEAMS.ehe, "elective home education", "the Elective Home Education team")
    msg = _read(compose_forward(raw=original, reference="CME-2026-00043", forward=forward, received=NOW, teams=TEAMS,
                                env=make_env(), message_id=new_message_id(TEAMS), now=NOW))
    assert msg["To"] == TEAMS.ehe and "CME-2026-00043" in msg["Subject"]
    (attached,) = list(msg.iter_attachments())
    assert attached.get_content_type() == "message/rfc822"
    inner = attached.get_content()
    assert inner["Message-ID"] == "<p1@example.com>"
    assert "We will home educate." in inner.get_content()


OUTLOOK_ID = "<LO2P265MB5087E76D6DD9A494889DDBBF3F64@LO2P265MB5087.GBRP265.PROD.OUTLOOK.COM>"
OUTLOOK_THREAD = ["<AM6P265MB4127A1B2C3D4E5F60718293A4B5C@AM6P265MB4127.GBRP265.PROD.OUTLOOK.COM>",
                  "<CWLP265MB6023F0E1D2C3B4A5968778695A4B@CWLP265MB6023.GBRP265.PROD.OUTLOOK.COM>",
                  "<DB9P265MB1784C0FFEE0DDBA11FEEDFACE123@DB9P265MB1784.GBRP265.PROD.OUTLOOK.COM>"]


def _header_lines(data: bytes, name: str) -> list[str]:
    """The raw lines of header `name` (its first line and continuation lines), as they go on the wire."""
    head = data.split(b"\r\n\r\n", 1)[0].decode("ascii").split("\r\n")
    start = next(i for i, line in enumerate(head) if line.lower().startswith(name.lower() + ":"))
    end = next((i for i in range(start + 1, len(head)) if not head[i].startswith((" ", "\t"))), len(head))
    return head[start:end]


def test_long_outlook_ids_thread_unencoded_and_fold_only_between_ids():
    data = compose_ack(reference="CME-2026-00042", recipient="parent@example.com", category="cme_referral",
                       in_reply_to=OUTLOOK_ID, references=OUTLOOK_THREAD, forward=None, teams=TEAMS, env=make_env(),
                       message_id=new_message_id(TEAMS), now=NOW)
    assert b"=?" not in data.split(b"\r\n\r\n", 1)[0]
    assert _header_lines(data, "In-Reply-To") == [f"In-Reply-To: {OUTLOOK_ID}"]
    references = _header_lines(data, "References")
    assert " ".join(line.strip() for line in references) == "References: " + " ".join(OUTLOOK_THREAD + [OUTLOOK_ID])
    assert all(line.strip().startswith(("References:", "<")) and line.endswith(">") for line in references)
    msg = _read(data)
    assert msg["In-Reply-To"] == OUTLOOK_ID
    assert msg["References"].split() == OUTLOOK_THREAD + [OUTLOOK_ID]


def test_short_ids_share_a_line_and_a_long_thread_keeps_its_root_and_newest_ids():
    many = [f"<m{i}@example.org>" for i in range(1, 15)]
    msg = _ack(in_reply_to="<m15@example.org>", references=many)
    assert msg["References"].split() == ["<m1@example.org>"] + many[-8:] + ["<m15@example.org>"]
    data = compose_ack(reference="CME-2026-00042", recipient="parent@example.com", category="cme_referral",
                       in_reply_to="<m15@example.org>", references=many, forward=None, teams=TEAMS, env=make_env(),
                       message_id=new_message_id(TEAMS), now=NOW)
    assert all(len(line) <= 78 for line in _header_lines(data, "References"))


def test_an_id_that_is_not_plain_ascii_is_left_out_not_encoded():
    msg = _ack(in_reply_to="<заявка@example.org>", references=["<root@example.org>", "<bad\u00a0id@example.org>"])
    assert msg["In-Reply-To"] is None
    assert msg["References"] == "<root@example.org>"


def test_forward_keeps_the_original_s_long_header_lines_as_they_arrived():
    lines = [f"References: {' '.join(OUTLOOK_THREAD)}", f"Message-ID: {OUTLOOK_ID}"]
    original = ("From: parent@example.com\r\nSubject: home education\r\n" + "\r\n".join(lines)
                + "\r\n\r\nWe will home educate.\r\n").encode()
    forward = Forward(TEAMS.ehe, "elective home education", "the Elective Home Education team")
    data = compose_forward(raw=original, reference="CME-2026-00043", forward=forward, received=NOW, teams=TEAMS,
                           env=make_env(), message_id=new_message_id(TEAMS), now=NOW)
    for line in lines:
        assert line.encode() + b"\r\n" in data
    inner = next(_read(data).iter_attachments()).get_content()
    assert inner["Message-ID"] == OUTLOOK_ID and inner["References"].split() == OUTLOOK_THREAD


def test_forward_of_a_message_with_an_overlong_header_line_stays_within_smtp_s_line_limit():
    subject = "Re: " + " ".join(["pupil records request"] * 60)  # one 1,300-character line: too long for SMTP
    original = (f"From: parent@example.com\r\nSubject: {subject}\r\nMessage-ID: {OUTLOOK_ID}\r\n\r\n"
                "We will home educate.\r\n").encode()
    forward = Forward(TEAMS.ehe, "elective home education", "the Elective Home Education team")
    data = compose_forward(raw=original, reference="CME-2026-00044", forward=forward, received=NOW, teams=TEAMS,
                           env=make_env(), message_id=new_message_id(TEAMS), now=NOW)
    assert max(len(line) for line in data.split(b"\r\n")) <= 998
    (attached,) = list(_read(data).iter_attachments())
    assert attached.get_filename() == "original-message.eml"
    assert attached.get_content() == original  # the bytes untouched, in base64 since the line cannot travel as it is
    inner = _read(attached.get_content())
    assert inner["Subject"] == subject and inner["Message-ID"] == OUTLOOK_ID


def _attached_bytes(data: bytes) -> bytes:
    """The attached original as the forward carries it, cut from the forward's own bytes."""
    head, body = data.split(b"Content-Type: message/rfc822\r\n", 1)
    boundary = head.split(b'boundary="', 1)[1].split(b'"', 1)[0]
    return body.split(b"\r\n\r\n", 1)[1].split(b"\r\n--" + boundary, 1)[0]


def test_forward_attaches_the_original_byte_for_byte_and_says_who_sent_it_but_not_the_subject():
    original = ("From: Nell Quarry <nell.quarry@example.org>\r\nSubject: =?utf-8?q?Home_education_for_Ellis?=\r\n"
                "Message-ID: <p2@example.org>\r\nContent-Type: text/plain; charset=utf-8\r\n"
                "Content-Transfer-Encoding: 8bit\r\n\r\nWe will home educate Ellis – from Monday.\r\n"
                "From the school: a line a parser might mangle\r\n.\r\n").encode()
    forward = Forward(TEAMS.ehe, "elective home education", "the Elective Home Education team")
    data = compose_forward(raw=original, reference="CME-2026-00045", forward=forward, received=NOW, teams=TEAMS,
                           env=make_env(), message_id=new_message_id(TEAMS), now=NOW,
                           sender="nell.quarry@example.org")
    assert _attached_bytes(data) == original
    msg = _read(data)
    cover = msg.get_body(("plain",)).get_content()
    assert "CME-2026-00045" in cover and "From: nell.quarry@example.org" in cover
    assert "Ellis" not in cover and "Home education for" not in cover  # the subject may name a child


def test_forward_of_a_maildir_file_with_bare_line_ends_attaches_it_with_crlf_line_ends():
    original = b"From: parent@example.com\nSubject: home education\nMessage-ID: <p3@example.com>\n\nWe will home educate.\n"
    forward = Forward(TEAMS.ehe, "elective home education", "the Elective Home Education team")
    data = compose_forward(raw=original, reference="CME-2026-00046", forward=forward, received=NOW, teams=TEAMS,
                           env=make_env(), message_id=new_message_id(TEAMS), now=NOW)
    assert _attached_bytes(data) == original.replace(b"\n", b"\r\n")
