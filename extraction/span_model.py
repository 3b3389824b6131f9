"""Where the rules found nothing: a spaCy span categoriser's reading of a few fields.

The span categoriser (shipped as `config/spancat/`, or a version `cme train` made and an admin approved; both
trained with `ingest/spancat.py`'s recipe, `spacy train` on labelled mail, its spans found where each labelled
value is written) reads each readable
part and offers its best span per field. Measured on labelled blind mail it was not trained on (README, "A
statistical layer where the rules run out"), it is used only for the fields where taking its span where the
rules left the field empty beat the rules on both test sets (`USED`: the child's address line 1 and town,
the referrer's role), and never where the rules found a value. The fields it was also trained
for and did not win on both test sets (the school's name, the referrer's organisation, a parent's name) are
not read from it. Its values carry their own rule id (`spancat.<field>`), so the calibration and the
`--explain` output tell them from the rules'.
"""
from __future__ import annotations

from dataclasses import replace
from typing import Any, Sequence

from extraction.model import Child, Field, Referrer, Span
from parsers.message import ParsedMessage

# the model's label -> (whose field, the field): the fields it is kept for
USED = {
    "LINE1": ("child", "address.line1"),
    "TOWN": ("child", "address.town"),
    "ROLE": ("referrer", "role"),
}
PART_CHARS = 10_000  # of each part (it is trained on 20,000: ingest/spancat.py), cut at a line end
MESSAGE_CHARS = 30_000  # of a message, parts in order: about 2 s of CPU at most (6 s for 100,000)
THRESHOLD = 0.5  # a span's score from which it is taken (the model's own threshold)
# A value's raw confidence is its span's score times this: the share of its fills that were right on the test
# messages (18 of 28 on blind q1-s1). Its scores run close to 1 and would calibrate as certain; this keeps a
# filled value under the auto-accept threshold, so a child's address line or town it filled is "uncertain:
# check it" for an officer and the model alone never lets a record through unreviewed.
FILL_PRECISION = 0.64
SPANS_KEY = "sc"


def _opening(text: str) -> str:
    if len(text) <= PART_CHARS:
        return text
    end = text.rfind("\n", PART_CHARS // 2, PART_CHARS)
    return text[:end if end > 0 else PART_CHARS]


def read(model: Any, parsed: ParsedMessage) -> dict[str, Field]:
    """The model's best span of each used field over the message's readable parts, as a finding."""
    sources, texts, left = [], [], MESSAGE_CHARS
    for s in parsed.sources:
        text = _opening(s.text)[:left]
        if text.strip():
            sources.append(s)
            texts.append(text)
            left -= len(text)
    best: dict[str, Field] = {}
    for source, doc in zip(sources, model.pipe(texts)):
        group = doc.spans.get(SPANS_KEY)
        if not group:
            continue
        scores = group.attrs.get("scores")
        for i, span in enumerate(group):
            score = float(scores[i]) if scores is not None else 1.0
            value = " ".join(span.text.split())
            if span.label_ not in USED or score < THRESHOLD or not value:
                continue
            if span.label_ in best and best[span.label_].confidence >= score * FILL_PRECISION:
                continue
            who, name = USED[span.label_]
            best[span.label_] = Field(value, round(min(score, 1.0) * FILL_PRECISION, 4),
                                      Span(source.part, span.start_char, span.end_char, span.text,
                                           rule=f"spancat.{who}.{name}"))
    return best


def wanted(referrer: Referrer, children: Sequence[Child]) -> bool:
    """Whether any used field is empty, so that reading the message with the model could change the record."""
    return referrer.role is None or any(c.address.line1 is None or c.address.town is None for c in children)


def fill(referrer: Referrer, children: Sequence[Child], found: dict[str, Field]) -> tuple[Referrer, tuple[Child, ...]]:
    """The referrer and children with each used field the rules left empty taken from `found`."""
    for label, (who, name) in USED.items():
        f = found.get(label)
        if f is None:
            continue
        if who == "referrer" and getattr(referrer, name) is None:
            referrer = replace(referrer, **{name: f})
        elif who == "child":
            part = name.split(".")[1]
            children = [c if getattr(c.address, part) is not None else
                        replace(c, address=replace(c.address, **{part: f})) for c in children]
    return referrer, tuple(children)

