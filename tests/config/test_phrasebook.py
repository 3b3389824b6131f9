"""The phrase tables a CME officer can read: every phrase finds its own example and not its counter-example."""
import re

import pytest

from config import phrasebook

PHRASES = [(name, p) for name in phrasebook.names() for p in phrasebook.table(name)]


def test_every_shipped_table_loads_and_ids_are_unique() -> None:
    assert phrasebook.names(), "no phrase tables shipped"
    ids = [p.id for _, p in PHRASES]
    assert len(ids) == len(set(ids))


@pytest.mark.parametrize("name, phrase", PHRASES, ids=[p.id for _, p in PHRASES])
def test_each_phrase_finds_its_example(name: str, phrase: phrasebook.Phrase) -> None:
    assert phrase.example and phrase.means
    assert phrase.pattern.search(phrase.example), f"{name}: {phrase.id} does not find its own example"


COUNTERED = [(name, p) for name, p in PHRASES if p.counter_example]


@pytest.mark.parametrize("name, phrase", COUNTERED, ids=[p.id for _, p in COUNTERED])
def test_a_phrase_with_a_counter_example_does_not_find_it(name: str, phrase: phrasebook.Phrase) -> None:
    assert not phrase.pattern.search(phrase.counter_example), f"{name}: {phrase.id} finds its counter-example"


@pytest.mark.parametrize("word, relationship, example", phrasebook.relationship_examples(),
                         ids=[row[0] for row in phrasebook.relationship_examples()])
def test_each_relationship_word_is_found_in_its_example_and_names_a_relationship_the_record_knows(
        word: str, relationship: str, example: str) -> None:
    from extraction.model import RELATIONSHIPS

    assert relationship in RELATIONSHIPS
    assert re.search(rf"(?i)\b{re.escape(word)}\b", example), f"{word} is not in its example"


def test_a_kind_no_line_has_is_an_error_not_a_pattern_that_matches_everything() -> None:
    with pytest.raises(phrasebook.PhraseTableError):
        phrasebook.alternation("harm", "no_such_concern")
