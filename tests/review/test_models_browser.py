"""The Models page in Debian's Chromium, as an admin uses it: from the queue's drift notice to the Models page,
approving a calibration version (auto-accept comes back on), rolling back to the shipped version, a refused
version with no Approve button, and no WCAG 2.2 AA fault found by axe-core at 1280 px and 320 px."""
from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Iterator

import pytest
from playwright.sync_api import expect

from extraction.context import CALIBRATION_FILE
from store import drift, versions
from store.db import session_factory
from tests.review.browser_helpers import axe_violations, seeded_site, sign_in

pytestmark = pytest.mark.browser
NOW = datetime(2026, 11, 20, 9, 0, tzinfo=timezone.utc)
REPORT = {"split": "fitted on the corpora and the 40 older stored labels; tested on the 20 newest stored labels",
          "threshold": 0.87, "accepted": 4, "records_tested": 20, "wrong_accepted": 0, "precision": 1.0,
          "error_upper_95": 0.5273, "ece": 0.021, "current_version": 0, "current_precision": 1.0,
          "current_accepted": 2, "current_wrong_accepted": 0}


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    with seeded_site(tmp_path_factory.mktemp("models")) as s:
        with session_factory(s["engine"])() as session:
            versions.add(session, "calibration", CALIBRATION_FILE.read_bytes(), REPORT, "operator ops", NOW)
            versions.add(session, "calibration", CALIBRATION_FILE.read_bytes(), REPORT, "operator ops", NOW,
                         refused="its test precision 0.900 is below the 1.000 of calibration version 1 in force")
            versions.add(session, "textcat", b"not approved here", {"accuracy": 0.95, "current_accuracy": 0.9,
                                                                    "current_version": 0, "trained_on": 120,
                                                                    "tested_on": 40}, "operator ops", NOW)
            drift._set(session, {"on": False, "reason": "Auto-accept is paused: 2 of the last 3 spot checks "
                                                        "reviewed were wrong."}, "service", NOW)
            session.commit()
        yield s


def test_an_admin_approves_a_calibration_from_the_drift_notice_and_rolls_it_back(site: dict[str, Any],
                                                                                  browser: Any) -> None:
    url = site["url"]
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    sign_in(page, url, "boss")
    notice = page.locator("#drift-notice")
    expect(notice).to_contain_text("Auto-accept is paused")
    notice.get_by_role("link", name="Models page").click()
    expect(page.get_by_role("heading", name="Models", exact=True)).to_be_visible()
    expect(page.locator("#calibration-in-force")).to_have_text("In force: version 0, the one shipped with the service.")
    expect(page.locator("#calibration-2")).to_contain_text("Refused")
    expect(page.locator("#calibration-2").get_by_role("button")).to_have_count(0)
    expect(page.locator("#textcat-1")).to_contain_text("Category accuracy on the test messages: 0.950")

    page.get_by_role("button", name="Approve confidence calibration version 1").click()
    expect(page.get_by_text("Version approved: it is in force")).to_be_visible()
    expect(page.locator("#calibration-in-force")).to_have_text("In force: version 1.")
    expect(page.locator("#calibration-1")).to_contain_text("Approved")
    expect(page.locator("#calibration-1")).to_contain_text("by boss")
    page.get_by_role("link", name="Queue").click()
    expect(page.locator("#drift-notice")).to_have_count(0)

    page.goto(url + "/models")
    page.get_by_role("button", name="Roll back to the previous version of the confidence calibration").click()
    expect(page.get_by_text("Rolled back: the previous version is in force")).to_be_visible()
    expect(page.locator("#calibration-in-force")).to_have_text("In force: version 0, the one shipped with the service.")
    expect(page.locator("#calibration-1")).to_contain_text("Rolled back")
    context.close()


@pytest.mark.parametrize("width", (1280, 320))
def test_the_models_page_has_no_axe_violation_and_no_sideways_scroll(site: dict[str, Any], browser: Any,
                                                                     width: int) -> None:
    context = browser.new_context(viewport={"width": width, "height": 800}, bypass_csp=True)  # to load axe-core
    page = context.new_page()
    sign_in(page, site["url"], "boss")
    page.goto(site["url"] + "/models")
    assert axe_violations(page) == []
    scroll, inner = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert scroll <= inner
    context.close()
