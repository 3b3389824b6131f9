"""Pupils missing out on education (PMOOE): a school's referral made before the pupil has missed
20 school days (40 sessions), the point at which a continuous absence can become a deletion from
roll (reg 9(1)(i)). Such a pupil is still on the school's roll: the record is marked, with the
count the school gave, so the officer treats it as a pupil missing out rather than a child missing
education. Pure: reads the text the caller gives, no I/O.

The count must be stated beside words of absence ("has missed 12 days", "absent for 16 sessions",
"not attended for two weeks"); a count in policy talk ("after 20 school days we must...") or a
date is not one.
"""
from __future__ import annotations

import re
from typing import Iterable

from extraction.model import MissingOut, Span

DAYS_LIMIT = 20  # school days; 1 school day = 2 sessions (AM/PM)
SESSIONS_LIMIT = 40
CATEGORIES = ("cme_referral", "roll_removal")

_WORDS = {w: i for i, w in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen "
    "seventeen eighteen nineteen twenty".split())}
_WORDS.update({"thirty": 30, "forty": 40, "a": 1, "a couple of": 2, "a few": 3})
_NUMBER = r"(?P<n>\d{1,3}|" + "|".join(sorted((re.escape(w) for w in _WORDS), key=len, reverse=True)) + r")"
_UNIT = r"(?:(?:consecutive|continuous|full|whole|school|further)\s+){0,2}(?P<unit>days?|sessions?|weeks?)\b"
_COUNT = re.compile(r"\b" + _NUMBER + r"\s+" + _UNIT, re.I)
_ABSENCE = re.compile(r"\b(?:absent|absence|absences|missed|missing|not\s+(?:been\s+)?(?:attended|attending|in\s+school|"
                      r"seen|in)|has\s+not\s+(?:attended|been)|hasn'?t\s+(?:attended|been)|off\s+school|"
                      r"non[- ]attendance|not\s+returned|unauthorised|unexplained)\b", re.I)
# a count that is a deadline, a rule or a plan, not what the pupil missed
_NOT_MISSED = re.compile(r"\b(?:within|after|next|every|per|each|over\s+the\s+next|in\s+the\s+next|up\s+to|"
                         r"more\s+than|at\s+least|reaches?|reached|before|until)\s+(?:the\s+)?$", re.I)
_AT_LEAST = re.compile(r"\s*(?:or\s+more|or\s+over|or\s+longer|\+|plus)", re.I)  # a threshold, not a count
_UNTICKED = re.compile(r"\s*[☐□]")  # an option of a form the writer did not tick
_CLAUSE_BREAK = re.compile(r"\b(?:and|but|then|so)\b|;", re.I)
_ABSENCE_AFTER = re.compile(r"\s*(?:of\s+)?(?:(?:unauthorised|unexplained|continuous|school)\s+)*"
                            r"(?:absence|absences|absent|off|missed|non[- ]attendance)\b", re.I)
_SENTENCE = re.compile(r"[^.!?\n]+(?:[.!?]|\n|$)")


def _number(word: str) -> int | None:
    word = " ".join(word.lower().split())
    return int(word) if word.isdigit() else _WORDS.get(word)


def _about_absence(words: str, start: int, end: int) -> bool:
    """Whether the count at words[start:end] is of schooling missed: words of absence just before it,
    in the same clause ("has missed 12 days", "absent since 3/11, that is 9 school days"), or just after
    it ("14 sessions of unauthorised absence", "6 days off school"). "Attended for the first seven days
    of term and has not attended since" counts days attended, not missed."""
    before = words[max(0, start - 60):start]
    found = None
    for found in _ABSENCE.finditer(before):
        pass
    if found is not None and not _CLAUSE_BREAK.search(before[found.end():]):
        return True
    return _ABSENCE_AFTER.match(words[end:end + 40]) is not None


def _counts(text: str) -> Iterable[tuple[int | None, int | None, int, int]]:
    """(days, sessions, start, end) of each count of missed schooling in `text`."""
    for sentence in _SENTENCE.finditer(text):
        words = sentence.group(0)
        for m in _COUNT.finditer(words):
            if (_NOT_MISSED.search(words[:m.start()]) or _AT_LEAST.match(words[m.end():m.end() + 12])
                    or _UNTICKED.match(words) or not _about_absence(words, m.start(), m.end())):
                continue
            n = _number(m.group("n"))
            if n is None or n == 0 or n > 400:
                continue
            unit = m.group("unit").lower()
            start, end = sentence.start() + m.start(), sentence.start() + m.end()
            if unit.startswith("session"):
                yield None, n, start, end
            elif unit.startswith("week"):
                yield n * 5, None, start, end
            else:
                yield n, None, start, end


def assess(sources: Iterable[tuple[str, str]], referrer_type: str | None, category: str) -> MissingOut | None:
    """The PMOOE mark of a school's referral whose stated absence is under 20 days / 40 sessions.

    `sources` are (part, text) pairs: the message body and attachments, or an officer's account.
    The largest count stated decides; none stated, or not a school's referral, gives None.
    """
    if referrer_type != "school" or category not in CATEGORIES:
        return None
    best: tuple[float, int | None, int | None, str, int, int, str] | None = None
    for part, text in sources:
        if part == "header" or not text:
            continue
        for days, sessions, start, end in _counts(text):
            in_days = days if days is not None else (sessions or 0) / 2
            if best is None or in_days > best[0]:
                best = (in_days, days, sessions, part, start, end, text[start:end])
    if best is None:
        return None
    in_days, days, sessions, part, start, end, words = best
    if in_days >= DAYS_LIMIT:
        return None
    return MissingOut(days=days, sessions=sessions,
                      source=Span(part, start, end, words, rule="missing_out.stated_absence"))


def describe(days: int | None, sessions: int | None) -> str:
    """The count in words: "12 school days (24 sessions)" or "15 sessions (7.5 school days)"."""
    if days is not None:
        return f"{days} school day{'s' if days != 1 else ''} ({days * 2} sessions)"
    if sessions is not None:
        half = sessions / 2
        return f"{sessions} session{'s' if sessions != 1 else ''} ({half:g} school day{'s' if half != 1 else ''})"
    return "an absence"
