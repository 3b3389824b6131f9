"""Several `cme run` workers on one PostgreSQL database: they start together on a new database, and when
the worker polling the folder is killed the others finish its work within a minute, each message once."""
from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

from sqlalchemy import func
from sqlmodel import select

from store import leases
from store.db import make_engine, session_factory
from store.export import export_records
from store.tables import MessageRow, OutboxRow, UserRow
from tests.conftest import free_port, wait_for_port
from tests.ingest import mails
from tests.ingest.service import service_env

PROJECT = Path(__file__).resolve().parents[2]
CME = [sys.executable, "-m", "ingest.cli"]


def _start_workers(env: dict[str, str], count: int) -> tuple[list[subprocess.Popen], list[int]]:
    ports = [free_port() for _ in range(count)]
    procs = [subprocess.Popen([*CME, "run"], cwd=PROJECT, env={**os.environ, **env, "CME_WEB_PORT": str(port)},
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True) for port in ports]
    return procs, ports


def _stop(procs: list[subprocess.Popen]) -> list[str]:
    for proc in procs:
        if proc.poll() is None:
            proc.terminate()
    return [proc.communicate(timeout=60)[0] or "" for proc in procs]


def test_three_workers_started_together_on_a_new_database_all_start_and_make_one_admin(
        tmp_path, imap_account, smtp_server, postgres):
    database = postgres.new_database()
    env = service_env(tmp_path, imap_account.env(), smtp_server.env(), {"CME_DATABASE_URL": database})
    procs, ports = _start_workers(env, 3)
    try:
        for port in ports:
            wait_for_port(port, timeout=180)
        assert [p.poll() for p in procs] == [None, None, None]
    finally:
        outputs = _stop(procs)
    assert all("Traceback" not in out for out in outputs), "\n".join(outputs)[-4000:]
    assert sum(len(re.findall(r"password '([^']+)'", out)) for out in outputs) == 1
    engine = make_engine(database)
    with session_factory(engine)() as session:
        assert session.exec(select(UserRow.name)).all() == ["admin"]
    engine.dispose()


def test_three_exports_started_together_on_a_new_database_all_succeed(tmp_path, postgres):
    env = {**os.environ, **service_env(tmp_path, {"CME_DATABASE_URL": postgres.new_database()})}
    procs = [subprocess.Popen([*CME, "export"], cwd=PROJECT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              text=True) for _ in range(3)]
    results = [(p.wait(timeout=120), p.communicate()[1]) for p in procs]
    assert [code for code, _ in results] == [0, 0, 0], [err[-2000:] for _, err in results]


def _stored(sessions) -> int:
    with sessions() as session:
        return int(session.exec(select(func.count()).select_from(MessageRow)
                                .where(MessageRow.status != "claimed")).one())


def test_when_the_polling_worker_is_killed_the_others_finish_every_message_within_a_minute(
        tmp_path, imap_account, smtp_server, postgres):
    database = postgres.new_database()
    env = service_env(tmp_path, imap_account.env(), smtp_server.env(), {"CME_DATABASE_URL": database})
    senders = [f"teacher{n}@school.example.org" for n in range(24)]
    for sender in senders:
        imap_account.append(mails.person_referral(sender=sender))
    engine = make_engine(database)
    sessions = session_factory(engine)
    lease = f"{imap_account.user}@{imap_account.host}/INBOX"
    procs, ports = _start_workers(env, 3)
    try:
        for port in ports:
            wait_for_port(port, timeout=180)
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and _stored(sessions) < 2:
            time.sleep(0.1)
        with sessions() as session:
            holder = leases.holder_of(session, lease, _now())
        assert holder is not None, "no worker is polling the folder"
        victim = next(p for p in procs if p.pid == int(holder.split(":")[1]))
        victim.send_signal(signal.SIGKILL)
        victim.wait(timeout=30)
        stored_at_kill = _stored(sessions)
        with sessions() as session:  # the at-least-once window: accepted by the server, not yet marked sent
            sink_ids = {m.message["Message-ID"] for m in smtp_server.received}
            window = {r.message_id for r in session.exec(select(OutboxRow)).all()
                      if r.message_id in sink_ids and r.status != "sent"}

        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and (imap_account.messages("INBOX") or _pending(sessions)):
            time.sleep(0.5)
        assert imap_account.messages("INBOX") == [], "the other workers did not finish within a minute"
        assert _pending(sessions) == 0
    finally:
        outputs = _stop([p for p in procs if p.returncode is None])
    assert stored_at_kill < len(senders), "the kill came after the work was done"
    assert all("Traceback" not in out for out in outputs), "\n".join(outputs)[-4000:]
    with sessions() as session:
        records = list(export_records(session))
    assert len(records) == len(senders)
    assert len({r["case_reference"] for r in records}) == len(senders)
    assert len(imap_account.messages("Processed")) == len(senders)
    sent = Counter(m.message["Message-ID"] for m in smtp_server.received)
    twice = {mid for mid, n in sent.items() if n > 1}
    assert twice <= window and len(window) <= 1, (twice, window)
    assert sorted(set(r for m in smtp_server.received for r in m.rcpt_tos)) == sorted(senders)
    engine.dispose()


def _pending(sessions) -> int:
    with sessions() as session:
        return int(session.exec(select(func.count()).select_from(OutboxRow)
                                .where(OutboxRow.status == "pending")).one())


def _now():
    from datetime import datetime, timezone

    return datetime.now(timezone.utc)
