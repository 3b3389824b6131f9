"""Names as written in prose: the pattern of a person's name and the words that are never one.

Shared by the readers of children, parents and genders in free text.
"""
from __future__ import annotations

import re

from config import phrasebook
from extraction.given_names import EVERYDAY_WORDS
from extraction.people import TITLES
from extraction.referrer import _SIGN_OFF
from parsers.message import TextSource

UP = "A-ZÀ-ÖØ-ÞĀĂĄĆČĎĐĒĘĚĞĪŁŃŇŌŐŒŘŚŞŠȘŢȚŤŪŮŰŹŻŽ"
LOW = "a-zß-öø-ÿāăąćčďđēęěğīłńňōőœřśşšșţțťūůűźżž"
WORD = (rf"(?<![0-9{UP}{LOW}])(?:(?:[{UP}]['’])?[{UP}][{LOW}]+(?:[{UP}][{LOW}]+)?(?:[\-'’](?![sS](?![{LOW}{UP}]))[{UP}]?[{LOW}]+(?:[{UP}][{LOW}]+)?)*"
         rf"|[{UP}]{{2,}}(?:[\-'’][{UP}]{{2,}})*)(?![{LOW}{UP}])")
NAME = rf"(?P<name>(?<![0-9{UP}{LOW}])[{UP}]{{2,}}(?:-[{UP}]{{2,}})?,[ \t]*{WORD}(?:[ \t]+{WORD})?|{WORD}(?:[ \t]+{WORD}){{0,3}})"
STOP = {"the", "mum", "mother", "dad", "father", "year", "dob", "born", "school", "he", "she", "they",
         "his", "her", "their", "both", "and", "mr", "mrs", "ms", "miss", "dr", "i", "we", "child", "children",
         "pupil", "mon", "tue", "wed", "thu", "fri", "sat", "sun", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "january",
         "february", "march", "april", "may", "june", "july", "august", "september", "october", "november",
         "december", "cme", "team", "dear", "hi", "hello", "address", "mobile", "tel", "phone", "family",
         "nan", "gran", "aunt", "uncle", "brother", "sister", "son", "daughter", "name", "date", "birth",
         "upn", "gender", "male", "female", "reception", "nursery", "primary", "academy", "college",
         "junior", "infant", "council", "county", "police", "nhs", "social", "services", "last", "known",
         "urgent", "re", "fw", "fwd", "sent", "from", "to", "subject", "please", "thanks", "regards", "kind",
         "telephone", "email", "e-mail", "relationship", "role", "town", "postcode", "surname", "forename",
         "section", "child", "parent", "carer", "referrer", "tel", "contact", "number", "reference", "ref",
         # verbs a form's answer starts with ("Reason: Offered Y7 place, never started")
         "offered", "moved", "left", "started", "refused", "attended", "removed", "placed", "excluded",
         "transferred", "enrolled", "registered", "withdrawn", "deregistered", "admitted", "allocated",
         # verbs that open a question ("Has Oliver now started at his new school?")
         "has", "have", "had", "is", "was", "were", "are", "does", "did", "can", "could", "should", "would",
         # a service's name written like a person's ("supported by Early Help in Year 6")
         "help",
         # a note's mark at the start of a line ("PS sorry forgot to add - DOB 02/02/2012"; "NB", "FAO")
         "ps", "pps", "nb", "fyi", "fao", "attn", "asap",
         # a child spoken of by what they are, not who ("the biggest boy is 11 or 12")
         "boy", "boys", "girl", "girls", "kid", "kids", "lad", "lads", "baby", "twins", "teenager", "eldest", "youngest",
         "oldest", "biggest", "middle"}


def same_name(a: str | None, b: str | None) -> bool:
    """The same person's name, whichever way round it is written."""
    return bool(a and b) and sorted(a.casefold().replace(",", " ").split()) == sorted(b.casefold().replace(",", " ").split())


# everyday English words ("in", "upon", "whose"), less the few that are also surnames or given names
_ENGLISH = EVERYDAY_WORDS - {"will", "back", "well", "still", "down", "side", "call", "front", "top", "bottom", "keep",
                             "more", "rather", "sixty", "twenty", "hundred"}


