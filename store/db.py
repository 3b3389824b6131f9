"""The database engine, sessions, and the schema upgrade run at start-up (alembic).

Engines hide statement parameters in their errors: a failed INSERT must not print a child's
details into a log.

Nothing here is SQLite-only: SQLite gets a busy timeout, WAL and foreign keys when it is the
database, PostgreSQL needs nothing extra.

Several workers may start at the same moment on a new database: the schema upgrade (and the
first account, `startup_lock`) runs under a database-wide lock, PostgreSQL's advisory lock or, for
a SQLite file, an exclusive lock on a file beside it, so one worker upgrades and the others wait
and then find nothing to do.
"""
from __future__ import annotations

import fcntl
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Callable, Iterator

from sqlalchemy import event, text
from sqlalchemy.engine import Engine, make_url
from sqlmodel import Session, create_engine

from store.errors import MigrationFailed

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
STARTUP_LOCK = 0x434D4501  # PostgreSQL advisory lock key of the start-up ("CME" 1)


def make_engine(url: str) -> Engine:
    """An engine for `url`; a SQLite file's folder is created when missing."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        return create_engine(url, pool_pre_ping=True, hide_parameters=True)
    if parsed.database and parsed.database != ":memory:":
        Path(parsed.database).expanduser().parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url, connect_args={"timeout": 30, "check_same_thread": False}, hide_parameters=True)

    @event.listens_for(engine, "connect")
    def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA busy_timeout=30000")
        cur.close()

    return engine


def session_factory(engine: Engine) -> Callable[[], Session]:
    """Sessions that keep loaded values readable after commit."""
    return lambda: Session(engine, expire_on_commit=False)


def _alembic_config(connection: Any) -> Any:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    cfg.attributes["connection"] = connection
    return cfg


@contextmanager
def startup_lock(engine: Engine) -> Iterator[None]:
    """Hold the database's start-up lock: one process at a time upgrades the schema or makes the first account.

    PostgreSQL: a session advisory lock on a connection of its own (a process that dies lets go
    with its connection). SQLite file: an exclusive `flock` on `<database>.lock` beside it. Not
    re-entrant: do not take it again inside.
    """
    url = engine.url
    if url.get_backend_name() == "postgresql":
        with engine.connect() as connection:
            connection.execution_options(isolation_level="AUTOCOMMIT")
            connection.execute(text("SELECT pg_advisory_lock(:key)"), {"key": STARTUP_LOCK})
            try:
                yield
            finally:
                connection.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": STARTUP_LOCK})
        return
    if url.get_backend_name() == "sqlite" and url.database and url.database != ":memory:":
        with open(Path(url.database).expanduser().with_name(Path(url.database).name + ".lock"), "a") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)
        return
    yield


def upgrade(engine: Engine) -> None:
    """Bring the database to the newest migration (a no-op when it is already there), under the start-up lock."""
    from alembic import command

    try:
        with startup_lock(engine), engine.begin() as connection:
            command.upgrade(_alembic_config(connection), "head")
    except Exception as exc:  # alembic and the driver raise many kinds; say which database
        raise MigrationFailed(f"cannot upgrade the database schema: {exc}") from exc


def current_revision(engine: Engine) -> str | None:
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()
