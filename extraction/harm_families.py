"""Harm shown in words no fixed phrase foresees: word families that show a concern when they meet in one sentence
about the child (an injury and a body part, an older person and a lure, labour and control, ...), a harm vocabulary
of single words, and the ambiguous signals that are urgent beside unknown whereabouts.

The words live in `config/phrases/`: the families in `harm_families.jsonl`, the vocabulary, self-harm, welfare and
whereabouts words in `harm_vocabulary.jsonl`, the words that show harm words are not this child's now in
`harm_exceptions.jsonl`, each line with an id and an example the tests check. This module keeps which families
make a rule (FAMILY_RULES). Owns only the words; safeguarding.py decides where they count. A rule fires when every
family it names matches in one sentence (a family named twice needs two different words of it). The families are
broad on purpose: a false alarm costs an officer a minute, a miss a child.
"""
from __future__ import annotations

import re

from config import phrasebook

_F = lambda s: re.compile(r"(?i)\b(?:" + s + r")\b")  # noqa: E731


def _family(phrase_id: str) -> str:
    """The pattern of the word family `phrase_id` of config/phrases/harm_families.jsonl."""
    return next(p.pattern.pattern for p in phrasebook.table("harm_families") if p.id == phrase_id)


def _words(table: str, kind: str) -> str:
    return "(?:" + phrasebook.alternation(table, kind) + ")"  # every line of the kind, in file order


CHILD = _family("family.child")
INJURY = _family("family.injury")
BODY = _family("family.body")
ACCIDENT = _family("family.accident")
EXPLAINED = _family("family.explained")
VIOLENCE = _family("family.violence")
WITNESS = _family("family.witness")
HOUSEHOLD = _family("family.household")
ADULT_AGE = _family("family.adult_age")
LURE = _family("family.lure")
LABOUR = _family("family.labour")
CONTROL = _family("family.control")
HARM_TO = _family("family.harm_to")
DRUGS = _family("family.drugs")
FOUND_WITH = _family("family.found_with")
DEBT = _family("family.debt")
THREAT = _family("family.threat")
YOUNG = _family("family.young")
UNCARED = _family("family.uncared")
MARRIED_TO = _family("family.married_to")
TAKEN_AWAY = _family("family.taken_away")
CCE_SIGNS = _family("family.cce_signs")
IDEOLOGY = _family("family.ideology")
FORCE = _family("family.force")
GIRL = _family("family.girl")
FGM_DONE = _family("family.fgm_done")
GIRLS_ABROAD = _family("family.girls_abroad")
CUSTOM_FGM = _family("family.custom_fgm")
MAN = _family("family.man")
PAID_FOR = _family("family.paid_for")
LEFT_HOME = _family("family.left_home")
ONE_CHILD = _family("family.one_child")
NOT_SINCE = _family("family.not_since")
CUT = _family("family.cut")
UNDER_16 = _family("family.under_16")
ROMANCE = _family("family.romance")
WEDDING = _family("family.wedding")
COME_OF_AGE = _family("family.come_of_age")
# (flag, families): every family must match in one sentence; CHILD marks the child as the one concerned.
FAMILY_RULES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("sexual_exploitation", (UNDER_16, ADULT_AGE, ROMANCE)),
    ("fgm", (CUT, GIRLS_ABROAD, GIRL)),
    ("sexual_exploitation", (MAN, PAID_FOR, CHILD)),
    ("missing_from_home", (LEFT_HOME, NOT_SINCE, ONE_CHILD)),
    ("criminal_exploitation", (CCE_SIGNS, CCE_SIGNS, CHILD)),
    ("radicalisation", (IDEOLOGY, FORCE)),
    ("fgm", (CUSTOM_FGM, GIRL)),
    ("fgm", (FGM_DONE, GIRLS_ABROAD)),
    ("abuse", (HARM_TO, CHILD)),
    ("criminal_exploitation", (DRUGS, FOUND_WITH, CHILD)),
    ("criminal_exploitation", (DEBT, THREAT)),
    ("neglect", (YOUNG, UNCARED)),
    ("forced_marriage", (MARRIED_TO, TAKEN_AWAY)),
    ("forced_marriage", (WEDDING, GIRLS_ABROAD, COME_OF_AGE)),  # "a wedding back home ... maybe hers, she's grown up now"
    ("abuse", (INJURY, BODY)),
    ("domestic_abuse", (VIOLENCE, VIOLENCE, HOUSEHOLD)),
    ("domestic_abuse", (VIOLENCE, WITNESS)),
    ("sexual_exploitation", (ADULT_AGE, LURE)),
    ("trafficking", (LABOUR, CONTROL, CHILD)),
)
FAMILY_PATTERNS = {s: _F(s) for _, fams in FAMILY_RULES for s in fams}
# Family rules that do not count when the sentence explains the injury as an accident nobody vouched for.
ACCIDENTAL = _F(ACCIDENT)
VOUCHED = _F(EXPLAINED)
# An adult's age bound to a parent or professional ("Mum, who is 32"): not an older person around the child.
KIN_BEFORE_AGE = re.compile(r"(?i)" + _words("harm_exceptions", "kin_before_age"))

# Single vocabulary that shows a concern on its own (within a clause about the child, not negated or past).
_NOT_A_FLAG = ("self_harm", "welfare", "whereabouts")
VOCABULARY: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (p.kind, _F(p.pattern.pattern)) for p in phrasebook.table("harm_vocabulary") if p.kind not in _NOT_A_FLAG)
SELF_HARM = _F(_words("harm_vocabulary", "self_harm"))

# Signals that are ambiguous alone but urgent beside a statement that nobody knows where the child is.
WELFARE = _F(_words("harm_vocabulary", "welfare"))
WHEREABOUTS = _F(_words("harm_vocabulary", "whereabouts"))

# A sentence about teaching or training: "an assembly on county lines", "a webinar on FGM".
COURSE = _F(_words("harm_exceptions", "course"))
# A parent who fosters: "her mum is a foster carer" says nothing of the child's own status.
# So does a writer who fosters: "I'm a foster carer", "one of my foster children".
FOSTERING_PARENT = re.compile(r"(?i)" + _words("harm_exceptions", "fostering_parent"))
# A child who was in care and is not now: "a previously looked-after child", "adopted from care".
FORMERLY_IN_CARE = re.compile(r"(?i)" + _words("harm_exceptions", "formerly_in_care"))
# Put out of a school, not a home: "got kicked out of Aldworth School", "thrown out of college".
SENT_FROM_SCHOOL = re.compile(r"(?i)" + _words("harm_exceptions", "sent_from_school"))
# An adult relative as the one marrying: "her older sister (24) got married", "his brother, 27, was married".
ADULT_RELATIVE = re.compile(r"(?i)" + _words("harm_exceptions", "adult_relative"))
ADULT_JOB = re.compile(r"(?i)" + _words("harm_exceptions", "adult_job"))  # read just after a work word
SCHOOL_WORK = re.compile(r"(?i)" + _words("harm_exceptions", "school_work"))  # read just after a work word
OWN_WORK = re.compile(r"(?i)" + _words("harm_exceptions", "own_work"))  # read just before a work word
CARE_QUALITY = re.compile(r"(?i)" + _words("harm_exceptions", "care_quality"))  # read just before "looked after"
# A plan that ended, or was someone else's: "his half-brother was subject to a plan ... closed in June 2022".
PAST_PLAN = re.compile(r"(?i)" + _words("harm_exceptions", "past_plan"))
