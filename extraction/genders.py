"""A child's gender from the words near their name: "(F)", "girl", "her brother X", or a pronoun only they can be.

A pronoun counts only when no one else it could mean stands between it and the name: a parent of
that sex, a person the tagger found, another child. "Mum says he is refusing" gives "male".
"""
from __future__ import annotations

import re

from extraction import evidence
from extraction.clauses import unwrap
from extraction.drafts import Draft
from extraction.forms import FormReading
from extraction.names import PLACE, WORD, regions
from parsers.message import TextSource

_GENDER_NEAR = re.compile(r"(?i)\((?P<mf>m|f)\)|\b(?P<word>girl|boy|(?:grand|step-?)?daughter|(?:grand|step-?)?son|niece|nephew)\b|"
                          r"[-\u2013|,/;(]\s*(?P<sex>male|female)(?=\s*(?:[-\u2013|,/;)]|\.(?!\w)|$))|"  # "- DOB ... - female."
                          r"(?<=\d)[ \t]+(?P<listed>(?-i:Male|Female|MALE|FEMALE))\b|"  # "DOB 12/03/2016 Female UPN ..."
                          r"\b(?:sex|gender)[ \t]*[:-]?[ \t]*(?P<code>(?-i:M|F|Male|Female|MALE|FEMALE))\b")  # "DOB 11/11/11 Sex M Year 10"
# a pronoun, not a parent's owning a child ("and her daughter Skye": the mother's, not the child before it)
_PRONOUN = re.compile(r"\b(?P<p>he|his|him|hes|she|her|hers|shes)\b(?![ \t]+(?:(?:other|older|younger|eldest|youngest|two|three|"
                      r"new)[ \t]+)?(?:sons?|daughters?|children|kids)\b)", re.I)
_HE = {"he", "his", "him", "hes"}  # "hes 12": he's without its apostrophe
_KIN_NOUN = r"(?P<noun>(?:grand|step-?)?(?:son|daughter)|brother|sister|boy|girl|nephew|niece)"
# the word for the child just before the name: "her younger sister, Zofia", "Son: Mohammed", "the eldest boy Jayden"
# ("brother and sister, Rhys and Poppy" says which is which for neither; "Son/Daughter:" is a form's label)
_NOUN_BEFORE = re.compile(rf"(?i)(?<![\w'’/])(?<!\band[ \t])(?<!&[ \t]){_KIN_NOUN}[ \t]*[,:\-\u2013]?[ \t]*$")
# the word for the child just after it: "Filip is Kacper's younger brother", "Rosie, the little girl" (not "Zofia, her
# brother Tom": a word followed by a name is that other person's)
_IS_THE = re.compile(rf"(?i)^(?:[ \t]*,[ \t]*|[ \t]+(?:is|was)[ \t]+)(?:(?:the|a|an|their|his|her|my|our|(?:\w+[ \t]+)?\w+['’]s)[ \t]+)?"
                     rf"(?:(?:little|younger|older|elder|eldest|youngest|middle|twin|big|baby)[ \t]+)?{_KIN_NOUN}\b"
                     rf"(?![’']s\b|[ \t,]+(?-i:[A-Z])|[ \t]+(?:and|&|or)\b)")
Entities = list[tuple[str, int, int, str]]
_FEMALE_CUE = re.compile(r"(?i)\b(?:mum|mummy|mother|nan|nana|gran|granny|grandmother|grandma|sister|aunt|auntie|"
                         r"stepmum|stepmother|daughter|girl|woman|lady|mrs|ms|miss|girlfriend|wife)\b")
_MALE_CUE = re.compile(r"(?i)\b(?:dad|daddy|father|grandad|grandfather|grandpa|brother|uncle|stepdad|stepfather|"
                       r"son|boy|man|mr|boyfriend|husband)\b")
_OTHER_CUE = re.compile(r"(?i)\b(?:friend|teacher|tutor|worker|officer|nurse|partner|carer|parent|parents|"
                        r"neighbour|sibling|dr|police|pc)\b")


