"""The held-out corpus (tests/data/heldout: fictitious messages written apart from the rules): what a CME
Officer would notice must hold for every message.

Per message: the category, the urgent flag, the safeguarding concerns, whether the sender is acknowledged,
the case reference, and that no child field holds a wrong value (a wrong value is worse than an empty one).
Wrong values already known are listed in KNOWN_WRONG with the reason, so that any new one fails.
"""
from __future__ import annotations

import json
import re
import unicodedata
from pathlib import Path
from typing import Any

import pytest

from extraction.extract import extract_file

HELDOUT = Path(__file__).resolve().parent.parent / "data" / "heldout"
STEMS = sorted(p.stem for p in HELDOUT.glob("*.eml"))
CHILD_FIELDS = ("first_name", "last_name", "date_of_birth", "gender", "upn", "address.line1", "address.town",
                "address.postcode", "school.name", "school.urn", "date_last_attended")

# (message, child field) pairs whose wrong value is a known fault of the field finders, not a regression;
# "child" is a child the message does not name (an unpaired extra one).
KNOWN_WRONG: dict[tuple[str, str], str] = {
}


def _fold(value: Any) -> str | None:
    if value is None:
        return None
    text = unicodedata.normalize("NFKD", str(value))
    text = "".join(c for c in text if not unicodedata.combining(c)).casefold()
    words = re.sub(r"[^0-9a-z]+", " ", text).split()
    while words and words[0] in ("mr", "mrs", "ms", "miss", "dr"):
        words = words[1:]
    return " ".join(words) or None


def _get(node: Any, dotted: str) -> Any:
    for part in dotted.split("."):
        if not isinstance(node, dict):
            return None
        node = node.get(part)
    if isinstance(node, dict) and "value" in node:
        node = node["value"]
    return node


def _pair(predicted: list[dict], labelled: list[dict]) -> list[tuple[dict, dict | None]]:
    """Each predicted child with the labelled child it agrees with most, best agreements first
    (None when it agrees with none): the scorer's pairing by name and date of birth."""
    scores = []
    for i, p in enumerate(predicted):
        for j, e in enumerate(labelled):
            score = sum(1 for f in ("first_name", "last_name", "date_of_birth")
                        if _fold(_get(p, f)) is not None and _fold(_get(p, f)) == _fold(_get(e, f)))
            if score:
                scores.append((-score, i, j))
    partner: dict[int, int] = {}
    for _, i, j in sorted(scores):
        if i not in partner and j not in partner.values():
            partner[i] = j
    return [(p, labelled[partner[i]] if i in partner else None) for i, p in enumerate(predicted)]


@pytest.fixture(scope="module")
def records(extraction_context) -> dict[str, dict]:
    return {stem: extract_file(f"{stem}.eml", (HELDOUT / f"{stem}.eml").read_bytes(), extraction_context)
            for stem in STEMS}


def _label(stem: str) -> dict:
    return json.loads((HELDOUT / f"{stem}.json").read_text(encoding="utf-8"))


def test_the_corpus_is_there() -> None:
    assert len(STEMS) >= 25 and all((HELDOUT / f"{s}.json").exists() for s in STEMS)


@pytest.mark.parametrize("stem", STEMS)
def test_what_the_officer_sees_first(stem: str, records: dict[str, dict]) -> None:
    record, label = records[stem], _label(stem)
    assert "error" not in record
    assert record["category"] == label["category"]
    assert record["urgent"] == label["urgent"]
    assert sorted(record["safeguarding"]) == sorted(label["safeguarding"])
    assert record["acknowledge"] == label["acknowledge"]
    assert _get(record, "case_reference") == label["case_reference"]
    if record["urgent"]:
        assert record["needs_review"]


@pytest.mark.parametrize("stem", STEMS)
def test_no_child_field_is_wrong(stem: str, records: dict[str, dict]) -> None:
    record, label = records[stem], _label(stem)
    wrong = []
    for predicted, expected in _pair(record.get("children") or [], label.get("children") or []):
        if expected is None:
            if (stem, "child") not in KNOWN_WRONG:
                wrong.append(f"a child the message does not name: {_get(predicted, 'first_name')!r}")
            continue
        for field in CHILD_FIELDS:
            got = _fold(_get(predicted, field))
            if got is not None and got != _fold(_get(expected, field)) and (stem, field) not in KNOWN_WRONG:
                wrong.append(f"{field}: {_get(predicted, field)!r} (label {_get(expected, field)!r})")
    assert not wrong, f"{stem}: wrong child values {wrong}"
