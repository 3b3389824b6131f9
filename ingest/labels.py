"""`cme labels export DIR`, `cme labels import DIR` and `cme eval`: the officers' decisions as a labelled corpus.

    cme labels export DIR [--raw] [--since DATE]
    cme labels import DIR
    cme eval [--since DATE] [--json] [--no-record]

Every case an officer decided, corrected or closed leaves its record as its message's label
(`store/labels.py`). `export` writes each labelled message as `NAME.eml` + `NAME.json` (NAME is
the case reference), the layout of the labelled corpora that `cme calibrate` and the corpora's
scorer read. By default it is pseudonymised: the message is read by the isolated reader (as `cme
extract` reads it), every name, date of birth, address, phone, email and UPN of its label is
replaced in the label and in the message's text (`ingest/pseudonyms.py`: the same person gets the
same invented name in every file), and the mail is rebuilt as plain text (From, To, Subject,
Date, Message-ID and the text of every readable part); the original mail is never written.
`--raw` writes the stored mail and the real label: the children's data itself, for an operator
with the same access as the database.

`import` keeps the labels of a folder in that layout for messages already stored, matched by the
Message-ID of each `NAME.eml` (of several stored messages with that Message-ID, the one with the same
bytes); they are marked imported and never replace an officer's label.

`eval` re-reads every labelled message in the store with the current extraction, through the
same isolated reader as `cme extract`, and prints the scorer's summary line
(`extraction/scoring.py`) and the reliability table of the values it scored (each value's
confidence, the calibrated probability, against the share of them right: `extraction/calibration.py`);
`--json` prints every metric. Each run is kept in the database (`store/eval_runs.py`: when, who, the
command, the summary figures, the extraction's build and confidence model) for the reports page,
unless `--no-record`.
"""
from __future__ import annotations

import argparse
import getpass
import hashlib
import json
import re
import sys
from datetime import datetime, time, timezone
from email.message import EmailMessage
from email.parser import BytesHeaderParser
from email.policy import default as default_policy
from email.utils import format_datetime, formataddr, parseaddr
from pathlib import Path
from typing import Any, Callable, TextIO

from extraction.scoring import CATEGORIES, score, summary_line
from ingest.pseudonyms import Pseudonymised, Pseudonyms

HEADER_SOURCE = re.compile(r"From: (?P<sender>[^\n]*)\nTo: (?P<to>[^\n]*)\nSubject: (?P<subject>.*?)\nDate: (?P<date>[^\n]*)\n?",
                           re.DOTALL)


def add_arguments(sub: Any, labels_handler: Callable[..., int], eval_handler: Callable[..., int]) -> None:
    """The `labels` and `eval` commands on `cme`'s subcommands."""
    p = sub.add_parser("labels", help="the officers' decisions as a labelled corpus: export, import")
    actions = p.add_subparsers(dest="labels_command", required=True)
    p = actions.add_parser("export", help="write each labelled message as NAME.eml + NAME.json (pseudonymised)")
    p.add_argument("folder", type=Path)
    p.add_argument("--raw", action="store_true",
                   help="keep the real mail and values (the children's data: needs the database's access)")
    p.add_argument("--since", help="only labels made on or after this date (2026-11-01)")
    p.set_defaults(func=labels_handler)
    p = actions.add_parser("import", help="keep the labels of NAME.eml + NAME.json for stored messages")
    p.add_argument("folder", type=Path)
    p.set_defaults(func=labels_handler)
    p = sub.add_parser("eval", help="re-read every labelled message and score the extraction against its label")
    p.add_argument("--since", help="only labels made on or after this date (2026-11-01) or moment "
                                   "(2026-11-01T09:30:00+00:00)")
    p.add_argument("--json", action="store_true", help="every metric as JSON instead of the summary line")
    p.add_argument("--no-record", action="store_true", help="do not keep this run in the database")
    p.set_defaults(func=eval_handler)


def since_of(value: str | None) -> datetime | None:
    """--since DATE as the start of that day (UTC), or --since MOMENT (ISO 8601; UTC when it names no zone);
    SystemExit with a message when it is neither."""
    if not value:
        return None
    try:
        return datetime.combine(datetime.strptime(value, "%Y-%m-%d").date(), time(0), tzinfo=timezone.utc)
    except ValueError:
        pass
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise SystemExit("cme: --since must be a date like 2026-11-01 or a moment like 2026-11-01T09:30:00+00:00") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def _name_of(label: Any) -> str:
    return label.reference or f"message-{label.message_entry_id}"


