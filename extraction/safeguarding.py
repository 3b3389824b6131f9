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


# Boilerplate: email disclaimers, charity safeguarding statements, quoted guidance.
_BOILERPLATE = re.compile(
    r"(?i)(intended (solely|only) for|if you (have|are not the intended|received this)|"
    r"(this|the) (e-?mail|message)( and any (files|attachments))?( transmitted)? (is|are|may be|may contain|contains?) "
    r"(confidential|private|privileged|sensitive|monitored|protected)|"
    r"views expressed|registered charity|charity (no|number)|company (no|number)|registered in england|"
    r"(is|are) committed to (safeguarding|protecting)|safeguarding (statement|policy)|"
    r"think before you print|virus(es)? |may be monitored|recorded for|not the intended recipient|"
    r"statutory guidance (says|states|defines)|(guidance|keeping children safe in education|kcsie|"
    r"working together to safeguard children)[^.\n]{0,40}(says|states|defines|reminds|notes|:)|"
    r"all (staff|volunteers) (are|have been) (trained|dbs)|secure email|egress|gcsx)"
)
_PARAGRAPH = re.compile(r"\S(?:.|\n(?!\s*\n))*", re.MULTILINE)


def boilerplate_spans(text: str) -> list[tuple[int, int]]:
    """Paragraphs of `text` that are disclaimers, safeguarding statements or quoted guidance."""
    spans = []
    for m in _PARAGRAPH.finditer(text):
        para = m.group(0)
        if _BOILERPLATE.search(para) and not re.search(r"(?i)\b(DOB|date of birth|UPN|address)\b", para):
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


# --- negation --------------------------------------------------------------------------------
_NEGATOR = re.compile(
    r"(?i)\b(no|not|never|nor|without|none|neither|isn't|wasn't|aren't|weren't|don't|doesn't|didn't|"
    r"hasn't|haven't|no longer|ruled out|denies|denied|unfounded|nothing to suggest|no evidence)\b"
)
_CLAUSE_BREAK = re.compile(r"(?i)[.;:!?•|]|\b(but|and|because|although|however|so|who|which|while|whereas|as)\b")
_NEXT_LINE_STARTS_ANEW = re.compile(r"[ \t]*(\n|[-•*▪☐☒□]|\d+[.)]\s|[A-Z][\w'’/ ()&-]{0,40}[:|?])")


def _hard_newline(text: str, at: int) -> bool:
    """A line break that ends a clause: after a short line or before a new item; not the wrap of prose."""
    previous = text[text.rfind("\n", 0, at) + 1:at].strip()
    return len(previous) < 45 or bool(_NEXT_LINE_STARTS_ANEW.match(text, at + 1))


def clause_start(text: str, start: int, reach: int = 60) -> int:
    """Where the clause holding text[start] begins, looking back at most `reach` characters."""
    lo = max(0, start - reach)
    begin = lo
    for m in _CLAUSE_BREAK.finditer(text, lo, start):
        begin = m.end()
    at = text.rfind("\n", lo, start)
    while at >= begin:
        if _hard_newline(text, at):
            return at + 1
        at = text.rfind("\n", lo, at)
    return begin
_ENDED = re.compile(
    r"(?i)^[^.;\n]{0,40}?\b(ended|closed|ceased|stepped down|was removed|came to an end|discharged|"
    r"no longer|finished|de-?registered|in the past|previously|historic(al)?|last (year|term|summer|spring|autumn|winter)|"
    r"years? ago|in (19|20)\d\d|(has|have) been (home|back) since|returned (home )?safe(ly)?|was found (safe|well))\b"
)


_HYPOTHETICAL = re.compile(
    r"(?i)\b(any|if|whether|should|such as|e\.g\.?|for example|training|policy|policies|procedures?|how to|how many)\b")


_ABOUT_A_COURSE = re.compile(
    r"(?i)[^.\n]{0,50}?\b(awareness|training|sessions? for|courses?|webinars?|workshops?|e-?learning|briefings?|"
    r"toolkit|conference)\b")


