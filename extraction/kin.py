"""Parents and carers named in free text, by the cue that says whose parent they are.

"his mother, X", "Mum, X", "X (mum)", "Dad is X", "Mrs X has three children", "X and her children",
"my wife X"; and the phone numbers said to be theirs ("Mum's mobile: ...", "Mrs X's number").
"""
from __future__ import annotations

import re

from extraction import evidence
from extraction.drafts import Draft
from extraction.forms import FormReading
from extraction.identifiers import find_phones
from extraction.names import NAME, WORD, before_a_body, name_ok, same_name
from extraction.referrer import OWN_PHONE
from extraction.organisations import looks_like_job
from extraction.people import GRANDCHILD, RELATION_PATTERN, RELATIONSHIPS, clean_name
from extraction.clauses import unwrap
from parsers.message import ParsedMessage

_PARENT = re.compile(rf"(?:(?i:\b(?:his|her|their|there|our|the children'?s?|the child'?s|the|a|with|and|but|while|so|that|"
                     # the parent as the one the writer reached: "I phoned mum, Chantelle Tilbury (07700 ...)"
                     rf"phoned|rang|called|contacted|emailed|texted|traced|visited|met|told|asked|informed|to|from|by)[ \t]+)|"
                     rf"(?<=[ \t])[-–—][ \t]+|"  # "... last attended 14/09/2026 - mum Danielle Reilly 07700 900731"
                     rf"\b{WORD}['’]s[ \t]+)(?i:(?:birth[ \t]+)?(?P<rel>{RELATION_PATTERN}))[ \t]*,?[ \t]*"
                     # "his mum, my ex-partner Gemma Harlow", "their mother, my daughter Rebecca Price": who the parent is to the
                     # writer, between
                     rf"(?:(?i:my|our)[ \t]+(?i:ex-?partner|ex-?wife|ex-?husband|ex|former partner|partner|wife|husband|daughter|son|"
                     rf"sister|brother|sister-in-law|brother-in-law|niece|nephew|cousin|friend|neighbour)[ \t]+)?"
                     rf"(?:(?:Mr|Mrs|Ms|Miss|Dr)\.?[ \t]+)?{NAME}")
_PARENT_LEAD = re.compile(rf"(?:^|(?<=[.!?;]\s)|(?<=[.!?;]\s\s)|(?<=\n))[ \t]*(?P<rel>Mum|Mother|Dad|Father|Nan|Nana|Gran|"
                          rf"Grandma|Grandad|Grandmother|Grandfather|Stepdad|Stepmum|Stepfather|Stepmother|Step-dad|Step-mum|Step-father|"
                          rf"Step-mother|Guardian|Aunt|Auntie|Uncle|Carer|Foster carer|Kinship carer)(?:[ \t]*[,:]\s*|[ \t]+[-–—][ \t]+|[ \t]+(?=[A-Z][a-z]+[ \t]+[A-Z]))"
                          rf"(?:(?:Mr|Mrs|Ms|Miss|Dr)\.?[ \t]+)?{NAME}", re.MULTILINE)
_PARENT_IS = re.compile(rf"\b(?P<rel>(?i:{RELATION_PATTERN}))\)?(?:['’]?s name)?"
                        # "The mother of the children is Chantelle Dobson", "the father of Tyler is ..."
                        rf"(?:[ \t]+of[ \t]+(?i:the[ \t]+)?(?:(?i:children|child|kids|boys|girls|twins)|{WORD}(?:[ \t]+{WORD})?))?"
                        rf"[ \t]+(?:(?:is|was)[ \t]+(?:called|named)|is|was|called|named)[ \t]+"
                        rf"(?:(?:Mr|Mrs|Ms|Miss|Dr)\.?[ \t]+)?{NAME}")
# "Gemma Kirby is their mum": a name, then the relation it has to the children
_IS_THEIR = re.compile(rf"{NAME}[ \t]+(?:is|was)[ \t]+(?i:their|his|her|the children['’]?s?|the child['’]s)[ \t]+"
                       rf"(?i:(?:birth[ \t]+|real[ \t]+)?(?P<rel>{RELATION_PATTERN}))\b")
# "Sunil Thomas, the father, had a contract", "It's Amy Docherty, Jayden Docherty's mum": a name, then the parent it is
_NAME_THEN_PARENT = re.compile(rf"{NAME}[ \t]*,[ \t]+(?:(?i:their|his|her|the|the children['’]?s?|the child['’]s)|"
                               rf"(?:{WORD}[ \t]+)?{WORD}['’]s)[ \t]+(?i:(?:birth[ \t]+)?(?P<rel>mum|mother|dad|father|"
                               rf"step-?mum|step-?mother|step-?dad|step-?father|foster carer|kinship carer|guardian))\b")
