"""Typed findings: every candidate value offered for a person's field, and the one step that chooses.

A finder reads a value and offers it to a person's draft (`drafts.Draft.offer`); the draft records it as
a `Finding`: whose field it is (owner, index, field), the value, where it was read (`span`: part, start,
end, the words, the finder's rule id), its raw score, and its `evidence`, named features:

- `source`: the kind of place it was read from (`SOURCE_KINDS`: a form field, a table cell, a labelled
  line, prose, a signature, the headers, the school register, derived);
- `cue`: the form label read ("Date of birth"), when a form gave the value;
- `checks`: what the validators make of the value (`postcode_valid`, `date_parses`, `phone_valid`,
  `email_valid`, `upn_check_letter`), for the fields that have one;
- `agreement`: how many other findings of the same field give the same value (counted by `resolve`);
- `merged`: the value came from another mention of the same person, merged into this one.

`resolve` is the one place that chooses between the findings of a field, in the order they were offered:
the first is taken unless a later one scores more than 0.1 above the value chosen; one that gives the
same value (compared on letters and digits) raises the chosen value's score by `evidence.AGREED` and
the better-scored of the two is kept. A later stage may revise the value chosen (an organisation
narrowed, the header's fuller name) or drop it (a "Sent from my iPhone" role): those are findings
too (`step` REVISE or DROP), so a draft's fields are always what `resolve` makes of its findings.
No I/O, no clock.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date
from types import MappingProxyType
from typing import Any, Iterable, Mapping

from extraction import evidence as weights
from extraction.identifiers import find_emails, normalise_phone, normalise_postcode, normalise_upn
from extraction.model import Field, Span

OFFER, REVISE, DROP = "offer", "revise", "drop"
MARGIN = 0.1  # a later finding must score more than this above the value chosen to replace it

SOURCE_KINDS = ("form_field", "table_cell", "labelled_line", "form", "prose", "signature", "header",
                "email_domain", "register", "derived")
_FORM_KINDS = {"form_field": "form_field", "checkbox": "form_field", "table_cell": "table_cell",
               "header_table": "table_cell", "table_column": "table_cell", "text_table": "table_cell",
               "question": "labelled_line", "line": "labelled_line", "quoted": "labelled_line",
               "two_parents": "labelled_line"}
_RULE_KINDS = (("register.", "register"), ("forms.", "form"), ("referrer.", "signature"),
               ("roles._header_field", "header"), ("organisations.domain", "email_domain"),
               ("roles.organisation_from_domain", "email_domain"), ("roles.pupil_of", "derived"), ("type.", "derived"))


@dataclass(frozen=True)
class Finding:
    owner: str  # "child" | "parent" | "referrer"
    index: int | None  # the person's number on a form, when it numbers them
    field: str  # "first_name", "date_of_birth", "line1", "organisation" ...
    value: str | None  # None only for a DROP
    score: float  # the finder's raw score
    span: Span  # part, start, end, the words and the finder's rule id
    evidence: Mapping[str, Any] = field(default_factory=lambda: MappingProxyType({}), hash=False)
    step: str = OFFER  # OFFER, or a later stage's REVISE or DROP of the value chosen
    why: str = ""  # a revision's or a drop's reason, in words

    @property
    def rule(self) -> str | None:
        return self.span.rule

    def as_field(self) -> Field:
        return Field(self.value, self.score, self.span, self.evidence)


@dataclass(frozen=True)
class Verdict:
    finding: Finding
    taken: bool  # the finding is (or, when agreeing, raised) the value chosen at that point
    why: str  # in words, for `cme extract --explain`


@dataclass(frozen=True)
class Resolution:
    chosen: Mapping[str, Field]  # per field, the value chosen, with its (raised) score and evidence
    verdicts: tuple[Verdict, ...]  # one per finding, in the order offered


def source_kind(rule: str | None, part: str | None) -> str:
    """The kind of place a value was read from, by its rule id and part."""
    r = rule or ""
    if r.startswith("form."):
        return _FORM_KINDS.get(r.split(".")[1], "form")
    if part == "header":
        return "header"
    for prefix, kind in _RULE_KINDS:
        if r.startswith(prefix):
            return kind
    return "derived" if part == "derived" else "prose"


def checks(name: str, value: str | None) -> dict[str, bool]:
    """The validators' results for a value of field `name` (none for a field without a validator)."""
    v = value or ""
    if name in ("date_of_birth", "date_last_attended"):
        try:
            date.fromisoformat(v)
            return {"date_parses": True}
        except ValueError:
            return {"date_parses": False}
    if name == "postcode":
        return {"postcode_valid": normalise_postcode(v) is not None}
    if name == "phone":
        return {"phone_valid": normalise_phone(v) is not None}
    if name == "email":
        return {"email_valid": any(m.start == 0 and m.end == len(v) for m in find_emails(v))}
    if name == "upn":
        return {"upn_check_letter": normalise_upn(v) is not None}
    return {}


