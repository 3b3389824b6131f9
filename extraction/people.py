"""People's names and relationships: cleaning a name as written, splitting it, and relationship words.

Owns: titles dropped, "SURNAME, Forename" turned round, trailing notes ("(mother)", "- 07700...")
cut off, names told apart from non-names ("Not known", "N/A"), relationship words normalised.
"""
from __future__ import annotations

import re

from config import phrasebook

TITLES = {"mr", "mrs", "ms", "miss", "mx", "dr", "master", "prof", "pc", "dc", "ds", "sgt", "rev", "cllr",
          # ranks, written before a serving parent's name: "Corporal Samuel Kamara", "LCpl Example"
          "corporal", "cpl", "lcpl", "sergeant", "serjeant", "ssgt", "pte", "private", "captain", "capt", "major", "maj",
          "lieutenant", "lt", "colonel", "col", "sapper", "gunner", "rifleman", "trooper", "signaller", "craftsman",
          # a faith leader's: "Imam Yusuf Qureshi", "Pastor Dan Example"
          "imam", "reverend", "revd", "pastor", "rabbi", "canon"}
RELATIONSHIPS: dict[str, str] = phrasebook.relationships()  # config/relationships.csv
RELATION_WORDS = sorted(RELATIONSHIPS, key=len, reverse=True)
RELATION_PATTERN = r"(?:" + "|".join(re.escape(w) for w in RELATION_WORDS) + r")"
GRANDCHILD = r"grand[ -]?(?:sons?|d?aughters?|child(?:ren)?|kids)"  # "granddaughter", "grandaughter", "grand-son"
_EMPTY = re.compile(r"(?i)^\W*(?:n/?a|none|not known|unknown|not given|not answered|\(not answered\)|"
                    r"tbc|nil|no|-+|_+|click or tap here.*|not applicable|(?:i )?(?:don['’]?t|do not) know|not sure|unsure|no idea|"
                    r"dunno|\?+)\W*(?:\([^()]*\)\W*)?$")  # "not known (I only know mum)"
_NAME_WORD = re.compile(r"^[A-ZÀ-ÖØ-ÞŠŽĆČŞŢȚĂÂÎŁŚŹŻ][\w'’.\-]*$|^(?:de|van|von|der|da|del|la|le|bin|al|el|ul|o')$",
                        re.UNICODE)
_CUT = re.compile(r"\s*(?:\(|\[|,\s*(?:mobile|tel|phone|mob|email|dob|d\.o\.b|born|aged?)\b|\s[-–—]\s|\bon\s+0|"
                  r"\b(?:mobile|tel|phone|mob|email|dob)\b\s*[:.]?|\s0\d|\s\+44|;|/)", re.I)


_NOT_PERSON = {"school", "office", "team", "council", "admin", "administration", "reception", "services", "service",
               "academy", "college", "department", "hub", "trust", "unit", "centre", "center", "inbox", "enquiries",
               "attendance", "safeguarding", "police", "constabulary", "nhs", "county", "borough", "city", "group",
               "forms", "online", "notifications", "noreply", "no-reply", "mash", "primary", "junior", "infant",
               # shared mailboxes: "Pupil Tracing", "Education Access", "Safeguarding Bulletin"
               "tracing", "access", "education", "admissions", "inclusion", "welfare", "bulletin", "newsletter",
               "news", "digest", "updates", "alerts", "info", "information", "mailbox", "helpdesk", "desk",
               "support", "portal", "system", "partnership"}


def is_empty(value: str) -> bool:
    """True for a form's explicit non-answers ("N/A", "Not known", "(not answered)", placeholders)."""
    return not value.strip() or bool(_EMPTY.match(value.strip()))


_PARTNER_OF = re.compile(r"\b(?:mother|mum|mummy|father|dad|daddy|parent)['’]?s (?:new )?(?:partner|boyfriend|girlfriend|"
                         r"husband|wife|fianc[eé]e?)\b")


def relationship_of(text: str) -> str | None:
    """The contract relationship a word or phrase names ("Mum" -> "mother"), or None."""
    t = re.sub(r"\s+", " ", text.strip().lower().strip("().,:;"))
    if _PARTNER_OF.search(t) and not re.search(r"\bstep", t):
        return "other"  # "Mother's partner", "mum's boyfriend": the partner, not the parent named before the 's
    if t in RELATIONSHIPS:
        return RELATIONSHIPS[t]
    m = re.search(r"\b(" + RELATION_PATTERN + r")\b", t)
    return RELATIONSHIPS[m.group(1)] if m else None


_POSTNOMINALS = {"RN", "RGN", "RMN", "RSCN", "SRN", "SCPHN", "RM", "MBE", "OBE", "CBE", "BSc", "BA", "MA", "MSc",
                 "PhD", "PGCE", "QTS", "NPQH", "NPQSL", "DipSW", "RSW", "MRCGP", "MBBS", "FRCP", "BEd", "MEd",
                 "LLB", "SENCo", "Hons", "(Hons)", "NASENCO", "CPO", "PO", "WO1", "WO2", "RNR"}  # ... and naval ranks


