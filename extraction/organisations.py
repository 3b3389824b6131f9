"""The organisation and role a referrer signs with, tidied to what the record holds.

"Dunmere 0-19 Team, Brackenford Health NHS Trust" -> the trust (a team before the body it belongs to);
"Ottoline Academy (Corvin Learning Trust)" -> the academy; "Cyngor Sir X / X County Council" -> the
last of the names written side by side; a role "Neighbourhood Team, Dunmere" loses the town after it;
a role that only repeats the organisation is no role.
"""
from __future__ import annotations

import re

from config import phrasebook
from extraction.drafts import Draft
from extraction.model import Field, Span

_UNIT = re.compile(r"(?i)\b(?:team|unit|service|department|hub|office|directorate|locality|area)$")
_BODY = re.compile(r"(?i)\b(?:council|trust|school|academy|college|police|constabulary|nhs|authority|charity|"
                   r"service|services|centre|federation|practice|surgery|project|network|association|society|"
                   r"partnership|foundation|church|mosque|club|housing|hospital|clinic|borough)\b")
# what a signature line holds that is neither a role nor an organisation
_NOT_ROLE_OR_BODY = re.compile(
    r"(?i)^\W*$|^(official|protect|restricted|confidential|sent (from|with|via)\b|get outlook|"
    r"working (days|hours|pattern)|dictated\b|electronically (signed|approved|verified)|(office|opening|school|term|my) (hours|times)\b|(available|in the office|working) "
    r"(on |mon|tue|wed|thu|fri)|"
    r"part of\b|tel\b|phone\b|mob(ile)?\b|email\b|www\.|https?:|pronouns?\b|(he|she|they)/)|"
    r"^\d+[a-z]?\s+[A-Za-z]|^[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2}$|^\d[\d\s]{6,}$|"
    r"^\d{1,2}\s*[/.-]\s*\d{1,2}\s*[/.-]\s*\d{2,4}$|^\S+@\S+\.\S+$|"  # a date or an email is neither
    r"^(i|my|we|our|if|please|\*)\b|\.{4,}|(\d\D?){6,}|^[^:]{0,30}:\s|[a-z]{3,}\.$|"  # a sentence, a form row, a number
    r"^[\"“‘'].*[\"”’']\W*$|"  # a quotation (a motto, a verse)
    r"\b\d{1,2}(?:[.:]\d{2})?\s*(?:am|pm)\b|\b(?:mon|tues?|wed|thu(?:rs)?|fri)(?:day)?s?\s*(?:-|–|to)\s*(?:mon|tues?|wed|thu(?:rs)?|fri)")  # hours
_PLACE_TAIL = re.compile(r",\s*(?P<place>[A-Z][\w'’.-]+(?:\s+[A-Z][\w'’.-]+){0,2})\s*$")


def _narrowed(f: Field, value: str) -> Field:
    """`f` with its value cut to `value`, a piece of what it said; its source span follows."""
    value = value.strip()
    src = f.source
    at = (src.text or "").find(value)
    if at < 0 or src.start is None:
        return Field(value, f.confidence, src)
    return Field(value, f.confidence, Span(src.part, src.start + at, src.start + at + len(value), value, src.rule))


# a body's registration after its name: "Safe Haven Hampshire (Registered charity no. 1098765)"; a line that holds
# only the registration is a footer's
REGISTRATION = re.compile(r"(?i)[ \t]*[(\[]?[ \t]*(?:[,–-][ \t]*|is[ \t]+)?(?:a[ \t]+)?(?:registered[ \t]+)?"
                          r"(?:charity|company)[ \t]+(?:no\.?|number|registration(?:[ \t]+(?:no\.?|number))?)[ \t]*:?[ \t]*"
                          r"[\dA-Z][\d A-Z]*[)\]]?[ \t]*$")


def is_role_or_body(text: str) -> bool:
    """Whether a signature line may be a job or an organisation: not a marking, a mail app's line ("Get Outlook
    for iOS"), an address, a number or a sentence."""
    return not _NOT_ROLE_OR_BODY.search(REGISTRATION.sub("", text).strip())


def looks_like_job(text: str) -> bool:
    """Whether `text` holds a job's word ("Speech and Language Therapist", "Attendance Officer")."""
    return bool(_JOB.search(text))


def looks_like_body(text: str) -> bool:
    """Whether a line names an organisation rather than a job ("Raman Maths Tuition", "Quill Travel Ltd")."""
    return bool(_BODY.search(text) or _TRADE.search(text)) and not _JOB.search(text)