_COUPLE = re.compile(rf"\b(?i:parents|parents/carers|parents and carers|(?:foster|kinship)[ \t]+carers|the family(?=[ \t]+are))"
                     rf"[ \t]*[:,]?[ \t]+(?:are[ \t]+)?(?P<a>{WORD})[ \t]+and"
                     rf"[ \t]+(?P<b>{WORD})[ \t]+(?P<sur>{WORD})\b")
# "her mum and dad, Nasreen and Tariq Sharif": two relations, then two names in the same order
_NAMED_COUPLE = re.compile(rf"\b(?P<r1>(?i:mum|mother|dad|father|stepdad|step-dad|stepmum|step-mum))[ \t]+(?:and|&)[ \t]+"
                           rf"(?P<r2>(?i:mum|mother|dad|father|stepdad|step-dad|stepmum|step-mum))[ \t]*[:,]?[ \t]+(?:(?i:are|were)[ \t]+)?"
                           rf"(?P<a>{WORD})(?:[ \t]+(?P<sa>{WORD}))?[ \t]+(?:and|&)[ \t]+(?P<b>{WORD})[ \t]+(?P<sur>{WORD})\b")
_REL_WORD = r"(?i:mum|mother|dad|father|stepdad|step-dad|stepmum|step-mum)"
# "Bridget (mum) and Martin (dad) McDonagh": the family name after the second applies to both
_BRACKETED_COUPLE = re.compile(rf"(?P<a>{WORD})[ \t]*\((?P<r1>{_REL_WORD})\)[ \t]+(?:and|&)[ \t]+(?P<b>{WORD})[ \t]*"
                               rf"\((?P<r2>{_REL_WORD})\)[ \t]+(?P<sur>{WORD})\b")
# "let to Kerry and Dean Whitlock and their two children, Tyler and Poppy": a couple named with their children
_COUPLE_WITH_CHILDREN = re.compile(rf"(?P<a>{WORD})[ \t]+(?:and|&)[ \t]+(?P<b>{WORD})[ \t]+(?P<sur>{WORD})[ \t]+(?:and|with)[ \t]+"
                                   r"(?:their|the)[ \t]+(?:\w+[ \t]+)?(?:children|kids|sons|daughters|boys|girls)\b")
# "Her parents, Mr Rupert Grainger-Smith (07700 900740) and Mrs Felicity Grainger-Smith": each titled name a parent
_PARENTS_LEAD = re.compile(r"\b(?i:parents|parents/carers|parents and carers)[ \t]*[:,]?[ \t]+(?:(?i:are|were)[ \t]+)?(?=(?:Mr|Mrs|Ms|Miss|Mx)\b)")
_PARENT_LIST = re.compile(rf"\b(?i:parents|parents/carers|parents and carers)[ \t]*[:,]?[ \t]+(?:(?i:are|were)[ \t]+)?"
                          rf"(?P<a>{WORD}[ \t]+{WORD})[ \t]*(?:,|and|&)[ \t]+(?P<b>{WORD}[ \t]+{WORD})\b")
_TITLED = re.compile(rf"(?:[ \t]*(?:\([^()\n]{{0,60}}\))?[ \t]*,?[ \t]*(?:and|&)?[ \t]*)(?P<title>Mr|Mrs|Ms|Miss|Mx)\.?[ \t]+{NAME}")
_TITLE_RELATION = {"mr": "father", "mrs": "mother", "ms": "mother", "miss": "mother"}
_SPOUSE = re.compile(rf"\b[Mm]y[ \t]+(?P<rel>wife|husband)[ \t]*,?[ \t]+{NAME}")
_HAS_CHILDREN = re.compile(rf"(?P<title>Mr|Mrs|Ms|Miss)\.?[ \t]+{NAME}[ \t]*(?:\((?P<tail>[^)]{{0,40}})\)[ \t]*)?"
                           r"(?:has|have|with|brought|took|and)[ \t]+(?:her|his|their)?[ \t]*"
                           r"(?:one|two|three|four|five|six|\d)?[ \t]*(?:[\w-]+[ \t]+)?"
                           r"(?:children|child|sons?|daughters?|boys?|girls?)\b")
_AND_CHILDREN = re.compile(rf"{NAME}[ \t]+and[ \t]+(?P<pro>her|his)[ \t]+(?:(?:one|two|three|four|five|six|\d)[ \t]+)?"
                           r"(?:young[ \t]+)?(?:children|child|sons?|daughters?|kids)\b")
