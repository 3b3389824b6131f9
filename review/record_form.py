"""Officer edits of a referral record: which fields exist, how a typed value is checked and
normalised to the contract's form, and the list of changes (before/after) an edit makes.

Field paths name a leaf of the record: `referrer.name`, `children.0.date_of_birth`,
`children.1.address.postcode`, `parents_carers.0.phone`.
"""
from __future__ import annotations

import copy
import re
from dataclasses import dataclass
from datetime import date
from typing import Any, Mapping

from extraction.identifiers import normalise_email, normalise_phone, normalise_postcode, normalise_upn, upn_problem
from extraction.model import CATEGORIES, REFERRER_TYPES, RELATIONSHIPS, SAFEGUARDING

GENDERS = ("male", "female", "other")


@dataclass(frozen=True)
class FieldSpec:
    key: str  # path below its owner ("address.postcode")
    label: str
    kind: str  # text | date | choice | postcode | email | phone | upn | urn
    choices: tuple[str, ...] = ()


REFERRER_FIELDS = (
    FieldSpec("name", "Name", "text"), FieldSpec("role", "Role", "text"),
    FieldSpec("organisation", "Organisation", "text"), FieldSpec("email", "Email", "email"),
    FieldSpec("phone", "Phone", "phone"), FieldSpec("type", "Referrer type", "choice", REFERRER_TYPES),
)
CHILD_FIELDS = (
    FieldSpec("first_name", "First name", "text"), FieldSpec("last_name", "Last name", "text"),
    FieldSpec("date_of_birth", "Date of birth", "date"), FieldSpec("gender", "Sex", "choice", GENDERS),
    FieldSpec("upn", "UPN", "upn"), FieldSpec("address.line1", "Address", "text"),
    FieldSpec("address.town", "Town", "text"), FieldSpec("address.postcode", "Postcode", "postcode"),
    FieldSpec("school.name", "School", "text"), FieldSpec("school.urn", "School URN", "urn"),
    FieldSpec("date_last_attended", "Date last attended", "date"),
)
PARENT_FIELDS = (
    FieldSpec("name", "Name", "text"), FieldSpec("relationship", "Relationship", "choice", RELATIONSHIPS),
    FieldSpec("phone", "Phone", "phone"), FieldSpec("email", "Email", "email"),
)


@dataclass(frozen=True)
class Change:
    path: str
    before: Any
    after: Any


def empty_child() -> dict[str, Any]:
    return {"first_name": None, "last_name": None, "date_of_birth": None, "gender": None, "upn": None,
            "address": {"line1": None, "town": None, "postcode": None},
            "school": {"name": None, "urn": None}, "date_last_attended": None}


def empty_parent() -> dict[str, Any]:
    return {spec.key: None for spec in PARENT_FIELDS}


def field_paths(record: Mapping[str, Any]) -> list[tuple[str, FieldSpec]]:
    """Every editable leaf of the record with its spec, in form order."""
    out = [(f"referrer.{s.key}", s) for s in REFERRER_FIELDS]
    for i, _ in enumerate(record.get("children") or ()):
        out += [(f"children.{i}.{s.key}", s) for s in CHILD_FIELDS]
    for i, _ in enumerate(record.get("parents_carers") or ()):
        out += [(f"parents_carers.{i}.{s.key}", s) for s in PARENT_FIELDS]
    return out


def path_label(path: str) -> str:
    """Words for a field path: "children.0.date_of_birth" -> "Child 1: Date of birth"."""
    owner, _, rest = path.partition(".")
    specs = {"referrer": REFERRER_FIELDS, "children": CHILD_FIELDS, "parents_carers": PARENT_FIELDS}.get(owner)
    if specs is None:
        return path.replace("_", " ").capitalize()
    if owner == "referrer":
        who, key = "Referrer", rest
    else:
        index, _, key = rest.partition(".")
        who = f"{'Child' if owner == 'children' else 'Parent or carer'} {int(index) + 1 if index.isdigit() else index}"
    label = next((s.label for s in specs if s.key == key), key.replace("_", " "))
    return f"{who}: {label}"


def get_field(record: Mapping[str, Any], path: str) -> dict[str, Any] | None:
    node: Any = record
    for step in path.split("."):
        if isinstance(node, list):
            node = node[int(step)] if step.isdigit() and int(step) < len(node) else None
        elif isinstance(node, Mapping):
            node = node.get(step)
        else:
            return None
    return node if isinstance(node, dict) else None


