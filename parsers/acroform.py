"""Filled AcroForm fields of a PDF: their labels, values and places, in reading order.

A label is the field's tooltip (TU), else its own name (T). When a label repeats ("Surname" for two
children) the group is told from the field's full name (the T chain: "child2.surname", "c2_surname",
"form1[0].Pupil2[0].Surname[0]") or from a heading such as "Child 2" above the field on its page, and
the label becomes "Child 2 - Surname"; with a number but no group word, "Surname (2)"; with neither the
label stays as it is (a parent's and a referrer's "Telephone" are told apart by the form's sections).
"""
from __future__ import annotations

import re
from dataclasses import dataclass

import pdfplumber
from pdfplumber.utils.pdfinternals import resolve, resolve_and_decode

from parsers.pairs import clean_label

MAX_FIELDS = 2000
HEADING_REACH = 200  # points: a "Child 2" heading groups the fields this far below it
HEADING_PATTERN = (r"(?i)\b(child|pupil|student|young person|sibling|parent|carer|guardian|adult|contact)"
                   r"\s*(?:no\.?\s*)?(\d{1,2})\b")
_NOUNS = {"child": "Child", "pupil": "Pupil", "student": "Student", "young person": "Young person",
          "sibling": "Sibling", "parent": "Parent", "carer": "Carer", "guardian": "Guardian", "adult": "Adult",
          "contact": "Contact", "c": "Child", "ch": "Child", "chd": "Child", "kid": "Child", "sib": "Sibling",
          "par": "Parent", "pc": "Parent/carer", "yp": "Young person"}
_GENERIC = re.compile(r"(?i)^(?:text|text ?field|field|fill|check ?box|dropdown|drop ?down|combo ?box|list ?box|"
                      r"radio ?button|box|group|untitled|page|form|subform|topmostsubform|row|cell|line|item)$")
_TOKEN = re.compile(r"([A-Za-z]+(?: person)?)?[ _.-]?(\d{1,2})(?![0-9])")


@dataclass
class FormField:
    name: str  # the full name: the T chain joined by "."
    label: str
    value: str
    page: int | None = None  # 0-based
    top: float | None = None  # points from the top of the page
    left: float | None = None


def _field_value(field: dict) -> str | None:
    value = resolve(field.get("V"))
    if value is None:
        return None
    name = getattr(value, "name", None)
    if name is not None:  # a PDF name: checkbox or radio state
        name = name.decode("latin-1") if isinstance(name, bytes) else str(name)
        if name == "Off":
            return "No"
        return "Yes" if name in ("Yes", "On", "1", "True", "true") else name
    if isinstance(value, list):
        return ", ".join(str(resolve_and_decode(v)) for v in value)
    decoded = resolve_and_decode(value)
    text = decoded.decode("latin-1") if isinstance(decoded, bytes) else str(decoded)
    return " ".join(text.split()) or None


def _text(value: object) -> str:
    return " ".join(str(resolve_and_decode(value) or "").split()) if value is not None else ""


def _place(field: dict, ref: object, pages: dict[int, tuple[int, float]], widgets: dict[int, int]) -> tuple[int | None, float | None, float | None]:
    """(page, top, left) of a field: its own widget or its first widget kid."""
    candidates = [(field, ref)]
    kids = resolve(field.get("Kids"))
    if isinstance(kids, list):
        candidates += [(resolve(k), k) for k in kids[:20]]
    for widget, wref in candidates:
        if not isinstance(widget, dict) or "Rect" not in widget:
            continue
        page = widgets.get(getattr(wref, "objid", -1))
        if page is None:
            page = pages.get(getattr(widget.get("P"), "objid", -1), (None, 0.0))[0]
        try:
            x0, y0, x1, y1 = (float(resolve(v)) for v in resolve(widget["Rect"])[:4])
        except (TypeError, ValueError):
            continue
        height = next((h for i, h in pages.values() if i == page), 842.0)
        return page, height - max(y0, y1), min(x0, x1)
    return None, None, None