_PARENT_PAREN = re.compile(rf"\b(?P<rel>(?i:{RELATION_PATTERN}))[ \t]*\([ \t]*(?:(?i:my|our)[ \t]+[a-z]+[ \t]+)?"
                           rf"(?:(?:Mr|Mrs|Ms|Miss|Dr)\.?[ \t]+)?{NAME}"
                           rf"[ \t]*(?:[,;][^()\n]{{0,40}}|(?<=[ \t])[–-][ \t][^()\n]{{0,40}})?\)")  # "Mum (X Y, 07700 900000)", "Mum (SURNAME, X - 07700 ...)"
_PARENT_AFTER = re.compile(rf"{NAME}[ \t]*\((?P<whose>(?i:his|her|their|the children['’]?s?|the child['’]s)[ \t]+)?"
                           rf"(?P<rel>(?i:{RELATION_PATTERN}))(?:[ \t]*[,;][^()\n]{{0,40}})?\)")  # "X (mum, 07700 900318)"


# "her son Harvey", "his two children", "Paul's children": someone named shortly before is their parent
_THEIR_CHILDREN = re.compile(r"\b(?:(?P<pro>[Hh]er|[Hh]is)|(?P<own>[A-Z][a-z]+)['’]s)[ \t]+"
                             r"(?:(?:two|three|four|five|\d|older|younger|eldest|oldest|youngest|little|school-age|"
                             r"school[ \t]age)[ \t]+){0,2}(?P<noun>sons?|daughters?|children|kids|boys|girls|twins)\b")
_PERSON = re.compile(rf"(?:(?P<title>Mr|Mrs|Ms|Miss)\.?[ \t]+)?(?P<name>{WORD}(?:[ \t]+{WORD}){{1,2}})")
_PROFESSIONAL_AFTER = re.compile(r"[ \t]*(?:,[ \t]*)?\(?(?:the|a|an|our|my|his|her|their)?[ \t]*(?:[\w-]+[ \t]+){0,3}"
                                 r"(?i:worker|officer|teacher|head|manager|nurse|visitor|clinician|coordinator|"
                                 r"co-ordinator|practitioner|lead|sister|doctor|therapist|adviser|advisor|support)\b")
_HE, _SHE = re.compile(r"\b(?:he|his|him)\b", re.I), re.compile(r"\b(?:she|her|hers)\b", re.I)
_SENTENCE = re.compile(r"[.!?](?=\s)")


def _sex_after(flat: str, start: int, hi: int) -> str | None:
    """"he" or "she" as the first pronoun after a person's name, before any other name; None when unclear."""
    window = flat[start:min(hi, start + 160)]
    nxt = re.search(rf"\b{WORD}[ \t]+{WORD}\b", window[2:])
    window = window[:nxt.start() + 2] if nxt else window
    he, she = _HE.search(window), _SHE.search(window)
    if he and (not she or he.start() < she.start()):
        return "he"
    return "she" if she else None


def _read_antecedent_parents(text: str, flat: str, part: str, reading: FormReading, lo: int, hi: int,
                             found: list[tuple[Draft, int, int]]) -> None:
    """Rule `kin.antecedent`: "visiting Stacey Lamb ... her son Harvey", "Paul Ritchie ... Paul's two children",
    "his partner, Ms Donna Kemp, and her two children": the person named nearest before "her/his/X's
    children" (within three sentences, no child and no professional) is the children's parent, whatever the
    wording around them. "her" makes a mother, "his" a father; "X's" takes the sex of the pronouns used of X."""
    children = [d.get("first_name") for d, _, _ in found] + [c.get("first_name") for c in reading.children]
    child_names = {n.casefold() for n in children if n}
    for m in _THEIR_CHILDREN.finditer(flat, lo, hi):
        pro, own = m.group("pro"), m.group("own")
        back = m.start()
        for _ in range(3):
            prev = [x.end() for x in _SENTENCE.finditer(flat, max(lo, back - 400), back)]
            back = prev[-1] if prev else max(lo, back - 400)
            if back <= lo:
                break
        back = max(lo, back - 1)
        best = None
        for c in _PERSON.finditer(flat, back, m.start()):
            name = c.group("name")
            words = name.split()
            if not name_ok(name) or words[0].casefold() in child_names or _a_place_name(flat, c) \
                    or before_a_body(flat, c.end("name")) \
                    or re.match(r"[A-Z]{0,2}\d", flat[c.end("name"):c.end("name") + 3]) \
                    or any(w.isupper() and len(w) <= 2 for w in words) \
                    or words[0].rstrip(".") in ("St", "Saint"):  # "Basingstoke RG23 7JD", "St Paul's"
                continue
            if any(s0 <= c.start("name") < e0 for _, s0, e0 in found):
                continue
            if _PROFESSIONAL_AFTER.match(flat, c.end()) or re.search(r"(?i)\b(?:dr|pc|ds|dc|sgt)\.?[ \t]*$",
                                                                      flat[max(0, c.start() - 5):c.start()]):
                continue
            if own and own.casefold() not in (words[0].casefold(), words[-1].casefold()):
                continue
            best = c
        if best is None:
            continue
        title = (best.group("title") or "").lower()
        if pro:
            sex = "she" if pro.lower() == "her" else "he"
        elif title:
            sex = "he" if title == "mr" else "she"
        else:
            sex = _sex_after(flat, best.end(), hi)
        if (title == "mr" and sex == "she") or (title in ("mrs", "ms", "miss") and sex == "he"):
            continue
        cleaned = clean_name(best.group("name"))
        if cleaned is None:
            continue
        name = cleaned[0]
        p = next((q for q in reading.parents if same_name(q.get("name"), name)), None)
        if p is None:
            if any((q.get("name") or "").split()[:1] == name.split()[:1] for q in reading.parents):
                continue  # "Paul" already a parent under another surname: not a second one
            p = Draft("parent")
            reading.parents.append(p)
            p.offer("name", evidence.at(name, evidence.PROSE, part, text, best.start("name"), best.end("name"),
                                        rule="kin.antecedent"))
        if sex and "relationship" not in p.fields:
            at = m.start("pro") if pro else m.start("own")
            p.offer("relationship", evidence.at("mother" if sex == "she" else "father", evidence.PROSE, part, text,
                                                at, at + len(pro or own), rule="kin.antecedent"))