# "Food Bank", "Youth Club": a name ending in a body's word is a body's (config/phrases/vocabulary.jsonl)
_BODY_WORDS = phrasebook.alternation("vocabulary", "not_a_person")
_BODY_WORD = re.compile(rf"(?:{_BODY_WORDS})$")
_BODY_AFTER = re.compile(rf"[ \t]+(?:[A-Z][\w'’&-]*[ \t]+){{0,3}}(?:{_BODY_WORDS})\b")


def before_a_body(text: str, end: int) -> bool:
    """Whether the capitalised words ending at `end` run on into a body's name ("Brighton Hill Community| Food
    Bank"): the start of an organisation's name, not a person's."""
    return bool(_BODY_AFTER.match(text, end))


def name_ok(name: str) -> bool:
    """Whether `name` may be a person's: none of its words is a form's word, a title or an everyday English word
    ("In Poland Zuzanna": "In" is no name), and its last word is no body's ("Food Bank")."""
    words = [w.strip(",") for w in name.split()]
    return bool(words) and not _BODY_WORD.fullmatch(words[-1]) and words[0].lower() not in _SUBJECTS and not any(
        w.lower() in STOP or w.lower() in TITLES or w.lower() in _ENGLISH or w.lower() in _SCHOOL_KIND
        or _CONTRACTION.search(w) for w in words)


_SCHOOL_KIND = {"school", "schools", "academy", "college", "primary", "juniors", "infant", "infants", "nursery"}
# a school subject opening a timetable's cell ("Maths (CGP Year 6)"): a lesson, not a child
_SUBJECTS = {"maths", "math", "mathematics", "english", "science", "history", "geography", "french", "spanish", "german",
             "computing", "phonics", "literacy", "numeracy", "spelling", "grammar", "pe", "re", "rshe", "pshe"}
# "Hamworthy Park Juniors (Year 5)": a school's name, not a child's


_CONTRACTION = re.compile(r"(?:['’](?:re|ve|ll|m|d)|n['’]t)$")  # "They're in year 9": a pronoun and a verb, no name


PLACE = re.compile(r"(?:(?:St\.?|[A-Z][\w'’\-]*)\s+){1,6}(?:School|Academy|College|Primary|Junior|Infant|Nursery|"
                    r"Road|Street|Lane|Close|Avenue|Drive|Way|Gardens|Court|Crescent|Council|Services|Team|Trust)\b")


# a paragraph the writer added under their signature: "P.S. ...", or one in their own voice ("My daughter is ...")
_POSTSCRIPT = re.compile(r"(?m)(?<=\n\n)[ \t]*(?:P\.?[ \t]?S\.?\b[:.,]?|(?:My|Our|I|We|I'm|I’m)\b)[^\n]{25,}(?:\n[^\n]+)*")


def regions(source: TextSource) -> list[tuple[int, int]]:
    """Stretches of the text that are people's own words: each message of a thread up to its sign-off
    (the signature block and any disclaimer after it are left out)."""
    text = source.text
    out, start = [], 0
    for m in _SIGN_OFF.finditer(text):
        out.append((start, m.start()))
        nxt = re.search(r"(?m)^(?:[ \t>]*(?:From|On .{5,120}wrote):|-{3,} ?(?:Forwarded|Original))|"
                        r"^[ \t]*[-_=*]{10,}[ \t]*$(?=(?:\n.*){0,12}?\n[ \t]*(?:Dear\b|R[Ee]:|Ref:|(?i:to whom?\b|my name is\b)))",
                        text[m.end():])
        # a letter or note pasted under a cover note's sign-off, after a rule ("-----" ... "Dear Sir/Madam",
        # "To whom it may concern", "My name is ...")
        start = m.end() + nxt.start() if nxt else len(text)
        below = [g.start for g in source.segments if g.kind == "top" and g.start >= m.end()]
        start = min([start] + below[:1])  # a reply written under the message it quotes ("... Sue Halstead // Hi Sue")
        ps = _POSTSCRIPT.search(text, m.end(), min(start, m.end() + 400))
        if ps:  # "Thanks / Sharnie Kerswell // My daughter is Lacey, she's 11 ...": written after the name, still theirs
            out.append((ps.start(), ps.end()))
    out.append((start, len(text)))
    return [(s, e) for s, e in out if e > s]
