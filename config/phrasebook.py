"""Phrase tables kept as data: `config/phrases/*.jsonl`, one phrase per line.

Each line is `{"id": ..., "pattern": ..., "example": ..., "means": ...}`: `pattern` is a
case-insensitive regular expression, `example` a sentence it must find (the tests check every
one), `means` what a match says, in words a CME officer reads. Every value or flag a phrase
produces carries its `id`, so its precision can be counted on labelled mail.

A line may also hold `counter_example` (words it must not find: the tests check that too),
`kind` (what the phrase is evidence of: a safeguarding flag, a category, a field), `weight`
(how much it counts) and `case_sensitive` (true: the pattern is matched as written).
A table that is one big pattern split into lines is put back together by `alternation`, in
file order, so the lines together match exactly what the single pattern matched.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

PHRASES_DIR = Path(__file__).resolve().parent / "phrases"


@dataclass(frozen=True)
class Phrase:
    id: str
    pattern: re.Pattern[str]
    example: str
    means: str
    counter_example: str = ""
    kind: str = ""
    weight: float = 0.0


class PhraseTableError(ValueError):
    """A phrase table is missing, unreadable, or has a line without an id, pattern or example."""


@cache
def table(name: str) -> tuple[Phrase, ...]:
    """The phrases of `config/phrases/NAME.jsonl`, read once."""
    path = PHRASES_DIR / f"{name}.jsonl"
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise PhraseTableError(f"phrase table {name} cannot be read: {exc}") from exc
    phrases = []
    for number, line in enumerate(lines, 1):
        if not line.strip() or line.lstrip().startswith("//"):
            continue
        try:
            row = json.loads(line)
            flags = 0 if row.get("case_sensitive") else re.IGNORECASE
            phrases.append(Phrase(row["id"], re.compile(row["pattern"], flags), row["example"],
                                  row.get("means", ""), row.get("counter_example", ""), row.get("kind", ""),
                                  float(row.get("weight", 0.0))))
        except (ValueError, KeyError, TypeError, re.error) as exc:
            raise PhraseTableError(f"{path.name} line {number}: {exc}") from exc
    return tuple(phrases)


def alternation(name: str, kind: str | None = None) -> str:
    """The patterns of table `name` (those of `kind`, when given) as one alternation, in file order.
    A kind with no line is an error, not an empty pattern that would match everywhere."""
    patterns = [p.pattern.pattern for p in table(name) if kind is None or p.kind == kind]
    if not patterns:
        raise PhraseTableError(f"phrase table {name} has no line of kind {kind!r}")
    return "|".join(patterns)


def kinds(name: str) -> tuple[str, ...]:
    """The kinds of table `name`, in the order they first appear."""
    return tuple(dict.fromkeys(p.kind for p in table(name)))


PHRASE_MARK = "#"  # between a finder's rule id and the id of the phrase that decided its value


def rule_with_phrase(rule: str, phrase_id: str | None) -> str:
    """A finder's rule id with the id of the phrase its value came from
    ("type.organisation#referrer_type.organisation.health"), so the phrase's precision can be counted on
    labelled mail; the rule alone when no phrase decided. Calibration judges the finder's rule alone."""
    return f"{rule}{PHRASE_MARK}{phrase_id}" if phrase_id else rule


def finder_rule(rule: str) -> str:
    """The finder's rule id of a rule id that may name a phrase after it."""
    return rule.partition(PHRASE_MARK)[0]


def names() -> list[str]:
    """Every phrase table shipped."""
    return sorted(p.stem for p in PHRASES_DIR.glob("*.jsonl"))


def first(name: str, text: str, start: int = 0, end: int | None = None) -> tuple[Phrase, re.Match[str]] | None:
    """The first phrase of table `name` found in text[start:end], with its match."""
    best = None
    for phrase in table(name):
        m = phrase.pattern.search(text, start, len(text) if end is None else end)
        if m and (best is None or m.start() < best[1].start()):
            best = (phrase, m)
    return best


ORGANISATIONS_FILE = Path(__file__).resolve().parent / "organisations.csv"


@cache
def organisations_by_domain() -> dict[str, str]:
    """Public bodies by their email domain (`config/organisations.csv`: domain, organisation, example address):
    councils, police and NHS trusts in and around Hampshire. A subdomain belongs to its body."""
    import csv

    try:
        with ORGANISATIONS_FILE.open(encoding="utf-8", newline="") as fh:
            return {row["domain"].strip().lower(): row["organisation"].strip() for row in csv.DictReader(fh)}
    except (OSError, KeyError) as exc:
        raise PhraseTableError(f"organisations.csv cannot be read: {exc}") from exc


def organisation_of(address: str | None) -> str | None:
    """The public body an email address belongs to ("x@ppn.hampshire.police.uk" -> the constabulary), or None."""
    domain = (address or "").rsplit("@", 1)[-1].lower().strip()
    table = organisations_by_domain()
    while domain:
        if domain in table:
            return table[domain]
        domain = domain.partition(".")[2]
    return None


RELATIONSHIPS_FILE = Path(__file__).resolve().parent / "relationships.csv"


@cache
def _relationship_rows() -> tuple[tuple[str, str, str], ...]:
    import csv

    try:
        with RELATIONSHIPS_FILE.open(encoding="utf-8", newline="") as fh:
            return tuple((row["word"], row["relationship"], row["example"]) for row in csv.DictReader(fh))
    except (OSError, KeyError) as exc:
        raise PhraseTableError(f"relationships.csv cannot be read: {exc}") from exc


def relationships() -> dict[str, str]:
    """Words for a parent's or carer's relationship to the child ("mum", "step-dad", "kinship carer") with the
    relationship the record gives it, in file order (`config/relationships.csv`: word, relationship, example)."""
    return {word: relationship for word, relationship, _ in _relationship_rows()}


def relationship_examples() -> tuple[tuple[str, str, str], ...]:
    """The rows of `config/relationships.csv`: word, relationship, an example the tests check."""
    return _relationship_rows()


CONFUSABLES_FILE = Path(__file__).resolve().parent / "confusables.csv"


@cache
def confusables() -> tuple[tuple[str, str], ...]:
    """Characters that look like Latin letters in an address, with the letters they imitate
    (`config/confusables.csv`: characters, looks_like, name, example, imitates; after Unicode's TR39
    confusables, cut to what passes for a letter of a domain name). Longest first, so "rn" is read before "r"."""
    import csv

    try:
        with CONFUSABLES_FILE.open(encoding="utf-8", newline="") as fh:
            rows = [(row["characters"], row["looks_like"]) for row in csv.DictReader(fh)]
    except (OSError, KeyError) as exc:
        raise PhraseTableError(f"confusables.csv cannot be read: {exc}") from exc
    return tuple(sorted(rows, key=lambda r: -len(r[0])))
