"""Bytes to text: charset choice for mail parts and attachments, line-ending normalisation.

Mail in the wild declares the wrong charset, none at all, or one Python does not know.
The rule (after WHATWG): latin-1 and ascii labels mean windows-1252; bytes that are valid
UTF-8 with non-ASCII characters are UTF-8 whatever a single-byte label says; bytes that fail
the declared charset are tried as the other charsets of its family (Shift_JIS labelled
ISO-2022-JP, ISO-2022-JP with the NEC and IBM extensions of Windows, GB2312 text using GBK),
then as UTF-8 (mostly-UTF-8 text keeps its UTF-8 and reads only the stray bytes as
windows-1252), then windows-1252. A decoding that yields control or replacement characters
is not taken while another one reads cleanly.
"""
from __future__ import annotations

import codecs
import re

_SINGLE_BYTE_ALIASES = {"us-ascii": "cp1252", "ascii": "cp1252", "iso-8859-1": "cp1252",
                        "latin-1": "cp1252", "latin1": "cp1252", "iso8859-1": "cp1252",
                        "x-user-defined": "cp1252", "unknown-8bit": "cp1252", "ansi_x3.4-1968": "cp1252"}
_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
_MULTIBYTE_ALIASES = {"gb2312": "gb18030", "gbk": "gb18030", "ks_c_5601-1987": "cp949", "x-sjis": "cp932",
                    "windows-31j": "cp932", "x-gbk": "gb18030", "euc-cn": "gb18030", "x-euc-jp": "euc_jp"}
# text that decoded "successfully" into one of these is the wrong decoding: C0/C1 controls, U+FFFD
_NOT_TEXT = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f\ufffd]")
_STATEFUL = ("iso2022", "utf_7", "utf-7", "hz")
_STRAY = re.compile("[\udc80-\udcff]+")
# other charsets tried, in order, when the declared one fails or reads as control characters
_FAMILIES = {
    "iso2022_jp": ("iso2022_jp_2", "iso2022_jp_ext", "iso2022_jp_3", "jis-cp932", "cp932", "euc_jp"),
    "shift_jis": ("cp932", "shift_jis_2004", "euc_jp", "jis-cp932"),
    "euc_jp": ("euc_jis_2004", "cp932", "jis-cp932"),
    "big5": ("big5hkscs", "cp950"),
    "euc_kr": ("cp949",),
    "gb18030": ("big5hkscs",),
}
_FAMILIES["iso2022_jp_2"] = _FAMILIES["iso2022_jp_ext"] = _FAMILIES["iso2022_jp_3"] = _FAMILIES["iso2022_jp"]
_FAMILIES["iso2022_jp_1"] = _FAMILIES["iso2022_jp_2004"] = _FAMILIES["iso2022_jp"]
_FAMILIES["cp932"] = _FAMILIES["shift_jis_2004"] = _FAMILIES["shift_jis"]
_FAMILIES["euc_jis_2004"] = _FAMILIES["euc_jp"]


def _codec(label: str | None) -> str | None:
    """The Python codec name of a MIME charset label, or None when unknown."""
    if not label:
        return None
    label = label.strip().strip('"').lower()
    label = _SINGLE_BYTE_ALIASES.get(label, _MULTIBYTE_ALIASES.get(label, label))
    try:
        return codecs.lookup(label).name
    except (LookupError, ValueError, TypeError):  # unknown, or NUL bytes in a hostile label
        return None


def _is_single_byte(codec: str) -> bool:
    return codec.startswith(("cp", "iso8859", "latin", "windows", "mac", "koi8")) and codec not in ("cp932", "cp949", "cp950")