def _a_place_name(flat: str, c: re.Match) -> bool:
    """A street, school, team or place ("Beech Walk", "Portway Junior", "in Tower Hamlets") rather than a person."""
    return bool(re.match(r"[ \t]*(?:[A-Z][\w'’-]*[ \t]+){0,2}(?:School|Academy|College|Primary|Junior|Infant|Road|"
                         r"Street|Lane|Close|Avenue|Drive|Way|Walk|Gardens|Court|Crescent|Council|Services|Team|"
                         r"Trust|House|Centre|Hospital|Surgery|Practice|Service)\b", flat[c.start("name"):c.end() + 30])
                or re.search(r"\b(?:School|Academy|College|Road|Street|Lane|Close|Avenue|Drive|Way|Walk|Gardens|"
                             r"Court|Crescent|Council|House|Centre|Hospital|Service|Services)$", c.group("name"))
                or bool(re.search(r"\b\d+[A-Za-z]?,?[ \t]+$", flat[max(0, c.start("name") - 8):c.start("name")]))  # "4 Beech Grove"
                or bool(re.search(r"\b(?:in|near)[ \t]+$", flat[max(0, c.start("name") - 6):c.start("name")])))  # "evicted in Tower Hamlets"


# the writer's sister or brother named, in a message about the writer's nieces and nephews: their mother or father
WRITERS_SIBLING = re.compile(rf"\b(?i:my|our)[ \t]+(?P<rel>sister|brother|daughter|son)(?:[ \t]+(?:is|was)|[ \t]*,)?[ \t]+{NAME}")
_NIECES = re.compile(r"(?i)\b(?:my|our) (?:sister|brother)['’]s\b|\b(?:my|our) (?:nieces?|nephews?)\b")
# a grandparent writing of "my two grandsons": "my daughter Jade" is the boys' mother
_GRANDCHILDREN = re.compile(rf"(?i)\b(?:my|our)(?: \w+)? {GRANDCHILD}\b")


_LIVES_WITH_RELATIVE = re.compile(rf"\b(?i:moved in|live[sd]?|living|stay(?:s|ing|ed)?|placed)[ \t]+(?i:in[ \t]+)?with[ \t]+"
                                  rf"(?i:my|their|his|her|the children['’]?s?)[ \t]+(?P<rel>(?i:uncle|aunt|auntie|nan|gran|"
                                  rf"grandma|grandmother|grandad|grandfather))[ \t]*,?[ \t]+{NAME}")
_PRONOUN_NAMED = re.compile(rf"\b(?P<pro>[Hh]er|[Hh]is)[ \t]+name(?:['’]s|[ \t]+is)[ \t]+{NAME}")
_PARENT_NOUN = re.compile(r"\b(?i:my|our|his|her|their)[ \t]+(?P<rel>mum|mom|mam|mother|dad|father|stepmum|stepdad|"
                          r"step-mum|step-dad|nan|nana|gran|granny|grandma|grandad|grandfather|grandmother)\b")
_FEMALE_PARENTS = {"mother", "stepmother", "grandmother"}
_MALE_PARENTS = {"father", "stepfather", "grandfather"}


def parent_before(flat: str, lo: int, at: int) -> re.Match[str] | None:
    """The parent ("my mum", "his dad") named last in the 150 characters before `at`, if any."""
    *_, last = [None, *_PARENT_NOUN.finditer(flat, max(lo, at - 150), at)]
    return last


