"""Safeguarding concerns a message shows now, and whether it is urgent.

Owns: the phrases that signal harm, negation ("no safeguarding concerns", "CP plan ended"),
and where words count (the sender's own text, not a disclaimer, a charity's safeguarding
statement or a quotation of guidance). Also `passages`, the weighted stretches of a message
other rule finders (classify) read.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterable

from extraction.harm_families import (ACCIDENTAL, ADULT_JOB, ADULT_RELATIVE, CARE_QUALITY, OWN_WORK, PAST_PLAN, SCHOOL_WORK, COURSE, FAMILY_PATTERNS, FAMILY_RULES, LABOUR,
                                      FOSTERING_PARENT, FORMERLY_IN_CARE, KIN_BEFORE_AGE, SELF_HARM as _SELF_HARM, SENT_FROM_SCHOOL,
                                      VOCABULARY, VOUCHED, WELFARE, WHEREABOUTS)
from extraction.harm_phrases import NOT_HARM, RULES
from extraction.clauses import (ended, form_says_no, hypothetical, negated, plan_category_ended, sentence_start,
                                sentences, unwrap)
from config import phrasebook
from parsers.message import ParsedMessage, TextSource

FLAGS = ("sexual_exploitation", "criminal_exploitation", "abuse", "neglect", "domestic_abuse",
         "radicalisation", "trafficking", "forced_marriage", "fgm", "missing_from_home",
         "child_protection_plan", "looked_after")

SEGMENT_WEIGHT = {"top": 1.0, "forwarded": 1.0, "quoted": 0.5, "signature": 0.2, "disclaimer": 0.0}


@dataclass(frozen=True)
class Passage:
    """A stretch of one part's text and how much its words count (0 = boilerplate)."""

    part: str
    text: str  # the whole part's text; the passage is text[start:end]
    start: int
    end: int
    kind: str  # segment kind, or "disclaimer" for boilerplate found here
    weight: float


# Boilerplate: email disclaimers, charity safeguarding statements, quoted guidance (config/phrases/boilerplate.jsonl).
_BOILERPLATE = re.compile(r"(?i)(" + phrasebook.alternation("boilerplate", "boilerplate") + ")")
_PARAGRAPH = re.compile(r"\S(?:.|\n(?!\s*\n))*", re.MULTILINE)


def boilerplate_spans(text: str) -> list[tuple[int, int]]:
    """Paragraphs of `text` that are disclaimers, safeguarding statements or quoted guidance."""
    spans = []
    for m in _PARAGRAPH.finditer(text):
        para = m.group(0)
        if _BOILERPLATE.search(para) and not re.search(r"(?i)\b(DOB|date of birth|UPN)\b|\baddress\s*:|"
                                                      r"\b(lives|living|staying) at\b", para):
            spans.append((m.start(), m.end()))
        elif re.match(r"\s*[\"“]", para) and re.search(r"(?i)\b(guidance|policy|defines?|definition)\b", para):
            spans.append((m.start(), m.end()))
    return spans


def _source_passages(source: TextSource) -> list[Passage]:
    text = source.text
    segments = sorted(source.segments, key=lambda s: s.start)
    pieces: list[tuple[int, int, str]] = []
    pos = 0
    for seg in segments:
        if seg.start > pos:
            pieces.append((pos, seg.start, "top"))
        pieces.append((max(seg.start, pos), seg.end, seg.kind))
        pos = max(pos, seg.end)
    if pos < len(text):
        pieces.append((pos, len(text), "top"))
    boiler = boilerplate_spans(text)
    out: list[Passage] = []
    for start, end, kind in pieces:
        cuts = [(s, e) for s, e in boiler if s < end and e > start]
        cursor = start
        for s, e in cuts:
            if s > cursor:
                out.append(Passage(source.part, text, cursor, s, kind, SEGMENT_WEIGHT.get(kind, 1.0)))
            out.append(Passage(source.part, text, max(s, start), min(e, end), "disclaimer", 0.0))
            cursor = min(e, end)
        if cursor < end:
            out.append(Passage(source.part, text, cursor, end, kind, SEGMENT_WEIGHT.get(kind, 1.0)))
    return out


def passages(parsed: ParsedMessage) -> list[Passage]:
    """Every readable stretch of the message with its weight; the subject first (weight 1)."""
    out = []
    if parsed.subject:
        out.append(Passage("subject", parsed.subject, 0, len(parsed.subject), "subject", 1.0))
    for source in parsed.sources:
        if source.part == "header":
            continue
        out.extend(_source_passages(source))
    return out


# --- the phrases live in extraction/harm_phrases.py ------------------------------------------