_SIGN_OFF_LEAD = re.compile(r"(?i)(?:many[ \t]+|kind[ \t]+|best[ \t]+)?(?:thanks|thank[ \t]*you|thx|cheers|regards|wishes)"
                            r"\b[ \t,!.]*")


def clean_name(raw: str) -> tuple[str, int, int] | None:
    """The person's name in `raw` (a form value or a phrase) as (name, start, end) in `raw`.

    Cuts notes after the name, drops titles, turns "SURNAME, Forename" and "SURNAME Forename" round; None when `raw`
    holds no plausible name.
    """
    if is_empty(raw):
        return None
    m = _CUT.search(raw)
    head = raw[:m.start()] if m and m.start() > 0 else raw
    start = len(head) - len(head.lstrip())
    head = head.strip().rstrip(",.;:-–")
    lead = _SIGN_OFF_LEAD.match(head)
    if lead and lead.end() < len(head):  # "Thanks Karen": a sign-off and the name on one line
        start += lead.end()
        head = head[lead.end():]
    while len(head.split()) > 2 and head.split()[-1].strip(".,()") in _POSTNOMINALS:
        head = head[:head.rstrip().rfind(" ")].rstrip(" ,")  # "Ruth Kimber RN SCPHN": letters after a name
    end = start + len(head)
    words = head.split()
    while words and words[0].lower().rstrip(".") in TITLES:
        start = raw.index(words[1], start) if len(words) > 1 else end
        words = words[1:]
    if not words:
        return None
    text = raw[start:end]
    if "," in text and len(text.partition(",")[0].split()) > 1 and not text.partition(",")[0].strip().isupper():
        text = text.partition(",")[0].rstrip()  # "Paul Green, Assistant Head, Larchfield School"
        end = start + len(text)
        words = text.split()
    if len(words) > 5:
        return None
    if "," in text:
        last, _, first = text.partition(",")
        first_words = [w for w in first.split() if w.lower().rstrip(".") not in TITLES]
        if len(last.split()) == 1 or last.strip().isupper():  # SURNAME, Forename
            if not first_words or len(first_words) > 3:
                return None
            name = " ".join(first_words) + " " + last.strip()
        else:  # "Name Surname, role"
            end = start + len(last.rstrip())
            name = last.strip()
    else:
        name = " ".join(words)
        caps = [w.isupper() and len(w.strip(".,'’-")) > 1 for w in words]
        if len(words) > 1 and caps[0] and not any(caps[1:]):  # "CHEUNG Wing Yan": the surname first, in capitals
            name = " ".join(words[1:] + words[:1])
    if not all(_NAME_WORD.match(w) for w in name.split()):
        return None
    if any(w.lower().strip(".,") in _NOT_PERSON for w in name.split()):
        return None  # "Larchfield School Office", "CME Team"
    if len(name.split()) == 1 and len(name) < 2:
        return None
    return name, start, end


# a child's kin word written with a capital before the name ("my Grandson CHARLIE WEEKS"): no part of the name
KIN_BEFORE_NAME = re.compile(r"(?i)(?:(?:step|foster|adopted|great[- ]?)?(?:grand)?(?:son|daughter|child)|nephew|niece|"
                             r"(?:step|half|little|baby|big|older|younger)?[- ]?(?:brother|sister)|cousin)[ \t]+(?=\S)")


def without_kin_word(raw: str, before: str = "") -> str:
    """`raw` without a kin word before the name, when the text `before` it makes it one ("my Grandson Charlie
    Weeks") or the name after it is in capitals ("Grandson CHARLIE WEEKS"); "Son Nguyen" keeps its given name."""
    m = KIN_BEFORE_NAME.match(raw)
    if m is None:
        return raw
    rest = raw[m.end():]
    if re.search(r"(?i)\b(?:my|our|his|her|their|your)[ \t]+$|['’]s[ \t]+$", before) or rest.replace(" ", "").isupper():
        return rest
    return raw


def split_name(name: str, surname_first: bool = False) -> tuple[str, str | None]:
    """(first name(s), last name) of a cleaned name; a word in capitals is the surname."""
    words = without_kin_word(name).split()
    if len(words) == 1:
        return words[0], None
    caps = [i for i, w in enumerate(words) if len(w) > 1 and w.isupper()]
    if caps and len(caps) < len(words):
        i = caps[0]
        last = " ".join(words[i:i + len(caps)]) if caps == list(range(i, i + len(caps))) else words[caps[-1]]
        first = " ".join(w for w in words if w not in last.split())
        return first, last
    if surname_first:
        return " ".join(words[1:]), words[0]
    return " ".join(words[:-1]), words[-1]


def first_given(first: str) -> str:
    """The first of a child's given names ("Corvin Oriel" -> "Corvin"): the record's first name."""
    words = first.split()
    return words[0] if words else first


def surname_first_form(raw: str) -> bool:
    """True when `raw` is written "SURNAME, Forename"."""
    head = raw.split("(")[0]
    m = re.match(r"^\s*([^\W\d_][\w'’\-]+(?: [^\W\d_][\w'’\-]+)?),\s*[A-Z]", head)
    return bool(m) and (" " not in m.group(1) or m.group(1).isupper())
