"""One poll of the mailbox: retry the outbox, then take every message in the inbox through the pipeline.

Crash-safe by construction: a message already stored (or quarantined) but not yet moved, because
the process died between the commit and the move, is only moved on the next poll.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass, field

from ingest.errors import StaleKey
from ingest.mailbox import Envelope, Mailbox
from ingest.pipeline import Deps, Outcome, RawMessage, destination_of, process_message, quarantine_unread, send_outbox
from store import leases, ledger

log = logging.getLogger("cme.poller")


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

    def line(self) -> str:
        return (f"seen={self.seen} stored={self.stored} quarantined={self.quarantined} duplicates={self.duplicates} "
                f"moved={self.moved} busy={self.busy} sent={self.acks_sent} send_failures={self.acks_failed}"
                + (" skipped=another-worker" if self.skipped else ""))


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


def poll_once(mailbox: Mailbox, deps: Deps, limit: int = 500) -> PollReport:
    """One poll; skipped (`report.skipped`) while another worker polls the same mailbox folder."""
    report = PollReport()
    name = f"{mailbox.account}/{mailbox.folder}"
    if not _lease(deps, name):
        report.skipped = True
        log.info("poll skipped: another worker is polling %s", mailbox.folder)
        return report
    try:
        _poll(mailbox, deps, limit, report, name)
    finally:
        with deps.sessions() as session:
            leases.release(session, name, deps.worker, deps.clock())
    log.info("poll: %s", report.line())
    return report


def _poll(mailbox: Mailbox, deps: Deps, limit: int, report: PollReport, name: str) -> None:
    retried = send_outbox(deps)
    report.acks_sent, report.acks_failed = retried.sent, retried.failed
    for envelope in mailbox.scan(limit):
        if not _lease(deps, name):  # renewed at every message; lost only if a poll outlived the lease
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
            return
        _count(outcome, report)
        if outcome.moved:
            report.moved += 1
        elif outcome.destination is not None:
            _move(mailbox, envelope, outcome.destination, outcome.entry_id, deps, report)
