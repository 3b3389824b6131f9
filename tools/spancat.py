"""Experiment: a spaCy span categoriser for the weakest fields, trained with `spacy train`, against the rules.

    .venv/bin/python tools/spancat.py TRAIN_DIRS DEV_DIRS TEST_DIRS [--out var/spancat] [--threshold 0.5]
        [--max-steps N] [--model DIR] [--write]

Folders are labelled corpora (NAME.eml beside NAME.json); several joined with ':'. Every message is read
by the service's own isolated reader (`ingest.reader.Reader`, as `cme extract` reads a file), which gives
each readable part's text exactly as the extraction read it, so a span's offsets are the extraction's. A
labelled value becomes a training span wherever its words are found in a part's text (any case, any
punctuation or spacing between the words, a street's abbreviated ending), and a labelled school also
wherever the school register reads a name in the text as that school ("Court Moor" for Court Moor
School); a value found nowhere is dropped and counted. A `spancat` pipeline (tok2vec without vectors,
n-gram suggester of 1 to 8 tokens) made by `spacy init config` is trained by `spacy train` on TRAIN,
early-stopped on DEV, and compared with the rules on TEST with the corpora's own scorer
(`extraction.scoring`, children and parents paired), four ways:

- rules: the whole extraction without the span categoriser;
- spancat: each field's value replaced by the span categoriser's best span (or nothing);
- spancat where the rules found nothing: the rules' records, a field the rules left empty filled with the
  span categoriser's best span;
- the service's finder: the whole extraction with the model as `extraction/span_model.py` uses it (only the
  fields it is kept for, never on automatic mail or spam).

Nothing here is used by the service unless it wins; the README records the outcome. The training recipe
itself (the reading, the spans, the docbin, the `spacy train` call) is `ingest/spancat.py`'s, which `cme train`
uses too.
"""
from __future__ import annotations

import argparse
import copy
import json
import os
import shutil
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from extraction.scoring import fold, normalised, score  # noqa: E402
from ingest.corpus import folder  # noqa: E402
from ingest.spancat import FIELDS, PATIENCE, ReadMessage, load_register, read_messages, value_at  # noqa: E402
from ingest.spancat import train as train_model  # noqa: E402

READ_THRESHOLD = 0.2  # spans kept when reading, before --threshold chooses


def corpus(folders: str) -> list[tuple[str, bytes, dict]]:
    """The labelled messages of the folders joined with ':', each named "FOLDER/STEM"."""
    return [(m.name.removesuffix(".eml"), m.data, m.label) for f in folders.split(":") for m in folder(Path(f))]


def read_all(items: list[tuple[str, bytes, dict]]) -> list[ReadMessage]:
    """(name, label, the reader's record or None, [(part, text)]) per message, through the isolated reader."""
    from config.settings import load_settings
    from ingest.reader import Reader, ReaderConfig

    reader = Reader(ReaderConfig.of(load_settings(os.environ)))
    try:
        return read_messages(reader, items)
    finally:
        reader.close()


def register() -> Any:
    """The school register the service reads with (a school's name as written is resolved through it)."""
    from config.settings import load_settings

    return load_register(load_settings(os.environ))


def train(train_msgs: list, dev_msgs: list, work: Path, max_steps: int, patience: int = PATIENCE,
          seed: int = 7) -> Path:
    """The recipe of `ingest/spancat.py` (`cme train` uses it too); the best model's directory."""
    try:
        best, _ = train_model(train_msgs, dev_msgs, work, max_steps, register(), patience, seed)
    finally:
        print(f"spacy train's log: {work / 'train.log'}", flush=True)
    return best


def predict(model: Any, parts: list[tuple[str, str]], schools: Any = None) -> dict[str, list[tuple[float, str]]]:
    """Per field, the spans read with their scores, best first (one per distinct value); a school's name as
    the register names it when the register knows it."""
    best: dict[str, dict[str, tuple[float, str]]] = {f: {} for f in FIELDS}
    for doc in model.pipe(text for _, text in parts):
        group = doc.spans.get("sc", [])
        scores = group.attrs.get("scores", [1.0] * len(group)) if len(group) else []
        for span, s in zip(group, scores):
            text = " ".join(span.text.split())
            if span.label_ == "SCHOOL" and schools is not None:
                match = schools.match(text)
                text = match.name if match is not None else text
            key = normalised(FIELDS[span.label_][2], text) or text
            if s > best[span.label_].get(key, (0.0, ""))[0]:
                best[span.label_][key] = (float(s), text)
    return {f: sorted(found.values(), reverse=True) for f, found in best.items()}


def _set(holder: dict, path: str, value: str | None, score_: float) -> None:
    *outer, last = path.split(".")
    for key in outer:
        if not isinstance(holder.get(key), dict):
            holder[key] = {}
        holder = holder[key]
    holder[last] = None if value is None else {"value": value, "confidence": round(score_, 3),
                                               "source": {"rule": f"spancat.{last}"}}


