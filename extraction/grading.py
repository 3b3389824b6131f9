"""Grading a record against its label: which values are right, and whether the whole record is.

A label is the contract's record shape with plain values (`tests/data/heldout/*.json`, the
officer's corrected record). Values are compared after the contract's normalisation (names
without titles and folded, phones as UK digits, postcodes spaced, street suffixes spelt out),
children and parents paired by the values they share. `grade` is what calibration learns from
and what the gate's precision is measured with; the officer's review decisions are labels too.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Any

REFERRER_FIELDS = ("name", "role", "organisation", "email", "phone", "type")
CHILD_FIELDS = ("first_name", "last_name", "date_of_birth", "gender", "upn", "address.line1", "address.town",
                "address.postcode", "school.name", "school.urn", "date_last_attended")
PARENT_FIELDS = ("name", "relationship", "phone", "email")
SOFT_FIELDS = frozenset({"referrer.role", "referrer.organisation"})  # an officer can live with these wrong

_TITLES = {"mr", "mrs", "ms", "miss", "mx", "dr", "prof", "master"}
_STREET = {"rd": "road", "ave": "avenue", "av": "avenue", "cl": "close", "dr": "drive", "ln": "lane",
           "cres": "crescent", "gdns": "gardens", "ct": "court", "pl": "place", "sq": "square",
           "tce": "terrace", "st": "street"}
_GENDER = {"m": "male", "boy": "male", "male": "male", "f": "female", "girl": "female", "female": "female",
           "other": "other"}
_RELATION = {"mum": "mother", "mom": "mother", "mummy": "mother", "dad": "father", "daddy": "father",
             "stepmum": "stepmother", "step mother": "stepmother", "stepdad": "stepfather",
             "step father": "stepfather", "nan": "grandmother", "nana": "grandmother", "gran": "grandmother",
             "grandma": "grandmother", "grandad": "grandfather", "grandpa": "grandfather",
             "foster carer": "carer", "special guardian": "guardian", "auntie": "aunt"}


def fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c)).casefold().replace("&", " and ")
    return " ".join(re.sub(r"[^0-9a-z]+", " ", text).split())


def _name(v: str) -> str:
    words = fold(v).split()
    while words and words[0] in _TITLES:
        words = words[1:]
    return " ".join(words)


def _line1(v: str) -> str:
    words = fold(v).split()
    return " ".join(_STREET.get(w, w) if i == len(words) - 1 or w != "st" else w for i, w in enumerate(words))


def _postcode(v: str) -> str:
    s = re.sub(r"\s+", "", v).upper()
    return f"{s[:-3]} {s[-3:]}" if len(s) > 3 else s


def _phone(v: str) -> str:
    d = re.sub(r"\D", "", v)
    d = d[2:] if d.startswith("00") else d
    if d.startswith("44") and len(d) >= 12:
        d = d[2:] if d[2:].startswith("0") else "0" + d[2:]
    return d


_NORMAL = {"name": _name, "first_name": _name, "last_name": _name, "email": lambda v: v.strip().lower().strip("<>"),
           "phone": _phone, "gender": lambda v: _GENDER.get(fold(v), fold(v)),
           "upn": lambda v: re.sub(r"\s", "", v).upper(), "line1": _line1, "postcode": _postcode,
           "urn": lambda v: re.sub(r"\D", "", v),
           "relationship": lambda v: _RELATION.get(fold(v), fold(v))}


def normalised(path: str, value: Any) -> str | None:
    """`value` of field `path` ("child.address.postcode") in the form two values are compared in."""
    if isinstance(value, dict):
        value = value.get("value")
    if value is None or not str(value).strip():
        return None
    return _NORMAL.get(path.rsplit(".", 1)[-1], fold)(str(value).strip()) or None


def _get(node: Any, dotted: str) -> Any:
    for part in dotted.split("."):
        if not isinstance(node, dict):
            return None
        node = node.get(part)
    return node


@dataclass(frozen=True)
class Outcome:
    """One value the service gave, and whether the label agrees."""

    path: str  # "child.date_of_birth"
    value: str
    confidence: float
    rule: str
    part: str
    right: bool


@dataclass(frozen=True)
class Grade:
    outcomes: tuple[Outcome, ...]  # every value given
    missed: tuple[str, ...]  # paths the label has and the record does not
    wrong: tuple[str, ...]  # paths given wrong (soft fields included)
    category_right: bool
    flags_right: bool

    @property
    def record_right(self) -> bool:
        """Every hard field right and nothing missed, the category and concerns right: safe to accept."""
        hard = [p for p in self.wrong + self.missed if p not in SOFT_FIELDS]
        return not hard and self.category_right and self.flags_right


def _pair(predicted: list[dict], expected: list[dict], keys: tuple[str, ...], prefix: str
          ) -> list[tuple[dict | None, dict | None]]:
    scores = []
    for i, p in enumerate(predicted):
        for j, e in enumerate(expected):
            s = sum(1 for k in keys if (pv := normalised(f"{prefix}.{k}", _get(p, k))) is not None
                    and pv == normalised(f"{prefix}.{k}", _get(e, k)))
            scores.append((s, -i, -j, i, j))
    used_p, used_e, pairs = set(), set(), []
    for s, _, _, i, j in sorted(scores, reverse=True):
        if s and i not in used_p and j not in used_e:
            used_p.add(i)
            used_e.add(j)
            pairs.append((predicted[i], expected[j]))
    pairs += [(p, None) for i, p in enumerate(predicted) if i not in used_p]
    pairs += [(None, e) for j, e in enumerate(expected) if j not in used_e]
    return pairs


def grade(record: dict[str, Any], label: dict[str, Any]) -> Grade:
    """How `record` (the service's, with fields as {value, confidence, source}) compares with `label`."""
    outcomes: list[Outcome] = []
    missed: list[str] = []
    wrong: list[str] = []

    def compare(path: str, given: Any, want: Any) -> None:
        g, w = normalised(path, given), normalised(path, want)
        if g is not None:
            src = given.get("source") or {} if isinstance(given, dict) else {}
            conf = float(given.get("confidence", 0.0)) if isinstance(given, dict) else 0.0
            outcomes.append(Outcome(path, str(given.get("value") if isinstance(given, dict) else given), conf,
                                    src.get("rule") or "unknown", src.get("part") or "derived", g == w))
            if g != w:
                wrong.append(path)
        elif w is not None:
            missed.append(path)

    for f in REFERRER_FIELDS:
        compare(f"referrer.{f}", _get(record.get("referrer"), f), _get(label.get("referrer"), f))
    for p, e in _pair(record.get("children") or [], label.get("children") or [],
                      ("first_name", "last_name", "date_of_birth"), "child"):
        for f in CHILD_FIELDS:
            given, want = _get(p, f), _get(e, f)
            if f == "school.name" and given is not None and want is not None:
                pu, eu = normalised("child.school.urn", _get(p, "school.urn")), normalised("child.school.urn",
                                                                                          _get(e, "school.urn"))
                if pu and pu == eu and isinstance(given, dict):
                    given = {**given, "value": want}  # the register's newer name of the same school is right
            compare(f"child.{f}", given, want)
    for p, e in _pair(record.get("parents_carers") or [], label.get("parents_carers") or [],
                      ("name", "phone", "email"), "parent"):
        for f in PARENT_FIELDS:
            compare(f"parent.{f}", _get(p, f), _get(e, f))
    return Grade(tuple(outcomes), tuple(missed), tuple(wrong), record.get("category") == label.get("category"),
                 set(record.get("safeguarding") or ()) == set(label.get("safeguarding") or ()))