def sibling_is_parent(flat: str, m: re.Match[str]) -> bool:
    """Whether "my sister ..." at `m` is the children's mother (the writer speaks of nieces, nephews or a sibling's
    children), or "my daughter ..." is (the writer speaks of grandchildren)."""
    rel = m.group("rel").lower()
    if re.match(r"(?i)(?:my|our)\b", m.group(0)) is None:
        return False
    return (rel in ("sister", "brother") and _NIECES.search(flat) is not None) or (
        rel in ("daughter", "son") and _GRANDCHILDREN.search(flat) is not None)


def _parent_named(reading: FormReading, name: str, m: re.Match[str], rel: str, said_rel: re.Match[str], text: str,
                  part: str, rule: str, rel_confidence: float = evidence.PROSE_CUE) -> Draft:
    """The parent called `name` (found again, or added), offered that name at m's "name" group and the
    relationship `rel` at said_rel's "rel" group, both under `rule`."""
    p = next((q for q in reading.parents if same_name(q.get("name"), name)), None)
    if p is None:
        p = Draft("parent")
        reading.parents.append(p)
    p.offer("name", evidence.at(name, evidence.PROSE_CUE, part, text, m.start("name"), m.end("name"), rule=rule),
            said=evidence.cue_words(m))
    p.offer("relationship", evidence.at(rel, rel_confidence, part, text, said_rel.start("rel"), said_rel.end("rel"),
                                        rule=rule))
    return p


