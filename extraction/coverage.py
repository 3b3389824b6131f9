"""Checks that do not depend on wording: everything the writer gave is accounted for, and agrees.

Coverage: every person's name, phone number, email address, postcode, date that could be a
child's date of birth and school-like name in the writer's own words (not a signature, a
disclaimer or a quoted earlier message) is either a value of the record or set aside for a
stated reason (the writer's own details, the service's own addresses, a professional named with
their role, a school the child is going to). Anything left over is the commonest symptom of a
person given the wrong role or missed, whatever the phrasing, so it sends the record to review
with a sentence saying what was left over.

Consistency: the values agree with one another (a stated age or year group and the date of birth, a
town and its postcode, a register school's ages and the child's).

Pure: the parsed message, the record's values and the NER spans the prose reader already made.
"""
from __future__ import annotations

import re
from datetime import date
from typing import Any, Iterable

from config import phrasebook
from extraction.dates import MONTHS, find_ages, find_dates, year_group
from extraction.given_names import EVERYDAY_WORDS, is_given_name
from extraction.grading import fold
from extraction.identifiers import find_emails, find_phones, find_postcodes
from extraction.model import Child, Field, ParentCarer, Referrer
from extraction.safeguarding import passages
from parsers.message import ParsedMessage

OWN_KINDS = ("top", "forwarded")  # the writer's own words; signatures, disclaimers and quotes are not
# a professional named with their role, an office or helpline number, a school the child is going to
_ROLE_NEAR = re.compile(
    r"(?i)\b(teacher|tutor|head ?teacher|head of|deputy|senco|dsl|safeguarding lead|social worker|sw|caseworker|"
    r"case worker|officer|manager|co-?ordinator|nurse|health visitor|midwife|gp|dr|doctor|pc|ps|ds|dc|sergeant|"
    r"inspector|pcso|colleague|advis[eo]r|practitioner|worker|clerk|receptionist|administrator|solicitor|"
    r"cc['’]?d|copied|copying|cc|principal|bursar|lead|senior|team)\b")
_OFFICE_NEAR = re.compile(r"(?i)\b(office|reception|helpline|switchboard|main number|childline|nspcc|mash|"
                          r"front door|duty|out of hours|team|101|999|111)\b[^.\n]{0,40}$")
_GOING_TO = re.compile(r"(?i)\b(new school|moving to|moved to|start(ing|ed|s)? at|join(ing|ed|s)?|transfer(ring|red)? to|"
                       r"place at|offered|destination|going to|will attend|now attend\w*|admitted to|on roll at|"
                       r"previous(ly)?|before that|prior to|used to attend|sibling|brother|sister|cousin)\b[^.\n]{0,60}$")
_ORGANISATION_MAILBOX = re.compile(r"(?i)(no-?reply|do-?not-?reply|info|enquir|admin|office|reception|team|"
                                   r"contact|hello|mail|data|attendance|safeguarding|mash|referrals?|duty|school)")
_TITLE = {"mr", "mrs", "ms", "miss", "mx", "dr"}
_PLACE_WORD = {"walk", "meadow", "meadows", "gardens", "park", "green", "hill", "rise", "view", "grove", "crescent",
               "place", "row", "mews", "field", "fields", "wood", "woods", "common", "heath", "oak", "oaks", "vale",
               "end", "cross", "bridge", "ford", "down", "downs", "gate", "square", "terrace", "surname", "forename",
               "name", "uploaded", "gypsy", "traveller", "roma", "hotel", "garrison", "barracks", "database",
               "statement", "response", "learning", "privacy", "policy", "notice", "report", "record", "records",
               "system", "portal", "hub", "centre", "center", "network", "partnership", "board", "panel", "unit"}
_NAME_WORD = re.compile(r"^[A-Z][a-z'’\-]+$|^[A-Z]{2,}$")
_NOT_A_PERSON = {"school", "academy", "college", "primary", "junior", "infant", "council", "county", "team",
                 "road", "street", "lane", "close", "avenue", "drive", "way", "house", "court", "hampshire",
                 "service", "services", "centre", "trust", "nhs", "police", "office", "unit", "year", "dear",
                 "kind", "regards", "thanks", "many", "best", "ref", "re", "fw", "fwd", "missing", "education",
                 "children", "child", "family", "support", "health", "officer", "manager", "cme", "ehe",
                 "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "mum", "dad",
                 # a mail client's own words: "----- Forwarded Message -----", "Original Message", "Sent Items"
                 "forwarded", "original", "message", "sent", "subject", "attachment", "attachments", "reply",
                 # greetings and sign-offs: "Hi Gemma", "Morning Sue", "Cheers Dave"
                 "hi", "hello", "hey", "morning", "afternoon", "evening", "cheers", "love", "warm", "sincerely"}


