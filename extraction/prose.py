"""People in free text: children and parents/carers named in sentences, by the cue that says whose name it is.

A name becomes a child only with a child cue (a date of birth right after it, "her brother X",
"X, aged 9", a list line with "boy"/"girl"); a parent only with a relationship cue ("his mother,
X", "X (mum)"). A PERSON without a cue fills no field. Signature blocks and disclaimers are skipped.
"""
from __future__ import annotations

import re
from datetime import date
from typing import Any

from extraction import evidence
from extraction.dates import find_dates
from extraction.drafts import Draft
from extraction.forms import FormReading
from extraction.identifiers import find_phones, find_upns
from extraction.model import Field
from extraction.nlp import entities
from extraction.places import read_places, read_schools
from extraction.people import RELATION_PATTERN, RELATIONSHIPS, TITLES, clean_name, split_name
from extraction.referrer import _DISCLAIMER, _SIGN_OFF
from parsers.message import ParsedMessage, TextSource

_UP = "A-ZÀ-ÖØ-ÞĀĂĄĆČĎĐĒĘĚĞĪŁŃŇŌŐŒŘŚŞŠȘŢȚŤŪŮŰŹŻŽ"
_LOW = "a-zß-öø-ÿāăąćčďđēęěğīłńňōőœřśşšșţțťūůűźżž"
_WORD = (rf"(?:(?:[{_UP}]['’])?[{_UP}][{_LOW}]+(?:[{_UP}][{_LOW}]+)?(?:[\-'’][{_UP}]?[{_LOW}]+(?:[{_UP}][{_LOW}]+)?)*"
         rf"|[{_UP}]{{2,}}(?:[\-'’][{_UP}]{{2,}})*)(?![{_LOW}{_UP}])")
NAME = rf"(?P<name>[{_UP}]{{2,}}(?:-[{_UP}]{{2,}})?,[ \t]*{_WORD}|{_WORD}(?:[ \t]+{_WORD}){{0,3}})"
_STOP = {"the", "mum", "mother", "dad", "father", "year", "dob", "born", "school", "he", "she", "they",
         "his", "her", "their", "both", "and", "mr", "mrs", "ms", "miss", "dr", "i", "we", "child", "children",
         "pupil", "mon", "tue", "wed", "thu", "fri", "sat", "sun", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "january",
         "february", "march", "april", "may", "june", "july", "august", "september", "october", "november",
         "december", "cme", "team", "dear", "hi", "hello", "address", "mobile", "tel", "phone", "family",
         "nan", "gran", "aunt", "uncle", "brother", "sister", "son", "daughter", "name", "date", "birth",
         "upn", "gender", "male", "female", "reception", "nursery", "primary", "academy", "college",
         "junior", "infant", "council", "county", "police", "nhs", "social", "services", "last", "known",
         "urgent", "re", "fw", "fwd", "sent", "from", "to", "subject", "please", "thanks", "regards", "kind",
         "telephone", "email", "e-mail", "relationship", "role", "town", "postcode", "surname", "forename",
         "section", "child", "parent", "carer", "referrer", "tel", "contact", "number", "reference", "ref"}
_DOB_CUE = re.compile(r"(?i)^[^.\n;]{0,40}?\b(?:d\.?o\.?b\.?|born(?: on)?|date of birth)\b[\s:.\-–]*")
_SIB = re.compile(rf"\b(?:[Hh]is|[Hh]er|[Tt]heir|[Tt]he|[Mm]y|[Oo]ur)[ \t]+(?:(?:little|younger|older|big|elder|twin|baby|"
                  rf"half|step)[ \t]+)?(?P<rel>brother|sister|son|daughter)s?(?:,|[ \t]+is|[ \t]+called)?[ \t]+{NAME}")
_PARENT = re.compile(rf"(?:(?i:\b(?:his|her|their|the children'?s?|the child'?s|the|a|with)[ \t]+)|"
                     rf"\b{_WORD}['’]s[ \t]+)(?i:(?:birth[ \t]+)?(?P<rel>{RELATION_PATTERN}))[ \t]*,?[ \t]*"
                     rf"(?:(?:Mr|Mrs|Ms|Miss|Dr)\.?[ \t]+)?{NAME}")
