"""Places in free text: the family's address (current or old), the school a child attends, the date last attended.

An address is current when the words before it say so ("now live at", "Address:"), old when they
say "last known", "left", "previously"; a school counts only where a child attends or left it,
never where a family merely applied; a last-attended date goes to the children its sentence names.
"""
from __future__ import annotations

import re
from datetime import date
from typing import Any

from config import phrasebook
from extraction import evidence
from extraction.addresses import UNIT, find_addresses
from extraction.clauses import unwrap
from extraction.dates import find_dates
from extraction.forms import FormReading
from extraction.given_names import EVERYDAY_WORDS, is_given_name
from parsers.message import TextSource

def _spaced(pattern: str) -> str:
    """`pattern` with each literal space matching any run of white space (prose wraps lines)."""
    return pattern.replace(" ", r"\s+")


_LEFT = re.compile(r"(?i)\b(?:at|attended|attends|attending|left|from|went to|goes to|go to|going to|on roll (?:at|of)|pupil at|student at|"
                   r"was at|were at|excluded from|roll at|studying at|in year \d+ at)\s+(?:the\s+)?$")
_SIBLINGS_SCHOOL = re.compile(r"(?i)\b(?:siblings?|(?:older|younger|big|little|half-?|step-?)?(?:brother|sister)s?)\b"
                              r"[ \t]+(?:(?:is|are|was|were|goes|go|went|still)[ \t]+)?(?:at|to|attends|attended)[ \t]+(?:the[ \t]+)?$")
_NOT_SCHOOL = re.compile(r"(?i)\b(?:appl(?:y|ied|ication)s?|places? at|offered|waiting list|refused|new school|next school|"
                         r"destination|moving to|(?:managed )?move to|transferr(?:ing|ed|s) to|admitted to|now (?:on roll|registered) at|"
                         r"preference|hoping|would like|visit(?:ed)?|wants? to (?:go|attend)|start(?:ing)? at|"
                         r"going to (?:start|attend))\b[^.\n]{0,100}$")
_SCHOOL_NAME = r"(?:the )?(?:[A-Z][\w'’-]* ){1,4}(?:School|Academy|Primary|College|Junior|Infant|Nursery)s?\b"
_LEFT_SCHOOL = rf"left {_SCHOOL_NAME}(?: and {_SCHOOL_NAME})?"  # "they left Oak Primary (and Elm Academy) on 2 May"
_SCHOOLS = re.compile(_spaced(_SCHOOL_NAME))
_DLA = re.compile(_spaced(r"(?i)\b(?:last attended|(?:his|her|their|\w+['’]s) last day at [^.\n]{3,50}?(?= was\b)|(?:his|her|their|\w+['’]s) last day(?: there| here| at (?:their|his|her|the) schools?)?(?= was| is|:)|(?:his|her|their) last day|last day (?:here|with us|in school|at school)|(?:the )?last day (?:they|he|she|\w+) (?:was|were) in(?: school)?(?= was| is|:)|(?:has not|hasn'?t|have not|haven'?t) been in|last seen in school|last day in school|last day at school|"
                  r"last attendance|has not attended|have not attended|hasn'?t attended|haven'?t attended|"
                  r"not attended|not been (?:in|to|at) school|not been seen in school|stopped attending|"
                  r"last in school|left (?:us|the school|our school)|came off (?:the |our )?roll|"
                  # "attended regularly until", "the last day they went was", "stopped going after the 3rd July"
                  r"attended (?:\w+ )?until|(?:the|their|his|her) last day (?:they|he|she) (?:went|was in|attended)(?: was)?|"
                  r"the last day was|stopped (?:going|attending) (?:after|on|from)|"
                  # "Last day at both was Friday 17th July", "the last day we took him in to school was ..."
                  r"last day (?:at|in|for) (?:both|all|school)(?: was)?|the last day (?:we|I|they|he|she) [\w ]{3,30}? was|"
                  r"attended(?= [^.\n]{0,60}?\buntil\b)|(?:has|have) been (?:back )?in(?: school)?(?= since)|"
                  # "Both were at Zouch Academy in Tidworth until Friday 27th November", "his last day in was Fri 13th",
                  # "Last in Fri 23/10", "nope. not been in since thurs 19th"
                  r"(?:was|were) at(?= [^.\n]{0,60}?\buntil\b)|last day in(?= was\b| is\b|:)|"
                  r"\blast in(?=[ \t]*[:-]?[ \t]*(?:mon|tue|wed|thu|fri|sat|sun|\d))|(?<!\w)not been in(?= since)|"
                  r"(?:removed|taken) (?:off|from) (?:the |our )?roll|"
                  # "her last day of attendance was 07/02/2025", "(last day there 4/9/26)", "the last time she actually
                  # went in was Tuesday 15th September"
                  r"last (?:day|date) of attendance|last day there|"
                  r"the last time (?:he|she|they|\w+) (?:\w+ )?(?:went in|was in|attended|went to school)(?: was)?|"
                  # "Both finished there at the end of the summer term, on 17 July 2026"
                  r"finished there|finished at school|" + _LEFT_SCHOOL + r")"
                  r"(?:[^.\n(]{0,40}?(?:\([^)]{0,120}\)[^.\n(]{0,10}?)?\b(?:since|on|was|:))?\s*"))
