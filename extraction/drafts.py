"""People being assembled from evidence: a mutable draft per child, parent/carer or referrer.

A draft records every finding offered for a field (extraction/findings.py) and its fields are what
`findings.resolve` chooses; `put` interprets a form's raw value for a field (date, gender, UPN, phone,
name...), offers what it reads with the label it was read under, and records problems as review reasons.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import date
from types import MappingProxyType
from typing import Mapping

from extraction import evidence
from extraction.addresses import parse_address_value
from extraction.dates import find_dates, parse_date
from extraction.findings import DROP, REVISE, Finding, Resolution, checks, features_of, resolve
from extraction.identifiers import find_emails, find_phones, find_upns, normalise_postcode
from extraction.model import Field
from extraction.people import clean_name, first_given, is_empty, relationship_of, split_name, surname_first_form


@dataclass
class Draft:
    owner: str  # "child" | "parent" | "referrer"
    index: int | None = None
    notes: list[str] = field(default_factory=list)
    # every finding offered, revised or dropped, in order (append only): the fields are what `resolve` makes of them
    findings: list[Finding] = field(default_factory=list)
    merged: list["Draft"] = field(default_factory=list)  # other mentions of the same person merged in (--explain)
    _resolution: tuple[int, Resolution] | None = field(default=None, init=False, repr=False, compare=False)

    @property
    def resolution(self) -> Resolution:
        """The findings resolved (cached until the next one is recorded)."""
        if self._resolution is None or self._resolution[0] != len(self.findings):
            self._resolution = (len(self.findings), resolve(self.findings))
        return self._resolution[1]

    @property
    def fields(self) -> Mapping[str, Field]:
        """Per field, the value chosen (read only: offer, revise or drop to change it)."""
        return self.resolution.chosen

    def get(self, name: str) -> str | None:
        f = self.fields.get(name)
        return f.value if f else None

    def offer(self, name: str, f: Field | None, *, cue: str | None = None, said: str | None = None) -> None:
        """Record `f` as a finding for `name` (`cue`: the form label it was read under; `said`: the words of
        free text that made the finder take it, "her brother", "The child is"); `resolve` decides whether it
        is taken."""
        if f is None:
            return
        self.findings.append(Finding(self.owner, self.index, name, f.value, f.confidence, f.source,
                                     features_of(name, f, cue=cue, said=said)))

    def revise(self, name: str, f: Field | None, why: str) -> None:
        """A later stage's correction: `f` becomes the value of `name` whatever was chosen (None: dropped)."""
        if f is None:
            self.drop(name, why)
            return
        old = self.fields.get(name)
        if f.evidence is None and old is not None and old.evidence and old.source.rule == f.source.rule:
            f = replace(f, evidence=old.evidence)  # a value narrowed keeps where it was read and under what label
        self.findings.append(Finding(self.owner, self.index, name, f.value, f.confidence, f.source,
                                     features_of(name, f, checks=checks(name, f.value)), REVISE, why))

    def drop(self, name: str, why: str) -> None:
        """A later stage's rejection of the value chosen for `name`."""
        if name in self.fields:
            old = self.fields[name]
            self.findings.append(Finding(self.owner, self.index, name, None, old.confidence, old.source,
                                         MappingProxyType({}), DROP, why))

    def absorb(self, other: "Draft") -> None:
        """Another mention of the same person merged in: each value it chose is offered here (with its
        evidence, marked merged)."""
        self.merged.append(other)
        for name, f in other.fields.items():
            self.findings.append(Finding(self.owner, self.index, name, f.value, f.confidence, f.source,
                                         MappingProxyType({**features_of(name, f), "merged": True})))


_GENDER = re.compile(r"(?i)(?:☒|☑|✓|✔|\[x\]|x)\s*(male|female|other|boy|girl|m|f)\b|^\W*(male|female|other|boy|girl|m|f)\W*$")
# "Male ☐ Female ☒": boxes written after their words (a value that does not begin with a box)
_GENDER_BOX_AFTER = re.compile(r"(?i)\b(male|female|other|boy|girl|m|f)\s*(?:☒|☑|✓|✔|\[x\])")
_BOX_FIRST = re.compile(r"(?:☒|☑|✓|✔|☐|□|❏|\[[ xX]?\])")
GENDER_WORDS = {"male": "male", "m": "male", "boy": "male", "female": "female", "f": "female",
                "girl": "female", "other": "other"}


def gender_of(value: str) -> tuple[str, int, int] | None:
    """"Male", "F", "☒ Female ☐ Male", "Male ☐ Female ☒" -> ("female", start, end)."""
    if len(value) >= 60:
        return None
    v = value.strip()
    m = (None if _BOX_FIRST.match(v) else _GENDER_BOX_AFTER.search(v)) or _GENDER.search(v)
    if not m:
        return None
    group = m.lastindex  # each alternative holds one group: the one that matched
    g = m.group(group)
    offset = len(value) - len(value.lstrip())
    s = m.start(group) + offset
    return GENDER_WORDS[g.lower()], s, s + len(g)


