"""Referrals out, end to end: Debian's Chromium (Playwright) on the app served by uvicorn over a
migrated SQLite database, and the notifier's real SMTP sender delivering the outbox to the aiosmtpd
sink. An officer enters a case by hand, refers a case to another council, replies to an enquiry
and refers for a School Attendance Order; an admin keeps the council directory."""
from __future__ import annotations

import email
import email.policy
from datetime import datetime, timezone
from typing import Any, Iterator

import pytest
from playwright.sync_api import expect
from sqlmodel import Session, select

from config.settings import load_settings
from ingest.pipeline import Deps, send_outbox
from notifier.smtp import SmtpSender
from notifier.templating import make_env
from review.app import create_app
from store.council_tables import CouncilRow
from store.db import make_engine, session_factory, upgrade
from store.tables import CaseRow, ReferenceCounterRow
from tests.review.live import served
from tests.review.seed import PASSWORD, email_bytes, field, seed, store_case

pytestmark = pytest.mark.browser
LEGAL = "legal.intervention@hants.example.org"
SOUTHAMPTON = "cme.team@southampton.example.org"


@pytest.fixture()
def site(tmp_path: Any, smtp_server: Any) -> Iterator[dict[str, Any]]:
    engine = make_engine(f"sqlite:///{tmp_path / 'cme.sqlite3'}")
    upgrade(engine)  # the real migrations, the directory's among them
    ids = seed(engine)
    body = ("Dear colleague,\n\nWe are tracing Juniper Ashgrove, born 09/10/2013, who left Basingstoke Road, "
            "Reading RG2 0ZZ in September. Is she known to you?\n\nMarta Pennywhistle\nCME Officer\n")
    raw = email_bytes("marta.pennywhistle@reading.example.org", "CME enquiry - Juniper Ashgrove", body)
    with Session(engine) as session:
        ids["enquiry"] = store_case(session, 7, raw, lambda b: ([{
            "first_name": field(b, "Juniper"), "last_name": field(b, "Ashgrove"),
            "date_of_birth": field(b, "2013-10-09", "09/10/2013"), "gender": None, "upn": None,
            "address": {"line1": None, "town": None, "postcode": field(b, "RG2 0ZZ")},
            "school": {"name": None, "urn": None}, "date_last_attended": None}], [], "local_authority"),
            category="la_enquiry")
        session.add(ReferenceCounterRow(year=datetime.now(timezone.utc).year, last_number=100))
        session.commit()
    settings = load_settings({"CME_DATA_DIR": str(tmp_path), "CME_SECURE_COOKIES": "auto",
                              "CME_LEGAL_ADDRESS": LEGAL, **smtp_server.env()})
    deps = Deps(sessions=session_factory(engine), reader=None, teams=settings.teams, templates=make_env(),  # sends only
                sender=SmtpSender(settings.smtp), max_bytes=settings.imap.max_bytes,
                clock=lambda: datetime.now(timezone.utc))
    with served(create_app(settings, engine)) as url:
        yield {"url": url, "ids": ids, "engine": engine, "deps": deps, "smtp": smtp_server}
    engine.dispose()


@pytest.fixture()
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page.events = []  # type: ignore[attr-defined]
    page.on("dialog", lambda d: (page.events.append(("dialog", d.message)), d.dismiss()))
    page.on("pageerror", lambda e: page.events.append(("pageerror", str(e))))
    yield page
    context.close()


def _sign_in(page: Any, url: str, name: str = "officer") -> None:
    page.goto(url + "/sign-in")
    page.get_by_label("User name").fill(name)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(url + "/")


def _delivered(site: dict[str, Any]) -> list[email.message.EmailMessage]:
    """What the service's sender delivers from the outbox now (as the poller does at every poll)."""
    send_outbox(site["deps"])
    return [email.message_from_bytes(m.data, policy=email.policy.default) for m in site["smtp"].received]


