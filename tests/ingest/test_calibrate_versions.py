"""`cme calibrate --from-store` as an operator runs it: it fits on the officers' older labels (with a repository
corpus as the prior), tests on the newer ones, and stores a calibration version with its report, waiting for an
admin or approved at once with --approve; one less precise than the calibration in force on the same test labels
is stored refused and never approved. Fictitious mail (tests/data)."""
from __future__ import annotations

import json
from datetime import datetime, timezone

import pytest

from extraction.calibration import Calibration
from extraction.context import CALIBRATION_FILE
from store import versions
from store.db import make_engine, session_factory
from tests.ingest.labelled import heldout, cme, store_labelled

PRIOR = "tests/data/blind/a1"  # small, and read less well than the held-out mail: right and wrong values to fit
OLDER = ("h01", "h03", "h04", "h05", "h06", "h07", "h08", "h10", "h11", "h12", "h13", "h14", "h15", "h17")
NEWER = ("h02", "h09", "h100", "h16", "h29", "h94", "h23")  # the first six are read well enough to be accepted


def _env(tmp_path, url: str) -> dict[str, str]:
    return {"CME_DATA_DIR": str(tmp_path / "data"), "CME_DATABASE_URL": url}


def _listed(url: str) -> list[versions.Version]:
    engine = make_engine(url)
    with session_factory(engine)() as s:
        found = versions.listed(s, "calibration")
    engine.dispose()
    return found


@pytest.mark.parametrize("database", ["sqlite", "postgresql"])
def test_calibrate_from_store_stores_a_version_waiting_for_approval_then_approves_one_with_approve(tmp_path, request, database):
    url = (request.getfixturevalue("postgres").new_database() if database == "postgresql"
           else f"sqlite:///{tmp_path / 'cme.sqlite3'}")
    store_labelled(url, heldout(*OLDER, *NEWER))

    result = cme("calibrate", "--from-store", "--prior", PRIOR, env=_env(tmp_path, url))

    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert "fitted on the corpora (tests/data/blind/a1) and the 14 older stored labels; tested on the 7 newest" \
        in result.stdout
    assert "calibration version 1 stored, waiting for an admin's approval" in result.stdout
    [first] = _listed(url)
    assert first.status == "waiting for approval" and first.created_by.startswith("operator ")
    report = first.report
    assert report["labels_fitted"] == 30 + 14 and report["labels_tested"] == 7 and report["rule"] == "precision"
    assert report["precision"] >= 0.99 and report["current_version"] == 0 and 0.5 <= report["threshold"] <= 0.99
    engine = make_engine(url)
    with session_factory(engine)() as s:
        model = Calibration.from_json(versions.artefact(s, "calibration", 1).decode())
    engine.dispose()
    assert model.threshold == report["threshold"] and model.weights

    again = cme("calibrate", "--from-store", "--approve", "--prior", PRIOR, env=_env(tmp_path, url))

    assert again.returncode == 0, again.stdout[-3000:] + again.stderr[-3000:]
    assert "calibration version 2 stored and approved by operator" in again.stdout
    assert [(v.version, v.status) for v in _listed(url)] == [(2, "approved"), (1, "waiting for approval")]
    rolled = cme("versions", "rollback", "calibration", env=_env(tmp_path, url))
    assert rolled.returncode == 0 and "version 0 (the shipped file) is in force" in rolled.stdout
    approved = cme("versions", "approve", "calibration", "1", env=_env(tmp_path, url))
    assert approved.returncode == 0 and "calibration version 1 approved by operator" in approved.stdout
    listed = cme("versions", env=_env(tmp_path, url)).stdout
    assert "calibration: version 1 in force" in listed and "  2  rolled back" in listed
    assert f"threshold {report['threshold']:.2f}, precision" in listed


def test_a_calibration_less_precise_than_the_one_in_force_on_the_same_labels_is_refused_and_not_approved(tmp_path):
    url = f"sqlite:///{tmp_path / 'cme.sqlite3'}"
    newer = heldout(*NEWER)
    for _, label in newer[4:6]:  # the officer corrected two of the records the service would accept
        label["children"][0]["date_of_birth"] = "2015-02-03"
    store_labelled(url, heldout(*OLDER) + newer)
    cautious = Calibration.from_json(CALIBRATION_FILE.read_text(encoding="utf-8"))
    engine = make_engine(url)
    with session_factory(engine)() as s:  # in force: a calibration that accepts nothing, so is never wrong
        versions.add(s, "calibration", json.dumps({**json.loads(cautious.to_json()), "threshold": 1.0}).encode(),
                     {}, "ada", datetime(2026, 11, 1, tzinfo=timezone.utc))
        versions.approve(s, "calibration", 1, "ada", datetime(2026, 11, 1, tzinfo=timezone.utc))
        s.commit()
    engine.dispose()

    result = cme("calibrate", "--from-store", "--approve", "--target", "0.5", "--prior", PRIOR,
                 env=_env(tmp_path, url))

    assert result.returncode == 1, result.stdout[-3000:] + result.stderr[-3000:]
    assert "calibration version 2 stored as REFUSED: its test precision" in result.stdout
    assert "is below the 1.000 of calibration version 1 in force, on the same 7 test labels" in result.stdout
    assert "(--approve ignored)" in result.stdout
    refused, in_force = _listed(url)
    assert (refused.version, refused.status, in_force.status) == (2, "refused", "approved")
    assert refused.report["current_precision"] == 1.0 and refused.report["precision"] < 1.0


def test_calibrate_without_folders_or_the_store_says_how_to_call_it(tmp_path):
    result = cme("calibrate", env=_env(tmp_path, f"sqlite:///{tmp_path / 'cme.sqlite3'}"))
    assert result.returncode == 2 and "--from-store" in result.stderr
