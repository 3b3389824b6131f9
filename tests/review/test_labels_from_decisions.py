"""An officer's decisions on the case page make labels: the record as the officer left it, with who and when."""
from __future__ import annotations

import re
from typing import Any

from fastapi.testclient import TestClient

from store.db import session_factory
from store.labels import labels
from tests.review.conftest import csrf_of


def _form(client: TestClient, case_id: int) -> dict[str, str]:
    page = client.get(f"/cases/{case_id}")
    version = re.search(r'name="version" value="([^"]+)"', page.text).group(1)
    return {"csrf_token": csrf_of(page.text), "version": version}


def _labels(engine: Any) -> dict[int, Any]:
    with session_factory(engine)() as session:
        return {lab.case_id: lab for lab in labels(session)}


def test_accepting_a_case_makes_its_record_as_corrected_the_label_of_its_message(
        officer: TestClient, ids: dict[str, int], engine: Any) -> None:
    case_id = ids["urgent"]
    officer.post(f"/cases/{case_id}/edit", data={**_form(officer, case_id), "children.0.date_of_birth": "14/02/2012"})
    assert case_id not in _labels(engine)  # an edit while the case waits for review is not yet a label
    page = officer.post(f"/cases/{case_id}/decision", data={**_form(officer, case_id), "action": "accept"})
    assert "Case accepted" in page.text
    label = _labels(engine)[case_id]
    assert (label.origin, label.decision, label.labelled_by) == ("decision", "accepted", "officer")
    assert label.labelled_at is not None
    [child] = label.label["children"]
    assert (child["first_name"], child["last_name"], child["date_of_birth"]) == ("Tobias", "Wrenfield", "2012-02-14")
    assert label.label["urgent"] is True and label.label["category"]
    assert not {"source", "needs_review", "review_reasons"} & set(label.label)
    # a correction after the decision replaces the label; cases nobody decided have none
    officer.post(f"/cases/{case_id}/edit", data={**_form(officer, case_id), "children.0.first_name": "Toby"})
    assert _labels(engine)[case_id].label["children"][0]["first_name"] == "Toby"
    assert set(_labels(engine)) == {case_id}


def test_closing_a_case_keeps_the_record_as_closed_as_its_label(officer: TestClient, ids: dict[str, int], engine: Any) -> None:
    case_id = ids["plain"]
    officer.post(f"/cases/{case_id}/decision", data={**_form(officer, case_id), "action": "accept"})
    done = officer.post(f"/cases/{case_id}/close", data={**_form(officer, case_id), "reason": "on_roll_in_county",
                                                          "closed_on": "20/11/2026"})
    assert "Case closed" in done.text
    label = _labels(engine)[case_id]
    assert label.decision == "closed" and label.label["children"][0]["last_name"] == "Quillfeather"
