"""WCAG 2.2 AA in Debian's Chromium: axe-core finds nothing on any page at 1280 px and at 320 px
(400% zoom of a 1280 px window); at 320 px no page scrolls sideways (wide tables scroll in their own
box) and the case page's message pane never covers a control of the edit form (Reflow 1.4.10,
Focus Not Obscured 2.4.11); the date hint and a stored date read the same way."""
from __future__ import annotations

from typing import Any, Iterator

import pytest

from tests.review.browser_helpers import axe_violations, seeded_site, sign_in

pytestmark = pytest.mark.browser
WIDTHS = (1280, 320)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    with seeded_site(tmp_path_factory.mktemp("a11y")) as s:
        yield s


def _pages(ids: dict[str, int]) -> list[tuple[str, str]]:
    return [("queue", "/?status=any"), ("case", f"/cases/{ids['plain']}"), ("urgent case", f"/cases/{ids['urgent']}"),
            ("case with an attachment", f"/cases/{ids['dup']}"), ("hostile case", f"/cases/{ids['xss']}"),
            ("reports", "/reports?start=2026-09-01&end=2026-11-30"), ("quarantine", "/quarantine"),
            ("accounts", "/users"), ("activity", "/activity"), ("your account", "/account"),
            ("two-factor set-up", "/account/two-factor"), ("page not found", "/no/such/page")]


@pytest.fixture(scope="module", params=WIDTHS, ids=lambda w: f"{w}px")
def admin_page(request: pytest.FixtureRequest, site: dict[str, Any], browser: Any) -> Iterator[Any]:
    # bypass_csp only lets the test load axe-core into the page; the app's own pages run under their CSP elsewhere
    context = browser.new_context(viewport={"width": request.param, "height": 800}, bypass_csp=True)
    page = context.new_page()
    page.goto(site["url"] + "/sign-in")
    assert axe_violations(page) == [], "sign-in page"
    sign_in(page, site["url"], "boss")
    yield page
    context.close()


def test_every_page_has_no_axe_violation_and_no_sideways_scroll(site: dict[str, Any], admin_page: Any) -> None:
    found = {}
    for name, path in _pages(site["ids"]):
        admin_page.goto(site["url"] + path)
        violations = axe_violations(admin_page)
        if violations:
            found[name] = violations
        width, inner = admin_page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
        assert width <= inner, f"{name} scrolls sideways at {inner} px ({width} px wide)"
    assert found == {}
    admin_page.evaluate("document.querySelector('main').append(Object.assign(document.createElement('img'), {src: '/assets/images/favicon.svg'}))")
    assert "image-alt" in [v["id"] for v in axe_violations(admin_page)]  # axe does see a fault when there is one


def test_at_320_px_the_message_pane_never_covers_the_edit_form(site: dict[str, Any], browser: Any) -> None:
    context = browser.new_context(viewport={"width": 320, "height": 256})  # 1280 x 1024 at 400%
    page = context.new_page()
    sign_in(page, site["url"], "officer")
    page.goto(site["url"] + f"/cases/{site['ids']['plain']}")
    controls = page.locator("#edit-form").locator("input:not([type=hidden]), select, textarea, button, summary")
    count = controls.count()
    assert count > 20
    covered = []
    for i in range(count):
        control = controls.nth(i)
        control.focus()
        hidden_by = control.evaluate("""el => {
            const box = el.getBoundingClientRect();
            const top = document.elementFromPoint(box.left + box.width / 2, box.top + Math.min(box.height / 2, 10));
            return top && !el.contains(top) && !top.contains(el) && !(el.labels && [...el.labels].some(l => l.contains(top)))
                ? (top.closest('.app-message') ? 'message pane' : top.tagName) : null;
        }""")
        if hidden_by:
            covered.append((control.get_attribute("id") or control.inner_text()[:30], hidden_by))
    assert covered == []
    assert page.locator(".app-message").evaluate("el => getComputedStyle(el).position") == "static"
    context.close()


def test_tables_scroll_in_their_own_box_and_can_be_scrolled_by_keyboard(site: dict[str, Any], browser: Any) -> None:
    context = browser.new_context(viewport={"width": 320, "height": 800})
    page = context.new_page()
    sign_in(page, site["url"], "boss")
    for path in ("/?status=any", "/users", "/activity"):
        page.goto(site["url"] + path)
        box = page.locator(".app-table-scroll").first
        assert box.get_attribute("tabindex") == "0" and box.get_attribute("role") == "region"
        assert box.evaluate("el => el.scrollWidth > el.clientWidth"), path  # the table is wider than the screen ...
        box.focus()
        page.keyboard.press("ArrowRight")
        page.wait_for_function("el => el.scrollLeft > 0", arg=box.element_handle())  # ... and the arrow keys scroll it
    context.close()


def test_a_stored_date_is_prefilled_the_way_the_hint_asks_for_it(site: dict[str, Any], browser: Any) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    sign_in(page, site["url"], "officer")
    page.goto(site["url"] + f"/cases/{site['ids']['plain']}")
    dob = page.get_by_label("Date of birth")
    assert dob.input_value() == "03/04/2015"
    hint = page.locator("#" + dob.get_attribute("aria-describedby").split()[0]).inner_text()
    assert "for example 23/04/2016" in hint
    context.close()
