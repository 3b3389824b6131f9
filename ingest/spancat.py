"""`cme train`'s span categoriser: retrained on the officers' labels and the repository's corpora, and versioned.

The recipe (moved here from tools/spancat.py, which still runs the experiment on folders): every message is
read by the isolated reader, which gives each readable part's text exactly as the extraction read it, so a
span's offsets are the extraction's. A labelled value becomes a training span wherever its words are found in
a part's text (any case, any punctuation or spacing between the words, a street's abbreviated ending), and a
labelled school also wherever the school register reads a name in the text as that school ("Court Moor" for
Court Moor School); a value found nowhere is dropped and counted. A `spancat` pipeline (tok2vec without
vectors, n-gram suggester of 1 to 8 tokens) made by `spacy init config` is trained by `spacy train` in a
subprocess, early-stopped on the newest part of the training messages.

It is trained on the older labels (`ingest/corpus.py`) and tested, with the span categoriser in force, on the
newer labels it did not see: the field F1 (`extraction/scoring.py`, the corpora's scorer) of the whole
extraction with each, the model used as the service uses it (`extraction/span_model.py`: a few fields, only
where the rules found nothing). The new model is stored as a spancat version (its directory as a tar.gz)
with the report; one that does not beat the span categoriser in force is stored refused.
"""
from __future__ import annotations

import argparse
import json
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import replace
from pathlib import Path
from typing import Any, Iterable, NamedTuple, Sequence, TextIO

from extraction.scoring import STREET, fold

# label -> where its values sit in a record ("children"/"parents_carers" lists, or the referrer)
FIELDS = {
    "SCHOOL": ("children", "school.name", "child.school.name"),
    "LINE1": ("children", "address.line1", "child.address.line1"),
    "TOWN": ("children", "address.town", "child.address.town"),
    "ORG": ("referrer", "organisation", "referrer.organisation"),
    "ROLE": ("referrer", "role", "referrer.role"),
    "PARENT": ("parents_carers", "name", "parent.name"),
}
PART_CHARS = 20_000  # the first characters of each part that are trained on and read (cut at a line end)
SIZES = [1, 2, 3, 4, 5, 6, 7, 8]  # span lengths in tokens ("Chawton Church of England Primary School" is 6)
STEPS = 3100  # `cme train`'s default: the steps the shipped config/spancat was trained with (README)
PATIENCE = 1500  # steps without a better early-stopping score before training stops
DEV_SHARE = 0.15  # the newest of the training messages, for early stopping (as ingest/textcat.py)
_ABBREVIATED: dict[str, list[str]] = {}
for _short, _long in STREET.items():
    _ABBREVIATED.setdefault(_long, []).append(_short)


class ReadMessage(NamedTuple):
    """A labelled message as the isolated reader read it: its record (None when it could not be read) and
    each readable part's text (cut to PART_CHARS)."""

    name: str
    label: dict
    record: dict | None
    parts: list[tuple[str, str]]


def value_at(node: Any, dotted: str) -> Any:
    """The plain value at a dotted path of a record or label (a finding's "value"), None when empty."""
    for key in dotted.split("."):
        if not isinstance(node, dict):
            return None
        node = node.get(key)
    if isinstance(node, dict) and "value" in node:
        node = node["value"]
    return node.strip() if isinstance(node, str) and node.strip() else None


def values(label: dict, field: str) -> list[str]:
    """The labelled values of one field (each distinct value once)."""
    where, path, _ = FIELDS[field]
    holders = [label.get("referrer") or {}] if where == "referrer" else list(label.get(where) or [])
    return list(dict.fromkeys(v for v in (value_at(h, path) for h in holders) if v))


def pattern(value: str) -> re.Pattern[str] | None:
    """The value's words in order, any case, with any punctuation or spacing between them."""
    words = re.findall(r"[^\W_]+", value)
    if not words:
        return None
    last = [re.escape(words[-1])] + [re.escape(a) for a in _ABBREVIATED.get(words[-1].lower(), [])]
    if len(words) > 1 and words[0].lower() in ("mr", "mrs", "ms", "miss", "mx", "dr"):
        words = words[1:]
    body = r"[\W_]{0,4}".join([re.escape(w) for w in words[:-1]] + [f"(?:{'|'.join(last)})"])
    return re.compile(rf"(?<![^\W_]){body}(?![^\W_])", re.IGNORECASE)


