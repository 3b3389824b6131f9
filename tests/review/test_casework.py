"""Casework on the case page through the real app: take and assign, the enquiries log, close with a
reason, reopen with a reason, refusals (stale versions, wrong status, duplicate loops), and the
"My cases" and "Overdue" lists."""
from __future__ import annotations

import json
import re
from typing import Any

from fastapi.testclient import TestClient
from sqlmodel import select

from store.db import session_factory
from store.tables import AuditRow, CaseRow
from tests.review.conftest import sign_in
from tests.review.test_cases import _form, _refs


def _row(engine: Any, case_id: int) -> CaseRow:
    with session_factory(engine)() as session:
        return session.get(CaseRow, case_id)


def _actions(engine: Any, case_id: int) -> list[tuple[str, dict[str, Any]]]:
    with session_factory(engine)() as session:
        rows = session.exec(select(AuditRow).where(AuditRow.case_id == case_id).order_by(AuditRow.id)).all()
        return [(r.action, json.loads(r.detail)) for r in rows if r.action != "view"]


def _accept(client: TestClient, case_id: int) -> None:
    assert client.post(f"/cases/{case_id}/decision", data={**_form(client, case_id), "action": "accept"}).status_code == 200


def test_accepting_gives_the_case_an_owner_and_a_first_enquiry_due_date(officer: TestClient, ids: dict[str, int], engine: Any) -> None:
    _accept(officer, ids["plain"])
    row = _row(engine, ids["plain"])
    assert row.status == "accepted" and row.owner == "officer"
    assert row.due_on.isoformat() == "2026-11-09"  # told Monday 2 November 2026, five school days later
    html = officer.get(f"/cases/{ids['plain']}").text
    assert "Due by 9 November 2026 (5 school days)" in html
    assert "Overdue</strong>" in html  # no enquiry logged, and 9 November 2026 has passed
    assert _refs(officer.get("/my-cases").text) == ["CME-2026-00001"]


def test_take_and_give_a_case_to_another_officer(officer: TestClient, ids: dict[str, int], engine: Any) -> None:
    case_id = ids["urgent"]
    assert "Take this case" in officer.get(f"/cases/{case_id}").text
    response = officer.post(f"/cases/{case_id}/owner", data={**_form(officer, case_id), "action": "take"})
    assert "You own this case now" in response.text and _row(engine, case_id).owner == "officer"
    officer.post(f"/cases/{case_id}/owner", data={**_form(officer, case_id), "owner": "boss"})
    assert _row(engine, case_id).owner == "boss"
    refused = officer.post(f"/cases/{case_id}/owner", data={**_form(officer, case_id), "owner": "mallory"})
    assert refused.status_code == 400 and _row(engine, case_id).owner == "boss"
    assert [d["owner"] for a, d in _actions(engine, case_id) if a == "assign"] == ["officer", "boss"]
    assert _refs(officer.get("/my-cases").text) == []


def test_an_enquiry_is_logged_newest_first_and_opens_the_casework(officer: TestClient, ids: dict[str, int], engine: Any) -> None:
    case_id = ids["plain"]
    _accept(officer, case_id)
    for day, kind, outcome in (("3/11/2026", "school", "Not on roll at Brambleton"),
                               ("5/11/2026", "home_visit", "No answer at the door")):
        officer.post(f"/cases/{case_id}/enquiries", data={**_form(officer, case_id), "kind": kind, "made_on": day,
                                                           "outcome": outcome, "next_step": "Write to the family"})
    row = _row(engine, case_id)
    assert row.status == "enquiries" and row.first_contact_on.isoformat() == "2026-11-03"
    log = officer.get(f"/cases/{case_id}").text.split('id="enquiry-log"')[1].split("</table>")[0]
    assert log.index("5 Nov 2026") < log.index("3 Nov 2026") and "Home visit" in log and "No answer at the door" in log
    assert "Made 3 November 2026" in officer.get(f"/cases/{case_id}").text
    assert [d["kind"] for a, d in _actions(engine, case_id) if a == "enquiry"] == ["school", "home_visit"]
    bad = officer.post(f"/cases/{case_id}/enquiries", data={**_form(officer, case_id), "kind": "school", "outcome": ""})
    assert bad.status_code == 400 and "Say what the enquiry found" in bad.text
    future = officer.post(f"/cases/{case_id}/enquiries", data={**_form(officer, case_id), "kind": "school",
                                                                 "made_on": "1/1/2099", "outcome": "x"})
    assert future.status_code == 400 and "cannot be in the future" in future.text


