"""The DfE's termly CME return: one row per child on a CME case in the period.

A CME case is one an officer accepted (open, making enquiries or closed): never a case still
waiting for review, a duplicate, automatic mail, a forward, an update or "not CME". A child is in
a period when the council was told of them (the mail's Date header) on or before its last day and
their case was not closed before its first day; the same child on two accepted cases (same first
name, last name and date of birth) is one row, the earliest. Periods snap to whole terms
(review.schooldays). Per child: sex, year group in the period's school year (1 September
cut-off), the date the council was told, time missing education (from the date last in education
when known, else the date told, to the closing date or the period's end) as days and a band,
the reason and category, whether found, the closing reason and date, SEN where the record has it.

No names or dates of birth leave in the return: the case reference finds the child on the screen.
"""
from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date
from typing import Any, Iterable, NamedTuple

from config.settings import CaseworkSettings, ClosingReason
from review.lifecycle import day_told
from review.pages import CATEGORY_LABELS
from review.schooldays import Term, academic_year_start, terms_between
from store.casework import ReturnCase
from store.queue import CaseSummary

BANDS = ((0, "not yet missing"), (1, "under 4 weeks"), (28, "4 to under 12 weeks"),
         (84, "12 weeks to under 1 term"), (119, "1 term to under 1 year"), (365, "1 year or more"))
SEXES = {"male": "male", "female": "female", "boy": "male", "girl": "female", "m": "male", "f": "female"}
FOUND = {"yes": "yes", "no": "no", "unknown": "not known"}


class ReturnRow(NamedTuple):
    """One child's row, in the CSV's column order (a plain tuple: a term's return has thousands)."""

    case_reference: str
    child: int
    sex: str
    year_group: int | str  # "" when the date of birth is not known
    year_group_label: str
    date_told: str
    date_last_in_education: str
    missing_from: str
    missing_to: str
    days_missing: int
    time_missing_band: str
    reason: str
    category: str
    safeguarding: str
    found: str
    closing_reason: str
    closed_on: str
    status_at_period_end: str
    sen: str
    referrer_type: Any


COLUMNS = ReturnRow._fields
# the columns whose text comes from a record or the settings: the only ones a spreadsheet could run as a formula
# (the others are dates, numbers and the return's own words)
FREE_TEXT = tuple(COLUMNS.index(c) for c in ("case_reference", "reason", "category", "safeguarding", "closing_reason",
                                             "sen", "referrer_type"))


@dataclass(frozen=True)
class Period:
    first: date
    last: date
    terms: tuple[Term, ...]

    @property
    def label(self) -> str:
        names = [t.label for t in self.terms]
        return names[0] if len(names) == 1 else f"{names[0]} to {names[-1]}"


@dataclass(frozen=True)
class DfeReturn:
    period: Period
    rows: tuple[ReturnRow, ...]
    merged: tuple[str, ...]  # references whose child was already counted on an earlier case
    no_reason: int  # rows whose case has no recorded reason for missing education


def snap(first: date, last: date) -> Period:
    """The whole terms from the one holding `first` to the one holding `last`."""
    terms = tuple(terms_between(first, last))
    return Period(terms[0].first, terms[-1].last, terms)


def year_group(dob: date, on: date) -> int:
    """National curriculum year in the school year holding `on`: 0 Reception, 1..11, negative pre-school, 12+ post-16."""
    return academic_year_start(on) - dob.year - 4 - (1 if dob.month >= 9 else 0)


def year_group_label(ncy: int) -> str:
    if ncy < 0:
        return "Pre-school"
    if ncy == 0:
        return "Reception"
    if ncy <= 11:
        return f"Year {ncy}"
    if ncy <= 13:
        return f"Year {ncy} (post-16)"
    return "Over school age"


def time_band(days: int | None) -> str:
    if days is None:
        return "not known"
    label = BANDS[0][1]
    for low, name in BANDS:
        if days >= low:
            label = name
    return label


def _iso(value: Any) -> date | None:
    try:
        return date.fromisoformat(str(value)[:10]) if value else None
    except ValueError:
        return None


def _v(node: Any, *path: str) -> Any:
    for step in path:
        node = node.get(step) if isinstance(node, dict) else None
    return _value(node)


def _value(node: Any) -> Any:
    """A field's value: {"value": ...} as the contract writes it, or a bare string."""
    return node.get("value") if isinstance(node, dict) else node if isinstance(node, str) else None


def _source_date(record: dict[str, Any]) -> Any:
    return (record.get("source") or {}).get("date")


def _in_period(case: CaseSummary | ReturnCase, told: date, period: Period) -> bool:
    """Whether the case counts in the period, the council told of it on `told`."""
    if case.status not in ("accepted", "enquiries", "closed"):
        return False
    if told > period.last:
        return False
    return not (case.status == "closed" and case.closed_on is not None and case.closed_on < period.first)


def _words(casework: CaseworkSettings) -> tuple[dict[str, str], dict[str, ClosingReason]]:
    """The reasons for missing education and the closing reasons by id (the first of an id, as the settings
    read them)."""
    closings: dict[str, ClosingReason] = {}
    for closing in casework.closing_reasons:
        closings.setdefault(closing.id, closing)
    return dict(casework.cme_reasons), closings