# Concerns that are about the child only when the child does it: an adult as the sentence's subject
# ("Dad was arrested for dealing") is not the child's exploitation, unless the adult is reporting.
# the one who was hurt, right before "was beaten", "was hurt": an adult of the family, or nobody
_ADULT_OR_NOBODY_BEFORE = re.compile(
    r"(?i)(?:\b(?:my|her|his|their|the|mum's|dad's)[ \t]+(?:husband|wife|partner|mum|mother|dad|father|step-?dad|stepfather|"
    r"grand(?:mother|father|ma|pa|ad)|nan|uncle|aunt|landlord)|\b(?:nobody|no[ \t-]one|none of (?:us|them)))[ \t]*$")
_CHILD_ONLY = ("criminal_exploitation", "trafficking", "missing_from_home", "sexual_exploitation", "forced_marriage")
_ADULT_SUBJECT = re.compile(
    r"(?i)\W*((her|his|their|the|mum's|dad's) )?(mum|mother|dad|father|step-?dad|stepfather|step-?mum|stepmother|parents?|"
    r"carers?|partner|uncle|aunt|grand(parents?|mother|father|ma|pa|ad)|nan|landlord|adults?)\b(?![^.]{0,40}?\b(says?|said|told|found|saw|noticed|discovered|heard|"
    r"tells|reports?|reported|thinks|thought|believes?|believed|is worried|worries|mentioned|disclosed|explained|"
    r"claims?|claimed|fears?|feared|admits?|admitted)\b)(?![^.]{0,60}?\b(she|he|they|her|him|the (child|children|boy|girl))\b)")


# the missing one as the subject: "where he is", not "reported her missing"
_PRONOUN = re.compile(r"(?i)\b(?P<m>he)\b|\b(?P<f>she)\b")
_GENDERED = re.compile(
    r"(?i)\b(?:(?P<man>dad|daddy|father|step-?dad|stepfather|husband|boyfriend|uncle|grand(?:ad|dad|father|pa))|"
    r"(?P<woman>mum|mummy|mother|step-?mum|stepmother|wife|girlfriend|aunt|auntie|gran|granny|nan|nanna|grand(?:ma|mother))|"
    r"(?P<boy>son|boy|brother|lad|nephew|grandson)|(?P<girl>daughter|girl|sister|niece|granddaughter))\b"
    r"|\b(?P<he>he|him|his)\b|\b(?P<she>she|her)\b|\b(?P<name>(?-i:[A-Z][a-z]+))\b")
_SEX_OF = {"man": "m", "boy": "m", "he": "m", "woman": "f", "girl": "f", "she": "f"}


def _pronoun_means_adult(text: str, sentence: int, s: int, e: int) -> bool:
    """The "he" or "she" of the words `text[s:e]` is a parent or another grown-up named just before in the sentence
    (the nearest person of that sex, with no name between), not a child."""
    pronoun = _PRONOUN.search(text, s, e)
    if pronoun is None:
        return False
    sex = "m" if pronoun.group("m") is not None else "f"
    knower = re.search(r"\w+\W{0,3}$", text[max(sentence, s - 20):s])  # "mum" of "mum doesn't know where ..."
    upto = s - len(knower.group(0)) if knower else s
    for person in reversed(list(_GENDERED.finditer(text, sentence, upto))):
        kind = person.lastgroup
        if kind == "name":
            if person.start() > sentence:
                return False  # "Kai's dad left and mum doesn't know where he is": who "he" is, the sentence does not say
            continue
        if _SEX_OF[kind] == sex:  # the nearest person of that sex: a grown-up, a child, or the same "she" said before
            return kind in ("man", "woman")  # ("Her mum says she has been sofa surfing ... doesn't know where she is")
    return False


def _sentence_end(text: str, e: int) -> int:
    """Where the sentence holding text[e] ends: at its stop (or a blank line), or at the end of the text."""
    stop = re.search(r"[.!?;](\s|$)|\n\s*\n", text[e:])
    return e + stop.start() if stop else len(text)


_THREATENED = re.compile(r"(?i)\b(might|may|could|would|will|threaten(s|ed|ing)? to|wants? to|going to|talks? (about|of))"
                         r"[\"\u201c'\u2018]?\s*$")
_STATUS_FLAGS = ("child_protection_plan", "looked_after")
_FUTURE_HARM = ("fgm", "forced_marriage")


_QUOTED_GUIDANCE = re.compile(r"[\"“]([^\"”]{40,700})[\"”]")


def _quoted_guidance(text: str) -> list[tuple[int, int]]:
    spans = []
    for m in _QUOTED_GUIDANCE.finditer(text):
        lead = text[max(0, m.start() - 160):m.start()]
        if re.search(r"(?i)guidance|policy|statutory|kcsie|keeping children safe|working together|"
                     r"(says|states|reminds|notes|defines)\b|according to|procedures?", lead):
            spans.append(m.span())
    return spans


