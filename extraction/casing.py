"""Capital letters for mail written all in small letters (or all in capitals), so that the readers see names
and places.

A writer who types "im emailing about my cousin tegan marsh ... they live at 14 foxglove close basingstoke
rg22 5hn" gives every fact a careful writer gives, but the readers (and the entity tagger) find names,
streets and towns by their capitals. For a part written (almost) without capitals, `truecase` gives the
same text with capitals put back where the text itself shows a proper noun: the one or two words after a
cue that introduces a person ("my name is", "my cousin", "her mum"), every other place those words occur,
a house number's street and its town, a town or school the register knows, a postcode, and "I". Only
letters change case: every offset into the text stays the same, so each value still points at its words.

Pure: the text and the register.
"""
from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

from extraction.given_names import is_given_name
from parsers.message import ParsedMessage, TextSource

LOWER_CASE_SHARE = 0.03  # few capitals: streets, towns, schools and postcodes get theirs back
NO_CASE_SHARE = 0.012  # hardly any (under 1 in 80 letters): names after a cue get theirs too (careful prose has 2-5)
MIN_LETTERS = 80

_NAME_CUE = re.compile(
    r"\b(?:(?:mum|mam|mom|dad|mother|father)(?=[ \t]+\()|(?:my|her|his) name is|i am|i['’]?m|called|named|(?:my|her|his|their|our) (?:(?:best|little|older|younger|big|baby) )?(?:cousin|aunt|auntie|uncle|nan|nanna|"
    r"gran|granny|grandma|grandad|grandson|granddaughter|mum|mom|mam|mother|dad|father|stepdad|stepmum|brother|"
    r"sister|niece|nephew|son|daughter|friend|mate|neighbour|neighbor|boyfriend|girlfriend|partner)(?:['’]s name is)?)"
    r"[ \t]+\(?")
_WORD = re.compile(r"[a-z][a-z'’-]*[a-z]")
# a name shown by what follows it: "jade callaghan dob 12/03/2012", "oliver is 11", "kai (9)", "skye aged 7"
_NAME_BEFORE = re.compile(r"(?<![\w'’-])(?:([a-z][a-z'’-]*[a-z])[ \t]+)?([a-z][a-z'’-]*[a-z])[ \t]*,?[ \t]*"
                          r"(?:\(?(?:dob|d\.o\.b\.?|date of birth|born|aged)\b|(?:is|hes|shes|he['’]s|she['’]s|he is|she is)[ \t]+\d{1,2}\b(?![/.:-]\d|[ \t]*(?:(?:am|pm|th|st|nd|rd|of)\b|%|(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\b))|"
                          r"\([ \t]*\d{1,2}[ \t]*\))")
# words that follow a cue without being a name: pronouns, verbs and small words the writer goes on with
_NOT_NAME = frozenset("""
a about after again also always an and any are as at be because been being but by can cant could did didnt
do does doesnt dont for from gets got had has hasnt have he her hes him his how i if im in is isnt it its
just keeps lives lets like lived living made make may me might more most much my never no not now of off
on only or our out said says saw see seen she shes should so some still such sure than that the their them
then there they theyre this told too took up very was wasnt we went were when where which while who will
with won would wont years yes yet you your lot really been round over back home here school going get
works goes comes lives says thinks knows wants needs takes makes keeps let lets told asked called went came
left moved stays stayed looks looked seems gets drinks shouts sleeps
all day days night nights week weeks time times today tonight tomorrow yesterday every each one two three four
five morning evening afternoon before after since until though although even ever once more less first last
next other another same own ok okay please thanks sometimes usually always anyway
dob born aged age year yr years yrs and
to into onto towards
half step brother sister mum dad mother father son daughter nan gran aunt uncle cousin nephew niece
""".split())
_STREET = re.compile(r"\b\d+[a-z]?,?[ \t]+((?:[a-z][a-z'’-]+[ \t]+){1,3}(?:close|road|rd|street|st|lane|avenue|ave|"
                     r"drive|way|gardens|court|crescent|place|grove|terrace|walk|rise|view|hill|park|mews|square|"
                     r"row|green|parade|meadow|meadows|fields|end|croft|chase))\b")
_POSTCODE = re.compile(r"\b[a-z]{1,2}\d[a-z\d]?[ \t]*\d[a-z]{2}\b")
_SCHOOL_WORDS = re.compile(r"\b(?:go(?:es)? to|went to|attend(?:s|ed)?|at|from|left)[ \t]+((?:[a-z][a-z'’-]+[ \t]+){1,3}"
                           r"(?:school|academy|college|primary|juniors?|infants?))\b")
_ATTENDS = re.compile(r"\b(?:go(?:es)? to|went to|goes to|attend(?:s|ed)?|at|from|left)[ \t]+([a-z][a-z'’-]+)\b")


def _capital_share(text: str) -> float:
    """Capitals among the letters of `text`; 1.0 for a text too short to tell."""
    letters = sum(c.isalpha() for c in text)
    return sum(c.isupper() for c in text) / letters if letters >= MIN_LETTERS else 1.0


