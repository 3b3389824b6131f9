"""Attachment bytes to text sources, by content sniffing first and the declared type second."""
from __future__ import annotations

from parsers.html import html_to_text
from parsers.message import TextSource
from parsers.pairs import colon_pairs, merge_pairs, tab_pairs
from parsers.pdf import read_pdf
from parsers.text import decode_bytes
from parsers.word import read_docx

MAX_BYTES = 20 * 1024 * 1024
_TEXT_EXTENSIONS = (".txt", ".csv", ".text", ".log", ".tsv")


def read_attachment(name: str, content_type: str, data: bytes) -> tuple[list[TextSource], list[str]]:
    """Text sources and problems of one (non-email) attachment; unreadable kinds give nothing."""
    if len(data) > MAX_BYTES:
        return [], [f"attachment-too-large: attachment {name!r}: {len(data) // (1024 * 1024)} MB, over the 20 MB limit; not read"]
    lower = name.lower()
    if b"%PDF-" in data[:1024]:
        return read_pdf(name, data)
    if data[:4] == b"PK\x03\x04" and (lower.endswith((".docx", ".docm", ".dotx")) or b"word/" in data[:4096]
                                      or "wordprocessingml" in content_type):
        return read_docx(name, data)
    if lower.endswith(".pdf") or content_type == "application/pdf":
        return [], [f"attachment-unreadable: attachment {name!r}: declared PDF but not a PDF file"]
    if lower.endswith(".doc") or content_type == "application/msword":
        return [], [f"attachment-unsupported: attachment {name!r}: legacy Word .doc is not read"]
    if content_type == "text/html" or lower.endswith((".htm", ".html")):
        text, problem = decode_bytes(data, None)
        rendered, pairs = html_to_text(text)
        return [TextSource(f"attachment:{name}", rendered, "html", pairs)], [f"charset: attachment {name!r}: {problem}"] if problem else []
    if content_type.startswith("text/") or lower.endswith(_TEXT_EXTENSIONS):
        if b"\x00" in data[:4096] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
            return [], [f"attachment-unreadable: attachment {name!r}: binary data in a text attachment; not read"]
        charset = "utf-16" if data.startswith((b"\xff\xfe", b"\xfe\xff")) else None
        text, problem = decode_bytes(data, charset)
        text = text.lstrip("\ufeff")
        notes = [f"charset: attachment {name!r}: {problem}"] if problem else []
        return [TextSource(f"attachment:{name}", text, "plain", merge_pairs(colon_pairs(text), tab_pairs(text)))], notes
    return [], []