def _hits(p: Passage, flat: str) -> Iterable[tuple[str, int, int]]:
    text = p.text
    quoted = _quoted_guidance(text[p.start:p.end])
    quoted = [(a + p.start, b + p.start) for a, b in quoted]
    for flag, pattern in RULES:
        for m in pattern.finditer(flat, p.start, p.end):
            s, e = m.span()
            if any(a <= s < b for a, b in quoted):
                continue
            if flag == "missing_from_home":
                if _THREATENED.search(text, max(0, s - 40), s):
                    continue  # "says he might run away": a threat, not an episode
                at = text.lower().rfind("missing", s, e)
                if NOT_HARM.match(text, s) or (at >= 0 and NOT_HARM.match(text, at)):
                    continue
            if negated(text, s, e) or hypothetical(text, s, e) or form_says_no(text, s, e, flag in _STATUS_FLAGS):
                continue
            if ended(text, e, past_before=flag in _STATUS_FLAGS) or plan_category_ended(text, s, e):
                continue
            if not _childs_own(text, flag, sentence_start(text, s), s, e):
                continue  # "Dad works in a restaurant", "Mum was away from home overnight": not the child
            yield flag, s, e


_ASYLUM_HOUSING = re.compile(r"(?i)[^.\n]{0,20}?\bby (?:the )?(?:home office|hotel|serco|mears|clearsprings|asylum)")
_GENERAL_RISK = re.compile(r"(?i)\b(?:children|young people|pupils|learners|those|girls|boys)\b[^.;]{0,60}\b(?:are|is|can be|may be)\b"
                           r"[^.;]{0,25}\b(?:(?:at|more at)\s+(?:(?:greater|increased|higher|particular|more|a higher|an increased)\s+)?risk|"
                           r"(?:more |particularly |especially )?vulnerable to)\b")
_TEAM_AFTER = re.compile(r"[^\n.;]{0,40}?\b(?:Team|Hub|Unit|Service|Co-?ordinator|Officer|Lead|Panel|Board|Partnership|"
                         r"Champion|Worker|Practitioner|Manager|Specialist|Navigator|Adviser|Advisor|Mentor|Coach)\b")
_PAPERS = re.compile(r"(?i)passport|documents|papers|\bID\b")
_MARRIAGE = re.compile(r"(?i)\b(marr(?:y|ied|iage)|wed(?:ding)?|engaged|engagement|husband|bride|groom)\b")


def _childs_own(text: str, flag: str, sentence: int, s: int, e: int) -> bool:
    """The concern is the child's, in a sentence of fact: not an adult's doing, a sibling's (adult) wedding, or a
    sentence about teaching ("an assembly on county lines")."""
    if _named_as_past(text, sentence, s, e):
        return False  # "a history of domestic abuse", "disclosed historic abuse", "in February 2025 after a domestic"
    upto = _sentence_end(text, e)
    whole = text[sentence:upto]
    if _CLOSED_SPAN.search(whole) and not _STILL.search(whole):
        return False  # "subject to plans (category: emotional abuse) between 2023 and March 2025": over, and dated
    if flag in ("missing_from_home", "abuse") and put_out_of_school(text, sentence, s):
        return False
    if flag in _CHILD_ONLY and (_ADULT_SUBJECT.match(text[sentence:e]) or (
            _WRITER_SUBJECT.search(text, max(sentence, s - 20), s)  # "I reported him missing" is still the child's
            and not re.search(r"(?i)\b(?:him|her|them|child|children|boy|girl|kids?|lad|son|daughter)\b", text[s:e]))):
        return False  # "his mum has not been home", "I'm not back home until Christmas": not the child
    if flag == "child_protection_plan" and PAST_PLAN.search(text, sentence, upto):
        return False  # "his half-brother was subject to a plan ... closed in June 2022": not a plan in force
    if flag == "missing_from_home" and _pronoun_means_adult(text, sentence, s, e):
        return False  # "Dad is not with them and mum doesn't know where he is": the father is the one missing
    if text[s:s + 1].isupper() and _TEAM_AFTER.match(text, e):
        return False  # "Missing, Exploited and Trafficked Team", "Exploitation Lead": a team or a job, not a concern
    if flag == "looked_after" and _ASYLUM_HOUSING.match(text, max(s, e - 12)):
        return False  # "accommodated by the Home Office": asylum housing, not a council's care
    if _GENERAL_RISK.search(text[sentence:e]):
        return False  # "children who are out of school are known to be at greater risk of exploitation"
    if flag == "trafficking" and _PAPERS.search(text, s, e + 1) and _MARRIAGE.search(
            text, max(0, text.rfind("\n\n", 0, s)), (text.find("\n\n", e) + 1 or len(text) + 1) - 1):
        return False  # a passport taken before a wedding abroad is the forced marriage, not trafficking
    if flag == "forced_marriage" and ADULT_RELATIVE.search(text, sentence, s):
        return False
    if flag == "abuse" and _bullied_at_school(whole):
        return False  # "a boy hit him in the toilets": bullying at school, for the school to deal with, not abuse
    if flag in ("abuse", "domestic_abuse") and _bullying_told_at_school(text, s, e, whole):
        return False  # "bullied by a group of boys ... they cornered him in the toilets and he came home with a cut lip"
    if flag == "looked_after" and (FOSTERING_PARENT.search(text, sentence, e) or CARE_QUALITY.search(text[sentence:s])):
        return False  # "her mum is a foster carer", "how the children are looked after": not the child's care status
    if flag == "sexual_exploitation" and "pregnant" in text[s:e].lower() and _ADULT_WOMAN.search(text, sentence, s):
        return False  # "the midwife for Mrs Osman, who is 28 weeks pregnant": the mother's pregnancy
    if flag == "looked_after" and FORMERLY_IN_CARE.search(text, max(sentence, s - 30), min(len(text), e + 20)):
        return False  # "a previously looked-after child", "adopted from care": not in care now
    if flag == "abuse" and re.match(r"(?i)(?:was|were|got|been|being|had been)\b", text[s:e]) \
            and _ADULT_OR_NOBODY_BEFORE.search(text, sentence, s):
        return False  # "my husband was beaten before we left", "nobody was hurt": not harm to the child
    if flag in ("abuse", "missing_from_home"):
        put_out = SENT_FROM_SCHOOL.search(text, max(sentence, s - 12), min(len(text), e + 60))
        if put_out and put_out.start() < e:
            return False  # "got kicked out of school": an exclusion, not violence or a child put out of home
    if flag == "abuse" and ACCIDENTAL.search(text, sentence, upto) \
            and not VOUCHED.search(text, max(sentence, s - 80), min(upto, e + 40)):  # the explaining near the injury
        return False  # "hurt her wrist playing netball": an accident nobody had to explain
    return flag in _STATUS_FLAGS or not COURSE.search(text, sentence, upto)


