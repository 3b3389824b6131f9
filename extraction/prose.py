"""People in free text: children and parents/carers named in sentences, by the cue that says whose name it is.

A name becomes a child only with a child cue (a date of birth right after it, "her brother X",
"X, aged 9", a list line with "boy"/"girl"); a parent only with a relationship cue ("his mother,
X", "X (mum)"). A PERSON without a cue fills no field. Signature blocks and disclaimers are skipped.
"""
from __future__ import annotations

import re
from datetime import date
from typing import Any

from config import phrasebook
from extraction import evidence, given_names
from extraction.classify import CASE_REF
from extraction.clauses import unwrap
from extraction.dates import NUMERIC_DATE, find_dates
from extraction.drafts import Draft
from extraction.forms import FormReading
from extraction.genders import Entities, gender_after, read_genders
from extraction.identifiers import find_upns
from extraction.kin import parent_before, read_parents, sibling_is_parent
from extraction.names import NAME, WORD, name_ok, regions
from extraction.nlp import entities
from extraction.places import read_places, read_schools, sentence_start_of
from extraction.surnames import family_names
from extraction.people import RELATION_PATTERN, first_given, split_name, without_kin_word
from parsers.message import ParsedMessage, TextSource

# the words between a name and its date of birth, never ending in a possessive ("According to our booking form
# her date of birth is ...": the text says whose date it is, and it is not the word before)
_DOB_CUE = re.compile(r"(?i)^[^.\n;]{0,40}?(?<!\bhis )(?<!\bher )(?<!\btheir )(?<!\bour )(?<!\bmy )(?<!\byour )\b(?:d\.?o\.?b\.?|born(?: on| in)?|date of birth)\b[\s:.\-–]*(?:(?:is|was)\s+)?(?:the\s+)?")
# a month and year, or a year, where a date of birth would be: "born Sept 2014" (a child, with no full date)
_PARTIAL_BIRTH = re.compile(r"(?i)^(?:(?:(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\s+)?(?:19|20)\d\d\b|"
                            r"\d{1,2}[/.-]\d{1,2}[/.-](?:19|20)?\d\d\b)")  # "Sept 2014", "09/14/2010" (US order)
# "Her date of birth is 06/02/2017": the date of birth of the child the pronoun stands for
# "Her date of birth is 06/02/2017", "He is 9 years old, born 04.04.2017", "She was born on 3 March 2016"
_PRONOUN_DOB = re.compile(r"\b(?:(?P<pro>[Hh]is|[Hh]er)[ \t]+(?:date[ \t]+of[ \t]+birth|DOB|d\.o\.b\.?|birthday)[ \t]+(?:is|was)|"
                          r"(?P<pro2>[Hh]e|[Ss]he)(?:(?:['’]s|[ \t]+is)[^.\n!?;]{0,30}?[ \t,]+(?:and[ \t]+)?(?:was[ \t]+)?|[ \t]+was[ \t]+)"
                          r"born(?:[ \t]+on)?)[ \t]+(?:the[ \t]+)?")
_SIB = re.compile(rf"\b(?:[Hh]is|[Hh]er|[Tt]heir|[Tt]he|[Mm]y|[Oo]ur|[a-z]+['’]s|[A-Z][a-z]+['’]s)\s+(?:(?:little|younger|older|big|elder|twin|baby|"
                  rf"half|step|great)[\s-]+)?(?P<rel>brother|sister|son|daughter|nephew|niece|grandson|granddaughter|stepson|stepdaughter)s?(?:,|\s+is|\s+called)?\s+{NAME}")
# a relative who may be a child or a grown-up ("my cousin Tegan Marsh"): a child when an age of school years
# follows, in the same sentence or the next ("... Tegan Marsh. She's 12 now.")
_KIN_ANY_AGE = re.compile(rf"\b(?:[Mm]y|[Oo]ur|[Hh]is|[Hh]er|[Tt]heir)\s+(?:(?:little|younger|older|big|twin|baby|second|school)[\s-]+)?"
                          rf"(?P<rel>cousin|godchild|godson|goddaughter|grandchild|stepchild|(?:best[ \t]+)?friend|mate|classmate)"
                          rf"(?:,|\s+is(?:\s+called|\s+named)?|\s+called|['’]s\s+called)?\s+{NAME}")
# the writer says whose parent, grandparent or carer they are: "I am mother of Szymon Wróbel", "I'm the nan of Tyler
# Marsh", "I am Szymon Wróbel's mum" (the one they write about is the child)
_WRITERS_REL = rf"(?i:{RELATION_PATTERN}|parent|grandparent)"  # config/relationships.csv
_WRITER_OF = re.compile(rf"\b(?:I(?:['’]m|[ \t]+am)|(?i:as))[ \t]+(?i:the[ \t]+|a[ \t]+)?{_WRITERS_REL}[ \t]+(?i:of|to)[ \t]+"
                        rf"(?!(?i:a|an|the|two|three|four|several|many|other|this|that|these|those)\b){NAME}")
_WRITER_OWN = re.compile(rf"\bI(?:['’]m|[ \t]+am)[ \t]+{NAME}['’]s[ \t]+{_WRITERS_REL}\b")
# "... and she's in year 8 with me": a school year, as good as an age
_YEAR_NEXT = re.compile(r"(?i)[^\n.]{0,40}?\b(?:she|he)(?:['’]?s|[ \t]+is)[ \t]+(?:now[ \t]+)?in[ \t]+(?:year|yr|y)[ \t]?(?:[1-9]|1[0-3])\b")
_AGE_NEXT = re.compile(r"(?i)[^\n]{0,40}?\b(?:(?:she|he|who)(?:['’]?s| is| has| just)?[ \t]+(?:turned|turns|is turning)|"
                       r"(?:she|he)(?:['’]?s| is)|who is|who['’]s|aged?|is)[ \t]+(?:only[ \t]+|now[ \t]+|just[ \t]+)?"
                       r"(?P<age>\d{1,2})\b(?![/.:]\d)")
# a child writing about themselves: "My name is Kai Dobson, I'm 13", and "my birthday is 3/2/2013"
_SELF = re.compile(rf"\b(?i:{phrasebook.alternation('vocabulary', 'own_name')})[ \t]+{NAME}")
_SELF_AGE = re.compile(r"(?i)[^.\n]{0,30}?\b(?:i['’]?m|i am|aged?)[ \t]+(?P<age>\d{1,2})\b(?![/.:]\d)(?![ \t]+(?:minutes?|hours?|days?|weeks?|months?))")
_MY_BIRTH = re.compile(r"(?i)\b(?:my (?:birthday|date of birth|dob|d\.o\.b\.?)(?: is| was|:)|i was born(?: on)?)[ \t]+(?:the[ \t]+)?")
_UPN_CUE = re.compile(r"(?i)\bupn\b(?:\s+(?:number|no\.?))?(?:\s+is)?\W{0,3}$")
_NICKNAME = re.compile(rf"\b(?P<nick>{WORD})[ \t]*\((?P<legal>{WORD})\)[ \t]+(?P<last>{WORD})")
_KNOWN_AS = re.compile(rf"\b(?P<legal>{WORD})[ \t]*\((?:known[ \t\n]+as|we[ \t\n]+call[ \t\n]+(?:him|her|them)|"
                       rf"called|aka|a\.k\.a\.?|or[ \t]+just)[ \t\n]+(?P<nick>{WORD})[!.]{{0,3}}\)(?:[ \t]+(?P<last>{WORD}))?")
# "Jakub Wiśniewski (we call him Kuba), born ...": the given name, the family name, then what the child is called
_LAST_KNOWN_AS = re.compile(rf"\b(?P<legal>{WORD})[ \t]+(?P<last>{WORD})[ \t]*\((?:known[ \t\n]+as|we[ \t\n]+(?:all[ \t\n]+|"
                            rf"usually[ \t\n]+|always[ \t\n]+)?call[ \t\n]+(?:him|her|them)|called|aka|a\.k\.a\.?|goes[ \t\n]+by)"
                            rf"[ \t\n]+(?P<nick>{WORD})[!.]{{0,3}}\)")
