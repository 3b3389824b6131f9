"""`cme train`'s category text classifier: retrained on the officers' labels and the repository's corpora.

    cme train [--component textcat|both] [--approve] [--prior DIRS] [--max-steps N]

The recipe (moved here from tools/textcat.py, which still runs the experiment on folders): each
message's text as the classifier reads it (`extraction.category_model.category_text`: the subject and
each readable part's opening, given by the isolated reader, so the service never parses stored mail),
a spaCy `textcat` pipeline (bag of words) made by `spacy init config` and trained by `spacy train` in
a subprocess, the newest part of the training messages used for early stopping.

It is trained on the older labels (`ingest/corpus.py`: the corpora and the older stored labels) and
tested, with the classifier in force, on the newer labels it did not see: the category accuracy of
the whole extraction with each, the classifier taken only where the rules are unsure, as the service
takes it. The new model is stored as a textcat version (its directory as a tar.gz) with the report;
one that does not beat the classifier in force is stored refused and can never be approved. With too
few stored labels for a time split the last corpus folder is the test, and the report says so.
"""
from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from dataclasses import replace
from pathlib import Path
from typing import Any, Sequence

from extraction.scoring import CATEGORIES as LABELLED_CATEGORIES  # the classifier's labels (extraction.classify's)

DEV_SHARE = 0.15  # the newest of the training messages, for early stopping
VECTOR_LENGTH = 65536  # hashed bag-of-words features (the shipped model's: 2.8 MB)


def docbin(nlp: Any, items: Sequence[tuple[str, str]], path: Path) -> None:
    """(text, category) pairs as spaCy's training file."""
    from spacy.tokens import DocBin

    db = DocBin()
    for text, category in items:
        doc = nlp.make_doc(text)
        doc.cats = {c: float(c == category) for c in LABELLED_CATEGORIES}
        db.add(doc)
    db.to_disk(path)


def train(train_items: Sequence[tuple[str, str]], dev_items: Sequence[tuple[str, str]], work: Path,
          max_epochs: int = 30, max_steps: int = 0, seed: int = 7) -> Path:
    """`spacy train` on the pairs; the best model's directory (under `work`)."""
    import spacy

    work.mkdir(parents=True, exist_ok=True)
    blank = spacy.blank("en")
    docbin(blank, train_items, work / "train.spacy")
    docbin(blank, dev_items, work / "dev.spacy")
    py = sys.executable
    subprocess.run([py, "-m", "spacy", "init", "config", str(work / "config.cfg"), "--lang", "en", "--pipeline",
                    "textcat", "--optimize", "efficiency", "--force"], check=True, capture_output=True)
    command = [py, "-m", "spacy", "train", str(work / "config.cfg"), "--output", str(work / "model"),
               "--paths.train", str(work / "train.spacy"), "--paths.dev", str(work / "dev.spacy"),
               "--training.max_epochs", str(max_epochs), "--training.patience", "600",
               "--training.seed", str(seed), "--components.textcat.model.length", str(VECTOR_LENGTH)]
    if max_steps:
        command += ["--training.max_steps", str(max_steps), "--training.eval_frequency",
                    str(max(1, min(200, max_steps // 2)))]
    done = subprocess.run(command, capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError("spacy train failed: " + (done.stderr.strip().splitlines() or ["(no message)"])[-1])
    return work / "model" / "model-best"


def _texts(reader: Any, items: Any) -> list[tuple[str, str]]:
    out = []
    for item in items:
        category = item.label.get("category")
        if category not in LABELLED_CATEGORIES:
            continue
        text = reader.category_text(item.name.replace("/", "_"), item.data)
        if text is not None:
            out.append((text, category))
    return out


def category_accuracy(reader: Any, items: Any) -> tuple[float, int]:
    """(share of messages whose record's category is the label's, messages read)."""
    from ingest.reader import Reading

    right = n = 0
    for item in items:
        reading = reader.read(item.name.replace("/", "_"), item.data)
        if isinstance(reading, Reading):
            n += 1
            right += int(reading.record.get("category") == item.label.get("category"))
    return (right / n if n else 0.0), n


def run(settings: Any, sessions: Any, args: argparse.Namespace, split: Any, out: Any = sys.stdout) -> int:
    """Train a classifier on `split.older`, test it and the one in force on `split.newer`, and store it as a
    textcat version (refused unless its category accuracy beats the one in force); the exit status."""
    from ingest.reader import Reader
    from ingest.versions import keep_version, pack, reader_config
    from store import versions

    current = reader_config(settings, sessions)
    with Reader(current) as reader:
        texts = _texts(reader, split.older)
    if len({c for _, c in texts}) < 2:
        print("cme train: the training messages hold fewer than two categories; nothing to learn", file=out)
        return 1
    cut = len(texts) - max(1, round(len(texts) * DEV_SHARE))
    work_root = Path(settings.data_dir) / "models"
    work_root.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=".training-", dir=work_root))
    try:
        model_dir = train(texts[:cut] if cut > 0 else texts, texts[cut:], work, args.max_epochs, args.max_steps)
        scores = {}
        for name, config in (("new", replace(current, textcat_dir=model_dir)), ("current", current)):
            with Reader(config) as reader:
                scores[name] = category_accuracy(reader, split.newer)
        (accuracy, tested), (current_accuracy, _) = scores["new"], scores["current"]
        with sessions() as session:
            number = versions.in_force(session, "textcat")
        report = {"split": split.described, "trained_on": cut if cut > 0 else len(texts),
                  "early_stopping_on": len(texts) - cut if cut > 0 else len(texts), "tested_on": tested,
                  "stored_labels_trained": split.stored_older, "stored_labels_tested": split.stored_newer,
                  "accuracy": round(accuracy, 4), "current_version": number,
                  "current_accuracy": round(current_accuracy, 4), "max_steps": args.max_steps,
                  "max_epochs": args.max_epochs, "measure": "category accuracy of the whole extraction, the "
                  "classifier taken only where the rules are unsure"}
        refused = None
        if accuracy <= current_accuracy:
            refused = (f"its category accuracy {accuracy:.3f} does not beat the {current_accuracy:.3f} of textcat "
                       f"version {number} in force, on the same {tested} test messages")
        artefact = pack(model_dir)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(f"category accuracy on {tested} test messages: new {accuracy:.3f}, version {number} in force "
          f"{current_accuracy:.3f}", file=out)
    return keep_version(sessions, "textcat", artefact, report, refused, args.approve, out)