def read_parents(text: str, part: str, reading: FormReading, lo: int, hi: int,
                 found: list[tuple[Draft, int, int]]) -> None:
    """Parents and carers named in text[lo:hi]; `found` are the children's name spans already taken."""
    flat = unwrap(text)  # "Mum, Tilda\nPimm": a name wrapped onto the next line (same offsets)
    couples: list[tuple[int, int]] = []
    for m in [*_NAMED_COUPLE.finditer(flat, lo, hi), *_BRACKETED_COUPLE.finditer(flat, lo, hi),
              *_COUPLE_WITH_CHILDREN.finditer(flat, lo, hi)]:
        sa = m.groupdict().get("sa")
        if looks_like_job(m.group(0)):
            continue  # "Speech and Language Therapist with their children": a job, not a couple
        rule = {_BRACKETED_COUPLE: "kin.bracketed_couple", _COUPLE_WITH_CHILDREN: "kin.couple_with_children"}.get(
            m.re, "kin.named_couple")
        first_end = m.end("sa") if sa else m.end("a")
        names = [(f"{m.group('a')} {sa or m.group('sur')}", m.start("a"), first_end, "r1"),
                 (f"{m.group('b')} {m.group('sur')}", m.start("b"), m.end("sur"), "r2")]
        if not all(name_ok(n) for n, *_ in names) or any(s0 <= m.start("a") < e0 for _, s0, e0 in found):
            continue
        couples.append((m.start(), m.end()))
        for name, s0, e0, group in names:
            p = next((q for q in reading.parents if same_name(q.get("name"), name)), None)
            if p is None:
                p = Draft("parent")
                reading.parents.append(p)
            p.offer("name", evidence.found(name, evidence.PROSE_CUE, part, s0, e0, text[s0:e0], rule=rule))
            rel = RELATIONSHIPS.get(m.group(group).lower()) if m.groupdict().get(group) else None
            if rel:
                p.offer("relationship", evidence.at(rel, evidence.PROSE_CUE, part, text, m.start(group), m.end(group),
                                                    rule=rule))
    parent_hits = list(_PARENT.finditer(flat, lo, hi)) + list(_PARENT_IS.finditer(flat, lo, hi)) \
        + list(_PARENT_AFTER.finditer(flat, lo, hi)) + list(_PARENT_PAREN.finditer(flat, lo, hi)) \
        + list(_PARENT_LEAD.finditer(flat, lo, hi)) + list(_IS_THEIR.finditer(flat, lo, hi)) \
        + list(_NAME_THEN_PARENT.finditer(flat, lo, hi))
    for m in parent_hits:
        name = m.group("name")
        # "their mother, my daughter Rebecca Price": the parent, though "my daughter X" also read her as a child
        restated = (m.re is _PARENT and re.search(r"(?i)\b(?:my|our)\b", flat[m.end("rel"):m.start("name")])) or (
            m.re is _PARENT_AFTER and m.group("whose"))  # "my son Craig Grant (his dad)": the child's father
        cleaned = clean_name(name)  # "PETRENKO, Olha" -> "Olha PETRENKO"; "Dr Naomi Hartley-Boyd" -> "Naomi Hartley-Boyd"
        if cleaned is None or not name_ok(cleaned[0]) or (
                not restated and any(s <= m.start("name") < e for _, s, e in found)) or any(
                s <= m.start("name") < e for s, e in couples):
            continue
        name = cleaned[0]
        rel = RELATIONSHIPS.get(m.group("rel").lower())
        if rel is None:
            continue
        p = next((q for q in reading.parents if same_name(q.get("name"), name)), None)
        if p is None:
            p = Draft("parent")
            reading.parents.append(p)
        p.offer("name", evidence.at(name, evidence.PROSE_CUE, part, text, m.start("name"), m.end("name")),
                said=evidence.cue_words(m))
        p.offer("relationship", evidence.at(rel, evidence.PROSE_CUE, part, text, m.start("rel"), m.end("rel")))
        at = m.end("name")  # the first number after the name, inside its brackets too: "X (mum, 07700 900318)"
        for ph in find_phones(flat[at:m.end() + 40])[:1]:
            p.offer("phone", evidence.at(ph.value, evidence.PROSE_CUE, part, text, at + ph.start, at + ph.end))
    for m in _PRONOUN_NAMED.finditer(flat, lo, hi):  # "i live with my mum ... her name is shelley mullins"
        last = parent_before(flat, lo, m.start())
        cleaned = clean_name(m.group("name")) if last and name_ok(m.group("name")) else None
        rel = RELATIONSHIPS.get(last.group("rel").lower()) if last else None
        female = m.group("pro").lower() == "her"
        if cleaned is None or rel not in (_FEMALE_PARENTS if female else _MALE_PARENTS) \
                or any(s <= m.start("name") < e for _, s, e in found):
            continue
        p = _parent_named(reading, cleaned[0], m, rel, last, text, part, "kin.pronoun_named")
        for ph in find_phones(flat[m.end():m.end() + 40])[:1]:
            p.offer("phone", evidence.at(ph.value, evidence.PROSE_CUE, part, text, m.end() + ph.start, m.end() + ph.end,
                                         rule="kin.pronoun_named"))
    for m in _LIVES_WITH_RELATIVE.finditer(flat, lo, hi):  # "they moved in with my uncle Mark Walsh"
        cleaned = clean_name(m.group("name")) if name_ok(m.group("name")) else None
        rel = RELATIONSHIPS.get(m.group("rel").lower())
        if cleaned is None or rel is None or any(s <= m.start("name") < e for _, s, e in found):
            continue
        _parent_named(reading, cleaned[0], m, rel, m, text, part, "kin.lives_with_relative")
    for m in WRITERS_SIBLING.finditer(flat, lo, hi):
        cleaned = clean_name(m.group("name")) if sibling_is_parent(flat, m) and name_ok(m.group("name")) else None
        if cleaned is None or any(s <= m.start("name") < e for _, s, e in found):
            continue
        rel = "mother" if m.group("rel").lower() in ("sister", "daughter") else "father"
        _parent_named(reading, cleaned[0], m, rel, m, text, part, "kin.writers_sibling", evidence.PROSE_CUE - 0.05)
    for m in _HAS_CHILDREN.finditer(text, lo, hi):
        name = m.group("name")
        if not name_ok(name):
            continue
        p = next((q for q in reading.parents if (q.get("name") or "").casefold() == name.casefold()), None)
        if p is None:
            p = Draft("parent")
            reading.parents.append(p)
        p.offer("name", evidence.at(name, evidence.PROSE_CUE, part, text, m.start("name"), m.end("name")),
                said=evidence.cue_words(m))
        rel = "father" if m.group("title") == "Mr" else "mother"
        p.offer("relationship", evidence.at(rel, evidence.PROSE_CUE - 0.05, part, text, m.start("title"), m.end("title")))
        if m.group("tail"):
            for ph in find_phones(m.group("tail"))[:1]:
                p.offer("phone", evidence.at(ph.value, evidence.PROSE_CUE, part, text, m.start("tail") + ph.start,
                                             m.start("tail") + ph.end))
    for m in _AND_CHILDREN.finditer(text, lo, hi):  # "We placed Chantelle Ward and her three children"
        cleaned = clean_name(m.group("name"))
        words = cleaned[0].split() if cleaned else []
        while len(words) > 2 and not name_ok(" ".join(words)):
            words = words[1:]  # "Since 14 August Olena Kravets and her two children": the month is no name
        if cleaned is None or not name_ok(" ".join(words)) or len(words) < 2:
            continue
        name = " ".join(words)
        p = next((q for q in reading.parents if same_name(q.get("name"), name)), None)
        if p is None:
            p = Draft("parent")
            reading.parents.append(p)
        at = m.group("name").rfind(name)
        start, end = (m.start("name") + at, m.start("name") + at + len(name)) if at >= 0 else (m.start("name"), m.end("name"))
        p.offer("name", evidence.at(name, evidence.PROSE_CUE, part, text, start, end))
        rel = "mother" if m.group("pro") == "her" else "father"
        p.offer("relationship", evidence.at(rel, evidence.PROSE, part, text, m.start("pro"), m.end("pro")))
    for m in _COUPLE.finditer(flat, lo, hi):  # "Parents: Corvin and Tilda Pimm"
        for g in ("a", "b"):
            first = m.group(g)
            if not name_ok(first) or not name_ok(m.group("sur")):
                continue
            full = f"{first} {m.group('sur')}"
            if any(same_name(q.get("name"), full) for q in reading.parents):
                continue
            p = Draft("parent")
            reading.parents.append(p)
            span = (m.start(g), m.end("sur")) if g == "b" else (m.start(g), m.end(g))
            p.offer("name", evidence.found(full, evidence.PROSE_CUE, part, span[0], span[1], text[span[0]:span[1]]))
            if re.match(r"(?i)(?:foster|kinship)[ \t]+carers", m.group(0)):  # "foster carers Graham and Lorraine Dawson"
                p.offer("relationship", evidence.at("carer", evidence.PROSE_CUE, part, text, m.start(), m.start(g),
                                                    rule="kin.carers_couple"))
    for m in _PARENT_LIST.finditer(flat, lo, hi):  # "Parents are Imran Hussain and Saima Hussain"
        for g in ("a", "b"):
            cleaned = clean_name(m.group(g))
            if cleaned is None or not name_ok(cleaned[0]) or any(same_name(q.get("name"), cleaned[0])
                                                                 for q in reading.parents):
                continue
            p = Draft("parent")
            reading.parents.append(p)
            p.offer("name", evidence.at(cleaned[0], evidence.PROSE_CUE, part, text, m.start(g), m.end(g),
                                        rule="kin.parent_list"))
    for lead in _PARENTS_LEAD.finditer(flat, lo, hi):
        pos = lead.end()
        while (m := _TITLED.match(flat, pos, hi)) is not None:  # match: one titled name straight after another
            pos = m.end()
            name = m.group("name")
            if not name_ok(name) or any(same_name(q.get("name"), name) for q in reading.parents):
                continue
            p = Draft("parent")
            reading.parents.append(p)
            p.offer("name", evidence.at(name, evidence.PROSE_CUE, part, text, m.start("name"), m.end("name")),
                said=evidence.cue_words(m))
            rel = _TITLE_RELATION.get(m.group("title").lower())
            if rel:
                p.offer("relationship", evidence.at(rel, evidence.PROSE, part, text, m.start("title"), m.end("title")))
    for m in _SPOUSE.finditer(text, lo, hi):
        name = m.group("name")
        if not name_ok(name):
            continue
        p = Draft("parent")
        reading.parents.append(p)
        p.offer("name", evidence.at(name, evidence.PROSE_CUE, part, text, m.start("name"), m.end("name")),
                said=evidence.cue_words(m))
        rel = "mother" if m.group("rel") == "wife" else "father"
        p.offer("relationship", evidence.at(rel, evidence.PROSE_CUE, part, text, m.start("rel"), m.end("rel")))
    _read_antecedent_parents(text, flat, part, reading, lo, hi, found)
    _parent_phones(text, part, reading, lo, hi)


