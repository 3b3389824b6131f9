"""The words that are evidence of each category of the contract, with their weights.

The words live in `config/phrases/categories.jsonl` (each line: an id, the category as `kind`, the
pattern, its `weight`, an example the tests check). Owns only the phrases; classify.py weighs where
they are written and decides.
"""
from __future__ import annotations

import re

from config import phrasebook

_R = lambda s: re.compile(r"(?i)\b(?:" + s + r")")  # noqa: E731


def _evidence() -> dict[str, tuple[tuple[re.Pattern[str], float], ...]]:
    table = phrasebook.table("categories")
    return {category: tuple((_R(p.pattern.pattern), p.weight) for p in table if p.kind == category)
            for category in phrasebook.kinds("categories")}


EVIDENCE: dict[str, tuple[tuple[re.Pattern[str], float], ...]] = _evidence()
