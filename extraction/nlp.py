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
PIECE_CHARS = 50_000  # one spaCy call: far below nlp.max_length (1,000,000), where spaCy is still quick
NER_PER_TEXT = 50_000  # characters of one part (the body, an attachment) the model reads
NER_BUDGET = 100_000  # characters of one message the model reads, parts in order
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


def pieces(text: str, size: int = PIECE_CHARS) -> list[tuple[int, str]]:
    """`text` cut into (offset, piece) of at most `size` characters, at a paragraph end where there is one
    in the piece's second half, else a line end, else a space, else anywhere."""
    out: list[tuple[int, str]] = []
    start = 0
    while len(text) - start > size:
        end = start + size
        for mark in ("\n\n", "\n", " "):
            cut = text.rfind(mark, start + size // 2, end)
            if cut > start:
                end = cut + len(mark)
                break
        out.append((start, text[start:end]))
        start = end
    if start < len(text) or not out:
        out.append((start, text[start:]))
    return out


def entities(nlp: Language, texts: Iterable[str], budget: int = NER_BUDGET,
             per_text: int = NER_PER_TEXT) -> Iterator[list[tuple[str, int, int, str]]]:
    """For each text, its entities as (label, start, end, text) character spans; one batched pass.

    A long text is read in pieces cut at paragraph or line ends (spaCy refuses a text over
    `nlp.max_length`, and is slow long before it), and only the first `per_text` characters of each
    text, `budget` of all of them together, get the model at all: the rule-based finders still read
    the whole text. Offsets are into the whole text.
    """
    texts = list(texts)
    jobs: list[tuple[int, int, str]] = []  # (which text, offset, piece)
    left = budget
    for n, text in enumerate(texts):
        head = text[:max(min(per_text, left), 0)]
        left -= len(head)
        jobs.extend((n, offset, piece) for offset, piece in pieces(head, min(PIECE_CHARS, nlp.max_length - 1)))
    found: list[list[tuple[str, int, int, str]]] = [[] for _ in texts]
    docs = nlp.pipe((piece for _, _, piece in jobs), batch_size=BATCH_SIZE)
    for (n, offset, _), doc in zip(jobs, docs):
        found[n].extend((e.label_, offset + e.start_char, offset + e.end_char, e.text) for e in doc.ents)
    yield from found