_LIVE = re.compile(r"(?i)\b(?:now liv\w*|liv(?:e|es|ing) at|staying at|moved to|new address|current address|"
                   r"family address|address is|address:|placed at|reside[sd]? at|home,|home at|address,)")
_OLD = re.compile(r"(?i)\b(?:last known|previous|previously|former|old address|no longer|moved (?:out )?from|"
                  r"left|moved out of|used to live|vacated|"
                  r"evicted|no longer (?:living|at))")



_INSTITUTION = re.compile(r"\b(?:School|Academy|College|Council|Centre|Surgery|Practice|Clinic|Hospital|Station|Offices?|"
                          r"House|Hub|Trust|Police)\b(?![ \t]+(?:Road|Lane|Street|Close|Way|Drive|Hill))")


_HOME = re.compile(r"(?i)" + UNIT)  # "Flat 7 Kestrel House": a home in a house, not an office
_STREET_ONLY = re.compile(r"\b(?:lives?|living|staying|stays|next door|boy|girl|child|children|kids?|family|lad|address)\b"
                          r"[^.\n]{0,30}?\bat[ \t]+(?:number[ \t]+|no\.?[ \t]+)?"
                          r"(?P<line1>\d+[A-Za-z]?[ \t]+[A-Z][\w'’-]+(?:[ \t]+[A-Z][\w'’-]+){0,3})"
                          r"(?:,[ \t]*(?P<town>[A-Z][\w'’-]+(?:[ \t]+[A-Z][\w'’-]+)?))?(?=[ \t]*[.,;\n]|[ \t]+[a-z])")
_STREET_WORD = re.compile(r"\b(?:Road|Rd|Street|St|Avenue|Ave|Close|Drive|Lane|Way|Crescent|Gardens|Court|Place|"
                          r"Square|Terrace|Rise|Grove|Walk|Mews|Row|Hill|Park|View|Green|Parade|Meadows?)$")


def sentence_start_of(text: str, lo: int, at: int) -> int:
    """Where the sentence holding text[at] begins (a full stop in "18.06.2026" ends none)."""
    ends = [m.end() for m in re.finditer(r"[.!?](?=\s)", text[lo:at])]
    return lo + ends[-1] if ends else lo


def _child_on_line(line: str, children: list) -> Any:
    """The one child named on the line before an address, when the message gives several addresses: theirs."""
    named = [c for c in children if c.get("first_name") and re.search(rf"\b{re.escape(c.get('first_name'))}\b", line)]
    return named[0] if len(named) == 1 else None


def _child_named_before(text: str, lo: int, sentence_start: int, said: str, children: list) -> Any:
    """The one child named in the sentence before one that says only "he" or "she" ("Isla is in Year 5, DOB ... She
    last attended on Friday 23rd October"), unless that child is known to be of the other sex."""
    he, she = (bool(re.search(rf"(?i)\b(?:{w})\b", said)) for w in ("he|his|him", "she|her"))
    if he == she:
        return None
    before = text[sentence_start_of(text, lo, max(lo, sentence_start - 1)):sentence_start]
    named = [c for c in children if c.get("first_name") and re.search(rf"\b{re.escape(c.get('first_name'))}\b", before)]
    return named[0] if len(named) == 1 and named[0].get("gender") in (None, "male" if he else "female") else None