def _jis_as_cp932(data: bytes) -> str:
    """ISO-2022-JP as Windows writes it (CP50220): every JIS X 0208 pair turned into its Shift_JIS bytes and read
    as cp932, so the NEC and IBM extension characters (circled numbers, Roman numerals) Python's iso2022 codecs
    refuse are read too. Raises ValueError on bytes that are not ISO-2022-JP."""
    out = bytearray()
    mode = "ascii"
    i, n = 0, len(data)
    while i < n:
        b = data[i]
        if b == 0x1B:
            seq = data[i + 1:i + 3]
            if seq in (b"$B", b"$@"):
                mode = "jis"
            elif seq in (b"(B", b"(J"):
                mode = "ascii"
            elif seq == b"(I":
                mode = "kana"
            else:
                raise ValueError("unknown escape sequence")
            i += 3
        elif b in (0x0A, 0x0D):  # RFC 1468: every line ends in ASCII; a writer that forgot is forgiven
            out.append(b)
            mode = "ascii" if mode == "kana" else mode
            i += 1
        elif mode == "jis":
            if i + 1 >= n or not (0x21 <= b <= 0x7E and 0x21 <= data[i + 1] <= 0x7E):
                raise ValueError("not a JIS X 0208 pair")
            second = data[i + 1]
            out.append((b + 1) // 2 + (0x70 if b <= 0x5E else 0xB0))
            out.append(second + (0x1F if second <= 0x5F else 0x20) if b % 2 else second + 0x7E)
            i += 2
        elif mode == "kana":
            if not 0x21 <= b <= 0x5F:
                raise ValueError("not a half-width katakana")
            out.append(b + 0x80)
            i += 1
        else:
            if b >= 0x80:
                raise ValueError("8-bit byte in ISO-2022-JP")
            out.append(b)
            i += 1
    return out.decode("cp932")


def _attempt(data: bytes, codec: str) -> str | None:
    try:
        return _jis_as_cp932(data) if codec == "jis-cp932" else data.decode(codec)
    except (UnicodeDecodeError, LookupError, ValueError):
        return None


def _mostly_utf8(data: bytes) -> str | None:
    """UTF-8 text with a few stray bytes (a name pasted from another program): the UTF-8 kept, the stray
    bytes read as windows-1252. None unless valid multi-byte characters outnumber the stray bytes two to one."""
    text = data.decode("utf-8", "surrogateescape")
    stray = sum("\udc80" <= c <= "\udcff" for c in text)
    multibyte = sum(c >= "\u0080" for c in text) - stray
    if not stray or multibyte < 2 or multibyte < 2 * stray:
        return None
    return _STRAY.sub(lambda m: m.group().encode("utf-8", "surrogateescape").decode("cp1252", "replace"), text)


def decode_bytes(data: bytes, declared: str | None) -> tuple[str, str | None]:
    """Decode `data` labelled `declared`; return (text, problem or None). Never raises."""
    codec = _codec(declared)
    if declared and codec is None:
        problem: str | None = f"unknown charset {declared!r}"
    else:
        problem = None
    if codec is None and (b"\x1b$B" in data or b"\x1b$@" in data):
        codec = "iso2022_jp"  # undeclared ISO-2022-JP: its escape sequences say what it is
    if data.isascii() and not (codec and codec.startswith(_STATEFUL)):
        return normalise_newlines(data.decode("ascii")), problem
    if codec is None or _is_single_byte(codec):
        try:
            return normalise_newlines(data.decode("utf-8")), problem
        except UnicodeDecodeError:
            pass
        mixed = _mostly_utf8(data)
        if mixed is not None:
            return normalise_newlines(mixed), problem or "stray 8-bit bytes in UTF-8 text read as windows-1252"
    unclean: str | None = None
    if codec is not None:
        for candidate in (codec, *_FAMILIES.get(codec, ())):
            text = _attempt(data, candidate)
            if text is None:
                continue
            if not _NOT_TEXT.search(text):
                if candidate != codec:
                    name = "iso-2022-jp (Windows)" if candidate == "jis-cp932" else candidate
                    problem = f"bytes do not match declared charset {declared!r}; read as {name}"
                return normalise_newlines(text), problem
            unclean = unclean if unclean is not None else text
        problem = f"bytes do not match declared charset {declared!r}"
    try:
        return normalise_newlines(data.decode("utf-8")), problem
    except UnicodeDecodeError:
        pass
    mixed = _mostly_utf8(data)
    if mixed is not None:
        return normalise_newlines(mixed), problem
    if unclean is not None:
        return normalise_newlines(unclean), problem
    try:
        return normalise_newlines(data.decode("cp1252")), problem or "undeclared 8-bit text read as windows-1252"
    except UnicodeDecodeError:
        return normalise_newlines(data.decode("latin-1")), problem or "undeclared 8-bit text read as latin-1"


def decode_header_bytes(data: bytes, declared: str | None) -> str:
    """Raw 8-bit bytes of a header: UTF-8 when they are valid UTF-8, else the charset the message or part
    declares in its Content-Type (a GB2312 subject sent unencoded), else mostly-UTF-8, else windows-1252."""
    try:
        return normalise_newlines(data.decode("utf-8"))
    except UnicodeDecodeError:
        return decode_bytes(data, declared)[0]


def normalise_newlines(text: str) -> str:
    """CRLF and CR to LF; NUL and other C0 controls except tab/newline/form feed dropped."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _CONTROLS.sub("", text)
    return text.replace("\f", "\n").replace("\u00a0", " ")
