"""`cme train` as an operator runs it: the category classifier is retrained (`spacy train`, a few steps here) on
the older labels, tested with the classifier in force on labelled messages it did not see, and stored as a textcat
version with its report; one that does not beat the classifier in force is stored refused, and neither --approve
nor `cme versions approve` approves it. With too few stored labels the test is a corpus folder it did not see.
Fictitious mail (tests/data/heldout)."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from store import versions
from store.db import make_engine, session_factory
from tests.ingest.labelled import HELDOUT, cme, heldout, store_labelled

TRAIN = ("h01", "h09", "h10", "h12", "h13", "h14", "h18", "h21", "h23", "h25")
TEST = ("h02", "h16", "h19", "h22", "h24", "h26")  # the shipped classifier and the rules read all of these right


def _folder(root: Path, names: tuple[str, ...]) -> str:
    root.mkdir(parents=True)
    for name in names:
        for suffix in (".eml", ".json"):
            shutil.copy(HELDOUT / f"{name}{suffix}", root / f"{name}{suffix}")
    return str(root)


@pytest.mark.parametrize("database", ["sqlite", "postgresql"])
def test_train_stores_a_classifier_version_and_refuses_one_that_does_not_beat_the_one_in_force(tmp_path, request, database):
    url = (request.getfixturevalue("postgres").new_database() if database == "postgresql"
           else f"sqlite:///{tmp_path / 'cme.sqlite3'}")
    store_labelled(url, heldout("h03", "h11", "h17"))  # too few for a time split: they join the training part
    prior = f"{_folder(tmp_path / 'older', TRAIN)}:{_folder(tmp_path / 'newer', TEST)}"
    env = {"CME_DATA_DIR": str(tmp_path / "data"), "CME_DATABASE_URL": url}

    result = cme("train", "--approve", "--prior", prior, "--max-steps", "6", env=env)

    assert result.returncode == 1, result.stdout[-3000:] + result.stderr[-3000:]
    assert "only 3 stored labels, too few for a time split (under 20)" in result.stdout
    assert f"tested on the corpus {tmp_path / 'newer'}, which it did not see" in result.stdout
    assert "category accuracy on 6 test messages: new " in result.stdout and "version 0 in force 1.000" in result.stdout
    assert "textcat version 1 stored as REFUSED: its category accuracy" in result.stdout
    assert "does not beat the 1.000 of textcat version 0 in force" in result.stdout and "(--approve ignored)" in result.stdout
    engine = make_engine(url)
    with session_factory(engine)() as s:
        [stored] = versions.listed(s, "textcat")
        packed = versions.artefact(s, "textcat", 1)
        assert versions.in_force(s, "textcat") == 0
    engine.dispose()
    assert stored.status == "refused" and stored.report["trained_on"] + stored.report["early_stopping_on"] == 13
    assert stored.report["tested_on"] == 6 and stored.report["current_accuracy"] == 1.0
    assert packed[:2] == b"\x1f\x8b" and stored.size > 10_000  # the model directory, gzipped
    assert not [p for p in (tmp_path / "data" / "models").iterdir()]  # the training folder is gone

    approve = cme("versions", "approve", "textcat", "1", env=env)
    assert approve.returncode == 1 and "was refused and cannot be approved" in approve.stderr
    listed = cme("versions", "list", env=env)
    assert "textcat: version 0 in force (the shipped file)" in listed.stdout
    assert "  1  refused" in listed.stdout