# Another child as the one who did it: "a boy hit him", "some older girls pushed her" (not "a man", not an adult)
_PEER_DID = re.compile(r"(?i)\b(?:a|an|another|other|some|two|three|the)[ \t]+(?:other[ \t]+|older[ \t]+|younger[ \t]+)?"
                       r"(?:boys?|girls?|pupils?|kids?|children|students?|lads?|classmates?)(?:[ \t]+in[ \t]+(?:his|her|their)"
                       r"[ \t]+(?:class|year))?[ \t]+(?:hit|hits|punch\w*|kick\w*|push\w*|beat\w*|slap\w*|attack\w*|hurt\w*|"
                       r"shov\w*|bit|bites|thump\w*)[ \t]+(?:him|her|them)\b")
_ADULT_DOER = re.compile(r"(?i)\b(?:mum|mother|dad|father|step-?(?:dad|mum|father|mother)|man|men|adult|uncle|aunt|"
                         r"partner|boyfriend|teacher|staff)\b")
_AT_SCHOOL = re.compile(r"(?i)\b(?:toilets?|playground|classroom|corridor|lesson|at school|in school|school bus|"
                        r"the school|in (?:his|her|their) class|bullied|bullying|called names)\b")
def _bullied_at_school(sentence: str) -> bool:
    """Another child hurt them at school, and no grown-up is named in the sentence."""
    return bool(_PEER_DID.search(sentence) and _AT_SCHOOL.search(sentence) and not _ADULT_DOER.search(sentence))


_BULLYING = re.compile(r"(?i)\b(?:bullied|bullying|bullies)\b")


def _bullying_told_at_school(text: str, s: int, e: int, sentence: str) -> bool:
    """The harm happened at school in a paragraph about the child being bullied, and no grown-up is named in the
    sentence: what the bullies did, for the school to deal with, not abuse at home."""
    lo = text.rfind("\n\n", 0, s) + 1
    hi = text.find("\n\n", e)
    paragraph = text[lo:hi if hi >= 0 else len(text)]
    return bool(_BULLYING.search(paragraph) and _AT_SCHOOL.search(sentence) and not _ADULT_DOER.search(sentence))


# The concern named as past by the words just before it or within it: "a history of", "historic", "previous".
_IN_THE_PAST = re.compile(r"(?i)\b(?:histor(?:y|ies)\s+of|historic(?:al|ally)?|previous|past|earlier|former)\s+"
                          r"(?:[^\s,.;:]+\s+){0,3}[^\s,.;:]+$")
# A stretch of time with both ends given in years ("between 2023 and March 2025", "from 2021 to 2022"): what the
# sentence tells happened then; unless it also says it goes on ("still", "again", "now").
_CLOSED_SPAN = re.compile(r"(?i)\b(?:between|from)\s+(?:[a-z]+\s+)?(?:19|20)\d\d\s*(?:and|to|until|till|-|–)\s*"
                         r"(?:[a-z]+\s+)?(?:19|20)\d\d\b")
_STILL = re.compile(r"(?i)\b(?:still|again|now|currently|ongoing|continues|continuing|last night|yesterday|today|this week)\b")
# An event dated in a past year just before the words: "a referral was made in February 2025 after a domestic incident".
_DATED_BEFORE = re.compile(r"(?i)\bin\s+(?:[a-z]+\s+)?(?:19|20)\d\d\s+(?:after|following)\s+(?:\S+\s+){0,3}$")