def gender_after(d: Draft, text: str, part: str, e: int, limit: int, conf: float,
                  ents: Entities = (), others: tuple[str, ...] = ()) -> None:  # type: ignore[assignment]
    """The gender a child's name is followed by: "(F)", "girl", or the pronoun that can only be the child's."""
    window = text[e:limit]
    line = window[:60].split("\n")[0]
    m = next((g for g in _GENDER_NEAR.finditer(line)  # "... and my daughter Bea": a word that names another
              if g.group("mf") or not re.match(rf"[ \t,]+(?:called[ \t]+|named[ \t]+)?(?!(?:DOB|D\.O\.B|UPN|Year|Yr|Aged?|Born)\b){WORD}",
                                                line[g.end():])), None)
    if m:
        g = (m.group("mf") or m.group("word") or m.group("sex") or m.group("listed") or m.group("code")).lower()
        value = "male" if g in ("m", "boy", "male", "nephew") or g.endswith("son") else "female"
        s = e + (m.start("listed") if m.group("listed") else m.start())
        d.offer("gender", evidence.at(value, conf, part, text, s, e + m.end()))
        return
    p = _PRONOUN.search(window[:250])
    if p is None:
        return
    male = p.group("p").lower() in _HE
    raw_between = window[:p.start()]
    between = PLACE.sub(" ", re.sub(r"\([^)]*\)", " ", raw_between))
    if len(re.findall(r"[.!?]\s", between)) > 1 or between.count("\n\n") or _OTHER_CUE.search(between):
        return
    if (_MALE_CUE if male else _FEMALE_CUE).search(between):
        return  # someone else the pronoun could mean
    if any(o and re.search(rf"\b{re.escape(o)}\b", between) for o in others):
        return  # another child named in between
    if ents:
        if any(label == "PERSON" and e < s0 < e + p.start() for label, s0, _e, _t in ents):
            return
    elif re.search(rf"(?<![.!?;:\n]\s)(?<![.!?;:\n])\b(?!I\b){WORD}", between.lstrip(" ,)")) and \
            not (_FEMALE_CUE if male else _MALE_CUE).search(between):
        return  # without a tagger, any other capitalised word may be a person
    value = "male" if male else "female"
    d.offer("gender", evidence.at(value, evidence.PROSE_CUE, part, text, e + p.start(), e + p.end()))


def read_genders(sources: list[TextSource], reading: FormReading, tagged: dict[str, Entities]) -> None:
    """A child without a stated gender takes the pronoun that follows their name ("Mabel ... her")."""
    flats = {source.part: unwrap(source.text) for source in sources}
    for source in sources:  # said outright first: "Ellis and Jayden are the boys, Brooke's the girl"
        for m in _ARE_THE.finditer(flats[source.part]):
            value = "male" if m.group("noun").lower().rstrip("s") in ("boy", "lad") else "female"
            for c in reading.children:
                first = c.get("first_name")
                if first and re.search(rf"\b{re.escape(first.split()[0])}\b", m.group("names")) \
                        and c.get("gender") != value:  # said outright, it outweighs a word read nearby
                    c.revise("gender", evidence.at(value, evidence.PROSE_CUE, source.part, source.text, m.start("noun"),
                                                   m.end("noun"), rule="genders.named_as_boy_or_girl"),
                             "the writer says which child is a boy or a girl")
    firsts = tuple(c.get("first_name") or "" for c in reading.children)
    for c in reading.children:
        first = c.get("first_name")
        if "gender" in c.fields or not first:
            continue
        others = tuple(f for f in firsts if f and f != first)
        for source in sources:
            if "gender" in c.fields:
                continue
            for lo, hi in regions(source):
                given = first.split()[0]  # "Corvin Oriel": his name is also written "Corvin"
                for m in re.finditer(rf"\b{re.escape(given)}\b(?:[ \t]+{WORD})*", source.text[lo:hi]):
                    _kin_word_beside(c, source, lo + m.start(), lo + m.end())
                    if "gender" in c.fields:
                        break
                    gender_after(c, source.text, source.part, lo + m.end(), hi, evidence.PROSE_CUE,
                                  tagged.get(source.part, []), others)
                    if "gender" in c.fields:
                        break
                if "gender" in c.fields:
                    break
    for source in sources:  # "The boys, Corvin (9) and Oriel (12)", "daughters Tilda (8) and Sable (4)"
        for m in _PLURAL_LIST.finditer(source.text):
            value = "male" if m.group("noun").lower() in ("boys", "sons", "brothers") else "female"
            for c in reading.children:
                first = c.get("first_name")
                if first and "gender" not in c.fields and re.search(rf"\b{re.escape(first)}\b", m.group("list")):
                    c.offer("gender", evidence.at(value, evidence.PROSE_CUE, source.part, source.text, m.start("noun"),
                                                  m.end("noun")))
    for source in sources:  # "2 sisters registered with us Tiana Hollis (dob ...) and Skye Hollis": one sentence
        for sentence in _SENTENCE.finditer(flats[source.part]):
            nouns = list(_PLURAL_NOUN.finditer(sentence.group(0)))
            sexes = {"male" if n.group(0).lower() in _MALE_PLURAL else "female" for n in nouns}
            if len(sexes) != 1:
                continue  # none, or "the boy and two girls": which is which is not said
            (value,), noun = sexes, nouns[0]
            for c in reading.children:
                first = c.get("first_name")
                if first and "gender" not in c.fields and re.search(rf"\b{re.escape(first)}\b", sentence.group(0)):
                    c.offer("gender", evidence.at(value, evidence.PROSE, source.part, source.text,
                                                  sentence.start() + noun.start(), sentence.start() + noun.end(),
                                                  rule="genders.plural_noun_in_sentence"))
    _counted_plural(sources, reading.children)
    if len(reading.children) == 1 and "gender" not in reading.children[0].fields:
        _only_child_gender(sources, reading.children[0])


