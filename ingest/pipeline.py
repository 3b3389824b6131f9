"""One message through the service: the one place that sequences the stages.

After the message is claimed in the ledger (its bytes committed before any work), four steps, top to bottom:
1. read: parse and extract in the isolated worker (`ingest.reader`); the service never parses the bytes;
2. decide: the facts the store holds (the thread's case, acknowledgements already sent) and the record
   become one frozen `Plan` (`ingest.plan.decide`, pure);
3. apply: the plan in one transaction (`store.intake.file_message`): the case, its review item, the
   ledger status and the pending acknowledgement/forward;
4. send and move: after the commit, send what the outbox holds for it; then the mail is moved to
   Processed (or Quarantine), so a crash at any point is safe to retry.
This is also the one place that catches a message's failure: the message is quarantined with the
reason stored, and the poll goes on. Logs carry ledger ids and case references, never a child's details.
"""
from __future__ import annotations

import dataclasses
import logging
import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Callable, Protocol, Sequence

from jinja2 import Environment
from sqlmodel import Session

from config.settings import DriftSettings, TeamAddresses
from ingest import plan
from ingest.mailbox import PROCESSED, QUARANTINE
from ingest.plan import Plan
from ingest.reader import Reading, Thread, Unread
from notifier.errors import DeliveryFailed
from store import cases, drift, intake, leases, ledger, message_text, outbox
from store.errors import AlreadyProcessed, ClaimedElsewhere, StoreError, StoreUnavailable
from store.ledger import LedgerEntry, MessageKey

log = logging.getLogger("cme.pipeline")
MESSAGE_ID = re.compile(r"<[^<>\s\"]{1,250}@[^<>\s\"]{1,250}>")
HEADER_MESSAGE_ID = re.compile(rb"(?im)^message-id[ \t]*:[ \t]*((?:[^\r\n]|\r?\n[ \t])*)")
Mover = Callable[[str], None]  # moves the message to PROCESSED or QUARANTINE on the server


class Sender(Protocol):
    def send(self, mime: bytes, sender: str, recipients: Sequence[str],
             accepted: Callable[[], None] | None = None) -> None:
        """Deliver `mime`; `accepted` is called the moment the server has taken it, before the connection
        is closed, so that recording it as sent is the only step between the two."""


class Reader(Protocol):
    def read(self, name: str, data: bytes) -> Reading | Unread: ...


@dataclass(frozen=True)
class Deps:
    """Everything a message needs, built once at start-up by the `cme` command."""

    sessions: Callable[[], Session]
    reader: Reader  # ingest.reader.Reader: the isolated worker that reads a message
    teams: TeamAddresses
    templates: Environment
    sender: Sender
    max_bytes: int
    clock: Callable[[], datetime]
    worker: str = field(default_factory=leases.new_holder)  # this worker's name for mailbox leases
    drift: DriftSettings = DriftSettings()  # spot checks of accepted records and the drift switch


@dataclass(frozen=True)
class RawMessage:
    key: MessageKey
    data: bytes


@dataclass(frozen=True)
class Outcome:
    status: str  # stored | duplicate | quarantined | busy
    destination: str | None  # PROCESSED | QUARANTINE | None (leave it in the inbox)
    entry_id: int | None  # our ledger entry, to mark moved (None for a copy of another entry)
    reference: str | None = None
    reason: str | None = None
    outbox_ids: tuple[int, ...] = ()
    sent: int = 0
    failed: int = 0
    moved: bool = False  # moved on the server by the pipeline already


@dataclass
class Delivery:
    sent: int = 0
    failed: int = 0
    errors: list[str] = field(default_factory=list)


def destination_of(entry: LedgerEntry) -> str:
    return QUARANTINE if entry.status == "quarantined" else PROCESSED


