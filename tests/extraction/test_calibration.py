"""Confidence is a measured probability, and the gate's threshold comes with its measured error rate."""
import json
import subprocess
import sys
from pathlib import Path

import pytest

from extraction import calibration
from extraction.calibration import Calibration
from extraction.grading import Outcome, grade

ROOT = Path(__file__).resolve().parents[2]
BLIND = ROOT / "tests" / "data" / "blind"


def _outcomes() -> list[Outcome]:
    # a rule right 9 times in 10 at a high raw score, another right 1 time in 2 at the same score
    good = [Outcome("child.first_name", "X", 0.9, "form.table_cell.first_name", "body", i % 10 != 0) for i in range(100)]
    poor = [Outcome("child.first_name", "X", 0.9, "prose.guess", "body", i % 2 == 0) for i in range(100)]
    return good + poor


def test_a_rule_that_is_often_wrong_gets_a_lower_probability_than_one_that_is_seldom_wrong() -> None:
    model = calibration.fit(_outcomes())
    good = model.probability("child.first_name", "form.table_cell.first_name", "body", 0.9)
    poor = model.probability("child.first_name", "prose.guess", "body", 0.9)
    assert 0.8 < good < 0.97 and 0.35 < poor < 0.65


def test_a_rule_never_seen_when_fitting_is_judged_as_a_rare_rule() -> None:
    model = Calibration({"rule=rare": -2.0, "score": 1.0}, 0.0)
    assert model.probability("child.upn", "brand.new", "body", 0.5) == model.probability("child.upn", "rare", "body", 0.5)


def test_a_refined_rule_not_yet_fitted_is_judged_as_the_rule_it_refines() -> None:
    # a finder that starts telling its situations apart keeps its measured probability until a refit
    model = Calibration({"rule=rare": -2.0, "rule=places.read_schools": 1.5, "score": 1.0}, 0.0)
    parent = model.probability("child.school.name", "places.read_schools", "body", 0.6)
    assert model.probability("child.school.name", "places.read_schools.every_child.one_school", "body", 0.6) == parent
    assert model.probability("child.school.name", "places.read_schools.every_child.one_school", "body", 0.6) > \
        model.probability("child.school.name", "places.brand_new", "body", 0.6)


def test_a_value_that_names_its_phrase_is_judged_as_its_finders_rule() -> None:
    mixed = [Outcome(o.path, o.value, o.confidence, o.rule + ("#labels.words.child" if i % 2 else ""), o.part, o.right)
             for i, o in enumerate(_outcomes())]
    model = calibration.fit(mixed)
    assert model.probability("child.first_name", "prose.guess#some.phrase", "body", 0.9) \
        == model.probability("child.first_name", "prose.guess", "body", 0.9) < 0.65
    assert model.probability("child.first_name", "form.table_cell.first_name", "body", 0.9) > 0.8


def test_the_fitted_model_survives_its_data_file() -> None:
    model = calibration.fit(_outcomes())
    again = Calibration.from_json(model.to_json())
    assert again.probability("child.first_name", "prose.guess", "body", 0.9) == \
        model.probability("child.first_name", "prose.guess", "body", 0.9)


def test_reliability_table_and_expected_calibration_error() -> None:
    rows, ece = calibration.reliability([0.95] * 10 + [0.55] * 10, [True] * 10 + [True] * 5 + [False] * 5)
    assert [(n, round(acc, 2)) for _lo, _hi, n, _p, acc in rows] == [(10, 0.5), (10, 1.0)]
    assert ece == pytest.approx((0.05 + 0.05) / 2)


def test_no_error_in_sixty_accepted_records_still_leaves_an_upper_bound_near_five_percent() -> None:
    assert calibration.error_upper_bound(0, 60) == pytest.approx(0.0487, abs=0.001)
    assert calibration.error_upper_bound(0, 300) < 0.01


