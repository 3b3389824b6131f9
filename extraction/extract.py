"""One email in, one referral record out: the extraction stage's entry points.

`extract_file(name, data, context)` parses the bytes and returns the contract's JSON record
(or its error line); `extract_referral(parsed, context)` turns a ParsedMessage into a Referral.
Both are pure: the reference date is the message's own Date header.
"""
from __future__ import annotations

import logging
from dataclasses import replace
import re
from datetime import date, datetime
from typing import Any

from extraction import (calibration, casing, category_model, classify, coverage, evidence, findings, given_names, kin,
                        missing_out, review, safeguarding, senders, span_model)
from extraction.context import ExtractionContext
from extraction.addresses import find_addresses
from extraction.dates import find_dates, in_compulsory_school_age
from extraction.drafts import Draft
from extraction.forms import FormReading, read_forms, read_values_per_child
from extraction.model import (Address, Child, Field, MessageInfo, ParentCarer, Referral, Referrer,
                              School, Span)
from extraction.places import rfind_name, sentence_start_of
from extraction.prose import read_prose
from extraction.genders import gender_after
from extraction.roles import (build_referrer, first_last_match, fold, parents_who_wrote, pupil_of,
                              referrer_as_parent, writers_family_name)
from config import phrasebook
from parsers.errors import UnparseableMessage
from parsers.message import ParsedMessage, Segment, TextSource

_ADDRESS = ("line1", "town", "postcode")
OCR_KINDS = ("pdf-ocr", "image-ocr")  # text read by OCR from a scanned PDF or a photographed form
log = logging.getLogger(__name__)


def _info(parsed: ParsedMessage) -> MessageInfo:
    return MessageInfo(parsed.file, parsed.message_id, parsed.from_address, parsed.subject,
                       parsed.date)


READ_PER_PART = 300_000  # characters of one part (the body, an attachment) read for details: about 60 pages
READ_PER_MESSAGE = 600_000  # characters of one message read for details, parts in order
UNDATED = date(2099, 12, 31)  # a message without a date: no date it gives is "in the future"


def reference_date(parsed: ParsedMessage) -> date:
    """The message's own date (the day extraction reasons from); UNDATED when it has none."""
    if parsed.date:
        try:
            return datetime.fromisoformat(parsed.date).date()
        except ValueError:
            pass
    return UNDATED


def _one_name_within(a: Draft, b: Draft) -> bool:
    """"Wilkins" and "Mrs L Wilkins" with the same phone number: one parent written twice."""
    wa, wb = (set(re.findall(r"\w+", (d.get("name") or "").casefold())) for d in (a, b))
    return bool(wa and wb and (wa <= wb or wb <= wa) and a.get("phone") and a.get("phone") == b.get("phone"))


def _merge(drafts: list[Draft], key: str) -> list[Draft]:
    """Drafts that name the same person merged into one (first seen keeps its place)."""
    out: list[Draft] = []
    nameless: list[Draft] = []
    for d in drafts:
        k = fold(d.get(key))
        if not k:
            if key == "name" and ("phone" in d.fields or "email" in d.fields):
                nameless.append(d)  # "Mum's mobile: ..." with no name given
            continue
        same = next((o for o in out if fold(o.get(key)) == k or k == fold(o.get("known_as"))
                     or fold(d.get("known_as")) == fold(o.get(key)) != ""
                     or (key == "name" and first_last_match(o.get(key), d.get(key)))
                     or (key == "name" and _one_name_within(o, d))), None)
        if same is None:
            out.append(d)
            continue
        same.absorb(d)
        same.notes.extend(n for n in d.notes if n not in same.notes)
    for d in nameless:
        rel = d.get("relationship")
        same = next((o for o in out if rel and o.get("relationship") == rel), None)
        if same is None and len(out) == 1 and not rel:
            same = out[0]
        if same is None:
            out.append(d)
        else:
            same.absorb(d)
    return out


def _share_family(children: list[Draft], reading: FormReading) -> None:
    """Siblings share the family address; a surname given for one is the family's when others have none."""
    family = {n: reading.family.fields[n] for n in _ADDRESS if n in reading.family.fields}
    if not family:
        family = {n: reading.old.fields[n] for n in _ADDRESS if n in reading.old.fields}
    if not family:
        for c in children:
            if any(n in c.fields for n in _ADDRESS):
                family = {n: c.fields[n] for n in _ADDRESS if n in c.fields}
                break
    for c in children:
        if not any(n in c.fields for n in _ADDRESS):
            for n, f in family.items():
                c.offer(n, f)
    held = {n: f for n, f in reading.family.fields.items() if n not in _ADDRESS}
    if len(children) == 1:  # details given before or apart from the one child's name
        for n, f in held.items():
            children[0].offer(n, f)
    elif children:
        for n in ("date_last_attended", "school"):
            if n in held:
                for c in children:
                    if n not in c.fields:
                        c.offer(n, held[n])


_DATE_WORDS = re.compile(r"(?i)\b(?:(?:mon|tues|wednes|thurs|fri|satur|sun)day|jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|"
                         r"apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|"
                         r"dec(?:ember)?|the|of|on|st|nd|rd|th)\b")


