"""The service as the `cme` command builds it, on a temporary data dir, for tests."""
from __future__ import annotations

import dataclasses
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from config.settings import Settings, load_settings
from ingest.cli import build_deps, open_database, open_mailbox
from ingest.pipeline import Deps
from ingest.poller import PollReport, poll_once
from store.db import session_factory
from store.export import export_records


class Clock:
    """A clock the test moves forward (outbox retries wait for their time)."""

    def __init__(self) -> None:
        self.now = datetime(2026, 11, 20, 9, 0, tzinfo=timezone.utc)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **kw: float) -> None:
        self.now += timedelta(**kw)


@dataclasses.dataclass
class Service:
    settings: Settings
    deps: Deps
    engine: Any
    clock: Clock

    def poll(self) -> PollReport:
        with open_mailbox(self.settings) as mailbox:
            return poll_once(mailbox, self.deps)

    def export(self) -> list[dict]:
        with session_factory(self.engine)() as session:
            return list(export_records(session))


def service_env(tmp_path: Path, *parts: dict[str, str]) -> dict[str, str]:
    env = {"CME_DATA_DIR": str(tmp_path / "var"), "CME_DATABASE_URL": f"sqlite:///{tmp_path / 'cme.sqlite3'}"}
    for part in parts:
        env.update(part)
    return env


def make_service(env: dict[str, str], context: Any) -> Service:
    settings = load_settings(env)
    engine = open_database(settings)
    clock = Clock()
    deps = build_deps(settings, engine, context=context)
    return Service(settings, dataclasses.replace(deps, clock=clock), engine, clock)
