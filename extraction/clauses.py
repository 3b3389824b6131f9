"""The grammar of a clause that harm words are read in: wrapped lines, clause and sentence bounds, negation
("no concerns about"), supposition ("if she goes missing", training and policy), the past ("plan ended in 2024")
and form answers ("CP plan? No"). Pure functions over a text and character offsets."""
from __future__ import annotations

import re
from functools import lru_cache
from typing import Iterable

_NEGATOR = re.compile(
    r"(?i)\b(no|not|never|nor|without|none|neither|nobody|no-one|isn't|wasn't|aren't|weren't|don't|doesn't|didn't|"
    r"hasn't|haven't|no longer|ruled out|denies|denied|unfounded|nothing to suggest|no evidence|"
    r"nothing(?:[ \t]+(?:in|here|at all|in (?:this|it|that)))?[ \t]+(?:about|to do with|related to|to indicate)|"  # "nothing in this about exploitation"
    # the same written without the apostrophe, with a curly one, or as speech: "i aint saying she would hurt them"
    r"ain['’]?t|(?:is|was|are|were|do|does|did|has|have)n(?:’|)t)\b"
)
_CLAUSE_BREAK = re.compile(r"(?i)[.;:!?•|]|\b(but|and|because|although|however|so|who|which|while|whereas|as)\b")
_NEXT_LINE_STARTS_ANEW = re.compile(r"[ \t]*(\n|[-•*▪☐☒□]|\d+[.)]\s|[A-Z][\w'’/ ()&-]{0,40}[:|?])")


_ITEM_SEPARATOR = re.compile(r" [-–—|] |\t")


@lru_cache(maxsize=16)
def _wrap_width(text: str) -> int:
    """The width a hard-wrapped text was wrapped at: the 95th percentile of its line lengths (a long
    disclaimer or link line does not count; text that was never wrapped has long lines)."""
    lengths = sorted(len(line.rstrip()) for line in text.split("\n") if line.strip())
    return lengths[int(0.95 * (len(lengths) - 1))] if lengths else 0


def _hard_newline(text: str, at: int) -> bool:
    """A line break that ends a clause: after a short line, before a new item, or where the next line's
    first word would have fitted on this one (a list, not the wrap of prose)."""
    previous = text[text.rfind("\n", 0, at) + 1:at].strip()
    if len(previous) < 45 or _NEXT_LINE_STARTS_ANEW.match(text, at + 1):
        return True
    end = text.find("\n", at + 1)
    following = text[at + 1:end if end >= 0 else len(text)]
    if _ITEM_SEPARATOR.search(previous) and _ITEM_SEPARATOR.search(following):
        return True  # "Name – DOB – School" on this line and the next: the items of a list
    word = re.match(r"[ \t]*(\S*)", text[at + 1:at + 60])
    return len(previous) + 1 + len(word.group(1) if word else "") <= _wrap_width(text) - 8


def unwrap(text: str) -> str:
    """`text` with the line breaks of wrapped prose turned into spaces (same length, same offsets), so that
    phrases split over two lines of a plain-text email still match."""
    chars = list(text)
    for at, ch in enumerate(chars):
        if ch == "\n" and not _hard_newline(text, at):
            chars[at] = " "
    return "".join(chars)


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
# the next sentence says what came before is over: "That is historic", "This was resolved in 2024"
_ENDED_NEXT = re.compile(
    r"(?i)^[^.;\n]{0,60}[.;]\s+(that|this|it|which|all (of )?(that|this)|the plan|the order|these|those|they|the concerns?)"
    r"(( is| was| were| are| has been| have been|'s)( now| all| long| very much)?)?\s+"
    r"(historic(al)?|in the past|over|resolved|finished|behind (them|her|him|us)|no longer|closed|ended|dealt with)\b|"
    r"^[^.;\n]{0,60}[.;]\s+(?:[^.;]{0,80}\b(?:and|but) )?there (?:are|is|were|was) no (?:current|further|ongoing|longer any)\s+"
    r"(?:concerns?|risk|contact)")
_BUT_ENDED = re.compile(r"(?i)^(?:[^.;\n]|\n(?![ \t]*\n)){0,100}?\bbut (?:"
                       r"(?:this|that|it|the plan|the order)(?: plan)?\s+(?:has |had |was )?"
                       r"(?:ended|closed|stopped|ceased|came to an end|was (?:closed|ended|stepped down))|"
                       # "... he was discussed at panel in Feb 2025 but police closed it"
                       r"(?:the )?(?:police|social care|children['’]s services|they)\s+(?:have |had )?(?:closed|ended|NFA['’]?d)\s+"
                       r"(?:it|the case|the investigation|the referral))\b")
