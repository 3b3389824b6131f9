"""End to end in Debian's Chromium (Playwright) against the app served by uvicorn on a free port,
over a temporary SQLite database seeded with fictitious cases."""
from __future__ import annotations

import json
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any, Iterator

import pytest
from playwright.sync_api import expect

from store import labels
from store.db import session_factory
from store.tables import CaseRow
from tests.review.browser_helpers import seeded_site
from tests.review.seed import PASSWORD

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    with seeded_site(tmp_path_factory.mktemp("browser")) as s:
        yield s


@pytest.fixture()
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page.events = []  # type: ignore[attr-defined]
    page.on("dialog", lambda d: (page.events.append(("dialog", d.message)), d.dismiss()))
    page.on("console", lambda m: page.events.append(("console", m.type, m.text)))
    page.on("pageerror", lambda e: page.events.append(("pageerror", str(e))))
    yield page
    context.close()


def _sign_in(page: Any, url: str) -> None:
    page.goto(url + "/")
    assert page.url.startswith(url + "/sign-in")
    page.get_by_label("User name").fill("officer")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(url + "/")


def test_officer_corrects_a_date_of_birth_and_accepts_an_urgent_case_whose_record_becomes_its_label(
        site: dict[str, Any], page: Any) -> None:
    url = site["url"]
    _sign_in(page, url)
    first_row = page.locator("table.app-queue tbody tr").first
    assert "Urgent" in first_row.inner_text()
    first_row.get_by_role("link").click()
    page.wait_for_url(f"{url}/cases/{site['ids']['urgent']}")
    expect(page.get_by_text("Why this needs review")).to_be_visible()

    dob = page.get_by_label("Date of birth")
    dob.focus()
    mark = page.locator("pre.app-message__text mark")
    assert mark.inner_text() == "14/02/2012"  # the words the field was read from
    dob.fill("14/02/2012")
    dob.press("Enter")  # Enter in a field saves (it must not press "Remove child")
    expect(page.get_by_text("Changes saved")).to_be_visible()
    assert page.get_by_label("Date of birth").input_value() == "14/02/2012"

    page.get_by_role("button", name="Accept case").click()
    expect(page.get_by_text("Case accepted")).to_be_visible()
    history = page.locator("#history").inner_text()
    assert "Child 1 date of birth: 14/12/2012 → 14/02/2012" in history
    assert "Accepted" in history and "officer" in history
    with session_factory(site["engine"])() as session:
        row = session.get(CaseRow, site["ids"]["urgent"])
        assert row.status == "accepted"
        assert json.loads(row.record)["children"][0]["date_of_birth"]["value"] == "2012-02-14"
        [label] = labels.labels(session)  # the officer's decision is the message's label, as corrected
    assert (label.decision, label.origin, label.labelled_by) == ("accepted", "decision", "officer")
    assert label.label["children"][0]["date_of_birth"] == "2012-02-14"
    assert not [e for e in page.events if e[0] in ("dialog", "pageerror")]


def test_hostile_message_is_shown_as_text_and_runs_nothing(site: dict[str, Any], page: Any) -> None:
    url = site["url"]
    _sign_in(page, url)
    page.goto(f"{url}/?status=any")
    page.goto(f"{url}/cases/{site['ids']['xss']}")
    body = page.locator("pre.app-message__text[data-part='body']").inner_text()
    assert "<script>alert('body')</script>" in body and "onerror=alert(2)>" in body
    assert page.get_by_label("First name").input_value().startswith('<script>alert("name")</script>')
    assert page.locator("img[src='x']").count() == 0
    page.get_by_label("First name").focus()
    page.wait_for_timeout(300)
    assert [e for e in page.events if e[0] in ("dialog", "pageerror")] == []
    assert not [e for e in page.events if e[0] == "console" and "alert" in e[2]]


def test_adding_and_removing_a_parent_by_keyboard(site: dict[str, Any], page: Any) -> None:
    url = site["url"]
    _sign_in(page, url)
    page.goto(f"{url}/cases/{site['ids']['dup']}")
    page.get_by_role("button", name="Add a parent or carer").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_text("Parent or carer added")).to_be_visible()
    expect(page.get_by_text("Parent or carer 1", exact=True)).to_be_visible()
    page.get_by_role("button", name="Remove parent or carer 1").click()
    expect(page.get_by_text("Parent or carer removed")).to_be_visible()
    expect(page.get_by_text("No parent or carer was found in this message.")).to_be_visible()


def test_a_field_read_from_an_attachment_is_highlighted_there(site: dict[str, Any], page: Any) -> None:
    url = site["url"]
    _sign_in(page, url)
    page.goto(f"{url}/cases/{site['ids']['dup']}")
    page.get_by_label("Date of birth").focus()
    mark = page.locator("pre.app-message__text[data-part='attachment:notes.txt'] mark")
    expect(mark).to_have_text("03/04/2015")
    expect(mark).to_be_in_viewport()
    page.get_by_label("First name").focus()  # read from the body: the attachment's mark goes
    expect(mark).to_have_count(0)
    expect(page.locator("pre.app-message__text[data-part='body'] mark")).to_have_text("Poppy")


def test_requests_without_session_or_csrf_token_are_refused(site: dict[str, Any], page: Any) -> None:
    url, case_id = site["url"], site["ids"]["plain"]
    page.goto(f"{url}/cases/{case_id}")
    assert page.url.startswith(f"{url}/sign-in")
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    request = urllib.request.Request(f"{url}/cases/{case_id}/decision", data=b"action=accept", method="POST")
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request, timeout=10)
    assert refused.value.code in (401, 403)

    _sign_in(page, url)
    response = page.request.post(f"{url}/cases/{case_id}/decision", form={"action": "accept"})
    assert response.status == 403  # signed in, but no CSRF token
    with session_factory(site["engine"])() as session:
        assert session.get(CaseRow, case_id).status == "new"


def test_every_page_looks_right(site: dict[str, Any], page: Any, tmp_path: Path) -> None:
    """Screenshots of every page (kept under the test's tmp dir) and no script errors on any."""
    url, ids = site["url"], site["ids"]
    page.goto(url + "/sign-in")
    page.screenshot(path=str(tmp_path / "sign-in.png"), full_page=True)
    _sign_in(page, url)
    for name, path in (("queue", "/"), ("case", f"/cases/{ids['plain']}"), ("duplicate", f"/cases/{ids['dup']}"),
                       ("reports", "/reports?start=2026-09-01&end=2026-11-30")):
        page.goto(url + path)
        assert page.locator("h1").count() == 1
        page.screenshot(path=str(tmp_path / f"{name}.png"), full_page=True)
    assert page.evaluate("document.body.classList.contains('govuk-frontend-supported')")
    assert [e for e in page.events if e[0] == "pageerror" or (e[0] == "console" and e[1] == "error")] == []