def _school_in_answer(register: Any, answer: str, registered_only: bool) -> str | None:
    """The first school named inside a longer answer (one the register knows, when `registered_only`)."""
    return next((name for m, name, _s, _e in register.find_in_text(answer) if m is not None or not registered_only), None)


# what a writer adds after a school's name in a form's answer: "Alderwood (still on roll, but ...)",
# "Uplands - left in July", "Harrow Way I think", "Fairfields?"
_ANSWER_TAIL = re.compile(r"(?i)\s*(?:\(.*|[-\u2013\u2014]\s.*|[?;].*|"
                          r",\s*(?:left|but|not|was|still|has|had|until|till)\b.*|"
                          r"\b(?:I|we)\s+(?:think|believe)\b.*|\b(?:maybe|possibly|probably|not sure)\b.*)$")


# a note in brackets after a school's name: a date, or words about the child's time there
_REMARK_IN_BRACKETS = re.compile(r"(?i)\s*\((?=[^)]*(?:\d|\b(?:last|left|until|since|still|on roll|moved|attended|"
                                 r"excluded|started)\b))[^)]*\)?\s*$")


_TOWN_AFTER_SCHOOL = re.compile(r"(?:(?<=School)|(?<=Academy)|(?<=College)|(?<=Primary))\s*,\s*[A-Z][\w'’-]+"
                                r"(?:\s+[A-Z][\w'’-]+)?\s*$")


def _narrowed(source: Span, head: str) -> Span:
    """The span of the first `head` characters of what `source` read, when it read them word for word."""
    if source.text is None or source.start is None or not source.text.startswith(head):
        return source
    return replace(source, end=source.start + len(head), text=head)


def _school(c: Draft, context: ExtractionContext) -> School:
    f = c.fields.get("school")
    if f is None or not f.value:
        return School()
    written = re.sub(r"\s*\((?:year|y)\s*\d+[^)]*\)\s*$", "", f.value, flags=re.I).strip()
    written = re.sub(r"\s*\((?:laestab:?\s*|dfe:?\s*)?\d{3}\s*[/-]\s*\d{4}\)", "", written, flags=re.I).strip()  # "(850/2067)"
    dates = find_dates(written, UNDATED)
    if not re.search(r"[A-Za-z]{3,}", re.sub(_DATE_WORDS, "", written)) or \
            (dates and dates[0][2] - dates[0][1] >= len(written) - 2):
        return School()  # a date (a "Last day in school" row) is never a school's name
    register = context.register
    head = _ANSWER_TAIL.sub("", written)
    if register is not None and head and head != written and register.match(head, town=c.get("town"),
                                                                             postcode=c.get("postcode")):
        written, f = head, Field(head, f.confidence, _narrowed(f.source, head))  # "Alderwood (still on roll, ...)"
    elif (remark := _REMARK_IN_BRACKETS.search(written)) and remark.start() > 0 \
            and re.search(r"(?i)\b(?:school|academy|college|primary|juniors?|infants?|high)\b", written[:remark.start()]):
        # a school the register does not hold, with a note ("Cressex Community School (last attended 10/07/2026)"),
        # and its town ("Hartsdown Academy, Margate (still on roll ...)"): the school's name alone
        head = _TOWN_AFTER_SCHOOL.sub("", written[:remark.start()])
        written, f = head, Field(head, f.confidence, _narrowed(f.source, head))
    if register is not None and (len(written.split()) > 6 or written[:1].islower() and len(written.split()) > 3 or
                                 re.match(r"(?i)(?:both|he|she|they|used|was|were|went)\b", written)):
        name = _school_in_answer(register, written, registered_only=False)  # a sentence given as the answer
        if name is None:
            return School()
        written, f = name, Field(name, f.confidence - 0.1, f.source)
    match = register.match(written, town=c.get("town"), postcode=c.get("postcode")) if register is not None else None
    if match is None and register is not None:  # "Fairfields Primary until the summer": the school in the answer
        name = _school_in_answer(register, written, registered_only=True)
        if name is not None and name != written:
            written, f = name, Field(name, f.confidence - 0.1, f.source)
            match = register.match(written, town=c.get("town"), postcode=c.get("postcode"))
    if match is None:
        return School(Field(written, f.confidence, f.source), None)
    return _registered(match, f)


def _registered(match: Any, written: Field) -> School:
    """The register's school for the name `written`: its name and URN, as sure as the name and the match."""
    conf = written.confidence if match.score >= 0.9 else min(0.99, written.confidence * (0.6 + 0.4 * match.score))
    return School(Field(match.name, conf, written.source),
                  evidence.derived(match.urn, conf, f"URN of {match.name} in the school register",
                                   rule=f"register.urn.{written.source.rule or 'school'}"))


