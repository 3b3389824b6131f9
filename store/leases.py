"""Mailbox leases: one worker at a time polls a mailbox folder (the others skip that poll).

A lease is taken with a compare-and-swap UPDATE on the holder (or the first INSERT), so it works
the same on SQLite and on PostgreSQL with several workers. It runs out by itself after LEASE; a
holder on this host whose process is gone (a crash) is taken over at once.
"""
from __future__ import annotations

import os
import socket
import uuid
from datetime import datetime, timedelta

from sqlalchemy import update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from store.tables import MailboxLeaseRow

LEASE = timedelta(minutes=5)


def new_holder() -> str:
    """A name for this worker: host, process id and a random part."""
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"[:100]


def _gone(holder: str) -> bool:
    """True when `holder` was a process on this host that no longer runs."""
    host, _, rest = holder.partition(":")
    pid = rest.partition(":")[0]
    if host != socket.gethostname() or not pid.isdigit():
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return False


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
    if current != holder and row.expires_at > now and not _gone(current):
        return False
    swapped = session.execute(update(MailboxLeaseRow).where(col(MailboxLeaseRow.mailbox) == mailbox,
                                                            col(MailboxLeaseRow.holder) == current)
                              .values(holder=holder, expires_at=now + lease)).rowcount
    session.commit()
    return swapped == 1


def release(session: Session, mailbox: str, holder: str, now: datetime) -> None:
    session.execute(update(MailboxLeaseRow).where(col(MailboxLeaseRow.mailbox) == mailbox[:600],
                                                  col(MailboxLeaseRow.holder) == holder).values(expires_at=now))
    session.commit()