_PARENT_LEAD = re.compile(rf"(?:^|(?<=[.!?;]\s)|(?<=[.!?;]\s\s)|(?<=\n))[ \t]*(?P<rel>Mum|Mother|Dad|Father|Nan|Nana|Gran|"
                          rf"Grandma|Grandad|Stepdad|Stepmum|Aunt|Auntie|Uncle|Carer|Foster carer)[ \t]*[,:]\s*"
                          rf"(?:(?:Mr|Mrs|Ms|Miss|Dr)\.?[ \t]+)?{NAME}", re.MULTILINE)
_PARENT_IS = re.compile(rf"\b(?P<rel>(?i:{RELATION_PATTERN}))(?:['’]s name)?[ \t]+(?:is|was|called|named)[ \t]+"
                        rf"(?:(?:Mr|Mrs|Ms|Miss|Dr)\.?[ \t]+)?{NAME}")
_SPOUSE = re.compile(rf"\b[Mm]y[ \t]+(?P<rel>wife|husband)[ \t]*,?[ \t]+{NAME}")
_UPN_CUE = re.compile(r"(?i)\bupn\b(?:\s+(?:number|no\.?))?(?:\s+is)?\W{0,3}$")
_NICKNAME = re.compile(rf"\b(?P<nick>{_WORD})[ \t]*\((?P<legal>{_WORD})\)[ \t]+(?P<last>{_WORD})")
_HAS_CHILDREN = re.compile(rf"(?P<title>Mr|Mrs|Ms|Miss)\.?[ \t]+{NAME}[ \t]*(?:\((?P<tail>[^)]{{0,40}})\)[ \t]*)?"
                           r"(?:has|have|with|brought|took|and)[ \t]+(?:her|his|their)?[ \t]*"
                           r"(?:one|two|three|four|five|six|\d)?[ \t]*(?:[\w-]+[ \t]+)?"
                           r"(?:children|child|sons?|daughters?|boys?|girls?)\b")
_AND_CHILDREN = re.compile(rf"{NAME}[ \t]+and[ \t]+(?P<pro>her|his)[ \t]+(?:(?:one|two|three|four|five|six|\d)[ \t]+)?"
                           r"(?:young[ \t]+)?(?:children|child|sons?|daughters?|kids)\b")
_PARENT_PAREN = re.compile(rf"\b(?P<rel>(?i:{RELATION_PATTERN}))[ \t]*\([ \t]*(?:(?:Mr|Mrs|Ms|Miss|Dr)\.?[ \t]+)?{NAME}[ \t]*\)")
_CHILD_NOUN = re.compile(rf"\b(?P<noun>girl|boy|child|young person|pupil|student|teenager|son|daughter)"
                         rf"(?:[ \t]*,|[ \t]+(?:called|named))[ \t]+{NAME}")
_NAME_IS = re.compile(rf"\b(?:(?P<pro>[Hh]is|[Hh]er)[ \t]+(?:first[ \t]+)?name[ \t]+(?:is|was)|"
                      rf"gave[ \t]+(?P<pro2>his|her)[ \t]+name[ \t]+as)[ \t]+{NAME}")
_SURNAME_IS = re.compile(rf"\b(?:his|her)[ \t]+(?:sur|last[ \t]+|family[ \t]+)name[ \t]+(?:is|was|might be)[ \t]+{NAME}")
_CHILD_WORD = re.compile(r"(?i)\b(?:boy|girl|child|young person|teenager|pupil|student|son|daughter|kid)\b")
_PARENT_AFTER = re.compile(rf"{NAME}[ \t]*\((?P<rel>(?i:{RELATION_PATTERN}))\)")
_YEAR_AFTER = re.compile(r"^(?:[ \t]*,[ \t]*|[ \t]*\(|[ \t]+in[ \t]+|[ \t]+)(?:Year|Yr|Y)[ \t]?(?:\d{1,2}|R)\b")
_AGE_AFTER = re.compile(r"^(?:[ \t]*,[ \t]*(?:who is|who's|aged?|now)?[ \t]*(?:about[ \t]+)?|[ \t]*\((?:aged?[ \t]*)?"
                        r"|[ \t]+(?:is|aged?)[ \t]+)(?P<age>\d{1,2})\b(?![/.:]\d)"
                        r"(?![ \t]+(?!years?\b|yrs?\b|y/?o\b|and\b|or\b)[A-Za-z])")  # not "Hotel, 1 Station Approach"