def _placed_school(c: Child, register: Any) -> Child:
    """A school whose name several register schools share ("Grange juniors"), looked up again with the town or
    postcode the child was given after it was first looked up (the span categoriser's): one there is the one."""
    name, town, postcode = (c.school.name, c.address.town, c.address.postcode)
    if register is None or name is None or not name.value or c.school.urn is not None or not (town or postcode):
        return c
    match = register.match(name.value, town=town.value if town else None, postcode=postcode.value if postcode else None)
    if match is None:
        return c
    return replace(c, school=_registered(match, name))


def _child(c: Draft, context: ExtractionContext) -> Child:
    g = c.fields.get
    return Child(first_name=g("first_name"), last_name=g("last_name"), date_of_birth=g("date_of_birth"),
                 gender=g("gender"), upn=g("upn"),
                 address=Address(g("line1"), g("town"), g("postcode")),
                 school=_school(c, context), date_last_attended=g("date_last_attended"))


_COUNTED = re.compile(r"(?i)(?<!year )(?<!yr )(?<!\by )\b(?P<n>two|three|four|five|six|both|\d)\s+"  # not "Year 5 girls"
                      r"(?:of\s+(?:the|her|his|their)\s+)?"
                      r"(?:school-age\s+|young\s+|older\s+|younger\s+)?(?:children|siblings|brothers|sisters|boys|girls|kids)\b")
_NUMBERS = {"two": 2, "both": 2, "three": 3, "four": 4, "five": 5, "six": 6}


_OWN_CHILDREN = re.compile(r"[^.!?\n]{0,80}?\b(?:(?P<pro>her|his)|with[ \t]+the)[ \t]+(?:own[ \t]+)?(?:(?:two|three|four|five|six|\d|young|little|"
                           r"other)[ \t]+)?(?:children|kids|sons|daughters|little ones)\b")


def _grown_children(parsed: ParsedMessage, children: list[Draft], parents: list[Draft]) -> list[Draft]:
    """A person with no date of birth who is written as having children of their own ("My daughter, Rachel Lewis,
    moved with her three children") is their parent, not one of the children: taken off the children and
    recorded as a parent, mother or father by the pronoun (rule extract.grown_child)."""
    if len(children) < 2:
        return children
    kept = []
    for c in children:
        first, last = c.get("first_name"), c.get("last_name")
        name = " ".join(filter(None, (first, last)))
        hit = next(((src, m, own) for src in parsed.sources if src.part != "header" and first
                    and not c.get("date_of_birth") for m in re.finditer(rf"\b{re.escape(name)}\b", src.text)
                    for own in [_OWN_CHILDREN.match(src.text, m.end())] if own), None)
        if hit is None:
            kept.append(c)
            continue
        src, m, own = hit
        if not any(first_last_match(p.get("name"), name) for p in parents):
            p = Draft("parent")
            p.offer("name", evidence.at(name, evidence.PROSE_CUE, src.part, src.text, m.start(), m.end(),
                                        rule="extract.grown_child"))
            if own.group("pro"):
                p.offer("relationship", evidence.at("mother" if own.group("pro").lower() == "her" else "father",
                                                    evidence.PROSE_CUE, src.part, src.text, own.start("pro"),
                                                    own.end("pro"), rule="extract.grown_child"))
            parents.append(p)
    return kept or children


# an age under four written just after a name: "Archie who is 3", "Archie (2)", "Archie, aged 18 months"
_TODDLER_AGE = (r"(?:[ \t]*,)?[ \t]+(?:who[ \t]+is|who['’]s|is|aged?|[(])[ \t]*(?:[0-3](?:[ \t]*(?:years?|yrs?)(?:[ \t]+old)?)?"
                r"|\d{1,2}[ \t]*months?(?:[ \t]+old)?)(?=[ \t]*[),.;\n]|[ \t]+(?:and|but|so|who|years?|yrs?)\b|$)")
# an age past school age after a name: "My big son Marius has 17 years", "Jade (19)", "Kyle, who is 18",
# "older sister Chloe, 17 - at college"
_GROWN_AGE = (r"(?:(?:[ \t]*,)?[ \t]+(?:who[ \t]+is|who['’]s|is|has|aged?|[(])|[ \t]*,)[ \t]*(?:now[ \t]+)?(?:1[7-9]|2\d)"
              r"(?=[ \t]*(?:years?|yrs?)\b|[ \t]*[-–—),.;\n]|[ \t]+(?:and|but|so|who)\b|$)")
_BELOW_SCHOOL_AGE = 4.0  # years: no child this young is ever missing education; a Reception child is four or more


def _past_school_age(child: Child, ref: date) -> bool:
    """The child's date of birth puts them past compulsory school age on `ref` (the message's date)."""
    born = child.date_of_birth.value if child.date_of_birth else None
    try:
        return bool(born) and in_compulsory_school_age(date.fromisoformat(born), ref) == "above"
    except ValueError:
        return False


