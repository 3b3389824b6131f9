"""The referrer's type (the contract's school, health, police, parent, public...): from a form's answer,
the organisation and role they sign with, whether they write of their own child, and their email domain.
"""
from __future__ import annotations

import re

_TYPE_BY_DOMAIN = (
    (re.compile(r"\.sch\.uk$"), "school"),
    (re.compile(r"(?:^|\.)nhs\.(?:net|uk)$"), "health"),
    (re.compile(r"(?:^|\.)police\.uk$"), "police"),
    (re.compile(r"\.gov\.uk$|\.gov\.wales$|\.gov\.scot$"), "local_authority"),
)
_SOCIAL_CARE = re.compile(r"(?i)social work|family support|children'?s services|early help|mash\b|"
                          r"child protection|children in care|leaving care|youth offending")


_SCHOOL_ROLE = re.compile(r"(?i)\b(?:dsl|designated safeguarding|head ?teacher|head of year|deputy head|assistant head|"
                          r"senco|pastoral|attendance (?:officer|lead|manager)|school business manager|data manager|"
                          r"teacher|form tutor|registrar|home school link)\b")


def referrer_type_and_basis(email: str | None, role: str | None, organisation: str | None, form_answer: str | None,
                            writes_as_parent: bool) -> tuple[str | None, str]:
    """The contract's referrer type and what it was read from ("form_answer", "organisation", "role",
    "domain", "parent_words", "no_organisation"): the basis is the type's rule id, so its precision is measured."""
    if form_answer:
        a = form_answer.lower()
        for word, kind in (("parent", "parent"), ("carer", "parent"), ("mum", "parent"), ("dad", "parent"),
                           ("mother", "parent"), ("father", "parent"), ("public", "public"),
                           ("neighbour", "public"), ("friend", "public"), ("relative", "public"),
                           ("school", "school"), ("health", "health"), ("police", "police"),
                           ("social", "social_care"), ("voluntary", "voluntary"), ("community", "voluntary"),
                           ("charity", "voluntary"), ("council", "local_authority"), ("local authority", "local_authority")):
            if word in a:
                return kind, "form_answer"
    org = (organisation or "").lower()
    domain = (email or "").rsplit("@", 1)[-1].lower()
    if re.search(r"\bnhs\b|health|nurs(?:e|ing)|surgery|medical|hospital|\bgp\b", org) \
            or re.search(r"(?:^|\.)nhs\.(?:net|uk)$", domain):
        return "health", "organisation" if re.search(r"\bnhs\b|health|nurs(?:e|ing)|surgery|medical|hospital|\bgp\b", org) else "domain"
    if re.search(r"\b(school|academy|college|primary|junior|infant)\b", org):
        return "school", "organisation"
    if re.search(r"\bpolice\b|constabulary", org):
        return "police", "organisation"
    if _SOCIAL_CARE.search(role or "") or _SOCIAL_CARE.search(org):
        if domain.endswith(".gov.uk") or "council" in org:
            return "social_care", "organisation"
    if re.search(r"\bcouncil\b|\bauthority\b", org):
        return "local_authority", "organisation"
    if writes_as_parent and not org:
        return "parent", "parent_words"
    for pattern, kind in _TYPE_BY_DOMAIN:
        if pattern.search(domain):
            return kind, "domain"
    if re.search(r"\b(charity|trust|hub|outreach|welfare|society|association|group|project|foundation|"
                 r"support|service|network|centre|refuge|mission|welcome|sanctuary|club|fc|youth|church|mosque|"
                 r"temple|gurdwara|scouts|guides|brigade|cadets)\b", org) \
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
