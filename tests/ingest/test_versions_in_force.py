"""The service reads with the calibration and classifier versions in force: the newest approved version of each
kind, handed to the isolated reader's config (the worker does no SQL), from the next message read, and the
shipped files again after a rollback. Fictitious mail (tests/data/heldout)."""
from __future__ import annotations

import json
from datetime import datetime, timezone
from pathlib import Path

import pytest

from extraction.calibration import Calibration
from extraction.context import CALIBRATION_FILE, TEXTCAT_DIR
from ingest.reader import Reading
from ingest.versions import pack, unpack
from store import versions
from store.db import session_factory
from tests.ingest.service import make_service, service_env

HELDOUT = Path(__file__).resolve().parents[1] / "data" / "heldout"
NOW = datetime(2026, 11, 20, 9, 0, tzinfo=timezone.utc)


def _confidences(record: dict) -> list[float]:
    found: list[float] = []

    def walk(node) -> None:
        if isinstance(node, dict):
            if "confidence" in node and "value" in node:
                found.append(node["confidence"])
            else:
                for v in node.values():
                    walk(v)
        elif isinstance(node, list):
            for v in node:
                walk(v)

    walk({k: record[k] for k in ("referrer", "children", "parents_carers")})
    return found


def _read(service) -> dict:
    reading = service.deps.reader.read("h01.eml", (HELDOUT / "h01.eml").read_bytes())
    assert isinstance(reading, Reading)
    return reading.record


@pytest.fixture()
def service(tmp_path):
    return make_service(service_env(tmp_path), None)


def test_a_record_is_read_with_the_newest_approved_calibration_and_the_shipped_one_after_a_rollback(service):
    sessions = session_factory(service.engine)
    shipped = _read(service)
    doubtful = Calibration.from_json(CALIBRATION_FILE.read_text(encoding="utf-8"))
    doubtful = Calibration(doubtful.weights, doubtful.intercept - 3.0, 0.99, {"note": "a doubtful calibration"})
    with sessions() as s:
        versions.add(s, "calibration", doubtful.to_json().encode(), {}, "operator", NOW)
        s.commit()
    assert _confidences(_read(service)) == _confidences(shipped)  # stored, not approved: not in force

    with sessions() as s:
        versions.approve(s, "calibration", 1, "ada", NOW)
        s.commit()
    doubted = _read(service)
    assert len(_confidences(doubted)) == len(_confidences(shipped))
    assert all(d < s for d, s in zip(_confidences(doubted), _confidences(shipped)))
    uncertain = [r for r in doubted["review_reasons"] if r.endswith("is uncertain: check it.")]
    assert doubted["needs_review"] and len(uncertain) > len([r for r in shipped["review_reasons"]
                                                              if r.endswith("is uncertain: check it.")])

    with sessions() as s:
        versions.rollback(s, "calibration", "ada", NOW)
        s.commit()
    assert _confidences(_read(service)) == _confidences(shipped)


def test_an_approved_classifier_version_is_unpacked_once_under_the_data_dir_and_read_with(service, tmp_path):
    sessions = session_factory(service.engine)
    with sessions() as s:
        versions.add(s, "textcat", pack(TEXTCAT_DIR), {}, "operator", NOW)
        versions.approve(s, "textcat", 1, "ada", NOW)
        s.commit()
    record = _read(service)
    folder = tmp_path / "var" / "models" / "textcat-1"
    assert service.deps.reader.config.textcat_dir == folder
    assert sorted(p.relative_to(folder) for p in folder.rglob("*")) == \
        sorted(p.relative_to(TEXTCAT_DIR) for p in TEXTCAT_DIR.rglob("*"))
    assert record["category"] == "cme_referral"
    assert unpack(b"not read again", folder) == folder  # once: a folder already there is taken as it is
    assert [p.name for p in folder.parent.iterdir()] == ["textcat-1"]  # no half-written folder left beside it
