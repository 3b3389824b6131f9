"""The referrer's type (the contract's school, health, police, parent, public...): from a form's answer,
the organisation and role they sign with, whether they write of their own child, and their email domain.

The words live in `config/phrases/referrer_types.jsonl`; this module keeps the order they are weighed in.
"""
from __future__ import annotations

from config import phrasebook
from config.phrasebook import Phrase
from extraction.organisations import looks_like_job
from extraction.people import relationship_of


def _cue(kind: str) -> Phrase:
    return next(p for p in phrasebook.table("referrer_types") if p.kind == kind)


def _cues(prefix: str) -> tuple[tuple[Phrase, str], ...]:
    return tuple((p, p.kind[len(prefix):]) for p in phrasebook.table("referrer_types") if p.kind.startswith(prefix))


_ANSWER_WORDS = _cues("answer.")  # tried in order: the first word found in the answer names the type
_TYPE_BY_DOMAIN = _cues("domain.")
_HEALTH_ORG = _cue("organisation.health")
_SCHOOL_ORG = _cue("organisation.school")
_BUSINESS_ORG = _cue("organisation.business")
_TRADE_ORG = _cue("organisation.trade")
_TRADE_ROLE = _cue("trade_role")
_POLICE_ORG = _cue("organisation.police")
_AUTHORITY_ORG = _cue("organisation.local_authority")
_VOLUNTARY_ORG = _cue("organisation.voluntary")
_OTHER_ORG = _cue("organisation.other")
_HEALTH_DOMAIN = _cue("domain.health")
_SOCIAL_CARE = _cue("social_care")
_SCHOOL_ROLE = _cue("school_role")
_NOT_SCHOOL_ROLE = _cue("not_school_role")  # "Swimming teacher", "Retired headteacher"
PARENT_WORDS = _cue("parent_words")  # the writer speaks of their own child (roles.py reads the body with it)
SCHOOL_VOICE = _cue("school_voice")  # the writer speaks as the child's school
_CARES_AS_PARENT = {"mother", "father", "stepmother", "stepfather", "carer", "guardian"}


def kin_type(role: str | None) -> str | None:
    """The type of a writer who signs as the child's relative rather than with a job: "parent" for a parent, foster
    or kinship carer or guardian ("Foster Carer"), "public" for other family ("Millie's nan", "Uncle to the
    aforementioned"); None for a job ("Carer Support Worker") or no relation."""
    if not role or looks_like_job(role):  # "Carer Support Worker" is a job, not kin
        return None
    rel = relationship_of(role)
    if rel is None:
        return None
    return "parent" if rel in _CARES_AS_PARENT else "public"


def referrer_type_reading(email: str | None, role: str | None, organisation: str | None, form_answer: str | None,
                          writes_as_parent: bool) -> tuple[str | None, str, str | None]:
    """The contract's referrer type, what it was read from ("form_answer", "organisation", "role", "domain",
    "parent_words", "kin_role", "no_organisation": the type's rule id, so its precision is measured) and the id of the phrase
    of config/phrases/referrer_types.jsonl that decided it (None when none did)."""
    if form_answer:
        a = form_answer.lower()
        for word, kind in _ANSWER_WORDS:
            if word.pattern.search(a):
                return kind, "form_answer", word.id
    org = (organisation or "").lower()
    domain = (email or "").rsplit("@", 1)[-1].lower()
    if _HEALTH_ORG.pattern.search(org):
        return "health", "organisation", _HEALTH_ORG.id
    if _HEALTH_DOMAIN.pattern.search(domain):
        return "health", "domain", _HEALTH_DOMAIN.id
    if _BUSINESS_ORG.pattern.search(org):
        return "other", "organisation", _BUSINESS_ORG.id  # "Step Up Dance Academy": a business, not a school
    if _TRADE_ORG.pattern.search(org) or (not org and _TRADE_ORG.pattern.search((role or "").lower())):
        return "public", "organisation", _TRADE_ORG.id  # a newsagent, a window cleaner: the public at work
    for cue, kind in ((_SCHOOL_ORG, "school"), (_POLICE_ORG, "police")):
        if cue.pattern.search(org):
            return kind, "organisation", cue.id
    if _SOCIAL_CARE.pattern.search(role or "") or _SOCIAL_CARE.pattern.search(org):
        if domain.endswith(".gov.uk") or "council" in org:
            return "social_care", "organisation", _SOCIAL_CARE.id
    if _AUTHORITY_ORG.pattern.search(org):
        return "local_authority", "organisation", _AUTHORITY_ORG.id
    if _OTHER_ORG.pattern.search(org) and not any(  # a council's own housing team is the council
            kind == "local_authority" and cue.pattern.search(domain) for cue, kind in _TYPE_BY_DOMAIN):
        return "other", "organisation", _OTHER_ORG.id  # a housing association, probation: neither council nor charity
    if writes_as_parent and not org:
        return "parent", "parent_words", PARENT_WORDS.id
    if not org and (kin := kin_type(role)):
        return kin, "kin_role", None
    for cue, kind in _TYPE_BY_DOMAIN:
        if cue.pattern.search(domain):
            return kind, "domain", cue.id
    if _VOLUNTARY_ORG.pattern.search(org):
        return "voluntary", "organisation", _VOLUNTARY_ORG.id
    if org and (domain.endswith(".org.uk") or domain.endswith(".org")):
        return "voluntary", "organisation", None  # a .org address alone may be anyone's
    if not org and _NOT_SCHOOL_ROLE.pattern.search(role or ""):
        return "public", "role", _NOT_SCHOOL_ROLE.id  # "Retired headteacher", a piano teacher on their own
    if _SCHOOL_ROLE.pattern.search(role or "") and not _NOT_SCHOOL_ROLE.pattern.search(role or ""):
        return "school", "role", _SCHOOL_ROLE.id
    if writes_as_parent and not org:
        return "parent", "parent_words", PARENT_WORDS.id
    if _TRADE_ROLE.pattern.search((role or "").lower()) and not _VOLUNTARY_ORG.pattern.search(org):
        return "public", "role", _TRADE_ROLE.id  # "Bus driver", "Store Manager" of a shop
    if not org and not role:
        return ("public" if domain else None), "no_organisation", None  # a person writing for no organisation
    return ("other" if domain else None), "unknown_organisation", None


def referrer_type_and_basis(email: str | None, role: str | None, organisation: str | None, form_answer: str | None,
                            writes_as_parent: bool) -> tuple[str | None, str]:
    """The contract's referrer type and what it was read from (`referrer_type_reading` without the phrase)."""
    return referrer_type_reading(email, role, organisation, form_answer, writes_as_parent)[:2]


def referrer_type(email: str | None, role: str | None, organisation: str | None, form_answer: str | None,
                  writes_as_parent: bool) -> str | None:
    """The contract's referrer type from a form answer, the organisation, the role or the domain."""
    return referrer_type_and_basis(email, role, organisation, form_answer, writes_as_parent)[0]
