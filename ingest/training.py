"""`cme train`: retrain the statistical components on the officers' labels and the repository's corpora.

    cme train [--component textcat|spancat|both] [--approve] [--prior DIRS] [--max-steps N] [--max-epochs N]

The labels are split by time once (`ingest/corpus.py`: the corpora and the older stored labels to train on,
the newest stored labels to test on), and each component is trained on the older part and tested, with the
one in force, on the newer part it did not see: the category text classifier by its category accuracy
(`ingest/textcat.py`), the span categoriser by the field F1 of the whole extraction (`ingest/spancat.py`).
Each new model is stored as a version of its kind with its report, refused unless it beats the one in force;
`--approve` approves the ones not refused at once. The command exits 1 when every component it trained was
refused (or had nothing to learn).
"""
from __future__ import annotations

import argparse
import sys
from typing import Any

COMPONENTS = ("textcat", "spancat")


def add_arguments(ap: argparse.ArgumentParser) -> None:
    from ingest.corpus import DEFAULT_PRIOR

    ap.add_argument("--component", choices=(*COMPONENTS, "both"), default="both",
                    help="the category classifier (textcat), the span categoriser (spancat) or both (the default)")
    ap.add_argument("--approve", action="store_true", help="approve each new version at once (unless it is refused)")
    ap.add_argument("--prior", default=DEFAULT_PRIOR,
                    help="the labelled corpora counted as older than any stored label (joined with ':'; "
                         "default: the repository's)")
    ap.add_argument("--max-steps", type=int, default=0,
                    help="stop training after this many steps (default: the classifier spaCy's, up to "
                         "--max-epochs; the span categoriser 3100, as the shipped one was trained)")
    ap.add_argument("--max-epochs", type=int, default=30,
                    help="at most this many passes over the messages (the classifier)")


def run(settings: Any, sessions: Any, args: argparse.Namespace, out: Any = sys.stdout) -> int:
    from ingest import corpus, spancat, textcat

    split = corpus.time_split(corpus.stored(sessions), corpus.prior(args.prior), "trained")
    print(f"cme train: {split.described}", file=out, flush=True)
    trainers = {"textcat": textcat.run, "spancat": spancat.run}
    wanted = COMPONENTS if args.component == "both" else (args.component,)
    statuses = []
    for component in wanted:
        if len(wanted) > 1:
            print(f"cme train: {component}", file=out, flush=True)
        statuses.append(trainers[component](settings, sessions, args, split, out))
    return 0 if 0 in statuses else 1