_GENDER_NEAR = re.compile(r"(?i)\((?P<mf>m|f)\)|\b(?P<word>girl|boy|daughter|son)\b")
_PRONOUN = re.compile(r"\b(?P<p>he|his|him|she|her|hers)\b", re.I)
_HE = {"he", "his", "him"}
_PLACE = re.compile(r"(?:(?:St\.?|[A-Z][\w'’\-]*)\s+){1,6}(?:School|Academy|College|Primary|Junior|Infant|Nursery|"
                    r"Road|Street|Lane|Close|Avenue|Drive|Way|Gardens|Court|Crescent|Council|Services|Team|Trust)\b")
def _regions(source: TextSource) -> list[tuple[int, int]]:
    """Stretches of the text that are people's own words (no signature block or disclaimer)."""
    text = source.text
    out, start = [], 0
    for m in _SIGN_OFF.finditer(text):
        out.append((start, m.start()))
        nxt = re.search(r"(?m)^(?:[ \t>]*(?:From|On .{5,120}wrote):|-{3,} ?(?:Forwarded|Original))", text[m.end():])
        start = m.end() + nxt.start() if nxt else len(text)
    out.append((start, len(text)))
    clean = []
    for s, e in out:
        d = _DISCLAIMER.search(text, s, e) if False else None
        clean.append((s, e if d is None else d.start()))
    return [(s, e) for s, e in clean if e > s]


def _same_name(a: str | None, b: str | None) -> bool:
    """The same person's name, whichever way round it is written."""
    return bool(a and b) and sorted(a.casefold().replace(",", " ").split()) == sorted(b.casefold().replace(",", " ").split())


def _name_ok(name: str) -> bool:
    words = [w.strip(",") for w in name.split()]
    return bool(words) and not any(w.lower() in _STOP or w.lower() in TITLES for w in words)


def _child(reading: FormReading, first: str) -> Draft:
    for c in reading.children:
        if first.casefold() in ((c.get("first_name") or "").casefold(), (c.get("known_as") or "").casefold()):
            return c
    d = Draft("child")
    reading.children.append(d)
    return d


def _add_child(reading: FormReading, text: str, part: str, s: int, e: int, conf: float) -> Draft | None:
    raw = text[s:e]
    if not _name_ok(raw):
        return None
    surname_first = "," in raw
    if surname_first:
        last, _, first = raw.partition(",")
        first, last = first.strip(), last.strip()
    else:
        first, last = split_name(raw)
    d = _child(reading, first)
    fs = text.find(first, s)
    d.offer("first_name", evidence.at(first, conf, part, text, fs, fs + len(first)))
    if last:
        ls = text.find(last, s)
        d.offer("last_name", evidence.at(last, conf, part, text, ls, ls + len(last)))
    return d


Entities = list[tuple[str, int, int, str]]
_FEMALE_CUE = re.compile(r"(?i)\b(?:mum|mummy|mother|nan|nana|gran|granny|grandmother|grandma|sister|aunt|auntie|"
                         r"stepmum|stepmother|daughter|girl|woman|lady|mrs|ms|miss|girlfriend|wife)\b")
_MALE_CUE = re.compile(r"(?i)\b(?:dad|daddy|father|grandad|grandfather|grandpa|brother|uncle|stepdad|stepfather|"
                       r"son|boy|man|mr|boyfriend|husband)\b")
_OTHER_CUE = re.compile(r"(?i)\b(?:friend|teacher|tutor|worker|officer|nurse|partner|carer|parent|parents|"
                        r"neighbour|sibling|dr|police|pc)\b")


