"""The referral record (contract `cme-referral/1`) as frozen values, and its JSON form.

This module imports nothing but the standard library, so store/, notifier/ and review/ can use
`Referral` cheaply. `to_record()` gives exactly the contract's JSON shape; `from_record()` reads
it back (the store keeps records in that shape and the review screen edits them).
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any, Mapping

SCHEMA = "cme-referral/1"

CATEGORIES = ("cme_referral", "roll_removal", "la_enquiry", "case_update", "ehe",
              "attendance", "reduced_hours", "auto_reply", "bounce", "other")
SAFEGUARDING = ("sexual_exploitation", "criminal_exploitation", "abuse", "neglect",
                "domestic_abuse", "radicalisation", "trafficking", "forced_marriage", "fgm",
                "missing_from_home", "child_protection_plan", "looked_after")
REFERRER_TYPES = ("school", "health", "police", "social_care", "local_authority", "voluntary",
                  "public", "parent", "other")
RELATIONSHIPS = ("mother", "father", "stepmother", "stepfather", "grandmother", "grandfather",
                 "carer", "guardian", "aunt", "uncle", "other")


@dataclass(frozen=True)
class Span:
    """Where a value was read: `part` is "body", "header", "attachment:NAME" or "derived"."""

    part: str
    start: int | None = None
    end: int | None = None
    text: str | None = None
    rule: str | None = None  # id of the rule or model that produced the value ("form.table_cell.date_of_birth")


@dataclass(frozen=True)
class Field:
    value: str | None
    confidence: float
    source: Span
    # the named features the value was judged on (extraction/findings.py: kind of source, cue, validator results,
    # agreement); not part of the contract record, not compared, None for a value read back from a record
    evidence: Mapping[str, Any] | None = field(default=None, compare=False, repr=False)

    def __post_init__(self) -> None:
        if not 0.0 <= self.confidence <= 1.0:
            raise ValueError(f"confidence {self.confidence} is outside 0..1")


@dataclass(frozen=True)
class Address:
    line1: Field | None = None
    town: Field | None = None
    postcode: Field | None = None


@dataclass(frozen=True)
class School:
    name: Field | None = None
    urn: Field | None = None


@dataclass(frozen=True)
class Child:
    first_name: Field | None = None
    last_name: Field | None = None
    date_of_birth: Field | None = None
    gender: Field | None = None
    upn: Field | None = None
    address: Address = Address()
    school: School = School()
    date_last_attended: Field | None = None


@dataclass(frozen=True)
class ParentCarer:
    name: Field | None = None
    relationship: Field | None = None
    phone: Field | None = None
    email: Field | None = None


@dataclass(frozen=True)
class Referrer:
    name: Field | None = None
    role: Field | None = None
    organisation: Field | None = None
    email: Field | None = None
    phone: Field | None = None
    type: Field | None = None


@dataclass(frozen=True)
class MessageInfo:
    file: str | None
    message_id: str | None
    from_: str | None
    subject: str | None
    date: str | None


@dataclass(frozen=True)
class MissingOut:
    """A school's referral made before 20 school days (40 sessions) missed: a pupil missing out on
    education (PMOOE), with the count the school stated (days or sessions, as written)."""

    days: int | None
    sessions: int | None
    source: Span


@dataclass(frozen=True)
class SenderTrust:
    """What the service makes of who sent the message (extraction/senders.py). Not part of the contract record:
    `notifier/triage.py` reads it to decide whether to reply; the reason is among the record's review reasons."""

    suspect: bool = False  # a look-alike address, or a council/NHS/police domain that failed DMARC
    reason: str | None = None  # in words for the officer, when suspect
    checks: str | None = None  # "SPF pass, DKIM fail, DMARC fail" from the receiving server; None: not recorded