# "Amelia Stanton (we all call her Millie)": the name after the full name is what the child is known as
_FULL_KNOWN_AS = re.compile(rf"\b(?P<legal>{WORD})[ \t]+{WORD}[ \t\n]*\((?:known[ \t\n]+as|we[ \t\n]+(?:all[ \t\n]+|usually[ \t\n]+|"
                            rf"always[ \t\n]+)?call[ \t\n]+(?:him|her|them)|called|aka|a\.k\.a\.?|goes[ \t\n]+by)[ \t\n]+(?P<nick>{WORD})[!.]{{0,3}}\)")
_CHILD_NOUN = re.compile(rf"\b(?P<noun>girl|boy|child|young person|pupil|student|teenager|son|daughter|lad|lass)(?:s\b)?"
                         rf"(?:\s+(?:of\s+)?(?:about|aged?|around)?\s*\d{{1,2}}(?:\s+years?(?:\s+old)?)?)?"
                         rf"(?:\s+(?:who\s+lives\s+|living\s+)?(?:next\s+door|opposite|upstairs|downstairs|"
                         rf"across\s+the\s+(?:road|street))(?:\s+(?:(?:to|from)\s+)?(?:us|me))?)?"
                         rf"(?:[ \t]*,|\s+(?:called|named))\s+{NAME}")
# a writer who does not capitalise: "my son kai brennan dob 2/9/16" (a date of birth must follow)
_LOWER_OWN_CHILD = re.compile(r"\b(?:my|our)[ \t]+(?:(?:little|younger|baby|big|older|step-?)[ \t]*)?"
                              r"(?P<noun>son|daughter|boy|girl|brother|sister)[ \t]+(?P<first>[a-z][a-z'’-]+)"
                              r"(?:[ \t]+(?P<last>[a-z][a-z'’-]+))?(?=[ \t]+\(?(?:d\.?o\.?b\b|born\b|is[ \t]+\d|aged?[ \t]+\d))")
_LOWER_AGE = re.compile(r"[ \t]+(?:is|aged?)[ \t]+(?P<age>\d{1,2})\b(?![/.:]\d)")
_NAME_IS = re.compile(rf"\b(?:(?P<pro>[Hh]is|[Hh]er)[ \t]+(?:first[ \t]+)?name[ \t]+(?:is|was)|"
                      rf"(?P<pro3>[Hh]e|[Ss]he)(?:['’]?s|[ \t]+is)[ \t]+called|"
                      rf"(?:they|we|people|everyone)[ \t]+call[ \t]+(?P<pro4>him|her)|"
                      rf"gave[ \t]+(?P<pro2>his|her)[ \t]+name[ \t]+as)[ \t]+{NAME}")
_GROWN_UP_NAMED = re.compile(r"(?i)\b(?:adult|man|woman|gentleman|lady|bloke|fella|guy|boyfriend|girlfriend|partner|"
                             r"driver)\b[^.!?\n]{0,40}$")
# "The child is Jayden Cole.", "The boy is Mason, ...", "The pupil's name is Ava Quill": the writer names the child
_THE_CHILD_IS = re.compile(rf"\b(?:[Tt]he|[Tt]his)[ \t]+(?P<noun>child|pupil|young person|student|boy|girl|lad|"
                           rf"young lad|little boy|little girl)(?:['’]s[ \t]+(?:full[ \t]+)?name)?[ \t]+(?:is|was)[ \t]+"
                           rf"(?:called[ \t]+|named[ \t]+)?{NAME}")
_SURNAME_IS = re.compile(rf"\b(?:his|her)[ \t]+(?:sur|last[ \t]+|family[ \t]+)name[ \t]+(?:is|was|might be)[ \t]+{NAME}")
# a name that is the subject of news about school: "Corvin started with us", "Sable has been offered a place"
_SCHOOL_NEWS = re.compile(rf"(?:^|(?<=[.!?]\s)|(?<=[-–:,]\s)|(?<=\n))[ \t]*{NAME}[ \t]+(?:has|have|had|is|was|will)?[ \t]*"
                          rf"(?:now[ \t]+|finally[ \t]+|today[ \t]+)?(?:been[ \t]+offered[ \t]+a[ \t]+(?:school[ \t]+)?place|"
                          rf"started[ \t]+(?:with[ \t]+us|at|school)|(?:been[ \t]+)?enrolled|(?:been[ \t]+)?admitted|"
                          rf"returned[ \t]+to[ \t]+school|back[ \t]+(?:in|at)[ \t]+school|now[ \t]+on[ \t]+roll)\b")
_REFERRAL_ABOUT = re.compile(rf"\b(?i:referral|case|enquiry|update)[ \t]+(?i:about|regarding|concerning|for|on|re:?)[ \t]+"
                             rf"{NAME}")
# a pupil a school asks to take off its roll: "Can you remove Lacey-Mae Turner from our roll", "please take Zofia
# off the register"
_OFF_ROLL = re.compile(rf"\b(?i:remove|removing|take|taking|delete|deleting)[ \t]+{NAME}[ \t]+(?i:from|off)[ \t]+"
                       rf"(?i:(?:our|the|your|their|school)[ \t]+)*(?i:roll|register|admission[ \t]+register)\b")
_CHILD_WORD = re.compile(r"(?i)\b(?:boy|girl|child|young person|teenager|pupil|student|son|daughter|kid|lad|lass|"
                         r"youngster|toddler|baby)(?:s|ren)?\b")
# "Tia-Rose Dempsey in year 3", "Olly Grant yr 3 - 14 Wessex Close": a school year right after a name; not a
# teacher's or a team's year ("Ms Okafor, Year 6 teacher")
_YEAR_AFTER = re.compile(r"^(?:[ \t]*,[ \t]*|[ \t]*\(|[ \t]+in[ \t]+|[ \t]*[-–—:][ \t]*|[ \t]+)(?:Year|Yr|Y|year|yr)[ \t]?"
                         r"(?:\d{1,2}|R)\b(?![ \t]+(?i:teachers?|team|tutors?|leads?|leaders?|group|heads?|co-?ordinator|"
                         r"managers?|assistants?|TA)\b)")
# an age right after a name: "Maisie, 7", "Harvey Langdon, he says he's 11", "Kai (aged 9)"
_AGE_AFTER = re.compile(r"^(?:[ \t]*,[ \t]*(?:who is|who's|aged?|now|(?:(?:he|she)[ \t]+(?:says|said|reckons|thinks|told (?:me|us))[ \t]+)?"
                        r"(?:he|she)(?:['’]?s|[ \t]+is))?[ \t]*(?:about[ \t]+)?|[ \t]*\((?:aged?[ \t]*)?"
                        r"|[ \t]+(?:is|aged?)[ \t]+(?:(?:about|around|maybe|roughly|probably|nearly|almost|only|just)[ \t]+)?"
                        r"|[ \t]*[-–—][ \t]*aged?[ \t]+"
                        # "Levi Loveridge - 13 - not on any school roll": a list line's bare age between dashes
                        r"|[ \t]+[-–—][ \t]+(?=\d{1,2}[ \t]*(?:[-–—,;(]|\n|$))(?!\d{1,2}[ \t]*[-–—][ \t]*\d)"  # not "0-19"
                        # "Connor who must be about 11", "Maisie, who is maybe 7": an age the writer guesses
                        r"|[ \t]*,?[ \t]+who(?:['’]s|[ \t]+(?:is|must be|might be|would be|could be|will be))[ \t]+"
                        r"(?:about|around|maybe|roughly|probably|nearly|almost|only|just|approx\.?)[ \t]+"
                        # "Amelia Dawson, whom I understand to be seven years of age": a formal letter's age in words
                        r"|[ \t]*,[ \t]*(?:who|whom)[ \t]+(?:I[ \t]+)?(?:understand|believe|think|know)[ \t]+(?:to[ \t]+be|is)[ \t]+)"
                        r"(?P<age>\d{1,2}|(?i:four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|"
                        r"fifteen|sixteen|seventeen))\b(?![/.:]\d)"
                        r"(?![ \t]*[-–][ \t]*\d{1,2}(?:st|nd|rd|th)?[ \t]+(?i:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec))"  # "(16-22 NOVEMBER)": dates
                        r"(?![ \t]+(?!years?\b|yrs?\b|y/?o\b|and\b|or\b)[A-Za-z])")  # not "Hotel, 1 Station Approach"
