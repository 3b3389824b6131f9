"""Look-alike senders and failed sender checks: nothing is sent to an impostor, and the officer is told why."""
from __future__ import annotations

import csv

import pytest

from config.phrasebook import CONFUSABLES_FILE, ORGANISATIONS_FILE
from config.settings import load_settings
from extraction.senders import assess, imitation, own_domain, skeleton
from parsers.mime import parse_message

GENUINE = ("hants.gov.uk", *(row["domain"] for row in csv.DictReader(ORGANISATIONS_FILE.open(encoding="utf-8"))))
HANTS_CYRILLIC = "h\u0430nts.gov.uk"  # the а is Cyrillic
PASS = "mx.hants.gov.uk; spf=pass smtp.mailfrom={d}; dkim=pass header.d={d}; dmarc=pass header.from={d}"
FAIL = "mx.hants.gov.uk; spf=fail smtp.mailfrom={d}; dkim=none; dmarc=fail (p=reject) header.from={d}"


def mail(sender: str, authentication: str | None = None, reply_to: str | None = None) -> bytes:
    domain = sender.rsplit("@", 1)[-1]
    lines = [f"Authentication-Results: {authentication.format(d=domain)}"] if authentication else []
    lines += [f"From: Records Team <{sender}>", "To: cme@hants.gov.uk", "Subject: Data check",
              "Date: Mon, 16 Nov 2026 10:12:00 +0000", "Message-ID: <dc-1@example.org>"]
    lines += [f"Reply-To: {reply_to}"] if reply_to else []
    lines += ["MIME-Version: 1.0", 'Content-Type: text/plain; charset="utf-8"', "Content-Transfer-Encoding: 8bit", "",
              "Dear colleague,", "",
              "As part of the annual data check please confirm the names, dates of birth and home addresses of",
              "every child on your missing education list by replying to this email by Friday.", "",
              "Regards,", "Records Team", ""]
    return "\r\n".join(lines).encode()


@pytest.mark.parametrize("domain, imitates", [
    (HANTS_CYRILLIC, "hants.gov.uk"),  # IDN homograph
    ("xn--hnts-53d.gov.uk", "hants.gov.uk"),  # the same, as punycode
    ("g\u03bfsport.gov.uk", "gosport.gov.uk"),  # Greek omicron
    ("\u0440orthosp.nhs.uk", "porthosp.nhs.uk"),  # Cyrillic er
    ("harnpshire.police.uk", "hampshire.police.uk"),  # rn for m
    ("hants-gov.uk", "hants.gov.uk"),
    ("hantsgov.uk", "hants.gov.uk"),
    ("hants.gov.uk.example.com", "hants.gov.uk"),
    ("hants-gov-uk.com", "hants.gov.uk"),
    ("hants-gov-support.com", "hants.gov.uk"),
    ("southernhealth-nhs.uk", "southernhealth.nhs.uk"),
    ("hnats.co.uk", "hants.gov.uk"),  # swapped
    ("hantts.com", "hants.gov.uk"),  # doubled
    ("wokinghm.org", "wokingham.gov.uk"),  # dropped
    ("hampshlre.co.uk", "hampshire.police.uk"),  # changed, in a long name
    ("hnats.gov.uk", "hants.gov.uk"),  # swapped, under gov.uk itself
    ("northumberland-gov.uk", "a .gov.uk address"),
    ("nhs-uk.net", "a .nhs.uk address"),
    ("school.s\u0441h.uk", "a .sch.uk address"),
])
def test_a_look_alike_domain_is_caught_with_what_it_imitates(domain, imitates):
    found = imitation(domain, GENUINE)
    assert found is not None and found.imitates == imitates