# A sentence that opens on a time gone by and tells what happened then: "By Easter he was hiding under his bed",
# "Last year she was cutting her arms", "In Year 6 he had taken an overdose".
_PAST_TIME_LEAD = re.compile(r"(?i)\s*(?:by|in|during|over|back in|at the start of|at the end of|last|when (?:he|she|they) (?:was|were))\s+"
                             r"(?:the\s+)?(?:\w+\s+){0,2}?(?:easter|christmas|summer|spring|autumn|winter|half[- ]term|term|holidays?|"
                             r"january|february|march|april|may|june|july|august|september|october|november|december|"
                             r"(?:19|20)\d\d|year|primary|juniors?|infants?|\d{1,2})\b[^.;!?]*?\b(?:was|were|had|used to)\b")


def _named_as_past(text: str, sentence: int, s: int, e: int) -> bool:
    """The words at text[s:e] named as past by the words around them: "a history of", "in 2024 following"."""
    return bool(_IN_THE_PAST.search(text, max(sentence, s - 40), e) or _DATED_BEFORE.search(text, sentence, s))


def _told_as_past(text: str, s: int, e: int) -> bool:
    """A risk told as something that happened before: "a history of self-harm", "referred in 2024 following an
    episode of self-harm", "By Easter he was ... scratching his arms"."""
    sentence = sentence_start(text, s)
    return _named_as_past(text, sentence, s, e) or bool(_PAST_TIME_LEAD.match(text, sentence, s))


def _stands(text: str, flag: str, s: int, e: int, sentence: int) -> bool:
    """Words at text[s:e] state a concern now: not negated, supposed, answered no, ended, or an adult's own doing."""
    if negated(text, s, e) or hypothetical(text, s, e, strict=False) or form_says_no(text, s, e, flag in _STATUS_FLAGS):
        return False
    if ended(text, e, past_before=flag in _STATUS_FLAGS):
        return False
    if flag == "missing_from_home" and NOT_HARM.match(text, s):
        return False  # "they've kicked him out, he's stopping home with me now": put out of school, not of home
    return _childs_own(text, flag, sentence, s, e)


_PUT_OUT = re.compile(r"(?i)(?:(?:been|got|get|was|were|being)\s+)?(?:kicked|thrown|chucked|turfed|booted)\s+"
                      r"(?:(?:him|her|them)\s+)?out\b(?!\s+of\s+(?:the\s+|his\s+|her\s+|their\s+)?(?:house|home|flat))")


def put_out_of_school(text: str, sentence: int, s: int) -> bool:
    """"Asked them why they weren't at school and they said they'd been kicked out": put out, in a sentence about
    school, is an exclusion, not a blow or a child put out of home."""
    return bool(_PUT_OUT.match(text, s)) and bool(
        re.search(r"(?i)\b(?:school|college|academy|lessons|class|excluded|exclusion)\b", text[sentence:s]))


_ADULT_WOMAN = re.compile(r"(?i)\b(?:Mrs|Ms|mum|mummy|mother|mum-to-be|woman|lady|wife|partner|girlfriend)\b"
                          r"(?:[ \t]+[A-Z][\w'’-]+){0,3},?[ \t]+(?:(?:who|that)[ \t]+)?(?:is[ \t]+|was[ \t]+|['’]s[ \t]+)?$")
_ADULT_AT_WORK = re.compile(r"(?i)\b(?:mum|mummy|mother|dad|daddy|father|step-?(?:dad|mum|father|mother)|parents?|carers?|"
                            r"partner|husband|wife|grand(?:parents?|mother|father|ma|pa|ad)|nan|uncle|aunt(?:ie)?)"
                            r"(?:,[^,.;\n]{1,40},)?(?:'s|’s|s'|\s+(?:is|are|was|were|has|have|had))?\s+(?:\w+\s+){0,2}$")
_WRITER_SUBJECT = re.compile(r"(?i)\b(?:I|we)(?:'m|’m|'re|’re| am| are|m)?\s+(?:\w+\s+)?$")  # "im not home in the day"


# A capitalised word of seven letters or more that ends in no English inflection: a name, however it begins.
_A_NAME_ON_A_STEM = re.compile(r"(?=[A-Z])(?=\w{7,}$)(?!\w*(?i:s|es|ed|d|ing|ings|er|ers|ies|y|ment|ence|ent|ened|ening|ion|ions)$)"
                               r"(?:[A-Z][a-z]+|[A-Z]+)")