_NUMBER_WORDS = {w: n for n, w in enumerate("zero one two three four five six seven eight nine ten eleven twelve "
                                            "thirteen fourteen fifteen sixteen seventeen".split())}


def _years(age: str) -> int:
    """An age as written, in figures or words ("seven")."""
    return int(age) if age.isdigit() else _NUMBER_WORDS.get(age.lower(), 99)


def _child(reading: FormReading, first: str) -> Draft:
    for c in reading.children:
        if first.casefold() in ((c.get("first_name") or "").casefold(), (c.get("known_as") or "").casefold()):
            return c
    d = Draft("child")
    reading.children.append(d)
    return d


def _shouted_words(raw: str, text: str) -> bool:
    """A heading in capitals ("ATTENDANCE PANEL") read as a name: every word is in capitals, and one of them
    the same text uses in small letters as an ordinary word ("Freya's attendance this year")."""
    words = [w.strip(",.'’") for w in raw.split()]
    return all(w.isupper() and len(w) > 1 for w in words) and any(
        re.search(rf"(?<![\w'’-]){re.escape(w.lower())}(?![\w'’-])", text) for w in words)


_AFTER_A_SCHOOL = re.compile(r"\b(?:School|Academy|College|Primary|Juniors?|Infants?)[ \t]*,[ \t]*$")


# a word that makes the name before it a class's or a school's: "Kestrel class", "the Costello school"
_SCHOOL_CLASS = re.compile(r"(?i)[ \t]+(?:class|school|academy|college|primary|juniors?|infants?|nursery)\b")


def _add_child(reading: FormReading, text: str, part: str, s: int, e: int, conf: float,
               said: str | None = None) -> Draft | None:
    raw = text[s:e].replace("\n", " ")  # a name wrapped onto the next line
    kin = len(raw) - len(without_kin_word(raw, text[max(0, s - 12):s]))
    s, raw = s + kin, raw[kin:]  # "my Grandson CHARLIE WEEKS": the kin word is no part of his name
    if not name_ok(raw) or _shouted_words(raw, text) or _AFTER_A_SCHOOL.search(text, max(0, s - 30), s):
        return None  # "Kennet School, Thatcham (Y8)": the town a school is in, not a child
    if _SCHOOL_CLASS.match(text, e) or re.search(r"(?i)\bclass[ \t]*[:|][ \t]*$", text[max(0, s - 12):s]):
        return None  # "Year 5 (Kestrel class)", "Class: Kestrels (Year 3)", "the Costello school": no child
    surname_first = "," in raw
    if surname_first:
        last, _, first = raw.partition(",")
        first, last = first.strip(), last.strip()
    else:
        first, last = split_name(raw)
    first = first_given(first)
    d = _child(reading, first)
    fs = text.find(first, s)
    d.offer("first_name", evidence.at(first, conf, part, text, fs, fs + len(first)), said=said)
    if last:
        ls = text.find(last, s)
        d.offer("last_name", evidence.at(last, conf, part, text, ls, ls + len(last)), said=said)
    return d


def _named_with_dob(reading: FormReading, text: str, part: str, ref: date, m: re.Match, hi: int,
                    ents: Entities, found: list[tuple[Draft, int, int]]) -> bool:
    """A child written "Legal (known as Nickname) Last" with a date of birth after it; False when no date follows."""
    after = text[m.end():min(hi, m.end() + 80)]
    cue = _DOB_CUE.match(after)
    if cue is None or not name_ok(m.group("legal")) or re.search(r"\b(?!DOB\b)[A-Z][a-z]+", after[:cue.end()]):
        return False
    dates = find_dates(after[cue.end():cue.end() + 30], ref)
    if not dates or after[cue.end():cue.end() + dates[0][1]].strip().lower() not in ("", "the") or dates[0][0] > ref:
        return False
    conf = evidence.PROSE_CUE + 0.06
    last = m.group("last") if m.group("last") and name_ok(m.group("last")) else None
    end = m.end("last") if last else m.end("legal")
    d = _add_child(reading, text, part, m.start("legal"), m.end("legal"), conf, said=evidence.cue_words(m, "legal"))
    if d is None:
        return False
    d.offer("known_as", evidence.at(m.group("nick"), conf, part, text, m.start("nick"), m.end("nick")))
    if last:
        d.offer("last_name", evidence.at(last, conf, part, text, m.start("last"), m.end("last")))
    when, ds, de = dates[0]
    base = m.end() + cue.end()
    d.offer("date_of_birth", evidence.at(when.isoformat(), conf, part, text, base + ds, base + de))
    found.append((d, m.start(), m.end()))
    gender_after(d, text, part, end, hi, conf, ents)
    return True


_WHOSE_CHILD = re.compile(r"\b[A-Z][a-z]+['’]s[ \t]+(?:(?:eldest|youngest|older|younger|little)[ \t]+)?(?:son|daughter|child|"
                          r"stepson|stepdaughter|grandson|granddaughter|nephew|niece|boy|girl)\b")
_TRAILING_LABEL = re.compile(r"[ \t]+(?:DOB|D\.O\.B|UPN|NCY|YR|LAD|NHS)$")
_PLACE_BEFORE = re.compile(r"\b(?:in|at|near|from|moved to|move to|moving to|back to|relocated to)[ \t]+$")


def _a_place(text: str, start: int, end: int) -> bool:
    """The words at text[start:end] name a place, not a person: a preposition of place stands before
    them ("carers in Dunmere", "born in Brackenford"). (The tagger's GPE is not used: it tags
    children's names written "Name (14)" as places.)"""
    return bool(_PLACE_BEFORE.search(text[max(0, start - 20):start]))


def _tagged(ents: Entities, start: int, end: int) -> str | None:
    """The tagger's label of the entity covering text[start:end], if any."""
    for label, s, e, _ in ents:
        if s <= start and end <= e:
            return label
    return None


# a date written straight after a name, with nothing but a sex, a dash or a bracket between: "Daryna Bondarenko (F) -
# 17.03.2012 - was at Danebury", "Oliver Stannard (09/04/2012) is not on roll"
_BARE_BIRTH = re.compile(r"^[ \t]*(?:\((?:M|F|Male|Female|male|female)\)[ \t]*)?(?:[-–,(][ \t]*)?")
_BARE_BIRTH_END = re.compile(r"(?:[ \t]*(?:[-–,;)]|$|\n)|[ \t]+(?:is|was|has|had|who|and)\b|"
                             r"[ \t]+(?i:m|f|male|female|boy|girl)[ \t]*(?:$|\n|[-–,;.]))")  # "YUSUF HAIDARI 12.3.2017 BOY"


def _listed_first_name(text: str, start: int, name: str) -> bool:
    """A given name that starts its line, as a list of children by first name does ("Tyler - 02/02/2011")."""
    line_start = text.rfind("\n", 0, start) + 1
    return given_names.is_given_name(name) and _LIST_MARK.fullmatch(text, line_start, start) is not None


_LIST_MARK = re.compile(r"[ \t]*(?:[-*•>][ \t]*|\d{1,2}[.)][ \t]*)?")  # what may stand before a listed name


def _bare_date_of_birth(reading: FormReading, text: str, part: str, ref: date, m: re.Match, after: str, hi: int,
                        ents: Entities, found: list[tuple[Draft, int, int]]) -> bool:
    """A child's full name followed at once by a date that makes them 2 to 18 years old: the date of birth, read
    without a "DOB" before it (rule prose.bare_date_of_birth, so its precision is measured); False when not so."""
    lead = _BARE_BIRTH.match(after)
    dates = find_dates(after[lead.end():lead.end() + 20], ref)
    if not dates or dates[0][1] != 0 or not re.match(r"\d", after[lead.end():]):
        return False
    when, ds, de = dates[0]
    years = (ref - when).days / 365.25
    name = m.group("name")
    known = any(c.get("first_name") == name for c in reading.children)  # "DOBs Zuzanna 11/05/2018, Antoni 29/01/2021"
    # the end is looked for in the text as written: a line ending after the date ends it, though the lines are joined
    if not 2 <= years <= 18 or not _BARE_BIRTH_END.match(text, m.end() + lead.end() + de) or not name_ok(name) \
            or (len(name.split()) < 2 and not known and not _listed_first_name(text, m.start("name"), name)) \
            or (m.start("name") and text[m.start("name") - 1].isalnum()):
        return False
    d = _add_child(reading, text, part, m.start("name"), m.end("name"), evidence.PROSE, said=evidence.cue_words(m))
    if d is None:
        return False
    base = m.end() + lead.end()
    d.offer("date_of_birth", evidence.at(when.isoformat(), evidence.PROSE, part, text, base + ds, base + de,
                                         rule="prose.bare_date_of_birth"))
    found.append((d, m.start(), m.end()))
    gender_after(d, text, part, m.end(), hi, evidence.PROSE, ents)
    return True


