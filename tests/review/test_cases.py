"""The queue and the case page: ordering, filters, search, edits with their audit, decisions,
duplicates, notes, attachments, safe display, reporting and the DfE export."""
from __future__ import annotations

import csv
import email
import email.policy
import io
import json
import re
from typing import Any

from fastapi.testclient import TestClient
from sqlmodel import select

from store.db import session_factory
from store.tables import AuditRow, CaseRow, OutboxRow, ReviewItemRow
from tests.review.conftest import csrf_of


def _refs(html: str) -> list[str]:
    return re.findall(r'href="/cases/\d+">(CME-\d{4}-\d{5})</a>', html)


def _form(client: TestClient, case_id: int) -> dict[str, str]:
    page = client.get(f"/cases/{case_id}")
    version = re.search(r'name="version" value="([^"]+)"', page.text).group(1)
    return {"csrf_token": csrf_of(page.text), "version": version}


def _record(engine: Any, case_id: int) -> dict[str, Any]:
    with session_factory(engine)() as session:
        return json.loads(session.get(CaseRow, case_id).record)


def _audit(engine: Any, case_id: int, action: str) -> list[dict[str, Any]]:
    with session_factory(engine)() as session:
        rows = session.exec(select(AuditRow).where(AuditRow.case_id == case_id, AuditRow.action == action)).all()
        return [{"actor": r.actor, **json.loads(r.detail)} for r in rows]


def test_queue_lists_urgent_first_then_oldest(officer: TestClient) -> None:
    assert _refs(officer.get("/").text) == ["CME-2026-00002", "CME-2026-00001", "CME-2026-00003",
                                            "CME-2026-00004", "CME-2026-00005"]


def test_queue_counts_by_status(officer: TestClient) -> None:
    html = officer.get("/").text
    assert re.search(r'app-counts__number">5</span> To review', html)
    assert re.search(r'app-counts__number">1</span> Attached to a case', html)
    assert "1 urgent case is waiting for review" in html


def test_queue_filters_and_search(officer: TestClient) -> None:
    assert _refs(officer.get("/?category=ehe").text) == ["CME-2026-00005"]
    assert _refs(officer.get("/?review=no").text) == ["CME-2026-00005"]
    assert "CME-2026-00006" in _refs(officer.get("/?status=any").text)
    assert _refs(officer.get("/?status=attached").text) == ["CME-2026-00006"]
    assert _refs(officer.get("/?q=Quillfeather").text) == ["CME-2026-00001"]
    assert _refs(officer.get("/?q=so50+9zz").text) == ["CME-2026-00001", "CME-2026-00004"]
    assert _refs(officer.get("/?q=SO509ZZ").text) == ["CME-2026-00001", "CME-2026-00004"]
    assert _refs(officer.get("/?q=cme-2026-00002").text) == ["CME-2026-00002"]
    assert _refs(officer.get("/?q=Rowena").text) == ["CME-2026-00001"]
    assert _refs(officer.get("/?q=nobody+at+all").text) == []


def test_case_page_shows_message_fields_reasons_and_logs_the_view(officer: TestClient, ids: dict[str, int], engine: Any) -> None:
    html = officer.get(f"/cases/{ids['urgent']}").text
    assert "Why this needs review" in html and "child.date_of_birth low confidence" in html
    assert "has not been seen since" in html  # the message body
    assert 'value="14/12/2012"' in html and "Confidence 40%" in html
    start = html.index('id="f-children-0-date-of-birth"')
    assert 'data-part="body"' in html[start:start + 600]
    assert len(_audit(engine, ids["urgent"], "view")) == 1


def test_correcting_a_date_of_birth_is_saved_and_audited_with_before_and_after(officer: TestClient, ids: dict[str, int], engine: Any) -> None:
    case_id = ids["urgent"]
    before = _record(engine, case_id)["children"][0]["date_of_birth"]
    response = officer.post(f"/cases/{case_id}/edit", data={**_form(officer, case_id), "children.0.date_of_birth": "14/02/2012"})
    assert response.status_code == 200 and "Changes saved" in response.text
    after = _record(engine, case_id)["children"][0]["date_of_birth"]
    assert after["value"] == "2012-02-14" and after["confidence"] == 1.0
    assert after["source"] == before["source"]  # still points at the words it was read from
    [edit] = _audit(engine, case_id, "edit")
    assert edit["actor"] == "officer"
    assert edit["changes"] == [{"field": "children.0.date_of_birth", "before": "2012-12-14", "after": "2012-02-14"}]
    assert "Child 1 date of birth: 14/12/2012 → 14/02/2012" in response.text


