"""The spaCy pipeline: the statistical model (when installed) with our own entity rules before NER.

`build_nlp(model_name)` is called once at start-up. Rules come from `config/patterns/*.jsonl`
(entity-ruler patterns as data). "blank" or a model that is not installed gives
`spacy.blank("en")` with the same rules, so the service still runs without a model.
"""
from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Iterable, Iterator

import spacy
from spacy.language import Language

PATTERNS_DIR = Path(__file__).resolve().parent.parent / "config" / "patterns"
_UNNEEDED = ["tagger", "parser", "attribute_ruler", "lemmatizer", "senter"]
BATCH_SIZE = 32
log = logging.getLogger(__name__)


def load_patterns(folder: Path = PATTERNS_DIR) -> list[dict]:
    """Every entity-ruler pattern of the JSON Lines files in `folder`, in file order."""
    patterns: list[dict] = []
    for path in sorted(folder.glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip() and not line.lstrip().startswith("//"):
                patterns.append(json.loads(line))
    return patterns


def build_nlp(model_name: str, patterns_dir: Path = PATTERNS_DIR) -> Language:
    """The loaded pipeline: `model_name` without the parts we do not use, plus our rules."""
    nlp: Language
    if model_name and model_name != "blank":
        try:
            nlp = spacy.load(model_name, exclude=_UNNEEDED)
        except OSError:
            log.warning("spaCy model %s is not installed; running on rules only", model_name)
            nlp = spacy.blank("en")
    else:
        nlp = spacy.blank("en")
    config = {"overwrite_ents": True, "phrase_matcher_attr": "LOWER"}
    if "ner" in nlp.pipe_names:
        ruler = nlp.add_pipe("entity_ruler", before="ner", config=config)
    else:
        ruler = nlp.add_pipe("entity_ruler", config=config)
    patterns = load_patterns(patterns_dir)
    if patterns:
        ruler.add_patterns(patterns)
    return nlp


def entities(nlp: Language, texts: Iterable[str]) -> Iterator[list[tuple[str, int, int, str]]]:
    """For each text, its entities as (label, start, end, text) character spans; one batched pass."""
    for doc in nlp.pipe(texts, batch_size=BATCH_SIZE):
        yield [(e.label_, e.start_char, e.end_char, e.text) for e in doc.ents]