def _family_matches(family: str, flat: str, a: int, b: int, text: str) -> list[re.Match[str]]:
    found = []
    for m in FAMILY_PATTERNS[family].finditer(flat, a, b):
        if negated(text, m.start(), m.end()) or _A_NAME_ON_A_STEM.fullmatch(m.group(0)):
            continue  # "GRABOWSKA", "Bangura": a surname that begins with a stem ("grab...", "bang..."), not a deed
        if family.startswith("((who|he|she|they)") and KIN_BEFORE_AGE.search(flat, max(a, m.start() - 40), m.start()):
            continue  # "Mum, who is 32": an adult at home, not an older person around the child
        if family == LABOUR and (_WRITER_SUBJECT.search(flat, max(a, m.start() - 20), m.start())
                                 or re.search(r"(?i)\b(?:at|from|off|after|before|to)\s+$", flat[max(a, m.start() - 8):m.start()])
                                 or _ADULT_AT_WORK.search(flat, max(a, m.start() - 60), m.start())
                                 or ADULT_JOB.match(flat[m.end():m.end() + 40])
                                 or SCHOOL_WORK.match(flat[m.end():m.end() + 40])
                                 or OWN_WORK.search(flat[max(a, m.start() - 40):m.start()])):
            continue  # "I work shifts", "his mum's at work all day", "she works full time", "while she's at work": a job;
            # "the work the school put on Teams", "does her afternoon work at home": school work
        found.append(m)
    return found


_RUN_ON_WORDS = 60  # a "sentence" longer than this has lost its punctuation ("I AM WRITING ABOUT THE KIDS AT ...")
_PIECE_WORDS = 25


def _spans_of_sense(flat: str, start: int, end: int) -> Iterable[tuple[int, int]]:
    """The sentences of flat[start:end]; one that runs past _RUN_ON_WORDS words with no full stop is read in pieces
    of _PIECE_WORDS words, so that words a paragraph apart do not meet as if in one sentence."""
    for a, b in sentences(flat, start, end):
        words = list(re.finditer(r"\S+", flat[a:b]))
        if len(words) <= _RUN_ON_WORDS:
            yield a, b
            continue
        for i in range(0, len(words), _PIECE_WORDS):
            chunk = words[i:i + _PIECE_WORDS]
            yield a + chunk[0].start(), a + chunk[-1].end() if i + _PIECE_WORDS < len(words) else b


def _family_hits(p: Passage, flat: str, vocabulary: bool) -> Iterable[tuple[str, int, int]]:
    """Single words of the harm vocabulary (`vocabulary`), or else concerns shown by word families meeting in one
    sentence."""
    text = p.text
    for a, b in _spans_of_sense(flat, p.start, p.end):
        for flag, pattern in VOCABULARY if vocabulary else ():
            for m in pattern.finditer(flat, a, min(len(flat), b + 60)):  # the words after a piece can say what a
                if m.end() <= b and _stands(text, flag, m.start(), m.end(), a):  # phrase is not ("... is now being educated")
                    yield flag, m.start(), m.end()
        for flag, families in () if vocabulary else FAMILY_RULES:
            chosen: list[re.Match[str]] = []
            for family in dict.fromkeys(families):
                need = families.count(family)
                words = {}
                for m in _family_matches(family, flat, a, b, text):
                    words.setdefault(m.group(0).lower(), m)
                if len(words) < need:
                    break
                chosen.extend(list(words.values())[:need])
            else:
                s, e = min(m.start() for m in chosen), max(m.end() for m in chosen)
                if flag in _FUTURE_HARM and not _childs_own(text, flag, a, s, e):
                    continue
                if flag in _FUTURE_HARM and not negated(text, s, e) or _stands(text, flag, s, e, a):
                    yield flag, s, e  # a cutting or a wedding still to come is the harm, asked about or planned


def _bulk_mail(parsed: ParsedMessage) -> bool:
    """A mailing list or bulletin (List-* headers, list precedence): news and guidance, never one child's harm.
    `Precedence: bulk` alone is not a list: partner systems send single-child notices with it (`_about_a_child`
    then asks that the harm be beside a named child)."""
    if any(parsed.header(h) for h in ("list-id", "list-unsubscribe", "list-post")):
        return True
    return (parsed.header("precedence") or "").strip().lower() == "list"


def promotional(parsed: ParsedMessage) -> tuple[str, ...]:
    """Ids of the promotional phrases (events, prices, bulletins, policies, job adverts) in the sender's own
    words: two or more kinds mean marketing or list mail that talks about harm in general."""
    ids: list[str] = []
    for p in passages(parsed):
        if p.weight < 0.5:
            continue
        for phrase in phrasebook.table("promotional"):
            if phrase.id not in ids and phrase.pattern.search(p.text, p.start, p.end):
                ids.append(phrase.id)
    subject = parsed.subject or ""
    ids.extend(ph.id for ph in phrasebook.table("promotional") if ph.id not in ids and ph.pattern.search(subject))
    return tuple(ids)


_WINDOW = 220  # characters before the harm words in which a child must be pointed at
ADVERT_KINDS = 3  # kinds of promotional phrase (event, price, booking, bulletin ...) that make a message an advert


