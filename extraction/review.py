"""Review: the reasons a CME Officer must look at a record, in sentences, and whether they must.

`needs_review` is false only when every field given is confident, nothing a case needs is
missing, and nothing is urgent; each reason is a sentence the officer reads.
"""
from __future__ import annotations

from datetime import date

from extraction import evidence
from extraction.dates import in_compulsory_school_age
from extraction.identifiers import postcode_area, postcode_district_split
from extraction.model import Child, Field, ParentCarer, Referrer

NEEDS_CHILD = ("cme_referral", "roll_removal", "la_enquiry")
# a reduced timetable is reported for a named pupil too, though the return needs neither the family's address nor a parent
NAMES_A_PUPIL = (*NEEDS_CHILD, "reduced_hours")
# an update to a case is about its child too, though it need not name one ("the family have moved")
ABOUT_A_CHILD = (*NAMES_A_PUPIL, "case_update")
Reason = tuple[str, bool]  # (sentence for the officer, whether it alone needs a review)
_COUNCILS = {"southampton": "Southampton City Council", "portsmouth": "Portsmouth City Council",
             "isle_of_wight": "the Isle of Wight Council"}
_LABELS = {"first_name": "first name", "last_name": "last name", "date_of_birth": "date of birth",
           "gender": "gender", "upn": "UPN", "date_last_attended": "date last attended",
           "line1": "address", "town": "town", "postcode": "postcode", "name": "name", "urn": "school URN",
           "relationship": "relationship", "phone": "phone number", "email": "email address",
           "role": "role", "organisation": "organisation", "type": "type"}
_SCHOOL_LABELS = {"name": "school name", "urn": "school URN"}  # "Jayden's school name is uncertain"


def who(c: Child, i: int) -> str:
    """The child's first name, or "Child N", for a sentence the officer reads."""
    return _who(c, i)


def _who(c: Child, i: int) -> str:
    return c.first_name.value if c.first_name and c.first_name.value else f"Child {i + 1}"


def _weak(label: str, name: str, f: Field | None, threshold: float,
          labels: dict[str, str] = _LABELS) -> Reason | None:
    if f is not None and f.confidence < threshold:
        return f"{label}'s {labels.get(name, name)} is uncertain: check it.", True
    return None


def child_reasons(children: tuple[Child, ...], ref: date | None, category: str,
                  threshold: float = evidence.AUTO_ACCEPT) -> list[Reason]:
    """Missing or uncertain child details, age outside compulsory school age, another council's area."""
    out: list[Reason] = []
    areas_said: set[str] = set()
    for i, c in enumerate(children):
        who = _who(c, i)
        if c.last_name is None:
            out.append((f"{who}'s last name is missing.", True))
        if c.gender is None:
            out.append((f"{who}'s sex is not stated.", True))
        if c.date_of_birth is None:
            out.append((f"{who}'s date of birth is missing.", True))
        elif c.date_of_birth.value and ref is not None:
            csa = in_compulsory_school_age(date.fromisoformat(c.date_of_birth.value), ref)
            if csa in ("below", "above"):
                sibling_of_pupil = any(  # a younger sibling listed with a school-age child
                    o.date_of_birth and o.date_of_birth.value and in_compulsory_school_age(
                        date.fromisoformat(o.date_of_birth.value), ref) is True for o in children)
                out.append((f"{who} is {csa} compulsory school age.", not sibling_of_pupil))
        if c.school.name is None and any(o.school.name is not None for o in children):
            out.append((f"{who}'s school was not identified, though a sibling's was: check it.", True))
        if category in NEEDS_CHILD and c.address.postcode is None and c.address.line1 is None:
            out.append((f"{who}'s address is missing.", True))
        elif category in NEEDS_CHILD and c.address.line1 is None:
            out.append((f"{who}'s house and street are missing from the address.", True))
        pc = c.address.postcode.value if c.address.postcode else None
        if pc and pc not in areas_said:
            areas_said.add(pc)
            area = postcode_area(pc)
            if area in _COUNCILS:
                out.append((f"The address is in {area.replace('_', ' ').title()}: refer to "
                            f"{_COUNCILS[area]}'s CME team.", category != "la_enquiry"))
            elif area.startswith("other:"):
                # another council's enquiry names its own area: information, not a doubt
                out.append((f"The address is outside Hampshire ({area[6:]}): that council's CME team "
                            f"may be responsible.", category != "la_enquiry"))
            elif postcode_district_split(pc):
                out.append((f"The postcode {pc} is in a district shared with a neighbouring council: "
                            f"check which council covers it.", False))
        for name in ("first_name", "last_name", "date_of_birth", "gender", "upn", "date_last_attended"):
            r = _weak(who, name, getattr(c, name), threshold)
            if r:
                out.append(r)
        for name in ("line1", "town", "postcode"):
            r = _weak(who, name, getattr(c.address, name), threshold)
            if r:
                out.append(r)
        for name in ("name", "urn"):
            r = _weak(who, name, getattr(c.school, name), threshold, _SCHOOL_LABELS)
            if r:
                out.append(r)
    return out


def people_reasons(referrer: Referrer, parents: tuple[ParentCarer, ...], category: str,
                   threshold: float = evidence.AUTO_ACCEPT) -> list[Reason]:
    """Uncertain referrer or parent details; a parent whose relationship is not said."""
    out: list[Reason] = []
    for name in ("name", "email", "phone", "type"):
        r = _weak("The referrer", name, getattr(referrer, name), threshold)
        if r:
            out.append(r)
    for i, p in enumerate(parents):
        who = p.name.value if p.name else f"Parent or carer {i + 1}"
        for name in ("name", "relationship", "phone", "email"):
            r = _weak(who, name, getattr(p, name), threshold)
            if r:
                out.append(r)
        if p.relationship is None:
            out.append((f"{who}'s relationship to the child is not given.", True))
        if p.name is None:
            out.append((f"The name of {who.lower()} is not given.", True))
    return out