_ENDED = re.compile(
    r"(?i)^[^.;\n]{0,60}?\b(ended|closed|ceased|stepped down|was removed|came to an end|discharged|"
    r"no longer|finished|de-?registered|in the past|previously|historic(al)?|last (year|term|summer|spring|autumn|winter)|"
    r"(is|are) (now )?in prison|(was|has been) (jailed|imprisoned)|no (current|further|ongoing) concerns|"
    r"(now\s+)?serving\s+a\s+(prison\s+|custodial\s+)?sentence|"
    r"years? ago|in ((jan|febr)uary |march |april |may |june |july |august |(sept|nov|dec)ember |october |"
    r"((early|late|the) )?(spring|summer|autumn|winter) (of )?)?(19|20)\d\d|(is|are|has been|have been) now (well[ -])?(managed|controlled|settled)|(has|have) been (home|back) since|returned (home )?safe(ly)?|was found (safe|well)|"
    r"when (he|she|they) (was|were) (younger|little|small|a baby|\d+)|(has|have) (now )?(fully )?(recovered|healed)|"
    r"that was)\b"
)


_HYPOTHETICAL = re.compile(
    r"(?i)\b(any|if|whether|should|such as|e\.g\.?|for example|training(?! (him|her|them)\b)|policy|policies|procedures?|how to|how many|"
    r"assembl(y|ies)|lessons? (on|about)|an? talk (on|about)|guidance (on|about))\b")
# Without "should": in a child's own report ("they told him he should go and fight") it is the harm, not a rule.
_SPECULATIVE = re.compile(_HYPOTHETICAL.pattern.replace("|should|", "|"))


_ABOUT_A_COURSE = re.compile(
    r"(?i)[^.;,\n]{0,40}?\b(awareness|training|sessions? for|courses?|webinars?|workshops?|e-?learning|briefings?|"
    r"toolkit|assembl(y|ies))\b")


# a risk weighed, not found: "our DSL considered the risk of FGM and forced marriage when the leave was requested"
_WEIGHED = re.compile(r"(?i)\b(?:consider(?:ed|s|ing)?|assess(?:ed|es|ing)?|weigh(?:ed|s|ing)?|look(?:ed)? at|explored?)[ \t]+"
                      r"(?:the[ \t]+)?(?:risks?|possibility)[ \t]+of\b[^.;!?\n]{0,60}$")


def hypothetical(text: str, start: int, end: int | None = None, strict: bool = True) -> bool:
    """"report any concerns about abuse", "if she goes missing", "county lines awareness sessions for staff",
    "considered the risk of FGM and forced marriage": not a fact about this child. `strict=False` lets "should"
    stand ("told him he should travel to fight")."""
    if (_HYPOTHETICAL if strict else _SPECULATIVE).search(text, clause_start(text, start), start):
        return True
    if _WEIGHED.search(text, sentence_start(text, start), start):
        return True
    return end is not None and bool(_ABOUT_A_COURSE.match(text, end))


# Negated verbs of absence ("has not been seen since she ran away") negate nothing that follows.
_ABSENCE = re.compile(
    r"(?i)\b(not|n't|never|cannot|can't|couldn't)\s+(been\s+|be\s+)?(seen|heard|returned|attended|attending|answer\w*|"
    r"respond\w*|replied|in touch|at school|in school|known where|know where|knows where|found|located|traced|"
    r"able to|contactable|reachable)|\bno(\s+|-)(idea|contact|answer|response|reply|school|trace|fixed)|"
    # "nobody has seen her since she ran away" negates the seeing; "nobody is hurting them" negates the harm
    r"\b(?:no(?:\s+|-)one|nobody)\b(?=(?:\s+\w+){0,2}?\s+(?:seen|heard|saw|knows?|knew|answer\w*|respond\w*|replied|"
    r"found|located|traced|contact\w*|came|come|opened|been in|been at|been home|home|in\b))")
_AFTER_NEGATION = re.compile(
    r"(?i)[^.;\n]{0,40}?\b(ruled out|unfounded|unsubstantiated|not substantiated|no longer a (concern|risk)|"
    r"not a (concern|risk)|found no (grounds|evidence|concerns?)|no further action|NFA)\b")


def negated(text: str, start: int, end: int) -> bool:
    """True when the words at text[start:end] are negated within their clause."""
    window = _ABSENCE.sub(" ", text[clause_start(text, start):start])
    return bool(_NEGATOR.search(window)) or bool(_AFTER_NEGATION.match(text, end))