def _rebuilt(done: Pseudonymised, date: str, message_id: str | None) -> bytes:
    """A plain-text mail of the pseudonymised header values and text (nothing of the original bytes)."""
    msg = EmailMessage(policy=default_policy)
    name, address = parseaddr(done.sender.replace("\n", " "))
    msg["From"] = formataddr((name, address)) if "@" in address else "unknown@example.com"
    msg["To"] = ", ".join(formataddr(a) for a in _addresses(done.to)) or "cme@hants.gov.uk"
    msg["Subject"] = " ".join(done.subject.split())
    try:  # the reader gives the Date header as ISO 8601
        msg["Date"] = format_datetime(datetime.fromisoformat(date.strip()))
    except ValueError:  # no date, or one that cannot be read: left out
        pass
    if message_id:
        msg["Message-ID"] = message_id
    msg["X-CME-Pseudonymised"] = "yes"
    msg.set_content(done.text)
    return msg.as_bytes(policy=default_policy.clone(max_line_length=998))  # a long Message-ID stays on its line


def _addresses(value: str) -> list[tuple[str, str]]:
    from email.utils import getaddresses

    return [(n, a) for n, a in getaddresses([value.replace("\n", " ")]) if "@" in a]


def export(sessions: Callable[[], Any], reader: Any, folder: Path, raw: bool, since: datetime | None,
           err: TextIO) -> tuple[int, int]:
    """Write the labelled messages to `folder`; (written, left out because they could not be read)."""
    from store.labels import labels
    from store.ledger import raw_bytes

    folder.mkdir(parents=True, exist_ok=True)
    written = unread = 0
    with sessions() as session:
        found = labels(session, since)
    pseudonyms = Pseudonyms([label.label for label in found]) if not raw else None
    for label in found:
        name = _name_of(label)
        with sessions() as session:
            data = raw_bytes(session, label.message_entry_id)
        if raw:
            (folder / f"{name}.eml").write_bytes(data)
            values = label.label
        else:
            reading = reader.read(f"{name}.eml", data)
            text = getattr(reading, "text", None)
            header = HEADER_SOURCE.match(text) if text is not None else None
            if header is None:
                print(f"{name}: left out, it could not be read again", file=err)
                unread += 1
                continue
            assert pseudonyms is not None
            done = pseudonyms.pseudonymise(label.label, header["sender"], header["to"], header["subject"],
                                           text[header.end():])
            (folder / f"{name}.eml").write_bytes(_rebuilt(done, header["date"], reading.thread.message_id))
            values = done.label
        (folder / f"{name}.json").write_text(json.dumps(values, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        written += 1
    return written, unread


def import_folder(sessions: Callable[[], Any], folder: Path, actor: str, now: datetime,
                  err: TextIO) -> dict[str, int]:
    """Keep the labels of `folder` for stored messages (by Message-ID); counts by outcome."""
    from store.labels import import_label

    counts = {"imported": 0, "kept": 0, "unknown": 0, "unreadable": 0}
    for path in sorted(folder.glob("*.json")):
        eml = path.with_suffix(".eml")
        if not eml.exists():
            continue
        try:
            label = json.loads(path.read_text(encoding="utf-8"))
            data = eml.read_bytes()
            headers = BytesHeaderParser(policy=default_policy).parsebytes(data[:262144])
            message_id = str(headers["message-id"] or "").strip()
        except (ValueError, OSError, TypeError):
            label, message_id, data = None, "", b""
        if not isinstance(label, dict) or label.get("category") not in CATEGORIES or not message_id:
            print(f"{path.stem}: not a label with a message that has a Message-ID, left out", file=err)
            counts["unreadable"] += 1
            continue
        with sessions() as session:
            outcome = import_label(session, message_id, label, actor, now, hashlib.sha256(data).hexdigest())
            session.commit()
        if outcome == "unknown":
            print(f"{path.stem}: no stored message has its Message-ID", file=err)
        counts[outcome] += 1
    return counts


def evaluate(sessions: Callable[[], Any], reader: Any, since: datetime | None) -> dict[str, Any]:
    """Re-read every labelled message with the current extraction; the scorer's metrics, with the
    reliability table of every value given (`reliability`: per bin its values, mean confidence and share
    right) and its expected calibration error (`ece`; None when no value was given)."""
    from extraction.calibration import reliability
    from extraction.grading import grade
    from extraction.model import MessageInfo, Referral
    from ingest.reader import Unread
    from store.labels import labels
    from store.ledger import raw_bytes

    predictions: dict[str, dict[str, Any]] = {}
    expected: dict[str, dict[str, Any]] = {}
    with sessions() as session:
        found = labels(session, since)
    for label in found:
        name = _name_of(label)
        with sessions() as session:
            data = raw_bytes(session, label.message_entry_id)
        reading = reader.read(f"{name}.eml", data)
        if isinstance(reading, Unread):
            record = Referral(source=MessageInfo(f"{name}.eml", None, None, None, None), error=reading.reason).to_record()
        else:
            record = reading.record
        predictions[name], expected[name] = record, label.label
    metrics = score(predictions, expected)
    outcomes = [o for name, record in predictions.items() if "error" not in record
                for o in grade(record, expected[name]).outcomes]
    rows, ece = reliability([o.confidence for o in outcomes], [o.right for o in outcomes])
    metrics["reliability"] = [{"bin": f"{lo:.1f}-{hi:.1f}", "values": n, "mean_probability": round(p, 3),
                               "share_right": round(a, 3)} for lo, hi, n, p, a in rows]
    metrics["ece"] = round(ece, 4) if outcomes else None
    return metrics


def reliability_table(metrics: dict[str, Any]) -> str:
    """The reliability table of `evaluate`'s metrics, as `cme calibrate` prints its own."""
    lines = [f"calibration of the {sum(r['values'] for r in metrics['reliability'])} values scored "
             "(confidence against the share right):",
             f"{'bin':>9} {'values':>7} {'mean p':>7} {'right':>7}"]
    lines += [f"{r['bin']:>9} {r['values']:>7} {r['mean_probability']:>7.3f} {r['share_right']:>7.3f}"
              for r in metrics["reliability"]]
    lines.append("ECE n/a (no value given)" if metrics["ece"] is None else f"ECE {metrics['ece']:.4f}")
    return "\n".join(lines)


def record_run(sessions: Callable[[], Any], metrics: dict[str, Any], since: datetime | None, command: str,
               ran_by: str, now: datetime) -> int:
    """Keep this run of `cme eval` (store/eval_runs.py) with the build it measured and the calibration and
    classifier versions in force (a stored version's number, or the shipped file's hash); its id."""
    from ingest.build import calibration_id, extraction_version
    from ingest.versions import versions_in_force
    from store import eval_runs

    calibration, textcat, spancat = versions_in_force(sessions)  # what the reader was given (ingest/versions.py)
    models = (f"calibration v{calibration}" if calibration else f"calibration shipped {calibration_id() or '(none)'}") + \
        (f"; textcat v{textcat}" if textcat else "; textcat shipped") + \
        (f"; spancat v{spancat}" if spancat else "; spancat shipped")
    run = eval_runs.run_of(metrics, ran_at=now, ran_by=ran_by, command=command, since=since,
                           extraction_version=extraction_version(), calibration_id=models, ece=metrics.get("ece"))
    with sessions() as session:
        run_id = eval_runs.record(session, run)
        session.commit()
    return run_id


# --- the command handlers (cme's composition root calls these) ---------------------------------------


def run_labels(args: argparse.Namespace, sessions: Callable[[], Any], make_reader: Callable[[], Any]) -> int:
    if args.labels_command == "import":
        if not args.folder.is_dir():
            print(f"cme: {args.folder} is not a folder", file=sys.stderr)
            return 2
        counts = import_folder(sessions, args.folder, f"import by {getpass.getuser()}"[:100],
                               datetime.now(timezone.utc), sys.stderr)
        print(f"labels import: {counts['imported']} imported, {counts['kept']} kept as an officer left them, "
              f"{counts['unknown']} not stored, {counts['unreadable']} unreadable")
        return 0
    since = since_of(args.since)
    reader = None if args.raw else make_reader()
    try:
        written, unread = export(sessions, reader, args.folder, args.raw, since, sys.stderr)
    finally:
        if reader is not None:
            reader.close()
    kind = "raw (real values: the children's data)" if args.raw else "pseudonymised"
    print(f"labels export: {written} labelled messages written to {args.folder}, {kind}"
          + (f"; {unread} left out (unreadable)" if unread else ""))
    return 0


def run_eval(args: argparse.Namespace, sessions: Callable[[], Any], make_reader: Callable[[], Any]) -> int:
    since = since_of(args.since)
    reader = make_reader()
    try:
        metrics = evaluate(sessions, reader, since)
    finally:
        reader.close()
    if not metrics["messages"]:
        print("cme eval: no labelled messages" + (" since " + args.since if args.since else ""), file=sys.stderr)
        return 1
    if args.json:
        print(json.dumps({k: v for k, v in metrics.items() if k != "field_f1_unrounded"}, indent=2, ensure_ascii=False))
    else:
        print(summary_line(metrics))
        print()
        print(reliability_table(metrics))
    if not args.no_record:
        command = "cme eval" + (f" --since {args.since}" if args.since else "") + (" --json" if args.json else "")
        run_id = record_run(sessions, metrics, since, command, getpass.getuser(), datetime.now(timezone.utc))
        print(f"cme eval: kept as run {run_id} (cme eval --no-record keeps none)", file=sys.stderr)
    return 0