def _values(referrer: Referrer, children: Iterable[Child], parents: Iterable[ParentCarer]) -> list[tuple[str, Field]]:
    out: list[tuple[str, Field]] = []

    def add(path: str, obj: Any) -> None:
        for name in obj.__dataclass_fields__:
            v = getattr(obj, name)
            if isinstance(v, Field):
                out.append((f"{path}.{name}", v))
            elif v is not None and hasattr(v, "__dataclass_fields__"):
                add(f"{path}.{name}", v)

    add("referrer", referrer)
    for c in children:
        add("child", c)
    for p in parents:
        add("parent", p)
    return out


def _covered(part: str, s: int, e: int, values: list[tuple[str, Field]], written: str) -> bool:
    """A value of the record was read from these words (its span overlaps them and it says the same)."""
    said = re.sub(r"\W", "", fold(written))
    for _, f in values:
        src = f.source
        if src.part != part or src.start is None or src.end is None or not (src.start < e and s < src.end):
            continue
        value = re.sub(r"\W", "", fold(f.value or ""))
        if value and (value in said or said in value):
            return True
    return False


def _own_spans(parsed: ParsedMessage) -> dict[str, list[tuple[int, int]]]:
    spans: dict[str, list[tuple[int, int]]] = {}
    for p in passages(parsed):
        if p.kind in OWN_KINDS and p.weight >= 1.0 and p.part != "subject":
            spans.setdefault(p.part, []).append((p.start, p.end))
    return spans


def leftovers(parsed: ParsedMessage, referrer: Referrer, children: tuple[Child, ...],
              parents: tuple[ParentCarer, ...], entities: dict[str, list[tuple[str, int, int, str]]],
              own_addresses: Iterable[str], ref: date) -> list[str]:
    """What the writer gave that the record neither holds nor sets aside, as short descriptions."""
    values = _values(referrer, children, parents)
    phones = {re.sub(r"\D", "", f.value or "") for p, f in values if p.endswith("phone")}
    emails = {(f.value or "").lower() for p, f in values if p.endswith("email")}
    emails |= {a.lower() for a in own_addresses} | {(parsed.from_address or "").lower()}
    postcodes = {re.sub(r"\s", "", f.value or "").upper() for p, f in values if p.endswith("postcode")}
    dobs = {f.value for p, f in values if p.endswith("date_of_birth")}
    found: list[str] = []
    sources = {s.part: s for s in parsed.sources}
    for part, spans in _own_spans(parsed).items():
        text = sources[part].text if part in sources else ""
        inside = lambda s, e: any(a <= s and e <= b for a, b in spans)  # noqa: E731
        for ph in find_phones(text):
            if ph.value and inside(ph.start, ph.end) and re.sub(r"\D", "", ph.value) not in phones \
                    and not _covered(part, ph.start, ph.end, values, ph.value) and not _OFFICE_NEAR.search(text[max(0, ph.start - 60):ph.start]):
                found.append(f"the phone number {text[ph.start:ph.end].strip()}")
        for em in find_emails(text):
            if em.value and inside(em.start, em.end) and em.value.lower() not in emails \
                    and not _ORGANISATION_MAILBOX.search(em.value.split("@")[0]):
                found.append(f"the email address {em.value}")
        for pc in find_postcodes(text):
            if pc.value and inside(pc.start, pc.end) and re.sub(r"\s", "", pc.value).upper() not in postcodes \
                    and not _covered(part, pc.start, pc.end, values, pc.value):
                found.append(f"the postcode {pc.value}")
        for when, s, e in find_dates(text, ref):
            age = (ref - when).days / 365.25
            if inside(s, e) and 2 <= age <= 19 and when.isoformat() not in dobs \
                    and re.search(r"(?i)\b(dob|d\.o\.b|born|birth|b\.)\b", text[max(0, s - 40):s]):
                found.append(f"the date of birth {text[s:e].strip()}")
    found.extend(f"the person {name}" for _, _, _, name in
                 unexplained_people(parsed, referrer, children, parents, entities))
    return list(dict.fromkeys(found))


