"""The sex a given name usually has, and so whether a parent named without a relationship word is a mother or a
father ("Danielle Okafor" writing about "my two boys": their mother).

The names are gender-guesser's dictionary (Jörg Michael's list of about 48,000 given names of Europe and beyond,
GNU FDL; the package is GPLv3), read once. Only a name the dictionary gives as male or female, or mostly so, counts;
a name used by both ("Jo", "Alex") or one it does not hold gives nothing. The value is a guess from a name, kept
under its own rule id (`given_names.usual_sex`) so its precision is measured and the gate judges it as such.
"""
from __future__ import annotations

from dataclasses import replace
from functools import lru_cache

from spacy.lang.en.stop_words import STOP_WORDS

from extraction import evidence
from extraction.model import Field

RULE = "given_names.usual_sex"
_TITLES = {"mr", "mrs", "ms", "miss", "mx", "dr", "prof", "rev"}
_SEX = {"female": "female", "mostly_female": "female", "male": "male", "mostly_male": "male"}
_PARENT = {"female": "mother", "male": "father"}
EVERYDAY_WORDS = frozenset(STOP_WORDS)  # "He", "My", "Will": English words the name dictionary also lists


@lru_cache(maxsize=1)
def _detector():
    import gender_guesser.detector as detector  # noqa: PLC0415 (its dictionary is read on first use only)

    return detector.Detector(case_sensitive=False)


def usual_sex(name: str) -> str | None:
    """"female" or "male" for the first given name of `name` when the dictionary gives it as (mostly) one sex;
    None for a title alone, an initial, a name of both sexes or one it does not know."""
    words = [w.strip(".,") for w in name.split()]
    words = [w for w in words if w and w.lower() not in _TITLES]
    if not words or len(words[0]) < 2 or not words[0].isalpha():
        return None
    return _SEX.get(_detector().get_gender(words[0].split("-")[0]))


@lru_cache(maxsize=8192)
def is_given_name(word: str) -> bool:
    """Whether the dictionary holds `word` as a given name, of either sex ("Mya", "Jo"); False for a word it
    does not hold ("Gosport", "Tern") and for an everyday English word it also lists ("He", "My", "Will": spaCy's
    English stop words)."""
    return len(word) >= 2 and word.isalpha() and word.lower() not in EVERYDAY_WORDS \
        and _detector().get_gender(word) != "unknown"


def parent_relationship(name: Field | None) -> Field | None:
    """A parent's relationship ("mother"/"father") from the usual sex of their given name, pointing at the name;
    None when the name says neither."""
    if name is None or not name.value:
        return None
    sex = usual_sex(name.value)
    if sex is None:
        return None
    return Field(_PARENT[sex], evidence.PROSE, replace(name.source, rule=RULE))