def _child_of_the_paragraph(text: str, lo: int, at: int, children: list) -> Any:
    """The one child named earlier in the paragraph (or list item) of words that name nobody: in a message giving
    each child a paragraph ("1. Connor BLAKE, DOB ... Last attended Friday 2nd October."), the words are that
    child's. Not when the words' own line begins with another name ("Jimmy Loveridge (junior) - 11 - ... last
    attended ..." under "Levi Loveridge - 13 - ..."): a list line whose name was not read as a child's is not theirs."""
    line = max(lo, text.rfind("\n", lo, at) + 1)
    lead = _LINE_NAME.match(text, line, at)
    if lead and is_given_name(lead.group(1)) and not any(c.get("first_name") == lead.group(1) for c in children):
        return None
    gap = None
    for gap in _PARAGRAPH_GAP.finditer(text, lo, at):
        pass
    start = gap.end() if gap else lo
    named = [c for c in children if c.get("first_name")
             and re.search(rf"\b{re.escape(c.get('first_name'))}\b", text[start:at])]
    return named[0] if len(named) == 1 and len(children) > 1 else None


_PARAGRAPH_GAP = re.compile(r"\n[ \t]*\n")
_LINE_NAME = re.compile(r"[ \t]*(?:\d{1,2}[.)][ \t]*)?([A-Z][a-z]+)[ \t]+[A-Z][\w'’-]+")  # "Jimmy Loveridge ..."


def _under_institution(text: str, line_start: int) -> bool:
    """Whether one of the (up to three) short lines just above a line names an institution: a letterhead
    ("TADBURN VALLEY SURGERY" over the practice's address) or a letter's addressee ("Hampshire County Council /
    Elizabeth II Court North / Winchester SO23 8UG")."""
    end = line_start
    for _ in range(3):
        if end <= 0:
            return False
        start = text.rfind("\n", 0, end - 1) + 1
        line = text[start:end].strip()
        if not line or len(line) >= 60 or " | " in line or re.search(r"(?i)address|:$", line):
            return False  # a blank, a sentence, or a label over the address ("Home address")
        if _INSTITUTION.search(line.title() if line.isupper() else line):
            return True
        end = start
    return False


def read_places(source: TextSource, ref: date, reading: FormReading, lo: int, hi: int) -> None:
    """The family's current (or old) address and the date last attended, from source.text[lo:hi]."""
    text, part = source.text, source.part
    found_here = [a for a in find_addresses(text[:hi]) if a.postcode[1] >= lo]
    for a in found_here:
        before = text[max(lo, a.start - 60):a.start]
        line_start = text.rfind("\n", 0, a.start) + 1
        head = text[line_start:min(a.start, a.postcode[1])]
        if re.match(r"(?i)\s*[\w /'’()-]{1,40}(?::|\s\|)\s*$", head) or " | " in text[line_start:a.postcode[1]]:
            continue  # a labelled line or table cell: the form reader has it
        letterhead = not text[line_start:a.start].strip() and _under_institution(text, line_start)
        home = _HOME.match(a.line1[0] if a.line1 else "") or _LIVE.search(before[-25:])
        if (_INSTITUTION.search(text[max(line_start, a.start - 40):a.postcode[2]]) and not home) or letterhead:
            continue  # a school's or office's own address (a letterhead), not where the child lives; but a flat
            # in a house ("Flat 7 Kestrel House") or what the child "lives at" is a home
        target = reading.old if _OLD.search(before) and not _LIVE.search(before[-25:]) else reading.family
        owner = _child_on_line(text[line_start:a.start], reading.children) if len(found_here) > 1 else None
        if owner is not None and target is reading.family and not any(n in owner.fields for n in ("line1", "postcode")):
            target = owner  # "1. Kyle B, DOB ..., 8 Brookhouse Road ...  2. Tamsin O, 57 Holly Road ...": each child's own
        if _LIVE.search(before):
            conf = evidence.PROSE_CUE + 0.04
        elif len(found_here) == 1:
            conf = evidence.PROSE_CUE
        else:
            conf = evidence.PROSE
        if target is not owner and any(n in target.fields for n in ("postcode", "line1")):
            if target is reading.family and target.get("postcode") != a.postcode[0]:
                note = "More than one current address is given: check where each child lives."
                if note not in target.notes:
                    target.notes.append(note)
            continue
        for key, v in (("line1", a.line1), ("town", a.town), ("postcode", a.postcode)):
            if v:
                target.offer(key, evidence.at(v[0], conf + (evidence.VALIDATED if key == "postcode" else 0),
                                              part, text, v[1], v[2]))
    if not any(n in r.fields for r in (reading.family, reading.old) for n in ("line1", "postcode")):
        for m in _STREET_ONLY.finditer(text, lo, hi):  # "lives opposite me at 6 Elm Walk, Oakhurst" (no postcode)
            if not _STREET_WORD.search(m.group("line1")):
                continue
            reading.family.offer("line1", evidence.at(m.group("line1"), evidence.PROSE, part, text,
                                                      m.start("line1"), m.end("line1")))
            if m.group("town"):
                reading.family.offer("town", evidence.at(m.group("town"), evidence.PROSE, part, text,
                                                         m.start("town"), m.end("town")))
            break
    for m in _DLA.finditer(text, lo, hi):
        window = text[m.end():min(hi, m.end() + 80)]
        window = window[:(re.search(r"[.!?;](?=\s)|\n\s*\n", window) or re.search(r"$", window)).start()]
        dates = find_dates(window, ref)
        if not dates or not _DLA_GAP.fullmatch(window[:dates[0][1]]):
            continue  # the date follows the words, with only a school, a day or "since", "on", "until" between
        line_start = text.rfind("\n", lo, m.start()) + 1
        if re.match(r"\s*[\w /'’()-]{1,40}(?::|\s\|)\s*$", text[line_start:m.end()]):
            continue  # a labelled line: the form reader has it
        sentence_start = max(sentence_start_of(text, lo, m.start()), line_start - 1)
        sentence = text[sentence_start:m.start()]
        named = [c for c in reading.children if any(c.get(k) and c.get(k) in sentence for k in ("first_name", "known_as"))]
        said = sentence + text[m.start():m.end()]  # "her last day of attendance was": the pronoun inside the words
        if named:  # "Millie's last day was ...": a child called by the name they are known as counts too
            targets = named
        elif re.search(r"(?i)\b(?:both|all|(?:the|these|following|two|three|four) (?:children|pupils|siblings|boys|girls|kids)|they|their|neither|none)\b", said) or len(reading.children) == 1:
            targets = reading.children
        elif just_named := _child_named_before(text, lo, sentence_start, said, reading.children):
            targets = [just_named]  # "He hasn't been in since Tues 3rd Nov": the boy just named
        elif own := _child_of_the_paragraph(text, lo, m.start(), reading.children):
            targets = [own]  # "2. Kacey MORGAN, DOB ... Last attended Friday 18th September.": her paragraph's child
        else:
            continue
        when, ds, de = dates[0]
        for c in targets:
            if "date_last_attended" not in c.fields:
                c.offer("date_last_attended", evidence.at(when.isoformat(), evidence.PROSE_CUE, part, text,
                                                          m.end() + ds, m.end() + de))


