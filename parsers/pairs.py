"""Label/value pairs found in text: "Label: value" lines and two-cell table rows."""
from __future__ import annotations

import re

from parsers.message import LabelledValue

_COLON_LINE = re.compile(
    r"^[ \t]*(?P<label>[^\W\d_][\w '’()/&,.#?-]{0,60}?)[ \t]*:[ \t]*(?P<value>\S[^\n]*?)[ \t]*$",
    re.MULTILINE,
)
_NOT_LABELS = {"http", "https", "mailto", "ftp", "re", "fw", "fwd", "tel", "cid"}
ROW_SEPARATOR = " | "


def colon_pairs(text: str, kind: str = "table_cell") -> list[LabelledValue]:
    """Every "Label: value" line of `text` (label of at most eight words)."""
    pairs = []
    for m in _COLON_LINE.finditer(text):
        label = m.group("label").strip()
        value = m.group("value")
        if label.lower() in _NOT_LABELS or len(label.split()) > 8 or value.startswith("//"):
            continue
        if ROW_SEPARATOR.strip() in m.group(0):
            continue
        pairs.append(LabelledValue(label, value, m.start("value"), m.end("value"), kind))
    return pairs


def clean_label(label: str) -> str:
    """A table or form label without its trailing colon, asterisk or surrounding space."""
    return label.strip().rstrip(":*? ").strip()


def row_pairs(text: str, rows: list[tuple[str, str]], kind: str = "table_cell") -> list[LabelledValue]:
    """Pairs for rows rendered as "label | value" lines of `text`, found in order."""
    pairs = []
    cursor = 0
    for label, value in rows:
        line = f"{label}{ROW_SEPARATOR}{value}"
        at = text.find(line, cursor)
        if at < 0:
            continue
        start = at + len(label) + len(ROW_SEPARATOR)
        cursor = start + len(value)
        name = clean_label(label)
        if name:
            pairs.append(LabelledValue(name, value, start, cursor, kind))
    return pairs


def merge_pairs(*groups: list[LabelledValue]) -> tuple[LabelledValue, ...]:
    """Pairs of several finders, without two pairs over the same value, in text order."""
    seen: set[tuple[int, int]] = set()
    out = []
    for group in groups:
        for p in group:
            if (p.start, p.end) not in seen:
                seen.add((p.start, p.end))
                out.append(p)
    return tuple(sorted(out, key=lambda p: p.start))


_BOX = re.compile("[☒☐]")


def checkbox_pairs(text: str) -> list[LabelledValue]:
    """Tick boxes: the option text beside each ☒/☐ (after it, else before it) as label, the glyph as value."""
    pairs = []
    for m in _BOX.finditer(text):
        line_start = text.rfind("\n", 0, m.start()) + 1
        line_end = text.find("\n", m.end())
        line_end = len(text) if line_end < 0 else line_end
        after = re.split(r"[☒☐|]", text[m.end():line_end], maxsplit=1)[0]
        before = re.split(r"[☒☐|]", text[line_start:m.start()])[-1]
        label = clean_label(after) or clean_label(before)
        if label and len(label) <= 80:
            pairs.append(LabelledValue(label, m.group(0), m.start(), m.end(), "checkbox"))
    return pairs