def cut(text: str, limit: int = PART_CHARS) -> str:
    if len(text) <= limit:
        return text
    end = text.rfind("\n", limit // 2, limit)
    return text[:end if end > 0 else limit]


def read_messages(reader: Any, items: Iterable[tuple[str, bytes, dict]]) -> list[ReadMessage]:
    """Each (name, bytes, label) read by `reader` (an `ingest.reader.Reader`): its record and parts' text."""
    from ingest.reader import Unread

    out = []
    for name, data, label in items:
        reading = reader.read(name.replace("/", "_").removesuffix(".eml") + ".eml", data)
        if isinstance(reading, Unread):
            out.append(ReadMessage(name, label, None, []))
        else:
            out.append(ReadMessage(name, label, reading.record,
                                   [(p.part, cut(p.text)) for p in reading.parts if p.text.strip()]))
    return out


def load_register(settings: Any) -> Any:
    """The school register the service reads with (a school's name as written is resolved through it)."""
    from extraction.schools import SchoolRegister

    return SchoolRegister.from_csv_text(settings.school_register.read_text(encoding="utf-8-sig"))


def school_mentions(schools: Any, text: str, label: dict) -> list[tuple[int, int, str]]:
    """Where the text names a labelled child's school as the register reads it ("Court Moor" for Court Moor
    School): (start, end, the labelled name)."""
    wanted = {}
    for child in label.get("children") or []:
        name, urn = value_at(child, "school.name"), value_at(child, "school.urn")
        if name:
            wanted[fold(name)] = name
            if urn:
                wanted[re.sub(r"\D", "", urn)] = name
    out = []
    for match, _, start, end in schools.find_in_text(text) if wanted else ():
        if match is not None and (match.urn in wanted or fold(match.name) in wanted):
            out.append((start, end, wanted.get(match.urn) or wanted[fold(match.name)]))
    return out


def docbin(nlp: Any, messages: Iterable[ReadMessage], path: Path, schools: Any = None) -> Counter:
    """Each part a Doc with its labelled values as spans in `sc`; returns values found and not found per field."""
    from spacy.tokens import DocBin

    db = DocBin()
    tally: Counter = Counter()
    for _, label, _, parts in messages:
        found: set[tuple[str, str]] = set()
        for _, text in parts:
            doc = nlp.make_doc(text)
            spans, seen = [], set()
            hits = [(field, value, m.start(), m.end()) for field in FIELDS for value in values(label, field)
                    for m in (pattern(value).finditer(text) if pattern(value) else ())]
            if schools is not None:
                hits += [("SCHOOL", value, start, end) for start, end, value in school_mentions(schools, text, label)]
            for field, value, start, end in hits:
                span = doc.char_span(start, end, label=field, alignment_mode="expand")
                if span is not None and (span.start, span.end, field) not in seen:
                    seen.add((span.start, span.end, field))
                    spans.append(span)
                    found.add((field, value))
            doc.spans["sc"] = spans
            db.add(doc)
        for field in FIELDS:
            for value in values(label, field):
                tally[(field, (field, value) in found)] += 1
    db.to_disk(path)
    return tally


def located(tally: Counter) -> dict[str, list[int]]:
    """Per field, [values found in the text, values labelled], from `docbin`'s tally."""
    return {f: [tally[(f, True)], tally[(f, True)] + tally[(f, False)]] for f in FIELDS}


def train(train_msgs: Sequence[ReadMessage], dev_msgs: Sequence[ReadMessage], work: Path, max_steps: int,
          schools: Any = None, patience: int = PATIENCE, seed: int = 7,
          out: TextIO = sys.stdout) -> tuple[Path, Counter]:
    """`spacy train` on the messages' spans, early-stopped on `dev_msgs`; the best model's directory (under
    `work`, beside spaCy's output in `train.log`) and the training values found and not found in the text per
    field."""
    import spacy

    work.mkdir(parents=True, exist_ok=True)
    blank = spacy.blank("en")
    tally = docbin(blank, train_msgs, work / "train.spacy", schools)
    docbin(blank, dev_msgs, work / "dev.spacy", schools)
    print("training values located in the text (found/labelled): " + ", ".join(
        f"{f} {found}/{labelled}" for f, (found, labelled) in located(tally).items()), file=out, flush=True)
    py = sys.executable
    subprocess.run([py, "-m", "spacy", "init", "config", str(work / "config.cfg"), "--lang", "en", "--pipeline",
                    "spancat", "--optimize", "efficiency", "--force"], check=True, capture_output=True)
    command = [py, "-m", "spacy", "train", str(work / "config.cfg"), "--output", str(work / "model"),
               "--paths.train", str(work / "train.spacy"), "--paths.dev", str(work / "dev.spacy"),
               "--training.seed", str(seed), "--training.max_steps", str(max_steps),
               "--training.eval_frequency", str(max(1, min(100, max_steps // 2))),
               "--training.patience", str(patience), "--components.spancat.suggester.sizes", json.dumps(SIZES)]
    started = time.monotonic()
    with open(work / "train.log", "w") as log:
        done = subprocess.run(command, stdout=log, stderr=subprocess.STDOUT)
    if done.returncode != 0:
        last = (work / "train.log").read_text(errors="replace").strip().splitlines() or ["(no message)"]
        raise RuntimeError(f"spacy train failed: {last[-1]}")
    print(f"spacy train: {time.monotonic() - started:.0f} s", file=out, flush=True)
    return work / "model" / "model-best", tally


# --- `cme train`'s span categoriser, tested against the one in force --------------------------------------


def field_scores(reader: Any, items: Iterable[Any]) -> tuple[dict[str, Any], int]:
    """The scorer's metrics of the whole extraction on the labelled items, and how many were read."""
    from extraction.scoring import score
    from ingest.reader import Reading

    records, labels = {}, {}
    for item in items:
        reading = reader.read(item.name.replace("/", "_"), item.data)
        labels[item.name] = item.label
        if isinstance(reading, Reading):
            records[item.name] = reading.record
    return score(records, labels), len(records)


def _f1(metrics: dict[str, Any], field: str) -> float | None:
    found = metrics["per_field"].get(field)
    return None if found is None else round(found["f1"], 4)


def run(settings: Any, sessions: Any, args: argparse.Namespace, split: Any, out: Any = sys.stdout) -> int:
    """Train a span categoriser on `split.older`, test it and the one in force on `split.newer`, and store it
    as a spancat version (refused unless its field F1 beats the one in force); the exit status."""
    from extraction.span_model import USED
    from ingest.reader import Reader
    from ingest.versions import keep_version, pack, reader_config
    from store import versions

    current = reader_config(settings, sessions)
    with Reader(current) as reader:
        messages = [m for m in read_messages(reader, ((i.name, i.data, i.label) for i in split.older)) if m.parts]
    if not any(values(m.label, f) for m in messages for f in FIELDS):
        print("cme train: the training messages hold no labelled value the span categoriser reads; nothing to learn",
              file=out)
        return 1
    steps = args.max_steps or STEPS
    cut_at = len(messages) - max(1, round(len(messages) * DEV_SHARE))
    train_msgs, dev_msgs = (messages[:cut_at], messages[cut_at:]) if cut_at > 0 else (messages, messages)
    work_root = Path(settings.data_dir) / "models"
    work_root.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=".training-", dir=work_root))
    try:
        model_dir, tally = train(train_msgs, dev_msgs, work, steps, load_register(settings), out=out)
        scores = {}
        for name, config in (("new", replace(current, spancat_dir=model_dir)), ("current", current)):
            with Reader(config) as reader:
                scores[name] = field_scores(reader, split.newer)
        (new, tested), (now, _) = scores["new"], scores["current"]
        with sessions() as session:
            number = versions.in_force(session, "spancat")
        filled = [FIELDS[label][2] for label in USED]
        report = {"split": split.described, "trained_on": len(train_msgs), "early_stopping_on": len(dev_msgs),
                  "tested_on": tested, "stored_labels_trained": split.stored_older,
                  "stored_labels_tested": split.stored_newer, "values_located": located(tally),
                  "field_f1": round(new["field_f1"], 4), "current_version": number,
                  "current_field_f1": round(now["field_f1"], 4),
                  "per_field": {f: {"new": _f1(new, f), "current": _f1(now, f)} for f in filled},
                  "max_steps": steps, "measure": "field F1 of the whole extraction (the corpora's scorer), the span "
                  "categoriser used only for the fields it is kept for, where the rules found nothing"}
        refused = None
        if new["field_f1_unrounded"] <= now["field_f1_unrounded"]:
            refused = (f"its field F1 {new['field_f1']:.4f} does not beat the {now['field_f1']:.4f} of spancat "
                       f"version {number} in force, on the same {tested} test messages")
        artefact = pack(model_dir)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(f"field F1 on {tested} test messages: new {new['field_f1']:.4f}, version {number} in force "
          f"{now['field_f1']:.4f}; " + ", ".join(f"{f} {v['new'] if v['new'] is not None else 'n/a'} / "
                                                f"{v['current'] if v['current'] is not None else 'n/a'}"
                                                for f, v in report["per_field"].items()), file=out)
    return keep_version(sessions, "spancat", artefact, report, refused, args.approve, out)