# what may stand between the words of a last day and its date: "has not attended since (Thursday) (the) 8th",
# "last attended Kingsgate Primary School, Ash, on", "last attended school on or around"
_DLA_GAP = re.compile(r"(?:[\s,]+|(?i:\b(?:was|is|on|since|until|till|at|in|there|school|yesterday|the|or|around|about|"
                      r"approximately)\b)|(?i:at the end of (?:the )?(?:summer |autumn |spring )?term)|[A-Z][\w'’&-]*)*")
_BARE_CUE = re.compile(
    r"(?i)\b(?:attend(?:s|ed|ing)?|at|from|went to|goes to|go to|going to|start(?:s|ed|ing)? at|place at|"
    r"(?:on|off) (?:the |their |our )?(?:roll|register) (?:at|of)|left|leaving|transferr?(?:ed|ing)? (?:to|from)|"
    r"pupils? at|students? at|year \d{1,2} at|letter from|excluded from|removed from)\s+(?:the\s+)?")
_BARE_WORD = re.compile(r"[A-Z][\w'’-]+")
_OTHER_PLACE = re.compile(f"(?:{phrasebook.alternation('vocabulary', 'not_a_school')})")  # a word that makes the capitalised
# words before it the name of something other than a school (config/phrases/vocabulary.jsonl)
_STOP_WORDS = {"In", "On", "And", "But", "For", "Since", "Last", "This", "The", "School", "Home", "Hampshire",
               "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday", "January", "February",
               "March", "April", "May", "June", "July", "August", "September", "October", "November", "December",
               "Christmas", "Easter", "Half", "Term", "Year", "Reception", "I", "We", "He", "She", "They", "Mum", "Dad"}


