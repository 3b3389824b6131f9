"""The MIME tree of one message walked once: its body texts (the alternative chosen) and its attachment parts.

Text parts are decoded with `parsers.text.decode_bytes`; HTML is rendered once (`parsers.html`).
multipart/alternative keeps the plain rendering unless it is missing, a stub, or lost the HTML's tables.
"""
from __future__ import annotations

import email.message
import mimetypes
import re
from dataclasses import dataclass, field
from urllib.parse import unquote

from parsers.headers import decode_header_value
from parsers.html import html_to_text
from parsers.message import LabelledValue
from parsers.pairs import ROW_SEPARATOR
from parsers.text import decode_bytes
from parsers.transfer import BASE64, UUENCODE, decode_transfer, is_text_after_all

MAX_PARTS = 500
_META_CHARSET = re.compile(rb"<meta[^>]{0,200}?charset\s*=\s*[\"']?([A-Za-z0-9_.:-]{2,40})", re.I)
_CID = re.compile(r"""\bcid:([^\s"'<>()]{1,300})""", re.I)
_CONTENT_HEADER = re.compile(r"content-(?:type|transfer-encoding|disposition)\s*:", re.I)
_HTML_START = re.compile(r"<(?:!doctype|html|head|body|div|p|table)\b", re.I)
_BODY_TYPES = {"text/plain", "text/html", "message/delivery-status", "text/rfc822-headers",
               "message/disposition-notification", "message/feedback-report"}


@dataclass
class Body:
    kind: str  # "plain" | "html"
    text: str
    pairs: tuple[LabelledValue, ...] = ()


@dataclass
class Walk:
    """What one walk of a message tree collects."""

    bodies: list[Body] = field(default_factory=list)
    attachments: list[tuple[str, str, email.message.Message]] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    parts: int = 0
    cids: set[str] = field(default_factory=set)  # Content-IDs an HTML body shows inline (`cid:` links), lower case
    charset: str | None = None  # the message's charset for raw 8-bit header bytes (`header_charset`)


def header_charset(message: email.message.Message) -> str | None:
    """The charset that raw 8-bit header bytes are read in when they are not UTF-8: the one the message's
    Content-Type declares, else the first one a part of it declares (the writer's program used one for both)."""
    try:
        for count, part in enumerate(message.walk()):
            charset = part.get_content_charset()
            if charset or count > 50:
                return charset
    except Exception:  # noqa: BLE001 - e.g. RecursionError on absurd nesting: no charset
        pass
    return None


def _raw_filename(part: email.message.Message, charset: str | None) -> str | None:
    """The file name of a part whose header carries raw 8-bit bytes, read in the part's or the message's
    charset (the stdlib's own reading turns them into replacement characters)."""
    for key, value in part.raw_items():
        if key.lower() in ("content-disposition", "content-type") and any("\udc80" <= c <= "\udcff" for c in str(value)):
            header = email.message.Message()
            header[key] = decode_header_value(value, part.get_content_charset() or charset)
            try:
                name = header.get_filename()
            except Exception:  # noqa: BLE001
                name = None
            if name:
                return name
    return None


def _filename(part: email.message.Message, index: int, charset: str | None = None) -> str:
    try:
        name = part.get_filename()
    except Exception:  # noqa: BLE001
        name = None
    if name and "\ufffd" in name:
        name = _raw_filename(part, charset) or name
    if name:
        name = decode_header_value(name, part.get_content_charset() or charset)
        name = re.sub(r"[\\/\x00-\x1f]+", "_", name).strip()[:200]
    if not name:
        ctype = part.get_content_type()
        if ctype == "message/rfc822":
            ext = ".eml"
        else:
            ext = mimetypes.guess_extension(ctype) or ".bin"
        name = f"part-{index + 1}{ext}"
    return name


def _is_attachment(part: email.message.Message) -> bool:
    ctype = part.get_content_type()
    if ctype == "message/rfc822":
        return True
    if part.is_multipart():
        return False
    disposition = (part.get_content_disposition() or "").lower()
    try:
        named = bool(part.get_filename())
    except Exception:  # noqa: BLE001
        named = False
    if ctype in _BODY_TYPES:
        return disposition == "attachment" or (named and ctype in ("text/plain", "text/html") and disposition != "inline")
    return True


def _raw_payload(payload: str) -> bytes:
    try:
        return payload.encode("ascii", "surrogateescape")
    except UnicodeError:
        return payload.encode("raw-unicode-escape")


