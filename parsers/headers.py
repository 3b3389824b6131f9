"""Header values: encoded words (RFC 2047), raw 8-bit bytes, addresses, dates, message ids."""
from __future__ import annotations

import email.header
import email.utils
import re
import warnings
from datetime import datetime, timezone

from parsers.text import decode_bytes, decode_header_bytes

_FOLD = re.compile(r"\r?\n[ \t]+")
_MSGID = re.compile(r"<[^<>\s]+>")
_ENCODED_WORD = r"=\?[^?\s]+\?[bBqQ]\?[^?\s]*\?="
_ENCODED_RUN = re.compile(rf"{_ENCODED_WORD}(?:\s+{_ENCODED_WORD})*")
_ANGLE = re.compile(r"<\s*([^<>\s]+@[^<>\s]+?)\s*>")
_ADDRESS = re.compile(r"[^@\s<>(),;:\"]+@[^@\s<>(),;:\"]+")
_LOOSE_ADDRESS = re.compile(r"[\w.+'-]+@[\w-]+(?:\.[\w-]+)+")


def _unsurrogate(value: str, charset: str | None = None) -> str:
    """Header text carrying raw 8-bit bytes (as surrogate escapes) decoded: UTF-8 when valid, else the charset
    the message or part declares (`charset`), else windows-1252."""
    if not any("\udc80" <= c <= "\udcff" for c in value):
        return value
    raw = value.encode("utf-8", "surrogateescape")
    return decode_header_bytes(raw, charset)


def decode_header_value(value: object, charset: str | None = None) -> str:
    """A header value as readable text: unfolded, encoded words decoded, raw 8-bit bytes read in `charset` (the
    Content-Type charset of the message or part) when they are not UTF-8, never raising."""
    if isinstance(value, email.header.Header):
        try:
            return str(value).replace("\ufffd", "")
        except Exception:  # noqa: BLE001 - any defect leaves the raw text
            value = value.encode() if hasattr(value, "encode") else ""
    text = _unsurrogate(_FOLD.sub(" ", str(value or "")).replace("\r", "").replace("\n", " "), charset)
    text = text.replace("\ufffd", "")  # a replacement character tells the reader nothing
    if "=?" not in text:
        return text.strip()
    try:
        chunks = email.header.decode_header(text)
    except Exception:  # noqa: BLE001
        return text.strip()
    out = []
    for chunk, chunk_charset in chunks:
        if isinstance(chunk, bytes):
            out.append(decode_bytes(chunk, chunk_charset)[0] if chunk_charset else
                       _unsurrogate(chunk.decode("ascii", "surrogateescape"), charset))
        else:
            out.append(chunk)
    return "".join(out).replace("\ufffd", "").strip()


def _quote_encoded_words(text: str, charset: str | None) -> str:
    """Every run of encoded words replaced by its decoded text as one quoted string, so that a comma or an
    angle bracket inside an encoded display name cannot split the mailbox."""
    def quoted(match: re.Match[str]) -> str:
        decoded = decode_header_value(match.group(), charset)
        return '"' + decoded.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return _ENCODED_RUN.sub(quoted, text)


_QUOTED_STRING = re.compile(r'"((?:[^"\\]|\\.)*)"')


def _mailboxes(value: str, charset: str | None) -> list[tuple[str, str]]:
    """(address as written, display name) of every mailbox of one From-like header value; the address may lack an @."""
    raw = _unsurrogate(_FOLD.sub(" ", str(value)), charset).replace("\r", " ").replace("\n", " ")
    raw = _quote_encoded_words(raw, charset)
    single = re.fullmatch(r'\s*(?P<name>[^<>"]*?,[^<>"]*?)\s*<(?P<addr>[^<>@\s]+@[^<>\s]+)>\s*', raw)
    if single:  # "SURNAME, Forename (Trust) <a@b>": one mailbox whose display name has an unquoted comma
        return [(single.group("addr"), re.sub(r"\s*\([^)]*\)\s*$", "", single.group("name")).strip())]
    angles = _ANGLE.findall(raw)
    if len(angles) == 1 and raw.rstrip(" \t,;").endswith(">"):
        # one mailbox in angle brackets: whatever precedes it is its display name, even an address
        # ("alice@example.com <bob@example.com>" is bob's mailbox)
        name = raw[:raw.rindex("<")].strip()
        # a phrase of words and quoted strings (RFC 5322), as an encoded word in the middle of a name becomes:
        # 'Tomasz "Wiśniewski"' is Tomasz Wiśniewski
        name = _QUOTED_STRING.sub(lambda q: q.group(1).replace('\\"', '"').replace("\\\\", "\\"), name)
        return [(angles[0], name.strip())]
    try:
        pairs = email.utils.getaddresses([raw])
    except Exception:  # noqa: BLE001
        pairs = []
    found = [(address.strip().strip("<>"), name.strip().strip('"').strip()) for name, address in pairs if address]
    if not any("@" in address for address, _ in found):
        loose = _LOOSE_ADDRESS.search(raw)
        if loose:
            found.append((loose.group(0), ""))
    return found


def parse_sender(values: list[str], charset: str | None = None) -> tuple[str | None, str | None]:
    """(lower-case address, decoded display name) of the sender given by one or more From headers: the first
    mailbox whose address has an @ and a dotted domain, else the first with an @. A From without any address
    ("From: Jane Roe", "From: foo") gives no address and its words as the name."""
    mailboxes = [m for value in values if value for m in _mailboxes(value, charset)]
    with_at = [(a, n) for a, n in mailboxes if _ADDRESS.fullmatch(a)]
    dotted = [(a, n) for a, n in with_at if "." in a.rsplit("@", 1)[1].strip(".")]
    chosen = (dotted or with_at or [None])[0]
    if chosen is None:
        words = next((decode_header_value(v, charset) for v in values if v and decode_header_value(v, charset)), "")
        words = re.sub(r"\s*<\s*>\s*$", "", words).strip().strip('"').strip()
        return None, words or None
    address, name = chosen
    name = decode_header_value(name, charset).strip().strip('"').strip() if name else ""
    return address.lower(), name or None


def parse_address(value: str | None, charset: str | None = None) -> tuple[str | None, str | None]:
    """(lower-case address, decoded display name) of the first mailbox of a From-like header."""
    return parse_sender([value] if value else [], charset)


def parse_address_list(value: str | None) -> tuple[str, ...]:
    """Every address of a To/Cc-like header, lower case."""
    if not value:
        return ()
    try:
        pairs = email.utils.getaddresses([_quote_encoded_words(_unsurrogate(_FOLD.sub(" ", str(value))), None)])
    except Exception:  # noqa: BLE001
        return ()
    return tuple(dict.fromkeys(a.strip().strip("<>").lower() for _, a in pairs if a and "@" in a))


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