def _bare_schools(text: str, hi: int, register: Any) -> list[tuple[Any, str, int, int]]:
    """Schools written by their distinctive name alone after a cue ("at Hounsdown", "Calthorpe Park took him
    off", "a letter from Scantabout", "Bohunt in Liphook"): only an exact distinctive name of the register,
    never a town (rule places.bare_school)."""
    out = []
    for m in _BARE_CUE.finditer(text, 0, hi):
        words = []
        for w in _BARE_WORD.finditer(text, m.end(), min(hi, m.end() + 60)):
            if (words and text[words[-1].end():w.start()] != " ") or (not words and w.start() != m.end()):
                break
            if w.group(0) in _STOP_WORDS:
                break
            words.append(w)
            if len(words) == 4:
                break
        for n in range(len(words), 0, -1):
            s, e = words[0].start(), words[n - 1].end()
            written = text[s:e]
            if register.is_place(written):
                continue
            if n < len(words) and _OTHER_PLACE.fullmatch(words[n].group(0)):
                break  # "at Riverside Medical Practice": a surgery named like a school, not the school
            after = re.match(r"\s+(?:in|at)\s+([A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+)?)", text[e:e + 40])
            found = register.match(written, town=after.group(1) if after else None)
            if found is not None and found.score >= 0.95:
                out.append((found, written, s, e))
                break
    for m in _BARE_BEFORE.finditer(text, 0, hi):
        written = m.group("name")
        if written.split()[0] in _STOP_WORDS:
            continue
        if register.is_place(written) and not m.group("roll"):
            continue  # a place refuses or confirms nothing, but a name that is also a locality ("Calthorpe Park")
            # is the school when it takes a child off its roll
        found = register.match(written)
        if found is not None and found.score >= 0.95:
            out.append((found, written, m.start("name"), m.end("name")))
    return out


# a school's distinctive name as the subject of what schools do: "Calthorpe Park took him off the roll"
_BARE_BEFORE = re.compile(r"(?<![\w'’])(?P<name>[A-Z][\w'’-]+(?: [A-Z][\w'’-]+){0,3}) (?:have |has |had )?"
                          r"(?:(?P<roll>took|taken|removed|deleted|excluded)|offered|refused|confirmed)\b")


_WRITERS_OWN = re.compile(r"(?i)\b(?:(?:I|we)\s+(?:\w+\s+)?(?:run|own|manage|work|teach|coach|volunteer|lead)\b|"
                          r"(?:I\s+am|I['’]m|we\s+are|we['’]re)\s+(?:the|a|an|one of the)\s+[\w ]{1,30}?\s+(?:at|of|for|with)\b)"
                          r"[^.!?\n]{0,30}$")


def rfind_name(text: str, first: str, start: int, end: int) -> int:
    """Where `first` is last written in text[start:end], as written or all in small letters ("kayden was at
    admiral lord nelson") unless the small-letter word is an everyday one ("may", "will"); -1 when nowhere."""
    at = text.rfind(first, start, end)
    small = first.lower()
    if small == first or small in EVERYDAY_WORDS:
        return at
    low = end
    while (low := text.rfind(small, start, low)) > at:
        if not (text[low - 1:low].isalnum() or text[low + len(small):low + len(small) + 1].isalnum()):
            return low
    return at


def _last_mention(text: str, child: Any, children: list, start: int, end: int) -> int:
    """Where `child`'s first name is last written in text[start:end], not counting it as the second word of
    another child's name ("Jake Morrison" is no mention of a child read as "Morrison")."""
    first = child.get("first_name")
    others = {c.get("first_name") for c in children if c is not child and c.get("first_name")}
    at = rfind_name(text, first, start, end)
    while at > start:
        word = re.search(r"([^\W\d_][\w'’-]*)[ \t]+$", text[max(start, at - 40):at])
        if not (word and word.group(1) in others):
            break
        at = rfind_name(text, first, start, at)
    return at


_OFFERED_AFTER = re.compile(r"[ \t]+(?:(?:have|has|had|have now|has now)[ \t]+)?(?:offered|agreed to (?:take|admit)|"
                            r"(?:can|could|will) (?:take|admit|offer)|accepted (?:him|her|them|both))\b")
_A_SERVICE = re.compile(r"[ \t]+(?:Nursing|Nurses?|Team|Services?|Health|Trust|Partnership|Board|Transport|Admissions|"
                        r"Meals|Uniform|Travel|Counselling|Support Service)\b")
_LABELLED_LINE = re.compile(r"[ \t]*[-*•]?[ \t]*[\w /()'&-]{1,40}:[ \t]")  # "c1_dob: ...", "School (both): ..."


