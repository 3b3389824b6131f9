"""One message through the service: the one place that sequences the stages.

Order of effects, so that a crash at any point is safe to retry:
1. claim the message in the ledger (its bytes committed) before any work;
2. parse, extract and triage (pure);
3. one transaction: the case record, its review item and the pending acknowledgement/forward;
4. after the commit, send what the outbox holds for it;
5. the caller (the poller) then moves the mail on the server.
This is also the one place that catches a message's failure: the message is quarantined with the
reason stored, and the poll goes on. Logs carry ledger ids and case references, never a child's details.
"""
from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from email.parser import BytesHeaderParser
from email.policy import compat32
from typing import Any, Callable, Protocol, Sequence

from jinja2 import Environment
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlmodel import Session

from config.settings import TeamAddresses
from ingest.mailbox import PROCESSED, QUARANTINE
from notifier.errors import DeliveryFailed
from store import cases, leases, ledger, outbox
from store.errors import AlreadyProcessed, ClaimedElsewhere
from store.ledger import LedgerEntry, MessageKey

log = logging.getLogger("cme.pipeline")
ACKS_PER_SENDER_PER_DAY = 5  # a flood of mail (or a forged sender) does not turn us into a spam cannon
MESSAGE_ID = re.compile(r"<[^<>\s\"]{1,250}@[^<>\s\"]{1,250}>")


class Sender(Protocol):
    def send(self, mime: bytes, sender: str, recipients: Sequence[str]) -> None: ...


@dataclass(frozen=True)
class Deps:
    """Everything a message needs, built once at start-up by the `cme` command."""

    sessions: Callable[[], Session]
    context: Any  # extraction.context.ExtractionContext
    teams: TeamAddresses
    templates: Environment
    sender: Sender
    max_bytes: int
    clock: Callable[[], datetime]
    worker: str = field(default_factory=leases.new_holder)  # this worker's name for mailbox leases


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


@dataclass
class Delivery:
    sent: int = 0
    failed: int = 0
    errors: list[str] = field(default_factory=list)


def destination_of(entry: LedgerEntry) -> str:
    return QUARANTINE if entry.status == "quarantined" else PROCESSED


def _message_id(data: bytes) -> str | None:
    try:
        value = BytesHeaderParser(policy=compat32).parsebytes(data[:262144]).get("Message-ID")
    except Exception:  # the header block of hostile mail may not parse; the parser will say why
        return None
    match = MESSAGE_ID.search(str(value or ""))
    return match.group(0) if match else None


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


def _quarantine(entry: LedgerEntry, reason: str, deps: Deps) -> Outcome:
    with deps.sessions() as session:
        ledger.mark_quarantined(session, entry.id, reason, deps.clock())
        session.commit()
    log.warning("ledger entry %s quarantined: %s", entry.id, reason.split(":", 1)[0])
    return Outcome("quarantined", QUARANTINE, entry.id, reason=reason)


def quarantine_unread(raw: RawMessage, size: int, deps: Deps) -> Outcome:
    """A message over the size cap: its header block is kept, the body is never downloaded."""
    reason = f"message is {size} bytes, over the {deps.max_bytes}-byte limit (CME_IMAP_MAX_BYTES); not downloaded"
    claimed = _claim(raw, deps, status="quarantined", reason=reason)
    if isinstance(claimed, Outcome):
        return claimed
    log.warning("ledger entry %s quarantined unread: %d bytes", claimed.id, size)
    return Outcome("quarantined", QUARANTINE, claimed.id, reason=reason)


def process_message(raw: RawMessage, deps: Deps) -> Outcome:
    claimed = _claim(raw, deps)
    if isinstance(claimed, Outcome):
        return claimed
    entry = claimed
    from extraction.extract import extract_referral
    from notifier.triage import decide
    from parsers.mime import parse_message

    try:
        parsed = parse_message(raw.data, raw.key.file_name)
        referral = extract_referral(parsed, deps.context)
        decision = decide(referral, deps.teams)
    except Exception as exc:  # the one catch site for a message that cannot be read
        log.debug("ledger entry %s failed", entry.id, exc_info=True)
        return _quarantine(entry, _reason(exc), deps)
    with deps.sessions() as session:
        same = ledger.find_same_content(session, entry, raw.data)
        if same is not None:
            ledger.mark_duplicate(session, entry.id, same, deps.clock())
            session.commit()
            log.info("ledger entry %s is a re-delivery of entry %s", entry.id, same.id)
            return Outcome("duplicate", destination_of(same), entry.id)
        try:
            saved, ids = _store(session, entry, raw, parsed, referral, decision, deps)
            session.commit()
        except (OperationalError, DBAPIError) as exc:
            if isinstance(exc, OperationalError) or exc.connection_invalidated:
                raise  # the database is down, not the message's fault: the next poll retries
            session.rollback()
            return _quarantine(entry, _reason(exc), deps)
        except Exception as exc:  # composing or storing this message failed: quarantine it
            session.rollback()
            log.debug("ledger entry %s failed to store", entry.id, exc_info=True)
            return _quarantine(entry, _reason(exc), deps)
    log.info("ledger entry %s stored as %s (%s, %s)", entry.id, saved.row_reference, referral.category, decision.action)
    delivery = send_outbox(deps, ids)
    return Outcome("stored", PROCESSED, entry.id, saved.reference, outbox_ids=tuple(ids),
                   sent=delivery.sent, failed=delivery.failed)