_UNTIL_YEAR = re.compile(r"(?i)^[^.;\n]{0,15}?\buntil\b[^.;\n]{0,20}?\b(?:(19|20)\d\d\b|(?:moving|they moved|we moved|"
                         r"being rehoused|rehoused|they were rehoused)\b)")  # "sofa-surfing until moving in October"
_PARENTHESIS = re.compile(r"\s*\([^()\n]{0,40}\)")
# A concern named as the category of a plan or register entry: "CP plan (neglect)", "under the category of abuse".
_PLAN_CATEGORY = re.compile(r"(?i)\b(plan|conference|register(ed)?)\s*(\(\s*|[^.;\n()]{0,15}\bcategor(y|ies)( of)?\s*:?\s*)$")


_BACKGROUND = re.compile(r"(?i)\bfor (background|context|completeness|info|information)( only)?\s*[:,-][^.;\n]{0,160}$")
_PAST_OR_GENERAL = re.compile(r"(?i)\b(general|generally|years ago|last year|previous|former|formerly|historic(al)?|"
                              r"resolved|in the past|no (information|evidence|concerns?)|not (current|related))\b")


# "reported missing for one night; he returned the following morning ... and the episode was closed"
_EPISODE_CLOSED = re.compile(r"(?i)\b(?:the|that|this) (?:episode|incident|investigation|enquiry|matter)\s+(?:was|has been|is now)\s+"
                             r"(?:closed|resolved|concluded|closed down)\b")


def _sentence_around(text: str, at: int) -> str:
    stop = re.search(r"[.!?](\s|$)|\n\s*\n", text[at:])
    return text[sentence_start(text, at):at + stop.start() if stop else len(text)]


def ended(text: str, end: int, past_before: bool = True) -> bool:
    """"CP plan ended in 2024", "was on a plan (neglect) until 2024": the status is in the past."""
    after = text[end:end + 100]
    skip = _PARENTHESIS.match(after)
    if skip:
        after = after[skip.end():]
    if _ENDED_NEXT.match(after) or _BUT_ENDED.match(text[end:end + 140]):
        return True  # "... fleeing domestic abuse in Kent. That is historic."; "..., but this ended in March"
    if _BACKGROUND.search(text[max(0, end - 200):end].split(". ")[-1]) and _PAST_OR_GENERAL.search(
            _sentence_around(text, end)):
        return True  # "For context only: we have a general issue with county lines around the bus station"
    if _EPISODE_CLOSED.search(_sentence_around(text, end)):
        return True  # the episode the harm words tell of is closed
    return bool(_ENDED.search(after[:60]) or _UNTIL_YEAR.search(after)) or past_before and bool(
        re.search(r"(?i)\b(previously|formerly|was previously|had been|historically|in the past|(was|were) on)\b"
                  r"[^.;\n]{0,30}$", text[max(0, end - 80):end].split(".")[-1])
    )


def plan_category_ended(text: str, start: int, end: int) -> bool:
    """A concern written as the category of a plan whose status is past: "was on a CP plan (neglect) until 2024"."""
    window = max(0, start - 60)
    lead = _PLAN_CATEGORY.search(text[window:start])
    if not lead:
        return False
    close = text.find(")", end, end + 40) if "(" in lead.group(3) else -1
    after = close + 1 if close >= 0 else end
    return ended(text, after, past_before=False) or ended(text, window + lead.end(1), past_before=True)


def sentence_start(text: str, at: int) -> int:
    """Where the sentence holding text[at] begins (looking back at most 200 characters)."""
    lo = max(0, at - 200)
    ends = [m.end() for m in re.finditer(r"[.!?](\s|$)|\n\s*\n|\n(?=\s*[-•*])", text[lo:at])]
    return lo + (ends[-1] if ends else 0)


_SENTENCE_END = re.compile(r"[.!?](?=\s|$)|\n\s*\n|\n(?=\s*([-\u2022*]|\d+[.)]\s))")


def sentences(flat: str, start: int, end: int) -> Iterable[tuple[int, int]]:
    """The sentences of flat[start:end] (wrapped lines already joined), as (start, end)."""
    at = start
    for m in _SENTENCE_END.finditer(flat, start, end):
        if "\n" in m.group(0) or m.group(0) != "." or not re.search(r"(?i)\b(approx|no|e\.g|i\.e|mr|mrs|ms|dr|st)$",
                                                                    flat[max(at, m.start() - 6):m.start()]):
            yield at, m.end()
            at = m.end()
    if at < end:
        yield at, end