def _anchor(text: str, s: int, e: int, names: Iterable[str], strong_only: bool, names_only: bool = False) -> str | None:
    """Id of what points at one particular child near text[s:e] (same paragraph, the sentence or two
    before), or None when the harm words are about children in general. With `names_only`, only a child's
    name does: an advert's "case study" of "a 14-year-old girl" describes no child of this inbox."""
    para = text.rfind("\n\n", 0, s)
    lo = max(para + 2 if para >= 0 else 0, s - _WINDOW)
    hi = text.find("\n\n", e)
    hi = min(len(text) if hi < 0 else hi, e + 120)
    window = text[lo:hi]
    for name in names:
        if name and re.search(rf"(?i)\b{re.escape(name)}\b", window):
            return "child.name"
    if names_only:
        return None
    for phrase in phrasebook.table("child_reference"):
        if strong_only and phrase.id in ("child.pronoun", "child.kin_noun"):
            continue
        if phrase.pattern.search(window):
            return phrase.id
    return None


def _about_a_child(parsed: ParsedMessage, urgent: bool, flags: tuple[str, ...],
                   evidence: list[tuple[str, str, int, int, str]], names: tuple[str, ...]
                   ) -> tuple[bool, tuple[str, ...], list[tuple[str, str, int, int, str]]]:
    """Harm talked about in general is not urgent on that text alone: in a message that advertises, announces
    or circulates (an event, a price, a bulletin, a policy, a job), only the evidence that points at a
    particular child stays (a name or an age; with one such sign, a he/she or "my son" near it too).
    Elsewhere a CME inbox's harm words are taken as meant: recall comes first."""
    if not urgent:
        return urgent, flags, evidence
    promo = promotional(parsed)
    bulk = (parsed.header("precedence") or "").strip().lower() in ("bulk", "junk")
    if not promo and not bulk:
        return urgent, flags, evidence
    texts = {src.part: src.text for src in parsed.sources}
    strong = len(promo) >= 2 or bulk
    advert = len(promo) >= ADVERT_KINDS  # an event, its price, how to book: marketing through and through
    kept = [ev for ev in evidence if ev[1] in texts and _anchor(texts[ev[1]], ev[2], ev[3], names, strong, advert)]
    if not kept:
        return False, (), []
    return True, tuple(f for f in FLAGS if any(ev[0] == f for ev in kept)), kept


def assess(sources: ParsedMessage | Iterable[Passage | TextSource | str], names: Iterable[str] = ()
           ) -> tuple[bool, tuple[str, ...], list[tuple[str, str, int, int, str]]]:
    """(urgent, flags, evidence) from the message's own words.

    Urgent when a concern is shown, or when the writer has made a safeguarding referral about the child
    (evidence item "safeguarding_referral", no flag: the concern is then for the officer to name).

    Evidence items are (flag, part, start, end, text). Boilerplate and disclaimers never count;
    quoted earlier messages count (an urgent thread stays urgent). For a whole message, `names` are the
    children the extraction found: harm words with no child named or pointed at are talk, not a case.
    """
    if isinstance(sources, ParsedMessage):
        urgent, flags, evidence = _about_a_child(sources, *_assess(sources), tuple(n for n in names if n))
        if urgent and flags == ("domestic_abuse",) and all(ev[0] == "domestic_abuse" for ev in evidence) \
                and _safe_now(sources):
            return False, flags, evidence  # abuse the family has left: recorded as a concern, not raised as urgent
        return urgent, flags, evidence
    return _assess(sources)


def _safe_now(parsed: ParsedMessage) -> bool:
    """The writer says the family has left the abuse behind (a refuge, fled, "safe now": config/phrases/safe_now), and
    not that the danger goes on (the abuser looking for them, a risk assessed as high: its lines of kind "danger")."""
    text = " ".join(unwrap(s.text) for s in parsed.sources if s.part != "header")
    table = phrasebook.table("safe_now")
    if any(ph.kind == "danger" and ph.pattern.search(text) for ph in table):
        return False
    return any(ph.kind != "danger" and ph.pattern.search(text) for ph in table)


def _assess(sources: ParsedMessage | Iterable[Passage | TextSource | str]
            ) -> tuple[bool, tuple[str, ...], list[tuple[str, str, int, int, str]]]:
    if isinstance(sources, ParsedMessage):
        if _bulk_mail(sources):
            return False, (), []
        items = passages(sources)
    else:
        items = []
        for s in sources:
            if isinstance(s, Passage):
                items.append(s)
            elif isinstance(s, TextSource):
                items.extend(_source_passages(s))
            else:
                items.extend(_source_passages(TextSource("body", s, "plain")))
    evidence: list[tuple[str, str, int, int, str]] = []
    flats: dict[int, str] = {}
    for p in items:
        if p.weight <= 0.0:
            continue
        flat = flats.setdefault(id(p.text), unwrap(p.text))
        for flag, s, e in (*_hits(p, flat), *_family_hits(p, flat, vocabulary=True)):
            evidence.append((flag, p.part, s, e, p.text[s:e]))
        for s, e in _referrals(p, flat):
            evidence.append((REFERRED, p.part, s, e, p.text[s:e]))
        for m in _SELF_HARM.finditer(flat, p.start, p.end):
            if not (negated(p.text, m.start(), m.end()) or hypothetical(p.text, m.start(), m.end())
                    or ended(p.text, m.end(), past_before=True) or _told_as_past(p.text, m.start(), m.end())):
                evidence.append((SELF_HARM, p.part, m.start(), m.end(), m.group(0)))
    if not evidence:  # word families meeting in a sentence: the net under the phrases, urgent but flag-loose
        for p in items:
            if p.weight > 0.0:
                for flag, s, e in _family_hits(p, flats[id(p.text)], vocabulary=False):
                    evidence.append((flag, p.part, s, e, p.text[s:e]))
    evidence.extend(_unknown_whereabouts(items, flats, evidence))
    flags = tuple(f for f in FLAGS if any(ev[0] == f for ev in evidence))
    return bool(evidence), flags, evidence


