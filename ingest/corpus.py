"""The labelled messages `cme calibrate --from-store` and `cme train` learn from and are tested on.

The officers' labels in the store (`store/labels.py`), in the order their messages arrived, and the
repository's labelled corpora (`tests/data/heldout`, `tests/data/blind/*`), which count as older than any
stored label. Split by time: fit (or train) on the older, test on the newer labels it did not see. With
fewer than MIN_SPLIT stored labels there are too few newer ones to test on: then the last corpus folder
is held out as the test, every stored label joins the older part, and the split says so.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Sequence

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_PRIOR = ":".join(str(p.relative_to(ROOT)) for p in
                         [ROOT / "tests" / "data" / "heldout", *sorted((ROOT / "tests" / "data" / "blind").glob("*"))])
MIN_SPLIT = 20  # stored labels needed before the newest of them are the test
TEST_SHARE = 1 / 3  # the newest third of the stored labels is the test


@dataclass(frozen=True)
class Labelled:
    name: str
    data: bytes
    label: dict[str, Any]


@dataclass(frozen=True)
class Split:
    older: tuple[Labelled, ...]  # fitted or trained on
    newer: tuple[Labelled, ...]  # tested on
    described: str  # what each part is, in words (for the report)
    stored_older: int = 0
    stored_newer: int = 0


def folder(path: Path) -> list[Labelled]:
    """The labelled messages of one corpus folder (`NAME.eml` beside `NAME.json`)."""
    out = []
    for label in sorted(path.glob("*.json")):
        eml = label.with_suffix(".eml")
        if eml.exists():
            out.append(Labelled(f"{path.name}/{eml.name}", eml.read_bytes(),
                                json.loads(label.read_text(encoding="utf-8"))))
    return out


def prior(folders: str) -> list[tuple[str, list[Labelled]]]:
    """The repository's corpora named by `folders` (joined with ':', relative to the repository or absolute);
    '' for none."""
    out = []
    for name in filter(None, folders.split(":")):
        path = Path(name) if Path(name).is_absolute() else ROOT / name
        items = folder(path)
        if not items:
            raise SystemExit(f"{path}: no labelled messages (NAME.eml beside NAME.json)")
        out.append((name, items))
    return out


def stored(sessions: Callable[[], Any]) -> list[Labelled]:
    """Every label in the store with its message's bytes, in the order the messages arrived."""
    from store.labels import labels
    from store.ledger import raw_bytes

    with sessions() as session:
        found = labels(session)
    out = []
    for label in found:
        with sessions() as session:
            data = raw_bytes(session, label.message_entry_id)
        out.append(Labelled(label.reference or f"message-{label.message_entry_id}", data, label.label))
    return out


def time_split(stored_labels: Sequence[Labelled], corpora: Sequence[tuple[str, list[Labelled]]],
               verb: str = "fitted") -> Split:
    """Older (the corpora, then the older stored labels) and newer (the newest stored labels); with too few
    stored labels, the last corpus is the test instead. `verb`: what is done with the older part, in words."""
    corpus_items = [item for _, items in corpora for item in items]
    names = ", ".join(name for name, _ in corpora) or "no corpus"
    n = len(stored_labels)
    if n >= MIN_SPLIT:
        cut = n - max(1, round(n * TEST_SHARE))
        return Split(tuple(corpus_items) + tuple(stored_labels[:cut]), tuple(stored_labels[cut:]),
                     f"{verb} on the corpora ({names}) and the {cut} older stored labels; tested on the "
                     f"{n - cut} newest stored labels", cut, n - cut)
    if len(corpora) < 2:
        raise SystemExit(f"only {n} stored labels (a time split needs {MIN_SPLIT}) and no second corpus folder "
                         "to test on: name two or more with --prior")
    held_name, held = corpora[-1]
    rest = ", ".join(name for name, _ in corpora[:-1])
    older = [item for _, items in corpora[:-1] for item in items] + list(stored_labels)
    return Split(tuple(older), tuple(held),
                 f"only {n} stored labels, too few for a time split (under {MIN_SPLIT}): {verb} on the corpora "
                 f"({rest}) and the {n} stored labels; tested on the corpus {held_name}, which it did not see",
                 n, 0)
