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
