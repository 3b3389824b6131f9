"""`cme calibrate`: fit confidence on labelled messages, test it on others, choose the gate's threshold.

    cme calibrate A_DIR B_DIR [--write]
    cme calibrate --from-store [--approve] [--prior DIRS]

Each folder is a labelled corpus (`NAME.eml` beside `NAME.json`). The model is fitted on A and
tested on B, then fitted on B and tested on A; each direction prints its reliability table, its
expected calibration error and the auto-accept gate at each threshold, with the threshold that
gives the target precision on the folder not used to fit and the 95% upper bound of its error
rate. `--write` fits on both folders and writes `config/calibration.json`, with the stricter of
the two thresholds and the report, so the numbers that justify it travel with it.

`--from-store` fits on the officers' labels in the store, with the repository's labelled corpora as a
prior, split by time (`ingest/corpus.py`: fitted on the older labels, tested on the newer ones), every
message re-read from its stored bytes by the isolated reader (as `cme eval` reads them). The threshold
is the lowest whose auto-accepted records' 95% upper bound of the error rate stays under 1% once there
are labels enough (about 300 accepted without error), and before then the lowest whose measured
precision reaches the target (`extraction.calibration.choose_gate`). The model fitted on every label,
with that threshold and the report, is stored as a new calibration version, waiting for an admin's
approval; `--approve` approves it at once (an operator's command, audited as the operator). A version
whose test precision is below that of the calibration in force on the same test labels is stored
refused, with the reason, and is never approved.
"""
from __future__ import annotations

import argparse
import getpass
import json
import sys
from dataclasses import replace
from pathlib import Path
from typing import Any

from extraction import calibration
from extraction.calibration import Calibration
from extraction.grading import Grade, grade

CALIBRATION_FILE = Path(__file__).resolve().parent.parent / "config" / "calibration.json"

THRESHOLDS = [round(0.5 + i * 0.01, 2) for i in range(50)]


def _corpus(folders: str) -> list[tuple[str, bytes, dict[str, Any]]]:
    """The labelled messages of one folder, or of several joined with ':' like a PATH."""
    items = []
    for folder in map(Path, folders.split(":")):
        found = 0
        for label in sorted(folder.glob("*.json")):
            eml = label.with_suffix(".eml")
            if eml.exists():
                items.append((eml.name, eml.read_bytes(), json.loads(label.read_text(encoding="utf-8"))))
                found += 1
        if not found:
            raise SystemExit(f"{folder}: no labelled messages (NAME.eml beside NAME.json)")
    return items


def _graded(context: Any, corpus: list[tuple[str, bytes, dict[str, Any]]]) -> list[tuple[dict[str, Any], Grade]]:
    from extraction.extract import extract_file

    out = []
    for name, data, label in corpus:
        record = extract_file(name, data, context)
        if "error" not in record:
            out.append((record, grade(record, label)))
    return out


def _fit(outcomes: list) -> Calibration:
    try:
        return calibration.fit(outcomes)
    except ValueError as exc:
        raise SystemExit(f"cme calibrate: {exc}: these messages are all read right (or all wrong); "
                         "add labelled messages the rules were not written on") from None


def _direction(raw_context: Any, fit_on: list, test_on: list, target: float) -> tuple[Calibration, dict[str, Any]]:
    fit_outcomes = [o for _, g in _graded(raw_context, fit_on) for o in g.outcomes]
    model = _fit(fit_outcomes)
    raw_test = _graded(raw_context, test_on)
    raw_probs = [o.confidence for _, g in raw_test for o in g.outcomes]
    right = [o.right for _, g in raw_test for o in g.outcomes]
    probs = [model.probability(o.path, o.rule, o.part, o.confidence) for _, g in raw_test for o in g.outcomes]
    table, ece = calibration.reliability(probs, right)
    _, raw_ece = calibration.reliability(raw_probs, right)
    # the gate: structural reasons alone (threshold 0), then each threshold on the lowest probability
    gated = _graded(replace(raw_context, calibration=replace(model, threshold=0.0)), test_on)
    every = [(rec["needs_review"], calibration.lowest_probability(rec), g.record_right) for rec, g in gated]
    # a record that gives no value at all (an out-of-office, a phishing lure) is not the threshold's to judge:
    # the structural checks alone decide it, and it is reported on its own line
    records = [r for r in every if r[1] < 1.0]
    valueless = [r for r in every if r[1] >= 1.0 and not r[0]]
    rows = calibration.gate_table(records, THRESHOLDS)
    chosen = calibration.choose_threshold(rows, target)
    report = {
        "values_fitted": len(fit_outcomes), "values_tested": len(probs), "records_tested": len(records),
        "ece": round(ece, 4), "ece_raw_scores": round(raw_ece, 4),
        "reliability": [{"bin": f"{lo:.1f}-{hi:.1f}", "values": n, "mean_probability": round(p, 3),
                         "share_right": round(a, 3)} for lo, hi, n, p, a in table],
        "threshold": chosen.threshold, "accepted": chosen.accepted, "wrong_accepted": chosen.wrong,
        "precision": round(chosen.precision, 4), "review_rate": round(chosen.review_rate, 3),
        "error_upper_95": round(calibration.error_upper_bound(chosen.wrong, chosen.accepted), 4),
        "structural_review_rate": round(sum(1 for b, _, _ in records if b) / max(1, len(records)), 3),
        "valueless_accepted": len(valueless), "valueless_wrong": sum(1 for _, _, right in valueless if not right),
    }
    return model, report