def leaf_payload(part: email.message.Message) -> bytes:
    """A leaf part's bytes after its transfer encoding (base64 and uuencode leniently, `parsers.transfer`);
    the raw text when that cannot be decoded, or when a text part labelled base64 is plain text after all."""
    encoding = str(part.get("Content-Transfer-Encoding", "")).strip().strip('"').lower()
    try:
        raw_text = part.get_payload()
    except (LookupError, ValueError):  # an 8-bit part whose charset label holds a NUL byte: read its bytes as sent
        raw_text = part.get_payload(decode=True) or b""
    if isinstance(raw_text, str) and encoding in BASE64 | UUENCODE:
        raw = _raw_payload(raw_text)
        decoded = decode_transfer(raw, encoding)
        if decoded is None:
            return raw
        if part.get_content_maintype() in ("text", "multipart") and is_text_after_all(raw, decoded, part.get_content_charset()):
            return raw
        return decoded
    try:
        payload = part.get_payload(decode=True)
    except Exception:  # noqa: BLE001 - hostile encodings fail in many ways; the raw text is kept
        payload = None
    if payload is None:
        payload = raw_text.encode("utf-8", "surrogateescape") if isinstance(raw_text, str) else (
            raw_text if isinstance(raw_text, bytes) else b"")
    return payload


def _text_of(part: email.message.Message, walk: Walk) -> str:
    payload = leaf_payload(part)
    charset = part.get_content_charset()
    if charset is None and part.get_content_type() == "text/html":
        declared = _META_CHARSET.search(payload[:4096])
        charset = declared.group(1).decode("ascii") if declared else None
    text, problem = decode_bytes(payload, charset)
    if problem:
        walk.problems.append(f"charset: {part.get_content_type()} part: {problem}")
    if (part.get_param("format") or "").lower() == "flowed":
        text = _unflow(text, (part.get_param("delsp") or "").lower() == "yes")
    return text


def unique_name(name: str, taken: set[str]) -> str:
    """`name`, or "stem (2).ext" and so on when another attachment already has it."""
    if name not in taken:
        return name
    stem, dot, ext = name.rpartition(".")
    if not dot or not stem:
        stem, dot, ext = name, "", ""
    stem = re.sub(r" \(\d{1,4}\)$", "", stem) or stem  # "form (2).pdf" taken again: "form (3).pdf"
    n = 2
    while f"{stem} ({n}){dot}{ext}" in taken:
        n += 1
    return f"{stem} ({n}){dot}{ext}"


def _unflow(text: str, delsp: bool) -> str:
    """RFC 3676 format=flowed: soft line breaks (a trailing space) joined."""
    out: list[str] = []
    for line in text.split("\n"):
        if out and out[-1].endswith(" ") and out[-1] != "-- " and not out[-1].startswith(">"):
            out[-1] = (out[-1][:-1] if delsp else out[-1]) + line
        else:
            out.append(line)
    return "\n".join(out)


_HTML_DOCUMENT = re.compile(r"(?is)\A\s*(?:<!doctype\s+html|<html[\s>])")


def _leaf_body(part: email.message.Message, walk: Walk) -> Body | None:
    text = _text_of(part, walk)
    if part.get_content_type() == "text/html" or (part.get_content_type() == "text/plain" and _HTML_DOCUMENT.match(text)):
        # a part labelled text/plain that is an HTML document (a mailer's mislabelled alternative) is read as HTML
        walk.cids.update(unquote(c).lower() for c in _CID.findall(text[:2_000_000]))
        rendered, pairs = html_to_text(text)
        return Body("html", rendered, pairs) if rendered.strip() else None
    return Body("plain", text) if text.strip() else None


def _table_rows(body: Body) -> list[LabelledValue]:
    """The pairs of an HTML body that came from two-cell table rows."""
    return [p for p in body.pairs if body.text[max(p.start - 3, 0):p.start] == " | "]


def _same_line_share(plain: str, rows: list[LabelledValue]) -> float:
    """Share of the HTML's table rows whose label and value share a line in the plain text, still told apart
    by a colon, a bar, a tab or a run of spaces ("Name Ethan Barlow" has lost the cell between them)."""
    if not rows:
        return 1.0
    lines = plain.split("\n")
    hits = sum(any(re.search(re.escape(p.label.strip()) + r"\s*(?:[:|\t]|\s{2,})\s*" + re.escape(p.value.strip()[:40]), line)
                   for line in lines if p.label in line) for p in rows)
    return hits / len(rows)


