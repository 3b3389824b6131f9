"""Fixtures: the review app over a fresh SQLite file seeded with fictitious cases."""
from __future__ import annotations

import re
from pathlib import Path
from typing import Any, Iterator

import pytest
from fastapi.testclient import TestClient

from config.settings import load_settings
from review.app import create_app
from tests.review.seed import PASSWORD, engine_for, seed


@pytest.fixture()
def settings(tmp_path: Path) -> Any:
    return load_settings({"CME_DATA_DIR": str(tmp_path), "CME_SECURE_COOKIES": "false"})


@pytest.fixture()
def engine(tmp_path: Path) -> Any:
    return engine_for(str(tmp_path / "review.sqlite3"))


@pytest.fixture()
def ids(engine: Any) -> dict[str, int]:
    return seed(engine)


@pytest.fixture()
def client(settings: Any, engine: Any, ids: dict[str, int]) -> Iterator[TestClient]:
    with TestClient(create_app(settings, engine), base_url="http://127.0.0.1") as c:
        yield c


def csrf_of(html: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert found, "page has no CSRF token"
    return found.group(1)


def sign_in(client: TestClient, name: str = "officer", password: str = PASSWORD) -> Any:
    page = client.get("/sign-in")
    return client.post("/sign-in", data={"name": name, "password": password, "csrf_token": csrf_of(page.text),
                                         "next": "/"}, follow_redirects=False)


@pytest.fixture()
def officer(client: TestClient) -> TestClient:
    response = sign_in(client)
    assert response.status_code == 303
    return client


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """Debian's Chromium, one per test module (the browser tests)."""
    from tests.review.live import chromium

    with chromium() as b:
        yield b