def test_close_with_a_reason_and_reopen_with_a_reason(officer: TestClient, ids: dict[str, int], engine: Any) -> None:
    case_id = ids["plain"]
    _accept(officer, case_id)
    no_reason = officer.post(f"/cases/{case_id}/close", data={**_form(officer, case_id)})
    assert no_reason.status_code == 400 and _row(engine, case_id).status == "accepted"
    other = officer.post(f"/cases/{case_id}/close", data={**_form(officer, case_id), "reason": "other"})
    assert other.status_code == 400 and "Say why the case is closed" in other.text
    done = officer.post(f"/cases/{case_id}/close", data={**_form(officer, case_id), "reason": "on_roll_in_county",
                                                          "closed_on": "20/11/2026"})
    assert "Case closed" in done.text and "20 November 2026: Found on a school roll in Hampshire" in done.text
    row = _row(engine, case_id)
    assert (row.status, row.closing_reason, row.closed_on.isoformat()) == ("closed", "on_roll_in_county", "2026-11-20")
    refused = officer.post(f"/cases/{case_id}/reopen", data={**_form(officer, case_id), "reason": ""})
    assert refused.status_code == 400 and _row(engine, case_id).status == "closed"
    reopened = officer.post(f"/cases/{case_id}/reopen", data={**_form(officer, case_id), "reason": "Left the school after a week"})
    assert "Case reopened: it is open again" in reopened.text
    row = _row(engine, case_id)
    assert (row.status, row.closing_reason, row.closed_on) == ("accepted", None, None)
    [(_, reopen)] = [(a, d) for a, d in _actions(engine, case_id) if a == "reopen"]
    assert reopen["reason"] == "Left the school after a week" and reopen["before"] == "closed"


def test_a_rejected_case_cannot_be_accepted_without_reopening(officer: TestClient, ids: dict[str, int], engine: Any) -> None:
    case_id = ids["xss"]
    officer.post(f"/cases/{case_id}/decision", data={**_form(officer, case_id), "action": "reject"})
    accept = officer.post(f"/cases/{case_id}/decision", data={**_form(officer, case_id), "action": "accept"})
    assert accept.status_code == 400 and "reopen it first" in accept.text
    assert _row(engine, case_id).status == "rejected"
    officer.post(f"/cases/{case_id}/reopen", data={**_form(officer, case_id), "reason": "It names a child after all"})
    _accept(officer, case_id)
    assert _row(engine, case_id).status == "accepted"


def test_duplicates_cannot_point_at_each_other(officer: TestClient, ids: dict[str, int], engine: Any) -> None:
    officer.post(f"/cases/{ids['dup']}/decision", data={**_form(officer, ids["dup"]), "action": "duplicate",
                                                         "duplicate_of": "CME-2026-00001"})
    loop = officer.post(f"/cases/{ids['plain']}/decision", data={**_form(officer, ids["plain"]), "action": "duplicate",
                                                                  "duplicate_of": "CME-2026-00004"})
    assert loop.status_code == 400 and "point at each other" in loop.text
    assert _row(engine, ids["plain"]).status == "new"


