"""Helpers of the accounts and accessibility browser tests: a served site over a fresh seeded
database, and signing in through the page as a person does."""
from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path
from typing import Any, Iterator

from config.settings import load_settings
from review.accounts import add_user
from review.app import create_app
from store.db import session_factory
from tests.review.live import served
from tests.review.seed import PASSWORD, engine_for, seed

AXE = Path(__file__).with_name("axe.min.js")  # axe-core 4.14.1 from the npm registry (MPL-2.0), vendored
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


@contextmanager
def seeded_site(root: Path, seeded: bool = True) -> Iterator[dict[str, Any]]:
    engine = engine_for(str(root / "cme.sqlite3"))
    ids = seed(engine) if seeded else {}
    app = create_app(load_settings({"CME_DATA_DIR": str(root), "CME_SECURE_COOKIES": "auto"}), engine)
    with served(app) as url:
        yield {"url": url, "ids": ids, "engine": engine}


def add_account(engine: Any, name: str, role: str = "officer", password: str = PASSWORD) -> None:
    with session_factory(engine)() as session:
        add_user(session, name, role, password)
        session.commit()


def sign_in(page: Any, url: str, name: str, password: str = PASSWORD) -> None:
    """Fill in the sign-in page (the caller checks where it lands)."""
    page.goto(url + "/sign-in")
    page.get_by_label("User name").fill(name)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()


def axe_violations(page: Any) -> list[dict[str, Any]]:
    """axe-core's WCAG 2.2 A/AA violations on the page now (the context must bypass the CSP to load it)."""
    page.add_script_tag(content=AXE.read_text(encoding="utf-8"))
    return page.evaluate("""async (tags) => {
        const result = await axe.run(document, {runOnly: {type: 'tag', values: tags}});
        return result.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
            nodes: v.nodes.slice(0, 5).map(n => n.target.join(' '))}));
    }""", WCAG_TAGS)
