"""Authentication-Results headers: what the receiving server found of SPF, DKIM and DMARC, and which header to believe."""
from __future__ import annotations

import pytest

from parsers.authentication import parse_authentication_results, trusted
from parsers.mime import parse_message

EXCHANGE = ("spf=pass (sender IP is 192.0.2.10) smtp.mailfrom=quillfield.example.org; dkim=fail (signature did not "
            "verify) header.d=quillfield.example.org;dmarc=fail action=quarantine header.from=quillfield.example.org;"
            "compauth=fail reason=000")


def _mail(*authentication: str) -> bytes:
    lines = "".join(f"Authentication-Results: {a}\r\n" for a in authentication)
    return (f"Received: from mx.example.net by mx.hants.gov.uk; Mon, 2 Nov 2026 09:00:01 +0000\r\n{lines}"
            "From: Ola Brightwater <ola.brightwater@example.com>\r\nTo: cme@hants.gov.uk\r\nSubject: hello\r\n"
            "Date: Mon, 02 Nov 2026 09:00:00 +0000\r\nMessage-ID: <a1@example.com>\r\n\r\nHello.\r\n").encode()


def test_an_exchange_online_header_without_an_authserv_id_is_read():
    header = parse_authentication_results(EXCHANGE)
    assert header is not None and header.authserv_id == ""
    assert (header.result("spf"), header.result("dkim"), header.result("dmarc")) == ("pass", "fail", "fail")
    assert header.summary() == "SPF pass, DKIM fail, DMARC fail"
    dmarc = next(r for r in header.results if r.method == "dmarc")
    assert dmarc.property("header.from") == "quillfield.example.org"


@pytest.mark.parametrize("value, expected", [
    ("mx.hants.gov.uk; spf=pass smtp.mailfrom=example.org; dkim=pass header.d=example.org; dmarc=pass",
     "SPF pass, DKIM pass, DMARC pass"),
    ("mx.hants.gov.uk 1; spf=softfail (domain does not designate 192.0.2.1) smtp.mailfrom=example.org",
     "SPF softfail, DKIM not reported, DMARC not reported"),
    # one failed signature and one good one: the message is signed by someone
    ("mx.hants.gov.uk; dkim=fail header.d=a.example; dkim=pass header.d=example.org; dmarc=pass", "SPF not reported, DKIM pass, DMARC pass"),
    ('mx.hants.gov.uk; dmarc=fail (p=reject; dis=none) header.from="example.org"; spf=none', "SPF none, DKIM not reported, DMARC fail"),
    ("mx.hants.gov.uk (a comment (nested)); DKIM/1=PASS header.i=@example.org", "SPF not reported, DKIM pass, DMARC not reported"),
])
def test_each_check_is_read_whatever_the_writer_s_layout(value, expected):
    header = parse_authentication_results(value)
    assert header is not None and header.authserv_id == "mx.hants.gov.uk"
    assert header.summary() == expected


@pytest.mark.parametrize("value", ["", "   ", ";;;", "=;garbage ==="])
def test_an_unreadable_header_is_nothing_not_an_error(value):
    assert parse_authentication_results(value) is None


def test_a_server_that_checked_nothing_says_none():
    header = parse_authentication_results("mx.hants.gov.uk 1; none")
    assert header is not None and header.results == () and header.summary().startswith("SPF not reported")


def test_the_parsed_message_carries_every_header_topmost_first():
    parsed = parse_message(_mail("mx.hants.gov.uk; spf=fail smtp.mailfrom=example.com; dmarc=fail",
                                 "mx.example.net; spf=pass; dkim=pass; dmarc=pass"))
    assert [h.authserv_id for h in parsed.authentication] == ["mx.hants.gov.uk", "mx.example.net"]


def test_only_the_receiving_server_s_header_is_believed_and_a_forged_lower_one_is_not():
    forged = "mx.hants.gov.uk; spf=pass; dkim=pass; dmarc=pass"  # written by the sender, below the real ones
    parsed = parse_message(_mail("gateway.example.net; spf=pass; dkim=pass; dmarc=pass",
                                 "mx.hants.gov.uk; spf=fail; dkim=none; dmarc=fail", forged))
    # with the server named, its topmost header is the one believed
    assert trusted(parsed.authentication, "MX.hants.gov.uk").summary() == "SPF fail, DKIM none, DMARC fail"
    # with no server named, the topmost header only
    assert trusted(parsed.authentication).authserv_id == "gateway.example.net"
    # a server that wrote nothing leaves the checks unknown
    assert trusted(parsed.authentication, "mx.other.example") is None
    assert trusted(parse_message(_mail()).authentication) is None
