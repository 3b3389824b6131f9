"""A span categoriser fills only the fields the rules left empty and it is kept for, says so, and is never sure."""
from dataclasses import replace

import pytest
import spacy
from spacy.training import Example

from extraction.context import ExtractionContext
from extraction.extract import extract_file
from extraction.span_model import USED
from tests.extraction.mail import email_bytes

BODY = """Hello,

I am the volunteer coordinator at the breakfast club that Marigold Whistledown (DOB 03/04/2015) used to come to.
She has not been in for weeks and her mum Petra Whistledown told me they had moved to 8 Lark Rise, Oakhurst,
RG24 9ZZ. I don't think she is going to any school now.

Thanks

Orin Bellwether
07700 900123
"""


def _email(body: str) -> bytes:
    return email_bytes(body, "Orin Bellwether <orin.b@example.org>", "A girl from our club",
                       "Tue, 22 Sep 2026 09:30:00 +0100", "<span-model@example.org>")


def _small_span_categoriser(text: str, spans: dict[str, str]):
    """A real spaCy span categoriser, trained here on `text` to read each phrase of `spans` as its label."""
    nlp = spacy.blank("en")
    nlp.add_pipe("spancat", config={"spans_key": "sc", "suggester": {"@misc": "spacy.ngram_suggester.v1",
                                                                      "sizes": [1, 2, 3, 4]}})
    doc = nlp.make_doc(text)
    marked = [doc.char_span(text.index(phrase), text.index(phrase) + len(phrase), label=label)
              for phrase, label in spans.items()]
    reference = nlp.make_doc(text)
    reference.spans["sc"] = [reference.char_span(s.start_char, s.end_char, label=s.label_) for s in marked]
    examples = [Example(nlp.make_doc(text), reference)]
    spacy.util.fix_random_seed(1)
    optimizer = nlp.initialize(lambda: examples)
    for _ in range(80):
        nlp.update(examples, sgd=optimizer)
    return nlp


@pytest.fixture(scope="module")
def context(extraction_context) -> ExtractionContext:
    return extraction_context


def test_a_role_the_rules_left_empty_is_read_by_the_span_categoriser_under_its_own_rule_never_as_sure(context):
    raw = _email(BODY)
    rules_only = extract_file("s.eml", raw, replace(context, spancat=None))
    assert rules_only["referrer"]["role"] is None, "the rules must leave the role empty here"
    assert rules_only["children"][0]["address"]["line1"]["value"] == "8 Lark Rise"
    model = _small_span_categoriser(BODY, {"volunteer coordinator": "ROLE", "Oakhurst": "LINE1",
                                                  "breakfast club": "ORG"})
    record = extract_file("s.eml", raw, replace(context, spancat=model))
    role = record["referrer"]["role"]
    assert role["value"] == "volunteer coordinator"
    assert role["source"]["rule"] == "spancat.referrer.role"
    start, end = role["source"]["start"], role["source"]["end"]
    assert BODY[start:end] == "volunteer coordinator", "the highlight falls on the words it was read from"
    assert role["confidence"] < context.calibration.threshold, "a model's guess is never sure enough alone"
    assert record["referrer"]["organisation"] is None, "a field the model is not kept for is never read from it"
    # the address line the rules found stays theirs, whatever the model reads elsewhere
    line1 = record["children"][0]["address"]["line1"]
    assert line1["value"] == "8 Lark Rise" and not line1["source"]["rule"].startswith("spancat")


def test_the_trained_span_categoriser_ships_with_the_service_for_the_fields_it_won(context) -> None:
    assert context.spancat is not None, "the trained span categoriser ships in config/spancat"
    labels = set(context.spancat.get_pipe("spancat").labels)
    assert set(USED) <= labels


def test_a_childs_address_the_rules_missed_is_filled_by_the_span_categoriser_and_an_officer_checks_it(context):
    body = BODY.replace("moved to 8 Lark Rise, Oakhurst,\nRG24 9ZZ.", "moved to 8 Lark Rise over in\nOakhurst.")
    raw = _email(body)
    rules_only = extract_file("s.eml", raw, replace(context, spancat=None))
    assert rules_only["children"][0]["address"] == {"line1": None, "town": None, "postcode": None}
    model = _small_span_categoriser(body, {"8 Lark Rise": "LINE1", "Oakhurst": "TOWN"})
    record = extract_file("s.eml", raw, replace(context, spancat=model))
    address = record["children"][0]["address"]
    assert (address["line1"]["value"], address["town"]["value"]) == ("8 Lark Rise", "Oakhurst")
    assert address["line1"]["source"]["rule"] == "spancat.child.address.line1"
    assert address["town"]["source"]["rule"] == "spancat.child.address.town"
    assert "Marigold's address is missing." in rules_only["review_reasons"]
    assert record["needs_review"]
    assert {"Marigold's address is uncertain: check it.", "Marigold's town is uncertain: check it."} \
        <= set(record["review_reasons"])
