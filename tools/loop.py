"""Measure the learning loop on mail it did not learn from: corpus B before and after learning from corpus A.

    .venv/bin/python tools/loop.py A_DIR B_DIR [--json] [--keep DIR]

A and B are labelled corpora (NAME.eml beside NAME.json; several folders joined with ':'). Every step is
the `cme` command itself (`ingest.cli.main`), run on fresh temporary stores (a SQLite database and a local
Maildir under a data dir of their own; IMAP, SMTP and database settings of the environment are ignored,
so nothing is read from or sent to a real server):

- **before**, a store holding B only: B's mail is delivered to the Maildir and read by `cme poll --once`
  (the service's own intake), B's labels are kept with `cme labels import B`, and `cme eval` scores B.
- **after**, a second store: A is delivered, polled and its labels imported; then the learning step runs
  on that store, which holds A's labels and nothing of B (`cme calibrate --from-store --approve --prior ''`,
  `cme train --approve --prior ''`: no repository corpus joins in, and a new version that is not refused is
  in force at once; each only when this build's `cme` has it, otherwise reported "not run"; each in a process
  of its own, its last lines shown: one that refuses, as with under 20 labels in A or a version no better than
  the one in force, says why and nothing is learnt); only then is B delivered,
  polled and its labels imported, and `cme eval --since MOMENT` scores the labels made from that moment
  on, B's alone, with what was learnt.

B's labels are never in a store when something learns. Prints a before/after table of
auto_accept_precision, review_rate and field_f1 on B (and the rest of the scorer's summary); `--json`
prints both metric sets and what each learning step did.
"""
from __future__ import annotations

import argparse
import contextlib
import io
import json
import logging
import mailbox
import os
import re
import shutil
import subprocess
import sys
import tempfile
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Iterator

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from extraction.scoring import summary_line  # noqa: E402
from ingest import cli  # noqa: E402

# settings of the environment a measurement must not use: it never touches a real mailbox, server or database
IGNORED_SETTINGS = re.compile(r"^CME_(IMAP_|SMTP_|OAUTH_|DATABASE_URL|DATA_DIR|SETTINGS_FILE|LEGAL_ADDRESS)")
# the learning steps, in order: (name, the `cme` subcommand, the option it must offer, its arguments)
# `--prior ''`: no corpus of the repository's joins in (those hold the blind batches and the held-out corpus, which
# may be B); `--approve`: the new version is in force at once unless it is refused
LEARNING = (("calibrate from the store", "calibrate", "--from-store", ["calibrate", "--from-store", "--approve", "--prior", ""]),
            ("train", "train", None, ["train", "--approve", "--prior", ""]))
MAX_POLLS = 100  # a poll reads at most 500 messages: this is 50,000 messages a corpus
SHOWN = ("auto_accept_precision", "review_rate", "field_f1", "category_accuracy", "urgent_recall", "messages")


def labelled(folders: str) -> list[Path]:
    """The .eml files of a labelled corpus (those with a NAME.json beside them)."""
    found = []
    for folder in map(Path, folders.split(":")):
        emls = [p.with_suffix(".eml") for p in sorted(folder.glob("*.json")) if p.with_suffix(".eml").exists()]
        if not emls:
            raise SystemExit(f"{folder}: no labelled messages (NAME.eml beside NAME.json)")
        found += emls
    return found