def _parent_phones(text: str, part: str, reading: FormReading, lo: int, hi: int) -> None:
    for ph in find_phones(text[lo:hi]):
        s = lo + ph.start
        before = text[max(lo, s - 45):s]
        if any(m.end() == s for m in OWN_PHONE.finditer(text, max(lo, s - 80), s + 1)):
            continue  # "contact me rather than mum: ...": the writer's own number
        m = re.search(r"(?i)\b(?P<who>mum|mother|dad|father|nan|gran|uncle|aunt|auntie|grandma|grandad|"
                      r"(?:mr|mrs|ms|miss)\.?\s+\w+)(?:'s|’s|s)?\b[^0-9\n]{0,35}$",
                      before)
        pro = re.search(r"(?i)\b(?P<who>her|his)[ \t]+(?:mobile|mobile number|number|phone|phone number|"
                        r"contact number|telephone number)(?:[ \t]+(?:is|was)|[ \t]*:)?[ \t]*$", before)  # "tried her mobile 07700 ..."
        whose = re.match(r"[ \t]*\((?P<title>Mr|Mrs|Ms|Miss)\.?[ \t]+(?P<sur>[A-Z][\w'’-]+)\)", text[lo + ph.end:lo + ph.end + 30])
        if whose and not m:  # "the only number we hold is 07700 900186 (Mr Hussain)"
            owner = [p for p in reading.parents if whose.group("sur").casefold() in (p.get("name") or "").casefold().split()
                     and "phone" not in p.fields and p.get("relationship") in (None, _TITLE_RELATION[whose.group("title").lower()])]
            if len(owner) > 1:
                owner = [p for p in owner if p.get("relationship")]
            if len(owner) == 1:
                owner[0].offer("phone", evidence.at(ph.value, evidence.PROSE_CUE, part, text, s, lo + ph.end,
                                                    rule="kin.phone_owner"))
                if "relationship" not in owner[0].fields:
                    at = lo + ph.end + whose.start("title")
                    owner[0].offer("relationship", evidence.at(_TITLE_RELATION[whose.group("title").lower()],
                                                               evidence.PROSE, part, text, at, at + len(whose.group("title")),
                                                               rule="kin.phone_owner"))
            continue
        if pro and not m:  # "Her number is 07700 900902": the one mother (father) named, when there is one
            rel = "mother" if pro.group("who").lower() == "her" else "father"
            same = [p for p in reading.parents if p.get("relationship") == rel and "phone" not in p.fields]
            if len(same) == 1:
                same[0].offer("phone", evidence.at(ph.value, evidence.PROSE, part, text, s, lo + ph.end,
                                                   rule="kin.pronoun_phone"))
            continue
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


