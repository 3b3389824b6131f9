"""What the DfE's termly CME return needs, per child: sex, national curriculum year group from the
date of birth at the referral date, time missing education from the date last attended, reason.

No names or dates of birth leave in the export: the case reference finds the child on the screen.
"""
from __future__ import annotations

import csv
import io
from datetime import date
from typing import Any, Iterable

from review.pages import CATEGORY_LABELS, LONDON, STATUS_LABELS
from store.queue import CaseSummary

COLUMNS = ("case_reference", "received", "category", "outcome", "urgent", "safeguarding", "reason",
           "sex", "year_group", "year_group_label", "date_last_attended", "days_missing_at_referral",
           "days_missing_at_period_end", "time_missing_band", "referrer_type")
BANDS = ((0, "not yet missing"), (1, "under 4 weeks"), (28, "4 to under 12 weeks"),
         (84, "12 weeks to under 1 term"), (119, "1 term to under 1 year"), (365, "1 year or more"))


def year_group(dob: date, on: date) -> int:
    """National curriculum year: 0 Reception, 1..11 Years 1-11, negative pre-school, 12+ post-16."""
    start = on.year if on.month >= 9 else on.year - 1
    return start - dob.year - 4 - (1 if dob.month >= 9 else 0)


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
    return node.get("value") if isinstance(node, dict) else None


def child_rows(case: CaseSummary, period_end: date) -> list[dict[str, Any]]:
    """One row per child of a case (one row with blanks when it names none)."""
    record = case.record
    referred = _iso((record.get("source") or {}).get("date")) or case.created_at.date()
    base = {
        "case_reference": case.reference, "received": case.created_at.astimezone(LONDON).date().isoformat(),
        "category": CATEGORY_LABELS.get(case.category, case.category),
        "outcome": STATUS_LABELS.get(case.status, case.status), "urgent": "yes" if case.urgent else "no",
        "safeguarding": "; ".join(record.get("safeguarding") or ()),
        "reason": "; ".join([CATEGORY_LABELS.get(case.category, case.category),
                             *(s.replace("_", " ") for s in record.get("safeguarding") or ())]),
        "referrer_type": _v(record.get("referrer"), "type") or "",
    }
    rows = []
    for child in record.get("children") or [{}]:
        dob = _iso(_v(child, "date_of_birth"))
        last = _iso(_v(child, "date_last_attended"))
        ncy = year_group(dob, referred) if dob else None
        at_referral = (referred - last).days if last else None
        at_end = (period_end - last).days if last else None
        rows.append({**base, "sex": _v(child, "gender") or "unknown",
                     "year_group": "" if ncy is None else ncy,
                     "year_group_label": "" if ncy is None else year_group_label(ncy),
                     "date_last_attended": last.isoformat() if last else "",
                     "days_missing_at_referral": "" if at_referral is None else max(at_referral, 0),
                     "days_missing_at_period_end": "" if at_end is None else max(at_end, 0),
                     "time_missing_band": time_band(None if at_end is None else max(at_end, 0))})
    return rows


def _cell(value: Any) -> str:
    """A CSV cell a spreadsheet will not run as a formula."""
    text = str(value)
    if text.lstrip("-").isdigit():
        return text
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def export_csv(cases: Iterable[CaseSummary], period_end: date) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for case in cases:
        for row in child_rows(case, period_end):
            writer.writerow([_cell(row[c]) for c in COLUMNS])
    return out.getvalue()