def test_a_bad_value_is_refused_with_a_message_and_nothing_changes(officer: TestClient, ids: dict[str, int], engine: Any) -> None:
    case_id = ids["plain"]
    response = officer.post(f"/cases/{case_id}/edit", data={**_form(officer, case_id), "children.0.date_of_birth": "31/02/2015",
                                                            "children.0.address.postcode": "not a postcode"})
    assert response.status_code == 400
    assert "Child 1: Date of birth: that date does not exist" in response.text
    assert 'href="#f-children-0-address-postcode"' in response.text and "enter a UK postcode" in response.text
    assert 'value="31/02/2015"' in response.text  # what the officer typed is kept
    assert _record(engine, case_id)["children"][0]["date_of_birth"]["value"] == "2015-04-03"
    assert _audit(engine, case_id, "edit") == []


def test_an_edit_on_a_stale_page_is_refused(officer: TestClient, ids: dict[str, int], engine: Any) -> None:
    case_id = ids["plain"]
    form = _form(officer, case_id)
    assert officer.post(f"/cases/{case_id}/edit", data={**form, "children.0.first_name": "Poppie"}).status_code == 200
    stale = officer.post(f"/cases/{case_id}/edit", data={**form, "children.0.first_name": "Pops"})
    assert stale.status_code == 409 and "Someone else changed this case" in stale.text
    assert "officer changed children.0.first_name" in stale.text  # what changed since
    assert _record(engine, case_id)["children"][0]["first_name"]["value"] == "Poppie"


def test_editing_case_flags_and_referrer(officer: TestClient, ids: dict[str, int], engine: Any) -> None:
    case_id = ids["plain"]
    officer.post(f"/cases/{case_id}/edit", data={**_form(officer, case_id), "flags_present": "1", "urgent": "1",
                                                 "safeguarding": ["neglect"], "referrer.email": "Lead@Brambleton.Example.org",
                                                 "parents_carers.0.phone": "+44 7700 900456"})
    record = _record(engine, case_id)
    assert record["urgent"] is True and record["safeguarding"] == ["neglect"]
    assert record["referrer"]["email"]["value"] == "lead@brambleton.example.org"
    assert record["parents_carers"][0]["phone"]["value"] == "07700900456"
    assert _refs(officer.get("/").text)[:2] == ["CME-2026-00001", "CME-2026-00002"]  # urgent now, and older


def test_adding_and_removing_a_child_and_a_parent(officer: TestClient, ids: dict[str, int], engine: Any) -> None:
    case_id = ids["plain"]
    officer.post(f"/cases/{case_id}/children/add", data=_form(officer, case_id))
    officer.post(f"/cases/{case_id}/edit", data={**_form(officer, case_id), "children.1.first_name": "Jasper",
                                                 "children.1.last_name": "Quillfeather"})
    assert [c["first_name"]["value"] for c in _record(engine, case_id)["children"]] == ["Poppy", "Jasper"]
    officer.post(f"/cases/{case_id}/children/0/remove", data=_form(officer, case_id))
    assert [c["first_name"]["value"] for c in _record(engine, case_id)["children"]] == ["Jasper"]
    officer.post(f"/cases/{case_id}/parents/add", data=_form(officer, case_id))
    assert len(_record(engine, case_id)["parents_carers"]) == 2
    officer.post(f"/cases/{case_id}/parents/0/remove", data=_form(officer, case_id))
    assert _record(engine, case_id)["parents_carers"][0]["name"] is None
    removed = [a for a in _audit(engine, case_id, "edit") if "removed" in a]
    assert removed[0]["before"]["first_name"]["value"] == "Poppy"
    assert _refs(officer.get("/?q=jasper").text) == ["CME-2026-00001"]  # search follows the edit


def test_accept_closes_the_review_and_leaves_the_queue(officer: TestClient, ids: dict[str, int], engine: Any) -> None:
    case_id = ids["urgent"]
    page = officer.post(f"/cases/{case_id}/decision", data={**_form(officer, case_id), "action": "accept"})
    assert "Case accepted" in page.text
    with session_factory(engine)() as session:
        row = session.get(CaseRow, case_id)
        item = session.exec(select(ReviewItemRow).where(ReviewItemRow.case_id == case_id)).one()
        assert row.status == "accepted" and not row.needs_review
        assert item.closed_at is not None and item.closed_by == "officer"
    assert "CME-2026-00002" not in _refs(officer.get("/").text)
    assert _audit(engine, case_id, "accept")[0]["before"] == "new"
    officer.post(f"/cases/{case_id}/decision", data={**_form(officer, case_id), "action": "reopen",
                                                     "reason": "Accepted by mistake"})
    assert "CME-2026-00002" in _refs(officer.get("/").text)