def _set_field(record: dict[str, Any], path: str, value: dict[str, Any] | None) -> None:
    *steps, last = path.split(".")
    node: Any = record
    for step in steps:
        if isinstance(node, list):
            node = node[int(step)]
        else:
            if not isinstance(node.get(step), (dict, list)):
                node[step] = {}
            node = node[step]
    node[last] = value


def normalise(spec: FieldSpec, typed: str) -> str:
    """The contract's form of a typed value; ValueError with a message the officer reads."""
    value = " ".join(typed.split())
    if spec.kind == "date":
        return parse_date(value).isoformat()
    if spec.kind == "choice":
        if value.lower() not in spec.choices:
            raise ValueError(f"choose one of: {', '.join(spec.choices)}")
        return value.lower()
    if spec.kind == "postcode":
        return _checked(normalise_postcode(value), "enter a UK postcode, like SO23 8UJ")
    if spec.kind == "email":
        return _checked(normalise_email(value), "enter an email address, like name@example.org")
    if spec.kind == "phone":
        return _checked(normalise_phone(value), "enter a UK phone number, like 01632 960123")
    if spec.kind == "upn":
        return _checked(normalise_upn(value),
                        upn_problem(value) or "a UPN is 13 characters: a letter, 11 digits, then a digit or letter")
    if spec.kind == "urn":
        if not re.fullmatch(r"[0-9]{6}", value):
            raise ValueError("a URN is 6 digits")
        return value
    if len(value) > 200:
        raise ValueError("at most 200 characters")
    return value


def _checked(value: str | None, message: str) -> str:
    if value is None:
        raise ValueError(message)
    return value


def parse_date(value: str) -> date:
    """ISO `YYYY-MM-DD` or UK day-first `D/M/YYYY` (also with dashes or dots)."""
    m = re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})", value)
    if m:
        y, mo, d = (int(g) for g in m.groups())
    else:
        m = re.fullmatch(r"(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})", value)
        if not m:
            raise ValueError("enter a date like 23/04/2016")
        d, mo, y = (int(g) for g in m.groups())
    try:
        parsed = date(y, mo, d)
    except ValueError:
        raise ValueError("that date does not exist") from None
    if not 1990 <= parsed.year <= 2100:
        raise ValueError("enter a real date")
    return parsed


def apply_edits(record: dict[str, Any], form: Mapping[str, str]) -> tuple[dict[str, Any], list[Change], dict[str, str]]:
    """The edited record, the changes made and errors by path. Unchanged fields keep their source and confidence."""
    new = copy.deepcopy(record)
    changes: list[Change] = []
    errors: dict[str, str] = {}
    for path, spec in field_paths(record):
        if path not in form:
            continue
        old = get_field(record, path)
        before = old.get("value") if old else None
        typed = str(form[path]).strip()
        if not typed:
            after = None
        else:
            try:
                after = normalise(spec, typed)
            except ValueError as exc:
                errors[path] = str(exc)
                continue
        if after == before:
            continue
        source = (old or {}).get("source") or {"part": "derived", "start": None, "end": None, "text": None}
        _set_field(new, path, None if after is None else {"value": after, "confidence": 1.0, "source": source})
        changes.append(Change(path, before, after))
    _case_flags(record, new, form, changes, errors)
    return new, changes, errors


def _case_flags(record: dict[str, Any], new: dict[str, Any], form: Mapping[str, Any],
                changes: list[Change], errors: dict[str, str]) -> None:
    if "category" in form:
        category = str(form["category"])
        if category not in CATEGORIES:
            errors["category"] = "choose a category"
        elif category != record.get("category"):
            new["category"] = category
            changes.append(Change("category", record.get("category"), category))
    if "flags_present" in form:
        urgent = "urgent" in form
        if urgent != bool(record.get("urgent")):
            new["urgent"] = urgent
            changes.append(Change("urgent", bool(record.get("urgent")), urgent))
        chosen = [s for s in SAFEGUARDING if s in set(form.getlist("safeguarding") if hasattr(form, "getlist") else ())]
        if chosen != list(record.get("safeguarding") or []):
            new["safeguarding"] = chosen
            changes.append(Change("safeguarding", list(record.get("safeguarding") or []), chosen))
