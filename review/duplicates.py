"""Likely duplicates of a case: another case naming the same child (name, date of birth, postcode),
matched fuzzily with rapidfuzz so spelling slips and swapped names still match.

Two passes: the store's candidates (store.queue.duplicate_candidates: the cases sharing a child's
names, date of birth or postcode with this record, normalised as `child_match` compares them; the 200
sharing most keys, then the most recent), then `suggest` (each of their children scored by `child_match`;
70 or more is shown). `child_match` reaches 70 only with the same date of birth, or the same postcode, or
a date of birth a digit or two apart and names at least 90% alike: the first two always share a key, the
last only when the names are the same (a misspelt name with a mistyped date of birth at another postcode
is not looked at).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterable

from rapidfuzz import fuzz

from store.queue import CaseSummary

THRESHOLD = 70.0


@dataclass(frozen=True)
class Suggestion:
    case_id: int
    reference: str
    status: str
    child: str
    score: float
    why: str


def _value(child: dict[str, Any], *path: str) -> str:
    node: Any = child
    for step in path:
        node = node.get(step) if isinstance(node, dict) else None
    return str(node.get("value") or "").strip() if isinstance(node, dict) else ""


def _name(child: dict[str, Any]) -> str:
    return f"{_value(child, 'first_name')} {_value(child, 'last_name')}".strip()


def child_match(a: dict[str, Any], b: dict[str, Any]) -> tuple[float, list[str]]:
    """A 0-100 score that `a` and `b` are the same child, and the reasons."""
    name_a, name_b = _name(a).lower(), _name(b).lower()
    if not name_a or not name_b:
        return 0.0, []
    name = fuzz.token_sort_ratio(name_a, name_b)
    score, why = name * 0.6, [f"name {round(name)}% alike"]
    dob_a, dob_b = _value(a, "date_of_birth"), _value(b, "date_of_birth")
    if dob_a and dob_b:
        if dob_a == dob_b:
            score, why = score + 30, why + ["same date of birth"]
        elif fuzz.ratio(dob_a, dob_b) >= 80:
            score, why = score + 12, why + ["date of birth one digit apart"]
        else:
            score -= 25
    pc_a = _value(a, "address", "postcode").replace(" ", "").upper()
    pc_b = _value(b, "address", "postcode").replace(" ", "").upper()
    if pc_a and pc_b:
        if pc_a == pc_b:
            score, why = score + 10, why + ["same postcode"]
        elif pc_a[:-3] == pc_b[:-3]:
            score, why = score + 4, why + ["same postcode district"]
    return min(score, 100.0), why


def suggest(record: dict[str, Any], others: Iterable[CaseSummary], limit: int = 5) -> list[Suggestion]:
    """The other cases most likely about a child of `record`, best first."""
    children = [c for c in record.get("children") or () if isinstance(c, dict)]
    best: dict[int, Suggestion] = {}
    for other in others:
        for theirs in other.record.get("children") or ():
            if not isinstance(theirs, dict):
                continue
            for ours in children:
                score, why = child_match(ours, theirs)
                if score >= THRESHOLD and (other.id not in best or best[other.id].score < score):
                    best[other.id] = Suggestion(other.id, other.reference, other.status, _name(theirs),
                                                round(score), ", ".join(why))
    return sorted(best.values(), key=lambda s: -s.score)[:limit]
