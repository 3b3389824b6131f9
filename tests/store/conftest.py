"""Every store test runs on SQLite (the default) and on PostgreSQL (several workers share one)."""
import pytest

from store.db import make_engine, session_factory, upgrade


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request, tmp_path) -> str:
    if request.param == "postgresql":
        return request.getfixturevalue("postgres").new_database()
    return f"sqlite:///{tmp_path / 'db' / 'cme.sqlite3'}"


@pytest.fixture
def sessions(database_url):
    engine = make_engine(database_url)
    upgrade(engine)
    yield session_factory(engine)
    engine.dispose()
