"""Spot checks of the records the service accepts, and the drift switch, through the real pipeline
(the isolated reader, SQLite) and the real review screen: one in N accepted records waits in the
queue with its reason; when the reviewed spot checks fall below the target the next record that would
have been accepted goes to review with the reason on the queue page, until an admin switches
auto-accept back on by approving a new calibration (audited). All mail is fictitious."""
from __future__ import annotations

import dataclasses
import re
from datetime import timedelta

import pytest
from fastapi.testclient import TestClient

from config.settings import DriftSettings, load_settings
from extraction.model import MessageInfo, Referral
from ingest import plan
from ingest.pipeline import RawMessage, process_message
from review.accounts import add_user
from review.app import create_app
from extraction.context import CALIBRATION_FILE
from store import audit, drift, versions
from store.db import session_factory
from store.intake import Facts
from store.ledger import MessageKey
from store.queue import case_id_by_reference, get_case
from tests.ingest.service import make_service, service_env
from tests.review.conftest import csrf_of, sign_in
from tests.review.seed import PASSWORD

SPOT_REASON = ("Spot check: one in 1 records the service accepts is shown to an officer, to measure how often "
               "it is right.")


def test_about_one_in_n_records_is_spot_checked_and_the_same_message_always_the_same_way():
    for one_in in (2, 10, 50):
        chosen = [i for i in range(1, 20001) if plan.spot_checked(i, one_in)]
        assert 0.9 * 20000 / one_in <= len(chosen) <= 1.1 * 20000 / one_in
        assert chosen == [i for i in range(1, 20001) if plan.spot_checked(i, one_in)]  # a retry: the same choice
    assert not any(plan.spot_checked(i, 0) for i in range(1, 1001))  # 0: none
    assert all(plan.spot_checked(i, 1) for i in range(1, 1001))


def _referral(category: str, needs_review: bool) -> tuple[Referral, dict]:
    referral = Referral(source=MessageInfo("x.eml", "<x@example.com>", "school@example.org", "s", None),
                        category=category, acknowledge=True, urgent=False, needs_review=needs_review)
    return referral, {"category": category, "needs_review": needs_review, "review_reasons": []}


@pytest.mark.parametrize("category, needs_review, shown", [
    ("cme_referral", False, True),  # a new case the gate accepts: gated
    ("cme_referral", True, False),  # already for review for its own reasons: nothing added
    ("ehe", False, False),  # forwarded to another team: not an accepted case
    ("auto_reply", False, False),  # automatic mail, stored only
])
def test_only_records_the_service_would_accept_are_spot_checked_or_held_while_paused(category, needs_review, shown):
    teams, facts = load_settings({}).teams, Facts(None, None)
    referral, record = _referral(category, needs_review)
    checked = plan.decide(referral, record, facts, teams, gate=plan.Gate(spot_check=True, one_in=10))
    held = plan.decide(referral, record, facts, teams, gate=plan.Gate(paused="Auto-accept is paused: drift."))
    accepted = plan.decide(referral, record, facts, teams)
    assert checked.spot_check is shown and (checked.review and not accepted.review) is shown
    assert ("Spot check: one in 10 records the service accepts is shown to an officer, to measure how often it "
            "is right." in checked.record["review_reasons"]) is shown
    assert ("Auto-accept is paused: drift." in held.record["review_reasons"]) is shown and not held.spot_check


def _mail(n: int) -> bytes:
    """A message the service accepts without review (mail for nobody in particular): fictitious."""
    return (f"From: offers{n}@example.net\r\nTo: cme@example.com\r\nSubject: Your mailbox is full\r\n"
            f"Message-ID: <mailbox-full-{n}@example.net>\r\nDate: Wed, 18 Nov 2026 02:13:47 -0700\r\n"
            "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n"
            f"Click here to keep your mailbox. Offer {n}.\r\n").encode()


@pytest.fixture()
def service(tmp_path, extraction_context):
    env = service_env(tmp_path, {"CME_SPOT_CHECK_ONE_IN": "1", "CME_DRIFT_WINDOW": "2",
                                 "CME_DRIFT_MIN_PRECISION": "0.97", "CME_SECURE_COOKIES": "false"})
    made = make_service(env, extraction_context)
    with session_factory(made.engine)() as session:
        add_user(session, "officer", "officer", PASSWORD)
        add_user(session, "boss", "admin", PASSWORD)
        session.commit()
    return made


