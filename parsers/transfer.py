"""Content-Transfer-Encoding undone leniently, as mail programs do: base64 of a wrong length, without its
padding or with stray characters, and uuencoded parts without their "begin" line.

The stdlib keeps such a part undecoded (the base64 or uuencoded text shown as the body); here what can be
decoded is decoded. A text part labelled base64 that is plain text after all is left as it is.
"""
from __future__ import annotations

import binascii
import re

BASE64 = frozenset({"base64", "x-base64"})
UUENCODE = frozenset({"x-uuencode", "uuencode", "uue", "x-uue"})
_NOT_BASE64 = re.compile(rb"[^A-Za-z0-9+/=]+")
_PADDING = re.compile(rb"=+")
_PROSE = re.compile(rb"[A-Za-z][ ,.!?;:'][ A-Za-z]")
_CONTROL_BYTES = re.compile(rb"[\x00-\x08\x0b\x0e-\x1a\x1c-\x1f\x7f]")


def decode_base64(data: bytes) -> bytes:
    """base64 with the characters outside its alphabet dropped, each run up to a padding decoded on its own
    (two encodings pasted together), a missing padding added and a lone trailing character dropped."""
    out = bytearray()
    for chunk in _PADDING.split(_NOT_BASE64.sub(b"", data)):
        if len(chunk) % 4 == 1:
            chunk = chunk[:-1]
        if chunk:
            try:
                out += binascii.a2b_base64(chunk + b"=" * (-len(chunk) % 4))
            except binascii.Error:  # not reachable with a clean, padded chunk; kept as a guard
                continue
    return bytes(out)


def _uu_line(line: bytes) -> bytes | None:
    """One uuencoded line's bytes, or None when the line is not one (its length character disagrees with it)."""
    count = (line[0] - 32) & 63
    size = (count + 2) // 3 * 4
    data = line[1:]
    if not size or not size - 4 <= len(data) <= size + 2:  # trailing spaces are often lost in transit
        return None
    try:
        return binascii.a2b_uu(line[:1] + data[:size].ljust(size, b" "))[:count]
    except binascii.Error:
        return None


def decode_uuencode(data: bytes) -> bytes | None:
    """uuencoded bytes, with or without the "begin" and "end" lines; None when most lines are not uuencoded."""
    out = bytearray()
    lines = [line.rstrip(b"\r\n") for line in data.split(b"\n")]
    lines = [line for line in lines if line.strip()]
    read = skipped = 0
    for line in lines:
        if line.startswith(b"begin ") and not read:
            continue
        if line == b"end" or (line in (b"`", b" ") and read):
            break
        decoded = _uu_line(line)
        if decoded is None:
            skipped += 1
            continue
        out += decoded
        read += 1
    if not read or skipped > read // 4:
        return None
    return bytes(out)


def is_text_after_all(raw: bytes, decoded: bytes, charset: str | None) -> bool:
    """A text part labelled base64 whose words are plain text: decoding gave control bytes, and the raw
    payload reads as prose or is too short to be an encoding."""
    if (charset or "").lower().startswith(("utf-16", "utf-32", "utf16", "utf32")):
        return False
    if not _CONTROL_BYTES.search(decoded):
        return False
    return bool(_PROSE.search(raw)) or len(raw.strip()) <= 16


def decode_transfer(raw: bytes, encoding: str) -> bytes | None:
    """`raw` undone from base64 or uuencode `encoding`; None for the encodings the stdlib handles
    (quoted-printable, 7bit, 8bit, binary) and for "uuencoded" text that is not."""
    if encoding in BASE64:
        return decode_base64(raw)
    if encoding in UUENCODE:
        return decode_uuencode(raw)
    return None