def _gender_after(d: Draft, text: str, part: str, e: int, limit: int, conf: float,
                  ents: Entities = (), others: tuple[str, ...] = ()) -> None:  # type: ignore[assignment]
    """The gender a child's name is followed by: "(F)", "girl", or the pronoun that can only be the child's."""
    window = text[e:limit]
    m = _GENDER_NEAR.search(window[:60].split("\n")[0])
    if m:
        g = (m.group("mf") or m.group("word")).lower()
        value = "male" if g in ("m", "boy", "son") else "female"
        s = e + m.start()
        d.offer("gender", evidence.at(value, conf, part, text, s, e + m.end()))
        return
    p = _PRONOUN.search(window[:250])
    if p is None:
        return
    male = p.group("p").lower() in _HE
    raw_between = window[:p.start()]
    between = _PLACE.sub(" ", re.sub(r"\([^)]*\)", " ", raw_between))
    if len(re.findall(r"[.!?]\s", between)) > 1 or between.count("\n\n") or _OTHER_CUE.search(between):
        return
    if (_MALE_CUE if male else _FEMALE_CUE).search(between):
        return  # someone else the pronoun could mean
    if any(o and re.search(rf"\b{re.escape(o)}\b", between) for o in others):
        return  # another child named in between
    if ents:
        if any(label == "PERSON" and e < s0 < e + p.start() for label, s0, _e, _t in ents):
            return
    elif re.search(rf"(?<![.!?;:\n]\s)(?<![.!?;:\n])\b(?!I\b){_WORD}", between.lstrip(" ,)")) and \
            not (_FEMALE_CUE if male else _MALE_CUE).search(between):
        return  # without a tagger, any other capitalised word may be a person
    value = "male" if male else "female"
    d.offer("gender", evidence.at(value, evidence.PROSE_CUE, part, text, e + p.start(), e + p.end()))




def _tagged(ents: Entities, start: int, end: int) -> str | None:
    """The tagger's label of the entity covering text[start:end], if any."""
    for label, s, e, _ in ents:
        if s <= start and end <= e:
            return label
    return None


