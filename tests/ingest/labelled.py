"""A store of fictitious labelled cases, as officers leave them, for `cme calibrate --from-store` and `cme train`."""
from __future__ import annotations

import email
import email.policy
import json
import os
import subprocess
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path

from store import casework, cases, ledger
from store.db import make_engine, session_factory, upgrade
from store.ledger import MessageKey

PROJECT = Path(__file__).resolve().parents[2]
HELDOUT = PROJECT / "tests" / "data" / "heldout"
START = datetime(2026, 11, 2, 9, 0, tzinfo=timezone.utc)


def heldout(*names: str) -> list[tuple[bytes, dict]]:
    return [((HELDOUT / f"{n}.eml").read_bytes(), json.loads((HELDOUT / f"{n}.json").read_text(encoding="utf-8")))
            for n in names]


def store_labelled(url: str, messages: list[tuple[bytes, dict]]) -> None:
    """Each message stored as the service stores it, in this order, its record the label, accepted by an officer."""
    engine = make_engine(url)
    upgrade(engine)
    sessions = session_factory(engine)
    for n, (raw, label) in enumerate(messages, start=1):
        at = START + timedelta(hours=n)
        message_id = email.message_from_bytes(raw, policy=email.policy.default)["message-id"]
        record = {**label, "source": {"file": f"{n}.eml"}, "needs_review": True, "review_reasons": []}
        with sessions() as s:
            entry = ledger.claim(s, MessageKey("cme@example.org", "INBOX", 1, n), raw, str(message_id), at)
            saved = cases.save_case(s, message_entry_id=entry.id, record=record, thread_key=None, now=at)
            ledger.mark_stored(s, entry.id, at)
            casework.decide(s, saved.id, "accept", "ada", at, None)
            s.commit()
    engine.dispose()


def cme(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "ingest.cli", *args], cwd=PROJECT, env={**os.environ, **env},
                          capture_output=True, text=True, timeout=900)