def _continues_sentence(text: str, lo: int, line_start: int) -> bool:
    """Whether the line at `line_start` carries on the sentence of the line before (hard-wrapped prose: the
    line before ends without a stop or colon and this one starts in small letters)."""
    if line_start - 1 <= lo:
        return False
    before = text[text.rfind("\n", lo, line_start - 1) + 1:line_start - 1].rstrip(" \t")
    return (len(before) >= 50 and before[-1] not in ".!?:;" and not _LABELLED_LINE.match(before)
            and re.match(r"[ \t]*[a-z]", text[line_start:]) is not None
            and not _LABELLED_LINE.match(text, line_start))


def read_schools(source: TextSource, reading: FormReading, register: Any, lo: int, hi: int) -> None:
    """Schools named in prose: the one a child attends or left, given to the child named nearest before it."""
    if register is None:
        return
    text, part = source.text, source.part
    flat = unwrap(text)  # "Amery\nHill School": a name wrapped onto the next line (same offsets)
    named = register.find_in_text(flat[:hi])
    bare = [b for b in _bare_schools(flat, hi, register) if not any(s < b[3] and b[2] < e for _, _, s, e in named)]
    schools = {m.urn if m is not None else w.casefold() for m, w, s, _ in named + bare if s >= lo}
    for match, written, s, e in sorted(named + bare, key=lambda x: x[2]):
        if s < lo or re.search(r"(?i)virtual school", written) or "\t" in written or " | " in written:
            continue  # a name runs across no table cells: "Gender<TAB>UPN<TAB>...<TAB>Primary Contact" is headings
        if _OFFERED_AFTER.match(text, e):
            continue  # "Riders Junior have offered both boys places": the school they will go to, not the one left
        if _A_SERVICE.match(text, e):
            continue  # "Fareham & Gosport School Nursing Team": a service named after schools, not a school
        line_start = text.rfind("\n", lo, s) + 1
        if re.match(r"(?i)\s*(?:to|from|cc|sent|subject):", text[line_start:s]):
            continue  # an email header block quoted in the thread
        before = text[max(lo, s - 120):s]
        if _NOT_SCHOOL.search(before):
            continue
        if _SIBLINGS_SCHOOL.search(before):
            continue  # "Sibling at Trosnant Jnr also off", "her brother goes to Oak Juniors": another child's school
        sentence_start = sentence_start_of(text, lo, s)
        if not _continues_sentence(text, lo, line_start):  # a hard-wrapped sentence runs on across its lines
            sentence_start = max(sentence_start, line_start - 1)
        names = sorted((c for c in reading.children if c.get("first_name")
                        and rfind_name(text, c.get("first_name"), sentence_start, s) >= 0),
                       key=lambda c: _last_mention(text, c, reading.children, sentence_start, s))  # the nearest last
        after = re.match(r"[ \t]*\((?P<who>[^()\n]{2,30})\)", text[e:e + 40])
        marked = [c for c in reading.children if after and c.get("first_name")
                  and re.search(rf"\b{re.escape(c.get('first_name'))}\b", after.group("who"))]
        if marked:  # "The Wellington Academy (Freya) and Shipton Bellinger Primary School (Alfie)": the child named
            names = marked[:1]  # in brackets after the school is the one it is given to
        sentence_end = re.search(r"[.!?](?=\s)|\n\s*\n|$", text[e:hi])
        if not names and len(reading.children) > 1 and \
                len(_SCHOOLS.findall(text[sentence_start:e + sentence_end.start()])) > 1:
            continue  # "they left Oak Primary and Elm Academy": which child went where is not said
        if not names and match is None and _WRITERS_OWN.search(text, sentence_start + 1, s) and not register.knows(written):
            continue  # "I run Step Up Dance Academy": the writer's own place, no school in the register
        targets = names[-1:] if names else [c for c in reading.children if "school" not in c.fields]
        same_line = bool(names) and rfind_name(text, names[-1].get("first_name") or "", line_start, s) >= 0
        cue = _LEFT.search(text[max(lo, s - 40):s]) or same_line
        conf = evidence.PROSE_CUE if cue else evidence.PROSE
        # the situation is the rule, so calibration can measure each: the child named just before it, the only
        # child, or every child left without a school; and whether the message names one school or several
        whose = "named" if names else "only_child" if len(targets) == 1 else "every_child"
        rule = f"places.read_schools.{whose}.{'one_school' if len(schools) == 1 else 'several_schools'}"
        for c in targets:
            c.offer("school", evidence.at(written, conf, part, text, s, e, rule=rule))