def _not_babies(children: list[Draft], ref: date, parsed: ParsedMessage) -> list[Draft]:
    """A baby or toddler named beside their school-age brothers and sisters ("baby Bainbridge (born 29/09/2026)",
    a date of birth two years ago, "a little boy called Archie who is 3"), or an older one past school age (sixteen
    before this school year began), is the family's, not a child missing education: left out of the children when
    another child is the referral's. A lone child is kept, whatever their age, for the officer to judge."""
    if len(children) < 2:
        return children
    texts = [s.text for s in parsed.sources if s.part != "header"]

    school_year = ref.year if ref.month >= 9 else ref.year - 1
    left_school = date(school_year - 16, 8, 31)  # born by then: sixteen before this school year, past school age

    def young(c: Draft) -> bool:
        born, first = c.get("date_of_birth"), c.get("first_name")
        if not born:
            return bool(first) and any(re.search(rf"\b{re.escape(first)}\b(?:{_TODDLER_AGE}|{_GROWN_AGE})", t) for t in texts)
        try:
            when = date.fromisoformat(born)
        except ValueError:
            return False
        return (ref - when).days / 365.25 < _BELOW_SCHOOL_AGE or when <= left_school

    kept = [c for c in children if not young(c)]
    return kept or children


def _emails_to_their_owners(parents: list[Draft]) -> None:
    """An email address whose name part holds one parent's given name and not the other's is that parent's:
    "Parent email: ana.martins.pt@..." read under Paulo Martins's row belongs to Ana Martins."""
    def given(p: Draft) -> str:
        words = (p.get("name") or "").split()
        return fold(words[0]) if words and len(words[0]) > 2 else ""

    def named(g: str, local: str) -> bool:
        return bool(g) and re.search(rf"\b{re.escape(g)}", local) is not None

    for p in parents:
        email = p.fields.get("email")
        if email is None or not email.value or not given(p):
            continue
        local = fold(email.value.split("@")[0])
        if named(given(p), local):
            continue
        owner = [q for q in parents if q is not p and named(given(q), local) and "email" not in q.fields]
        if len(owner) == 1:
            owner[0].offer("email", email)
            p.drop("email", f"the address names {owner[0].get('name')}, another parent")


def _not_parents(children: list[Draft], parents: list[Draft]) -> list[Draft]:
    """Nobody is both a child and a parent of one record: a grandparent's "my daughter Stacey took the children
    out of school" names the mother, whom the form or text also gives as the parent. A child with no date of
    birth whose first name is a parent's (and whose surname, if any, too), beside other children, is that parent."""
    if len(children) < 2:
        return children
    kept = [c for c in children if c.get("date_of_birth") or not any(
        first_last_match(p.get("name"), " ".join(filter(None, (c.get("first_name"), c.get("last_name")))))
        for p in parents if p.get("name") and c.get("first_name"))]
    return kept or children


_GROWN_UP_BEFORE = re.compile(r"(?i)\b(?:mum|mother|mom|dad|father|parents?|step-?\w+|nan|gran\w*|aunt\w*|uncle|partner|"
                              r"boyfriend|girlfriend|carers?|landlord|landlady|neighbour|patient|occupiers?|tenants?|"
                              r"householder)\b[^.\n]{0,30}$|\b(?-i:Mr|Mrs|Ms|Miss|Mx|Dr)\.?[ \t]+$")  # "the occupier is Ms X"
_LIST_SPAN = 160  # how close together siblings listed by their full names are written


