"""A second opinion on the category from a spaCy text classifier, where the rules are unsure.

The classifier (`config/textcat/`, trained by `tools/textcat.py` with `spacy train` on the repository's
labelled mail) reads the subject and the readable parts. Measured on 60 blind messages neither was
written on, it alone matched the rules (0.883 against 0.900), but taken only where the rules say their
category is uncertain it raised accuracy to 0.950, and on the dev corpus it changed nothing (1.000).
So it is used only there, and the record still goes to review with both opinions in words.
"""
from __future__ import annotations

from typing import Any

from parsers.message import ParsedMessage

PART_CHARS = 4000  # of each readable part: the opening says what a message is


def category_text(parsed: ParsedMessage) -> str:
    """The text the classifier was trained on: the subject, then each readable part's opening."""
    return "\n".join([parsed.subject or ""] + [s.text[:PART_CHARS] for s in parsed.sources if s.part != "header"])


def predict(model: Any, parsed: ParsedMessage) -> tuple[str, float]:
    """The classifier's category and its score (0..1) for `parsed`."""
    cats = model(category_text(parsed)).cats
    best = max(cats, key=cats.get)
    return best, float(cats[best])
