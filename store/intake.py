"""Intake: what the store knows that a message's plan needs, and the one transaction that files it.

`facts(...)` reads, before the decision: the case a quoted reference or the thread points at, and the
acknowledgements already given to each address that might be acknowledged. `file_message(...)` then
writes, in one transaction: the case (or the update attached to its case), its review item, the text the
reader read, the ledger entry's status, the acknowledgements a bounce marks bounced, and the outbox rows
(composed by the caller once the case reference is known). A database failure leaves here as a store error:
`StoreUnavailable` (the database is down: retry later) or `StoreRefused` (it refused this message).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Callable, Sequence

from sqlalchemy.exc import DBAPIError, OperationalError, SQLAlchemyError
from sqlmodel import Session

from store import cases, drift, ledger, message_text, outbox
from store.cases import CaseLink, SavedCase
from store.errors import StoreRefused, StoreUnavailable


@dataclass(frozen=True)
class AcksGiven:
    in_thread: bool  # this address already has an acknowledgement in this thread
    last_day: int  # acknowledgements this address was given in the last 24 hours


@dataclass(frozen=True)
class Facts:
    case_by_reference: CaseLink | None  # the case a quoted CME-YYYY-NNNNN names
    case_by_thread: CaseLink | None  # the case the message replies in the thread of
    acks: dict[str, AcksGiven] = field(default_factory=dict)  # by lower-case address


@dataclass(frozen=True)
class Mail:
    """An acknowledgement or forward to put in the outbox."""

    kind: str  # ack | forward
    recipient: str
    message_id: str
    mime: bytes


@dataclass(frozen=True)
class Filed:
    case: SavedCase
    outbox_ids: tuple[int, ...]
    bounced: int = 0


def _converted(exc: SQLAlchemyError) -> Exception:
    first = (str(exc).strip().splitlines() or [type(exc).__name__])[0][:300]
    if isinstance(exc, OperationalError) or (isinstance(exc, DBAPIError) and exc.connection_invalidated):
        return StoreUnavailable(f"database unavailable: {first}")
    return StoreRefused(f"{type(exc).__name__}: {first}")


def facts(sessions: Callable[[], Session], *, references: Sequence[str], thread_ids: Sequence[str],
          thread_keys: Sequence[str], recipients: Sequence[str], now: datetime) -> Facts:
    try:
        with sessions() as session:
            by_reference = cases.find_case(session, references, ()) if references else None
            by_thread = cases.find_case(session, (), thread_ids) if thread_ids else None
            acks = {r: AcksGiven(outbox.ack_exists(session, r, list(thread_keys)),
                                 outbox.acks_since(session, r, now - timedelta(days=1)))
                    for r in dict.fromkeys(a.lower() for a in recipients if a)}
    except SQLAlchemyError as exc:
        raise _converted(exc) from exc
    return Facts(by_reference, by_thread, acks)


def file_message(sessions: Callable[[], Session], *, entry_id: int, record: dict[str, Any], status: str,
                 attach_to: CaseLink | None, review: bool, thread_key: str | None, now: datetime,
                 mails: Callable[[SavedCase], Sequence[Mail]],
                 bounced_ids: Sequence[str] = (), bounced_references: Sequence[str] = (),
                 bounce: bool = False, spot_check: bool = False, text: message_text.ReadText | None = None) -> Filed:
    """One transaction: the case, its review item (and its spot-check mark), the text the reader read
    (`store.message_text`), the ledger status, bounce marks and the outbox rows."""
    try:
        with sessions() as session:
            try:
                saved = cases.save_case(session, message_entry_id=entry_id, record=record, thread_key=thread_key,
                                        now=now, status=status, attach_to=attach_to, review=review)
                if spot_check:
                    drift.mark_spot_check(session, saved.id, now)
                if text is not None:
                    message_text.keep(session, entry_id, text, now)
                ledger.mark_stored(session, entry_id, now)
                bounced = outbox.mark_bounced(session, bounced_ids, bounced_references, now) if bounce else 0
                ids = tuple(outbox.add(session, case_id=saved.id, kind=m.kind, recipient=m.recipient,
                                       thread_key=thread_key, message_id=m.message_id, mime=m.mime, now=now)
                            for m in mails(saved))
                session.commit()
            except BaseException:
                session.rollback()
                raise
    except SQLAlchemyError as exc:
        raise _converted(exc) from exc
    return Filed(saved, ids, bounced)
