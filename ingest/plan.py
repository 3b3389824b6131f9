"""What happens to a message once it is read: one pure function, `decide`, and the frozen `Plan` it makes.

The one home of the decision. `notifier.triage.decide` still says what the record itself asks for
(a new case, an update, a forward, store only; who may be acknowledged at all); `decide` here adds
what only the store knows, handed in as `store.intake.Facts`: the case a quoted reference or the
thread points at, and the acknowledgements already given. It lives in `ingest/` because it joins the
record with those facts: triage stays free of the store, and its inputs stay as they are.

Rules, in one place:
- a case update is attached to the case its reference names, else the case of its thread; with
  neither it becomes a case of its own, for review;
- a new message that replies in a case's thread is more news about that case: attached, for review;
- status: urgent is always "new"; automatic replies and bounces "rejected"; forwarded mail
  "forwarded"; an update "attached"; the rest "new";
- at most one acknowledgement per address per thread, and `ACKS_PER_SENDER_PER_DAY` a day (RFC 3834);
- a message that looks built to attack its reader (a decompression bomb, hundreds of attachments, a
  header flood...) is stored for review and never acknowledged: its sender is likely forged or hostile;
- a new case the service would accept without review (the gate passed, nothing above asked for a
  person) goes to review all the same while auto-accept is paused (`Gate.paused`, the drift switch of
  `store.drift`), else when it is one of the one in N spot checked (`spot_checked`, a pure function of
  the message's ledger id: a retried message is chosen the same way).
No I/O, no clock: `now` comes in with the facts' caller.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

from config.settings import TeamAddresses
from notifier.triage import Decision, Forward
from notifier.triage import decide as triage
from store.cases import CaseLink, quoted_references
from store.intake import Facts

ACKS_PER_SENDER_PER_DAY = 5  # a flood of mail (or a forged sender) does not turn us into a spam cannon
SPOT_CHECK = ("Spot check: one in {n} records the service accepts is shown to an officer, to measure how often "
              "it is right.")


@dataclass(frozen=True)
class Gate:
    """What the drift switch says about records the gate would accept without review."""

    spot_check: bool = False  # this message is one of the one in N shown to an officer anyway
    one_in: int = 0  # N, for the reason's words
    paused: str | None = None  # auto-accept is paused: why (every record goes to review)


def spot_checked(entry_id: int, one_in: int) -> bool:
    """Whether the message with ledger id `entry_id` is one of the one in `one_in` spot checked (0: none).

    A hash of the id, not a counter or a random draw: the same message is always chosen the same way,
    whichever worker reads it and however often it is retried, and the choice is spread evenly."""
    if one_in <= 0:
        return False
    digest = hashlib.sha256(f"cme-spot-check:{entry_id}".encode("ascii")).digest()
    return int.from_bytes(digest[:8], "big") % one_in == 0


@dataclass(frozen=True)
class Plan:
    record: dict[str, Any]  # the record to store (reasons the plan adds included)
    category: str
    status: str  # new | attached | forwarded | rejected
    attach_to: CaseLink | None
    review: bool
    acknowledge: str | None  # the address to acknowledge, or None
    forward: Forward | None
    mark_bounces: bool  # a bounce: mark the acknowledgements it quotes as bounced
    notes: tuple[str, ...] = ()  # why no acknowledgement, for the log (no content)
    spot_check: bool = False  # a record the gate accepted, shown to an officer to measure the gate


def references_in(referral: Any, subject: str | None, text: str) -> list[str]:
    """The case references a message quotes: the record's own first, then any in the subject and text."""
    quoted = quoted_references(" ".join([subject or "", text]))
    own = [referral.case_reference] if referral.case_reference else []
    return list(dict.fromkeys(own + quoted))


def recipients(referral: Any, teams: TeamAddresses) -> list[str]:
    """Whom an acknowledgement could go to (the facts' caller looks up what each was already sent)."""
    decision = triage(referral, teams)
    return [decision.ack_to] if decision.ack_to else []


def decide(referral: Any, record: dict[str, Any], facts: Facts, teams: TeamAddresses,
           warnings: tuple[str, ...] = (), gate: Gate = Gate()) -> Plan:
    """The plan for one read message. `warnings`: how it looks built to attack its reader
    (`ingest.reader.warnings`): such a message is stored for review and its sender is not acknowledged.
    `gate`: whether a record the service would accept is a spot check, or auto-accept is paused."""
    decision: Decision = triage(referral, teams)
    record = dict(record)
    notes = list(decision.notes)
    attach, review = None, decision.review
    if warnings:
        record = _with_reason(record, "The message looks built to attack the service that reads it ("
                              + "; ".join(warnings) + "): its sender was not acknowledged. Open its attachments "
                              "with care.")
        review = True
    if decision.action == "attach":
        attach = facts.case_by_reference or facts.case_by_thread
        if attach is None:
            record = _with_reason(record, "no stored case matches the reference or thread of this update")
            review = True
    elif decision.action == "new_case" and facts.case_by_thread is not None:
        attach = facts.case_by_thread
        record = _with_reason(dict(record, category="case_update"),
                              f"replies in the thread of {attach.reference}: stored as an update to that case")
        review = True
    acknowledge = decision.ack_to
    if acknowledge and warnings:
        notes.append("the message looks hostile")
        acknowledge = None
    if acknowledge:
        given = facts.acks.get(acknowledge.lower())
        if given is not None and given.in_thread:
            notes.append("already acknowledged in this thread")
            acknowledge = None
        elif given is not None and given.last_day >= ACKS_PER_SENDER_PER_DAY:
            notes.append("acknowledgement limit reached for this sender today")
            acknowledge = None
    status = _status(decision, record, attach is not None)
    spot_check = False
    if not review and status == "new" and not record.get("needs_review", True):  # the gate accepts it
        if gate.paused:
            record, review = _with_reason(record, gate.paused), True
        elif gate.spot_check:
            record, review, spot_check = _with_reason(record, SPOT_CHECK.format(n=gate.one_in)), True, True
    return Plan(record=record, category=record.get("category") or referral.category,
                status=status, attach_to=attach, review=review,
                acknowledge=acknowledge, forward=decision.forward, mark_bounces=referral.category == "bounce",
                notes=tuple(notes), spot_check=spot_check)


def _status(decision: Decision, record: dict[str, Any], attached: bool) -> str:
    """The case's status in the review queue (which lists "new" cases, urgent first)."""
    if record.get("urgent"):
        return "new"  # an urgent message is raised at once, whatever else it is
    if decision.action == "store":
        return "rejected"  # automatic replies and bounces: kept, no action for an officer
    if decision.forward is not None:
        return "forwarded"
    return "attached" if attached else "new"


def _with_reason(record: dict[str, Any], reason: str) -> dict[str, Any]:
    return dict(record, review_reasons=list(record.get("review_reasons") or []) + [reason], needs_review=True)
