"""Experiment: a spaCy text classifier for the category, trained with `spacy train`, against the rules.

    .venv/bin/python tools/textcat.py TRAIN_DIRS DEV_DIR TEST_DIRS [--out var/textcat]

Folders are labelled corpora (NAME.eml beside NAME.json); several joined with ':'. The text is the
subject and the readable parts as the parser gives them. The model is trained on TRAIN (DEV for early
stopping) and compared with the rules' category on TEST, which neither was written on: alone, and as a
second opinion where the rules say their category is uncertain. Nothing here is used by the service
unless it wins; the README records the outcome. The training recipe itself is `ingest/textcat.py`'s, which
`cme train` uses on the officers' labels (and stores as a version an admin approves).
"""
from __future__ import annotations

import argparse
import json
import shutil
from dataclasses import replace
import sys
from pathlib import Path

import spacy

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from config.settings import load_settings  # noqa: E402
from extraction.category_model import category_text  # noqa: E402
from extraction.context import TEXTCAT_DIR, build_context  # noqa: E402
from extraction.extract import extract_referral  # noqa: E402
from ingest.textcat import train  # noqa: E402
from parsers.mime import parse_message  # noqa: E402


def corpus(folders: str) -> list[tuple[str, bytes, str]]:
    out = []
    for folder in map(Path, folders.split(":")):
        for label in sorted(folder.glob("*.json")):
            eml = label.with_suffix(".eml")
            if eml.exists():
                out.append((eml.name, eml.read_bytes(), json.loads(label.read_text())["category"]))
    return out


def text_of(name: str, data: bytes) -> str:
    return category_text(parse_message(data, name))


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("train")
    ap.add_argument("dev")
    ap.add_argument("test")
    ap.add_argument("--out", default=str(ROOT / "var" / "textcat"))
    ap.add_argument("--write", action="store_true", help=f"keep the trained model as the service's ({TEXTCAT_DIR})")
    args = ap.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    test = corpus(args.test)
    best = train([(text_of(n, d), c) for n, d, c in corpus(args.train)],
                 [(text_of(n, d), c) for n, d, c in corpus(args.dev)], out)
    model = spacy.load(best)
    context = replace(build_context(load_settings({})), textcat=None)  # the rules alone
    rows = []
    for name, data, category in test:
        doc = model(text_of(name, data))
        guess = max(doc.cats, key=doc.cats.get)
        record = extract_referral(parse_message(data, name), context)
        uncertain = any("is uncertain" in r and "category" in r for r in record.review_reasons)
        rows.append((category, record.category, guess, doc.cats[guess], uncertain))
    n = len(rows)
    rules = sum(1 for c, r, _, _, _ in rows if c == r) / n
    model_acc = sum(1 for c, _, g, _, _ in rows if c == g) / n
    second = sum(1 for c, r, g, _, u in rows if c == (g if u else r)) / n
    print(f"test messages {n}: rules {rules:.3f}, text classifier {model_acc:.3f}, "
          f"classifier where the rules are uncertain {second:.3f}")
    for c, r, g, p, u in rows:
        if c != r or c != g:
            print(f"  label {c:14} rules {r:14} model {g:14} ({p:.2f}){' rules uncertain' if u else ''}")
    if args.write:
        shutil.rmtree(TEXTCAT_DIR, ignore_errors=True)
        shutil.copytree(best, TEXTCAT_DIR)
        print(f"wrote {TEXTCAT_DIR}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
