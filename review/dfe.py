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
from typing import Any, Iterable

from config.settings import CaseworkSettings
from review.lifecycle import told_on
from review.pages import CATEGORY_LABELS
from review.schooldays import Term, academic_year_start, terms_between
from store.queue import CaseSummary

COLUMNS = ("case_reference", "child", "sex", "year_group", "year_group_label", "date_told", "date_last_in_education",
           "missing_from", "missing_to", "days_missing", "time_missing_band", "reason", "category", "safeguarding",
           "found", "closing_reason", "closed_on", "status_at_period_end", "sen", "referrer_type")
BANDS = ((0, "not yet missing"), (1, "under 4 weeks"), (28, "4 to under 12 weeks"),
         (84, "12 weeks to under 1 term"), (119, "1 term to under 1 year"), (365, "1 year or more"))
SEXES = {"male": "male", "female": "female", "boy": "male", "girl": "female", "m": "male", "f": "female"}
FOUND = {"yes": "yes", "no": "no", "unknown": "not known"}


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
    rows: tuple[dict[str, Any], ...]
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
    return node.get("value") if isinstance(node, dict) else node if isinstance(node, str) else None


def in_period(case: CaseSummary, period: Period) -> bool:
    if case.status not in ("accepted", "enquiries", "closed"):
        return False
    if told_on(case) > period.last:
        return False
    return not (case.status == "closed" and case.closed_on is not None and case.closed_on < period.first)


def _child_key(child: dict[str, Any]) -> tuple[str, str, str] | None:
    first, last, dob = (str(_v(child, k) or "").strip().lower() for k in ("first_name", "last_name", "date_of_birth"))
    return (first, last, dob) if first and last and dob else None


def child_rows(case: CaseSummary, period: Period, casework: CaseworkSettings) -> list[dict[str, Any]]:
    """The rows of one case: one per child (one with blanks when it names none)."""
    record, told = case.record, told_on(case)
    closed = case.status == "closed" and case.closed_on is not None and case.closed_on <= period.last
    reason = casework.closing_reason(case.closing_reason or "") if closed else None
    end = case.closed_on if closed and case.closed_on else period.last
    base = {
        "case_reference": case.reference, "date_told": told.isoformat(),
        "reason": dict(casework.cme_reasons).get(case.cme_reason or "", "not recorded"),
        "category": CATEGORY_LABELS.get(case.category, case.category),
        "safeguarding": "; ".join(s.replace("_", " ") for s in record.get("safeguarding") or ()),
        "found": FOUND.get(reason.found, "not known") if reason else "not yet",
        "closing_reason": (reason.label if reason else case.closing_reason or "") if closed else "",
        "closed_on": case.closed_on.isoformat() if closed and case.closed_on else "",
        "status_at_period_end": "closed" if closed else "open",
        "referrer_type": _v(record.get("referrer"), "type") or "",
    }
    rows = []
    children = [c for c in record.get("children") or () if isinstance(c, dict)] or [{}]
    for number, child in enumerate(children, start=1):
        dob = _iso(_v(child, "date_of_birth"))
        last_in_education = _iso(_v(child, "date_last_attended"))
        start = last_in_education if last_in_education and last_in_education <= told else told
        days = max((end - start).days, 0)
        ncy = year_group(dob, period.last) if dob else None
        rows.append({**base, "child": number, "sex": SEXES.get(str(_v(child, "gender") or "").strip().lower(), "unknown"),
                     "year_group": "" if ncy is None else ncy,
                     "year_group_label": "not known" if ncy is None else year_group_label(ncy),
                     "date_last_in_education": last_in_education.isoformat() if last_in_education else "",
                     "missing_from": start.isoformat(), "missing_to": end.isoformat(),
                     "days_missing": days, "time_missing_band": time_band(days),
                     "sen": str(_v(child, "sen") or "not known"),
                     "_key": _child_key(child)})
    return rows


def build_return(cases: Iterable[CaseSummary], period: Period, casework: CaseworkSettings) -> DfeReturn:
    """The return's rows for `period`, children on several accepted cases counted once (the earliest told)."""
    chosen = sorted((c for c in cases if in_period(c, period)), key=lambda c: (told_on(c), c.created_at, c.id))
    rows: list[dict[str, Any]] = []
    seen: set[tuple[str, str, str]] = set()
    merged: list[str] = []
    for case in chosen:
        for row in child_rows(case, period, casework):
            key = row.pop("_key")
            if key is not None and key in seen:
                merged.append(case.reference)
                continue
            if key is not None:
                seen.add(key)
            rows.append(row)
    no_reason = sum(1 for r in rows if r["reason"] == "not recorded")
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
    for row in ret.rows:
        writer.writerow([_cell(row[c]) for c in COLUMNS])
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
