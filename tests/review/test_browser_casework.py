"""Casework in Debian's Chromium (Playwright) against the app served by uvicorn: take and assign a
case, log an enquiry, close it with a reason, reopen it, and a stale edit refused when two pages
have the same case open."""
from __future__ import annotations

import json
from typing import Any, Iterator

import pytest
from playwright.sync_api import expect

from store.db import session_factory
from store.tables import CaseRow
from tests.review.browser_helpers import seeded_site
from tests.review.seed import PASSWORD

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    with seeded_site(tmp_path_factory.mktemp("browser-casework")) as s:
        yield s


def _signed_in_page(browser: Any, url: str, name: str = "officer") -> Any:
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page.errors = []  # type: ignore[attr-defined]
    page.on("pageerror", lambda e: page.errors.append(str(e)))
    page.goto(url + "/")
    page.get_by_label("User name").fill(name)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(url + "/")
    return page


@pytest.fixture()
def page(browser: Any, site: dict[str, Any]) -> Iterator[Any]:
    page = _signed_in_page(browser, site["url"])
    yield page
    assert page.errors == []
    page.context.close()


def _row(site: dict[str, Any], key: str) -> CaseRow:
    with session_factory(site["engine"])() as session:
        return session.get(CaseRow, site["ids"][key])


def _banner(page: Any) -> Any:
    return page.locator(".govuk-notification-banner")


def test_officer_takes_a_case_then_gives_it_to_a_colleague(site: dict[str, Any], page: Any) -> None:
    page.goto(f"{site['url']}/cases/{site['ids']['urgent']}")
    expect(page.locator("#casework-owner")).to_have_text("Nobody")
    page.get_by_role("button", name="Take this case").click()
    expect(_banner(page)).to_contain_text("You own this case now")
    expect(page.locator("#casework-owner")).to_have_text("officer")
    page.goto(f"{site['url']}/my-cases")
    expect(page.locator("#casework-list")).to_contain_text("CME-2026-00002")
    page.goto(f"{site['url']}/cases/{site['ids']['urgent']}")
    page.get_by_label("Give the case to").select_option("boss")
    page.get_by_role("button", name="Change owner").click()
    expect(_banner(page)).to_contain_text("Owner changed")
    expect(page.locator("#casework-owner")).to_have_text("boss")
    assert _row(site, "urgent").owner == "boss"


def test_officer_logs_an_enquiry_closes_the_case_with_a_reason_and_reopens_it(site: dict[str, Any], page: Any) -> None:
    page.goto(f"{site['url']}/cases/{site['ids']['plain']}")
    page.get_by_role("button", name="Accept case").click()
    expect(_banner(page)).to_contain_text("Case accepted")
    expect(page.locator("#casework-due")).to_contain_text("Due by 9 November 2026")

    page.get_by_label("Who was asked or what was done").select_option("home_visit")
    page.get_by_label("Date of the enquiry").fill("4/11/2026")
    page.get_by_label("Outcome").fill("No answer; neighbour says the family left in October")
    page.get_by_label("Next step").fill("Ask the Lost Pupil Database")
    page.get_by_role("button", name="Log enquiry").click()
    expect(_banner(page)).to_contain_text("Enquiry logged")
    log = page.locator("#enquiry-log")
    expect(log).to_contain_text("4 Nov 2026")
    expect(log).to_contain_text("Home visit")
    expect(log).to_contain_text("neighbour says the family left")
    expect(page.locator("#casework-status")).to_have_text("Making enquiries")
    expect(page.locator("#casework-due")).to_contain_text("Made 4 November 2026")
    expect(page.locator("#history")).to_contain_text("Enquiry")

    page.get_by_text("Close the case", exact=True).click()
    page.get_by_label("No trace after reasonable enquiries").check()
    page.get_by_label("Closing date").fill("20/11/2026")
    page.get_by_role("button", name="Close case").click()
    expect(_banner(page)).to_contain_text("Case closed")
    expect(page.locator("#casework-closed")).to_have_text("20 November 2026: No trace after reasonable enquiries")
    row = _row(site, "plain")
    assert (row.status, row.closing_reason, row.closed_on.isoformat()) == ("closed", "no_trace", "2026-11-20")

    page.get_by_label("Why reopen it?").fill("The family wrote from a new address")
    page.locator("#reopen").click()
    expect(_banner(page)).to_contain_text("Case reopened: it is open again")
    expect(page.locator("#casework-status")).to_have_text("Accepted")
    expect(page.locator("#history")).to_contain_text("The family wrote from a new address")
    assert _row(site, "plain").status == "accepted"


def test_an_edit_from_a_page_opened_before_someone_elses_change_is_refused(site: dict[str, Any], browser: Any,
                                                                           page: Any) -> None:
    url, case_id = site["url"], site["ids"]["dup"]
    other = _signed_in_page(browser, url, "boss")
    try:
        page.goto(f"{url}/cases/{case_id}")
        other.goto(f"{url}/cases/{case_id}")
        other.get_by_label("First name").fill("Poppie")
        other.get_by_role("button", name="Save changes").click()
        expect(other.locator(".govuk-notification-banner")).to_contain_text("Changes saved")

        page.get_by_label("Last name").fill("Quillfeather")
        page.get_by_role("button", name="Save changes").click()
        stale = page.locator("#stale")
        expect(stale).to_contain_text("Someone else changed this case while you were reading it")
        expect(stale).to_contain_text("boss changed children.0.first_name")
        expect(page.get_by_label("First name")).to_have_value("Poppie")  # the case as it is now
        with session_factory(site["engine"])() as session:
            child = json.loads(session.get(CaseRow, case_id).record)["children"][0]
        assert (child["first_name"]["value"], child["last_name"]["value"]) == ("Poppie", "Quilfeather")
        assert other.errors == []
    finally:
        other.context.close()