def patched(record: dict, found: dict[str, list[tuple[float, str]]], threshold: float, only_empty: bool) -> dict:
    """The record with each field's values from the span categoriser: everywhere (`only_empty` False), or only
    where the rules left the field empty."""
    rec = copy.deepcopy(record)
    for field, (where, path, _) in FIELDS.items():
        spans = [(s, v) for s, v in found.get(field, []) if s >= threshold]
        top = spans[0] if spans else (0.0, None)
        if where == "referrer":
            ref = rec.setdefault("referrer", {}) or {}
            rec["referrer"] = ref
            if not only_empty or value_at(ref, path) is None:
                _set(ref, path, top[1], top[0])
        elif where == "children":
            for child in rec.get("children") or []:
                if only_empty and value_at(child, path) is not None:
                    continue
                if field == "SCHOOL" and not only_empty and fold(top[1] or "") != fold(value_at(child, path) or ""):
                    _set(child, "school.urn", None, 0.0)  # the rules' URN must not vouch for another name
                _set(child, path, top[1], top[0])
        else:  # parents: each distinct name read is a parent, in score order (at most two added)
            parents = rec.get("parents_carers") or []
            rec["parents_carers"] = parents
            if only_empty:
                have = {normalised("parent.name", value_at(p, "name")) for p in parents}
                names = [(s, v) for s, v in spans if normalised("parent.name", v) not in have]
                slots = [p for p in parents if value_at(p, "name") is None] if parents else []
                if not parents:
                    slots = [{} for _ in names[:2]]
                    parents.extend(slots)
            else:
                names = spans
                slots = parents + [{} for _ in names[len(parents):2]]
                rec["parents_carers"] = slots
            for i, holder in enumerate(slots):
                s, v = names[i] if i < len(names) else (0.0, None)
                if v is not None or not only_empty:
                    _set(holder, "name", v, s)
    return rec


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("train")
    ap.add_argument("dev")
    ap.add_argument("test")
    ap.add_argument("--out", default=str(ROOT / "var" / "spancat"))
    ap.add_argument("--threshold", type=float, default=0.5, help="a span's score from which it is taken")
    ap.add_argument("--max-steps", type=int, default=5000)
    ap.add_argument("--patience", type=int, default=1500, help="steps without a better early-stopping score")
    ap.add_argument("--model", help="an already trained model directory: skip training")
    ap.add_argument("--write", action="store_true", help="keep the trained model as the service's (config/spancat)")
    args = ap.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()
    test = read_all(corpus(args.test))
    if args.model:
        best = Path(args.model)
    else:
        train_msgs, dev_msgs = read_all(corpus(args.train)), read_all(corpus(args.dev))
        print(f"read {len(train_msgs)} training, {len(dev_msgs)} early-stopping, {len(test)} test messages "
              f"in {time.monotonic() - started:.0f} s", flush=True)
        best = train(train_msgs, dev_msgs, out, args.max_steps, args.patience)
    import spacy

    model = spacy.load(best, config={"components": {"spancat": {"threshold": READ_THRESHOLD}}})
    labels = {name: label for name, label, _, _ in test}
    schools = register()
    found = {name: predict(model, parts, schools) for name, _, _, parts in test}
    (out / "test-spans.json").write_text(json.dumps(found, indent=1))
    # the records, read in this process with the reader's extraction: the rules alone, and with the span
    # categoriser as the service uses it (extraction/span_model.py: the fields it is kept for, where the rules
    # found nothing); the rules' records here never use a model shipped in config/spancat
    from dataclasses import replace

    from config.settings import load_settings
    from extraction.context import build_context
    from extraction.extract import extract_file

    context = build_context(load_settings(os.environ))
    shipped_threshold = spacy.load(best)
    data = {name: raw for name, raw, _ in corpus(args.test)}
    rules = {n: extract_file(n.replace("/", "_") + ".eml", data[n], replace(context, spancat=None)) for n in labels}
    variants = {
        "rules": rules,
        "spancat": {n: patched(r, found[n], args.threshold, only_empty=False) for n, r in rules.items()},
        "spancat where the rules found nothing": {n: patched(r, found[n], args.threshold, only_empty=True)
                                                  for n, r in rules.items()},
        "the service's finder": {n: extract_file(n.replace("/", "_") + ".eml", data[n],
                                                 replace(context, spancat=shipped_threshold)) for n in labels},
    }
    results = {name: score(recs, labels) for name, recs in variants.items()}
    print(f"\ntest messages {len(labels)}, threshold {args.threshold}")
    print(f"{'field':24} " + " ".join(f"{v[:24]:>24}" for v in variants))
    print(f"{'':24} " + " ".join(f"{'P    R    F1 (tp/fp/fn)':>24}" for _ in variants))
    for field, (_, _, scored) in FIELDS.items():
        cells = []
        for name in variants:
            m = results[name]["per_field"].get(scored, {"precision": 1.0, "recall": 1.0, "f1": 1.0, "tp": 0,
                                                         "fp": 0, "fn": 0})
            cells.append(f"{m['precision']:.3f} {m['recall']:.3f} {m['f1']:.3f} ({m['tp']}/{m['fp']}/{m['fn']})")
        print(f"{scored:24} " + " ".join(f"{c:>24}" for c in cells))
    for n in variants:
        m = results[n]
        aap = m["auto_accept_precision"]
        print(f"{n}: field_f1 (every field) {m['field_f1']:.4f}, auto_accept_precision "
              f"{'n/a' if aap is None else f'{aap:.3f}'}, review_rate {m['review_rate']:.3f}")
    (out / "results.json").write_text(json.dumps({n: {k: v for k, v in m.items() if k != "errors"}
                                                  for n, m in results.items()}, indent=1))
    print(f"model: {best}; {time.monotonic() - started:.0f} s in all")
    if args.write:
        target = ROOT / "config" / "spancat"
        shutil.rmtree(target, ignore_errors=True)
        shutil.copytree(best, target)
        print(f"wrote {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
