"""The text the service read from each message, kept at ingestion beside its raw bytes.

The isolated reader (`ingest.reader`) is the only place a message's bytes are parsed. What it read is
kept here in the case's transaction: the header facts (From, To, Subject, Date), every readable part
with its text exactly as the extraction saw it (so the record's `source` spans index into it), the
attachment list, the problems met while reading, the warnings that the message looks built to attack
its reader, and the sender checks. The case page, the forward and the export show these, and never
parse the raw mail again: highlights stay true when the parsers change, and no OCR runs when a page is
viewed. A quarantined message keeps its header facts only (when the reader could give them).

Sizes are capped: each part keeps its first `PART_CHARS` characters (what the extraction reads of a
part), a message its first `MESSAGE_CHARS` in all; what is cut is counted on the part (`cut`), and the
page says so and offers the raw message. A message written before this table existed has no row: its
case page says its text was not kept.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Iterable

from sqlmodel import Session, col, select

from store.tables import MessageTextRow

PART_CHARS = 300_000  # the extraction reads the first 300,000 characters of a part: every span falls inside
MESSAGE_CHARS = 1_000_000
MAX_PARTS = 200
MAX_ATTACHMENTS = 500
MAX_LINES = 200  # problems and warnings kept
LINE_CHARS = 500


@dataclass(frozen=True)
class TextPart:
    """One readable part as the extraction read it: "header", "body", "html", "attachment:NAME"."""

    part: str
    kind: str  # how the text was obtained: plain, html, pdf, pdf-ocr, image-ocr, docx, email
    text: str
    cut: int = 0  # characters of the part beyond the cap, not kept


@dataclass(frozen=True)
class Listed:
    """An attachment as the reader listed it (its bytes stay in the raw message)."""

    index: int
    filename: str
    content_type: str
    size: int
    parent: int | None = None  # the attached email it came from


@dataclass(frozen=True)
class HeaderFacts:
    from_address: str | None = None  # lower case
    from_name: str | None = None
    to: tuple[str, ...] = ()
    subject: str | None = None
    date: str | None = None  # ISO 8601, as the reader gave it
    message_id: str | None = None  # its Message-ID and References, for a reply that threads under it
    references: tuple[str, ...] = ()

    @property
    def sender(self) -> str:
        if self.from_name and self.from_address:
            return f"{self.from_name} <{self.from_address}>"
        return self.from_address or self.from_name or ""


@dataclass(frozen=True)
class ReadText:
    header: HeaderFacts
    parts: tuple[TextPart, ...] = ()
    attachments: tuple[Listed, ...] = ()
    problems: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()
    checks: str | None = None  # "SPF pass, DKIM fail, DMARC fail"; None: not recorded by the receiving server
    read: bool = True  # False: the message was not read (quarantined): header facts only


def _short(value: str | None, limit: int) -> str | None:
    """A header fact as a column can hold it: no NUL (PostgreSQL refuses one), no lone surrogate (a worker's
    answer may carry one), at most `limit` characters."""
    if value is None:
        return None
    return str(value)[:limit].replace("\x00", "\ufffd").encode("utf-8", "replace").decode("utf-8")


def capped(text: ReadText) -> ReadText:
    """`text` within the size caps: each part's first PART_CHARS characters, MESSAGE_CHARS in all."""
    left = MESSAGE_CHARS
    parts = []
    for p in text.parts[:MAX_PARTS]:
        keep = max(0, min(len(p.text), PART_CHARS, left))
        left -= keep
        parts.append(TextPart(p.part[:300], p.kind[:20], p.text[:keep], p.cut + len(p.text) - keep))
    h = text.header
    header = HeaderFacts(_short(h.from_address, 320), _short(h.from_name, 500), tuple(t[:500] for t in h.to[:100]),
                         _short(h.subject, 2000), _short(h.date, 40), _short(h.message_id, 998),
                         tuple(r[:998] for r in h.references[-100:]))
    return ReadText(header, tuple(parts), text.attachments[:MAX_ATTACHMENTS],
                    tuple(p[:LINE_CHARS] for p in text.problems[:MAX_LINES]),
                    tuple(w[:LINE_CHARS] for w in text.warnings[:MAX_LINES]), _short(text.checks, 1000), text.read)


def keep(session: Session, entry_id: int, text: ReadText, now: datetime) -> None:
    """Keep what the reader read of ledger entry `entry_id` (in the caller's transaction), capped."""
    t = capped(text)
    h = t.header
    session.merge(MessageTextRow(
        message_row_id=entry_id, from_address=h.from_address, from_name=h.from_name, to_addresses=json.dumps(list(h.to)),
        subject=h.subject, sent=h.date, message_id=h.message_id, reference_ids=json.dumps(list(h.references)),
        read=t.read, checks=t.checks,
        parts=json.dumps([{"part": p.part, "kind": p.kind, "text": p.text, "cut": p.cut} for p in t.parts]),
        attachments=json.dumps([{"index": a.index, "filename": a.filename[:300], "content_type": a.content_type[:200],
                                 "size": a.size, "parent": a.parent} for a in t.attachments]),
        problems=json.dumps(list(t.problems)), warnings=json.dumps(list(t.warnings)), kept_at=now))


def _list(value: str | None) -> list[Any]:
    try:
        found = json.loads(value or "[]")
    except ValueError:
        return []
    return found if isinstance(found, list) else []


def _header(row: MessageTextRow) -> HeaderFacts:
    return HeaderFacts(row.from_address, row.from_name, tuple(str(t) for t in _list(row.to_addresses)), row.subject,
                       row.sent, row.message_id, tuple(str(r) for r in _list(row.reference_ids)))


def _text(row: MessageTextRow) -> ReadText:
    parts = tuple(TextPart(str(p.get("part") or ""), str(p.get("kind") or ""), str(p.get("text") or ""),
                           int(p.get("cut") or 0)) for p in _list(row.parts) if isinstance(p, dict))
    listed = tuple(Listed(int(a.get("index") or 0), str(a.get("filename") or ""), str(a.get("content_type") or ""),
                          int(a.get("size") or 0), a.get("parent") if isinstance(a.get("parent"), int) else None)
                   for a in _list(row.attachments) if isinstance(a, dict))
    return ReadText(_header(row), parts, listed, tuple(str(p) for p in _list(row.problems)),
                    tuple(str(w) for w in _list(row.warnings)), row.checks, bool(row.read))


def text_of(session: Session, entry_id: int) -> ReadText | None:
    """What was kept of ledger entry `entry_id`; None for a message stored before the text was kept."""
    row = session.get(MessageTextRow, entry_id)
    return None if row is None else _text(row)


def texts_of(session: Session, entry_ids: Iterable[int]) -> dict[int, ReadText]:
    """What was kept of each of these ledger entries (those with nothing kept are left out)."""
    ids = list(dict.fromkeys(entry_ids))
    found: dict[int, ReadText] = {}
    for start in range(0, len(ids), 500):
        rows = session.exec(select(MessageTextRow).where(col(MessageTextRow.message_row_id).in_(ids[start:start + 500])))
        found.update({row.message_row_id: _text(row) for row in rows})
    return found
