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
from extraction.names import NAME, WORD, name_ok, same_name
from extraction.referrer import OWN_PHONE
from extraction.people import RELATION_PATTERN, RELATIONSHIPS, clean_name
from extraction.clauses import unwrap
from parsers.message import ParsedMessage

_PARENT = re.compile(rf"(?:(?i:\b(?:his|her|their|the children'?s?|the child'?s|the|a|with|and|but|while|so|that)[ \t]+)|"
                     rf"\b{WORD}['’]s[ \t]+)(?i:(?:birth[ \t]+)?(?P<rel>{RELATION_PATTERN}))[ \t]*,?[ \t]*"
                     rf"(?:(?:Mr|Mrs|Ms|Miss|Dr)\.?[ \t]+)?{NAME}")
_PARENT_LEAD = re.compile(rf"(?:^|(?<=[.!?;]\s)|(?<=[.!?;]\s\s)|(?<=\n))[ \t]*(?P<rel>Mum|Mother|Dad|Father|Nan|Nana|Gran|"
                          rf"Grandma|Grandad|Stepdad|Stepmum|Aunt|Auntie|Uncle|Carer|Foster carer)[ \t]*[,:]\s*"
                          rf"(?:(?:Mr|Mrs|Ms|Miss|Dr)\.?[ \t]+)?{NAME}", re.MULTILINE)
_PARENT_IS = re.compile(rf"\b(?P<rel>(?i:{RELATION_PATTERN}))(?:['’]s name)?[ \t]+(?:is|was|called|named)[ \t]+"
                        rf"(?:(?:Mr|Mrs|Ms|Miss|Dr)\.?[ \t]+)?{NAME}")
_COUPLE = re.compile(rf"\b(?i:parents|parents/carers|parents and carers)[ \t]*[:,]?[ \t]+(?:are[ \t]+)?(?P<a>{WORD})[ \t]+and"
                     rf"[ \t]+(?P<b>{WORD})[ \t]+(?P<sur>{WORD})\b")
# "Her parents, Mr Rupert Grainger-Smith (07700 900740) and Mrs Felicity Grainger-Smith": each titled name a parent
_PARENTS_LEAD = re.compile(r"\b(?i:parents|parents/carers|parents and carers)[ \t]*[:,]?[ \t]+(?:(?i:are|were)[ \t]+)?(?=(?:Mr|Mrs|Ms|Miss|Mx)\b)")
_TITLED = re.compile(rf"(?:[ \t]*(?:\([^()\n]{{0,60}}\))?[ \t]*,?[ \t]*(?:and|&)?[ \t]*)(?P<title>Mr|Mrs|Ms|Miss|Mx)\.?[ \t]+{NAME}")
_TITLE_RELATION = {"mr": "father", "mrs": "mother", "ms": "mother", "miss": "mother"}
_SPOUSE = re.compile(rf"\b[Mm]y[ \t]+(?P<rel>wife|husband)[ \t]*,?[ \t]+{NAME}")
_HAS_CHILDREN = re.compile(rf"(?P<title>Mr|Mrs|Ms|Miss)\.?[ \t]+{NAME}[ \t]*(?:\((?P<tail>[^)]{{0,40}})\)[ \t]*)?"
                           r"(?:has|have|with|brought|took|and)[ \t]+(?:her|his|their)?[ \t]*"
                           r"(?:one|two|three|four|five|six|\d)?[ \t]*(?:[\w-]+[ \t]+)?"
                           r"(?:children|child|sons?|daughters?|boys?|girls?)\b")
_AND_CHILDREN = re.compile(rf"{NAME}[ \t]+and[ \t]+(?P<pro>her|his)[ \t]+(?:(?:one|two|three|four|five|six|\d)[ \t]+)?"
                           r"(?:young[ \t]+)?(?:children|child|sons?|daughters?|kids)\b")
_PARENT_PAREN = re.compile(rf"\b(?P<rel>(?i:{RELATION_PATTERN}))[ \t]*\([ \t]*(?:(?:Mr|Mrs|Ms|Miss|Dr)\.?[ \t]+)?{NAME}"
                           rf"[ \t]*(?:,[^()\n]{{0,40}})?\)")  # "Mum (X Y, 07700 900000)"