def read_source(source: TextSource, ref: date, reading: FormReading, lo: int, hi: int,
                ents: Entities = ()) -> None:  # type: ignore[assignment]
    """Children and parents named in source.text[lo:hi]; `ents` are the tagger's entities of the text."""
    text, part = source.text, source.part
    found: list[tuple[Draft, int, int]] = []
    claimed = [(m.start(), m.end()) for m in _NICKNAME.finditer(text, lo, hi)]  # "Paddy (Patrick) Joyce"
    # 1. a name right before a date of birth
    for m in re.finditer(NAME, text[:hi]):
        if m.start() < lo or any(s <= m.start() < e for s, e in claimed):
            continue
        if not _name_ok(m.group("name")):  # "November Jack Ellis": try the words after the stop word
            inner = re.match(rf"(?:{_WORD}[ \t]+)+?(?={_WORD}(?:[ \t]+{_WORD})?$)", m.group("name"))
            if inner is None:
                continue
            m = re.compile(NAME).match(text, m.start() + inner.end(), m.end())
            if m is None or not _name_ok(m.group("name")):
                continue
        after = text[m.end():min(hi, m.end() + 80)]
        cue = _DOB_CUE.match(after)
        if cue and re.search(r"\b(?!Year\b|Yr\b|DOB\b|UPN\b)[A-Z][a-z]+", after[:cue.end()]):
            cue = None  # another name stands between this one and the date of birth
        if cue and not re.search(r"(?i)\b(?:mother|father|mum|dad)\b", after[:cue.start() + 20]):
            dates = find_dates(after[cue.end():cue.end() + 30], ref)
            if dates and dates[0][1] == 0:
                d = _add_child(reading, text, part, m.start("name"), m.end("name"), evidence.PROSE_CUE + 0.06)
                if d is None:
                    continue
                when, ds, de = dates[0]
                base = m.end() + cue.end()
                if when <= ref:
                    d.offer("date_of_birth", evidence.at(when.isoformat(), evidence.PROSE_CUE + 0.06, part, text,
                                                         base + ds, base + de))
                found.append((d, m.start(), m.end()))
                _gender_after(d, text, part, m.end(), hi, evidence.PROSE_CUE + 0.06, ents)
                continue
        age = _AGE_AFTER.match(text[m.end():m.end() + 30]) or _YEAR_AFTER.match(text[m.end():m.end() + 20])
        if age and re.match(r"\)?[ \t]*:", text[m.end() + age.end():m.end() + age.end() + 3]):
            age = None  # "Telephone (2):" is a form label, not a child aged 2
        tag = _tagged(ents, m.start("name"), m.end("name"))
        if age and tag not in ("DATE", "TIME", "REL", "ROLE", "POSTCODE") and _name_ok(m.group("name")) and not re.search(r"(?i)\b(?:mum|mother|dad|father|nan|gran)\W*$",
                                                                 text[max(0, m.start() - 12):m.start()]):
            conf = evidence.PROSE + (0.04 if tag == "PERSON" else 0.0)
            d = _add_child(reading, text, part, m.start("name"), m.end("name"), conf)
            if d is not None:
                found.append((d, m.start(), m.end()))
                _gender_after(d, text, part, m.end(), hi, evidence.PROSE, ents)
    # 2. "her brother Tobi", "their son Leon Price"
    for m in _SIB.finditer(text, lo, hi):
        d = _add_child(reading, text, part, m.start("name"), m.end("name"), evidence.PROSE_CUE)
        if d is None:
            continue
        value = "male" if m.group("rel").lower() in ("brother", "son") else "female"
        d.offer("gender", evidence.at(value, evidence.PROSE_CUE, part, text, m.start("rel"), m.end("rel")))
        found.append((d, m.start("name"), m.end("name")))
        if "last_name" not in d.fields and m.group("rel").lower() in ("brother", "sister"):
            elder = [c for c, s0, _ in found if s0 < m.start() and c is not d and "last_name" in c.fields]
            if elder:  # "Amara Adeyemi ... and her brother Tobi": the family name is plain
                d.offer("last_name", evidence.found(elder[-1].get("last_name"), evidence.PROSE, "derived", None,
                                                    None, "the family name of the sibling named before"))
    # 3. parents: "his mother, Kerry CLARKE", "Amina Warsame (mum)"
    for m in _NICKNAME.finditer(text, lo, hi):
        after = text[m.end():m.end() + 40]
        if not (_YEAR_AFTER.match(after) or _AGE_AFTER.match(after) or _DOB_CUE.match(after)):
            continue
        d = _add_child(reading, text, part, m.start("legal"), m.end("legal"), evidence.PROSE_CUE)
        if d is not None:
            d.offer("known_as", evidence.at(m.group("nick"), evidence.PROSE_CUE, part, text, m.start("nick"), m.end("nick")))
            d.offer("last_name", evidence.at(m.group("last"), evidence.PROSE_CUE, part, text, m.start("last"), m.end("last")))
            found.append((d, m.start(), m.end()))
    for m in _NAME_IS.finditer(text, lo, hi):
        if not _CHILD_WORD.search(text[max(lo, m.start() - 250):m.start()]):
            continue  # "her name is" about an adult
        d = _add_child(reading, text, part, m.start("name"), m.end("name"), evidence.PROSE)
        if d is None:
            continue
        found.append((d, m.start("name"), m.end("name")))
        pro = m.group("pro") or m.group("pro2")
        at = m.start("pro") if m.group("pro") else m.start("pro2")
        d.offer("gender", evidence.at("male" if pro.lower() == "his" else "female", evidence.PROSE_CUE, part, text,
                                      at, at + len(pro)))
        sur = _SURNAME_IS.search(text, m.end(), min(hi, m.end() + 120))
        if sur and "last_name" not in d.fields and _name_ok(sur.group("name")):
            d.offer("last_name", evidence.at(sur.group("name"), evidence.PROSE, part, text, sur.start("name"),
                                             sur.end("name")))
    for m in _CHILD_NOUN.finditer(text, lo, hi):
        d = _add_child(reading, text, part, m.start("name"), m.end("name"), evidence.PROSE_CUE)
        if d is None:
            continue
        found.append((d, m.start("name"), m.end("name")))
        noun = m.group("noun").lower()
        if noun in ("girl", "boy", "son", "daughter"):
            value = "male" if noun in ("boy", "son") else "female"
            d.offer("gender", evidence.at(value, evidence.PROSE_CUE, part, text, m.start("noun"), m.end("noun")))
    parent_hits = list(_PARENT.finditer(text, lo, hi)) + list(_PARENT_IS.finditer(text, lo, hi)) \
        + list(_PARENT_AFTER.finditer(text, lo, hi)) + list(_PARENT_PAREN.finditer(text, lo, hi)) \
        + list(_PARENT_LEAD.finditer(text, lo, hi))
    for m in parent_hits:
        name = m.group("name")
        if not _name_ok(name) or any(s <= m.start("name") < e for _, s, e in found):
            continue
        cleaned = clean_name(name)  # "KOVALENKO, Iryna" -> "Iryna KOVALENKO"
        if cleaned is None:
            continue
        name = cleaned[0]
        rel = RELATIONSHIPS.get(m.group("rel").lower())
        if rel is None:
            continue
        p = next((q for q in reading.parents if _same_name(q.get("name"), name)), None)
        if p is None:
            p = Draft("parent")
            reading.parents.append(p)
        p.offer("name", evidence.found(name, evidence.PROSE_CUE, part, m.start("name"), m.end("name"), m.group("name")))
        p.offer("relationship", evidence.at(rel, evidence.PROSE_CUE, part, text, m.start("rel"), m.end("rel")))
        for ph in find_phones(text[m.end():m.end() + 40])[:1]:
            p.offer("phone", evidence.at(ph.value, evidence.PROSE_CUE, part, text, m.end() + ph.start, m.end() + ph.end))
    for m in _HAS_CHILDREN.finditer(text, lo, hi):
        name = m.group("name")
        if not _name_ok(name):
            continue
        p = next((q for q in reading.parents if (q.get("name") or "").casefold() == name.casefold()), None)
        if p is None:
            p = Draft("parent")
            reading.parents.append(p)
        p.offer("name", evidence.at(name, evidence.PROSE_CUE, part, text, m.start("name"), m.end("name")))
        rel = "father" if m.group("title") == "Mr" else "mother"
        p.offer("relationship", evidence.at(rel, evidence.PROSE_CUE - 0.05, part, text, m.start("title"), m.end("title")))
        if m.group("tail"):
            for ph in find_phones(m.group("tail"))[:1]:
                p.offer("phone", evidence.at(ph.value, evidence.PROSE_CUE, part, text, m.start("tail") + ph.start,
                                             m.start("tail") + ph.end))
    for m in _AND_CHILDREN.finditer(text, lo, hi):  # "We placed Chantelle Ward and her three children"
        cleaned = clean_name(m.group("name"))
        if cleaned is None or not _name_ok(cleaned[0]) or len(cleaned[0].split()) < 2:
            continue
        p = next((q for q in reading.parents if _same_name(q.get("name"), cleaned[0])), None)
        if p is None:
            p = Draft("parent")
            reading.parents.append(p)
        p.offer("name", evidence.at(cleaned[0], evidence.PROSE_CUE, part, text, m.start("name"), m.end("name")))
        rel = "mother" if m.group("pro") == "her" else "father"
        p.offer("relationship", evidence.at(rel, evidence.PROSE, part, text, m.start("pro"), m.end("pro")))
    for m in _SPOUSE.finditer(text, lo, hi):
        name = m.group("name")
        if not _name_ok(name):
            continue
        p = Draft("parent")
        reading.parents.append(p)
        p.offer("name", evidence.at(name, evidence.PROSE_CUE, part, text, m.start("name"), m.end("name")))
        rel = "mother" if m.group("rel") == "wife" else "father"
        p.offer("relationship", evidence.at(rel, evidence.PROSE_CUE, part, text, m.start("rel"), m.end("rel")))
    _upns(text, part, reading, lo, hi)
    _parent_phones(text, part, reading, lo, hi)
    read_places(source, ref, reading, lo, hi)


