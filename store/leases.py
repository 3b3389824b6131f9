"""Mailbox leases: one worker at a time polls a mailbox folder (the others skip that poll).

A lease is taken with a compare-and-swap UPDATE on the holder (or the first INSERT), so it works
the same on SQLite and on PostgreSQL with several workers. It is short (LEASE) and its holder
renews it every HEARTBEAT while it polls; a holder that stops renewing (a machine that died) loses
it after LEASE, and a holder on this host whose process is gone (a crash, kill -9) at once.

A worker's name (`new_holder`) says where it runs: the host and its process namespace, the
process id and the process's start time (so a reused process id is not taken for the original),
and a random part. The same name marks the ledger claims it holds (`store.ledger`).
"""
from __future__ import annotations

import os
import socket
import uuid
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from store.tables import MailboxLeaseRow

LEASE = timedelta(seconds=30)  # a holder that stopped renewing on another host is taken over after this
HEARTBEAT = timedelta(seconds=5)  # how often a working holder renews its lease and its claims
RELEASED = "released:"  # marks a lease its holder let go of at the end of a poll


def _host() -> str:
    """This machine, and its process namespace when there is one: a process id means something only there."""
    name = socket.gethostname().replace(":", "-")[:60]
    try:
        namespace = os.readlink("/proc/self/ns/pid")  # "pid:[4026531836]"
    except OSError:
        return name
    return f"{name}/{namespace.partition('[')[2].rstrip(']')}"


def _process_stat(pid: int) -> tuple[str, str] | None:
    """(state, start time in clock ticks since boot) of a process, from /proc; None when unknown."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = stat.rpartition(")")[2].split()  # the name may hold spaces and parentheses
    return (fields[0], fields[19]) if len(fields) > 19 else None


def new_holder() -> str:
    """A name for this worker: host, process id, process start time and a random part."""
    pid = os.getpid()
    stat = _process_stat(pid)
    return f"{_host()}:{pid}:{stat[1] if stat else '-'}:{uuid.uuid4().hex[:8]}"[:100]


def gone(holder: str) -> bool:
    """True when `holder` was a process on this host that no longer runs (or is a zombie)."""
    parts = holder.split(":")
    if len(parts) == 3:  # host:pid:random, as written before process start times were recorded
        parts = [parts[0] if parts[0] != socket.gethostname() else _host(), parts[1], "-", parts[2]]
    if len(parts) < 4 or parts[0] != _host() or not parts[1].isdigit():
        return False  # another host: only its lease's time tells
    pid, started = int(parts[1]), parts[2]
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        pass  # it exists, as another user
    stat = _process_stat(pid)
    if stat is None:
        return False
    state, start = stat
    return state in ("Z", "X") or (started != "-" and start != started)


def holder_of(session: Session, mailbox: str, now: datetime) -> str | None:
    """Who holds the lease on `mailbox` now (None when nobody does)."""
    row = session.exec(select(MailboxLeaseRow).where(MailboxLeaseRow.mailbox == mailbox[:600])
                       .execution_options(populate_existing=True)).first()
    return row.holder if row is not None and row.expires_at > now else None


def acquire(session: Session, mailbox: str, holder: str, now: datetime, lease: timedelta = LEASE) -> bool:
    """Take or renew the lease on `mailbox` for `holder`; False while another worker holds it. Commits."""
    mailbox = mailbox[:600]
    row = session.exec(select(MailboxLeaseRow).where(MailboxLeaseRow.mailbox == mailbox)
                       .execution_options(populate_existing=True)).first()
    if row is None:
        session.add(MailboxLeaseRow(mailbox=mailbox, holder=holder, expires_at=now + lease))
        try:
            session.commit()
            return True
        except IntegrityError:  # another worker inserted it first
            session.rollback()
            return False
    current = row.holder
    if current != holder and row.expires_at > now and not gone(current):
        return False
    swapped = session.execute(update(MailboxLeaseRow).where(col(MailboxLeaseRow.mailbox) == mailbox,
                                                            col(MailboxLeaseRow.holder) == current)
                              .values(holder=holder, expires_at=now + lease)).rowcount
    session.commit()
    return swapped == 1


def release(session: Session, mailbox: str, holder: str, now: datetime) -> None:
    """The poll is over: the lease is free, and marked released (not abandoned)."""
    session.execute(update(MailboxLeaseRow).where(col(MailboxLeaseRow.mailbox) == mailbox[:600],
                                                  col(MailboxLeaseRow.holder) == holder)
                    .values(holder=(RELEASED + holder)[:100], expires_at=now))
    session.commit()


def abandoned(session: Session, mailbox: str, now: datetime) -> bool:
    """True when a holder stopped without releasing the lease: its process is gone, or it stopped renewing.

    A standby that sees this polls at once and finishes what the holder left.
    """
    row = session.exec(select(MailboxLeaseRow).where(MailboxLeaseRow.mailbox == mailbox[:600])
                       .execution_options(populate_existing=True)).first()
    if row is None or row.holder.startswith(RELEASED):
        return False
    return row.expires_at <= now or gone(row.holder)
