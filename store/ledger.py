"""The ingest ledger: which mailbox messages the service has claimed, stored, quarantined or moved.

A message's identity is its mailbox key (account, folder, UIDVALIDITY, UID) plus the sha256 of
its bytes and its Message-ID. A message is claimed (its raw bytes written and committed) before
any work is done on it, and names the worker holding the claim (a crashed worker's claim is taken
over at the next poll); a re-delivered copy with the same bytes cannot be claimed again, and a
copy with the same Message-ID and the same content is recorded as a duplicate that adds nothing.
"""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import and_, or_, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from store import leases
from store.errors import AlreadyProcessed, ClaimedElsewhere
from store.tables import MessageRow

CLAIM_LEASE = timedelta(minutes=10)  # a claim that names no holder and is older than this was left by a crash
HELD_CLAIM_LEASE = leases.LEASE  # a named holder renews its claims every leases.HEARTBEAT while it works
MAX_ATTEMPTS = 3  # claims of one message before it is quarantined as a poison message
FINAL = ("stored", "quarantined", "duplicate")


@dataclass(frozen=True)
class MessageKey:
    """One immutable message on an IMAP server (RFC 3501 2.3.1.1): UIDs mean nothing without UIDVALIDITY."""

    account: str
    folder: str
    uidvalidity: int
    uid: int

    @property
    def file_name(self) -> str:
        """The name the record's `source.file` carries."""
        return f"{self.uidvalidity}-{self.uid}.eml"


@dataclass(frozen=True)
class LedgerEntry:
    id: int
    key: MessageKey
    status: str  # claimed | stored | quarantined | duplicate
    sha256: str
    message_id: str | None
    reason: str | None
    moved: bool


def sha256_of(raw: bytes) -> str:
    return hashlib.sha256(raw).hexdigest()


CONTENT_HEADERS = (b"from", b"to", b"cc", b"subject", b"date", b"message-id", b"in-reply-to", b"references",
                   b"mime-version", b"content-type", b"content-transfer-encoding")


def content_digest(raw: bytes) -> str:
    """Digest of what the sender wrote: the body and the headers that shape it, unfolded.

    Blind to the trace headers a server adds or changes on re-delivery (Received, Delivered-To,
    Return-Path, X-*), so a re-delivered copy matches, while two messages that only share a
    Message-ID do not.
    """
    split = re.search(rb"\r?\n\r?\n", raw)
    head, body = (raw[:split.start()], raw[split.end():]) if split else (raw, b"")
    fields: list[bytes] = []
    for line in re.split(rb"\r?\n(?![ \t])", head):
        name, _, value = line.partition(b":")
        if name.strip().lower() in CONTENT_HEADERS:
            fields.append(name.strip().lower() + b":" + b" ".join(value.split()))
    digest = hashlib.sha256(b"\n".join(sorted(fields)) + b"\n\n")
    digest.update(body.replace(b"\r\n", b"\n").rstrip())
    return digest.hexdigest()


def _entry(row: MessageRow) -> LedgerEntry:
    assert row.id is not None
    return LedgerEntry(row.id, MessageKey(row.account, row.folder, row.uidvalidity, row.uid), row.status,
                       row.sha256, row.message_id, row.reason, row.moved_at is not None)


def _by_key(session: Session, key: MessageKey) -> MessageRow | None:
    return session.exec(select(MessageRow).where(
        MessageRow.account == key.account, MessageRow.folder == key.folder,
        MessageRow.uidvalidity == key.uidvalidity, MessageRow.uid == key.uid)).first()


def lookup(session: Session, key: MessageKey) -> LedgerEntry | None:
    row = _by_key(session, key)
    return _entry(row) if row else None


def get(session: Session, entry_id: int) -> LedgerEntry:
    row = session.get(MessageRow, entry_id)
    if row is None:
        raise LookupError(f"no ledger entry {entry_id}")
    return _entry(row)