def is_lower_case(text: str) -> bool:
    return _capital_share(text) < LOWER_CASE_SHARE


def is_upper_case(text: str) -> bool:
    """Whether `text` is written (almost) all in capitals: "MY NEPHEW RILEY FINCH WHO IS 13"."""
    letters = sum(c.isalpha() for c in text)
    return letters >= MIN_LETTERS and sum(c.islower() for c in text) / letters < LOWER_CASE_SHARE


def lowered(text: str) -> str:
    """`text` in small letters, letter for letter (a capital whose small form is longer is kept), so every
    offset stays the same."""
    return "".join(c if len(c.lower()) != 1 else c.lower() for c in text)


def truecase(text: str, register: Any = None) -> str:
    """`text` with capitals put back where it shows a proper noun (see the module's note); `text` itself
    when it is not written in small letters."""
    if not is_lower_case(text):
        return text
    chars = list(text)

    def capital(start: int, end: int) -> None:
        for m in _WORD.finditer(text, start, end):
            chars[m.start()] = chars[m.start()].upper()

    names: set[str] = set()
    cues = _NAME_CUE.finditer(text) if _capital_share(text) < NO_CASE_SHARE else ()
    for cue in cues:  # in prose with some capitals a name has its own; "her mother call her" is no name
        at = cue.end()
        for _ in range(3):  # a first name and up to two more ("kayleigh ann marsh")
            m = _WORD.match(text, at)
            if m is None or m.group(0) in _NOT_NAME or len(m.group(0)) < 2 or re.search(r".{4}(?:ing|ed)$", m.group(0)):
                break  # "im emailing", "i am worried": the writer goes on
            names.add(m.group(0))
            gap = re.match(r"[ \t]+", text[m.end():])
            if gap is None:
                break
            at = m.end() + gap.end()
    if _capital_share(text) < NO_CASE_SHARE:
        for m in _NAME_BEFORE.finditer(text):
            words = [w for w in (m.group(1), m.group(2)) if w]
            if m.group(1) and (m.group(1) in _NOT_NAME or len(m.group(1)) < 2):
                words = words[1:]
            if words and words[-1] not in _NOT_NAME and len(words[-1]) >= 2:
                names.update(words)
    else:  # some capitals (an address, a surname): a child's first name before its age only when it is a given name
        for m in _NAME_BEFORE.finditer(text):  # "my kids are kayden hes 9 and lacey shes 7"
            if m.group(2) not in _NOT_NAME and is_given_name(m.group(2)):
                names.add(m.group(2))
    for name in names:
        for m in re.finditer(rf"(?<![\w'’-]){re.escape(name)}(?![\w-])", text):
            capital(m.start(), m.end())
    for m in _STREET.finditer(text):
        capital(m.start(1), m.end(1))
        town = re.match(r",?[ \t]+([a-z][a-z'’-]+(?:[ \t]+[a-z][a-z'’-]+)?)", text[m.end():])
        if town and register is not None:
            for words in (town.group(1), town.group(1).split()[0]):
                if register.is_place(words):
                    capital(m.end(), m.end() + town.start(1) + len(words))
                    break
    if register is not None:
        for m in _WORD.finditer(text):
            if len(m.group(0)) > 3 and m.group(0) not in _NOT_NAME and register.is_place(m.group(0)):
                capital(m.start(), m.end())
        for m in _ATTENDS.finditer(text):
            if m.group(1) not in _NOT_NAME and len(m.group(1)) > 3 and register.knows(m.group(1)):
                capital(m.start(1), m.end(1))
        for m in _SCHOOL_WORDS.finditer(text):  # "i was at park community school": the register's whole name
            if m.group(1).split()[0] not in _NOT_NAME and register.knows(m.group(1)):
                capital(m.start(1), m.end(1))
    for m in _POSTCODE.finditer(text):
        chars[m.start():m.end()] = text[m.start():m.end()].upper()
    for m in re.finditer(r"(?<![\w'’])i(?=['’ ]|$)", text):
        chars[m.start()] = "I"
    return "".join(chars)


def truecased(parsed: ParsedMessage, register: Any = None) -> ParsedMessage:
    """The message with each part written in small letters given its capitals back (`truecase`); a part written
    all in capitals is read as if written in small letters, which gives capitals back where it shows proper nouns."""
    sources: list[TextSource] = []
    changed = False
    for s in parsed.sources:
        shouted = s.part != "header" and is_upper_case(s.text)
        if s.part != "header" and (shouted or is_lower_case(s.text)):
            text = truecase(lowered(s.text) if shouted else s.text, register)
            s = replace(s, text=text, pairs=tuple(replace(p, value=text[p.start:p.end]) if p.end <= len(text) else p
                                                 for p in s.pairs))
            changed = True
        sources.append(s)
    return replace(parsed, sources=tuple(sources)) if changed else parsed