class Store:
    """A fresh data dir: its own SQLite database, local Maildir and outbox folder."""

    def __init__(self, root: Path, name: str) -> None:
        self.data_dir = root / name
        self.data_dir.mkdir(parents=True)
        # made here, so the local mailbox is not seeded with the samples as `make run` seeds a new one
        (self.data_dir / "mailbox").mkdir()
        mailbox.Maildir(str(self.data_dir / "mailbox" / "INBOX"), create=True)
        self.log: list[str] = []

    @contextlib.contextmanager
    def _environment(self) -> Iterator[None]:
        saved = dict(os.environ)
        for key in [k for k in os.environ if IGNORED_SETTINGS.match(k)]:
            del os.environ[key]
        os.environ["CME_DATA_DIR"] = str(self.data_dir)
        try:
            yield
        finally:
            os.environ.clear()
            os.environ.update(saved)

    def cme(self, *args: str) -> tuple[int, str]:
        """`cme ARGS` on this store; (exit code, what it printed on standard output)."""
        out = io.StringIO()
        with self._environment(), contextlib.redirect_stdout(out):
            try:
                code = cli.main(list(args))
            except SystemExit as exc:  # argparse, or a command refusing its arguments (its reason is the code)
                code = exc.code if isinstance(exc.code, int) else 2
                if isinstance(exc.code, str):
                    out.write(exc.code + "\n")
        self.log.append(f"cme {' '.join(args)} -> {code}")
        return code, out.getvalue()

    def cme_apart(self, *args: str) -> tuple[int, str]:
        """`cme ARGS` on this store in a process of its own (a learning step: its whole output, standard error
        included, whatever the command bound its output to); (exit code, what it printed)."""
        with self._environment():
            done = subprocess.run([sys.executable, "-m", "ingest.cli", *args], cwd=ROOT, env=dict(os.environ),
                                  capture_output=True, text=True, check=False)
        self.log.append(f"cme {' '.join(args)} -> {done.returncode}")
        return done.returncode, done.stdout + done.stderr

    def deliver(self, emls: list[Path]) -> str:
        """Drop the mail into the Maildir's INBOX and poll until the inbox is read; the last poll's summary."""
        box = mailbox.Maildir(str(self.data_dir / "mailbox" / "INBOX"), create=False)
        for path in emls:
            box.add(path.read_bytes())
        for _ in range(MAX_POLLS):
            code, printed = self.cme("poll", "--once")
            if code != 0:
                raise SystemExit(f"cme poll --once failed ({code}) on {self.data_dir}")
            if "more=waiting" not in printed:
                return printed.strip()
        raise SystemExit(f"the inbox of {self.data_dir} was still not read after {MAX_POLLS} polls")

    def import_labels(self, folders: str) -> list[str]:
        lines = []
        for folder in folders.split(":"):
            code, printed = self.cme("labels", "import", folder)
            if code != 0:
                raise SystemExit(f"cme labels import {folder} failed ({code})")
            lines.append(printed.strip())
        return lines

    def labelled_messages(self) -> list[str]:
        """The Message-IDs of the stored messages that have a label now."""
        from config.settings import load_settings
        from store.db import make_engine, session_factory
        from store.labels import labels

        engine = make_engine(load_settings({"CME_DATA_DIR": str(self.data_dir)}).database_url)
        try:
            with session_factory(engine)() as session:
                return [label.message_id or "" for label in labels(session)]
        finally:
            engine.dispose()

    def evaluate(self, since: datetime | None = None) -> dict[str, Any]:
        args = ["eval", "--json"] + (["--since", since.isoformat()] if since else [])
        code, printed = self.cme(*args)
        if code != 0:
            raise SystemExit(f"cme {' '.join(args)} failed ({code}): no labelled message of B was scored")
        return json.loads(printed)


def learning_steps() -> list[tuple[str, list[str], bool]]:
    """Each learning step: its name, the `cme` arguments that run it, and whether this build's `cme` has it."""
    parser = cli.build_parser()
    commands = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction)).choices
    steps = []
    for name, command, option, args in LEARNING:
        sub = commands.get(command)
        present = sub is not None and (option is None or any(option in a.option_strings for a in sub._actions))
        steps.append((name, args, present))
    return steps


def learn(store: Store) -> list[dict[str, Any]]:
    """Run each learning step this build has on `store`; what each did."""
    done = []
    for name, args, present in learning_steps():
        if not present:
            done.append({"step": name, "outcome": "not run", "why": f"this build's cme has no `cme {' '.join(args)}`"})
            continue
        code, printed = store.cme_apart(*args)
        done.append({"step": name, "outcome": "run" if code == 0 else f"run, exit {code}",
                     "printed": [line for line in printed.strip().splitlines() if line.strip()][-6:]})
    return done