def read_source(source: TextSource, ref: date, reading: FormReading, lo: int, hi: int,
                ents: Entities = ()) -> None:  # type: ignore[assignment]
    """Children and parents named in source.text[lo:hi]; `ents` are the tagger's entities of the text."""
    text, part = source.text, source.part
    flat = unwrap(text)  # same offsets, wrapped lines joined
    found: list[tuple[Draft, int, int]] = []
    claimed = [(m.start(), m.end()) for m in _NICKNAME.finditer(flat, lo, hi)]  # "Ned (Edward) Quill"
    for m in _LAST_KNOWN_AS.finditer(flat, lo, hi):  # "Jakub Wiśniewski (we call him Kuba), born ..."
        if _named_with_dob(reading, text, part, ref, m, hi, ents, found):
            claimed.append((m.start(), m.end()))
    for m in _KNOWN_AS.finditer(flat, lo, hi):  # "Ottoline (known as Tilly) Corvin, born ..."
        if any(s <= m.start() < e for s, e in claimed):
            continue
        if _named_with_dob(reading, text, part, ref, m, hi, ents, found):
            claimed.append((m.start(), m.end()))
    # 1. a name right before a date of birth
    for m in re.finditer(NAME, flat[:hi]):
        if m.start() < lo or any(s <= m.start() < e for s, e in claimed):
            continue
        label = _TRAILING_LABEL.search(m.group("name"))
        if label:  # "Kacie Trent DOB 03/02/2013": the label after the name is not part of it
            m = re.compile(NAME).match(flat, m.start(), m.start("name") + label.start()) or m
        if not name_ok(m.group("name")):  # "November Jack Ellis": try the words after the stop word
            inner = re.match(rf"(?:{WORD}[ \t]+)+?(?={WORD}(?:[ \t]+{WORD})?$)", m.group("name"))
            if inner is None:
                continue
            m = re.compile(NAME).match(flat, m.start() + inner.end(), m.end())
            if m is None or not name_ok(m.group("name")):
                continue
        lead = re.match(rf"([A-Z][a-z]+ing)[ \t]+(?={WORD})", m.group("name"))
        if lead and not given_names.is_given_name(lead.group(1)):  # "Flagging Summer Beckley-Ward 9SH (DOB ...)"
            m = re.compile(NAME).match(flat, m.start("name") + lead.end(), m.end()) or m
        if _a_place(text, m.start("name"), m.end("name")):
            continue  # "placed with carers in Dunmere, aged 12": a town, not a child
        after = flat[m.end():min(hi, m.end() + 80)]  # "Hugo Pennington\n(DOB ...)": a wrapped line is a space
        if not flat[flat.rfind("\n", 0, m.start()) + 1:m.start()].strip():
            # a name alone on its line heads the lines below it: "Charlie Stubbs\nDOB 01/09/2012, Year 9"
            after = re.sub(r"^[ \t]*\n", lambda g: " " * len(g.group(0)), after, count=1)
        if _WHOSE_CHILD.match(m.group("name").split()[-1] + after):
            continue  # "Olena's son, born ...": the possessive names a parent ("Ruby's DOB is ..." names the child)
        cue = _DOB_CUE.match(after)
        if cue and re.search(r"\b(?!Year\b|Yr\b|DOB\b|UPN\b)(?:[A-Z][a-z]+|[A-Z]{2,}[ \t]+[A-Z]{2,})",
                             re.sub(_WHOSE_CHILD, "", after[:cue.end()])):
            cue = None  # another name stands between this one and the date of birth ("Olena's son" is no other child;
            # "Officers found DEMI LAWTON (DOB ...)": a name in capitals is one)
        if cue and not re.search(r"(?i)\b(?:mother|father|mum|dad)\b", after[:cue.start() + 20]):
            dates = find_dates(after[cue.end():cue.end() + 30], ref)
            if not (dates and dates[0][1] == 0) and _PARTIAL_BIRTH.match(after[cue.end():]) and name_ok(m.group("name")) \
                    and len(m.group("name").split()) >= 2:
                d = _add_child(reading, text, part, m.start("name"), m.end("name"), evidence.PROSE_CUE, said=evidence.cue_words(m))
                if d is not None:  # "Maksym Bondar - born Sept 2014": a child, the date left to the officer
                    found.append((d, m.start(), m.end()))
                    gender_after(d, text, part, m.end(), hi, evidence.PROSE_CUE, ents)
                continue
            if dates and dates[0][1] == 0:
                d = _add_child(reading, text, part, m.start("name"), m.end("name"), evidence.PROSE_CUE + 0.06,
                               said=evidence.cue_words(m))
                if d is None:
                    continue
                when, ds, de = dates[0]
                base = m.end() + cue.end()
                if when <= ref:
                    d.offer("date_of_birth", evidence.at(when.isoformat(), evidence.PROSE_CUE + 0.06, part, text,
                                                         base + ds, base + de))
                found.append((d, m.start(), m.end()))
                gender_after(d, text, part, m.end(), hi, evidence.PROSE_CUE + 0.06, ents)
                continue
        if not cue and _bare_date_of_birth(reading, text, part, ref, m, after, hi, ents, found):
            continue
        age = _AGE_AFTER.match(flat[m.end():m.end() + 60]) or _YEAR_AFTER.match(flat[m.end():m.end() + 20])
        if age and _in_date_column(text, m.start("name")):
            age = None  # a school's name in a list line's column after the date of birth
        if age and re.match(r"\)?[ \t]*:", flat[m.end() + age.end():m.end() + age.end() + 3]):
            age = None  # "Telephone (2):" is a form label, not a child aged 2
        if age and "age" in age.groupdict() and age.group("age") and _years(age.group("age")) > 18:
            age = None  # "an adult male, Darren WHITFIELD (34)": a grown-up, whatever else is said of him
        if age and " " not in m.group("name") and re.match(r"[ \t]+age[ \t]", flat[m.end():m.end() + 5]) \
                and not given_names.is_given_name(m.group("name")):
            age = None  # "Approximate age 12", "Estimated age 9": a form's label, not a child called Approximate
        tag = _tagged(ents, m.start("name"), m.end("name"))
        if age and tag not in ("DATE", "TIME", "REL", "ROLE", "POSTCODE") and name_ok(m.group("name")) and not re.search(r"(?i)\b(?:mum|mother|dad|father|nan|gran)\W*$",
                                                                 text[max(0, m.start() - 12):m.start()]):
            conf = evidence.PROSE + (0.04 if tag == "PERSON" else 0.0)
            d = _add_child(reading, text, part, m.start("name"), m.end("name"), conf, said=evidence.cue_words(m))
            if d is not None:
                found.append((d, m.start(), m.end()))
                gender_after(d, text, part, m.end(), hi, evidence.PROSE, ents)
    # 2. "her brother Femi", "their son Rory Vance"
    for m in _SIB.finditer(flat, lo, hi):
        if sibling_is_parent(flat, m):
            continue  # "my sister's two children ... My sister is Claire Henderson": the writer's sister is their mother
        if re.match(r"[A-Z][a-z]+['’]s\s", m.group(0)) and m.group("rel").lower() in ("brother", "sister"):
            continue  # "Kai's sister Ruby (8) is at Redlands": a named child's sibling, told of for context
        age = _AGE_AFTER.match(flat[m.end():m.end() + 60])
        if age and age.group("age") and _years(age.group("age")) >= 17:
            continue  # "her sister Jade (19)", "older sister Chloe, 17 - at college": past compulsory school age
        d = _add_child(reading, text, part, m.start("name"), m.end("name"), evidence.PROSE_CUE, said=evidence.cue_words(m))
        if d is None:
            continue
        value = "male" if m.group("rel").lower() in ("brother", "son", "nephew", "grandson", "stepson") else "female"
        d.offer("gender", evidence.at(value, evidence.PROSE_CUE, part, text, m.start("rel"), m.end("rel")))
        found.append((d, m.start("name"), m.end("name")))
        if "last_name" not in d.fields and m.group("rel").lower() in ("brother", "sister"):
            elder = [c for c, s0, _ in found if s0 < m.start() and c is not d and "last_name" in c.fields]
            if elder:  # "Ife Balogun ... and her brother Femi": the family name is plain
                d.offer("last_name", evidence.found(elder[-1].get("last_name"), evidence.PROSE, "derived", None,
                                                    None, "the family name of the sibling named before"))
    for m in _THE_CHILD_IS.finditer(flat, lo, hi):  # "The child is Jayden Cole."
        d = _add_child(reading, text, part, m.start("name"), m.end("name"), evidence.PROSE_CUE, said=evidence.cue_words(m))
        if d is None:
            continue
        noun = m.group("noun").lower()
        if noun in ("boy", "lad", "young lad", "little boy", "girl", "little girl"):
            d.offer("gender", evidence.at("female" if "girl" in noun else "male", evidence.PROSE_CUE, part, text,
                                          m.start("noun"), m.end("noun")))
        found.append((d, m.start("name"), m.end("name")))
        gender_after(d, text, part, m.end(), hi, evidence.PROSE_CUE, ents)
    for pattern in (_WRITER_OF, _WRITER_OWN):  # "I am mother of Szymon Wróbel. He is 9 years old"
        for m in pattern.finditer(flat, lo, hi):
            d = _add_child(reading, text, part, m.start("name"), m.end("name"), evidence.PROSE_CUE,
                           said=evidence.cue_words(m))
            if d is not None:
                found.append((d, m.start("name"), m.end("name")))
                gender_after(d, text, part, m.end(), hi, evidence.PROSE_CUE, ents)
    for m in _KIN_ANY_AGE.finditer(flat, lo, hi):  # "my cousin Tegan Marsh. She's 12 now."
        age = _AGE_NEXT.match(flat, m.end(), min(hi, m.end() + 60))
        if (age is None or not 4 <= int(age.group("age")) <= 17) and not _YEAR_NEXT.match(flat, m.end(), min(hi, m.end() + 60)):
            continue
        d = _add_child(reading, text, part, m.start("name"), m.end("name"), evidence.PROSE_CUE, said=evidence.cue_words(m))
        if d is None:
            continue
        if m.group("rel") in ("godson", "goddaughter"):
            d.offer("gender", evidence.at("male" if m.group("rel") == "godson" else "female", evidence.PROSE_CUE, part,
                                          text, m.start("rel"), m.end("rel")))
        found.append((d, m.start("name"), m.end("name")))
        gender_after(d, text, part, m.end(), hi, evidence.PROSE_CUE, ents)
    # 3. parents: "his mother, Tessa MARLOW", "Hodan Abdi (mum)"
    for m in _NICKNAME.finditer(flat, lo, hi):
        after = flat[m.end():m.end() + 40]
        if not (_YEAR_AFTER.match(after) or _AGE_AFTER.match(after) or _DOB_CUE.match(after)):
            continue
        d = _add_child(reading, text, part, m.start("legal"), m.end("legal"), evidence.PROSE_CUE, said=evidence.cue_words(m, "legal"))
        if d is not None:
            d.offer("known_as", evidence.at(m.group("nick"), evidence.PROSE_CUE, part, text, m.start("nick"), m.end("nick")))
            d.offer("last_name", evidence.at(m.group("last"), evidence.PROSE_CUE, part, text, m.start("last"), m.end("last")))
            found.append((d, m.start(), m.end()))
    for m in _NAME_IS.finditer(flat, lo, hi):
        before = text[max(lo, m.start() - 500):m.start()]  # "a boy who has been coming in ... he said his name is"
        if not _CHILD_WORD.search(before):
            continue  # "her name is" about an adult
        parent = parent_before(flat, lo, m.start())
        if parent and not _CHILD_WORD.search(flat, parent.end(), m.start()):
            continue  # "i live with my mum ... her name is shelley mullins": the mother's name
        if _GROWN_UP_NAMED.search(flat, max(lo, m.start() - 60), m.start()):
            continue  # "an adult male who gave his name as Craig Lowther": a grown-up's name
        d = _add_child(reading, text, part, m.start("name"), m.end("name"), evidence.PROSE, said=evidence.cue_words(m))
        if d is None:
            continue
        found.append((d, m.start("name"), m.end("name")))
        which = next(g for g in ("pro", "pro2", "pro3", "pro4") if m.group(g))
        pro, at = m.group(which), m.start(which)
        d.offer("gender", evidence.at("male" if pro.lower() in ("his", "he", "him") else "female", evidence.PROSE_CUE, part,
                                      text, at, at + len(pro)))
        sur = _SURNAME_IS.search(flat, m.end(), min(hi, m.end() + 120))
        if sur and "last_name" not in d.fields and name_ok(sur.group("name")):
            d.offer("last_name", evidence.at(sur.group("name"), evidence.PROSE, part, text, sur.start("name"),
                                             sur.end("name")))
    for m in _OFF_ROLL.finditer(flat, lo, hi):  # "Can you remove Lacey-Mae Turner from our roll"
        d = _add_child(reading, text, part, m.start("name"), m.end("name"), evidence.PROSE_CUE, said=evidence.cue_words(m))
        if d is not None:
            found.append((d, m.start("name"), m.end("name")))
    for m in _REFERRAL_ABOUT.finditer(flat, lo, hi):  # "Your referral about Corvin Mabry has been given ..."
        d = _add_child(reading, text, part, m.start("name"), m.end("name"), evidence.PROSE_CUE, said=evidence.cue_words(m))
        if d is not None:
            found.append((d, m.start("name"), m.end("name")))
    for m in _SCHOOL_NEWS.finditer(flat, lo, hi):  # "Sable has now been offered a place at ...": a case update
        if not _a_place(text, m.start("name"), m.end("name")) and len(m.group("name").split()) <= 2:
            d = _add_child(reading, text, part, m.start("name"), m.end("name"), evidence.PROSE, said=evidence.cue_words(m))
            if d is not None:
                found.append((d, m.start("name"), m.end("name")))
    for m in _CHILD_NOUN.finditer(flat, lo, hi):
        if flat[m.end("noun"):m.end("noun") + 1] == "s" and re.match(r"[ \t]+(?:and|&)[ \t]+[A-Z]", flat[m.end():]):
            continue  # "two boys, Jayden and Alfie Parsons": the pair and its shared surname are read below
        d = _add_child(reading, text, part, m.start("name"), m.end("name"), evidence.PROSE_CUE, said=evidence.cue_words(m))
        if d is None:
            continue
        found.append((d, m.start("name"), m.end("name")))
        noun = m.group("noun").lower()
        if noun in ("girl", "boy", "son", "daughter", "lad", "lass"):
            value = "male" if noun in ("boy", "son", "lad") else "female"
            d.offer("gender", evidence.at(value, evidence.PROSE_CUE, part, text, m.start("noun"), m.end("noun")))
    for m in _AGE_NOTE.finditer(flat, lo, hi):  # "Keeley Marsh (year 4, she's 9)": an age or year group in brackets
        if any(s0 <= m.start("name") < e0 for _, s0, e0 in found) or _a_place(text, m.start("name"), m.end("name")):
            continue
        if _in_date_column(text, m.start("name")):
            continue
        d = _add_child(reading, text, part, m.start("name"), m.end("name"), evidence.PROSE_CUE, said=evidence.cue_words(m))
        if d is None:
            continue
        found.append((d, m.start("name"), m.end("name")))
        pro = re.search(r"(?i)\b(he|she)['’]?s\b", m.group("note"))
        sex = re.search(r"\b(boy|girl|male|female)\b", m.group("note"))
        if sex and not pro:
            at = m.start("note") + sex.start(1)
            d.offer("gender", evidence.at("male" if sex.group(1) in ("boy", "male") else "female", evidence.PROSE_CUE,
                                          part, text, at, at + len(sex.group(1))))
        if pro:
            at = m.start("note") + pro.start(1)
            d.offer("gender", evidence.at("male" if pro.group(1).lower() == "he" else "female", evidence.PROSE_CUE,
                                          part, text, at, at + len(pro.group(1))))
    for m in _NAME_IS_AGE.finditer(flat, lo, hi):  # "One of my students, Samira Example, is 15": a child by her age
        if any(s0 <= m.start("name") < e0 for _, s0, e0 in found) or _a_place(text, m.start("name"), m.end("name")):
            continue
        d = _add_child(reading, text, part, m.start("name"), m.end("name"), evidence.PROSE, said=evidence.cue_words(m))
        if d is not None:
            found.append((d, m.start("name"), m.end("name")))
    for m in _NAMED_PAIR.finditer(flat, lo, hi):  # "the boys, Charlie and Alfie Barker": two children, one surname
        noun = m.group("noun").lower()
        twins = noun == "twins" or "twin" in m.group(0).lower().split()
        shared = _SHARED_DOB.match(flat, m.end()) if twins else None  # "twin boys A and B Rahman, DOB 18/04/2020"
        born = find_dates(shared.group("date"), ref) if shared else []
        for key in ("a", "b"):
            if any(s0 <= m.start(key) < e0 for _, s0, e0 in found) or not name_ok(m.group(key)):
                continue
            d = _child(reading, m.group(key))
            d.offer("first_name", evidence.at(m.group(key), evidence.PROSE_CUE, part, text, m.start(key), m.end(key)))
            d.offer("last_name", evidence.at(m.group("sur"), evidence.PROSE_CUE, part, text, m.start("sur"), m.end("sur")))
            if noun in ("boys", "sons", "lads", "grandsons", "nephews", "girls", "daughters", "lasses", "granddaughters", "nieces"):
                d.offer("gender", evidence.at("male" if noun in ("boys", "sons", "lads", "grandsons", "nephews") else "female",
                                              evidence.PROSE_CUE,
                                              part, text, m.start("noun"), m.end("noun")))
            found.append((d, m.start(key), m.end(key)))
            if born and born[0][0] <= ref:
                at = shared.start("date")
                d.offer("date_of_birth", evidence.at(born[0][0].isoformat(), evidence.PROSE_CUE, part, text,
                                                     at + born[0][1], at + born[0][2], rule="prose.twins_born"))
    for m in _PRONOUN_DOB.finditer(flat, lo, hi):  # "Her date of birth is 06/02/2017"
        dates = find_dates(flat[m.end():m.end() + 30], ref)
        before = [(d0, s0) for d0, s0, _ in found if s0 < m.start() and "date_of_birth" not in d0.fields]
        if not dates or dates[0][1] != 0 or dates[0][0] > ref or not before:
            continue
        child = max(before, key=lambda t: t[1])[0]
        sex = "male" if (m.group("pro") or m.group("pro2")).lower() in ("his", "he") else "female"
        if child.get("gender") not in (None, sex) or len({id(d0) for d0, _ in before}) > 1 and child.get("gender") is None:
            continue  # the pronoun may be another child's
        when, ds, de = dates[0]
        child.offer("date_of_birth", evidence.at(when.isoformat(), evidence.PROSE_CUE, part, text, m.end() + ds, m.end() + de))
    for m in _CHILDREN_LIST.finditer(flat, lo, hi):  # "three children: Tyson who is about 12, Shannon ..., and little Levi"
        for item in _LIST_ITEM.finditer(m.group("items")):
            s0, e0 = m.start("items") + item.start("name"), m.start("items") + item.end("name")
            if any(a <= s0 < b for _, a, b in found) or not name_ok(item.group("name")):
                continue
            d = _add_child(reading, text, part, s0, e0, evidence.PROSE)
            if d is not None:
                found.append((d, s0, e0))
    family = _FAMILY_NAME.search(flat, lo, hi)
    if family and name_ok(family.group("sur")):  # "the Price family": the children named by first name alone
        for d, _s, _e in found:
            if "last_name" not in d.fields and d.owner == "child":
                d.offer("last_name", evidence.at(family.group("sur"), evidence.PROSE, part, text, family.start("sur"),
                                                 family.end("sur")))
    _lower_case_children(text, part, ref, reading, lo, hi, found)
    _dates_of_birth_after_the_child(text, flat, part, ref, lo, hi, found)
    read_parents(text, part, reading, lo, hi, found)
    if not reading.children:
        _writer_is_the_child(text, flat, part, ref, reading, lo, hi)
    _upns(text, part, reading, lo, hi)
    read_places(source, ref, reading, lo, hi)