def hypothetical(text: str, start: int, end: int | None = None) -> bool:
    """"report any concerns about abuse", "if she goes missing", "county lines awareness sessions for staff":
    not a fact about this child."""
    if _HYPOTHETICAL.search(text, clause_start(text, start), start):
        return True
    return end is not None and bool(_ABOUT_A_COURSE.match(text, end))


# Negated verbs of absence ("has not been seen since she ran away") negate nothing that follows.
_ABSENCE = re.compile(
    r"(?i)\b(not|n't|never|cannot|can't|couldn't)\s+(been\s+|be\s+)?(seen|heard|returned|attended|attending|answer\w*|"
    r"respond\w*|replied|in touch|at school|in school|known where|know where|knows where|found|located|traced|"
    r"able to|contactable|reachable)|\bno(\s+|-)(one|body|idea|contact|answer|response|reply|school|trace|fixed)|\bnobody")
_AFTER_NEGATION = re.compile(
    r"(?i)[^.;\n]{0,40}?\b(ruled out|unfounded|unsubstantiated|not substantiated|no longer a (concern|risk)|"
    r"not a (concern|risk))")


def negated(text: str, start: int, end: int) -> bool:
    """True when the words at text[start:end] are negated within their clause."""
    window = _ABSENCE.sub(" ", text[clause_start(text, start):start])
    return bool(_NEGATOR.search(window)) or bool(_AFTER_NEGATION.match(text, end))


_UNTIL_YEAR = re.compile(r"(?i)^[^.;\n]{0,15}?\buntil\b[^.;\n]{0,20}?\b(19|20)\d\d\b")
_PARENTHESIS = re.compile(r"\s*\([^()\n]{0,40}\)")
# A concern named as the category of a plan or register entry: "CP plan (neglect)", "under the category of abuse".
_PLAN_CATEGORY = re.compile(r"(?i)\b(plan|conference|register(ed)?)\s*(\(\s*|[^.;\n()]{0,15}\bcategor(y|ies)( of)?\s*:?\s*)$")


def _ended(text: str, end: int, past_before: bool = True) -> bool:
    """"CP plan ended in 2024", "was on a plan (neglect) until 2024": the status is in the past."""
    after = text[end:end + 100]
    skip = _PARENTHESIS.match(after)
    if skip:
        after = after[skip.end():]
    return bool(_ENDED.search(after[:60]) or _UNTIL_YEAR.search(after)) or past_before and bool(
        re.search(r"(?i)\b(previously|formerly|was previously|had been|historically|in the past|(was|were) on)\b"
                  r"[^.;\n]{0,30}$", text[max(0, end - 80):end].split(".")[-1])
    )


def _plan_category_ended(text: str, start: int, end: int) -> bool:
    """A concern written as the category of a plan whose status is past: "was on a CP plan (neglect) until 2024"."""
    window = max(0, start - 60)
    lead = _PLAN_CATEGORY.search(text[window:start])
    if not lead:
        return False
    close = text.find(")", end, end + 40) if "(" in lead.group(3) else -1
    after = close + 1 if close >= 0 else end
    return _ended(text, after, past_before=False) or _ended(text, window + lead.end(1), past_before=True)


# --- the phrases -----------------------------------------------------------------------------
_P = lambda s: re.compile(r"(?i)\b(?:" + s + r")")  # noqa: E731