def _message_id(data: bytes) -> str | None:
    """The Message-ID of the header block, found without parsing the message (that is the reader's work)."""
    split = re.search(rb"\r?\n\r?\n", data[:262144])
    head = data[:split.start()] if split else data[:262144]
    match = HEADER_MESSAGE_ID.search(head)
    if match is None:
        return None
    found = MESSAGE_ID.search(match.group(1).decode("latin-1"))
    return found.group(0) if found else None


def _reason(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    return f"{type(exc).__name__}: {text}"[:500] if text else type(exc).__name__


def _claim(raw: RawMessage, deps: Deps, status: str = "claimed", reason: str | None = None) -> LedgerEntry | Outcome:
    with deps.sessions() as session:
        try:
            return ledger.claim(session, raw.key, raw.data, _message_id(raw.data), deps.clock(), status, reason,
                                holder=deps.worker)
        except AlreadyProcessed as exc:
            entry: LedgerEntry = exc.entry  # type: ignore[assignment]
            own = entry.id if entry.key == raw.key else None
            if own is not None and entry.status == "quarantined":  # a poison message given up on
                log.warning("ledger entry %s quarantined: it stopped the process repeatedly", entry.id)
                return Outcome("quarantined", QUARANTINE, own, reason=entry.reason)
            return Outcome("duplicate", destination_of(entry), own, reason=str(exc))
        except ClaimedElsewhere as exc:
            return Outcome("busy", None, None, reason=str(exc))


def _quarantine(entry: LedgerEntry, reason: str, deps: Deps, kept: message_text.ReadText | None = None) -> Outcome:
    """Quarantine the entry with its reason; then keep what the reader could tell of it (its header facts, or
    all it read when storing failed after reading), which the quarantine page and a case entered from it show."""
    with deps.sessions() as session:
        ledger.mark_quarantined(session, entry.id, reason, deps.clock())
        session.commit()
    log.warning("ledger entry %s quarantined: %s", entry.id, reason.split(":", 1)[0])
    if kept is not None:
        try:
            with deps.sessions() as session:
                message_text.keep(session, entry.id, kept, deps.clock())
                session.commit()
        except Exception:  # noqa: BLE001 - the quarantine stands; the page then reads the header block
            log.warning("ledger entry %s: what its reader read could not be kept", entry.id)
    return Outcome("quarantined", QUARANTINE, entry.id, reason=reason)


def quarantine_unread(raw: RawMessage, size: int, deps: Deps) -> Outcome:
    """A message over the size cap: its header block is kept, the body is never downloaded."""
    reason = f"message is {size} bytes, over the {deps.max_bytes}-byte limit (CME_IMAP_MAX_BYTES); not downloaded"
    claimed = _claim(raw, deps, status="quarantined", reason=reason)
    if isinstance(claimed, Outcome):
        return claimed
    log.warning("ledger entry %s quarantined unread: %d bytes", claimed.id, size)
    return Outcome("quarantined", QUARANTINE, claimed.id, reason=reason)


def process_message(raw: RawMessage, deps: Deps, move: Mover | None = None) -> Outcome:
    """One message, in four steps: read -> decide -> apply -> send and move (after its claim)."""
    claimed = _claim(raw, deps)
    if isinstance(claimed, Outcome):
        return _moved(claimed, move, deps)
    entry = claimed
    same = _same_content(entry, raw, deps)
    if same is not None:
        return _moved(same, move, deps)
    reading = read(raw, deps)
    if isinstance(reading, Unread):
        return _moved(_quarantine(entry, reading.reason, deps, kept_text(reading)), move, deps)
    try:
        referral = reading.referral()
        chosen = decide(reading, referral, deps, entry.id)
        filed = apply(entry, raw, reading, chosen, deps)
    except StoreUnavailable:
        raise  # the database is down, not the message's fault: the next poll retries
    except Exception as exc:  # composing or storing this message failed: quarantine it
        log.debug("ledger entry %s failed to store", entry.id, exc_info=True)
        return _moved(_quarantine(entry, _reason(exc), deps, kept_text(reading)), move, deps)
    log.info("ledger entry %s stored as %s (%s, %s)%s", entry.id, filed.case.row_reference, chosen.category,
             chosen.status, "; not acknowledged: " + "; ".join(chosen.notes) if chosen.notes else "")
    return send_and_move(entry, filed, deps, move)


# --- the four steps ----------------------------------------------------------------------------------


def read(raw: RawMessage, deps: Deps) -> Reading | Unread:
    """Parse and extract in the isolated worker; the raw bytes go in, the record and the text come back."""
    return deps.reader.read(raw.key.file_name, raw.data)


def decide(reading: Reading, referral: Any, deps: Deps, entry_id: int = 0) -> Plan:
    """What the store knows about the message's case and sender, and whether auto-accept is on (the drift
    switch, paused here when the spot checks' precision has fallen below its target), then the one pure
    decision. `entry_id`: the ledger id, which chooses the spot checks."""
    thread = reading.thread
    thread_ids = [i for i in (thread.in_reply_to, *thread.references) if i]
    known = intake.facts(deps.sessions, references=plan.references_in(referral, thread.subject, reading.text),
                         thread_ids=thread_ids, thread_keys=[_thread_key(thread) or "", *thread_ids],
                         recipients=plan.recipients(referral, deps.teams), now=deps.clock())
    switch = drift.auto_accept(deps.sessions, deps.drift.window, deps.drift.min_precision, deps.clock())
    if not switch.on:
        log.debug("ledger entry %s: auto-accept is paused", entry_id)
    gate = plan.Gate(spot_check=plan.spot_checked(entry_id, deps.drift.spot_check_one_in),
                     one_in=deps.drift.spot_check_one_in, paused=switch.reason if not switch.on else None)
    return plan.decide(referral, reading.record, known, deps.teams, reading.warnings, gate)


def apply(entry: LedgerEntry, raw: RawMessage, reading: Reading, chosen: Plan, deps: Deps) -> intake.Filed:
    """The plan in one transaction: the case, its review item, the ledger status, bounce marks, the outbox."""
    from notifier.acks import compose_ack, compose_forward, new_message_id

    now = deps.clock()
    thread = reading.thread

    def mails(saved: cases.SavedCase) -> list[intake.Mail]:
        out = []
        if chosen.forward is not None:
            mid = new_message_id(deps.teams)
            out.append(intake.Mail("forward", chosen.forward.address, mid, compose_forward(
                raw=raw.data, reference=saved.reference, forward=chosen.forward, received=now, teams=deps.teams,
                env=deps.templates, message_id=mid, now=now, sender=reading.header.from_address)))
        if chosen.acknowledge:
            mid = new_message_id(deps.teams)
            out.append(intake.Mail("ack", chosen.acknowledge, mid, compose_ack(
                reference=saved.reference, recipient=chosen.acknowledge, category=chosen.category,
                in_reply_to=thread.message_id, references=thread.references, forward=chosen.forward,
                teams=deps.teams, env=deps.templates, message_id=mid, now=now)))
        return out

    bounce_text = raw.data.decode("latin-1") + " " + reading.text if chosen.mark_bounces else ""
    filed = intake.file_message(
        deps.sessions, entry_id=entry.id, record=chosen.record, status=chosen.status, attach_to=chosen.attach_to,
        review=chosen.review, thread_key=_thread_key(thread), now=now, mails=mails, bounce=chosen.mark_bounces,
        spot_check=chosen.spot_check, text=kept_text(reading),
        bounced_ids=MESSAGE_ID.findall(bounce_text), bounced_references=cases.quoted_references(bounce_text))
    if filed.bounced:
        log.info("bounce %s marks %d acknowledgement(s) bounced", filed.case.row_reference, filed.bounced)
    return filed


def send_and_move(entry: LedgerEntry, filed: intake.Filed, deps: Deps, move: Mover | None) -> Outcome:
    """After the commit: send what the outbox holds for this message, then move the mail on."""
    delivery = send_outbox(deps, filed.outbox_ids)
    outcome = Outcome("stored", PROCESSED, entry.id, filed.case.reference, outbox_ids=filed.outbox_ids,
                      sent=delivery.sent, failed=delivery.failed)
    return _moved(outcome, move, deps)


# --- helpers --------------------------------------------------------------------------------------


def kept_text(reading: Reading | Unread) -> message_text.ReadText | None:
    """What the store keeps of what the reader read (None: an unread message that gave no header facts)."""
    header = reading.header
    if header is None:
        return None
    if isinstance(reading, Unread):
        return message_text.ReadText(message_text.HeaderFacts(
            header.from_address, header.from_name, header.to, header.subject, header.date), read=False)
    thread = reading.thread
    facts = message_text.HeaderFacts(header.from_address, header.from_name, header.to, header.subject, header.date,
                                     thread.message_id, thread.references)
    return message_text.ReadText(
        facts, tuple(message_text.TextPart(p.part, p.kind, p.text) for p in reading.parts),
        tuple(message_text.Listed(a.index, a.filename, a.content_type, a.size, a.parent) for a in reading.attachments),
        reading.problems, reading.warnings, reading.sender[2])


def _thread_key(thread: Thread) -> str | None:
    return (thread.references[0] if thread.references else thread.in_reply_to) or thread.message_id


def _same_content(entry: LedgerEntry, raw: RawMessage, deps: Deps) -> Outcome | None:
    """A re-delivered copy (same Message-ID and content as a message already done) adds nothing."""
    with deps.sessions() as session:
        same = ledger.find_same_content(session, entry, raw.data)
        if same is None:
            return None
        ledger.mark_duplicate(session, entry.id, same, deps.clock())
        session.commit()
    log.info("ledger entry %s is a re-delivery of entry %s", entry.id, same.id)
    return Outcome("duplicate", destination_of(same), entry.id)


def _moved(outcome: Outcome, move: Mover | None, deps: Deps) -> Outcome:
    """Move the mail to the outcome's folder (when the caller gave a way to), and note it in the ledger."""
    if move is None or outcome.destination is None:
        return outcome
    move(outcome.destination)
    if outcome.entry_id is not None:
        with deps.sessions() as session:
            ledger.mark_moved(session, outcome.entry_id, deps.clock())
            session.commit()
    return dataclasses.replace(outcome, moved=True)


def send_outbox(deps: Deps, ids: Sequence[int] | None = None) -> Delivery:
    """Send the given outbox rows, or every row due; a transient failure leaves the rest for later."""
    result = Delivery()
    with deps.sessions() as session:
        mails = outbox.get(session, ids) if ids is not None else outbox.due(session, deps.clock())
    for mail in mails:
        marked = False

        def record_sent(mail_id: int = mail.id) -> None:  # the at-least-once window: this one commit
            nonlocal marked
            try:
                with deps.sessions() as session:
                    outbox.mark_sent(session, mail_id, deps.clock())
                    session.commit()
                marked = True
            except StoreError as exc:  # recorded after the connection closes instead
                log.warning("outbox %s sent but not yet marked: %s", mail_id, exc)

        try:
            deps.sender.send(mail.mime, deps.teams.cme, [mail.recipient], accepted=record_sent)
        except DeliveryFailed as exc:
            with deps.sessions() as session:
                outbox.mark_failed(session, mail, str(exc), deps.clock(), permanent=exc.permanent)
                session.commit()
            result.failed += 1
            result.errors.append(str(exc))
            log.warning("outbox %s (%s) not sent: %s", mail.id, mail.kind, exc)
            if not exc.permanent:
                break  # the server is down: the rest waits for the next poll
            continue
        if not marked:
            with deps.sessions() as session:
                outbox.mark_sent(session, mail.id, deps.clock())
                session.commit()
        result.sent += 1
    return result