_NO_ANSWER = re.compile(r"(?i)^\s*(no\b|n\s*$|none|not (known|applicable|currently|now)|nil\b|n/?a\b|-\s*$|$|"
                        r"previously\b|in the past\b|historic(al)?\b|no longer\b|"  # "Previously - CIN plan closed 2024"
                        r"(?:[☐□❏]|\[ ?\]|\( ?\))\s*$|"  # "Looked After Child | ☐": the box left unticked
                        r"(?:☐|□|\[ ?\]|\( ?\))\s*yes\s*(?:☒|☑|✓|✔|■|\[x\]|\(x\))\s*no\b|"  # "[ ] Yes [x] No"
                        r"yes\s*(?:☐|□|\[ ?\]|\( ?\))\s*no\s*(?:☒|☑|✓|✔|■|\[x\]|\(x\)))")  # "Yes [ ] No [x]"


_TICKED_LINE = re.compile(r"^[ \t]*(?:[Xx✓✔☒☑■]|\[[xX✓]\])[ \t]+\S")


def _unticked_option(text: str, line_start: int, line_end: int) -> bool:
    """The line is one short option of a tick-box list whose chosen option is marked on another line ("X No known
    safeguarding concerns") and whose other options lost their empty boxes when the form was turned into text."""
    line = text[line_start:line_end]
    if _TICKED_LINE.match(line) or not line.strip() or len(line.split()) > 8 or line.rstrip().endswith("."):
        return False
    start = text.rfind("\n\n", 0, line_start)
    stop = text.find("\n\n", line_end)
    above = text[max(start, 0):line_start].split("\n")[:-1][-6:]  # the lines of its paragraph around it
    below = text[line_end + 1:len(text) if stop < 0 else stop].split("\n")[:6]
    near = above + below
    return any(_TICKED_LINE.match(ln) and len(ln.split()) <= 9 for ln in near)


_QUESTION = re.compile(r"[ \t]*(?P<q>[^?|:\n]{3,80}?)[ \t]*\??[ \t]*[|:]")


def _field_answers_no(text: str, line_start: int, line_end: int) -> bool:
    """The question on this line is answered "No" on another line of the same text: a fillable PDF's own fields
    ("Form fields: ... Child protection plan: No") under the printed page's "Child protection plan? | Yes"."""
    m = _QUESTION.match(text, line_start, line_end)
    if m is None:
        return False
    answered = re.compile(rf"(?im)^[ \t]*{re.escape(m.group('q').strip())}[ \t]*\??[ \t]*:[ \t]*(?:no|n|false|off)[ \t]*$")
    return any(a.start() != line_start for a in answered.finditer(text))


def form_says_no(text: str, s: int, e: int, status: bool = False) -> bool:
    """The phrase is a form question or tick-box label whose answer is no or not given."""
    line_start = text.rfind("\n", 0, s) + 1
    line_end = text.find("\n", e)
    line_end = len(text) if line_end < 0 else line_end
    before, after = text[line_start:s], text[e:line_end]
    bare = len(before.strip()) + len(after.strip()) <= 14  # the phrase alone on its line: a form's label
    stop = re.search(r"[.!](?=\s)", after)  # a question in a later sentence is not this phrase's
    after = after[:stop.start()] if stop else after
    stop = None
    for stop in re.finditer(r"[.!]\s", before):
        pass
    before = before[stop.end():] if stop else before
    if re.search(r"(?:[☐□❏]|\[ ?\]|\( ?\))\s*$", before):
        return True  # an unticked box, drawn or typed: "☐ Looked after", "[ ] Looked after"
    if re.search(r"[☒☑✓✔■]|\[x\]", before[-4:]):
        return False
    if _unticked_option(text, line_start, line_end):
        return True  # "Child Protection Plan" over "X No known safeguarding concerns": the option not chosen
    if _field_answers_no(text, line_start, line_end):
        return True  # a fillable PDF's field says "No" where its printed page shows the option "Yes"
    m = re.match(r"[^?|:]*[?|:]\s*[|:]?\s*(?P<ans>.*)$", after)
    if m:
        answer = m.group("ans")
        if _NO_ANSWER.match(answer):
            return True
        if re.search(r"(?i)☒\s*yes|^\s*yes\b", answer):
            return False
        return "?" in after[:m.start("ans")] and not answer.strip()
    if "?" in before:
        # a question asked, not a fact stated, unless answered yes: "Any concerns? Yes - she disclosed ..."
        return not re.match(r"(?i)\s*(yes\b|y\b|[\u2612\u2611\u2713\u2714]|\[x\])", before[before.rfind("?") + 1:])
    return bare and status