def _store(session: Session, entry: LedgerEntry, raw: RawMessage, parsed: Any, referral: Any, decision: Any,
           deps: Deps) -> tuple[cases.SavedCase, list[int]]:
    from notifier.acks import compose_ack, compose_forward, new_message_id

    now = deps.clock()
    thread_ids = [i for i in (parsed.in_reply_to, *parsed.references) if i]
    thread_key = (parsed.references[0] if parsed.references else parsed.in_reply_to) or parsed.message_id
    record = referral.to_record()
    attach, review = None, decision.review
    if decision.action == "attach":
        quoted = ([referral.case_reference] if referral.case_reference else []) + cases.quoted_references(
            " ".join([parsed.subject or "", *(s.text for s in parsed.sources)]))
        attach = cases.find_case(session, quoted, thread_ids)
        if attach is None:
            _add_reason(record, "no stored case matches the reference or thread of this update")
            review = True
    elif decision.action == "new_case" and thread_ids:
        # only the store knows the thread: a reply in a case's thread is more news about that case
        attach = cases.find_case(session, [], thread_ids)
        if attach is not None:
            record["category"] = "case_update"
            _add_reason(record, f"replies in the thread of {attach.reference}: stored as an update to that case")
            review = True
    status = _status(decision, record, attach is not None)
    saved = cases.save_case(session, message_entry_id=entry.id, record=record, thread_key=thread_key,
                            now=now, status=status, attach_to=attach, review=review)
    ledger.mark_stored(session, entry.id, now)
    if referral.category == "bounce":
        text = raw.data.decode("latin-1") + " ".join(s.text for s in parsed.sources)
        bounced = outbox.mark_bounced(session, MESSAGE_ID.findall(text), cases.quoted_references(text), now)
        if bounced:
            log.info("bounce %s marks %d acknowledgement(s) bounced", saved.row_reference, bounced)
    ids: list[int] = []
    if decision.forward is not None:
        mid = new_message_id(deps.teams)
        mime = compose_forward(raw=raw.data, reference=saved.reference, forward=decision.forward, received=now,
                               teams=deps.teams, env=deps.templates, message_id=mid, now=now)
        ids.append(outbox.add(session, case_id=saved.id, kind="forward", recipient=decision.forward.address,
                              thread_key=thread_key, message_id=mid, mime=mime, now=now))
    if decision.ack_to and _may_acknowledge(session, decision.ack_to, [thread_key or "", *thread_ids], now):
        mid = new_message_id(deps.teams)
        mime = compose_ack(reference=saved.reference, recipient=decision.ack_to, category=record["category"],
                           in_reply_to=parsed.message_id, references=parsed.references, forward=decision.forward,
                           teams=deps.teams, env=deps.templates, message_id=mid, now=now)
        ids.append(outbox.add(session, case_id=saved.id, kind="ack", recipient=decision.ack_to,
                              thread_key=thread_key, message_id=mid, mime=mime, now=now))
    return saved, ids


def _status(decision: Any, record: dict[str, Any], attached: bool) -> str:
    """The case's status in the review queue (which lists "new" cases, urgent first)."""
    if record.get("urgent"):
        return "new"  # an urgent message is raised at once, whatever else it is
    if decision.action == "store":
        return "rejected"  # automatic replies and bounces: kept, no action for an officer
    if decision.forward is not None:
        return "forwarded"
    return "attached" if attached else "new"


def _add_reason(record: dict[str, Any], reason: str) -> None:
    record["review_reasons"] = list(record.get("review_reasons") or []) + [reason]
    record["needs_review"] = True


def _may_acknowledge(session: Session, recipient: str, threads: list[str], now: datetime) -> bool:
    """At most one acknowledgement per sender per thread, and a few a day per sender (RFC 3834)."""
    if outbox.ack_exists(session, recipient, threads):
        return False
    if outbox.acks_since(session, recipient, now - timedelta(days=1)) >= ACKS_PER_SENDER_PER_DAY:
        log.info("acknowledgement limit reached for a sender; none sent")
        return False
    return True


def send_outbox(deps: Deps, ids: Sequence[int] | None = None) -> Delivery:
    """Send the given outbox rows, or every row due; a transient failure leaves the rest for later."""
    result = Delivery()
    with deps.sessions() as session:
        mails = outbox.get(session, ids) if ids is not None else outbox.due(session, deps.clock())
    for mail in mails:
        try:
            deps.sender.send(mail.mime, deps.teams.cme, [mail.recipient])
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
        with deps.sessions() as session:
            outbox.mark_sent(session, mail.id, deps.clock())
            session.commit()
        result.sent += 1
    return result
