"""Dates in UK text and compulsory school age.

Owns: finding written dates (day-first numeric, ISO, ordinal and month names, in words),
inferring a missing year from the reference date (always the past), age mentions
(reported, never turned into a date), and the compulsory school age / year group rules of
domain.md (s8 Education Act 1996).
"""
from __future__ import annotations

import re
from calendar import monthrange
from datetime import date, timedelta
from typing import Literal

MONTHS: dict[str, int] = {
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4, "apr": 4,
    "may": 5, "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8,
    "september": 9, "sept": 9, "sep": 9, "october": 10, "oct": 10, "november": 11, "nov": 11,
    "december": 12, "dec": 12,
}
_ORDINAL_WORDS: dict[str, int] = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7,
    "eighth": 8, "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12, "thirteenth": 13,
    "fourteenth": 14, "fifteenth": 15, "sixteenth": 16, "seventeenth": 17, "eighteenth": 18,
    "nineteenth": 19, "twentieth": 20, "thirtieth": 30,
}
for _unit, _n in list(_ORDINAL_WORDS.items())[:9]:
    _ORDINAL_WORDS[f"twenty {_unit}"] = 20 + _n
    _ORDINAL_WORDS[f"twenty-{_unit}"] = 20 + _n
_ORDINAL_WORDS["thirty first"] = _ORDINAL_WORDS["thirty-first"] = 31

_ONE_WEEKDAY = r"(?P<wd>mon|tues?|wed(?:nes)?|thu(?:rs?)?|fri|sat(?:ur)?|sun)(?:day)?\.?,?\s+"  # a weekday written
_WEEKDAY = r"(?:" + _ONE_WEEKDAY + r")?"  # ... or none
# a date in figures, day first ("12/06/2011", "12.6.11"), as other readers look for it beside other words
NUMERIC_DATE = r"\d{1,2}[/.]\d{1,2}[/.]\d{2,4}"
_MONTH = r"(?P<mon>" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
_WEEKDAY_THE = _WEEKDAY[:-2] + r"(?:the\s+)?)?"  # "Thursday the 8th of October"
_WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_DAYWORD = r"(?P<dword>" + "|".join(sorted((re.escape(w) for w in _ORDINAL_WORDS), key=len, reverse=True)) + r")"
_YEAR = r"(?P<year>\d{4}|'?\d{2})"

_PATTERNS: tuple[re.Pattern[str], ...] = (
    # ISO 2015-04-03
    re.compile(r"(?<![\d/.\-])(?P<year>(?:19|20)\d{2})(?P<sep>[\-/.])(?P<mnum>\d{1,2})(?P=sep)(?P<day>\d{1,2})(?![\d\-/]|\.\d)"),
    # day-first numeric 3/7/26, 04-09-2016, 4.9.2016 (same separator both times)
    re.compile(r"(?<![\d/.\-])(?P<day>\d{1,2})(?P<sep>[/.\-])(?P<mnum>\d{1,2})(?P=sep)"
               r"(?P<year>\d{4}|\d{2})(?![\d/\-]|\.\d)"),
    # (Tuesday) 3rd (of) April (2015), 03-Apr-2015, 3 Apr 15
    re.compile(r"(?i)\b" + _WEEKDAY_THE + r"(?P<day>\d{1,2})(?:st|nd|rd|th)?(?:\s+of)?[\s\-]+" + _MONTH
               + r"(?:,?[\s\-]+(?:of\s+|de\s+)?" + _YEAR + r")?(?![\w/])"),  # "the 14 of February of 2016"
    # (Tuesday) April 3rd(,) (2015)
    re.compile(r"(?i)\b" + _WEEKDAY + _MONTH + r"\s+(?P<day>\d{1,2})(?:st|nd|rd|th)?(?!\d|:)"
               r"(?:,?\s+(?P<year>\d{4}))?\b"),
    # the twelfth of January 2016
    re.compile(r"(?i)\b" + _WEEKDAY + r"(?:the\s+)?" + _DAYWORD + r"(?:\s+of)?\s+" + _MONTH
               + r"(?:,?\s+(?:of\s+)?" + _YEAR + r")?(?![\w/])"),
    # a weekday with a day and month and no year: "Fri 23/10"
    re.compile(r"(?i)\b" + _ONE_WEEKDAY + r"(?P<day>\d{1,2})/(?P<mnum>\d{1,2})(?![\d/])"),
    # a weekday with the day of the month only: "his last day in was Fri 13th", "since Wednesday 18th"
    re.compile(r"(?i)\b" + _ONE_WEEKDAY + r"(?:the\s+)?(?P<day>\d{1,2})(?:st|nd|rd|th)\b(?![\s\-]+(?:of\s+)?[a-z]{3})"),
)

_AGE = re.compile(
    r"(?i)\b(?:aged?\s*(?:about\s+|around\s+)?(?P<a1>\d{1,2})|(?P<a2>\d{1,2})\s*(?:-|\s)?"
    r"(?:years?|yrs?|y/?o)(?:[\s\-]*old)?)\b"
)