def _set_address(site: dict[str, Any], council: str, address: str) -> int:
    with Session(site["engine"]) as session:
        row = session.exec(select(CouncilRow).where(CouncilRow.name == council)).first()
        if row is None:  # the directory is seeded when it is first read
            from review.councils import council_directory

            council_directory(session)
            row = session.exec(select(CouncilRow).where(CouncilRow.name == council)).one()
        row.email = address
        session.add(row)
        session.commit()
        return int(row.id)


def test_a_referral_taken_by_phone_becomes_a_case_in_the_queue(site: dict[str, Any], page: Any) -> None:
    url = site["url"]
    _sign_in(page, url)
    page.get_by_role("link", name="Enter a referral by hand").click()
    page.wait_for_url(url + "/new-case")
    page.get_by_label("A phone call").check()
    page.get_by_label("What you were told, or what the letter says").fill(
        "Mr Caspian Thorne, head of year at Wychbury Academy, rang: Elodie Marchbank has missed 14 days and "
        "the family's phone is dead.")
    page.locator("#referrer").get_by_label("Name").fill("Caspian Thorne")
    page.locator("#referrer").get_by_label("Referrer type").select_option("school")
    page.locator("#child").get_by_label("First name").fill("Elodie")
    page.locator("#child").get_by_label("Last name").fill("Marchbank")
    page.locator("#child").get_by_label("Date of birth").fill("12/5/2014")
    page.locator("#child").get_by_label("Postcode").fill("so51 0zz")
    page.get_by_role("button", name="Create the case").click()
    expect(page.get_by_text("Case created")).to_be_visible()
    expect(page.locator("#entered-by-hand")).to_contain_text("Entered by hand by officer")
    expect(page.locator("#entered-by-hand")).to_contain_text("from a phone call")
    expect(page.locator("#missing-out")).to_contain_text("14 school days (28 sessions)")
    reference = page.locator("h1").inner_text().split()[0]

    page.goto(url + "/")
    row = page.locator("table.app-queue tbody tr", has_text=reference)
    expect(row).to_contain_text("Elodie Marchbank")
    expect(row).to_contain_text("14 days")
    assert not [e for e in page.events if e[0] in ("dialog", "pageerror")]


def test_a_case_referred_to_another_council_reaches_it_with_only_the_summary(site: dict[str, Any], page: Any) -> None:
    url, case_id = site["url"], site["ids"]["plain"]
    _set_address(site, "Southampton City Council", SOUTHAMPTON)
    _sign_in(page, url)
    page.goto(f"{url}/cases/{case_id}")
    page.get_by_role("link", name="Refer to another council").click()
    page.get_by_label("Council the child has moved to").select_option(label="Southampton City Council")
    page.get_by_role("button", name="Write the referral").click()
    draft = page.get_by_label("Email")
    expect(draft).to_contain_text("Poppy Quillfeather")
    assert site["smtp"].received == [] and _delivered(site) == []  # nothing goes before the officer sends it
    draft.fill(draft.input_value().replace("If you need anything more", "The family may be at a refuge. "
                                                                          "If you need anything more"))
    page.get_by_label("Close this case").check()
    page.get_by_role("button", name="Send").click()
    expect(page.get_by_text("Referral to the other council queued")).to_be_visible()
    expect(page.locator("#history")).to_contain_text("Referred to council")

    (mail,) = _delivered(site)
    assert mail["To"] == SOUTHAMPTON and "CME-2026-00001" in mail["Subject"]
    assert not list(mail.iter_attachments())  # never the original message or its attachments
    text = mail.get_body(("plain",)).get_content()
    for words in ("Poppy Quillfeather", "3 April 2015", "SO50 9ZZ", "Rowena Quillfeather", "07700900123",
                  "The family may be at a refuge."):
        assert words in text
    for never in ("lead@brambleton.example.org", "We are worried about", "referral form.pdf", "Attendance Lead"):
        assert never not in text  # no referrer, no words of the original message
    with session_factory(site["engine"])() as session:
        assert session.get(CaseRow, case_id).status == "forwarded"