def claim(session: Session, key: MessageKey, raw: bytes, message_id: str | None, now: datetime,
          status: str = "claimed", reason: str | None = None, holder: str | None = None) -> LedgerEntry:
    """Write the message's bytes to the ledger and commit, before any work is done on it.

    `holder` (the worker's name, `store.leases.new_holder`) is recorded with the claim; its claim
    then runs out after HELD_CLAIM_LEASE unless renewed (`renew_claims`), and is taken over at once
    when the holder's process is gone from this host. A claim without a holder runs out after
    CLAIM_LEASE. Raises `AlreadyProcessed` (with `.entry`) when the key or the same bytes are
    already there, `ClaimedElsewhere` while another live worker holds the claim.
    """
    digest = sha256_of(raw)
    holder = holder[:100] if holder else None
    expires = (now + (HELD_CLAIM_LEASE if holder else CLAIM_LEASE)) if status == "claimed" else None
    row = MessageRow(account=key.account, folder=key.folder, uidvalidity=key.uidvalidity, uid=key.uid,
                     message_id=(message_id or None) and message_id[:998], sha256=digest, size=len(raw),
                     raw=raw, status=status, reason=reason, received_at=now, claimed_by=holder,
                     claim_expires_at=expires)
    session.add(row)
    try:
        session.commit()
        return _entry(row)
    except IntegrityError:
        session.rollback()
    existing, rekey = _by_key(session, key), {}
    if existing is None:
        existing = session.exec(select(MessageRow).where(MessageRow.sha256 == digest)).first()
        if existing is None:  # the conflicting row vanished; let the next poll try again
            raise ClaimedElsewhere(f"message {key} conflicted with a row that is gone")
        if existing.status != "claimed":
            raise AlreadyProcessed(f"message {key} has the same bytes as ledger entry {existing.id}", _entry(existing))
        # the same bytes under an old key (UIDVALIDITY changed after a crash): the claim moves to this key
        rekey = {"account": key.account, "folder": key.folder, "uidvalidity": key.uidvalidity, "uid": key.uid}
    elif existing.status != "claimed":
        raise AlreadyProcessed(f"message {key} is already {existing.status}", _entry(existing))
    session.refresh(existing)  # the holder and expiry as committed now, not as first read
    previous = existing.claimed_by
    # the same claim as observed (nobody took it over meanwhile), and abandoned
    stale = [col(MessageRow.id) == existing.id, col(MessageRow.status) == "claimed",
             col(MessageRow.attempts) == existing.attempts,
             col(MessageRow.claimed_by).is_(None) if previous is None else col(MessageRow.claimed_by) == previous]
    if not (previous is not None and (previous == holder or leases.gone(previous))):
        stale.append(or_(col(MessageRow.claim_expires_at) <= now,
                         and_(col(MessageRow.claim_expires_at).is_(None),
                              col(MessageRow.received_at) < now - CLAIM_LEASE)))
    if existing.attempts >= MAX_ATTEMPTS:
        reason = f"processing stopped before the end {existing.attempts} times (the process ended each time)"
        gave_up = session.execute(update(MessageRow).where(*stale).values(
            status="quarantined", reason=reason, processed_at=now, **rekey)).rowcount
        session.commit()
        if gave_up == 1:
            session.refresh(existing)
            raise AlreadyProcessed(f"message {key} quarantined: {reason}", _entry(existing))
        raise ClaimedElsewhere(f"message {key} is being processed by another worker")
    taken = session.execute(update(MessageRow).where(*stale).values(
        claimed_by=holder, claim_expires_at=expires, attempts=MessageRow.attempts + 1, **rekey)).rowcount
    session.commit()
    if taken != 1:
        raise ClaimedElsewhere(f"message {key} is being processed by another worker")
    session.refresh(existing)
    return _entry(existing)


def renew_claims(session: Session, holder: str, now: datetime) -> int:
    """The holder is alive and working: its claims run out HELD_CLAIM_LEASE from now. Commits."""
    renewed = session.execute(update(MessageRow).where(col(MessageRow.claimed_by) == holder[:100],
                                                       col(MessageRow.status) == "claimed")
                              .values(claim_expires_at=now + HELD_CLAIM_LEASE)).rowcount
    session.commit()
    return int(renewed or 0)


def release_claims(session: Session, holder: str, now: datetime) -> int:
    """The holder stopped working (its poll ended): any claim it still holds may be taken at once. Commits."""
    released = session.execute(update(MessageRow).where(col(MessageRow.claimed_by) == holder[:100],
                                                        col(MessageRow.status) == "claimed")
                               .values(claim_expires_at=now)).rowcount
    session.commit()
    return int(released or 0)


def find_same_content(session: Session, entry: LedgerEntry, raw: bytes) -> LedgerEntry | None:
    """An earlier final entry with the same Message-ID and the same body, if any."""
    if not entry.message_id:
        return None
    digest = content_digest(raw)
    rows = session.exec(select(MessageRow).where(
        MessageRow.message_id == entry.message_id, MessageRow.id != entry.id,
        col(MessageRow.status).in_(("stored", "quarantined")))).all()
    return next((_entry(r) for r in rows if content_digest(r.raw) == digest), None)


def _set(session: Session, entry_id: int, **values: object) -> None:
    session.execute(update(MessageRow).where(col(MessageRow.id) == entry_id).values(**values))


def mark_stored(session: Session, entry_id: int, now: datetime) -> None:
    _set(session, entry_id, status="stored", reason=None, processed_at=now)


def mark_duplicate(session: Session, entry_id: int, of: LedgerEntry, now: datetime) -> None:
    _set(session, entry_id, status="duplicate", reason=f"same Message-ID and content as ledger entry {of.id}",
         processed_at=now)


def mark_quarantined(session: Session, entry_id: int, reason: str, now: datetime) -> None:
    """Only a message still claimed: a worker that lost its claim (it stopped renewing it) cannot undo
    what the worker that took it over stored."""
    session.execute(update(MessageRow).where(col(MessageRow.id) == entry_id, col(MessageRow.status) == "claimed")
                    .values(status="quarantined", reason=reason[:2000], processed_at=now))


def mark_moved(session: Session, entry_id: int, now: datetime) -> None:
    """The mail has left the inbox on the server (commit it after the move succeeded)."""
    _set(session, entry_id, moved_at=now)


def raw_bytes(session: Session, entry_id: int) -> bytes:
    row = session.get(MessageRow, entry_id)
    return bytes(row.raw) if row is not None else b""


def entries(session: Session, statuses: tuple[str, ...] = FINAL) -> list[LedgerEntry]:
    rows = session.exec(select(MessageRow).where(col(MessageRow.status).in_(statuses))
                        .order_by(col(MessageRow.id))).all()
    return [_entry(r) for r in rows]