def test_a_stale_decision_is_refused_and_says_what_changed(client: TestClient, ids: dict[str, int], engine: Any) -> None:
    case_id = ids["urgent"]
    sign_in(client, "boss")
    stale_form = _form(client, case_id)
    client.post(f"/cases/{case_id}/decision", data={**_form(client, case_id), "action": "reject"})
    client.post(f"/cases/{case_id}/reopen", data={**_form(client, case_id), "reason": "Wrong button"})
    page = client.post(f"/cases/{case_id}/decision", data={**stale_form, "action": "accept"})
    assert page.status_code == 409 and "Someone else changed this case while you were reading it" in page.text
    changes = page.text.split('id="stale"')[1].split("</ul>")[0]
    assert re.search(r"boss marked it not CME.*boss reopened it", changes, re.S)
    assert _row(engine, case_id).status == "new"


def test_overdue_lists_cases_with_no_enquiry_by_the_due_date(officer: TestClient, ids: dict[str, int]) -> None:
    _accept(officer, ids["plain"])
    overdue = officer.get("/overdue").text
    # every seeded mail is dated 2 November 2026: due on the 9th, the urgent case first; not the EHE mail
    assert _refs(overdue) == ["CME-2026-00002", "CME-2026-00001", "CME-2026-00004"]
    officer.post(f"/cases/{ids['plain']}/enquiries", data={**_form(officer, ids["plain"]), "kind": "phone",
                                                           "outcome": "Mother says they moved"})
    assert "CME-2026-00001" not in _refs(officer.get("/overdue").text)


def test_the_queue_counts_my_cases_and_the_overdue_ones(officer: TestClient, ids: dict[str, int]) -> None:
    _accept(officer, ids["plain"])
    counts = officer.get("/").text.split('id="casework-counts"')[1].split("</p>")[0]
    assert "My cases: 1" in counts and "Overdue: 3" in counts


def test_a_case_read_today_is_overdue_when_its_mail_was_sent_weeks_ago(officer: TestClient, engine: Any) -> None:
    from datetime import datetime, timezone
    from email.utils import format_datetime

    from tests.review.seed import child, email_bytes, store_case

    now = datetime.now(timezone.utc)
    with session_factory(engine)() as session:
        for number, sent in ((7, "Mon, 02 Nov 2026 09:00:00 +0000"), (8, format_datetime(now))):
            body = f"Referral {number}: Elowen Marchbank, date of birth 01/02/2016, has stopped attending.\n"
            raw = email_bytes("office@brambleton.example.org", f"CME referral {number}", body, date=sent)
            store_case(session, number, raw, lambda b: ([child(b, "Elowen", "Marchbank", "2016-02-01", "01/02/2016")], [],
                                                        "school"), created=now)
        session.commit()
    counts = officer.get("/").text.split('id="casework-counts"')[1].split("</p>")[0]
    assert "Overdue: 4" in counts  # the three seeded referrals, and the one told on 2 November though read today
    listed = _refs(officer.get("/overdue").text)
    assert "CME-2026-00007" in listed and "CME-2026-00008" not in listed


def test_the_navigation_links_to_my_cases_and_overdue(officer: TestClient) -> None:
    nav = officer.get("/overdue").text.split('id="navigation"')[1].split("</ul>")[0]
    assert 'href="/my-cases"' in nav and 'href="/overdue" aria-current="true"' in nav
    assert nav.index('href="/"') < nav.index('href="/my-cases"') < nav.index('href="/reports"')


def test_the_reason_a_child_is_missing_education_goes_into_the_dfe_return(officer: TestClient, ids: dict[str, int],
                                                                          engine: Any) -> None:
    case_id = ids["plain"]
    _accept(officer, case_id)
    bad = officer.post(f"/cases/{case_id}/cme-reason", data={**_form(officer, case_id), "cme_reason": "made_up"})
    assert bad.status_code == 400
    saved = officer.post(f"/cases/{case_id}/cme-reason", data={**_form(officer, case_id), "cme_reason": "never_started"})
    assert "Reason saved" in saved.text and "Offered a place but never started" in saved.text
    assert _row(engine, case_id).cme_reason == "never_started"
    assert "Reason missing education" in saved.text.split('id="history"')[1]
    export = officer.get("/reports/export.csv?start=2026-11-01&end=2026-11-01").text
    assert "Offered a place but never started" in export