def test_the_threshold_is_the_lowest_that_reaches_the_target_precision() -> None:
    records = [(False, 0.99, True)] * 50 + [(False, 0.80, False)] + [(False, 0.90, True)] * 20 + [(True, 0.99, False)]
    rows = calibration.gate_table(records, [0.7, 0.85, 0.95])
    chosen = calibration.choose_threshold(rows, 0.99)
    assert chosen.threshold == 0.85 and chosen.accepted == 70 and chosen.wrong == 0


def test_with_about_300_accepted_records_the_threshold_keeps_the_error_bound_under_one_percent() -> None:
    # 320 accepted with one wrong reach 0.99 precision, but their 95% error bound is 1.5%; 310 without error: 0.96%
    rows = [calibration.GateRow(0.5, 320, 1, 400), calibration.GateRow(0.6, 310, 0, 400),
            calibration.GateRow(0.7, 200, 0, 400)]
    chosen, rule = calibration.choose_gate(rows)
    assert (chosen.threshold, rule) == (0.6, "bound")
    assert calibration.error_upper_bound(0, 310) < 0.01 < calibration.error_upper_bound(1, 320)


def test_before_there_are_labels_enough_for_the_bound_the_threshold_keeps_the_measured_precision() -> None:
    rows = [calibration.GateRow(0.5, 12, 1, 60), calibration.GateRow(0.6, 10, 0, 60), calibration.GateRow(0.7, 6, 0, 60)]
    chosen, rule = calibration.choose_gate(rows)
    assert (chosen.threshold, rule) == (0.6, "precision")


def test_grading_ignores_titles_and_spacing_but_not_a_wrong_date() -> None:
    field = lambda v: {"value": v, "confidence": 0.9, "source": {"part": "body", "rule": "r"}}  # noqa: E731
    record = {"category": "cme_referral", "safeguarding": [], "referrer": {"name": field("Mrs Ann Lee")},
              "children": [{"first_name": field("Tom"), "date_of_birth": field("2015-04-03"),
                            "address": {"postcode": field("rg21 4ab")}}], "parents_carers": []}
    label = {"category": "cme_referral", "safeguarding": [], "referrer": {"name": "Ann Lee"},
             "children": [{"first_name": "Tom", "date_of_birth": "2015-04-03", "address": {"postcode": "RG21 4AB"}}],
             "parents_carers": []}
    assert grade(record, label).record_right
    label["children"][0]["date_of_birth"] = "2015-03-04"
    g = grade(record, label)
    assert not g.record_right and g.wrong == ("child.date_of_birth",)


def test_cme_calibrate_reports_both_directions_and_writes_the_model(tmp_path: Path) -> None:
    out = tmp_path / "calibration.json"
    run = subprocess.run([sys.executable, "-m", "ingest.cli", "calibrate", str(BLIND / "a1"), str(BLIND / "b1"),
                          "--write", "--output", str(out)], capture_output=True, text=True, cwd=ROOT, timeout=600)
    assert run.returncode == 0, run.stderr
    assert run.stdout.count("ECE ") == 2 and "95% upper bound" in run.stdout
    model = json.loads(out.read_text())
    assert 0.5 <= model["threshold"] <= 0.99 and model["weights"]
    assert set(model["report"]) == {"target_precision", "fit a1, test b1", "fit b1, test a1"}


def test_calibrating_on_mail_the_rules_get_all_right_says_so_in_words(tmp_path: Path) -> None:
    folder = tmp_path / "easy"
    folder.mkdir()
    for ext in ("eml", "json"):
        (folder / f"h01.{ext}").write_bytes((ROOT / "tests" / "data" / "heldout" / f"h01.{ext}").read_bytes())
    run = subprocess.run([sys.executable, "-m", "ingest.cli", "calibrate", str(folder), str(folder)],
                         capture_output=True, text=True, cwd=ROOT, timeout=600)
    assert run.returncode != 0 and "both right and wrong values" in run.stderr and "Traceback" not in run.stderr