@dataclass(frozen=True)
class Referral:
    source: MessageInfo
    category: str = "other"
    case_reference: str | None = None
    urgent: bool = False
    safeguarding: tuple[str, ...] = ()
    acknowledge: bool = False
    needs_review: bool = True
    review_reasons: tuple[str, ...] = ()
    referrer: Referrer = Referrer()
    children: tuple[Child, ...] = ()
    parents_carers: tuple[ParentCarer, ...] = ()
    error: str | None = None  # set only when the file could not be read as an email
    missing_out: MissingOut | None = None  # PMOOE mark; the record carries "missing_out" only when set
    sender: SenderTrust = SenderTrust()  # not in the contract record (see SenderTrust)

    def __post_init__(self) -> None:
        if self.category not in CATEGORIES:
            raise ValueError(f"unknown category {self.category!r}")
        bad = [s for s in self.safeguarding if s not in SAFEGUARDING]
        if bad:
            raise ValueError(f"unknown safeguarding flags {bad}")

    def with_(self, **changes: Any) -> "Referral":
        return replace(self, **changes)

    def to_record(self) -> dict[str, Any]:
        source = {"file": self.source.file, "message_id": self.source.message_id,
                  "from": self.source.from_, "subject": self.source.subject,
                  "date": self.source.date}
        if self.error is not None:
            return {"schema": SCHEMA, "source": source, "error": self.error}
        record = {
            "schema": SCHEMA,
            "source": source,
            "category": self.category,
            "case_reference": self.case_reference,
            "urgent": self.urgent,
            "safeguarding": list(self.safeguarding),
            "acknowledge": self.acknowledge,
            "needs_review": self.needs_review,
            "review_reasons": list(self.review_reasons),
            "referrer": _fields_to_dict(self.referrer),
            "children": [_child_to_dict(c) for c in self.children],
            "parents_carers": [_fields_to_dict(p) for p in self.parents_carers],
        }
        if self.missing_out is not None:
            record["missing_out"] = missing_out_to_dict(self.missing_out)
        return record

    @classmethod
    def from_record(cls, record: dict[str, Any]) -> "Referral":
        s = record.get("source") or {}
        info = MessageInfo(s.get("file"), s.get("message_id"), s.get("from"), s.get("subject"),
                           s.get("date"))
        if "error" in record:
            return cls(source=info, error=record["error"])
        return cls(
            source=info,
            category=record["category"],
            case_reference=record.get("case_reference"),
            urgent=bool(record.get("urgent")),
            safeguarding=tuple(record.get("safeguarding") or ()),
            acknowledge=bool(record.get("acknowledge")),
            needs_review=bool(record.get("needs_review", True)),
            review_reasons=tuple(record.get("review_reasons") or ()),
            referrer=_fields_from_dict(Referrer, record.get("referrer") or {}),
            children=tuple(_child_from_dict(c) for c in record.get("children") or ()),
            parents_carers=tuple(_fields_from_dict(ParentCarer, p)
                                 for p in record.get("parents_carers") or ()),
            missing_out=missing_out_from_dict(record.get("missing_out")),
        )


def missing_out_to_dict(m: MissingOut) -> dict[str, Any]:
    return {"days": m.days, "sessions": m.sessions,
            "source": {"part": m.source.part, "start": m.source.start, "end": m.source.end, "text": m.source.text,
                       "rule": m.source.rule}}


def missing_out_from_dict(d: dict[str, Any] | None) -> MissingOut | None:
    if not isinstance(d, dict):
        return None
    s = d.get("source") if isinstance(d.get("source"), dict) else {}

    def count(value: Any) -> int | None:  # a record read back (from another process, or the store) is checked
        return value if isinstance(value, int) and not isinstance(value, bool) and 0 < value <= 400 else None

    days, sessions = count(d.get("days")), count(d.get("sessions"))
    if days is None and sessions is None:
        return None
    return MissingOut(days, sessions,
                      Span(str(s.get("part", "derived")), s.get("start"), s.get("end"), s.get("text"), s.get("rule")))


def field_to_dict(f: Field | None) -> dict[str, Any] | None:
    if f is None:
        return None
    source = {"part": f.source.part, "start": f.source.start, "end": f.source.end, "text": f.source.text}
    if f.source.rule:
        source["rule"] = f.source.rule
    return {"value": f.value, "confidence": round(f.confidence, 3), "source": source}


def field_from_dict(d: dict[str, Any] | None) -> Field | None:
    if not d:
        return None
    s = d.get("source") or {}
    return Field(d.get("value"), float(d.get("confidence", 0.0)),
                 Span(s.get("part", "derived"), s.get("start"), s.get("end"), s.get("text"), s.get("rule")))


def _fields_to_dict(obj: Any) -> dict[str, Any]:
    return {name: field_to_dict(getattr(obj, name)) for name in obj.__dataclass_fields__}


def _fields_from_dict(cls: type, d: dict[str, Any]) -> Any:
    return cls(**{name: field_from_dict(d.get(name)) for name in cls.__dataclass_fields__})


def _child_to_dict(c: Child) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name in Child.__dataclass_fields__:
        v = getattr(c, name)
        out[name] = _fields_to_dict(v) if isinstance(v, (Address, School)) else field_to_dict(v)
    return out


def _child_from_dict(d: dict[str, Any]) -> Child:
    kw: dict[str, Any] = {}
    for name in Child.__dataclass_fields__:
        if name == "address":
            kw[name] = _fields_from_dict(Address, d.get(name) or {})
        elif name == "school":
            kw[name] = _fields_from_dict(School, d.get(name) or {})
        else:
            kw[name] = field_from_dict(d.get(name))
    return Child(**kw)