@pytest.mark.parametrize("domain", [
    "hants.gov.uk", "mail.hants.gov.uk", "hampshire.police.uk", "solent.nhs.uk", "surreycc.gov.uk",
    "gmail.com", "googlemail.com", "outlook.com", "hotmail.co.uk", "btinternet.com", "icloud.com", "sky.com",
    "oakmoor.hants.sch.uk", "warblington.hants.sch.uk",  # schools
    "hampshire-cc.co.uk", "hampshirecc.co.uk", "hantsweb.co.uk",  # somebody else's name with words added
    "southampton.gov.uk", "northampton.gov.uk", "eastsussex.gov.uk", "hunts.gov.uk", "education.gov.uk",
    "notifications.service.gov.uk", "nhs.net", "gov.scot",  # other public bodies
    "winchester.ac.uk", "solent.ac.uk", "surrey.ac.uk",  # a listed name under another suffix
    "farnham.co.uk", "havana.com", "silent.com", "eastsussex.co.uk", "hans.com", "chants.com",  # other words
    "quillfield.example.org", "hants.gov.example",  # fictitious mail's stand-in for hants.gov.uk (RFC 2606)
])
def test_real_and_unrelated_domains_are_not_look_alikes(domain):
    assert imitation(domain, GENUINE) is None


def test_every_confusable_in_the_table_reads_as_the_letters_it_imitates():
    with CONFUSABLES_FILE.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) >= 25
    for row in rows:
        assert row["characters"] in row["example"] and row["example"] != row["imitates"], row
        assert skeleton(row["example"]) == skeleton(row["imitates"]), row
        if any(row["imitates"] == g for g in GENUINE):
            assert imitation(row["example"], GENUINE).imitates == row["imitates"], row


def test_the_reason_names_the_look_alike_and_what_it_imitates_in_plain_words():
    verdict = assess(parse_message(mail(f"data.check@{HANTS_CYRILLIC}", PASS)), "cme@hants.gov.uk")
    assert verdict.suspect
    assert verdict.reason.startswith(f"The sender's address {HANTS_CYRILLIC} imitates hants.gov.uk: it is written "
                                     "with the Cyrillic letter \u0430 in place of a (xn--hnts-53d.gov.uk in plain ASCII).")
    failed = assess(parse_message(mail(f"data.check@{HANTS_CYRILLIC}", FAIL)), "cme@hants.gov.uk")
    assert "It also failed the sender checks (SPF fail, DKIM none, DMARC fail)." in failed.reason


@pytest.mark.parametrize("sender, authentication, suspect", [
    ("attendance@southampton.gov.uk", FAIL, True),  # a council domain that failed DMARC: perhaps forged
    ("pc.example@hampshire.police.uk", FAIL, True),
    ("nurse@solent.nhs.uk", FAIL, True),
    ("worker@nhs.net", FAIL, True),
    ("attendance@southampton.gov.uk", PASS, False),
    ("attendance@southampton.gov.uk", None, False),  # no checks recorded: nothing to hold against it
    ("parent@gmail.com", FAIL, False),  # a private address's DMARC failure is commonplace (forwarding)
    ("office@oakmoor.hants.sch.uk", FAIL, False),
])
def test_a_failed_dmarc_check_makes_only_a_council_nhs_or_police_sender_suspect(sender, authentication, suspect):
    verdict = assess(parse_message(mail(sender, authentication)), "cme@hants.gov.uk")
    assert verdict.suspect is suspect
    if suspect:
        assert verdict.reason.startswith(f"The message claims to come from {sender.rsplit('@', 1)[-1]} but failed")


def test_only_the_receiving_server_s_checks_count_not_ones_the_sender_wrote():
    forged = "mx.hants.gov.uk; spf=pass; dkim=pass; dmarc=pass"
    raw = mail("attendance@southampton.gov.uk", "mx.hants.gov.uk; spf=fail; dkim=none; dmarc=fail")
    raw = raw.replace(b"From:", f"Authentication-Results: {forged}\r\nFrom:".encode(), 1)  # lower: the sender's
    parsed = parse_message(raw)
    assert assess(parsed, "cme@hants.gov.uk", authserv_id="mx.hants.gov.uk").suspect
    assert not assess(parsed, "cme@hants.gov.uk", authserv_id="gateway.example.net").suspect  # none of its own
    assert assess(parsed, "cme@hants.gov.uk", authserv_id="mx.hants.gov.uk").checks == "SPF fail, DKIM none, DMARC fail"