def read_fields(pdf: pdfplumber.PDF) -> list[FormField]:
    """Every filled field, in reading order (page, top to bottom, left to right; unplaced ones last)."""
    try:
        form = resolve(pdf.doc.catalog.get("AcroForm"))
        roots = resolve(form.get("Fields")) if isinstance(form, dict) else None
    except Exception:  # noqa: BLE001
        return []
    pages: dict[int, tuple[int, float]] = {}
    widgets: dict[int, int] = {}
    for index, page in enumerate(pdf.pages):
        try:
            pages[page.page_obj.pageid] = (index, float(page.height))
            annots = resolve(page.page_obj.annots) or []
            for ref in annots if isinstance(annots, list) else []:
                widgets[getattr(ref, "objid", -1)] = index
        except Exception:  # noqa: BLE001
            continue
    out: list[FormField] = []
    stack = [(f, "", "") for f in reversed(roots if isinstance(roots, list) else [])]
    seen = 0
    while stack and seen < MAX_FIELDS:
        ref, parent_name, parent_label = stack.pop()
        seen += 1
        try:
            field = resolve(ref)
            if not isinstance(field, dict):
                continue
            own = _text(field.get("T"))
            name = ".".join(n for n in (parent_name, own) if n)
            label = _text(field.get("TU")) or own or parent_label
            kids = resolve(field.get("Kids"))
            if "V" in field:
                value = _field_value(field)
                if value and label:
                    out.append(FormField(name, clean_label(label) or label, value, *_place(field, ref, pages, widgets)))
            elif isinstance(kids, list):
                stack.extend((k, name, label) for k in reversed(kids))
        except Exception:  # noqa: BLE001 - one bad field does not lose the others
            continue
    placed = [f for f in out if f.page is not None]
    placed.sort(key=lambda f: (f.page, f.top))
    rows: list[list[FormField]] = []
    for f in placed:  # a row: fields whose tops lie within 4 points of the row's first
        if rows and rows[-1][0].page == f.page and f.top - rows[-1][0].top <= 4:
            rows[-1].append(f)
        else:
            rows.append([f])
    ordered = [f for row in rows for f in sorted(row, key=lambda f: f.left)]
    return ordered + [f for f in out if f.page is None]


def repeated(fields: list[FormField]) -> bool:
    """Whether any label occurs more than once (headings are then worth finding)."""
    keys = [f.label.casefold() for f in fields]
    return len(set(keys)) < len(keys)


def _name_group(name: str) -> tuple[str | None, int] | None:
    """(group word or None, number) a field's full name carries, e.g. "child2.surname" -> ("Child", 2)."""
    name = re.sub(r"\[\d+\]", "", name)
    found: list[tuple[str | None, int]] = []
    for segment in re.split(r"[./]", name):
        for m in _TOKEN.finditer(segment):
            word = (m.group(1) or "").lower().strip()
            if word and _GENERIC.match(word):
                continue
            found.append((_NOUNS.get(word), int(m.group(2))))
    return next((g for g in found if g[0]), found[-1] if found else None)


def _heading_group(field: FormField, headings: list[tuple[int, float, float, str, int]]) -> tuple[str, int] | None:
    """The nearest "Child 2"-like heading above the field on its page (left of or over it)."""
    best = None
    for page, top, left, word, number in headings:
        if page != field.page or field.top is None or top > field.top + 2 or field.top - top > HEADING_REACH:
            continue
        across = max(0.0, left - (field.left or 0.0) - 40)
        score = (field.top - top) + 3 * across
        if best is None or score < best[0]:
            best = (score, word, number)
    return (best[1], best[2]) if best else None


def grouped_labels(fields: list[FormField], headings: list[tuple[int, float, float, str, int]]) -> list[tuple[str, str]]:
    """(label, value) of every field, a repeated label carrying its group ("Child 2 - Surname").

    `headings` are (page, top, left, group word, number) of "Child 2"-like text on the pages."""
    counts: dict[str, int] = {}
    for f in fields:
        counts[f.label.casefold()] = counts.get(f.label.casefold(), 0) + 1
    out: list[tuple[str, str]] = []
    for f in fields:
        key = f.label.casefold()
        if counts[key] < 2:
            out.append((f.label, f.value))
            continue
        group = _name_group(f.name)
        if group is None or group[0] is None:
            near = _heading_group(f, headings)
            if near and (group is None or group[1] == near[1]):
                group = near
        if group and group[0]:
            out.append((f"{_NOUNS.get(group[0].lower(), group[0])} {group[1]} - {f.label}", f.value))
        elif group:
            out.append((f"{f.label} ({group[1]})", f.value))
        else:  # nothing tells the group (a parent's and a referrer's "Telephone"): the sections around it will
            out.append((f.label, f.value))
    return out


def page_headings(page: pdfplumber.page.Page, index: int) -> list[tuple[int, float, float, str, int]]:
    """"Child 2", "Parent/carer 1"-like text on a page: (page, top, left, group word, number)."""
    try:
        matches = page.search(HEADING_PATTERN, regex=True, return_chars=False)[:100]
    except Exception:  # noqa: BLE001 - no headings; the page's own text is read apart
        return []
    out = []
    for m in matches:
        found = re.search(HEADING_PATTERN, m["text"])
        if found:
            out.append((index, float(m["top"]), float(m["x0"]), found.group(1).lower(), int(found.group(2))))
    return out