def _case_rows(case: CaseSummary | ReturnCase, told: date, period: Period, reasons: dict[str, str],
               closings: dict[str, ClosingReason]) -> list[tuple[ReturnRow, tuple[str, str, str] | None]]:
    """The rows of one case, each with its child's key: one per child (one with blanks when it names none)."""
    record = case.record
    closed = case.status == "closed" and case.closed_on is not None and case.closed_on <= period.last
    reason = closings.get(case.closing_reason or "") if closed else None
    end = case.closed_on if closed and case.closed_on else period.last
    reference, told_text = case.reference, told.isoformat()
    why = reasons.get(case.cme_reason or "", "not recorded")
    category = CATEGORY_LABELS.get(case.category, case.category)
    safeguarding = "; ".join(s.replace("_", " ") for s in record.get("safeguarding") or ())
    found = FOUND.get(reason.found, "not known") if reason else "not yet"
    closing = (reason.label if reason else case.closing_reason or "") if closed else ""
    closed_on = case.closed_on.isoformat() if closed and case.closed_on else ""
    status = "closed" if closed else "open"
    referrer = _v(record.get("referrer"), "type") or ""
    end_text = end.isoformat()
    rows = []
    children = [c for c in record.get("children") or () if isinstance(c, dict)] or [{}]
    for number, child in enumerate(children, start=1):
        get = child.get
        born = _value(get("date_of_birth"))
        dob = _iso(born)
        last_in_education = _iso(_value(get("date_last_attended")))
        start = last_in_education if last_in_education and last_in_education <= told else told
        days = max((end - start).days, 0)
        ncy = year_group(dob, period.last) if dob else None
        key = None  # the child's names and date of birth, when it has all three: the same child on two cases
        born = str(born or "").strip().lower()
        if born:
            first = str(_value(get("first_name")) or "").strip().lower()
            last = str(_value(get("last_name")) or "").strip().lower()
            key = (first, last, born) if first and last else None
        rows.append((ReturnRow(
            reference, number, SEXES.get(str(_value(get("gender")) or "").strip().lower(), "unknown"),
            "" if ncy is None else ncy, "not known" if ncy is None else year_group_label(ncy), told_text,
            last_in_education.isoformat() if last_in_education else "", start.isoformat(), end_text, days,
            time_band(days), why, category, safeguarding, found, closing, closed_on, status,
            str(_value(get("sen")) or "not known"), referrer), key))
    return rows


def build_return(cases: Iterable[CaseSummary | ReturnCase], period: Period, casework: CaseworkSettings) -> DfeReturn:
    """The return's rows for `period`, children on several accepted cases counted once (the earliest told).

    Each case's rows are made as it is read, and its record let go: a term's thousands of records are never
    all held at once (holding them kept Python's garbage collector busy for a third of the time)."""
    reasons, closings = _words(casework)
    chosen = []
    for case in cases:
        told = day_told(case.created_at, _source_date(case.record))
        if _in_period(case, told, period):
            chosen.append((told, case.created_at, case.id, case.reference,
                           tuple(_case_rows(case, told, period, reasons, closings))))
    chosen.sort(key=lambda c: c[:3])
    rows: list[ReturnRow] = []
    seen: set[tuple[str, str, str]] = set()
    merged: list[str] = []
    no_reason = 0
    for _, _, _, reference, case_rows in chosen:
        for row, key in case_rows:
            if key is not None:
                if key in seen:
                    merged.append(reference)
                    continue
                seen.add(key)
            rows.append(row)
            no_reason += row.reason == "not recorded"
    return DfeReturn(period, tuple(rows), tuple(dict.fromkeys(merged)), no_reason)


def _cell(value: Any) -> str:
    """A CSV cell a spreadsheet will not run as a formula."""
    text = str(value)
    if text.lstrip("-").isdigit():
        return text
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def export_csv(ret: DfeReturn) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    cells: dict[str, str] = {}  # each distinct free text made safe once (most repeat: reasons, categories, SEN)
    for row in ret.rows:
        line = list(row)
        for i in FREE_TEXT:
            text = line[i] if type(line[i]) is str else str(line[i])
            safe = cells.get(text)
            if safe is None:
                safe = cells[text] = _cell(text)
            line[i] = safe
        writer.writerow(line)
    return out.getvalue()


def summary(ret: DfeReturn, waiting: int) -> str:
    """One line on what the return holds and what it leaves out."""
    words = [f"DfE CME return, {ret.period.label} ({ret.period.first.isoformat()} to {ret.period.last.isoformat()}): "
             f"{len(ret.rows)} {'child' if len(ret.rows) == 1 else 'children'}"]
    if ret.merged:
        words.append(f"{len(ret.merged)} case(s) name a child already counted ({', '.join(ret.merged)})")
    if ret.no_reason:
        words.append(f"{ret.no_reason} with no reason for missing education recorded")
    if waiting:
        words.append(f"{waiting} CME referral(s) of the period still waiting for review are not counted")
    return "; ".join(words)
