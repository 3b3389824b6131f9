"""The organisation and role a referrer signs with, tidied to what the record holds.

"Dunmere 0-19 Team, Brackenford Health NHS Trust" -> the trust (a team before the body it belongs to);
"Ottoline Academy (Corvin Learning Trust)" -> the academy; "Cyngor Sir X / X County Council" -> the
last of the names written side by side; a role "Neighbourhood Team, Dunmere" loses the town after it;
a role that only repeats the organisation is no role.
"""
from __future__ import annotations

import re

from extraction.drafts import Draft
from extraction.model import Field, Span

_UNIT = re.compile(r"(?i)\b(?:team|unit|service|department|hub|office|directorate|locality|area)$")
_BODY = re.compile(r"(?i)\b(?:council|trust|school|academy|college|police|constabulary|nhs|authority|charity|"
                   r"service|services|centre|federation)\b")


def _narrowed(f: Field, value: str) -> Field:
    """`f` with its value cut to `value`, a piece of what it said; its source span follows."""
    value = value.strip()
    src = f.source
    at = (src.text or "").find(value)
    if at < 0 or src.start is None:
        return Field(value, f.confidence, src)
    return Field(value, f.confidence, Span(src.part, src.start + at, src.start + at + len(value), value, src.rule))


def tidy_organisation(value: str) -> str:
    """The organisation's own name out of what a signature line says of it."""
    text = re.sub(r"\s*\([^)]*\)\s*$", "", value).strip() or value  # "X Academy (Y Learning Trust)"
    pieces = [p.strip() for p in text.split(" / ") if p.strip()]
    if len(pieces) > 1 and _BODY.search(pieces[-1]):
        text = pieces[-1]  # two languages side by side: the last is the one the record keeps
    pieces = [p.strip() for p in text.split(",") if p.strip()]
    if len(pieces) > 1 and _UNIT.search(pieces[0]) and _BODY.search(pieces[-1]):
        text = pieces[-1]  # "X Team, Y NHS Trust": the body the team belongs to
    return text


def tidy_referrer(d: Draft) -> None:
    """The referrer's organisation and role tidied in place (see the module doc)."""
    org = d.fields.get("organisation")
    if org is not None and org.value:
        tidy = tidy_organisation(org.value)
        if tidy != org.value:
            d.fields["organisation"] = _narrowed(org, tidy)
    role = d.fields.get("role")
    if role is None or not role.value:
        return
    if org is not None and (role.value or "").casefold() == (d.get("organisation") or "").casefold():
        del d.fields["role"]  # the organisation written twice is no role
        return
    first, _, rest = role.value.partition(",")
    if rest and _UNIT.search(first.strip()) and re.fullmatch(r"\s*[A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+)?\s*", rest):
        d.fields["role"] = _narrowed(role, first)  # "Neighbourhood Team, Dunmere": the town is no part of it
