"""The Models page, through the real app in-process: admins only, CSRF-checked like every form, a refused
version cannot be approved, approving and rolling back are audited with the address and shown on the
Activity page, and the queue's drift notice sends an admin to the Models page."""
from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

from fastapi.testclient import TestClient

from store import audit, drift, versions
from store.db import session_factory
from tests.review.conftest import csrf_of, sign_in

NOW = datetime(2026, 11, 20, 9, 0, tzinfo=timezone.utc)
REPORT = {"split": "fitted on the corpora and the 40 older stored labels; tested on the 20 newest stored labels",
          "threshold": 0.87, "accepted": 4, "records_tested": 20, "wrong_accepted": 0, "precision": 1.0,
          "error_upper_95": 0.5273, "ece": 0.021, "current_version": 0, "current_precision": 1.0,
          "current_accepted": 2, "current_wrong_accepted": 0}


def _versions(engine: Any, paused: bool = False) -> None:
    with session_factory(engine)() as s:
        versions.add(s, "calibration", b'{"weights": {}, "intercept": 0}', REPORT, "operator ops", NOW)
        versions.add(s, "calibration", b'{"weights": {}, "intercept": 0}', REPORT, "operator ops", NOW,
                     refused="its test precision 0.900 is below the 1.000 of calibration version 1 in force")
        if paused:
            drift._set(s, {"on": False, "reason": "Auto-accept is paused: 2 of the last 3 spot checks reviewed "
                                                  "were wrong."}, "service", NOW)
        s.commit()


def test_only_an_admin_sees_the_models_page_and_forms_need_their_token(client: TestClient, engine: Any) -> None:
    _versions(engine)
    assert sign_in(client, "officer").status_code == 303
    assert client.get("/models").status_code == 403
    assert 'href="/models"' not in client.get("/").text
    page = client.get("/")
    assert client.post("/models/approve", data={"csrf_token": csrf_of(page.text), "kind": "calibration",
                                                "version": "1"}, follow_redirects=False).status_code == 403
    client.post("/sign-out", data={"csrf_token": csrf_of(page.text)})
    assert sign_in(client, "boss").status_code == 303
    page = client.get("/models")
    assert page.status_code == 200 and 'href="/models"' in page.text
    assert client.post("/models/approve", data={"kind": "calibration", "version": "1"},
                       follow_redirects=False).status_code == 403  # no CSRF token
    assert "Waiting for approval" in page.text and "Refused" in page.text
    assert "Approve<span class=\"govuk-visually-hidden\"> confidence calibration version 2" not in page.text
    refused = client.post("/models/approve", data={"csrf_token": csrf_of(page.text), "kind": "calibration",
                                                   "version": "2"}, follow_redirects=False)
    assert refused.status_code == 400 and "was refused and cannot be approved" in refused.text
    for version in ("3", "x", "99999999999"):
        bad = client.post("/models/approve", data={"csrf_token": csrf_of(page.text), "kind": "calibration",
                                                   "version": version}, follow_redirects=False)
        assert bad.status_code == 400
    with session_factory(engine)() as s:
        assert versions.in_force(s, "calibration") == 0


def test_approving_and_rolling_back_are_audited_and_approving_a_calibration_ends_a_drift_pause(
        client: TestClient, engine: Any) -> None:
    _versions(engine, paused=True)
    assert sign_in(client, "boss").status_code == 303
    queue = client.get("/").text
    assert "Auto-accept is paused" in queue and 'href="/models#calibration"' in queue
    assert "Switch auto-accept back on" not in queue
    page = client.get("/models").text
    assert "Approving a calibration version switches it back on" in page
    done = client.post("/models/approve", data={"csrf_token": csrf_of(page), "kind": "calibration", "version": "1"},
                       follow_redirects=False)
    assert done.status_code == 303 and done.headers["location"] == "/models?done=approved"
    page = client.get("/models?done=approved").text
    assert "Version approved" in page and "In force: version 1." in page
    assert "Auto-accept is paused" not in client.get("/").text
    rolled = client.post("/models/rollback", data={"csrf_token": csrf_of(page), "kind": "calibration"},
                         follow_redirects=False)
    assert rolled.status_code == 303
    assert "In force: version 0, the one shipped with the service." in client.get("/models").text
    with session_factory(engine)() as s:
        events = audit.service_events(s, (drift.ENABLED, versions.APPROVED, versions.ROLLED_BACK))
    assert [(e.action, e.actor) for e in events] == [("version_rolled_back", "boss"), ("auto_accept_enabled", "boss"),
                                                     ("version_approved", "boss")]
    assert all(e.detail["address"] == "testclient" for e in events)
    activity = client.get("/activity?kind=models").text
    assert "Approved a version" in activity and "Rolled back a version" in activity


def test_the_span_categoriser_versions_are_listed_with_their_field_f1_and_approved_and_rolled_back(
        client: TestClient, engine: Any) -> None:
    report = {"split": "trained on the corpora and the 40 older stored labels; tested on the 20 newest stored labels",
              "trained_on": 600, "early_stopping_on": 106, "tested_on": 20, "field_f1": 0.9012, "current_version": 0,
              "current_field_f1": 0.8954, "per_field": {"child.address.line1": {"new": 0.9, "current": 0.85},
                                                        "child.address.town": {"new": 0.875, "current": 0.875},
                                                        "referrer.role": {"new": None, "current": 0.8}}}
    with session_factory(engine)() as s:
        versions.add(s, "spancat", b"a model's tar.gz", report, "operator ops", NOW)
        s.commit()
    assert sign_in(client, "boss").status_code == 303
    page = client.get("/models").text
    assert '<h2 class="govuk-heading-m" id="spancat">Span categoriser</h2>' in page
    assert "Field F1 on the test messages: 0.9012" in page
    assert "Version 0 in force then, on the same messages: 0.8954" in page
    assert "child.address.line1: 0.900 (in force then: 0.850)" in page
    assert "referrer.role: none scored (in force then: 0.800)" in page
    done = client.post("/models/approve", data={"csrf_token": csrf_of(page), "kind": "spancat", "version": "1"},
                       follow_redirects=False)
    assert done.status_code == 303
    with session_factory(engine)() as s:
        assert versions.in_force(s, "spancat") == 1 and versions.in_force(s, "textcat") == 0
    page = client.get("/models").text
    assert "Roll back to the previous version<span class=\"govuk-visually-hidden\"> of the span categoriser" in page
    assert client.post("/models/rollback", data={"csrf_token": csrf_of(page), "kind": "spancat"},
                       follow_redirects=False).status_code == 303
    with session_factory(engine)() as s:
        assert versions.in_force(s, "spancat") == 0