# a date-of-birth cue said of someone already named: "his dob is 04/02/2016", "(DOB 02/06/2013)", "shes 14 dob ...",
# "(his date of birth on our consent form is 9 January 2012)", "(he's 7, birthday 14/12/2018)"
_LATER_DOB = re.compile(r"(?i)\b(?:(?P<pro>his|her)[ \t]+)?(?:d\.?o\.?b\.?|date[ \t]+of[ \t]+birth|birthday|born(?:[ \t]+on)?)"
                        r"(?![\w.])(?P<gap>[^.\n;()0-9]{0,40}?)(?:[ \t]+(?:is|was|as)\b|[ \t]*[:\-–])?[ \t]*(?:the[ \t]+)?(?=\d)")
_NOT_THE_CHILDS = re.compile(r"(?i)\b(?:mum|mother|mom|dad|father|parent|carer|my|your|our|partner|husband|wife|"
                             r"(?:[a-z]+['’]s))\W*$")  # "mum's DOB", "my date of birth", "Ava's DOB" (another name)
_SOMEONE_ELSE = re.compile(r"(?i)\b(?:mum|mother|mom|dad|father|parent|carer|brother|sister|sibling|aunt|uncle|nan|gran|"
                           r"grand\w+|cousin|partner|boyfriend|girlfriend|friend|baby|stepdad|stepmum)s?\b")
