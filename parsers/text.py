"""Bytes to text: charset choice for mail parts and attachments, line-ending normalisation.

Mail in the wild declares the wrong charset, none at all, or one Python does not know.
The rule (after WHATWG): latin-1 and ascii labels mean windows-1252; bytes that are valid
UTF-8 with non-ASCII characters are UTF-8 whatever a single-byte label says; bytes that fail
the declared charset are tried as UTF-8, then windows-1252.
"""
from __future__ import annotations

import codecs
import re

_SINGLE_BYTE_ALIASES = {"us-ascii": "cp1252", "ascii": "cp1252", "iso-8859-1": "cp1252",
                        "latin-1": "cp1252", "latin1": "cp1252", "iso8859-1": "cp1252",
                        "x-user-defined": "cp1252", "unknown-8bit": "cp1252", "ansi_x3.4-1968": "cp1252"}
_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
_CHINESE_ALIASES = {"gb2312": "gb18030", "gbk": "gb18030", "ks_c_5601-1987": "cp949"}


def _codec(label: str | None) -> str | None:
    """The Python codec name of a MIME charset label, or None when unknown."""
    if not label:
        return None
    label = label.strip().strip('"').lower()
    label = _SINGLE_BYTE_ALIASES.get(label, _CHINESE_ALIASES.get(label, label))
    try:
        return codecs.lookup(label).name
    except (LookupError, ValueError, TypeError):  # unknown, or NUL bytes in a hostile label
        return None


def _is_single_byte(codec: str) -> bool:
    return codec.startswith(("cp", "iso8859", "latin", "windows", "mac", "koi8")) and codec not in ("cp932", "cp949", "cp950")


def decode_bytes(data: bytes, declared: str | None) -> tuple[str, str | None]:
    """Decode `data` labelled `declared`; return (text, problem or None). Never raises."""
    codec = _codec(declared)
    if declared and codec is None:
        problem: str | None = f"unknown charset {declared!r}"
    else:
        problem = None
    if data.isascii() and not (codec and (codec.startswith("iso2022") or codec in ("utf_7", "hz"))):
        return normalise_newlines(data.decode("ascii")), problem
    if codec is None or _is_single_byte(codec):
        try:
            return normalise_newlines(data.decode("utf-8")), problem
        except UnicodeDecodeError:
            pass
    if codec is not None:
        try:
            return normalise_newlines(data.decode(codec)), problem
        except (UnicodeDecodeError, LookupError):
            problem = f"bytes do not match declared charset {declared!r}"
    try:
        return normalise_newlines(data.decode("utf-8")), problem
    except UnicodeDecodeError:
        pass
    try:
        return normalise_newlines(data.decode("cp1252")), problem or "undeclared 8-bit text read as windows-1252"
    except UnicodeDecodeError:
        return normalise_newlines(data.decode("latin-1")), problem or "undeclared 8-bit text read as latin-1"


def normalise_newlines(text: str) -> str:
    """CRLF and CR to LF; NUL and other C0 controls except tab/newline/form feed dropped."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _CONTROLS.sub("", text)
    return text.replace("\f", "\n").replace("\u00a0", " ")
