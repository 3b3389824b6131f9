"""School days and school terms: counting the days a first enquiry is due in, and the terms a
DfE return covers. Pure functions of dates and the configured holidays; no clock.

Terms, as the DfE return reads them (domain.md: autumn September to December, spring January to
March or April, summer April to July): autumn 1 September - 31 December, spring 1 January -
31 March, summer 1 April - 31 August (the summer holiday belongs to the summer term).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Sequence

Holidays = Sequence[tuple[date, date]]


@dataclass(frozen=True)
class Term:
    name: str  # autumn | spring | summer
    first: date
    last: date

    @property
    def label(self) -> str:
        start = self.first.year if self.name == "autumn" else self.first.year - 1
        return f"{self.name} term {start}/{str(start + 1)[-2:]}"


def is_school_day(day: date, holidays: Holidays = ()) -> bool:
    return day.weekday() < 5 and not any(first <= day <= last for first, last in holidays)


def add_school_days(start: date, days: int, holidays: Holidays = ()) -> date:
    """The `days`-th school day after `start` (`start` itself not counted)."""
    day, left = start, days
    while left > 0:
        day += timedelta(days=1)
        if is_school_day(day, holidays):
            left -= 1
    return day


def term_of(day: date) -> Term:
    if day.month >= 9:
        return Term("autumn", date(day.year, 9, 1), date(day.year, 12, 31))
    if day.month <= 3:
        return Term("spring", date(day.year, 1, 1), date(day.year, 3, 31))
    return Term("summer", date(day.year, 4, 1), date(day.year, 8, 31))


def terms_between(first: date, last: date) -> list[Term]:
    """The terms from the one holding `first` to the one holding `last`."""
    terms = [term_of(first)]
    while terms[-1].last < last:
        terms.append(term_of(terms[-1].last + timedelta(days=1)))
    return terms


def academic_year_start(day: date) -> int:
    """The calendar year the school year holding `day` began in (1 September cut-off)."""
    return day.year if day.month >= 9 else day.year - 1