def put(d: Draft, name: str, value: str, start: int, end: int, conf: float, part: str, text: str,
        ref: date, label: str = "", rule: str = "form") -> None:
    """Interpret `value` (at text[start:end] of `part`) as field `name` of draft `d`; every value it gives
    carries the rule id `rule`.`name` ("form.table_cell.date_of_birth")."""
    if is_empty(value) and name != "upn":
        return

    def at(v: str | None, s: int, e: int, c: float = conf) -> Field | None:
        return evidence.at(v, c, part, text, start + s, start + e, rule=f"{rule}.{name}")

    if name in ("date_of_birth", "date_last_attended"):
        found = find_dates(value, ref)
        if found:
            when, s, e = found[0]
            if name == "date_of_birth" and when > ref:
                d.notes.append("A date of birth given is in the future.")
                return
            d.offer(name, at(when.isoformat(), s, e, conf + evidence.VALIDATED * (len(found) == 1)), cue=label)
    elif name == "gender":
        g = gender_of(value)
        if g:
            d.offer(name, at(g[0], g[1], g[2]), cue=label)
    elif name == "upn":
        for u in find_upns(value):
            if u.value:
                d.offer(name, at(u.value, u.start, u.end, conf + evidence.VALIDATED), cue=label)
            else:
                d.notes.append("The UPN given fails its check letter, so it is left out.")
    elif name in ("phone",):
        for p in find_phones(value)[:1]:
            d.offer(name, at(p.value, p.start, p.end, conf + evidence.VALIDATED), cue=label)
    elif name == "email":
        for m in find_emails(value)[:1]:
            d.offer(name, at(m.value, m.start, m.end, conf + evidence.VALIDATED), cue=label)
    elif name == "postcode":
        pc = normalise_postcode(value.strip())
        if pc:
            s = len(value) - len(value.lstrip())
            d.offer(name, at(pc, s, s + len(value.strip()), conf + evidence.VALIDATED), cue=label)
    elif name == "address":
        a = parse_address_value(value)
        if a:
            for key, v in (("line1", a.line1), ("town", a.town), ("postcode", a.postcode)):
                if v and v[0]:
                    d.offer(key, at(v[0], v[1], v[2]), cue=label)
    elif name in ("line1", "town", "school", "role", "organisation", "known_as", "type"):
        v = value.strip().strip(".")
        s = value.find(v)
        if name == "school" and (re.match(r"(?i)(?:none|never|no|not|nil|unknown|without|n/?a|home[- ]?educat\w*|"
                                          r"awaiting|waiting|pending|tbc|tba)\b", v)
                                 or len(re.findall(r"[^\W\d_]", v)) < 3):
            return  # "13/10/26" under a misread label is no school
        d.offer(name, at(v, s, s + len(v)), cue=label)
    elif name == "relationship":
        r = relationship_of(value)
        if r:
            d.offer(name, at(r, 0, len(value)), cue=label)
    elif name in ("name", "first_name", "last_name"):
        _put_name(d, name, value, at, label)
        if d.owner == "parent":
            r = re.search(r"\(([^)]*)\)", value)
            if r and relationship_of(r.group(1)):
                d.offer("relationship", at(relationship_of(r.group(1)), r.start(1), r.end(1)), cue=label)
            if "phone" not in d.fields:
                for p in find_phones(value)[:1]:
                    d.offer("phone", at(p.value, p.start, p.end), cue=label)
            for m in find_emails(value)[:1]:
                d.offer("email", at(m.value, m.start, m.end), cue=label)
        if d.owner == "referrer" and "," in value and not surname_first_form(value):
            # "Paul Green, Assistant Head, Larchfield School, 01632 960702"
            pieces = [x.strip() for x in value.split(",")[1:]]
            pieces = [x for x in pieces if x and not find_phones(x) and not find_emails(x)]
            if pieces and len(pieces[0].split()) <= 6:
                s = value.index(pieces[0])
                d.offer("role", at(pieces[0], s, s + len(pieces[0]), conf - 0.1), cue=label)
            if len(pieces) > 1 and len(pieces[1].split()) <= 8:
                s = value.index(pieces[1])
                d.offer("organisation", at(pieces[1], s, s + len(pieces[1]), conf - 0.1), cue=label)
            for p in find_phones(value)[:1]:
                d.offer("phone", at(p.value, p.start, p.end), cue=label)
            for m in find_emails(value)[:1]:
                d.offer("email", at(m.value, m.start, m.end), cue=label)


def _put_name(d: Draft, name: str, value: str, at, label: str) -> None:
    if name in ("first_name", "last_name"):
        v = re.split(r"\s*\(|\s+known as\b", value, flags=re.I)[0].strip()
        words = [w for w in v.split() if w.lower().rstrip(".") not in ("mr", "mrs", "ms", "miss", "master")]
        if not words or len(words) > 4 or any(ch.isdigit() for ch in v):
            return
        v2 = words[0] if name == "first_name" else " ".join(words)
        s = value.find(words[0])
        d.offer(name, at(v2, s, s + len(v2)), cue=label)
        return
    c = clean_name(value)
    if not c:
        return
    full, s, e = c
    if d.owner == "child":
        first, last = split_name(full, surname_first_form(value[s:e]))
        first = first_given(first)
        if surname_first_form(value[s:e]):
            last_raw, _, first_raw = value[s:e].partition(",")
            fs = s + len(last_raw) + 1 + (len(first_raw) - len(first_raw.lstrip()))
            d.offer("first_name", at(first, fs, fs + len(first)), cue=label)
            d.offer("last_name", at(last, s, s + len(last_raw.strip())) if last else None, cue=label)
        else:
            fe = value.find(first, s) + len(first)
            d.offer("first_name", at(first, value.find(first, s), fe), cue=label)
            if last:
                ls = value.find(last, fe)
                d.offer("last_name", at(last, ls, ls + len(last)), cue=label)
    else:
        d.offer("name", at(full, s, e), cue=label)
        title = re.match(r"\s*(?P<t>Mrs|Ms|Miss|Mr)\.?\s", value)
        if d.owner == "parent" and title:  # "Parent: Mr Corvin Pimm" is the father
            rel = "father" if title.group("t") == "Mr" else "mother"
            f = at(rel, title.start("t"), title.end("t"))
            d.offer("relationship", Field(f.value, f.confidence - 0.2, f.source) if f else None, cue=label)
