"""Versions of the calibration, the classifier and the span categoriser in the store, on SQLite and PostgreSQL: numbered per kind,
the newest approved one is in force, a refused one can never be approved, rolling back brings back the one
approved before (or the shipped file), and approving a calibration ends a drift pause; all audited."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from store import audit, drift, versions
from store.errors import NotAllowed, UnknownVersion

NOW = datetime(2026, 11, 20, 9, 0, tzinfo=timezone.utc)


def _add(sessions, kind: str = "calibration", refused: str | None = None, artefact: bytes = b'{"weights": {}}') -> int:
    with sessions() as s:
        v = versions.add(s, kind, artefact, {"precision": 1.0}, "operator", NOW, refused=refused)
        s.commit()
    return v.version


def _in_force(sessions, kind: str = "calibration") -> int:
    with sessions() as s:
        return versions.in_force(s, kind)


def test_versions_are_numbered_per_kind_and_nothing_is_in_force_until_approved(sessions):
    assert _in_force(sessions) == 0 and _in_force(sessions, "textcat") == 0 and _in_force(sessions, "spancat") == 0
    assert [_add(sessions), _add(sessions), _add(sessions, "textcat", artefact=b"tar"),
            _add(sessions, "spancat", artefact=b"tar.gz")] == [1, 2, 1, 1]
    assert _in_force(sessions) == 0
    with sessions() as s:
        listed = versions.listed(s)
        assert [(v.kind, v.version, v.status, v.size) for v in listed] == [
            ("calibration", 2, "waiting for approval", 15), ("calibration", 1, "waiting for approval", 15),
            ("spancat", 1, "waiting for approval", 6), ("textcat", 1, "waiting for approval", 3)]
        with pytest.raises(NotAllowed, match="calibration, textcat or spancat"):
            versions.listed(s, "ner")
        assert versions.artefact(s, "textcat", 1) == b"tar"
        with pytest.raises(UnknownVersion):
            versions.artefact(s, "textcat", 2)


def test_the_newest_approved_version_is_in_force_and_rollback_returns_the_previous_one(sessions):
    for _ in range(3):
        _add(sessions)
    with sessions() as s:
        versions.approve(s, "calibration", 1, "ada", NOW)
        versions.approve(s, "calibration", 3, "ada", NOW + timedelta(minutes=1))
        s.commit()
    assert _in_force(sessions) == 3
    with sessions() as s:
        assert versions.rollback(s, "calibration", "ada", NOW + timedelta(minutes=2), address="192.0.2.1") == 1
        s.commit()
    assert _in_force(sessions) == 1
    with sessions() as s:
        assert versions.rollback(s, "calibration", "ada", NOW + timedelta(minutes=3)) == 0  # the shipped file
        s.commit()
        with pytest.raises(NotAllowed):
            versions.rollback(s, "calibration", "ada", NOW + timedelta(minutes=4))
        assert [v.status for v in versions.listed(s, "calibration")] == ["rolled back", "waiting for approval",
                                                                         "rolled back"]
        events = audit.service_events(s, (versions.APPROVED, versions.ROLLED_BACK))
    assert [(e.action, e.detail["version"]) for e in events] == [
        ("version_rolled_back", 1), ("version_rolled_back", 3), ("version_approved", 3), ("version_approved", 1)]
    assert events[1].detail["now_in_force"] == 1 and events[1].detail["address"] == "192.0.2.1"


def test_a_refused_version_can_never_be_approved(sessions):
    n = _add(sessions, refused="test precision 0.950 is below the version in force's 1.000 on the same labels")
    with sessions() as s:
        with pytest.raises(NotAllowed, match="refused"):
            versions.approve(s, "calibration", n, "ada", NOW)
        assert versions.listed(s)[0].status == "refused"
    assert _in_force(sessions) == 0


def test_approving_a_calibration_ends_a_drift_pause_and_a_classifier_does_not(sessions):
    with sessions() as s:
        drift._set(s, {"on": False, "reason": "Auto-accept is paused: 3 of the last 4 were wrong"}, "service", NOW)
        s.commit()
    textcat, calibration = _add(sessions, "textcat", artefact=b"tar"), _add(sessions)
    with sessions() as s:
        versions.approve(s, "textcat", textcat, "ada", NOW + timedelta(minutes=1))
        s.commit()
        assert not drift.state(s).on
        versions.approve(s, "calibration", calibration, "ada", NOW + timedelta(minutes=2), address="192.0.2.7")
        s.commit()
        state = drift.state(s)
        assert state.on and state.changed_by == "ada"
        events = audit.service_events(s, (drift.ENABLED, versions.APPROVED))
    assert [e.action for e in events] == ["auto_accept_enabled", "version_approved", "version_approved"]
    assert events[0].detail["address"] == "192.0.2.7"