def test_reject_marks_not_cme(officer: TestClient, ids: dict[str, int], engine: Any) -> None:
    case_id = ids["xss"]
    officer.post(f"/cases/{case_id}/decision", data={**_form(officer, case_id), "action": "reject"})
    assert _refs(officer.get("/?status=rejected").text) == ["CME-2026-00003"]


def test_forward_queues_the_original_to_the_team_in_the_same_transaction(officer: TestClient, ids: dict[str, int], engine: Any, settings: Any) -> None:
    case_id = ids["ehe"]
    officer.post(f"/cases/{case_id}/decision", data={**_form(officer, case_id),
                                                     "action": "forward", "team": "ehe", "note": "For you"})
    with session_factory(engine)() as session:
        [out] = session.exec(select(OutboxRow).where(OutboxRow.case_id == case_id)).all()
        assert out.kind == "forward" and out.status == "pending" and out.recipient == settings.teams.ehe
        assert session.get(CaseRow, case_id).status == "forwarded"
    sent = email.message_from_bytes(out.mime, policy=email.policy.default)
    assert sent["To"] == settings.teams.ehe and "CME-2026-00005" in sent["Subject"]
    assert _audit(engine, case_id, "note")[0]["text"] == "For you"
    attached = [p for p in sent.iter_attachments()]
    assert attached[0].get_content_type() == "message/rfc822"
    assert "home education for my son" in attached[0].get_content().get_body().get_content()
    emails = officer.get(f"/cases/{case_id}").text.split('id="emails"')[1].split("</table>")[0]
    assert "Forward" in emails and settings.teams.ehe in emails and "Waiting to send" in emails
    [audit] = _audit(engine, case_id, "forward")
    assert audit["recipient"] == settings.teams.ehe and audit["message_id"] == out.message_id


def test_forward_to_an_unknown_team_is_refused(officer: TestClient, ids: dict[str, int], engine: Any) -> None:
    case_id = ids["ehe"]
    response = officer.post(f"/cases/{case_id}/decision", data={**_form(officer, case_id),
                                                                "action": "forward", "team": "attacker@example.com"})
    assert response.status_code == 400
    with session_factory(engine)() as session:
        assert session.exec(select(OutboxRow)).all() == []


def test_likely_duplicate_is_suggested_and_marked(officer: TestClient, ids: dict[str, int], engine: Any) -> None:
    case_id = ids["dup"]
    html = officer.get(f"/cases/{case_id}").text
    assert "Likely duplicates" in html and "CME-2026-00001 – Poppy Quillfeather" in html
    assert "same date of birth" in html
    form = _form(officer, case_id)
    assert officer.post(f"/cases/{case_id}/decision", data={**form, "action": "duplicate",
                                                            "duplicate_of": "CME-2026-00004"}).status_code == 400
    officer.post(f"/cases/{case_id}/decision", data={**form, "action": "duplicate", "duplicate_of": ["", "cme-2026-00001"]})
    with session_factory(engine)() as session:
        row = session.get(CaseRow, case_id)
        assert row.status == "duplicate" and row.duplicate_of_id == ids["plain"]
    assert "Duplicate of" in officer.get(f"/cases/{case_id}").text


def test_notes_are_kept_and_shown(officer: TestClient, ids: dict[str, int], engine: Any) -> None:
    case_id = ids["plain"]
    csrf = _form(officer, case_id)["csrf_token"]
    html = officer.post(f"/cases/{case_id}/notes", data={"csrf_token": csrf, "note": "Rang school <b>today</b>"}).text
    assert "Rang school &lt;b&gt;today&lt;/b&gt;" in html
    assert _audit(engine, case_id, "note")[0]["text"] == "Rang school <b>today</b>"


def test_case_updates_appear_on_their_case(officer: TestClient, ids: dict[str, int]) -> None:
    html = officer.get(f"/cases/{ids['plain']}").text
    assert "Updates to this case" in html and f'href="/cases/{ids["update"]}">CME-2026-00006' in html
    assert "the family has moved to Basingstoke" in html
    assert "This is an update to case" in officer.get(f"/cases/{ids['update']}").text


