"""The message as the case page shows it: header lines, readable text of each part, attachments.

Parsing (which may OCR a scanned attachment) is done once per message and kept in a small cache.
"""
from __future__ import annotations

import hashlib
from collections import OrderedDict
from dataclasses import dataclass
from threading import Lock

from parsers.authentication import AuthenticationResults
from parsers.errors import ParseError
from parsers.message import Attachment, ParsedMessage
from parsers.mime import parse_message

PART_LABELS = {"header": "Headers", "body": "Message"}
_CACHE: OrderedDict[str, "MessageView"] = OrderedDict()
_CACHE_SIZE = 64
_lock = Lock()


@dataclass(frozen=True)
class TextPart:
    part: str  # the contract's source.part: "header", "body", "attachment:NAME"
    label: str
    kind: str
    text: str


@dataclass(frozen=True)
class MessageView:
    sender: str
    to: str
    subject: str
    date: str
    parts: tuple[TextPart, ...]
    attachments: tuple[Attachment, ...]
    problems: tuple[str, ...]
    authentication: tuple[AuthenticationResults, ...] = ()  # every Authentication-Results header, topmost first


def _label(part: str) -> str:
    if part.startswith("attachment:"):
        return f"Attachment: {part.split(':', 1)[1]}"
    return PART_LABELS.get(part, part)


def _view(parsed: ParsedMessage) -> MessageView:
    sender = f"{parsed.from_name} <{parsed.from_address}>" if parsed.from_name else (parsed.from_address or "")
    parts = tuple(TextPart(s.part, _label(s.part), s.kind, s.text) for s in parsed.sources)
    return MessageView(sender=sender, to=", ".join(parsed.to), subject=parsed.subject or "",
                       date=parsed.date or "", parts=parts, attachments=parsed.attachments,
                       problems=parsed.problems, authentication=parsed.authentication)


def message_view(raw: bytes, file: str) -> MessageView:
    """The displayable message; an unreadable one is shown as its raw text, decoded leniently."""
    key = hashlib.sha256(raw).hexdigest()
    with _lock:
        if key in _CACHE:
            _CACHE.move_to_end(key)
            return _CACHE[key]
    try:
        view = _view(parse_message(raw, file))
    except (ParseError, ValueError, LookupError) as exc:
        text = raw.decode("utf-8", "replace")
        view = MessageView("", "", "", "", (TextPart("raw", "Raw message", "plain", text),), (),
                           (f"the message could not be parsed: {exc}",))
    with _lock:
        _CACHE[key] = view
        while len(_CACHE) > _CACHE_SIZE:
            _CACHE.popitem(last=False)
    return view