_PARENT_AFTER = re.compile(rf"{NAME}[ \t]*\((?P<rel>(?i:{RELATION_PATTERN}))\)")


def read_parents(text: str, part: str, reading: FormReading, lo: int, hi: int,
                 found: list[tuple[Draft, int, int]]) -> None:
    """Parents and carers named in text[lo:hi]; `found` are the children's name spans already taken."""
    flat = unwrap(text)  # "Mum, Tilda\nPimm": a name wrapped onto the next line (same offsets)
    parent_hits = list(_PARENT.finditer(flat, lo, hi)) + list(_PARENT_IS.finditer(flat, lo, hi)) \
        + list(_PARENT_AFTER.finditer(flat, lo, hi)) + list(_PARENT_PAREN.finditer(flat, lo, hi)) \
        + list(_PARENT_LEAD.finditer(flat, lo, hi))
    for m in parent_hits:
        name = m.group("name")
        if not name_ok(name) or any(s <= m.start("name") < e for _, s, e in found):
            continue
        cleaned = clean_name(name)  # "PETRENKO, Olha" -> "Olha PETRENKO"
        if cleaned is None:
            continue
        name = cleaned[0]
        rel = RELATIONSHIPS.get(m.group("rel").lower())
        if rel is None:
            continue
        p = next((q for q in reading.parents if same_name(q.get("name"), name)), None)
        if p is None:
            p = Draft("parent")
            reading.parents.append(p)
        p.offer("name", evidence.at(name, evidence.PROSE_CUE, part, text, m.start("name"), m.end("name")))
        p.offer("relationship", evidence.at(rel, evidence.PROSE_CUE, part, text, m.start("rel"), m.end("rel")))
        for ph in find_phones(flat[m.end():m.end() + 40])[:1]:
            p.offer("phone", evidence.at(ph.value, evidence.PROSE_CUE, part, text, m.end() + ph.start, m.end() + ph.end))
    for m in _HAS_CHILDREN.finditer(text, lo, hi):
        name = m.group("name")
        if not name_ok(name):
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
        if cleaned is None or not name_ok(cleaned[0]) or len(cleaned[0].split()) < 2:
            continue
        p = next((q for q in reading.parents if same_name(q.get("name"), cleaned[0])), None)
        if p is None:
            p = Draft("parent")
            reading.parents.append(p)
        p.offer("name", evidence.at(cleaned[0], evidence.PROSE_CUE, part, text, m.start("name"), m.end("name")))
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
    for lead in _PARENTS_LEAD.finditer(flat, lo, hi):
        pos = lead.end()
        while (m := _TITLED.match(flat, pos, hi)) is not None:  # match: one titled name straight after another
            pos = m.end()
            name = m.group("name")
            if not name_ok(name) or any(same_name(q.get("name"), name) for q in reading.parents):
                continue
            p = Draft("parent")
            reading.parents.append(p)
            p.offer("name", evidence.at(name, evidence.PROSE_CUE, part, text, m.start("name"), m.end("name")))
            rel = _TITLE_RELATION.get(m.group("title").lower())
            if rel:
                p.offer("relationship", evidence.at(rel, evidence.PROSE, part, text, m.start("title"), m.end("title")))
    for m in _SPOUSE.finditer(text, lo, hi):
        name = m.group("name")
        if not name_ok(name):
            continue
        p = Draft("parent")
        reading.parents.append(p)
        p.offer("name", evidence.at(name, evidence.PROSE_CUE, part, text, m.start("name"), m.end("name")))
        rel = "mother" if m.group("rel") == "wife" else "father"
        p.offer("relationship", evidence.at(rel, evidence.PROSE_CUE, part, text, m.start("rel"), m.end("rel")))
    _parent_phones(text, part, reading, lo, hi)


def _parent_phones(text: str, part: str, reading: FormReading, lo: int, hi: int) -> None:
    for ph in find_phones(text[lo:hi]):
        s = lo + ph.start
        before = text[max(lo, s - 45):s]
        if any(m.end() == s for m in OWN_PHONE.finditer(text, max(lo, s - 80), s + 1)):
            continue  # "contact me rather than mum: ...": the writer's own number
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