def _store(service, n: int):
    outcome = process_message(RawMessage(MessageKey("cme@example.com", "INBOX", 1, n), _mail(n)), service.deps)
    assert outcome.status == "stored", outcome.reason
    with session_factory(service.engine)() as session:
        case = get_case(session, case_id_by_reference(session, outcome.reference))
        return case, drift.is_spot_check(session, case.summary.id)


def _client(service, name: str) -> TestClient:
    client = TestClient(create_app(service.settings, service.engine), base_url="http://127.0.0.1")
    assert sign_in(client, name).status_code == 303
    return client


def test_a_spot_checked_record_waits_in_the_queue_with_its_reason(service):
    case, spot = _store(service, 1)
    assert spot and case.summary.status == "new" and case.summary.needs_review
    assert SPOT_REASON in case.reasons
    officer = _client(service, "officer")
    queue = officer.get("/").text
    row = queue[queue.index(case.summary.reference):]
    assert "Needs review" in row[:row.index("</tr>")]
    assert "Spot check: one in 1 records the service accepts" in officer.get(f"/cases/{case.summary.id}").text


def test_when_the_spot_checks_fall_below_the_target_auto_accept_stops_until_an_admin_approves_a_calibration(service):
    first, spot = _store(service, 1)
    assert spot
    officer = _client(service, "officer")
    page = officer.get(f"/cases/{first.summary.id}").text
    version = re.search(r'name="version" value="(\d+)"', page).group(1)
    done = officer.post(f"/cases/{first.summary.id}/decision", follow_redirects=False,
                        data={"action": "reject", "version": version, "csrf_token": csrf_of(page)})
    assert done.status_code == 303  # the officer marks the accepted record not CME: the gate was wrong

    second, spot = _store(service, 2)  # would have been accepted (and spot-checked): auto-accept is paused
    assert not spot and second.summary.needs_review and second.summary.status == "new"
    paused = [r for r in second.reasons if r.startswith("Auto-accept is paused")]
    assert paused and "1 of the last 1 spot checks reviewed were wrong" in paused[0]
    assert SPOT_REASON not in second.reasons

    queue = officer.get("/").text
    assert "Auto-accept is paused" in queue and "1 of the last 1 spot checks reviewed were wrong" in queue
    assert "/models" not in queue and "comes back on when an admin approves a new calibration" in queue
    with session_factory(service.engine)() as session:  # `cme calibrate --from-store` made a new version
        versions.add(session, "calibration", CALIBRATION_FILE.read_bytes(), {}, "operator ops", service.clock())
        session.commit()
    token = csrf_of(queue)
    assert officer.post("/models/approve", data={"csrf_token": token, "kind": "calibration", "version": "1"},
                        follow_redirects=False).status_code == 403  # an officer cannot approve it
    service.clock.advance(minutes=5)
    assert _store(service, 3)[0].summary.needs_review  # still paused

    boss = _client(service, "boss")
    queue = boss.get("/").text
    assert 'href="/models#calibration"' in queue
    models = boss.get("/models").text
    approved = boss.post("/models/approve", data={"csrf_token": csrf_of(models), "kind": "calibration",
                                                  "version": "1"}, follow_redirects=False)
    assert approved.status_code == 303
    assert "Auto-accept is paused" not in boss.get("/").text
    with session_factory(service.engine)() as session:
        events = audit.service_events(session, (drift.ENABLED, versions.APPROVED))
    assert [(e.action, e.actor) for e in events] == [("auto_accept_enabled", "boss"), ("version_approved", "boss")]
    assert "were wrong" in events[0].detail["reason"]
    activity = boss.get("/activity?kind=auto_accept").text
    assert "Switched auto-accept back on" in activity and "Auto-accept paused" in activity

    service.deps = dataclasses.replace(service.deps, drift=DriftSettings(spot_check_one_in=0, window=2,
                                                                         min_precision=0.97))
    service.clock.advance(minutes=5)
    back, spot = _store(service, 4)  # accepted again, without review
    assert not spot and not back.summary.needs_review
    assert not any(r.startswith("Auto-accept is paused") for r in back.reasons)