_PUPIL_AGES = (3, 18)  # a date of birth said after a child makes them a pupil, not the baby of the family
_PRONOUN_BEFORE = re.compile(r"(?i)\b(he|she)(?:['’]?s|[ \t]+is)?\b[^.\n]{0,12}$")  # "shes 14 dob ..."


def _dates_of_birth_after_the_child(text: str, flat: str, part: str, ref: date, lo: int, hi: int,
                                    found: list[tuple[Draft, int, int]]) -> None:
    """A date of birth said after a child is named, not beside the name ("Kyle ... he is 10, his dob is
    04/02/2016"), goes to the nearest child named before it in the same paragraph (or anywhere before it when
    the text names one child), when that child has none, no one else is spoken of between, a pronoun agrees and
    the date makes the child of school age (rule prose.dob_after_the_child, so its precision is measured)."""
    only_child = len({id(d0) for d0, _, _ in found if d0.owner == "child"}) == 1
    for m in _LATER_DOB.finditer(flat, lo, hi):
        if _NOT_THE_CHILDS.search(flat[max(lo, m.start() - 20):m.start()]) or re.search(r"[A-Z][a-z]", m.group("gap")):
            continue
        dates = find_dates(flat[m.end():m.end() + 25], ref)
        if not dates or dates[0][1] != 0:
            continue
        when, ds, de = dates[0]
        age = ref.year - when.year - ((ref.month, ref.day) < (when.month, when.day))
        if not _PUPIL_AGES[0] <= age <= _PUPIL_AGES[1]:
            continue
        before = [(d0, s0, e0) for d0, s0, e0 in found if e0 <= m.start() and d0.owner == "child"]
        if not before or any(d0.get("date_of_birth") == when.isoformat() for d0, _, _ in found):
            continue
        child, _s0, e0 = max(before, key=lambda t: t[2])
        between = flat[e0:m.start()]
        if only_child:  # the only child: "PS forgot to add -
            between = flat[max(e0, flat.rfind("\n", 0, m.start()) + 1):m.start()]  # DOB ..." far below is theirs
        if child.get("date_of_birth") or len(between) > 250 or "\n\n" in between.replace("\r", "") \
                or _SOMEONE_ELSE.search(between):
            continue  # the nearest child has a date already, or is far, or someone else is spoken of between
        said = _PRONOUN_BEFORE.search(flat[max(lo, m.start() - 25):m.start()])
        pro = (m.group("pro") or (said.group(1) if said else "")).lower()
        sex = {"his": "male", "he": "male", "her": "female", "she": "female"}.get(pro)
        if sex and child.get("gender") not in (None, sex):
            continue
        child.offer("date_of_birth", evidence.at(when.isoformat(), evidence.PROSE, part, text, m.end() + ds, m.end() + de,
                                                 rule="prose.dob_after_the_child"))