_WHO = r"(her|him|them|me|the (child|children|boy|girl|kids?)|\w+)"
_ADULT_MALE = r"(\d{2}[- ]?(year[- ]?old|yo)|older|adult|grown) (men|man|males?|boyfriend|friend)"
RULES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("sexual_exploitation", _P(
        r"sexual(ly)? exploit\w*|\bCSE\b|groom(ed|ing)\b|older boyfriend|sexting|indecent images|"
        r"nude (images|photos|pictures)|send(ing)? nudes|sextortion|prostitut\w*|(being )?(sold|traded) for sex|"
        r"(older|adult) (men|males) (giving|buying|picking|contacting|messaging)|"
        r"(picking|picked|pick|collecting|collected) (her|him|them) up[^.]{0,60}\b(older|adult|unknown) (men|males?|man)|"
        r"(older|adult|unknown) (men|males|man)[^.]{0,40}\b(picking|picked|collect\w*|cars?)\b|"
        r"(get|gets|got|getting) into (a |the )?cars? with (an? )?(older |unknown |adult )?(men|man|males?)|"
        r"(picked up|collected|driven) (by|in) (an )?(older|unknown|different) (men|males?|man|adults?)|"
        r"(gifts|money|phones?|alcohol)[^.]{0,40}from (older|unknown) (men|males?|adults?)|"
        r"(staying|stays|stayed|sleeping|sleeps|slept|spending (the )?nights?)[^.]{0,40}\b" + _ADULT_MALE + r"|"
        r"(flat|house|home|car) of (a|an) " + _ADULT_MALE + r"|"
        r"(sending|sent|send|sends|shared|sharing|share) (\w+ )?(pictures|photos|images|videos|pics)( of (herself|himself|themselves))? "
        r"to (a |an )?(man|men|adults?|older|someone|strangers?|people)|(man|men|adults?|someone|stranger|boy)s? (she|he|they) "
        r"(met|had met|has met|have met|was talking to|has been talking to|is talking to) online|asked (her|him) to meet (him|them|up)\b|"
        r"(car|van|vehicle)s? (driven|owned) by (an? )?(older |unknown |adult |different )?(men|man|males?|adults?)\b|"
        r"boyfriend[\"\u201d'\u2019]? (who is |who's |is |aged |in his )(early |mid |late )?(1[89]|[2-5]\d|twenties|thirties|forties)\b|"
        r"(man|men|males?) (aged |in (his|their) )(early |mid |late )?([2-5]\d|twenties|thirties|forties)\b")),
    ("criminal_exploitation", _P(
        r"criminal(ly)? exploit\w*|(?<!sexual )(?<!sexually )exploit(ed|ation)\b|\bCCE\b|county lines?|cuckoo(ed|ing)|"
        r"drug (running|dealing|debt|line)|(running|dealing|selling|sell|sells|sold|deal|deals|carrying|holding) "
        r"(drugs|cannabis|weed|class a|crack|heroin)|(made|forced|told|asked|used) to (sell|carry|deliver|hold|run)|"
        r"carrying (a knife|knives|weapons?|a machete)|gang (involvement|affiliated|activity|members?)|"
        r"involved (with|in) (a )?gangs?|trap house|plugging|large (amount|sums?) of (cash|money)|"
        r"(two|2|several|multiple|different) (mobile )?phones|class a|"
        r"(supply|supplying|supplies|supplied) (of )?(drugs|class a|cannabis|crack|heroin|cocaine)|"
        r"(a |an )?(second|extra|spare|burner|another|new) (mobile|phone|handset)s?\b(?! (number|contract))[^.]{0,40}"
        r"\b(would|will|could|can|cannot|won't|wouldn't|couldn't|can't|did not|didn't|refuse\w*) (not )?(explain|account for|say)|"
        r"burner phones?|\bwraps\b|deal bags|(possession|possessing) (of )?(an? )?(knife|knives|weapons?|blade|machete|drugs|"
        r"cannabis|cocaine|heroin|crack|class a)|(seen|caught|arrested|charged|stopped)\b[^.]{0,25}\b(dealing|supplying)|unexplained (cash|money|gifts|phones?|mobiles?|trainers|clothes|items)|"
        r"(cash|money|gifts|trainers|clothes)[^.]{0,25}\b(he|she|they) (would|will|could|can)(n't| not) (explain|account for)")),
    ("abuse", _P(
        r"physical(ly)? abus\w*|emotional(ly)? abus\w*|sexual(ly)? abus\w*|(child|sexual) abuse|"
        r"(being|been|was|were|is|are|get|gets|got) (hit|beaten|hurt|assaulted|punched|kicked|slapped|strangled|burn(ed|t)|raped)|"
        r"(hit|hits|hitting|beat|beats|beating|punch\w*|kick(s|ed|ing)|slap\w*|strangl\w*|assault(s|ed|ing)) "
        r"(her|him|them|me|the (child|children|boy|girl|kids?))\b|"
        r"touch(es|ed|ing) (her|him|them|me)\b(?! base)|\brape[ds]?\b|sexual(ly)? assault\w*|"
        r"bruis(e|es|ing)|non-accidental injur\w*|disclos(ed|ure)[^.]{0,30}(abuse|hit|hurt|touch)|"
        r"section 47|\bs\.? ?47\b|in (immediate )?danger|(gives?|gave|giving) (her|him|them|me) (a )?(beating|hiding|good hiding|kicking)|"
        r"(marks?|bruises?|welts|scratches|injur\w+) (on|to|around) (her|his|their) (neck|face|throat|eyes?|back|arms?|legs?|body|head)"
        r"(?![^.]{0,12}\b(from|due to|caused by|after|because of) (eczema|a fall|falling|football|sport|rugby|an accident|"
        r"(a |her |his )?bike|play\w*|a rash))|locked (in|up)|not allowed (out|to leave)|"
        r"threat(s|ened) to (kill|harm|hurt)|(scared|afraid|frightened) (to go home|of (her|his) (dad|father|mum|mother|"
        r"step\w+|uncle|brother|parents?))")),
    ("neglect", _P(
        r"neglect(ed|ful)?\b|left alone|left (home )?unsupervised|home alone|no food|(hungry|unwashed|unkempt|malnourished)|"
        r"(house|home|flat|property) (is|was) (filthy|dirty|squalid|unhygienic|unsafe)|filthy|head lice|"
        r"no (heating|electricity|beds?)\b|nothing (to eat|in the (cupboards?|fridge))|"
        r"(asking|begging|ask|asks|asked|beg|begs|begged) (\w+ )?(for|neighbours for) (food|bread|something to eat|money for food)|"
        r"no (shoes|coat|socks)\b[^.]{0,30}\b(cold|freezing|snow|rain|winter)|"
        r"(cold|freezing|snow|rain|winter)[^.]{0,30}\b(no|without) (shoes|coats?|socks)|"
        r"(nobody|no one|no-one|not been|never been|hasn't been|has not been)( has)? (taken|took) (him|her|them) to (a |the )?"
        r"(doctor|gp|hospital|dentist)|(untreated|infected) (burns?|wounds?|injur\w+)")),
    ("domestic_abuse", _P(
        r"domestic (abuse|violence|incidents?)|a domestic\b|\bDV\b|\bDA\b (incident|concerns?)|"
        r"(fleeing|fled) (from )?(a |an )?(violent|abusive)|refuge\b|MARAC|coercive|controlling|"
        r"violent (partner|relationship|father|husband|boyfriend|ex)|(violence|abuse) (from|by) (her|his|their|the|mum's|mother's) "
        r"(husband|partner|father|dad|stepfather|step-?dad|ex|boyfriend)|safe house|(fled|fleeing|escaped|escaping) "
        r"(from )?(him|her (husband|partner)|the (father|perpetrator))|perpetrator|non-molestation|restraining order|"
        r"(dad|father|step-?dad|stepfather|partner|boyfriend|husband) (hits|hit|beats|beat|assaulted|attacked|threatens|threatened) "
        r"(mum|her mother|his mother|the mother|mother|his wife|his partner)|scared of (him|her partner|his partner|dad)")),
    ("radicalisation", _P(
        r"radicali[sz]\w*|extremis[tm]\w*|(?-i:Prevent\b)(?! (duty|lead|strategy|programme|training)\b)|"
        r"Channel (panel|referral)|terroris[tm]\w*|(travel|going|gone) to (Syria|Iraq|a conflict zone)|"
        r"far[- ]right|jihad\w*|\bISIS\b|Daesh|al[- ]Qaeda|support(s|ed|ing)? (for )?violence|"
        r"(banned|proscribed|terrorist) (organi[sz]ation|group|movement)s?|(fight|die|kill|martyr\w*) for (the|their|a|our) "
        r"(cause|faith|brothers|caliphate|race)|(go|going|travel\w*|went) (abroad |overseas )?to (fight|join (the )?(fighters|them))")),
    ("trafficking", _P(
        r"traffick\w*|modern slavery|\bNRM\b|National Referral Mechanism|"
        r"not (their|her|his) (real |actual |birth )?(parents?|mother|father|family)|"
        r"debt bondage|forced (labour|to work)|unaccompanied asylum|domestic servitude|"
        r"(passport|documents|papers)[^.]{0,20}(taken|withheld|kept|confiscated)|"
        r"(takes?|taken|took|holds?|holding|keeps?|kept) (her|his|their) (passport|documents|papers)|"
        r"(does|doing|do) all the (housework|cooking|cleaning)|"
        r"(cleans?|cleaning|cooks?|cooking|looks? after|looking after)\b[^.]{0,30}\b(all day|all night|long hours|every day)|"
        r"(papers|passport|documents|\bID)\b[^.]{0,12}\b(are|is) (with|held by|kept by) (him|her|them|the (man|woman|adults?))|"
        r"(said|says|claims?|claimed|claiming) (that )?(he|she) (was|is) (her|his) (uncle|aunt|father|mother|cousin|brother|sister)"
        r"\b[^.]{0,40}\b(but|could ?n[o']t|unable|did ?n[o']t know)|working (long hours|in a (car wash|nail bar|"
        r"restaurant|takeaway|factory|shop))")),
    ("forced_marriage", _P(
        r"forced marriage|Forced Marriage Unit|(married|marry|marriage) (off|abroad)|"
        r"(taken|sent|go|going) (abroad|overseas|back home)? ?to (be )?marr(y|ied)|"
        r"(taking|take|taken|sending|send|sent) (her|him) (abroad|overseas|to \w+)[^.]{0,30}marr\w+|"
        r"arranged (a )?marriage|(get|gets|getting|be|being) married (to|abroad|overseas|when|during|in (\w+ )?"
        r"(pakistan|bangladesh|india|afghanistan|somalia|yemen|iraq|the summer|the holidays))|(is )?engaged to|"
        r"(marry|married) (a |an |her |his )?(cousin|older|relative)|wedding (abroad|overseas)|"
        r"(honour|honor)[- ]based (abuse|violence)|"
        r"(found|chosen|picked|arranged|promised) (someone|a husband|a wife|a man|a match|a partner|a groom|a bride)[\"\u201d'\u2019]? for (her|him)\b|"
        r"promised (her|him) (to|in marriage)|(husband|wife|groom|bride) (she|he) (had )?(met|saw|meets) (for the first time|"
        r"only once|at the wedding)|(a )?(husband|wife) (has been|was|had been) (chosen|found|picked|arranged)")),
    ("fgm", _P(
        r"\bFGM\b|female genital mutilation|circumcis\w*|(be|being|get) cut\b|"
        r"(ceremony|procedure|operation|celebration|ritual|party|tradition) (to|that will|which will|so she can) "
        r"(become|make her|turn her into) (a |an )?(proper |real |true |grown )?(woman|girl|clean|pure)|"
        r"make her (clean|pure|a (proper|real|true) (girl|woman))|(initiation|coming[- ]of[- ]age|cutting) ceremony|"
        r"\b(sunna|khatna|khitan|tahara|bondo)\b|"
        r"(?<!self-harm )(?<!self harm )\bcutting\b(?! (her |his |their )?(own )?(hair|class|lessons?|back|down|off|"
        r"school|ties|contact|edge|out|arms?|wrists?|legs?|herself|himself)\b)")),
    ("missing_from_home", _P(
        r"missing from (home|care|(her|his|their) placement|placement)|"
        r"missing (person|episodes?|overnight|for \w+ (days|nights))|"
        r"reported (her |him |them )?(as )?missing( to (the )?police)?|"
        r"(ran|run|running) away|runaway|absconded|sofa[- ]surfing|sleeping rough|"
        r"has been missing|went missing|gone missing|go missing|going missing|goes missing|"
        r"(not|never|\w+n't) (been |returned |come |came |gone |went )?(back )?home(?![- ]?(educat|school|tutor|visit|office|address))|(stayed|staying|stays) out (all night|overnight)|"
        r"out all night|missing again|(police )?missing (person )?report|"
        r"(not|never|\w+n't) (slept|sleeping|sleep|stayed|staying|stay) (at|in) (home|the placement|(her|his|their) (placement|home|bed))|"
        r"(walked|stormed|ran|run|running|went) (out|off) (of|from) (the|her|his|their) (placement|foster (home|placement)|children'?s home|home)|"
        r"(not|never|\w+n't) (come|came|been|gone|returned) back (to (the|her|his|their) )?(placement|foster (home|carers?)|children'?s home|home)|"
        r"absent from (home|(her|his|their|the) (placement|foster home|children'?s home))|away from home overnight|"
        r"(stays?|stayed|staying|been) away (from home )?(overnight|for (\w+ )?(nights|days))|"
        r"(turns? up|comes? (back|home)|came (back|home)|returns?|returned) (\w+ )?(days|hours|nights) later|"
        r"(won't|will not|refuses? to|would not|wouldn't|doesn't|does not) (say|tell (us|anyone|her mum|his mum)) where (she|he|they) "
        r"(has|have|had|'s|'ve) been|\bAWOL\b|whereabouts (overnight|at night)|"
        r"(left|leaves|leaving) (the |her |his )?placement[^.]{0,40}(\bnot|n't) "
        r"(come|came|returned|been) back")),
    ("child_protection_plan", _P(
        r"child protection plan|\bCP plan|\bCPP\b|subject to (a )?(child )?protection|"
        r"on a plan (under|for)|child protection (category|conference)|\bon (a )?CPP?s?\b(?! (training|course))")),
    ("looked_after", _P(
        r"looked[- ]after|\bLAC\b|\bCLA\b|child(ren)? in care|in (local authority |foster )?care\b|"
        r"foster (carer|placement|care|parents?)|section 20|\bs\.? ?20\b|care order|"
        r"residential (placement|home)|children'?s home|virtual school")),
)
# Words that do not mean harm now although a phrase matches.
_NOT_HARM = re.compile(
    r"(?i)missing\s+(school|education|lessons?|learning|sessions?|classes|the\s+start\s+of\s+term|out|days|registration)|"
    r"missing\s+from\s+(school|lessons?|class(es)?|education|registration|the\s+(school\s+)?register)|"
    r"children\s+missing\s+education|\bCME\b|missing\s+pupil"
)