def _print(name: str, report: dict[str, Any]) -> None:
    print(f"\n== {name}: {report['values_fitted']} values fitted, {report['values_tested']} values and "
          f"{report['records_tested']} records tested")
    print(f"{'bin':>9} {'values':>7} {'mean p':>7} {'right':>7}")
    for row in report["reliability"]:
        print(f"{row['bin']:>9} {row['values']:>7} {row['mean_probability']:>7.3f} {row['share_right']:>7.3f}")
    print(f"ECE {report['ece']:.4f} (raw scores: {report['ece_raw_scores']:.4f})")
    print(f"gate: threshold {report['threshold']:.2f} accepts {report['accepted']} of {report['records_tested']} "
          f"records, {report['wrong_accepted']} wrong: precision {report['precision']:.3f}, 95% upper bound of "
          f"the error rate {report['error_upper_95']:.3f}; review rate {report['review_rate']:.3f} "
          f"(structural reasons alone: {report['structural_review_rate']:.3f})")
    print(f"records giving no value, accepted by the structural checks alone: {report['valueless_accepted']}, "
          f"{report['valueless_wrong']} of them wrong")


def add_arguments(ap: argparse.ArgumentParser) -> None:
    """The command line of `cme calibrate`."""
    from ingest.corpus import DEFAULT_PRIOR

    ap.add_argument("first", nargs="?", help="a labelled corpus folder (several joined with ':')")
    ap.add_argument("second", nargs="?", help="another labelled corpus folder (several joined with ':')")
    ap.add_argument("--target", type=float, default=0.99, help="auto-accept precision to reach (default 0.99)")
    ap.add_argument("--write", action="store_true", help=f"fit on both and write {CALIBRATION_FILE.name}")
    ap.add_argument("--output", type=Path, default=CALIBRATION_FILE, help="where --write writes the model")
    ap.add_argument("--from-store", action="store_true",
                    help="fit on the officers' labels in the store (older) and test on the newer ones; store the "
                         "result as a new calibration version")
    ap.add_argument("--approve", action="store_true",
                    help="with --from-store: approve the new version at once (unless it is refused)")
    ap.add_argument("--prior", default=DEFAULT_PRIOR,
                    help="with --from-store: the labelled corpora counted as older than any stored label "
                         "(joined with ':'; '' for none; default: the repository's)")


def operator() -> str:
    """Who runs an operator's command, for the audit trail."""
    return f"operator {getpass.getuser()}"[:100]


def run(context: Any, args: argparse.Namespace) -> int:
    raw = replace(context, calibration=None)
    a, b = _corpus(args.first), _corpus(args.second)
    reports = {}
    first, second = (":".join(Path(f).name for f in arg.split(":")) for arg in (args.first, args.second))
    for name, fit_on, test_on in ((f"fit {first}, test {second}", a, b), (f"fit {second}, test {first}", b, a)):
        _, reports[name] = _direction(raw, fit_on, test_on, args.target)
        _print(name, reports[name])
    if args.write:
        model = _fit([o for _, g in _graded(raw, a + b) for o in g.outcomes])
        threshold = max(r["threshold"] for r in reports.values())
        model = replace(model, threshold=threshold, report={"target_precision": args.target, **reports})
        args.output.write_text(model.to_json() + "\n", encoding="utf-8")
        print(f"\nwrote {args.output} (threshold {threshold:.2f}, fitted on both folders)")
    return 0


# --- --from-store: the officers' labels, stored versions ----------------------------------------------


def _read_graded(reader: Any, items: Any) -> list[tuple[dict[str, Any], Grade]]:
    """Each labelled message read by the isolated reader and graded against its label (unreadable ones left out)."""
    from ingest.reader import Reading

    out = []
    for item in items:
        reading = reader.read(item.name.replace("/", "_"), item.data)
        if isinstance(reading, Reading) and "error" not in reading.record:
            out.append((reading.record, grade(reading.record, item.label)))
    return out


def _gate_records(reader: Any, items: Any) -> tuple[list[tuple[bool, float, bool]], list[tuple[bool, float, bool]]]:
    """(records giving values, valueless records the structural checks alone accept), read with a calibration
    whose threshold is 0: (blocked by a structural reason, lowest value probability, wholly right)."""
    every = [(rec["needs_review"], calibration.lowest_probability(rec), g.record_right)
             for rec, g in _read_graded(reader, items)]
    return [r for r in every if r[1] < 1.0], [r for r in every if r[1] >= 1.0 and not r[0]]


