"""`cme calibrate`: fit confidence on labelled messages, test it on others, choose the gate's threshold.

    cme calibrate A_DIR B_DIR [--write]

Each folder is a labelled corpus (`NAME.eml` beside `NAME.json`). The model is fitted on A and
tested on B, then fitted on B and tested on A; each direction prints its reliability table, its
expected calibration error and the auto-accept gate at each threshold, with the threshold that
gives the target precision on the folder not used to fit and the 95% upper bound of its error
rate. `--write` fits on both folders and writes `config/calibration.json`, with the stricter of
the two thresholds and the report, so the numbers that justify it travel with it.
"""
from __future__ import annotations

import argparse
import json
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
    ap.add_argument("first", help="a labelled corpus folder (several joined with ':')")
    ap.add_argument("second", help="another labelled corpus folder (several joined with ':')")
    ap.add_argument("--target", type=float, default=0.99, help="auto-accept precision to reach (default 0.99)")
    ap.add_argument("--write", action="store_true", help=f"fit on both and write {CALIBRATION_FILE.name}")
    ap.add_argument("--output", type=Path, default=CALIBRATION_FILE, help="where --write writes the model")


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