def _sole_person(parsed: ParsedMessage, referrer: Referrer, grown: tuple[ParentCarer, ...], reading: FormReading,
                 context: ExtractionContext) -> tuple[Child, ...]:
    """When a referral yields no child, the one person the writer names whom nothing else explains (not the writer,
    a parent, a grown-up named after their mum or landlord, a professional with their role or anyone with a title)
    is taken as the child, with the family's address: a referral is about a child, whatever words introduce them
    ("I do the school run, Harvey Doyle to ..."). Several such people who share a last name and are written close
    together are siblings ("Tayla Dunn, Rio Dunn, Mason Dunn not been over my crossing"). Scored as prose without a
    cue, under its own rule (coverage.sole_person), so its precision is measured."""
    texts = {src.part: src.text for src in parsed.sources}
    addresses = {part: [(a.start, a.postcode[2]) for a in find_addresses(text)] for part, text in texts.items()}
    people = [p for p in coverage.unexplained_people(parsed, referrer, (), grown, reading.entities)
              if not coverage.is_titled(p[3])  # nor a school called by its founder's name ("applied to Henry Cort")
              and not any(s <= p[1] < e for s, e in addresses.get(p[0], ()))  # "Room 6, Seaview Lodge, 18 ...": a place
              and not (context.register is not None and context.register.knows(p[3]))
              and not _GROWN_UP_BEFORE.search(texts.get(p[0], "")[max(0, p[1] - 40):p[1]])]  # "Mum is our patient, X"
    named: dict[str, tuple[str, int, int, str]] = {}
    for p in people:
        named.setdefault(fold(re.sub(r"['’]s$", "", p[3])), p)
    people = sorted(named.values(), key=lambda p: (p[0], p[1]))
    if len(people) > 1 and not (len({p[0] for p in people}) == 1 and people[-1][1] - people[0][1] <= _LIST_SPAN
                                and len({p[3].split()[-1].casefold() for p in people}) == 1):
        return ()
    if not people:
        return ()
    if len(people) > 1:  # a sibling the dictionary does not know, in the same list: "Tayla Dunn, Rio Dunn, Mason Dunn"
        part, family = people[0][0], people[0][3].split()[-1]
        text, lo, hi = texts[part], max(0, people[0][1] - 60), people[-1][2] + 60
        have = {p[1] for p in people}
        for m in re.finditer(rf"(?<![\w'’-])[A-Z][a-z'’-]+ {re.escape(family)}(?![\w'’-])", text[lo:hi]):
            if lo + m.start() not in have and m.group(0).split()[0].lower() not in given_names.EVERYDAY_WORDS:
                people.append((part, lo + m.start(), lo + m.end(), m.group(0)))
        people.sort(key=lambda p: p[1])
    school = None
    if context.register is not None:  # the one school the writer names is the child's ("after leaving X School")
        found = {(src.part, m.urn, w, ws, we) for src in parsed.sources if src.part != "header"
                 for m, w, ws, we in context.register.find_in_text(src.text) if m is not None and m.score >= 0.95}
        if len({urn for _, urn, *_ in found}) == 1:
            school = min(found, key=lambda x: x[3])
    schooled = range(len(people))
    if school is not None and len(people) > 1:  # "... and kayden was at admiral lord nelson": the one named before it
        school_part, _, _, ws, _ = school
        said = texts[school_part]
        start = max(sentence_start_of(said, 0, ws), said.rfind("\n\n", 0, ws) + 1)  # its sentence, in its paragraph
        at = [rfind_name(said, p[3].split()[0], start, ws) for p in people]
        if max(at) >= 0:
            schooled = [at.index(max(at))]
    drafts = []
    for i, (part, s, e, name) in enumerate(people):
        text = texts[part]
        name = re.sub(r"['’]s$", "", name)
        first, _, last = name.partition(" ")
        d = Draft("child")
        d.offer("first_name", evidence.at(first, evidence.PROSE, part, text, s, s + len(first), rule="coverage.sole_person"))
        d.offer("last_name", evidence.at(last, evidence.PROSE, part, text, s + len(first) + 1, s + len(name),
                                         rule="coverage.sole_person"))
        if school is not None and i in schooled:
            school_part, _, written, ws, we = school
            d.offer("school", evidence.at(written, evidence.PROSE, school_part, texts[school_part], ws, we,
                                          rule="coverage.sole_person.school"))
        upto = people[i + 1][1] if i + 1 < len(people) else min(len(text), e + 400)  # a sibling's pronoun is theirs
        gender_after(d, text, part, e, upto, evidence.PROSE, reading.entities.get(part, ()))
        drafts.append(d)
    _share_family(drafts, reading)
    return tuple(_child(d, context) for d in drafts)


def _children_said(parsed: ParsedMessage) -> int:
    """How many children the message says it is about ("two boys", "both children"); 0 when it does not say."""
    most = 0
    for s in parsed.sources:
        if s.part == "header":
            continue
        for m in _COUNTED.finditer(s.text):
            n = m.group("n").lower()
            most = max(most, int(n) if n.isdigit() else _NUMBERS[n])
    return most if most <= 6 else 0


def _nil_return(parsed: ParsedMessage) -> bool:
    """Whether a reduced-timetable return says the school has no pupil on one (config/phrases/nil_return.jsonl)."""
    return any(ph.pattern.search(s.text) for ph in phrasebook.table("nil_return") for s in parsed.sources
               if s.part != "header")


