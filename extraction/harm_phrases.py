"""The phrases that signal harm to a child, one pattern per safeguarding concern (the contract's flags).

The words live in `config/phrases/harm.jsonl` (each line: an id, the concern it signals as `kind`, the
pattern, an example the tests check); this module joins a concern's lines, in file order, into the one
pattern safeguarding.py searches. Owns only the words; safeguarding.py decides where they count
(negation, boilerplate, ended plans).
"""
from __future__ import annotations

import re

from config import phrasebook

_TABLE = "harm"
_NOT_HARM = "not_harm"  # the lines that say a "missing" is about education, not home


def _rules() -> tuple[tuple[str, re.Pattern[str]], ...]:
    return tuple((flag, re.compile(r"(?i)\b(?:" + phrasebook.alternation(_TABLE, flag) + r")"))
                 for flag in phrasebook.kinds(_TABLE) if flag != _NOT_HARM)


RULES: tuple[tuple[str, re.Pattern[str]], ...] = _rules()
# Words that do not mean harm now although a phrase matches.
NOT_HARM = re.compile(r"(?i)" + phrasebook.alternation(_TABLE, _NOT_HARM))