def unexplained_people(parsed: ParsedMessage, referrer: Referrer, children: tuple[Child, ...],
                       parents: tuple[ParentCarer, ...], entities: dict[str, list[tuple[str, int, int, str]]]
                       ) -> list[tuple[str, int, int, str]]:
    """The people named in the writer's own words (part, start, end, name as written) whom the record neither
    holds nor sets aside: not the writer, not a person of the record by first name or by title and surname, not a
    professional named with their role."""
    values = _values(referrer, children, parents)
    first_words = set()
    for p, f in values:
        if p.endswith(("first_name", "last_name", ".name")) and "school" not in p:
            first_words.update(fold(f.value or "").split())
    writer = fold(parsed.from_name or "")
    found: list[tuple[str, int, int, str]] = []
    sources = {s.part: s for s in parsed.sources}
    for part, spans in _own_spans(parsed).items():
        text = sources[part].text if part in sources else ""
        for label, s, e, name in _people(text, entities.get(part, [])):
            if label != "PERSON" or not any(a <= s and e <= b for a, b in spans) or _covered(part, s, e, values, name):
                continue
            words = name.split(" ")
            if _SCHOOL_AFTER.match(text, e):
                continue  # "on roll at Alfred Sutton Primary": a school named after a person
            if "\n" in name or len(words) < 2 or not all(_NAME_WORD.match(w) and not re.fullmatch(r"X{2,}", w) for w in words) \
                    or any(w.lower().strip("'’s") in _NOT_A_PERSON | _PLACE_WORD for w in words):
                continue
            folded = fold(re.sub(r"['’]s$", "", name)).split()
            titled = is_titled(name)
            if titled and folded[-1] in first_words:
                continue  # "Mrs Example": a person of the record by title and surname
            if not titled and folded[0] in first_words or " ".join(folded) in writer:
                continue
            around = text[max(0, s - 40):min(len(text), e + 40)]
            if _ROLE_NEAR.search(around):
                continue  # a professional named with their role: not the family's
            found.append((part, s, e, name))
    return found


_GIVEN_AND_FAMILY = re.compile(r"(?<![\w'’-])([A-Z][a-z'’]+(?:-[A-Z][a-z'’]+)?)[ \t]+([A-Z][a-z'’-]+|[A-Z]{2,}[A-Z'’-]*)(?![\w'’-])")
_SCHOOL_AFTER = re.compile(r"[ \t]+(?:(?:Community|Church|C of E|CofE|CE|Catholic|RC)[ \t]+)?(?:Primary|Junior|Infants?|School|"
                           r"Academy|College|High|Secondary|Grammar)\b")
_MONTH_NAMES = {max((w for w in MONTHS if MONTHS[w] == n), key=len) for n in range(1, 13)}  # in full, not "Jan"
_NOT_IN_A_NAME = frozenset(_NOT_A_PERSON | _PLACE_WORD | _MONTH_NAMES)


def _people(text: str, entities: list[tuple[str, int, int, str]]) -> list[tuple[str, int, int, str]]:
    """The tagger's people, and the names it missed or took for a place or a firm ("Tayla Dunn, Rio Dunn, Mason
    Dunn"): a capitalised pair whose first word is a given name in the name dictionary and neither word an everyday
    English word, a month or a word of a place or an organisation."""
    found = [ent for ent in entities if ent[0] == "PERSON"]
    taken = [(s, e) for _, s, e, _ in found]
    for m in _GIVEN_AND_FAMILY.finditer(text):
        first, last = m.group(1), m.group(2)
        words = {first.lower(), last.lower()}
        if any(a < m.end() and m.start() < b for a, b in taken) or words & _NOT_IN_A_NAME \
                or last.lower() in EVERYDAY_WORDS or not is_given_name(first.split("-")[0]):
            continue
        found.append(("PERSON", m.start(), m.end(), m.group(0)))
    return sorted(found, key=lambda ent: ent[1])


def is_titled(name: str) -> bool:
    """Whether a name starts with a title ("Ms Donna Marsh"): a grown-up."""
    return fold(name).split()[0] in _TITLE


_YEAR_GROUP = re.compile(r"(?i)\b(?:year|yr|y)[ \t]?(?P<n>1[0-3]|[1-9])\b(?![/.:-]?\d)|\b(?:(?:in|into|start(?:s|ed|ing)?)[ \t]+(?P<r>reception)|(?P<r2>reception)[ \t]+(?:class|year|pupil|child))\b")


def find_year_groups(text: str) -> set[int]:
    """The national curriculum years named in `text` ("Year 7", "Y10", "yr 3"; Reception is 0)."""
    return {0 if m.group("r") or m.group("r2") else int(m.group("n")) for m in _YEAR_GROUP.finditer(text)}


def _age(dob: date, on: date) -> int:
    return on.year - dob.year - ((on.month, on.day) < (dob.month, dob.day))


