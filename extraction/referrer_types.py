"""The referrer's type (the contract's school, health, police, parent, public...): from a form's answer,
the organisation and role they sign with, whether they write of their own child, and their email domain.

The words live in `config/phrases/referrer_types.jsonl`; this module keeps the order they are weighed in.
"""
from __future__ import annotations

import re

from config import phrasebook


def _cue(kind: str) -> re.Pattern[str]:
    return next(p.pattern for p in phrasebook.table("referrer_types") if p.kind == kind)


def _cues(prefix: str) -> tuple[tuple[re.Pattern[str], str], ...]:
    return tuple((p.pattern, p.kind[len(prefix):]) for p in phrasebook.table("referrer_types")
                 if p.kind.startswith(prefix))


_ANSWER_WORDS = _cues("answer.")  # tried in order: the first word found in the answer names the type
_TYPE_BY_DOMAIN = _cues("domain.")
_HEALTH_ORG = _cue("organisation.health")
_SCHOOL_ORG = _cue("organisation.school")
_POLICE_ORG = _cue("organisation.police")
_AUTHORITY_ORG = _cue("organisation.local_authority")
_VOLUNTARY_ORG = _cue("organisation.voluntary")
_HEALTH_DOMAIN = _cue("domain.health")
_SOCIAL_CARE = _cue("social_care")
_SCHOOL_ROLE = _cue("school_role")


def referrer_type_and_basis(email: str | None, role: str | None, organisation: str | None, form_answer: str | None,
                            writes_as_parent: bool) -> tuple[str | None, str]:
    """The contract's referrer type and what it was read from ("form_answer", "organisation", "role",
    "domain", "parent_words", "no_organisation"): the basis is the type's rule id, so its precision is measured."""
    if form_answer:
        a = form_answer.lower()
        for word, kind in _ANSWER_WORDS:
            if word.search(a):
                return kind, "form_answer"
    org = (organisation or "").lower()
    domain = (email or "").rsplit("@", 1)[-1].lower()
    if _HEALTH_ORG.search(org) or _HEALTH_DOMAIN.search(domain):
        return "health", "organisation" if _HEALTH_ORG.search(org) else "domain"
    if _SCHOOL_ORG.search(org):
        return "school", "organisation"
    if _POLICE_ORG.search(org):
        return "police", "organisation"
    if _SOCIAL_CARE.search(role or "") or _SOCIAL_CARE.search(org):
        if domain.endswith(".gov.uk") or "council" in org:
            return "social_care", "organisation"
    if _AUTHORITY_ORG.search(org):
        return "local_authority", "organisation"
    if writes_as_parent and not org:
        return "parent", "parent_words"
    for pattern, kind in _TYPE_BY_DOMAIN:
        if pattern.search(domain):
            return kind, "domain"
    if _VOLUNTARY_ORG.search(org) \
            or (org and (domain.endswith(".org.uk") or domain.endswith(".org"))):
        return "voluntary", "organisation"  # a .org address alone may be anyone's
    if _SCHOOL_ROLE.search(role or ""):
        return "school", "role"
    if writes_as_parent and not org:
        return "parent", "parent_words"
    if not org and not role:
        return ("public" if domain else None), "no_organisation"  # a person writing for no organisation
    return ("other" if domain else None), "unknown_organisation"


def referrer_type(email: str | None, role: str | None, organisation: str | None, form_answer: str | None,
                  writes_as_parent: bool) -> str | None:
    """The contract's referrer type from a form answer, the organisation, the role or the domain."""
    return referrer_type_and_basis(email, role, organisation, form_answer, writes_as_parent)[0]