# Concerns that are about the child only when the child does it: an adult as the sentence's subject
# ("Dad was arrested for dealing") is not the child's exploitation, unless the adult is reporting.
_CHILD_ONLY = ("criminal_exploitation", "trafficking", "missing_from_home", "sexual_exploitation")
_ADULT_SUBJECT = re.compile(
    r"(?i)\W*((her|his|their|the|mum's|dad's) )?(mum|mother|dad|father|step-?dad|stepfather|step-?mum|stepmother|parents?|"
    r"carers?|partner|uncle|aunt|grand(parents?|mother|father|ma|pa|ad)|nan|landlord|adults?)\b(?![^.\n]{0,40}?\b(says?|said|told|"
    r"tells|reports?|reported|thinks|thought|believes?|believed|is worried|worries|mentioned|disclosed|explained|"
    r"claims?|claimed|fears?|feared|admits?|admitted)\b)(?![^.\n]{0,60}?\b(she|he|they|her|him|the (child|children|boy|girl))\b)")


def _sentence_start(text: str, at: int) -> int:
    """Where the sentence holding text[at] begins (looking back at most 200 characters)."""
    lo = max(0, at - 200)
    ends = [m.end() for m in re.finditer(r"[.!?](\s|$)|\n\s*\n|\n(?=\s*[-•*])", text[lo:at])]
    return lo + (ends[-1] if ends else 0)