def _year(raw: str, reference: date) -> int:
    raw = raw.lstrip("'")
    if len(raw) == 4:
        return int(raw)
    yy = int(raw)
    pivot = reference.year % 100 + 1  # 2-digit years up to next year are this century
    return 2000 + yy if yy <= pivot else 1900 + yy


def _recent_weekday(day: int, weekday: int, reference: date) -> date | None:
    """"Fri 13th": the latest day of that number falling on that weekday in the two months up to `reference`."""
    d = reference
    while (reference - d).days <= 62:
        if d.day == day and d.weekday() == weekday:
            return d
        d -= timedelta(days=1)
    return None


def _build(day: int, month: int, year: int | None, reference: date, weekday: int | None = None) -> date | None:
    if year is None and weekday is not None:
        # "Friday 23 October": this year's or last year's, whichever fell on that weekday
        for y in (reference.year, reference.year - 1):
            if 1 <= month <= 12 and 1 <= day <= monthrange(y, month)[1]:
                d = date(y, month, day)
                if d <= reference and d.weekday() == weekday:
                    return d
    if year is None:
        # no year written: the most recent such date on or before the reference date
        for y in (reference.year, reference.year - 1):
            if 1 <= month <= 12 and 1 <= day <= monthrange(y, month)[1]:
                d = date(y, month, day)
                if d <= reference:
                    return d
        return None
    if not (1 <= month <= 12 and 1900 <= year <= 2100):
        return None
    if not 1 <= day <= monthrange(year, month)[1]:
        return None
    return date(year, month, day)


def find_dates(text: str, reference: date) -> list[tuple[date, int, int]]:
    """Every date written in `text`, as (date, start, end), in text order, spans not overlapping.

    UK day-first; a missing year is taken as the latest such date not after `reference`.
    Ages ("aged 9") never give a date.
    """
    found: list[tuple[date, int, int]] = []
    taken: list[tuple[int, int]] = []
    for pattern in _PATTERNS:
        for m in pattern.finditer(text):
            s, e = m.span()
            if any(s < te and ts < e for ts, te in taken):
                continue
            g = m.groupdict()
            if g.get("dword"):
                day = _ORDINAL_WORDS[re.sub(r"\s+", " ", g["dword"].lower())]
            else:
                day = int(g["day"])
            weekday = _WEEKDAYS.index(g["wd"][:3].lower()) if g.get("wd") else None
            if not g.get("mnum") and not g.get("mon"):
                d = _recent_weekday(day, weekday, reference) if weekday is not None else None
            else:
                month = int(g["mnum"]) if g.get("mnum") else MONTHS[g["mon"].lower()]
                year = _year(g["year"], reference) if g.get("year") else None
                if g.get("mon") == "may" and not g.get("year"):
                    continue  # "she may 3..." is a verb; a lower-case May needs a year to be a date
                d = _build(day, month, year, reference, weekday)
            if d is None:
                continue
            found.append((d, s, e))
            taken.append((s, e))
    found.sort(key=lambda t: t[1])
    return found


def parse_date(text: str, reference: date) -> date | None:
    """The one date `text` holds (e.g. a form value), or None when it holds none or several different."""
    dates = {d for d, _, _ in find_dates(text, reference)}
    return dates.pop() if len(dates) == 1 else None


def find_ages(text: str) -> list[tuple[int, int, int]]:
    """Ages written in `text` ("aged 9", "9 years old", "9yo") as (years, start, end)."""
    out = []
    for m in _AGE.finditer(text):
        n = int(m.group("a1") or m.group("a2"))
        if n <= 25:
            out.append((n, m.start(), m.end()))
    return out


def _last_friday_of_june(year: int) -> date:
    d = date(year, 6, 30)
    return d - timedelta(days=(d.weekday() - 4) % 7)


def _birthday(dob: date, years: int) -> date:
    try:
        return dob.replace(year=dob.year + years)
    except ValueError:  # 29 February
        return date(dob.year + years, 3, 1)


def csa_start(dob: date) -> date:
    """First prescribed day (31 Mar, 31 Aug, 31 Dec) on or after the 5th birthday."""
    fifth = _birthday(dob, 5)
    for m, d in ((3, 31), (8, 31), (12, 31)):
        day = date(fifth.year, m, d)
        if day >= fifth:
            return day
    raise AssertionError("unreachable")


def csa_end(dob: date) -> date:
    """The last Friday of June of the school year in which the child turns 16."""
    return _last_friday_of_june(dob.year + 16 + (1 if dob.month >= 9 else 0))


def in_compulsory_school_age(dob: date, on: date) -> bool | Literal["below", "above"]:
    """True when of compulsory school age on `on`; "below" before it starts, "above" after it ends."""
    if on < csa_start(dob):
        return "below"
    if on > csa_end(dob):
        return "above"
    return True


def year_group(dob: date, on: date) -> int:
    """National curriculum year on `on`: 0 = Reception, 1..11; negative pre-school, 12+ post-16."""
    start = on.year if on.month >= 9 else on.year - 1
    return start - dob.year - 4 - (1 if dob.month >= 9 else 0)