_JOB = re.compile("(?i)" + phrasebook.alternation("vocabulary", "job"))  # config/phrases/vocabulary.jsonl
_TRADE = re.compile("(?i)" + phrasebook.alternation("vocabulary", "trade"))


def tidy_organisation(value: str) -> str:
    """The organisation's own name out of what a signature line says of it."""
    text = REGISTRATION.sub("", value).strip() or value  # "X Church is a registered charity no. 1109876"
    head, sep, _motto = text.partition(": ")
    if sep and _BODY.search(head):
        text = head.strip()  # "Surrey County Council: working together to keep children safe"
    dashed = re.split(r"\s+[-–]\s+", text)
    if len(dashed) > 1 and _BODY.search(dashed[0]):
        text = dashed[0]  # "Solent NHS Trust - 0-19 Public Health Nursing", "X School - start date ..."
    text = re.sub(r"\s*\([^)]*\)\s*$", "", text).strip() or text  # "X Academy (Y Learning Trust)"
    pieces = [p.strip() for p in text.split(" / ") if p.strip()]
    if len(pieces) > 1 and _BODY.search(pieces[-1]):
        text = pieces[-1]  # two languages side by side: the last is the one the record keeps
    bars = [p.strip() for p in re.split(r"\s+[|•·]\s+", text) if p.strip()]
    if len(bars) > 1:  # "Inclusion Service | Surrey County Council", "Wyvern College | Botley Road"
        bodies = [p for p in bars if _BODY.search(p) and not _UNIT.search(p)]
        text = bodies[-1] if bodies else bars[0]
    pieces = [p.strip() for p in text.split(",") if p.strip()]
    if len(pieces) > 1 and _UNIT.search(pieces[0]) and _BODY.search(pieces[-1]):
        text = pieces[-1]  # "X Team, Y NHS Trust": the body the team belongs to
    tail = _PLACE_TAIL.search(text)
    if tail and _BODY.search(text[:tail.start()]) and not _BODY.search(tail.group("place")):
        text = text[:tail.start()].strip()  # "Riverside Medical Practice, Romsey": the town is no part of it
    return text


def tidy_role(value: str) -> str:
    """The role out of what a signature line says: "Health Visitor | Eastleigh 0-19 Team" -> "Health Visitor",
    "Police Constable 2241" -> "Police Constable" (a collar number is no part of the role)."""
    text = re.split(r"\s+[|•·]\s+", value.strip())[0]
    comma = next((i for i, ch in enumerate(text) if ch == "," and text[:i].count("(") == text[:i].count(")")), len(text))
    first, rest = text[:comma], text[comma + 1:]  # a comma outside brackets: "School Nurse (RN, SCPHN)" is one job
    if rest.strip() and looks_like_job(first) and not looks_like_job(rest) \
            and not re.match(r"(?i)\s*(?:key stage|ks ?\d|years?\b|y\d)", rest):  # "Head of Year, Key Stage 3" stays
        text = first  # "Health Visitor, Basingstoke 0-19 Team", "Sergeant, Early Intervention Hub": the job alone
    elif rest.strip() and looks_like_job(rest) and not looks_like_job(first) and not looks_like_body(first) \
            and re.fullmatch(r"\s*[A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+){1,2}\s*", first):
        text = rest.strip()  # "Sarah Kettle, Health Visitor": the writer's name, then the job
    return re.sub(r"\s+#?\d{3,6}$", "", text).strip() or value


def tidy_referrer(d: Draft) -> None:
    """The referrer's organisation and role tidied in place (see the module doc)."""
    for key in ("organisation", "role"):
        f = d.fields.get(key)
        if f is not None and f.value and not is_role_or_body(f.value):
            d.drop(key, "a marking, a mail app's line, a postcode or a street is neither role nor organisation")
    org = d.fields.get("organisation")
    if org is not None and org.value:
        tidy = tidy_organisation(org.value)
        if tidy != org.value:
            d.revise("organisation", _narrowed(org, tidy), "tidied to the organisation's name")
    role = d.fields.get("role")
    if role is None or not role.value:
        return
    tidy = tidy_role(role.value)
    if tidy != role.value:
        role = _narrowed(role, tidy)
        d.revise("role", role, "tidied to the role (no team after a bar, no collar number)")
    if org is not None and (role.value or "").casefold() == (d.get("organisation") or "").casefold():
        d.drop("role", "the organisation written twice is no role")
        return
    first, _, rest = role.value.partition(",")
    if rest and _UNIT.search(first.strip()) and re.fullmatch(r"\s*[A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+)?\s*", rest):
        # "Neighbourhood Team, Dunmere": the town is no part of it
        d.revise("role", _narrowed(role, first), "a town after the team is no part of the role")