_THREATENED = re.compile(r"(?i)\b(might|may|could|would|will|threaten(s|ed|ing)? to|wants? to|going to|talks? (about|of))"
                         r"[\"\u201c'\u2018]?\s*$")
_NO_ANSWER = re.compile(r"(?i)^\s*(no\b|n\s*$|none|not (known|applicable)|nil\b|n/?a\b|-\s*$|$|☐\s*yes\s*☒\s*no)")
_STATUS_FLAGS = ("child_protection_plan", "looked_after")


def _form_says_no(text: str, s: int, e: int, flag: str) -> bool:
    """The phrase is a form question or tick-box label whose answer is no or not given."""
    line_start = text.rfind("\n", 0, s) + 1
    line_end = text.find("\n", e)
    line_end = len(text) if line_end < 0 else line_end
    before, after = text[line_start:s], text[e:line_end]
    if re.search(r"[☐□❏]\s*$", before):
        return True  # an unticked box
    if re.search(r"[☒☑✓✔■]|\[x\]", before[-4:]):
        return False
    m = re.match(r"[^?|:]*[?|:]\s*[|:]?\s*(?P<ans>.*)$", after)
    if m:
        answer = m.group("ans")
        if re.search(r"(?i)☒\s*yes|^\s*yes\b", answer):
            return False
        return bool(_NO_ANSWER.match(answer)) or "?" in after[:m.start("ans")] and not answer.strip()
    if "?" in before:
        return True  # a question asked, not a fact stated
    bare = len(before.strip()) + len(after.strip()) <= 14
    return bare and flag in _STATUS_FLAGS


