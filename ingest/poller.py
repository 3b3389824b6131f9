"""One poll of the mailbox: retry the outbox, then take every message in the inbox through the pipeline.

Crash-safe by construction: a message already stored (or quarantined) but not yet moved, because
the process died between the commit and the move, is only moved on the next poll.

One worker at a time polls a folder: the poll holds the folder's lease (`store.leases`), and a
heartbeat thread renews it and this worker's ledger claims every `leases.HEARTBEAT` while the
poll works, so a worker that dies loses both within seconds (at once on the same host) and the
next poll, by this worker or another, finishes what it left. A poll reads at most `limit`
messages; when more wait it says so (`PollReport.more`) and the caller polls again at once.
"""
from __future__ import annotations

import logging
import threading
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Iterator

from sqlalchemy.exc import SQLAlchemyError

from ingest.errors import StaleKey
from ingest.mailbox import Envelope, Mailbox
from ingest.pipeline import Deps, Outcome, RawMessage, destination_of, process_message, quarantine_unread, send_outbox
from store import leases, ledger

log = logging.getLogger("cme.poller")
BATCH = 500  # messages read by one poll; the next poll starts at once when more wait


@dataclass
class PollReport:
    seen: int = 0
    stored: int = 0
    duplicates: int = 0
    quarantined: int = 0
    moved: int = 0
    busy: int = 0
    skipped: bool = False  # another worker holds the mailbox's lease
    acks_sent: int = 0
    acks_failed: int = 0
    references: list[str] = field(default_factory=list)
    more: bool = False  # the poll stopped before the end of the folder: poll again at once
    why_more: str = ""  # "batch-limit" (`limit` messages read, more wait) or "folder-changed" (UIDVALIDITY)

    def line(self) -> str:
        return (f"seen={self.seen} stored={self.stored} quarantined={self.quarantined} duplicates={self.duplicates} "
                f"moved={self.moved} busy={self.busy} sent={self.acks_sent} send_failures={self.acks_failed}"
                + (" skipped=another-worker" if self.skipped else "")
                + (f" more=waiting stopped={self.why_more}" if self.more else ""))


class Heartbeat(threading.Thread):
    """While a poll works: renews the folder's lease and this worker's claims every `every`."""

    def __init__(self, deps: Deps, lease_name: str, every: timedelta) -> None:
        super().__init__(name="cme-heartbeat", daemon=True)
        self._deps, self._lease_name, self._every = deps, lease_name, every.total_seconds()
        self._stopping = threading.Event()
        self.lost = threading.Event()  # another worker took the folder's lease

    def run(self) -> None:
        while not self._stopping.wait(self._every):
            try:
                with self._deps.sessions() as session:
                    if not leases.acquire(session, self._lease_name, self._deps.worker, self._deps.clock()):
                        self.lost.set()
                    ledger.renew_claims(session, self._deps.worker, self._deps.clock())
            except SQLAlchemyError as exc:  # the database is unreachable: the poll itself will say so
                log.warning("heartbeat not written (%s); the lease runs out unless the next one is",
                            type(exc).__name__)

    def stop(self) -> None:
        self._stopping.set()
        self.join(timeout=30)


def _move(mailbox: Mailbox, envelope: Envelope, destination: str, entry_id: int | None, deps: Deps,
          report: PollReport) -> None:
    mailbox.move(envelope.key, destination)
    report.moved += 1
    if entry_id is not None:
        with deps.sessions() as session:
            ledger.mark_moved(session, entry_id, deps.clock())
            session.commit()


def _count(outcome: Outcome, report: PollReport) -> None:
    if outcome.status == "stored":
        report.stored += 1
        if outcome.reference:
            report.references.append(outcome.reference)
    elif outcome.status == "quarantined":
        report.quarantined += 1
    elif outcome.status == "duplicate":
        report.duplicates += 1
    else:
        report.busy += 1
    report.acks_sent += outcome.sent
    report.acks_failed += outcome.failed


def _lease(deps: Deps, name: str) -> bool:
    with deps.sessions() as session:
        return leases.acquire(session, name, deps.worker, deps.clock())