def _writer_is_the_child(text: str, flat: str, part: str, ref: date, reading: FormReading, lo: int, hi: int) -> None:
    """A child of school age writing about themselves ("my name is Kai Dobson im 13 ... my birthday is 3/2/2013")
    when the text names no other child: a 16-year-old "emailing about my cousin" is the referrer, not the child."""
    if re.search(r"(?i)\b(?:about|concerning|regarding|worried for) (?:my|our|a|her|his|this)\b", flat[lo:hi]):
        return  # "its about my best friend chloe": the writer tells of someone else
    for m in _SELF.finditer(flat, lo, hi):
        age = _SELF_AGE.match(flat, m.end(), min(hi, m.end() + 50))
        if age is None or not 5 <= int(age.group("age")) <= 17:
            continue
        d = _add_child(reading, text, part, m.start("name"), m.end("name"), evidence.PROSE_CUE, said=evidence.cue_words(m))
        if d is None:
            continue
        born = _MY_BIRTH.search(flat, m.end(), hi)
        dates = find_dates(flat[born.end():born.end() + 30], ref) if born else []
        if born and dates and dates[0][1] == 0 and dates[0][0] < ref:
            when, ds, de = dates[0]
            d.offer("date_of_birth", evidence.at(when.isoformat(), evidence.PROSE_CUE, part, text, born.end() + ds,
                                                 born.end() + de))


# "Skye is 7", not "the Island was 16 Marlborough Road" (a house number before a street)
_NAME_IS_AGE = re.compile(rf"{NAME},?[ \t]+(?:is|was|who is|who's|now)[ \t]+(?:aged[ \t]+|only[ \t]+|just[ \t]+)?"
                          rf"(?P<age>1[0-8]|[4-9])(?:[ \t]+(?:years?[ \t]+old|yrs?))?\b(?![:.%]\d|[ \t]*(?:am|pm|%|minutes|hours|days|weeks|years ago)|[ \t]+(?!Years?\b)[A-Z][a-z])")
_DATE_COLUMN = re.compile(NUMERIC_DATE + r"[ \t]*[-–|,][ \t]*$")


def _in_date_column(text: str, start: int) -> bool:
    """A name in the column after a date on its line: in "Ruby Lane - 12/06/2011 - Winton (yr 11)" the column after
    the date of birth is the school, not another child."""
    return _DATE_COLUMN.search(text, text.rfind("\n", 0, start) + 1, start) is not None


# an age or a school year in brackets after a name: "Keeley Marsh (year 4, she's 9)"; not "(incl. in-year ...)"
_AGE_NOTE = re.compile(rf"{NAME}[ \t]*\((?P<note>[^()\n]{{0,30}}?\b(?<![-–])(?:[Yy]ear|[Yy]r|Y|[Aa]ged?|[Rr]eception|"
                       rf"(?:[Hh]e|[Ss]he)['’]?s[ \t]+\d{{1,2}}|(?:boy|girl|male|female),?[ \t]+(?:aged?[ \t]+)?\d{{1,2}}|\d{{1,2}},?[ \t]+(?:boy|girl|male|female)|\d{{1,2}}[ \t]*(?:yo|y/o|yrs?|years?(?: old)?)|(?:about|approx\.?|approximately|around|roughly)[ \t]+\d{{1,2}})\b[^()\n]{{0,30}})\)")
_NAMED_PAIR = re.compile(rf"\b(?:(?i:the|her|his|their|both|two|my|our)[ \t]+(?:(?i:little|young|younger|older|small|twin)[ \t]+)?"
                         rf"|(?i:twin)[ \t]+)"
                         rf"(?P<noun>(?i:boys|girls|children|kids|sons|lads|lasses|brothers|sisters|grandchildren|grandsons|granddaughters|nephews|nieces|"
                         rf"daughters|siblings|twins|cousins))[,:]?[ \t]+(?P<a>{WORD})[ \t]+and[ \t]+(?P<b>{WORD})[ \t]+(?P<sur>{WORD})\b")


_SHARED_DOB = re.compile(r"[ \t]*[,(]?[ \t]*(?i:dob|d\.o\.b\.?|date of birth|born)[ \t]*:?[ \t]*(?P<date>[^,;)\n]{6,20})")
_CHILDREN_LIST = re.compile(r"\b(?i:(?:two|three|four|five|\d)[ \t]+)?(?i:children|kids|boys|girls)(?:[ \t]+(?i:are|were))?[ \t]*:[ \t]*"
                            r"(?P<items>[^.;\n]{3,200}(?:\n(?!\n)[^.;\n]{0,200})?)")
_LIST_ITEM = re.compile(rf"(?:^|,[ \t]*|[ \t]and[ \t]+)(?:(?i:little|baby|young|eldest|youngest|older|younger|the)[ \t]+)?"
                        rf"(?P<name>{WORD})(?=[ \t]*(?:,|\(|$|[ \t]+(?:who|aged?|is|was|\d)))")
_FAMILY_NAME = re.compile(rf"\b(?i:the)[ \t]+(?P<sur>{WORD})[ \t]+(?i:family)\b")


def _lower_case_children(text: str, part: str, ref: date, reading: FormReading, lo: int, hi: int,
                         found: list[tuple[Draft, int, int]]) -> None:
    """"my son kai brennan dob 2/9/16", "my son kayden is 9": a child named in lower case, taken only with a date
    of birth or an age after it, and only when nobody was found written with capitals."""
    if reading.children:
        return
    for m in _LOWER_OWN_CHILD.finditer(text, lo, hi):
        names = [n for n in (m.group("first"), m.group("last")) if n]
        if not all(name_ok(n) for n in names) or (m.group("last") in ("is", "aged", "age")):
            continue
        after = text[m.end():min(hi, m.end() + 60)]
        cue = _DOB_CUE.match(after)
        dates = find_dates(after[cue.end():cue.end() + 20], ref) if cue else []
        dated = bool(dates) and not after[cue.end():cue.end() + dates[0][1]].strip() and dates[0][0] <= ref
        if not dated and not _LOWER_AGE.match(after):
            continue
        d = _child(reading, m.group("first"))
        for key in ("first", "last"):
            if m.group(key):
                d.offer(key + "_name", evidence.at(m.group(key), evidence.PROSE, part, text, m.start(key), m.end(key)))
        if dated:
            when, ds, de = dates[0]
            base = m.end() + cue.end()
            d.offer("date_of_birth", evidence.at(when.isoformat(), evidence.PROSE, part, text, base + ds, base + de))
        noun = m.group("noun").lower()
        d.offer("gender", evidence.at("male" if noun in ("son", "boy", "brother") else "female", evidence.PROSE_CUE, part, text,
                                      m.start("noun"), m.end("noun")))
        found.append((d, m.start("first"), m.end(m.lastgroup or "first")))


def _upns(text: str, part: str, reading: FormReading, lo: int, hi: int) -> None:
    """A UPN written after "UPN" on a child's line belongs to that child."""
    for u in find_upns(text[lo:hi]):
        s, e = lo + u.start, lo + u.end
        if not _UPN_CUE.search(text[max(lo, s - 20):s]):
            continue
        line_start = text.rfind("\n", lo, s) + 1
        owners = [c for c in reading.children if c.get("first_name")
                  and text.find(c.get("first_name") or "", line_start, s) >= 0]
        if len(owners) > 1:  # a paragraph on one line: the child named in the UPN's own sentence
            begins = max(line_start, sentence_start_of(text, lo, s))
            owners = [c for c in owners if text.find(c.get("first_name") or "", begins, s) >= 0]
        if len(owners) != 1:
            continue
        if u.value:
            owners[0].offer("upn", evidence.at(u.value, evidence.PROSE_CUE + evidence.VALIDATED, part, text, s, e))
        elif "upn" not in owners[0].fields:
            owners[0].notes.append("The UPN given fails its check letter, so it is left out.")