def in_force(store: Store) -> str:
    """The calibration, classifier and span categoriser versions the store's reader uses (0: the shipped file)."""
    from config.settings import load_settings
    from ingest.versions import versions_in_force
    from store.db import make_engine, session_factory

    engine = make_engine(load_settings({"CME_DATA_DIR": str(store.data_dir)}).database_url)
    try:
        numbers = versions_in_force(session_factory(engine))
    finally:
        engine.dispose()
    return ", ".join(f"{kind} {'v' + str(n) if n else 'shipped'}" for kind, n in numbers._asdict().items())


def measure(a: str, b: str, root: Path, say: Any = print) -> dict[str, Any]:
    """The loop on two labelled corpora, in fresh stores under `root`."""
    a_mail, b_mail = labelled(a), labelled(b)
    say(f"A: {len(a_mail)} labelled messages ({a}); B: {len(b_mail)} labelled messages ({b})")

    before = Store(root, "before")
    say(f"before: B delivered, {before.deliver(b_mail)}")
    for line in before.import_labels(b):
        say(f"before: {line}")
    before_metrics = before.evaluate()
    say(f"before: {summary_line(before_metrics)}")

    after = Store(root, "after")
    say(f"after: A delivered, {after.deliver(a_mail)}")
    for line in after.import_labels(a):
        say(f"after: {line}")
    labels_when_learning = after.labelled_messages()  # A's labels, and nothing of B
    steps = learn(after)
    for step in steps:
        say(f"after: learning step '{step['step']}': {step['outcome']}" + (f" ({step['why']})" if "why" in step else ""))
        for line in step.get("printed", ()):
            say(f"after:   {line}")
    versions = in_force(after)
    say(f"after: in force for B: {versions}")
    say(f"after: B delivered, {after.deliver(b_mail)}")
    b_labelled_from = datetime.now(timezone.utc)
    for line in after.import_labels(b):
        say(f"after: {line}")
    after_metrics = after.evaluate(since=b_labelled_from)
    say(f"after: {summary_line(after_metrics)}")
    return {"a": a, "b": b, "a_messages": len(a_mail), "b_messages": len(b_mail), "learning": steps,
            "labels_when_learning": labels_when_learning, "in_force_after": versions,
            "before": before_metrics, "after": after_metrics}


def _figure(value: Any) -> str:
    if value is None:
        return "n/a"
    return str(value) if isinstance(value, int) else f"{value:.3f}"


def table(result: dict[str, Any]) -> str:
    """The before/after table on B, as Markdown."""
    learnt = ", ".join(f"{s['step']}: {s['outcome']}" for s in result["learning"]) + f"; in force after: {result['in_force_after']}"
    lines = [f"on B ({result['b']}), before and after learning from A ({result['a']}); learning: {learnt}", "",
             "| on B | before | after |", "|---|---|---|"]
    for key in SHOWN:
        lines.append(f"| {key} | {_figure(result['before'].get(key))} | {_figure(result['after'].get(key))} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("a", help="the labelled corpus learnt from (several folders joined with ':')")
    ap.add_argument("b", help="the labelled corpus measured on (several folders joined with ':')")
    ap.add_argument("--json", action="store_true", help="both metric sets and the learning steps as JSON")
    ap.add_argument("--keep", type=Path, help="build the stores in this (new) folder and keep them")
    args = ap.parse_args(argv)
    logging.basicConfig(level=logging.WARNING)  # the polls' per-message log lines stay quiet
    if args.keep:
        args.keep.mkdir(parents=True, exist_ok=False)
        root, cleanup = args.keep, None
    else:
        cleanup = tempfile.mkdtemp(prefix="cme-loop-")
        root = Path(cleanup)
    try:
        result = measure(args.a, args.b, root, say=lambda line: print(line, file=sys.stderr, flush=True))
    finally:
        if cleanup:
            shutil.rmtree(cleanup, ignore_errors=True)
    if args.json:
        print(json.dumps(result, indent=2, ensure_ascii=False, default=str))
    else:
        print(table(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