def features_of(name: str, f: Field, **more: Any) -> Mapping[str, Any]:
    """The evidence of a value offered for field `name`: what `f` already carries (a value passed on from
    another draft keeps its own), else its kind of source and validator results; then `more` (a cue)."""
    base = dict(f.evidence) if f.evidence else {"source": source_kind(f.source.rule, f.source.part),
                                                 "checks": checks(name, f.value)}
    base.update({k: v for k, v in more.items() if v is not None and v != ""})
    return MappingProxyType(base)


def fold(v: str | None) -> str:
    """A value as findings are compared: letters and digits, case folded."""
    return "".join(c for c in (v or "").casefold() if c.isalnum())


def resolve(findings: Iterable[Finding]) -> Resolution:
    """Per field, the value the findings choose, taken in the order offered (see the module doc), and a
    verdict on each finding."""
    chosen: dict[str, Field] = {}
    offered: dict[str, list[str]] = {}  # per field, the folded values offered since the field was last dropped
    verdicts: list[Verdict] = []
    for f in findings:
        name = f.field
        old = chosen.get(name)
        if f.step == DROP:
            chosen.pop(name, None)
            offered.pop(name, None)
            verdicts.append(Verdict(f, False, f"dropped the value chosen: {f.why}"))
            continue
        if f.step == REVISE:
            chosen[name] = f.as_field()
            offered[name] = [fold(f.value)]
            replaced = f" (in place of {old.value!r} of {old.source.rule})" if old is not None else ""
            verdicts.append(Verdict(f, True, f"set by a later step: {f.why}{replaced}"))
            continue
        seen = offered.setdefault(name, [])
        agree = seen.count(fold(f.value))
        seen.append(fold(f.value))
        f = replace(f, evidence=MappingProxyType({**f.evidence, "agreement": agree}))
        if old is None:
            chosen[name] = f.as_field()
            verdict = Verdict(f, True, "taken: the first finding for this field")
        elif fold(old.value) == fold(f.value):
            top = old if old.confidence >= f.score else f.as_field()
            raised = _with_agreement(weights.boost(top, weights.AGREED) or top, agree)
            chosen[name] = raised
            verdict = Verdict(f, True, f"agrees with {old.source.rule} ({old.value!r}): the score is raised from "
                                       f"{top.confidence:.2f} to {raised.confidence:.2f}")
        elif f.score > old.confidence + MARGIN:
            chosen[name] = f.as_field()
            verdict = Verdict(f, True, f"taken: scores {f.score:.2f}, more than {old.confidence:.2f} of "
                                       f"{old.source.rule} ({old.value!r})")
        else:
            verdict = Verdict(f, False, f"not taken: {old.source.rule} ({old.value!r}, {old.confidence:.2f}) was found "
                                        f"first or scores as well (it needed more than {old.confidence + MARGIN:.2f})")
        verdicts.append(verdict)
    return Resolution(MappingProxyType(chosen), tuple(verdicts))


def _with_agreement(f: Field, agree: int) -> Field:
    """`f` whose evidence counts the other findings that gave its value."""
    return replace(f, evidence=MappingProxyType({**(f.evidence or {}), "agreement": agree}))


def describe(v: Verdict) -> str:
    """One finding and its verdict in words: value, rule, raw score, the words, the evidence."""
    f = v.finding
    if f.step == DROP:
        return f"dropped by a later step: {f.why}"
    words = " ".join((f.span.text or "").split())[:60]
    return (f"{f.value!r} by {f.rule} (score {f.score:.2f}, {f.span.part}: \u201c{words}\u201d; "
            f"{explain_evidence(f.evidence)}): {v.why}")


def explain_evidence(e: Mapping[str, Any]) -> str:
    """A finding's evidence features in words: "table cell, label 'DOB', date parses, 1 agreeing"."""
    out = [str(e.get("source", "?")).replace("_", " ")]
    if e.get("cue"):
        out.append(f"label {' '.join(str(e['cue']).split())[:40]!r}")
    if e.get("said"):
        out.append(f"cue words {' '.join(str(e['said']).split())[:40]!r}")
    for check, ok in (e.get("checks") or {}).items():
        out.append(check.replace("_", " ") + ("" if ok else ": NO"))
    if e.get("agreement"):
        out.append(f"{e['agreement']} agreeing before it")
    if e.get("merged"):
        out.append("from another mention of the same person")
    return ", ".join(out)