# "the eldest boy Jayden must be 13 or so, then Mya shes in year 4 ... the little one Alfie who should of started
# reception": a given name written alone, with a school age or year in the same clause
_LONE_NAME = re.compile(rf"(?<![\w'’-])(?P<name>{WORD})\b(?![ \t]*[\w'’-]*[ \t]+[A-Z])(?!['’])")
_AGE_WORD = r"(?:\d{1,2}|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen)\b"
_SCHOOL_AGE_NEXT = re.compile(  # an age with a verb or a hedge before it or "or so" after it ("Pitch 4" is no age)
    r"(?i)[ \t,]+(?:(?:(?:who|she|he)(?:['’]s|[ \t]+is|[ \t]+was|s)|(?:must|should|would|might|will)[ \t]+be|is|aged?)[ \t]+"
    r"(?:only[ \t]+|now[ \t]+|just[ \t]+|about[ \t]+|around[ \t]+|nearly[ \t]+)?" + _AGE_WORD + r"(?![/.:]\d)|"
    r"(?:about|around|nearly)[ \t]+" + _AGE_WORD + r"(?![/.:]\d)|" + _AGE_WORD + r"[ \t]+(?:or[ \t]+so|years?[ \t]+old)\b|"
    r"(?:(?:who|she|he)(?:['’]s|[ \t]+is|s)[ \t]+|who[ \t]+|is[ \t]+)?"
    r"(?:in|should[ \t]+be[ \t]+in|should[ \t]+(?:of|have)[ \t]+(?:started|been[ \t]+in)|started)[ \t]+"
    r"(?:(?:year|yr|y)[ \t]?(?:[1-9]|1[01])\b|reception\b))")


_CHILD_BEFORE = re.compile(r"(?i)\b(?:boy|girl|one|son|daughter|lad|lass|brother|sister|kid)s?[ \t]*[,.:]?[ \t]*$")
_NOUN_SEX = {"boy": "male", "son": "male", "lad": "male", "brother": "male", "girl": "female", "daughter": "female",
             "lass": "female", "sister": "female"}


def _lone_names_with_school_age(sources: list[TextSource], parsed: ParsedMessage, reading: FormReading,
                                ents: dict[str, Entities]) -> None:
    """When no child was found, a given name written alone with a school age or year after it in its clause is a
    child (rule prose.lone_given_name): a given name of the dictionary, one a child word stands before ("the little
    one Alfie") or one the tagger marks as a person; not the writer's or a parent's."""
    if reading.children:
        return
    grown = {w.casefold() for p in reading.parents for w in (p.get("name") or "").split()}
    grown.update(w.casefold() for w in (parsed.from_name or "").split())
    for source in sources:
        text = source.text
        for lo, hi in regions(source):
            aged = []  # each given name written alone with a school age after it, and whether it is known as a name
            for m in _LONE_NAME.finditer(text, lo, hi):
                word = m.group("name")
                if word.casefold() in grown or not name_ok(word):
                    continue
                noun = _CHILD_BEFORE.search(text, max(lo, m.start() - 30), m.start())  # "the eldest boy Jayden"
                cue = _SCHOOL_AGE_NEXT.match(text, m.end(), min(hi, m.end() + 60))
                age = None if cue is None or re.search(r"(?i)\b(?:year|yr|y|reception)\b", cue.group(0)) else \
                    re.search(_AGE_WORD, cue.group(0), re.I)
                if cue is None or (age and not 4 <= _years(age.group(0)) <= 17) \
                        or re.match(r"[ \t]+at[ \t]+[A-Z]", text[cue.end():cue.end() + 10]):
                    continue  # "Alfie is in year 1 at Tweseldown Infants": on a school's roll, no child missing
                known = all(given_names.is_given_name(w) for w in word.split("-")) or bool(noun) \
                    or any(label == "PERSON" and s <= m.start() and m.end() <= e for label, s, e, _t in ents.get(source.part, ()))
                aged.append((m, word, noun, known))
            for i, (m, word, noun, known) in enumerate(aged):
                listed = any(k and not re.search(r"[.!?\n]", text[min(m.end(), o.end()):max(m.start(), o.start())])
                             for j, (o, _w, _n, k) in enumerate(aged) if j != i)
                if not known and not listed:
                    continue  # "the little one Alfie": a name newer than the dictionary, shown by the word before it
                    # or by a known name listed with an age beside it ("Kayden hes 12 Lacey-Mae shes 9 and Alfie hes 6")
                d = _child(reading, word)
                d.offer("first_name", evidence.at(word, evidence.PROSE, source.part, text, m.start(), m.end(),
                                                  rule="prose.lone_given_name"))
                sex = _NOUN_SEX.get(re.sub(r"(?<!las)s$", "", noun.group(0).strip(" \t,.:").lower())) if noun else None
                if sex:  # "the eldest boy Jayden"
                    d.offer("gender", evidence.at(sex, evidence.PROSE_CUE, source.part, text, noun.start(), noun.end(),
                                                  rule="prose.lone_given_name.child_word"))
                else:
                    gender_after(d, text, source.part, m.end(), min(hi, m.end() + 120), evidence.PROSE,
                                 ents.get(source.part, ()))


_NAME_AFTER_CASE = re.compile(rf"[ \t]*[-–:]?[ \t]*{NAME}")  # "CME-2026-00402 Oliver Penfold - request ..."


def read_prose(parsed: ParsedMessage, ref: date, reading: FormReading, context: Any) -> None:
    """Add the children and parents named in the message's sentences to `reading`."""
    sources = [s for s in parsed.sources if s.part != "header"]
    nlp = getattr(context, "nlp", None)
    tagged = entities(nlp, [s.text for s in sources]) if nlp is not None else iter(() for _ in sources)
    by_part: dict[str, Entities] = reading.entities
    for source, ents in zip(sources, tagged):
        by_part[source.part] = list(ents)
        for lo, hi in regions(source):
            read_source(source, ref, reading, lo, hi, by_part[source.part])
    for source in sources:
        for m in _FULL_KNOWN_AS.finditer(unwrap(source.text)):
            for c in reading.children:
                if c.get("first_name") == m.group("legal") and "known_as" not in c.fields:
                    c.offer("known_as", evidence.at(m.group("nick"), evidence.PROSE_CUE, source.part, source.text,
                                                    m.start("nick"), m.end("nick")))
    header = next((s for s in parsed.sources if s.part == "header"), None)
    subject = re.search(r"(?m)^Subject:[ \t]*(.+)$", header.text) if header is not None else None
    if subject:  # "CME referral - Kacie Trent DOB 03/02/2013 Y9": a child named with a date of birth in the subject
        aside = FormReading()
        read_source(header, ref, aside, subject.start(1), subject.end(1), ())
        dated = [c for c in aside.children  # only a full name beside a date of birth: subjects shout
                 if c.get("date_of_birth") and c.get("first_name") and c.get("last_name")]
        reading.children.extend(dated)
        if dated and not reading.parents:  # "... dob 9/7/14 - 19 Linden Grove Andover SP10 3PL - mum Noura Hassan
            reading.parents.extend(aside.parents)  # 07700 900562": a referral written in its subject line
        if dated and not any(k in reading.family.fields for k in ("line1", "postcode")):
            for key, f in aside.family.fields.items():
                reading.family.offer(key, f)
        ref_at = CASE_REF.search(header.text, subject.start(1), subject.end(1))
        case = _NAME_AFTER_CASE.match(header.text, ref_at.end(), subject.end(1)) if ref_at else None
        if case and not reading.children and name_ok(case.group("name")) and len(case.group("name").split()) == 2:
            # "RE: CME-2026-00402 Oliver Penfold - request for information", and "Yes Oliver was with us" below: the
            # case's child, named by our own subject line and by the writer
            first = case.group("name").split()[0]
            if any(re.search(rf"\b{re.escape(first)}\b", src.text) for src in sources):
                _add_child(reading, header.text, "header", case.start("name"), case.end("name"), evidence.PROSE)
    _lone_names_with_school_age(sources, parsed, reading, by_part)
    read_genders(sources, reading, by_part)
    family_names(sources, reading)
    register = getattr(context, "register", None)
    for source in sources:
        for lo, hi in regions(source):
            read_schools(source, reading, register, lo, hi)
