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

Nothing here is used by the service unless it wins; the README records the outcome.
"""
from __future__ import annotations

import argparse
import copy
import json
import os
import re
import shutil
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any, Iterable

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from extraction.scoring import STREET, fold, normalised, score  # noqa: E402
from ingest.corpus import folder  # noqa: E402

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
READ_THRESHOLD = 0.2  # spans kept when reading, before --threshold chooses
_ABBREVIATED = {}
for _short, _long in STREET.items():
    _ABBREVIATED.setdefault(_long, []).append(_short)


def corpus(folders: str) -> list[tuple[str, bytes, dict]]:
    """The labelled messages of the folders joined with ':', each named "FOLDER/STEM"."""
    return [(m.name.removesuffix(".eml"), m.data, m.label) for f in folders.split(":") for m in folder(Path(f))]


def _get(node: Any, dotted: str) -> Any:
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
    return list(dict.fromkeys(v for v in (_get(h, path) for h in holders) if v))


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


def read_all(items: list[tuple[str, bytes, dict]]) -> list[tuple[str, dict, dict | None, list[tuple[str, str]]]]:
    """(name, label, the reader's record or None, [(part, text)]) per message, through the isolated reader."""
    from config.settings import load_settings
    from ingest.reader import Reader, ReaderConfig, Unread

    reader = Reader(ReaderConfig.of(load_settings(os.environ)))
    out = []
    try:
        for name, data, label in items:
            reading = reader.read(name.replace("/", "_") + ".eml", data)
            if isinstance(reading, Unread):
                out.append((name, label, None, []))
            else:
                parts = [(p.part, cut(p.text)) for p in reading.parts if p.text.strip()]
                out.append((name, label, reading.record, parts))
    finally:
        reader.close()
    return out


def register() -> Any:
    """The school register the service reads with (a school's name as written is resolved through it)."""
    from config.settings import load_settings
    from extraction.schools import SchoolRegister

    return SchoolRegister.from_csv_text(load_settings(os.environ).school_register.read_text(encoding="utf-8-sig"))


def school_mentions(schools: Any, text: str, label: dict) -> list[tuple[int, int, str]]:
    """Where the text names a labelled child's school as the register reads it ("Court Moor" for Court Moor
    School): (start, end, the labelled name)."""
    wanted = {}
    for child in label.get("children") or []:
        name, urn = _get(child, "school.name"), _get(child, "school.urn")
        if name:
            wanted[fold(name)] = name
            if urn:
                wanted[re.sub(r"\D", "", urn)] = name
    out = []
    for match, _, start, end in schools.find_in_text(text) if wanted else ():
        if match is not None and (match.urn in wanted or fold(match.name) in wanted):
            out.append((start, end, wanted.get(match.urn) or wanted[fold(match.name)]))
    return out


def docbin(nlp: Any, messages: Iterable[tuple[str, dict, Any, list[tuple[str, str]]]], path: Path,
           schools: Any = None) -> Counter:
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


def train(train_msgs: list, dev_msgs: list, work: Path, max_steps: int, patience: int = 1500, seed: int = 7) -> Path:
    import spacy

    work.mkdir(parents=True, exist_ok=True)
    blank = spacy.blank("en")
    schools = register()
    tally = docbin(blank, train_msgs, work / "train.spacy", schools)
    docbin(blank, dev_msgs, work / "dev.spacy", schools)
    print("training values located in the text (found/labelled): " + ", ".join(
        f"{f} {tally[(f, True)]}/{tally[(f, True)] + tally[(f, False)]}" for f in FIELDS), flush=True)
    py = sys.executable
    subprocess.run([py, "-m", "spacy", "init", "config", str(work / "config.cfg"), "--lang", "en", "--pipeline",
                    "spancat", "--optimize", "efficiency", "--force"], check=True, capture_output=True)
    command = [py, "-m", "spacy", "train", str(work / "config.cfg"), "--output", str(work / "model"),
               "--paths.train", str(work / "train.spacy"), "--paths.dev", str(work / "dev.spacy"),
               "--training.seed", str(seed), "--training.max_steps", str(max_steps),
               "--training.eval_frequency", "100", "--training.patience", str(patience),
               "--components.spancat.suggester.sizes", json.dumps(SIZES)]
    started = time.monotonic()
    with open(work / "train.log", "w") as log:
        done = subprocess.run(command, stdout=log, stderr=subprocess.STDOUT)
    if done.returncode != 0:
        raise RuntimeError(f"spacy train failed: see {work / 'train.log'}")
    print(f"spacy train: {time.monotonic() - started:.0f} s (log: {work / 'train.log'})", flush=True)
    return work / "model" / "model-best"


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
            if not only_empty or _get(ref, path) is None:
                _set(ref, path, top[1], top[0])
        elif where == "children":
            for child in rec.get("children") or []:
                if only_empty and _get(child, path) is not None:
                    continue
                if field == "SCHOOL" and not only_empty and fold(top[1] or "") != fold(_get(child, path) or ""):
                    _set(child, "school.urn", None, 0.0)  # the rules' URN must not vouch for another name
                _set(child, path, top[1], top[0])
        else:  # parents: each distinct name read is a parent, in score order (at most two added)
            parents = rec.get("parents_carers") or []
            rec["parents_carers"] = parents
            if only_empty:
                have = {normalised("parent.name", _get(p, "name")) for p in parents}
                names = [(s, v) for s, v in spans if normalised("parent.name", v) not in have]
                slots = [p for p in parents if _get(p, "name") is None] if parents else []
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