def _in_force(sessions: Any) -> tuple[int, Calibration]:
    from store import versions

    with sessions() as session:
        number = versions.in_force(session, "calibration")
        text = versions.artefact(session, "calibration", number).decode("utf-8") if number else None
    return number, Calibration.from_json(text if text is not None else CALIBRATION_FILE.read_text(encoding="utf-8"))


def fit_from_store(settings: Any, sessions: Any, prior: str, target: float, out: Any = sys.stdout
                   ) -> tuple[Calibration, dict[str, Any], str | None]:
    """(the model fitted on every label with the chosen threshold, its report, why it is refused or None)."""
    from extraction.context import NO_CALIBRATION
    from ingest import corpus
    from ingest.reader import Reader
    from ingest.versions import reader_config

    split = corpus.time_split(corpus.stored(sessions), corpus.prior(prior))
    print(f"cme calibrate: {split.described}", file=out, flush=True)
    base = reader_config(settings, sessions)

    def reading(calibration_json: str) -> Any:
        return Reader(replace(base, calibration_json=calibration_json))

    reader = reading(NO_CALIBRATION)
    try:
        older, newer = _read_graded(reader, split.older), _read_graded(reader, split.newer)
    finally:
        reader.close()
    fit_outcomes = [o for _, g in older for o in g.outcomes]
    test_outcomes = [o for _, g in newer for o in g.outcomes]
    model = _fit(fit_outcomes)
    right = [o.right for o in test_outcomes]
    probs = [model.probability(o.path, o.rule, o.part, o.confidence) for o in test_outcomes]
    table, ece = calibration.reliability(probs, right)
    _, raw_ece = calibration.reliability([o.confidence for o in test_outcomes], right)
    gated: dict[str, Any] = {}
    number, current = _in_force(sessions)
    for name, cal in (("new", model), ("current", current)):
        reader = reading(replace(cal, threshold=0.0).to_json())
        try:
            gated[name] = _gate_records(reader, split.newer)
        finally:
            reader.close()
    records, valueless = gated["new"]
    rows = calibration.gate_table(records, THRESHOLDS)
    chosen, rule = calibration.choose_gate(rows, target)
    mine = calibration.gate_table(gated["current"][0], [current.threshold])[0]
    report = {
        "split": split.described, "labels_fitted": len(older), "labels_tested": len(newer),
        "stored_labels_fitted": split.stored_older, "stored_labels_tested": split.stored_newer,
        "values_fitted": len(fit_outcomes), "values_tested": len(probs), "records_tested": len(records),
        "ece": round(ece, 4), "ece_raw_scores": round(raw_ece, 4),
        "reliability": [{"bin": f"{lo:.1f}-{hi:.1f}", "values": n, "mean_probability": round(p, 3),
                         "share_right": round(a, 3)} for lo, hi, n, p, a in table],
        "target_precision": target, "rule": rule, "threshold": chosen.threshold, "accepted": chosen.accepted,
        "wrong_accepted": chosen.wrong, "precision": round(chosen.precision, 4),
        "review_rate": round(chosen.review_rate, 3),
        "error_upper_95": round(calibration.error_upper_bound(chosen.wrong, chosen.accepted), 4),
        "structural_review_rate": round(sum(1 for b, _, _ in records if b) / max(1, len(records)), 3),
        "valueless_accepted": len(valueless), "valueless_wrong": sum(1 for _, _, ok in valueless if not ok),
        "current_version": number, "current_threshold": current.threshold, "current_accepted": mine.accepted,
        "current_wrong_accepted": mine.wrong, "current_precision": round(mine.precision, 4),
        "final_fit": "every label (older and newer), with the threshold chosen on the newer",
    }
    refused = None
    if chosen.precision < mine.precision:
        refused = (f"its test precision {chosen.precision:.3f} is below the {mine.precision:.3f} of calibration "
                   f"version {number} in force, on the same {len(newer)} test labels")
    final = _fit(fit_outcomes + test_outcomes)
    return replace(final, threshold=chosen.threshold, report=report), report, refused


def run_from_store(settings: Any, sessions: Any, args: argparse.Namespace, out: Any = sys.stdout) -> int:
    """`cme calibrate --from-store [--approve]`: fit, report, store as a new version (approved at once with --approve)."""
    from ingest.versions import keep_version

    model, report, refused = fit_from_store(settings, sessions, args.prior, args.target, out)
    _print(f"fitted on {report['labels_fitted']} labels, tested on the {report['labels_tested']} newer", report)
    print(f"rule: {'95% upper bound of the error rate under 1%' if report['rule'] == 'bound' else 'measured precision at or above the target (too few accepted records for the bound)'}; "
          f"calibration version {report['current_version']} in force (threshold {report['current_threshold']:.2f}) "
          f"accepts {report['current_accepted']} of those records, {report['current_wrong_accepted']} wrong: precision "
          f"{report['current_precision']:.3f}", file=out)
    return keep_version(sessions, "calibration", (model.to_json() + "\n").encode("utf-8"), report, refused,
                        args.approve, out, " (auto-accept switched back on if drift had paused it)")