_QUOTED_GUIDANCE = re.compile(r"[\"“]([^\"”]{40,700})[\"”]")


def _quoted_guidance(text: str) -> list[tuple[int, int]]:
    spans = []
    for m in _QUOTED_GUIDANCE.finditer(text):
        lead = text[max(0, m.start() - 160):m.start()]
        if re.search(r"(?i)guidance|policy|statutory|kcsie|keeping children safe|working together|"
                     r"(says|states|reminds|notes|defines)\b|according to|procedures?", lead):
            spans.append(m.span())
    return spans


def _hits(p: Passage) -> Iterable[tuple[str, int, int]]:
    text = p.text
    quoted = _quoted_guidance(text[p.start:p.end])
    quoted = [(a + p.start, b + p.start) for a, b in quoted]
    for flag, pattern in RULES:
        for m in pattern.finditer(text, p.start, p.end):
            s, e = m.span()
            if any(a <= s < b for a, b in quoted):
                continue
            if flag == "missing_from_home":
                if _THREATENED.search(text, max(0, s - 40), s):
                    continue  # "says he might run away": a threat, not an episode
                at = text.lower().rfind("missing", s, e)
                if _NOT_HARM.match(text, s) or (at >= 0 and _NOT_HARM.match(text, at)):
                    continue
            if negated(text, s, e) or hypothetical(text, s, e) or _form_says_no(text, s, e, flag):
                continue
            if _ended(text, e, past_before=flag in _STATUS_FLAGS) or _plan_category_ended(text, s, e):
                continue
            if flag in _CHILD_ONLY and _ADULT_SUBJECT.match(text[_sentence_start(text, s):e]):
                continue  # "Dad works in a restaurant", "Mum was away from home overnight": not the child
            yield flag, s, e


def _bulk_mail(parsed: ParsedMessage) -> bool:
    """A mailing list or bulletin (List-* headers, bulk precedence): news and guidance, never one child's harm."""
    if any(parsed.header(h) for h in ("list-id", "list-unsubscribe", "list-post")):
        return True
    return (parsed.header("precedence") or "").strip().lower() in ("list", "bulk")


def assess(sources: ParsedMessage | Iterable[Passage | TextSource | str]
           ) -> tuple[bool, tuple[str, ...], list[tuple[str, str, int, int, str]]]:
    """(urgent, flags, evidence) from the message's own words.

    Evidence items are (flag, part, start, end, text). Boilerplate and disclaimers never count;
    quoted earlier messages count (an urgent thread stays urgent).
    """
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
    for p in items:
        if p.weight <= 0.0:
            continue
        for flag, s, e in _hits(p):
            evidence.append((flag, p.part, s, e, p.text[s:e]))
    flags = tuple(f for f in FLAGS if any(ev[0] == f for ev in evidence))
    return bool(flags), flags, evidence