def test_a_look_alike_reply_to_or_referrer_address_is_suspect_too():
    reply_to = assess(parse_message(mail("records@example.org", reply_to="records@hants-gov.uk")), "cme@hants.gov.uk")
    assert reply_to.suspect and reply_to.reason.startswith("The reply-to address hants-gov.uk imitates hants.gov.uk")
    referrer = assess(parse_message(mail("no-reply@forms.example.org")), "cme@hants.gov.uk",
                      referrer_email="officer@hnats.co.uk")
    assert referrer.suspect and "hnats.co.uk imitates hants.gov.uk" in referrer.reason


def test_the_council_s_domain_comes_from_the_inbox_address():
    assert own_domain(load_settings({}).teams.cme) == "hants.gov.uk"
    assert own_domain("cme@education.hants.gov.uk") == "hants.gov.uk"


# --- through the service: a real Dovecot mailbox, a real SMTP server, the case page -----------------------------


@pytest.fixture
def service(tmp_path, imap_account, smtp_server, extraction_context):
    from tests.ingest.service import make_service, service_env

    return make_service(service_env(tmp_path, imap_account.env(), smtp_server.env()), extraction_context)


def _case_page(service, reference: str) -> str:
    import html

    from fastapi.testclient import TestClient
    from sqlmodel import select

    from review.accounts import add_user
    from review.app import create_app
    from store.db import session_factory
    from store.tables import CaseRow
    from tests.review.conftest import sign_in

    with session_factory(service.engine)() as session:
        add_user(session, "officer", "officer", "correct horse battery")
        session.commit()
        case_id = session.exec(select(CaseRow.id).where(CaseRow.reference == reference)).one()
    with TestClient(create_app(service.settings, service.engine), base_url="http://127.0.0.1") as client:
        assert sign_in(client, "officer", "correct horse battery").status_code == 303
        page = client.get(f"/cases/{case_id}")
        assert page.status_code == 200
        return html.unescape(page.text)


def test_a_look_alike_council_sender_asking_for_a_data_check_gets_nothing_and_is_reviewed(
        service, imap_account, smtp_server):
    imap_account.append(mail(f"data.check@{HANTS_CYRILLIC}", FAIL))
    report = service.poll()

    assert report.stored == 1
    assert smtp_server.received == []  # no acknowledgement, no forward
    (record,) = service.export()
    reason = next(r for r in record["review_reasons"] if r.startswith("The sender's address"))
    assert reason.startswith(f"The sender's address {HANTS_CYRILLIC} imitates hants.gov.uk")
    assert record["needs_review"]
    page = _case_page(service, record["case_reference"])
    assert reason in page
    assert "Sender checks" in page and "SPF fail, DKIM none, DMARC fail" in page


@pytest.mark.parametrize("sender, sent_to", [
    ("ehe.team@hants-gov.uk", []),  # a look-alike: not forwarded, not acknowledged
    ("ehe.team@hants.gov.uk", [["ehe.team@hants.gov.uk"], ["ehe@hants.gov.uk"]]),  # the real one: both, as before
])
def test_misdirected_mail_from_a_look_alike_is_not_forwarded_to_the_team(service, imap_account, smtp_server, sender,
                                                                         sent_to):
    raw = mail(sender, PASS).replace(b"Subject: Data check", b"Subject: Home education")
    raw = raw.split(b"\r\n\r\n", 1)[0] + (
        b"\r\n\r\nHello, we have decided to home educate our son from Monday and have written to his school to "
        b"deregister him. Please pass this to the elective home education team.\r\nRegards\r\n")
    imap_account.append(raw)
    service.poll()

    assert sorted(m.rcpt_tos for m in smtp_server.received) == sent_to
    (record,) = service.export()
    assert record["category"] == "ehe"
    assert any("imitates hants.gov.uk" in r for r in record["review_reasons"]) is (not sent_to)


def test_the_genuine_council_domain_is_acknowledged_as_before(service, imap_account, smtp_server):
    imap_account.append(mail("data.check@hants.gov.uk", PASS))
    service.poll()

    assert [m.rcpt_tos for m in smtp_server.received] == [["data.check@hants.gov.uk"]]
    (record,) = service.export()
    assert not any("imitates" in r or "sender checks" in r for r in record["review_reasons"])
    assert "SPF pass, DKIM pass, DMARC pass" in _case_page(service, record["case_reference"])