def _cut(source: TextSource, limit: int) -> TextSource:
    """The source's first `limit` characters or fewer, ending at a line end; its pairs and segments within."""
    end = source.text.rfind("\n", limit // 2, limit)
    end = end if end > 0 else limit
    segments = tuple(replace(g, end=min(g.end, end)) for g in source.segments if g.start < end)
    return replace(source, text=source.text[:end], pairs=tuple(p for p in source.pairs if p.end <= end),
                   segments=segments)


def bounded(parsed: ParsedMessage) -> tuple[ParsedMessage, list[tuple[str, int, int]]]:
    """The message as extraction reads it: each part's opening, within READ_PER_PART and READ_PER_MESSAGE
    characters (an attendance export pasted into a mail is legitimate, and the finders' time grows with
    the text), and (part, its length, characters read) for every part that was cut."""
    left = READ_PER_MESSAGE
    sources, cut = [], []
    for source in parsed.sources:
        if source.part != "header":
            limit = max(min(READ_PER_PART, left), 0)
            if len(source.text) > limit:
                short = _cut(source, limit)
                cut.append((source.part, len(source.text), len(short.text)))
                source = short
            left -= len(source.text)
        sources.append(source)
    return (replace(parsed, sources=tuple(sources)) if cut else parsed), cut


def _cut_reason(part: str, length: int, read: int) -> str:
    what = "message body" if part == "body" else f"attachment {part.split(':', 1)[-1]!r}"
    if not read:
        return f"The {what} was not read for details (the message is long): read it."
    return (f"The {what} is long ({length:,} characters): only its first {read:,} were read for details. "
            "Read the rest.")


_PROFESSIONS_OUTSIDE_EDUCATION = ("health", "police", "social_care", "voluntary")


def _subject_as_body(parsed: ParsedMessage) -> ParsedMessage:
    """A message with nothing but its subject ("lad about 12 Kian Moss lives 6 Ridley Court Alton hasnt been at
    school ...", an empty body) is read as if the subject were its body: it is all the writer wrote."""
    if not parsed.subject or any(s.text.strip() for s in parsed.sources if s.part != "header"):
        return parsed
    body = TextSource("body", parsed.subject, "plain", segments=(Segment(0, len(parsed.subject), "top"),))
    return replace(parsed, sources=tuple(s for s in parsed.sources if s.part != "body") + (body,))


def extract_referral(parsed: ParsedMessage, context: ExtractionContext,
                     trace: list[tuple[str, Draft]] | None = None) -> Referral:
    """The referral record of one parsed message. `trace`, when given, receives each person's draft with the
    findings it considered (for `cme extract --explain`)."""
    parsed, cut = bounded(parsed)
    parsed = _subject_as_body(parsed)
    parsed = casing.truecased(parsed, context.register)  # mail written all in small letters
    ref = reference_date(parsed)
    automatic = classify.detect_automatic(parsed)
    case = classify.find_case_reference(parsed)
    case_ref = case[0] if case else None
    reading = FormReading()
    report = automatic == "bounce" or classify.is_content_free_report(parsed)
    if not report:  # only a delivery report or read receipt goes unread
        for source in parsed.sources:
            if source.part != "header":
                read_forms(source, ref, reading)
        read_prose(parsed, ref, reading, context)
    children = _merge(reading.children, "first_name")
    if not report:  # "DOB: Oliver 09/11/2017; Grace 03/02/2021": once every child is known, each takes theirs
        for source in parsed.sources:
            if source.part != "header":
                read_values_per_child(source, ref, children)
    carries_child = automatic == "auto_reply" and not report and any(c.get("first_name") for c in children)
    if carries_child:
        automatic = None  # an automatic sender with a child's details (a form, a partner system): read it
    elif automatic:
        reading = FormReading()
        children = []
    children = _grown_children(parsed, children, reading.parents)
    children = _not_babies(children, ref, parsed)
    _share_family(children, reading)
    parents = _merge(reading.parents, "name")
    spam = classify.looks_like_spam(parsed, context.inbox or None)
    category, cat_conf, cat_reasons = classify.categorise(parsed, bool(children), case_ref,
                                                          context.inbox or None, automatic=automatic)
    urgent, flags, concerns = safeguarding.assess(parsed, [c.get("first_name") or "" for c in children])
    if automatic or spam:
        children, parents, referrer_draft = [], [], Draft("referrer")
    else:
        referrer_draft = build_referrer(parsed, reading, context)
    if not automatic and not spam:
        parents_who_wrote(parsed, parents)
        kin.attach_contacts(parsed, parents, referrer_draft)
    children = _not_parents(children, parents)
    if referrer_draft.get("type") == "parent" and referrer_draft.get("name"):
        referrer_as_parent(parsed, referrer_draft, parents)
        writers_family_name(parsed, referrer_draft, children)
    if category == "roll_removal" and cat_conf >= 0.7 and referrer_draft.get("type") in (None, "voluntary") and (
            referrer_draft.get("organisation") or referrer_draft.get("email")):
        # only a school takes a pupil off its roll: an academy trust's or a school office's notice is a school's
        referrer_draft.revise("type", evidence.derived("school", 0.85, "a notice of removal from a school's roll",
                                                       rule="type.roll_removal"), "a removal from roll comes from a school")
    if category == "roll_removal" and referrer_draft.get("type") in ("parent", "public"):
        # "the school has taken him off roll without my agreement": only a school notifies a removal; a parent or
        # a neighbour telling of one is telling of a child who may now be missing education
        category = "cme_referral"
        cat_reasons.append("a removal from roll told by a parent or a member of the public, not notified by the school")
    if referrer_draft.get("type") == "school" and referrer_draft.get("organisation"):
        pupil_of(referrer_draft, children, context, category, parsed)
    if trace is not None:
        trace.extend([("referrer", referrer_draft)] + [(f"child {i + 1}", c) for i, c in enumerate(children)]
                     + [(f"parent or carer {i + 1}", p) for i, p in enumerate(parents)]
                     + [("the family's address (before it was given to the children)", reading.family)])
    kids = tuple(_child(c, context) for c in children)
    parents = _merge(parents, "name")  # a parent written twice, told apart only once their phones were read
    _emails_to_their_owners(parents)
    for p in parents:  # "Danielle Okafor" about "my two boys", no word for what she is to them: their mother
        if "relationship" not in p.fields and (rel := given_names.parent_relationship(p.fields.get("name"))):
            p.offer("relationship", rel)
    grown = tuple(ParentCarer(p.fields.get("name"), p.fields.get("relationship"), p.fields.get("phone"),
                              p.fields.get("email")) for p in parents)
    g = referrer_draft.fields.get
    referrer = Referrer(g("name"), g("role"), g("organisation"), g("email"), g("phone"), g("type"))
    second_opinion = ""
    if cat_conf < 0.7 and context.textcat is not None:  # the rules are unsure: ask the text classifier
        guess, score = category_model.predict(context.textcat, parsed)
        if guess != category and score >= 0.5 and guess not in ("auto_reply", "bounce") \
                and not (guess == "case_update" and case_ref is None and not parsed.in_reply_to):  # no case to update
            second_opinion = (f"The rules could not tell the category ({category.replace('_', ' ')}); a text "
                              f"classifier trained on labelled mail reads it as {guess.replace('_', ' ')} "
                              f"({score:.2f}): check it.")
            category = guess
    if category == "ehe" and kids and referrer.type is not None and referrer.type.value in _PROFESSIONS_OUTSIDE_EDUCATION:
        # a nurse or the police telling of a child said to be home educated: whether there is any education is the
        # CME team's question, not a parent's notice for the EHE team
        category, cat_conf = "cme_referral", min(cat_conf, 0.8)
        cat_reasons.append("home education is reported by a professional outside education, not by the family")
    if category == "cme_referral" and kids and ref != UNDATED and all(_past_school_age(c, ref) for c in kids):
        # every child named is past compulsory school age by their date of birth: not a child missing education
        category, cat_conf, second_opinion = "other", min(cat_conf, 0.6), ""
        cat_reasons.append("every child named is past compulsory school age by the date of birth given")
    if category in review.ABOUT_A_CHILD and not kids and not automatic and not spam:
        kids = _sole_person(parsed, referrer, grown, reading, context)
    if context.spancat is not None and not automatic and not spam:  # a span categoriser, where the rules found nothing
        if span_model.wanted(referrer, kids):
            referrer, kids = span_model.fill(referrer, kids, span_model.read(context.spancat, parsed))
        kids = tuple(_placed_school(c, context.register) for c in kids)
    threshold = evidence.AUTO_ACCEPT
    if context.calibration is not None:  # raw scores become measured probabilities
        referrer, kids, grown = calibration.apply(context.calibration, referrer, kids, grown)
        threshold = context.calibration.threshold
    reply_to = referrer.email.value if referrer.email else None
    acknowledge = classify.acknowledgement_allowed(parsed, category, reply_to, context.inbox or None)
    reasons: list[review.Reason] = []
    if urgent:
        reasons.append((f"Urgent: the message shows {safeguarding.urgent_summary(flags, concerns)}. Read it now.",
                        True))
    sender = senders.assess(parsed, context.inbox, context.authserv_id, reply_to)
    if sender.suspect and sender.reason:
        reasons.append((sender.reason, True))
    if carries_child:
        reasons.append(("Sent automatically, but it carries a child's details: check what it is and who sent it.", True))
    if second_opinion:
        reasons.append((second_opinion, True))
    reasons.extend((_cut_reason(part, length, read), True) for part, length, read in cut)
    if cat_conf < 0.7:
        reasons.append((f"The category ({category.replace('_', ' ')}) is uncertain: check it.", True))
    if category == "other" and not spam:
        reasons.append(("The message is not a referral: read it and reply if it needs an answer.", True))
        if cat_reasons:  # what made it "other": a notice, a request for records, a mailing list
            reasons.append((cat_reasons[0][:1].upper() + cat_reasons[0][1:] + ".", False))
    expected = _children_said(parsed)
    if category in review.NAMES_A_PUPIL and kids and len(kids) < expected:
        reasons.append((f"The message speaks of {expected} children but {len(kids)} could be identified.", True))
    if category == "case_update":
        reasons.append(("An update to an existing case: read it and bring the case up to date.", True))
    if category in review.NAMES_A_PUPIL and not kids and not (category == "reduced_hours" and _nil_return(parsed)):
        reasons.append(("No child could be identified in the message.", True))
    if category in review.NEEDS_CHILD and kids and not grown:
        reasons.append(("No parent or carer is named.", True))
    for c in children + [reading.family]:
        reasons.extend((n, True) for n in c.notes)
    if any(s.kind in OCR_KINDS for s in parsed.sources) and kids:
        reasons.append(("Some details were read from a scanned form by OCR: check names and dates against it.", True))
    if ref == UNDATED and kids:
        reasons.append(("The message has no date, so ages and school age could not be worked out.", True))
    if not automatic and not spam:
        reasons.extend(review.child_reasons(kids, ref if ref != UNDATED else None, category, threshold))
        reasons.extend(review.people_reasons(referrer, grown, category, threshold))
        if category in review.NEEDS_CHILD and referrer.name is None and referrer.email is None:
            reasons.append(("The referrer is not named and gave no email address.", True))
        if category in review.NEEDS_CHILD and any(c.school.name is None for c in kids):
            named = context.register is not None and any(
                context.register.find_in_text(s.text) for s in parsed.sources if s.part != "header")
            no_school = next((ph for ph in phrasebook.table("no_school") for s in parsed.sources
                              if s.part != "header" and ph.pattern.search(s.text)), None)
            if named or no_school is None:  # a school is named but not recorded, or nothing says there is none
                reasons.append(("No school is recorded for " + ", ".join(
                    review.who(c, i) for i, c in enumerate(kids) if c.school.name is None)
                    + ": check whether the message names the last school.", True))
        left = coverage.leftovers(parsed, referrer, kids, grown, reading.entities, context.own_addresses,
                                  ref)
        if left:
            reasons.append(("Given in the message but not in the record: " + "; ".join(left[:4])
                            + (f" and {len(left) - 4} more" if len(left) > 4 else "")
                            + ". Check whether they belong to the case.", True))
        for clash in coverage.inconsistencies(parsed, kids, ref, context.register, referrer):
            reasons.append((f"The details disagree: {clash}.", True))
    sentences = tuple(dict.fromkeys(r for r, _ in reasons))
    needs_review = urgent or any(blocking for _, blocking in reasons)
    return Referral(source=_info(parsed), category=category, case_reference=case_ref, urgent=urgent,
                    safeguarding=tuple(flags), acknowledge=acknowledge,
                    needs_review=needs_review, review_reasons=sentences,
                    referrer=referrer, children=kids, parents_carers=grown, sender=sender,
                    missing_out=missing_out.assess(((src.part, src.text) for src in parsed.sources),
                                                   referrer.type.value if referrer.type else None, category))


def extract_file(name: str, data: bytes, context: ExtractionContext) -> dict[str, Any]:
    """The contract record of the email `data` (file `name`); an unreadable file gives the error line."""
    from parsers.mime import parse_message

    try:
        parsed = parse_message(data, name)
    except UnparseableMessage as exc:
        info = MessageInfo(name, None, None, None, None)
        return Referral(source=info, error=str(exc) or "The file cannot be read as an email.").to_record()
    try:
        return extract_referral(parsed, context).to_record()
    except Exception as exc:  # a bug must cost one message, never the batch; the record says so
        log.exception("extraction failed for message %s", parsed.message_id)
        return Referral(source=_info(parsed), error=f"extraction failed ({type(exc).__name__}); "
                                                    "the message needs reading by hand").to_record()


def explain_file(name: str, data: bytes, context: ExtractionContext) -> str:
    """In words: per person and field, every finding considered (value, rule, raw score, the words it was read
    from) and why the winner won; then the record's calibrated confidences and the review reasons."""
    from parsers.mime import parse_message

    try:
        parsed = parse_message(data, name)
    except UnparseableMessage as exc:
        return f"{name}: cannot be read as an email ({exc})"
    trace: list[tuple[str, Draft]] = []
    record = extract_referral(parsed, context, trace).to_record()
    lines = [f"{name}: {record['category']}" + (" URGENT" if record["urgent"] else "")
             + (", needs review" if record["needs_review"] else ", accepted without review")]
    for who, draft in trace:
        lines.extend(_explain_draft(who, draft))
    lines.append("\nconfidence in the record (calibrated probability that the value is right)")
    for path, f in _record_fields(record):
        lines.append(f"  {path} = {f['value']!r}: {f['confidence']:.2f} ({(f.get('source') or {}).get('rule')})")
    lines.append("\nreview reasons")
    lines.extend(f"  - {r}" for r in record["review_reasons"] or ["(none)"])
    return "\n".join(lines)


def _explain_draft(who: str, draft: Draft) -> list[str]:
    """Per field of one person, the value chosen, then every finding (with its rule, raw score, words and
    evidence features) and its verdict; the findings of other mentions merged into the person follow theirs."""
    merged, todo = [], list(draft.merged)
    while todo:  # mentions merged into mentions that were merged in
        m = todo.pop(0)
        merged.append(m)
        todo.extend(m.merged)
    verdicts = [(v, "") for v in draft.resolution.verdicts]
    verdicts += [(v, "(another mention, merged) ") for m in merged for v in m.resolution.verdicts]
    if not verdicts:
        return []
    lines = [f"\n{who}"]
    for field_name in dict.fromkeys(v.finding.field for v, _ in verdicts):
        lines.append(f"  {field_name}: {draft.get(field_name)!r}")
        lines.extend(f"    - {where}{findings.describe(v)}" for v, where in verdicts if v.finding.field == field_name)
    return lines


def _record_fields(record: dict[str, Any], prefix: str = "") -> list[tuple[str, dict[str, Any]]]:
    out: list[tuple[str, dict[str, Any]]] = []
    for key in ("referrer", "children", "parents_carers") if not prefix else record:
        node = record[key]
        if isinstance(node, list):
            for i, item in enumerate(node):
                out.extend(_record_fields(item, f"{prefix}{key}[{i}]."))
        elif isinstance(node, dict) and "value" in node:
            out.append((f"{prefix}{key}", node))
        elif isinstance(node, dict):
            out.extend(_record_fields(node, f"{prefix}{key}."))
    return out
