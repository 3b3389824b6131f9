"""Evidence weights: how much a value is worth by where it was read, and Field builders.

Confidence is a hand-set score until enough labels exist to calibrate: the kind of source sets
a prior (form field > table cell > labelled line > prose), a validator passing adds to it,
agreement between two places adds to it, a conflict takes from it.
"""
from __future__ import annotations

import re

import sys
from dataclasses import replace

from extraction.model import Field, Span

FORM_FIELD = 0.95
TABLE_CELL = 0.92
LABELLED_LINE = 0.88
PROSE_CUE = 0.86  # prose with a role cue ("her mother, X", "X (DOB ...)")
PROSE = 0.6  # prose without a strong cue
HEADER = 0.9  # a value read from the message's own headers
DERIVED = 0.9

VALIDATED = 0.04
AGREED = 0.05
AUTO_ACCEPT = 0.85  # every field at or above this and nothing missing: no review needed

PRIORS = {"form_field": FORM_FIELD, "checkbox": FORM_FIELD, "table_cell": TABLE_CELL,
          "line": LABELLED_LINE}


def finder(depth: int = 2) -> str:
    """The rule id of the finder that called the evidence builder: "module.function" of the caller
    `depth` frames up ("prose.read_children"). A finder that knows better passes `rule=` itself."""
    frame = sys._getframe(depth)
    name = frame.f_code.co_name
    if name == "<lambda>" or name.startswith("<"):
        frame = frame.f_back or frame
        name = frame.f_code.co_name
    return f"{frame.f_globals.get('__name__', '?').rsplit('.', 1)[-1]}.{name}"


def found(value: str | None, confidence: float, part: str, start: int | None, end: int | None,
          text: str | None, rule: str | None = None) -> Field | None:
    """A Field read at part[start:end] (None for an empty value), carrying the id of its rule."""
    if value is None or value == "":
        return None
    return Field(value, max(0.0, min(1.0, confidence)), Span(part, start, end, text, rule or finder()))


def at(value: str | None, confidence: float, part: str, full_text: str, start: int, end: int,
       rule: str | None = None) -> Field | None:
    """A Field whose source text is `full_text[start:end]`."""
    return found(value, confidence, part, start, end, full_text[start:end], rule or finder())


def cue_words(m: "re.Match[str]", group: str = "name") -> str:
    """The words of a finder's match around the value it found ("her brother", "is their mum"): its cue words,
    kept in the finding's evidence so the cue's precision can be counted."""
    return " ".join((m.string[m.start():m.start(group)] + " " + m.string[m.end(group):m.end()]).split())[:60]


def derived(value: str | None, confidence: float = DERIVED, text: str | None = None,
            rule: str | None = None) -> Field | None:
    """A Field the service derived rather than read (register URN, referrer type)."""
    return found(value, confidence, "derived", None, None, text, rule or finder())


def boost(f: Field | None, amount: float) -> Field | None:
    """`f` with its confidence raised (or lowered) by `amount`, kept within 0..0.99."""
    if f is None:
        return None
    return replace(f, confidence=max(0.0, min(0.99, f.confidence + amount)))


def best(*fields: Field | None) -> Field | None:
    """The most confident of `fields`; agreement between two of them raises it, conflict lowers it."""
    present = [f for f in fields if f is not None]
    if not present:
        return None
    top = max(present, key=lambda f: f.confidence)
    others = [f for f in present if f is not top]
    same = [f for f in others if _fold(f.value) == _fold(top.value)]
    differ = [f for f in others if _fold(f.value) != _fold(top.value)]
    if differ:
        return boost(top, -0.25)
    return boost(top, AGREED) if same else top


def _fold(v: str | None) -> str:
    return "".join(ch for ch in (v or "").casefold() if ch.isalnum())