def test_attachment_is_a_download_with_its_type(officer: TestClient, ids: dict[str, int], engine: Any) -> None:
    html = officer.get(f"/cases/{ids['plain']}").text
    assert f'href="/cases/{ids["plain"]}/attachments/0"' in html and "referral form.pdf" in html
    response = officer.get(f"/cases/{ids['plain']}/attachments/0")
    assert response.status_code == 200 and response.content.startswith(b"%PDF-1.4 fictitious")
    assert response.headers["content-type"] == "application/pdf"
    assert response.headers["content-disposition"].startswith('attachment; filename="referral form.pdf"')
    assert response.headers["x-content-type-options"] == "nosniff"
    assert officer.get(f"/cases/{ids['plain']}/attachments/7").status_code == 404
    assert _audit(engine, ids["plain"], "download")[0]["filename"] == "referral form.pdf"


def test_an_html_attachment_is_only_ever_a_download(officer: TestClient, ids: dict[str, int]) -> None:
    response = officer.get(f"/cases/{ids['xss']}/attachments/0")
    assert response.headers["content-type"].startswith("text/html")
    assert response.headers["content-disposition"].startswith('attachment; filename="page.html"')
    assert "sandbox" in response.headers["content-security-policy"]
    assert response.headers["x-content-type-options"] == "nosniff"
    html = officer.get(f"/cases/{ids['xss']}").text
    assert "Download page.html" in html and "<body onload" not in html and "<script>alert('attached')" not in html


def test_hostile_markup_is_shown_as_text(officer: TestClient, ids: dict[str, int]) -> None:
    html = officer.get(f"/cases/{ids['xss']}").text
    assert "&lt;script&gt;alert(&#39;body&#39;)&lt;/script&gt;" in html
    assert "onerror=alert(2)&gt;" in html
    assert "<script>" not in html and "<img src=x" not in html and "<b>subject</b>" not in html
    assert "<script>" not in officer.get("/?status=any").text


def test_reports_count_and_chart(officer: TestClient) -> None:
    html = officer.get("/reports?start=2026-10-01&end=2026-11-30").text
    assert "6 cases received" in html and "<svg" in html and "app-chart__bar" in html
    assert re.search(r"CME referral</td><td[^>]*>3</td>", html)
    assert re.search(r"Police</td><td[^>]*>1</td>", html)
    assert officer.get("/reports?start=2026-12-01&end=2026-11-01").status_code == 400


def test_csv_export_for_the_dfe_return_counts_accepted_cme_cases_only(officer: TestClient, ids: dict[str, int], engine: Any) -> None:
    for case_id in (ids["plain"], ids["urgent"]):
        officer.post(f"/cases/{case_id}/decision", data={**_form(officer, case_id), "action": "accept"})
    officer.post(f"/cases/{ids['xss']}/decision", data={**_form(officer, ids["xss"]), "action": "reject"})
    response = officer.get("/reports/export.csv?start=2026-11-01&end=2026-11-30")
    assert response.headers["content-disposition"].startswith('attachment; filename="cme-return-2026-09-01-to-2026-12-31.csv"')
    rows = {r["case_reference"]: r for r in csv.DictReader(io.StringIO(response.text))}
    assert sorted(rows) == ["CME-2026-00001", "CME-2026-00002"]  # not the rejected, the duplicate-to-be or the EHE mail
    poppy = rows["CME-2026-00001"]
    assert (poppy["sex"], poppy["year_group"], poppy["year_group_label"]) == ("female", "7", "Year 7")
    assert poppy["date_told"] == "2026-11-02" and poppy["missing_from"] == "2026-09-15"
    assert poppy["missing_to"] == "2026-12-31" and poppy["days_missing"] == "107"
    assert poppy["time_missing_band"] == "12 weeks to under 1 term" and poppy["found"] == "not yet"
    assert rows["CME-2026-00002"]["safeguarding"] == "criminal exploitation"
    assert "Quillfeather" not in response.text and "2015-04-03" not in response.text  # no names or DOBs
    with session_factory(engine)() as session:
        assert session.exec(select(AuditRow).where(AuditRow.action == "export")).first() is not None
    page = officer.get("/reports?start=2026-10-01&end=2026-11-30").text
    assert "autumn term 2026/27" in page and "2 children" in page