_OWN_CONTACT = re.compile(  # "call me on", "my number is", "reach us at": the writer's own
    r"(?i)\b(my|our) (direct |work |own )?(mobile|number|phone|tel|email|e-mail|address|line)\b[^.\n]{0,15}$|"
    r"\b(call|ring|text|email|e-mail|contact|reach) (me|us)\b[^.\n]{0,15}$|\b(me|us) (on|at)\W*$")
_ADDRESSED = re.compile(r"(?i)\b(sent|emailed|wrote|written|writing|replied|reply|contact(ed)?|reach(ed)?|call(ed)?|"
                        r"ring|rang|text(ed)?|message[ds]?|mobile|number|phone|tel|email|e-mail|on|at|to|is)\W*$")


def attach_contacts(parsed: ParsedMessage, parents: list[Draft], referrer: Draft) -> None:
    """A phone number or email address in the writer's own sentence belongs to the parent named nearest before
    it in that sentence ("mum (X) has not replied to emails sent to x@...", "Dad's mobile (Y, 07700 ...)"),
    when that parent has none yet. Rule `kin.nearest_contact`: a proximity rule, whatever the wording."""
    from extraction.clauses import sentence_start
    from extraction.identifiers import find_emails
    from extraction.safeguarding import passages

    taken = {re.sub(r"\W", "", (d.get(k) or "").lower()) for d in parents + [referrer] for k in ("phone", "email")}
    for p in passages(parsed):
        if p.kind not in ("top", "forwarded") or p.weight < 1.0 or p.part == "subject":
            continue
        text = p.text
        items = [("phone", f) for f in find_phones(text[p.start:p.end])] + \
                [("email", f) for f in find_emails(text[p.start:p.end])]
        for key, f in items:
            if not f.value or re.sub(r"\W", "", f.value.lower()) in taken:
                continue
            s, e = p.start + f.start, p.start + f.end
            lo = max(p.start, sentence_start(text, s))
            before = text[lo:s]
            if _OWN_CONTACT.search(before[-40:]):
                continue
            best: tuple[int, Draft] | None = None
            for d in parents:
                if key in d.fields:
                    continue
                # the given name only: a family name is shared with the other parent and the children
                marks = [w for w in (d.get("name") or "").split() if len(w) > 1 and w.lower().strip(".")
                         not in ("mr", "mrs", "ms", "miss", "dr")][:1]
                rel = d.get("relationship")
                pats = [re.escape(m) for m in marks]
                if rel:
                    pats.append(_relation_words(rel))
                for pat in pats:
                    for m in re.finditer(pat, before):
                        if best is None or m.end() > best[0]:
                            best = (m.end(), d)
            if best is None:
                continue
            at, owner = best
            if not _ADDRESSED.search(before[-30:]) and s - (lo + at) > 60:
                continue  # too far from the person, with nothing saying the number is theirs
            owner.offer(key, evidence.at(f.value, evidence.PROSE, p.part, text, s, e, rule="kin.nearest_contact"))
            taken.add(re.sub(r"\W", "", f.value.lower()))


def _relation_words(rel: str) -> str:
    """The words that name relationship `rel` ("mother": mum, mummy, mother ...), from people.RELATIONSHIPS."""
    words = sorted((w for w, r in RELATIONSHIPS.items() if r == rel), key=len, reverse=True)
    return r"(?i:\b(?:" + "|".join(re.escape(w) for w in words) + r")\b)" if words else r"(?!x)x"
