"""Header values: encoded words (RFC 2047), raw 8-bit bytes, addresses, dates, message ids."""
from __future__ import annotations

import email.header
import email.utils
import re
import warnings
from datetime import datetime, timezone

from parsers.text import decode_bytes

_FOLD = re.compile(r"\r?\n[ \t]+")
_MSGID = re.compile(r"<[^<>\s]+>")
_ENCODED_WORD = re.compile(r"=\?[^?\s]+\?[bBqQ]\?[^?\s]*\?=")


def _unsurrogate(value: str) -> str:
    """Header text carrying raw 8-bit bytes (as surrogate escapes) decoded as UTF-8 or windows-1252."""
    if not any("\udc80" <= c <= "\udcff" for c in value):
        return value
    raw = value.encode("utf-8", "surrogateescape")
    return decode_bytes(raw, None)[0]


def decode_header_value(value: object) -> str:
    """A header value as readable text: unfolded, encoded words decoded, never raising."""
    if isinstance(value, email.header.Header):
        try:
            return str(value)
        except Exception:  # noqa: BLE001 - any defect leaves the raw text
            value = value.encode() if hasattr(value, "encode") else ""
    text = _unsurrogate(_FOLD.sub(" ", str(value or "")).replace("\r", "").replace("\n", " "))
    if "=?" not in text:
        return text.strip()
    try:
        chunks = email.header.decode_header(text)
    except Exception:  # noqa: BLE001
        return text.strip()
    out = []
    for chunk, charset in chunks:
        if isinstance(chunk, bytes):
            out.append(decode_bytes(chunk, charset)[0] if charset else _unsurrogate(chunk.decode("ascii", "surrogateescape")))
        else:
            out.append(chunk)
    return "".join(out).strip()


def parse_address(value: str | None) -> tuple[str | None, str | None]:
    """(lower-case address, decoded display name) of the first mailbox of a From-like header."""
    if not value:
        return None, None
    raw = _unsurrogate(_FOLD.sub(" ", str(value)))
    single = re.fullmatch(r'\s*(?P<name>[^<>"]*?,[^<>"]*?)\s*<(?P<addr>[^<>@\s]+@[^<>\s]+)>\s*', raw)
    if single:  # "SURNAME, Forename (Trust) <a@b>": one mailbox whose display name has an unquoted comma
        name = re.sub(r"\s*\([^)]*\)\s*$", "", decode_header_value(single.group("name"))).strip()
        return single.group("addr").lower(), name or None
    try:
        pairs = email.utils.getaddresses([raw])
    except Exception:  # noqa: BLE001
        pairs = []
    for name, address in pairs:
        if address:
            name = decode_header_value(name).strip().strip('"').strip() if name else ""
            address = decode_header_value(address).strip().strip("<>").lower()
            return (address or None), (name or None)
    decoded = decode_header_value(raw)
    m = re.search(r"[\w.+'-]+@[\w-]+(?:\.[\w-]+)+", decoded)
    return (m.group(0).lower() if m else None), None


def parse_address_list(value: str | None) -> tuple[str, ...]:
    """Every address of a To/Cc-like header, lower case."""
    if not value:
        return ()
    try:
        pairs = email.utils.getaddresses([_unsurrogate(_FOLD.sub(" ", str(value)))])
    except Exception:  # noqa: BLE001
        return ()
    return tuple(a.strip().strip("<>").lower() for _, a in pairs if a and "@" in a)


def parse_date(value: str | None) -> str | None:
    """An RFC 5322 date as ISO 8601 with offset (a missing zone is taken as UTC), or None."""
    if not value:
        return None
    value = decode_header_value(value)
    when: datetime | None
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError, OverflowError):
        when = None
    if when is None:
        try:
            from dateutil import parser as dateparser

            with warnings.catch_warnings():  # unknown zone names ("EST", "BST") are read as UTC below
                warnings.simplefilter("ignore")
                when = dateparser.parse(value, fuzzy=True, dayfirst=True)
        except (ValueError, OverflowError, TypeError):
            return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    try:
        return when.isoformat()
    except ValueError:
        return None


def message_ids(value: str | None) -> tuple[str, ...]:
    """The <message-id>s of an In-Reply-To or References header."""
    return tuple(_MSGID.findall(value or ""))


def first_message_id(value: str | None) -> str | None:
    """One message id with its angle brackets; a bare id is bracketed."""
    if not value:
        return None
    ids = message_ids(value)
    if ids:
        return ids[0]
    bare = value.strip()
    return f"<{bare}>" if bare and " " not in bare else None