def _upns(text: str, part: str, reading: FormReading, lo: int, hi: int) -> None:
    """A UPN written after "UPN" on a child's line belongs to that child."""
    for u in find_upns(text[lo:hi]):
        s, e = lo + u.start, lo + u.end
        if not _UPN_CUE.search(text[max(lo, s - 20):s]):
            continue
        line_start = text.rfind("\n", lo, s) + 1
        owners = [c for c in reading.children if c.get("first_name")
                  and text.find(c.get("first_name") or "", line_start, s) >= 0]
        if len(owners) != 1:
            continue
        if u.value:
            owners[0].offer("upn", evidence.at(u.value, evidence.PROSE_CUE + evidence.VALIDATED, part, text, s, e))
        elif "upn" not in owners[0].fields:
            owners[0].notes.append("The UPN given fails its check letter, so it is left out.")


def _parent_phones(text: str, part: str, reading: FormReading, lo: int, hi: int) -> None:
    for ph in find_phones(text[lo:hi]):
        s = lo + ph.start
        before = text[max(lo, s - 45):s]
        m = re.search(r"(?i)\b(?P<who>mum|mother|dad|father|nan|gran|(?:mr|mrs|ms|miss)\.?\s+\w+)(?:'s|’s)?\b[^0-9\n]{0,35}$",
                      before)
        if not m:
            continue
        who = m.group("who").lower()
        rel = RELATIONSHIPS.get(who)
        target = None
        for p in reading.parents:
            if rel and p.get("relationship") == rel:
                target = p
            elif not rel and who.split()[-1] in (p.get("name") or "").casefold().split():
                target = p
        if target is None and rel and not reading.parents:
            target = Draft("parent")
            target.offer("relationship", evidence.at(rel, evidence.PROSE, part, text, s - len(before) + m.start(),
                                                     s - len(before) + m.end("who")))
            reading.parents.append(target)
        if target is not None:
            target.offer("phone", evidence.at(ph.value, evidence.PROSE_CUE, part, text, s, lo + ph.end))


