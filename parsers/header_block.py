"""The raw header block of a message, mended before the MIME parser reads it.

Two breakages make the stdlib parser lose a whole message. A stray first line (a "---- Original email
message ----" banner, an mbox "From " line, spaces) makes it read everything as body text, so the message
has no headers at all. A long header broken over lines that are not indented (a mail gateway that folds
without the leading space) ends the header block early: From, Subject, To and Content-Type after the break
are lost, and a base64 body is shown as base64. Here a stray first line before a run of known headers is
skipped, and a line inside the header block that is neither a header nor indented is taken as a
continuation while the header block goes on (a known header follows before the blank line, the line before
ended in ";" or ",", or it is a MIME parameter of a Content-Type). Bytes after the header block are never touched.
"""
from __future__ import annotations

import re

MAX_STRAY = 3  # lines before the headers that may be skipped
MAX_LINES = 2000  # header lines examined
_HEADER = re.compile(rb"([!-9;-~]+)[ \t]*:")
_MBOX = re.compile(rb">?From \S")
_PARAMETER = re.compile(rb"[ \t]*[A-Za-z][\w.-]*\*?(?:\d+\*?)?[ \t]*=")
_KNOWN = frozenset({
    b"from", b"to", b"cc", b"bcc", b"subject", b"date", b"message-id", b"received", b"return-path", b"reply-to",
    b"sender", b"mime-version", b"in-reply-to", b"references", b"delivered-to", b"importance", b"priority",
    b"precedence", b"auto-submitted", b"user-agent", b"organization", b"thread-topic", b"thread-index",
    b"envelope-to", b"errors-to", b"keywords", b"comments", b"disposition-notification-to", b"return-receipt-to",
})
_KNOWN_PREFIXES = (b"x-", b"content-", b"list-", b"resent-", b"arc-", b"dkim-", b"received-", b"authentication-",
                   b"accept-", b"original-")


def _name(line: bytes) -> bytes | None:
    """The lower-case field name of a header line, or None when the line is not one (an encoded word
    holding a colon, "=?utf-8?Q?Re:_...?=", is a broken-off continuation, not a header)."""
    if line.startswith(b"=?"):
        return None
    match = _HEADER.match(line)
    return match.group(1).lower() if match else None


def _known(line: bytes) -> bool:
    name = _name(line)
    return name is not None and (name in _KNOWN or name.startswith(_KNOWN_PREFIXES))


def _blank(line: bytes) -> bool:
    return not line.strip()


def _split_head(data: bytes) -> tuple[list[bytes], bytes]:
    """The first `MAX_LINES` lines (each with its line ending) up to and including the first blank line, and the rest."""
    lines: list[bytes] = []
    at = 0
    while len(lines) < MAX_LINES and at < len(data):
        end = data.find(b"\n", at)
        end = len(data) if end < 0 else end + 1
        lines.append(data[at:end])
        at = end
        if _blank(lines[-1]) and len(lines) > MAX_STRAY + 1:
            break
    return lines, data[at:]


def _header_start(lines: list[bytes]) -> int:
    """Index of the first header line: 0, or past up to `MAX_STRAY` stray lines when two known headers follow
    them (the first one's indented continuation lines between them)."""
    if lines and _name(lines[0]) is not None:
        return 0
    for start in range(1, min(MAX_STRAY, len(lines) - 2) + 1):
        if any(_name(line) is not None for line in lines[1:start]):
            return 0  # a header-like line among the "stray" ones: this is not a banner before the headers
        after = start + 1
        while after < len(lines) - 1 and lines[after][:1] in (b" ", b"\t") and lines[after].strip():
            after += 1
        if _known(lines[start]) and _known(lines[after]):
            return start
    return 0


def _continues(lines: list[bytes], i: int, field: bytes | None, known_after: list[bool]) -> bool:
    """Whether line `i`, neither a header nor indented, continues the header above it."""
    if field is None:
        return False
    if known_after[i + 1]:
        return True
    if lines[i - 1].rstrip().endswith((b";", b",")):
        return True
    return field in (b"content-type", b"content-disposition") and _PARAMETER.match(lines[i]) is not None


def repair_header_block(data: bytes) -> tuple[bytes, list[str]]:
    """`data` with stray lines before its headers skipped and unindented continuation lines indented; problems."""
    lines, rest = _split_head(data)
    problems: list[str] = []
    start = _header_start(lines)
    if start:
        if not all(_MBOX.match(line) or _blank(line) for line in lines[:start]):
            problems.append(f"mime-defect: {start} stray line(s) before the headers skipped")
        lines = lines[start:]
    end = next((i for i, line in enumerate(lines) if _blank(line)), len(lines))
    known_after = [False] * (end + 1)  # known_after[i]: a known header line at i or after, before the blank line
    for i in range(end - 1, -1, -1):
        known_after[i] = known_after[i + 1] or _known(lines[i])
    field: bytes | None = None
    mended = 0
    for i in range(end):
        line = lines[i]
        if line[:1] in (b" ", b"\t"):
            continue
        name = _name(line)
        if name is not None:
            field = name
        elif i and _continues(lines, i, field, known_after):
            lines[i] = b" " + line
            mended += 1
        else:
            break  # the header block is over: the stdlib parser reads the rest as the body, as before
    if mended:
        problems.append(f"mime-defect: {mended} header line(s) without indentation read as continuations")
    if not start and not mended:
        return data, []
    return b"".join(lines) + rest, problems