def lease_name(mailbox: Mailbox) -> str:
    return f"{mailbox.account}/{mailbox.folder}"


@contextmanager
def _holding(name: str, deps: Deps, heartbeat: timedelta) -> Iterator[bool]:
    """Hold the folder's lease (True) with a heartbeat, or False while another worker holds it."""
    if not _lease(deps, name):
        log.info("poll skipped: another worker is polling %s", name.rpartition("/")[2])
        yield False
        return
    beat = Heartbeat(deps, name, heartbeat)
    beat.start()
    try:
        yield True
    finally:
        beat.stop()
        with deps.sessions() as session:
            ledger.release_claims(session, deps.worker, deps.clock())  # left by a failure: anyone may retake them
            leases.release(session, name, deps.worker, deps.clock())


def poll_once(mailbox: Mailbox, deps: Deps, limit: int = BATCH, heartbeat: timedelta = leases.HEARTBEAT) -> PollReport:
    """One poll of a connected mailbox; skipped (`report.skipped`) while another worker polls the same folder."""
    report = PollReport()
    with _holding(lease_name(mailbox), deps, heartbeat) as held:
        if not held:
            report.skipped = True
            return report
        _poll(mailbox, deps, limit, report, lease_name(mailbox))
    _log(report, limit)
    return report


def poll_mailbox(mailbox: Mailbox, deps: Deps, limit: int = BATCH,
                 heartbeat: timedelta = leases.HEARTBEAT) -> PollReport:
    """Take the folder's lease, then connect to `mailbox` (not yet entered) and poll it.

    A standby whose poll is skipped does not connect at all, so it can ask every few seconds.
    """
    report = PollReport()
    with _holding(lease_name(mailbox), deps, heartbeat) as held:
        if not held:
            report.skipped = True
            return report
        with mailbox:
            _poll(mailbox, deps, limit, report, lease_name(mailbox))
    _log(report, limit)
    return report


def _log(report: PollReport, limit: int) -> None:
    if report.why_more == "batch-limit":
        log.info("poll stopped at its batch limit of %d messages; more are waiting and the next poll starts now", limit)
    log.info("poll: %s", report.line())


def _poll(mailbox: Mailbox, deps: Deps, limit: int, report: PollReport, name: str) -> None:
    retried = send_outbox(deps)
    report.acks_sent, report.acks_failed = retried.sent, retried.failed
    envelopes = mailbox.scan(limit + 1)  # one more than read: says whether more wait
    if len(envelopes) > limit:
        report.more, report.why_more = True, "batch-limit"
    log.info("poll of %s: %d message(s) to read%s", mailbox.folder, min(len(envelopes), limit),
             f", more after these {limit}" if report.more else "")
    for envelope in envelopes[:limit]:
        if not _lease(deps, name):  # lost only if the heartbeat could not renew it in time
            report.skipped = True
            return
        report.seen += 1
        with deps.sessions() as session:
            entry = ledger.lookup(session, envelope.key)
        if entry is not None and entry.status in ledger.FINAL:
            # stored earlier but not moved (a crash after the commit): move it now, nothing else
            _move(mailbox, envelope, destination_of(entry), entry.id, deps, report)
            continue
        try:
            if envelope.size > deps.max_bytes:
                header = mailbox.fetch_header(envelope.key) or b""
                outcome = quarantine_unread(RawMessage(envelope.key, header), envelope.size, deps)
            else:
                data = mailbox.fetch(envelope.key)
                if data is None:  # another client moved or deleted it meanwhile
                    continue
                outcome = process_message(RawMessage(envelope.key, data), deps,
                                          move=lambda destination, key=envelope.key: mailbox.move(key, destination))
        except StaleKey:
            log.info("UIDVALIDITY changed during the poll; the next poll lists the folder again")
            report.more, report.why_more = True, "folder-changed"
            return
        _count(outcome, report)
        if outcome.moved:
            report.moved += 1
        elif outcome.destination is not None:
            _move(mailbox, envelope, outcome.destination, outcome.entry_id, deps, report)