def test_a_reply_to_another_councils_enquiry_threads_under_it(site: dict[str, Any], page: Any) -> None:
    url, case_id = site["url"], site["ids"]["enquiry"]
    with session_factory(site["engine"])() as session:
        from store.queue import get_case

        enquiry_id = get_case(session, case_id).message_id
    _sign_in(page, url)
    page.goto(f"{url}/cases/{case_id}")
    page.get_by_role("link", name="Reply to enquiry").click()
    expect(page.get_by_label("To")).to_have_value("marta.pennywhistle@reading.example.org")
    body = page.get_by_label("Email")
    body.fill("Juniper is not known to Hampshire's CME team and is on no Hampshire school roll.\n\nCME Officer")
    page.get_by_role("button", name="Send").click()
    expect(page.get_by_text("Reply to the enquiry queued")).to_be_visible()

    (mail,) = _delivered(site)
    assert mail["To"] == "marta.pennywhistle@reading.example.org"
    assert mail["In-Reply-To"] == enquiry_id and enquiry_id in mail["References"].split()
    assert mail["Subject"].startswith("Re: CME enquiry - Juniper Ashgrove")
    assert "not known to Hampshire's CME team" in mail.get_body(("plain",)).get_content()


def test_a_school_attendance_order_referral_reaches_the_legal_intervention_team(site: dict[str, Any],
                                                                              page: Any) -> None:
    url, case_id = site["url"], site["ids"]["plain"]
    _sign_in(page, url)
    page.goto(f"{url}/cases/{case_id}")
    page.get_by_label("Add a note").fill("Letter sent to the family on 5 November; no reply.")
    page.get_by_role("button", name="Add note").click()
    page.get_by_role("link", name="Refer for a School Attendance Order").click()
    document = page.get_by_label("Referral")
    expect(document).to_contain_text("Poppy Quillfeather")
    expect(document).to_contain_text("Letter sent to the family on 5 November; no reply.")
    page.get_by_role("button", name="Send").click()
    expect(page.get_by_text("School Attendance Order referral queued")).to_be_visible()

    (mail,) = _delivered(site)
    assert mail["To"] == LEGAL and "School Attendance Order" in mail["Subject"]
    text = mail.get_body(("plain",)).get_content()
    assert "School Attendance Order" in text and "CME-2026-00001" in text and "5 November" in text
    with session_factory(site["engine"])() as session:
        assert session.get(CaseRow, case_id).status == "new"  # the case stays open


def test_an_admin_fills_in_a_councils_address_and_an_officer_cannot(site: dict[str, Any], page: Any) -> None:
    url = site["url"]
    _sign_in(page, url, "officer")
    page.goto(url + "/councils")
    expect(page.get_by_text("only an admin can change this directory")).to_be_visible()
    assert page.locator("#councils input").count() == 0
    expect(page.locator("#councils")).to_contain_text("Portsmouth City Council")
    refused = page.evaluate("""async () => {
        const token = document.querySelector('input[name=csrf_token]').value;  // the officer's own, valid token
        const r = await fetch('/councils/1', {method: 'POST',
                              body: new URLSearchParams({csrf_token: token, name: 'x', email: 'a@b.org'})});
        return [r.status, await r.text()]; }""")
    assert refused[0] == 403 and "Only an admin may do this." in refused[1]

    page.context.clear_cookies()
    _sign_in(page, url, "boss")
    page.goto(url + "/councils")
    with Session(site["engine"]) as session:
        portsmouth = session.exec(select(CouncilRow).where(CouncilRow.name == "Portsmouth City Council")).one()
    form = page.locator(f"#council-{portsmouth.id}")
    form.get_by_label("CME email address").fill("cme@portsmouth.example.org")
    form.get_by_role("button", name="Save Portsmouth City Council").click()
    expect(page.get_by_text("Directory saved")).to_be_visible()
    with Session(site["engine"]) as session:
        assert session.get(CouncilRow, portsmouth.id).email == "cme@portsmouth.example.org"