def _choose(alternatives: list[list[Body]]) -> list[Body]:
    """multipart/alternative: the plain rendering unless it is missing, a stub, or lost the HTML's tables."""
    plain = next((a for a in alternatives if a and all(b.kind == "plain" for b in a)), None)
    html = next((a for a in reversed(alternatives) if a and any(b.kind == "html" for b in a)), None)
    if plain is None:
        return html or next((a for a in alternatives if a), [])
    if html is None:
        return plain
    plain_text = "\n".join(b.text for b in plain)
    html_text = "\n".join(b.text for b in html)
    if len(plain_text.strip()) < 0.3 * len(html_text.strip()):
        return html
    rows = [p for b in html for p in _table_rows(b)]
    if rows and _same_line_share(plain_text, rows) < 0.6:
        return html
    if _wide_rows_broken(plain_text, html_text):
        return html
    return plain


def _wide_rows_broken(plain: str, html: str) -> bool:
    """Whether the plain rendering lost the HTML's rows of four or more cells (a table of pupils, or "Label | value |
    Label | value"): fewer than four in five of them have all their cells on one plain line (a mailer that writes
    one cell per line, or a cell of several lines, an address, breaks the row apart)."""
    wide = [[c.strip() for c in line.split(ROW_SEPARATOR)] for line in html.split("\n") if line.count(ROW_SEPARATOR) >= 3]
    if not wide:
        return False
    lines = plain.split("\n")
    whole = sum(any(all(c in line for c in row if c) for line in lines) for row in wide)
    return whole < 0.8 * len(wide)


def walk_tree(part: email.message.Message, walk: Walk, depth: int = 0) -> list[Body]:
    """Bodies of this subtree in order; attachments are collected into `walk`."""
    walk.parts += 1
    if walk.parts > MAX_PARTS or depth > 40:
        if walk.parts == MAX_PARTS + 1 or depth == 41:
            walk.problems.append("mime-too-large: MIME tree too large or deep; the rest was not read")
        return []
    if part.get_content_maintype() == "multipart" and not part.is_multipart():
        return _unsplit(part, walk, depth)
    if _is_attachment(part):
        name = unique_name(_filename(part, len(walk.attachments), walk.charset), {n for n, _, _ in walk.attachments})
        walk.attachments.append((name, part.get_content_type(), part))
        return []
    if part.get_content_type().startswith("message/") and part.is_multipart():
        return _status_body(part)
    if not part.is_multipart():
        if part.get_content_type() in _BODY_TYPES:
            body = _leaf_body(part, walk)
            return [body] if body else []
        return []
    children = part.get_payload()
    if not isinstance(children, list):
        return []
    if part.get_content_subtype() == "alternative":
        return _choose([walk_tree(c, walk, depth + 1) for c in children if isinstance(c, email.message.Message)])
    bodies: list[Body] = []
    for child in children:
        if isinstance(child, email.message.Message):
            bodies.extend(walk_tree(child, walk, depth + 1))
    return bodies


def _found_boundary(text: str) -> str | None:
    """The boundary of a multipart whose declared one is missing or never used: the first "--X" line followed
    by a Content- header line."""
    lines = text[:200_000].splitlines()
    for line, after in zip(lines, lines[1:]):
        if line.startswith("--") and not line.rstrip().endswith("--") and _CONTENT_HEADER.match(after):
            boundary = line[2:].rstrip()
            if boundary and not boundary[0].isspace() and len(boundary) <= 200 and '"' not in boundary:
                return boundary
    return None


def _unsplit(part: email.message.Message, walk: Walk, depth: int) -> list[Body]:
    """A multipart with no boundary, or whose boundary never appears: its parts when its own boundary lines
    can be found, else its text as the body (never an invented attachment)."""
    payload = part.get_payload()
    text = payload if isinstance(payload, str) else ""
    boundary = _found_boundary(text)
    if boundary is not None:
        rebuilt = email.message_from_string(f'Content-Type: {part.get_content_type()}; boundary="{boundary}"\n\n{text}')
        if rebuilt.is_multipart() and rebuilt.get_payload():
            walk.problems.append("mime-defect: multipart boundary missing or never used; its parts found by their own boundary lines")
            return walk_tree(rebuilt, walk, depth + 1)
    if not text.strip():
        return []
    walk.problems.append("mime-defect: multipart without a usable boundary read as text")
    body = _text_of(part, walk)
    if _HTML_START.search(body[:4096]):
        rendered, pairs = html_to_text(body)
        return [Body("html", rendered, pairs)] if rendered.strip() else []
    return [Body("plain", body)] if body.strip() else []


def _status_body(part: email.message.Message) -> list[Body]:
    """message/delivery-status and similar reports: their header blocks as text (RFC 3464)."""
    blocks = []
    for block in part.get_payload() or []:
        if isinstance(block, email.message.Message):
            blocks.append("\n".join(f"{k}: {decode_header_value(v)}" for k, v in block.raw_items()))
    text = "\n\n".join(b for b in blocks if b)
    return [Body("plain", text)] if text.strip() else []