def family_names(parsed: ParsedMessage) -> list[tuple[str, str, str]]:
    """The surnames the message gives a family ("the Hendry family", "Re: Okafor children"), each with the
    sentence it is in and the rule that found it (config/phrases/family_names.jsonl)."""
    out: list[tuple[str, str, str]] = []
    for s in parsed.sources:
        for ph in phrasebook.table("family_names"):
            for m in ph.pattern.finditer(s.text):
                lo = max(s.text.rfind(c, 0, m.start()) for c in ".!?\n") + 1
                ends = [i for i in (s.text.find(c, m.end()) for c in ".!?\n") if i >= 0]
                out.append((m.group("surname"), s.text[lo:min(ends, default=len(s.text))], ph.id))
    return out


def _surname_clashes(parsed: ParsedMessage, children: tuple[Child, ...]) -> list[str]:
    """A child the message places in a family by surname in one sentence ("the Hendry children, Jack and
    Lily") whose recorded surname is another: one of the two names was read wrongly."""
    out: list[str] = []
    for surname, sentence, _rule in family_names(parsed):
        for c in children:
            first = c.first_name.value if c.first_name else None
            last = c.last_name.value if c.last_name else None
            if first and last and fold(last) != fold(surname) and fold(surname) not in fold(last).split() \
                    and re.search(rf"\b{re.escape(first)}\b", sentence):
                out.append(f"the message names {first} among the {surname} family but the record gives the surname {last}")
    return list(dict.fromkeys(out))


def inconsistencies(parsed: ParsedMessage, children: tuple[Child, ...], ref: date, register: Any = None,
                    referrer: Referrer | None = None) -> list[str]:
    """Values that disagree with each other, in words: a town outside its postcode's area; with one child,
    an age or year group stated in the text that the date of birth contradicts; a register school whose
    statutory ages the child's age is well outside (a 14-year-old at an infant school); a referrer whose
    email belongs to one public body (config/organisations.csv) recorded as working for another; a child the
    message places among "the Hendry family" in one sentence but recorded with another surname; a register
    school in another postcode area than the family's."""
    out: list[str] = []
    out.extend(_surname_clashes(parsed, children))
    email = referrer.email.value if referrer and referrer.email else None
    organisation = referrer.organisation.value if referrer and referrer.organisation else None
    if email and organisation:
        body = phrasebook.organisation_of(email)
        bodies = {fold(b): b for b in phrasebook.organisations_by_domain().values()}
        other = bodies.get(fold(organisation))
        if body and other and other != body:
            out.append(f"the referrer's address {email} belongs to {body}, not {other}")
    for c in children:
        town, pc = (c.address.town.value if c.address.town else None), (c.address.postcode.value if c.address.postcode else None)
        if register is not None and town and pc and register.town_fits_postcode(town, pc) is False:
            out.append(f"the town {town} is not in the postcode area of {pc}")
            break
    for c in children:
        urn = c.school.urn.value if c.school.urn else None
        ages = register.ages_of(urn) if register is not None and urn and c.date_of_birth and c.date_of_birth.value else None
        if ages:
            age = _age(date.fromisoformat(c.date_of_birth.value), ref)  # type: ignore[union-attr]
            if not ages[0] - 1 <= age <= ages[1] + 2:  # a year's slack each way, two for a school left a while ago
                name = c.school.name.value if c.school.name else urn
                out.append(f"{name} takes pupils aged {ages[0]} to {ages[1]} but the date of birth makes the child {age}")
    for c in children:  # a same-named school of another area is the commonest wrong URN (4 times as often wrong)
        urn = c.school.urn.value if c.school.urn else None
        pc = c.address.postcode.value if c.address.postcode else None
        school_area = register.postcode_area_of(urn) if register is not None and urn else None
        family_area = re.match(r"[A-Z]{1,2}", pc.upper()) if pc else None
        if school_area and family_area and school_area != family_area.group(0):
            name = c.school.name.value if c.school.name else urn
            out.append(f"{name} is in the {school_area} postcode area but the family's postcode {pc} is not "
                       f"(right if the family has moved; otherwise check the school)")
            break
    if len(children) == 1 and children[0].date_of_birth and children[0].date_of_birth.value:
        dob = date.fromisoformat(children[0].date_of_birth.value)
        age = _age(dob, ref)
        own = [s.text for s in parsed.sources if s.part != "header"]
        stated = {n for text in own for n, _, _ in find_ages(text)}
        if stated and all(abs(n - age) > 1 for n in stated) and len(stated) == 1:
            out.append(f"the message gives an age of {next(iter(stated))} but the date of birth makes the child {age}")
        years = {y for text in own for y in find_year_groups(text)}
        group = year_group(dob, ref)
        if len(years) == 1 and 0 <= group <= 13 and abs(next(iter(years)) - group) > 1:
            out.append(f"the message names Year {next(iter(years))} but the date of birth puts the child in Year {group}")
    return out