_COUNTED_PLURAL = re.compile(r"(?i)\b(?:(?:my|our|her|his|their|the)[ \t]+(?P<n>two|three|four|five|[2-5])|(?P<both>both))"
                             r"[ \t]+(?:(?:young|little|older|younger)[ \t]+)?(?P<noun>sons|daughters|boys|girls)\b")
_COUNT = {"two": 2, "three": 3, "four": 4, "five": 5}


def _counted_plural(sources: list[TextSource], children: list[Draft]) -> None:
    """Rule `genders.counted_plural`: "My two sons are waiting for a school place" with two children named, none
    of whose sex is said: both are boys. The count must be the number of children, and the message must not
    speak of children of the other sex ("my two sons and my daughter")."""
    if len(children) < 2 or any("gender" in c.fields for c in children):
        return
    said = [(source, m) for source in sources for m in _COUNTED_PLURAL.finditer(source.text)]
    sexes = {m.group("noun").lower() in ("sons", "boys") for _, m in said}
    if len(sexes) != 1:
        return  # none said, or "my two sons ... both girls": which is which is not said
    (male,) = sexes
    other = r"\b(?:daughters?|girls?|sisters?)\b" if male else r"\b(?:sons?|boys?|brothers?)\b"
    if re.search(other, " ".join(source.text for source in sources), re.I):
        return
    for source, m in said:
        n = 2 if m.group("both") else _COUNT.get(m.group("n").lower()) or int(m.group("n"))
        if n == len(children):
            for c in children:
                c.offer("gender", evidence.at("male" if male else "female", evidence.PROSE, source.part, source.text,
                                              m.start("noun"), m.end("noun"), rule="genders.counted_plural"))
            return


_ONE = rf"{WORD}(?:[ \t]+{WORD})?(?:[ \t]*\(\d{{1,2}}\))?"
_PLURAL_LIST = re.compile(rf"\b(?P<noun>(?i:boys|sons|brothers|girls|daughters|sisters))\b[ \t]*,?\s+"
                          rf"(?P<list>{_ONE}(?:(?:[ \t]*,\s*|\s+and\s+){_ONE})+)")
_SENTENCE = re.compile(r"[^.!?\n]+(?:[.!?]|\n|$)")
_ARE_THE = re.compile(rf"(?P<names>{WORD}(?:(?:[ \t]*,[ \t]*|[ \t]+(?:and|&)[ \t]+){WORD})*)(?:['’]s|[ \t]+is|[ \t]+are)"
                      r"[ \t]+(?:the|a)?[ \t]*(?P<noun>boys?|girls?|lads?)\b")
_PLURAL_NOUN = re.compile(r"(?i)\b(?:boys|sons|brothers|lads|girls|daughters|sisters)\b")
_MALE_PLURAL = {"boys", "sons", "brothers", "lads"}


def _only_child_gender(sources: list[TextSource], child: Draft) -> None:
    """The one child spoken of takes the sex of the pronouns the message uses, when every pronoun in a
    sentence that names no other person (no mum, worker, brother...) is of that one sex."""
    seen: dict[bool, tuple[TextSource, re.Match[str]]] = {}
    first = child.get("first_name")
    if first and any(re.search(rf"(?i)\bmy name(?: is|['’]s)[ \t]+{re.escape(first)}\b", s.text) for s in sources):
        return  # the child writes: "her" and "him" are other people (mum, a teacher)
    for source in sources:
        for lo, hi in regions(source):
            for sentence in _SENTENCE.finditer(source.text, lo, hi):
                words = sentence.group()
                if _FEMALE_CUE.search(words) or _MALE_CUE.search(words) or _OTHER_CUE.search(words):
                    continue  # the pronoun may be that person's
                for p in _PRONOUN.finditer(source.text, sentence.start(), sentence.end()):
                    seen.setdefault(p.group("p").lower() in _HE, (source, p))
    if len(seen) == 1:
        male, (source, p) = next(iter(seen.items()))
        child.offer("gender", evidence.at("male" if male else "female", evidence.PROSE, source.part, source.text,
                                          p.start(), p.end()))


def _kin_word_beside(child: Draft, source: TextSource, s: int, e: int) -> None:
    """The child's sex from the word for them written right beside their name: "his sister, Zofia Nowak", "Son:
    Mohammed Rahimi", "Filip is Kacper's younger brother", "Rosie, the little girl"."""
    text = source.text
    m = _NOUN_BEFORE.search(text, max(0, s - 40), s)
    base = 0
    if m is None:
        m = _IS_THE.match(text[e:e + 60])
        base = e
    if m is None:
        return
    noun = m.group("noun").lower()
    value = "male" if noun in ("brother", "boy", "nephew") or noun.endswith("son") else "female"
    child.offer("gender", evidence.at(value, evidence.PROSE_CUE, source.part, text, base + m.start("noun"),
                                      base + m.end("noun"), rule="genders.kin_word_beside_name"))
