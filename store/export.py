"""`cme export`: every stored record in the contract's JSON shape, in the order messages arrived.

A stored message gives its case record (with its case reference, as the review screen last left
it); a quarantined message gives the contract's error line with the reason it was quarantined, and its
From, Subject and Date as the reader kept them at ingestion (a bounded header-only parse remains for a
message the reader gave no header facts of).
Messages still being worked on and duplicates of earlier messages give nothing.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from email.parser import BytesHeaderParser
from email.policy import default as default_policy
from typing import Any, Iterator

from sqlalchemy import func
from sqlmodel import Session, col, select

from store.message_text import HeaderFacts, texts_of
from store.tables import CaseRow, MessageRow

SCHEMA = "cme-referral/1"


def _header_source(row: MessageRow, kept: HeaderFacts | None = None) -> dict[str, Any]:
    """The record's `source` of a message that has no record: the header facts the reader kept at ingestion
    (`store.message_text`), else, for a message that has none (stored before they were kept, over the size
    limit and never downloaded, or one that stopped its reader), its header block read with a bounded
    header-only parse (the first 64 KB, no body)."""
    source: dict[str, Any] = {"file": f"{row.uidvalidity}-{row.uid}.eml", "message_id": row.message_id,
                              "from": None, "subject": None, "date": None}
    if kept is not None:
        source.update({"from": kept.from_address, "subject": kept.subject, "date": kept.date})
        return source
    try:
        headers = BytesHeaderParser(policy=default_policy).parsebytes(bytes(row.raw)[:65536])
        addresses = getattr(headers["from"], "addresses", ()) if headers["from"] else ()
        source["from"] = addresses[0].addr_spec.lower() if addresses else None
        source["subject"] = str(headers["subject"]) if headers["subject"] else None
        date = getattr(headers["date"], "datetime", None) if headers["date"] else None
        source["date"] = date.isoformat() if date else None
    except Exception:  # a header too broken to read leaves the field empty: the reason says why
        pass
    return source


def export_records(session: Session) -> Iterator[dict[str, Any]]:
    rows = session.exec(select(MessageRow, CaseRow).join(CaseRow, col(CaseRow.message_row_id) == col(MessageRow.id), isouter=True)
                        .where(col(MessageRow.status).in_(("stored", "quarantined")))
                        .order_by(col(MessageRow.id))).all()
    kept = texts_of(session, [m.id for m, c in rows if c is None and m.id is not None])
    for message, case in rows:
        if case is not None:
            yield json.loads(case.record)
        else:
            facts = kept.get(message.id or 0)
            yield {"schema": SCHEMA, "source": _header_source(message, facts.header if facts else None),
                   "error": message.reason or "quarantined"}


@dataclass(frozen=True)
class QuarantinedMessage:
    """A message the service could not read, for an officer to look at by hand."""

    entry_id: int
    received_at: datetime
    reason: str
    sender: str | None
    subject: str | None
    moved: bool
    warnings: tuple[str, ...] = ()  # how the reader found it built to attack its reader, when it read it


def quarantined_messages(session: Session, limit: int = 200) -> list[QuarantinedMessage]:
    """Quarantined messages, newest first (their raw bytes: `store.ledger.raw_bytes`)."""
    rows = session.exec(select(MessageRow).where(MessageRow.status == "quarantined")
                        .order_by(col(MessageRow.id).desc()).limit(limit)).all()
    kept = texts_of(session, [r.id for r in rows if r.id is not None])
    out = []
    for row in rows:
        assert row.id is not None
        facts = kept.get(row.id)
        source = _header_source(row, facts.header if facts else None)
        out.append(QuarantinedMessage(row.id, row.received_at, row.reason or "quarantined", source["from"],
                                      source["subject"], row.moved_at is not None, facts.warnings if facts else ()))
    return out


def quarantined_count(session: Session) -> int:
    """How many messages are quarantined (the queue page says so when any are)."""
    return int(session.exec(select(func.count()).select_from(MessageRow).where(MessageRow.status == "quarantined")).one())


def quarantined_raw(session: Session, entry_id: int) -> bytes | None:
    """The raw bytes of one quarantined message; None when that entry is not quarantined."""
    row = session.get(MessageRow, entry_id)
    return bytes(row.raw) if row is not None and row.status == "quarantined" else None