def urgent_summary(flags: tuple[str, ...], evidence: list[tuple[str, str, int, int, str]]) -> str:
    """Words for the officer saying why a record is urgent: the concerns, or the referral already made."""
    if flags:
        return "signs of harm (" + ", ".join(f.replace("_", " ") for f in flags) + ")"
    if any(ev[0] == SELF_HARM for ev in evidence):
        return "a risk of self-harm or suicide"
    if any(ev[0] == WHEREABOUTS_UNKNOWN for ev in evidence):
        return "a welfare concern about a child whose whereabouts are unknown"
    quoted = next((ev[4] for ev in evidence if ev[0] == REFERRED), "")
    return f"a safeguarding referral has been made (\u201c{' '.join(quoted.split())}\u201d)" if quoted else "signs of harm"


# A professional has made a safeguarding referral about the child ("we informed the MASH", "made a referral
# to Children's Services"): urgent even when the harm itself is described in words no rule knows.
REFERRED = "safeguarding_referral"
SELF_HARM = "self_harm"  # a risk to life with no flag of its own in the contract: urgent, named in the summary
_REFERRAL_MADE = re.compile(r"(?i)" + phrasebook.alternation("boilerplate", "referral_made"))
# the front door's answer in the same sentence: early help, no further action, below its threshold
_REFERRAL_ANSWERED = re.compile(r"(?i)" + phrasebook.alternation("boilerplate", "referral_answered"))


def _referrals(p: Passage, flat: str) -> Iterable[tuple[int, int]]:
    for m in _REFERRAL_MADE.finditer(flat, p.start, p.end):
        s, e = m.span()
        if negated(p.text, s, e) or hypothetical(p.text, s, e) or ended(p.text, e, past_before=False) \
                or form_says_no(p.text, s, e):
            continue  # "Has a referral been made to MASH? | ☐ Yes ☒ No"
        sentence = sentence_start(flat, s)
        stop = re.search(r"[.!?](?:\s|$)|\n\s*\n", flat[e:])
        if _REFERRAL_ANSWERED.search(flat, sentence, e + stop.start() if stop else len(flat)):
            continue  # "(IARF submitted on 20/11) and have advised that support will be offered through Early Help"
        yield s, e


# A parent apart from the family who has no contact with it: "his father, who has had no contact with the family
# since 2024" says where the father is not, not that nobody knows where the child is.
_PARENT_OUT_OF_TOUCH = re.compile(r"(?i)\b(?:father|dad|mother|mum|step-?(?:dad|father|mum|mother)|ex-?partner)\b"
                                  r"(?:['’]s)?[^.;\n]{0,25}\bno\s+contact$")
WHEREABOUTS_UNKNOWN = "welfare_whereabouts_unknown"  # an ambiguous signal beside "whereabouts unknown": urgent


def _unknown_whereabouts(items: list[Passage], flats: dict[int, str],
                         evidence: list[tuple[str, str, int, int, str]]) -> list[tuple[str, str, int, int, str]]:
    """A social worker, police, "concerns for her welfare" or "vulnerable" in a message that also says nobody
    knows where the child is: urgent although neither alone would be."""
    if evidence:
        return []
    welfare, lost = [], False
    for p in items:
        if p.weight <= 0.0:
            continue
        flat = flats.get(id(p.text)) or unwrap(p.text)
        for m in WELFARE.finditer(flat, p.start, p.end) if p.weight >= 0.5 else ():  # not a signature's job title
            if not (negated(p.text, m.start(), m.end()) or hypothetical(p.text, m.start(), m.end())
                    or form_says_no(p.text, m.start(), m.end(), status=True) or ended(p.text, m.end(), past_before=True)):
                welfare.append((WHEREABOUTS_UNKNOWN, p.part, m.start(), m.end(), m.group(0)))
        lost = lost or any(not hypothetical(p.text, m.start(), m.end())
                           and not _PARENT_OUT_OF_TOUCH.search(flat, max(p.start, m.start() - 40), m.end())
                           for m in WHEREABOUTS.finditer(flat, p.start, p.end))
    return welfare[:1] if lost else []