_FAMILY = re.compile(rf"\b[Tt]he[ \t]+(?P<sur>{_WORD})(?:[ \t]+family\b|s\b)")


def family_names(sources: list[TextSource], reading: FormReading) -> None:
    """Children named by first name only take a family name the message makes plain: "the Haddad family",
    "the Doyles", or the one surname all named parents share."""
    plain = None
    for source in sources:
        m = _FAMILY.search(source.text)
        if m and m.group("sur").lower() not in _STOP:
            plain = evidence.at(m.group("sur").rstrip("s") if not m.group(0).endswith("family") else m.group("sur"),
                                evidence.PROSE, source.part, source.text, m.start("sur"), m.end("sur"))
            break
    if plain is None:
        named = [p for p in reading.parents if len((p.get("name") or "").split()) > 1]
        surnames = {(p.get("name") or "").split()[-1] for p in named}
        if len(surnames) == 1:
            plain = Field(next(iter(surnames)), evidence.PROSE, named[0].fields["name"].source)
    if plain is None:
        return
    for c in reading.children:
        if "last_name" not in c.fields and c.get("first_name"):
            c.offer("last_name", plain)


def read_genders(sources: list[TextSource], reading: FormReading, tagged: dict[str, Entities]) -> None:
    """A child without a stated gender takes the pronoun that follows their name ("Evie ... her")."""
    firsts = tuple(c.get("first_name") or "" for c in reading.children)
    for c in reading.children:
        first = c.get("first_name")
        if "gender" in c.fields or not first:
            continue
        others = tuple(f for f in firsts if f and f != first)
        for source in sources:
            if "gender" in c.fields:
                continue
            for lo, hi in _regions(source):
                for m in re.finditer(rf"\b{re.escape(first)}\b(?:[ \t]+{_WORD})?", source.text[lo:hi]):
                    _gender_after(c, source.text, source.part, lo + m.end(), hi, evidence.PROSE_CUE,
                                  tagged.get(source.part, []), others)
                    if "gender" in c.fields:
                        break
                if "gender" in c.fields:
                    break


def read_prose(parsed: ParsedMessage, ref: date, reading: FormReading, context: Any) -> None:
    """Add the children and parents named in the message's sentences to `reading`."""
    sources = [s for s in parsed.sources if s.part != "header"]
    nlp = getattr(context, "nlp", None)
    tagged = entities(nlp, [s.text for s in sources]) if nlp is not None else iter(() for _ in sources)
    by_part: dict[str, Entities] = {}
    for source, ents in zip(sources, tagged):
        by_part[source.part] = list(ents)
        for lo, hi in _regions(source):
            read_source(source, ref, reading, lo, hi, by_part[source.part])
    read_genders(sources, reading, by_part)
    family_names(sources, reading)
    register = getattr(context, "register", None)
    for source in sources:
        for lo, hi in _regions(source):
            read_schools(source, reading, register, lo, hi)
