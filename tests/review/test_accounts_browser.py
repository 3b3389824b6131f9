"""Signing in as a person does, in Debian's Chromium: a TOTP code after the password, the printed
first admin password changed at the first sign-in, an outsider's guesses that slow their own
address but never keep the admin out, a disabled account's open session ending, and the GOV.UK page
for an address that does not exist."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any, Iterator

import pyotp
import pytest
from playwright.sync_api import expect

from review.accounts import ensure_first_admin
from store.db import session_factory
from tests.review.browser_helpers import add_account, seeded_site, sign_in

pytestmark = pytest.mark.browser
NEW_PASSWORD = "lantern quarry pebble mosaic"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    with seeded_site(tmp_path_factory.mktemp("accounts")) as s:
        yield s


def _context(browser: Any, address: str | None = None) -> Any:
    """A browser of its own; `address`: the client address a reverse proxy in front would report."""
    headers = {"X-Forwarded-For": address} if address else {}
    return browser.new_context(viewport={"width": 1280, "height": 900}, extra_http_headers=headers)


def test_an_officer_sets_up_two_factor_and_then_signs_in_with_a_code(site: dict[str, Any], browser: Any) -> None:
    url = site["url"]
    add_account(site["engine"], "twofactor")
    context = _context(browser)
    page = context.new_page()
    sign_in(page, url, "twofactor")
    page.get_by_role("link", name="Your account").click()
    page.get_by_role("link", name="Set up two-factor sign-in").click()
    secret = page.locator("#secret").inner_text().replace(" ", "")
    expect(page.locator("#otpauth-uri")).to_contain_text("otpauth://totp/")
    page.get_by_label("Code from the app").fill(pyotp.TOTP(secret).now())
    page.get_by_role("button", name="Turn on two-factor sign-in").click()
    expect(page.get_by_text("Two-factor sign-in is set up")).to_be_visible()
    page.get_by_role("button", name="Sign out").click()

    sign_in(page, url, "twofactor")
    expect(page.get_by_role("heading", name="Enter your code")).to_be_visible()
    page.goto(url + "/")  # the password alone is not a session
    assert page.url.startswith(url + "/sign-in")
    sign_in(page, url, "twofactor")
    page.get_by_label("Enter your code").fill("000000")
    page.get_by_role("button", name="Continue").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("The code is not right")
    next_code = pyotp.TOTP(secret).at(datetime.now(timezone.utc) + timedelta(seconds=30))  # the enrolling code is spent
    page.get_by_label("Enter your code").fill(next_code)
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", name="Referrals queue")).to_be_visible()
    expect(page.get_by_text("Signed in as twofactor")).to_be_visible()
    context.close()


def test_the_printed_first_admin_password_is_changed_at_the_first_sign_in(tmp_path: Path, browser: Any) -> None:
    with seeded_site(tmp_path, seeded=False) as fresh:
        url = fresh["url"]
        printed = ensure_first_admin(session_factory(fresh["engine"]))
        assert printed
        context = _context(browser)
        page = context.new_page()
        sign_in(page, url, "admin", printed)
        page.wait_for_url(url + "/account")
        expect(page.get_by_text("Choose your own password before you go on")).to_be_visible()
        page.goto(url + "/users")  # nothing else opens first
        assert page.url == url + "/account"
        page.get_by_label("Current password").fill(printed)
        page.get_by_label("New password", exact=True).fill("password1234")
        page.get_by_label("New password again").fill("password1234")
        page.get_by_role("button", name="Change password").click()
        expect(page.locator(".govuk-error-summary")).to_contain_text("too easy to guess")
        page.get_by_label("Current password").fill(printed)
        page.get_by_label("New password", exact=True).fill(NEW_PASSWORD)
        page.get_by_label("New password again").fill(NEW_PASSWORD)
        page.get_by_role("button", name="Change password").click()
        expect(page.get_by_text("Password changed")).to_be_visible()
        page.get_by_role("link", name="Accounts").click()
        expect(page.get_by_role("heading", name="Accounts", exact=True)).to_be_visible()
        context.close()


def test_guesses_from_one_address_never_keep_the_admin_out_from_another(site: dict[str, Any], browser: Any) -> None:
    url = site["url"]
    add_account(site["engine"], "chiefadmin", "admin")
    outsider = _context(browser, "192.0.2.66")
    page = outsider.new_page()
    for n in range(8):
        sign_in(page, url, "chiefadmin", f"guess number {n} here")
    expect(page.locator(".govuk-error-summary")).to_contain_text("too many failed sign-ins")
    sign_in(page, url, "chiefadmin")  # the right password is not even checked from there now
    expect(page.locator(".govuk-error-summary")).to_contain_text("Wait")
    assert page.url.startswith(url + "/sign-in")

    office = _context(browser, "198.51.100.7")
    admin_page = office.new_page()
    sign_in(admin_page, url, "chiefadmin")
    expect(admin_page.get_by_text("Signed in as chiefadmin")).to_be_visible()
    admin_page.goto(url + "/activity?kind=sign_ins")
    table = admin_page.locator("table.app-activity")
    expect(table).to_contain_text("192.0.2.66")
    expect(table.locator("tr.app-activity__row--sign_in").first).to_contain_text("198.51.100.7")
    outsider.close()
    office.close()


def test_a_disabled_accounts_open_session_ends_at_its_next_page(site: dict[str, Any], browser: Any) -> None:
    url = site["url"]
    add_account(site["engine"], "leaver")
    leaver = _context(browser)
    leaver_page = leaver.new_page()
    sign_in(leaver_page, url, "leaver")
    expect(leaver_page.get_by_text("Signed in as leaver")).to_be_visible()

    admin = _context(browser)
    admin_page = admin.new_page()
    sign_in(admin_page, url, "boss")
    admin_page.goto(url + "/users")
    admin_page.get_by_role("button", name="Disable leaver").click()
    expect(admin_page.get_by_text("Account disabled")).to_be_visible()

    leaver_page.goto(url + f"/cases/{site['ids']['plain']}")
    assert leaver_page.url.startswith(url + "/sign-in")
    sign_in(leaver_page, url, "leaver")
    expect(leaver_page.locator(".govuk-error-summary")).to_be_visible()
    assert leaver_page.url.startswith(url + "/sign-in")
    leaver.close()
    admin.close()


def test_an_unknown_address_shows_a_govuk_page_not_found_with_the_navigation(site: dict[str, Any], browser: Any) -> None:
    url = site["url"]
    context = _context(browser)
    page = context.new_page()
    sign_in(page, url, "officer")
    for path in ("/no/such/page", "/cases/99999999999999999999"):
        response = page.goto(url + path)
        assert response.status == 404
        expect(page).to_have_title("Page not found – CME inbox – Hampshire County Council")
        assert page.locator("html").get_attribute("lang") == "en"
        expect(page.get_by_role("heading", level=1)).to_have_text("Page not found")
        expect(page.get_by_role("navigation", name="Menu").get_by_role("link", name="Queue")).to_be_visible()
        assert page.evaluate("getComputedStyle(document.querySelector('.govuk-service-navigation')).borderBottomStyle") == "solid"
    context.close()
