"""`cme train` for the span categoriser, as an operator runs it: the model is retrained (`spacy train`, a few steps
here) on the older labels' text as the isolated reader reads it, the newer labels are read through the whole
extraction with it and with the span categoriser in force, and it is stored as a spancat version with its field F1
against the one in force; one that does not beat it is stored refused. An approved version is what the service's
reader reads with (unpacked once under the data dir), and rolling back returns to the shipped config/spancat.
Fictitious mail (tests/data/heldout)."""
from __future__ import annotations

import shutil
from datetime import datetime, timezone
from pathlib import Path

from config.settings import load_settings
from ingest.reader import Reading, release_shared
from ingest.versions import VersionedReader
from store import versions
from store.db import make_engine, session_factory
from tests.ingest.labelled import HELDOUT, cme, heldout, store_labelled

TRAIN = ("h01", "h09", "h10", "h12", "h13", "h14", "h18", "h21", "h23", "h25")
TEST = ("h02", "h16", "h19", "h22", "h24", "h26")  # the shipped span categoriser fills nothing wrong on these
NOW = datetime(2026, 11, 20, 9, 0, tzinfo=timezone.utc)
FILLED = ["child.address.line1", "child.address.town", "referrer.role"]  # the fields extraction/span_model.py fills


def _folder(root: Path, names: tuple[str, ...]) -> str:
    root.mkdir(parents=True)
    for name in names:
        for suffix in (".eml", ".json"):
            shutil.copy(HELDOUT / f"{name}{suffix}", root / f"{name}{suffix}")
    return str(root)


def _store(tmp_path: Path) -> tuple[str, dict[str, str]]:
    url = f"sqlite:///{tmp_path / 'cme.sqlite3'}"
    store_labelled(url, heldout("h03", "h11", "h17"))  # too few for a time split: they join the training part
    prior = f"{_folder(tmp_path / 'older', TRAIN)}:{_folder(tmp_path / 'newer', TEST)}"
    return prior, {"CME_DATA_DIR": str(tmp_path / "data"), "CME_DATABASE_URL": url}


def _role(reader: VersionedReader) -> dict | None:
    """The referrer's role of h24 (a school's email whose signature gives no role) as the reader reads it."""
    reading = reader.read("h24.eml", (HELDOUT / "h24.eml").read_bytes())
    assert isinstance(reading, Reading)
    return reading.record["referrer"].get("role")


def test_train_stores_a_span_categoriser_version_and_refuses_one_that_does_not_beat_the_one_in_force(tmp_path):
    prior, env = _store(tmp_path)

    result = cme("train", "--component", "spancat", "--approve", "--prior", prior, "--max-steps", "6", env=env)

    assert result.returncode == 1, result.stdout[-3000:] + result.stderr[-3000:]
    assert "only 3 stored labels, too few for a time split (under 20)" in result.stdout
    assert "category accuracy" not in result.stdout  # the classifier was not trained
    assert "training values located in the text (found/labelled): SCHOOL " in result.stdout
    assert "field F1 on 6 test messages: new 0.9922, version 0 in force 1.0000" in result.stdout
    assert "spancat version 1 stored as REFUSED: its field F1 0.9922 does not beat the 1.0000 of spancat version 0 " \
           "in force, on the same 6 test messages" in result.stdout and "(--approve ignored)" in result.stdout
    engine = make_engine(env["CME_DATABASE_URL"])
    with session_factory(engine)() as s:
        [stored] = versions.listed(s, "spancat")
        assert versions.listed(s, "textcat") == []
        packed = versions.artefact(s, "spancat", 1)
        assert versions.in_force(s, "spancat") == 0
    engine.dispose()
    report = stored.report
    assert stored.status == "refused" and report["trained_on"] + report["early_stopping_on"] == 13
    assert report["tested_on"] == 6 and (report["field_f1"], report["current_field_f1"]) == (0.9922, 1.0)
    assert sorted(report["per_field"]) == sorted(FILLED)
    assert report["per_field"]["referrer.role"] == {"new": 0.8571, "current": 1.0}  # it filled a wrong role
    assert report["values_located"]["LINE1"][1] > 0 and "tested on the corpus" in report["split"]
    assert packed[:2] == b"\x1f\x8b" and stored.size > 100_000  # the model directory, gzipped
    assert not [p for p in (tmp_path / "data" / "models").iterdir()]  # the training folder is gone

    approve = cme("versions", "approve", "spancat", "1", env=env)
    assert approve.returncode == 1 and "was refused and cannot be approved" in approve.stderr
    listed = cme("versions", "list", env=env)
    assert "spancat: version 0 in force (the shipped file)" in listed.stdout
    assert "field F1 0.9922 (version 0 in force: 1.0000) on 6 messages  refused:" in listed.stdout


def test_an_approved_span_categoriser_is_what_the_reader_reads_with_until_it_is_rolled_back_to_the_shipped_one(
        tmp_path):
    prior, env = _store(tmp_path)
    settings = load_settings(env)
    sessions = session_factory(make_engine(settings.database_url))
    reader = VersionedReader(settings, sessions)
    shipped = _role(reader)
    assert reader.config.spancat_dir is None and shipped is None
    # a worse model in force: the one 6 steps make (refused as version 1), approved as version 2 by an operator
    assert cme("train", "--component", "spancat", "--prior", prior, "--max-steps", "6", env=env).returncode == 1
    with sessions() as s:
        versions.add(s, "spancat", versions.artefact(s, "spancat", 1), {}, "operator ops", NOW)
        versions.approve(s, "spancat", 2, "operator ops", NOW)
        s.commit()
    worse = _role(reader)
    assert reader.config.spancat_dir == tmp_path / "data" / "models" / "spancat-2"
    assert worse is not None and worse["source"]["rule"] == "spancat.referrer.role"  # "The", where the rules found none

    result = cme("train", "--component", "spancat", "--approve", "--prior", prior, "--max-steps", "30", env=env)

    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert "field F1 on 6 test messages: new 1.0000, version 2 in force 0.9922" in result.stdout
    assert "spancat version 3 stored and approved by operator " in result.stdout
    better = _role(reader)  # the next message read is read with version 3
    folder = tmp_path / "data" / "models" / "spancat-3"
    assert reader.config.spancat_dir == folder and (folder / "meta.json").exists()
    assert better != worse and (better or {}).get("value") != "The"
    listed = cme("versions", "list", env=env)
    assert "spancat: version 3 in force" in listed.stdout
    assert "field F1 1.0000 (version 2 in force: 0.9922)" in listed.stdout

    assert "version 2 is in force" in cme("versions", "rollback", "spancat", env=env).stdout
    assert _role(reader) == worse
    back = cme("versions", "rollback", "spancat", env=env)
    assert "spancat rolled back: version 0 (the shipped file) is in force" in back.stdout
    assert _role(reader) == shipped and reader.config.spancat_dir is None
    release_shared(reader.config)
