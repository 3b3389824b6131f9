"""The Reports page shows the extraction's figures over time: each kept run of `cme eval` as a point of a
line chart drawn on the server (no script) and a row of the table under it; an officer reading it in
Chromium at 1280 px and at 320 px finds no axe violation and no sideways scroll."""
from __future__ import annotations

import argparse
import io
import re
from contextlib import redirect_stdout
from datetime import datetime, timedelta, timezone
from typing import Any, Iterator

import pytest
from fastapi.testclient import TestClient

from config.settings import load_settings
from ingest import labels
from ingest.reader import Reader, ReaderConfig
from store import casework, eval_runs
from store.db import session_factory
from tests.review.browser_helpers import axe_violations, seeded_site, sign_in

NOW = datetime(2026, 11, 20, 9, 0, tzinfo=timezone.utc)


def _run(at: datetime, f1: float, precision: float | None, review: float) -> eval_runs.EvalRun:
    metrics = {"messages": 12, "field_f1": f1, "category_accuracy": 0.917, "urgent_recall": 1.0,
               "acknowledge_accuracy": 1.0, "auto_accept_precision": precision, "review_rate": review}
    return eval_runs.run_of(metrics, ran_at=at, ran_by="ops", command="cme eval", since=None,
                            extraction_version="git 0435344", calibration_id="sha256:7c0f6fdac2d3", ece=0.021)


def test_reports_page_draws_each_kept_run_and_lists_it_in_a_table(officer: TestClient, engine: Any) -> None:
    assert 'id="no-eval-runs"' in officer.get("/reports").text  # nothing kept yet: said, no empty chart
    with session_factory(engine)() as s:
        for n, (f1, precision, review) in enumerate([(0.81, None, 1.0), (0.84, 0.5, 0.9), (0.86, 1.0, 0.85)]):
            eval_runs.record(s, _run(NOW + timedelta(days=n), f1, precision, review))
        s.commit()

    html = officer.get("/reports").text

    start = html.index('<svg role="img" aria-labelledby="trend-title"')
    chart = html[start:html.index("</svg>", start)]
    assert "<script" not in html.split("<main", 1)[1].split("</main>", 1)[0]
    assert re.search(r'<title id="trend-title">[^<]*latest 3 runs', chart)
    f1 = chart[chart.index('data-metric="field_f1"'):chart.index('data-metric="auto_accept_precision"')]
    assert f1.count("<circle") == 3 and f1.count("<polyline") == 1
    precision = chart[chart.index('data-metric="auto_accept_precision"'):chart.index('data-metric="review_rate"')]
    assert precision.count("<rect") == 2  # the first run accepted no record: no point, the line starts at the second
    rows = re.findall(r"<tr class=\"govuk-table__row\">\s*<td class=\"govuk-table__cell app-trend__run\">(.*?)</tr>",
                      html[html.index('id="eval-runs"'):], re.S)
    assert len(rows) == 3
    assert "0.860" in rows[0] and "22 Nov 2026" in rows[0] and "none accepted" in rows[2]  # newest first
    assert "sha256:7c0f6fdac2d3" in rows[0] and "git 0435344" in rows[0]


@pytest.fixture(scope="module")
def site_with_runs(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    """The seeded site after an officer accepted two cases and `cme eval` ran twice on their labels."""
    root = tmp_path_factory.mktemp("eval-trend")
    with seeded_site(root) as site:
        sessions = session_factory(site["engine"])
        with sessions() as s:
            for name in ("plain", "dup"):
                casework.decide(s, site["ids"][name], "accept", "officer", NOW, None)
            s.commit()
        settings = load_settings({"CME_DATA_DIR": str(root)})
        printed = io.StringIO()
        with redirect_stdout(printed):
            for since in (None, "2026-11-01"):
                args = argparse.Namespace(since=since, json=False, no_record=False)
                assert labels.run_eval(args, sessions, lambda: Reader(ReaderConfig.of(settings))) == 0
        site["printed"] = printed.getvalue()
        yield site


@pytest.mark.browser
@pytest.mark.parametrize("width", (1280, 320))
def test_an_officer_reads_the_eval_runs_on_the_reports_page_at_any_width(site_with_runs: dict[str, Any],
                                                                         browser: Any, width: int) -> None:
    with session_factory(site_with_runs["engine"])() as s:
        kept = eval_runs.latest(s)
    assert [r.command for r in kept] == ["cme eval", "cme eval --since 2026-11-01"] and kept[0].messages == 2
    summary = site_with_runs["printed"].splitlines()[0]
    assert f"field_f1={kept[0].field_f1:.3f}" in summary and "calibration of the" in site_with_runs["printed"]

    # bypass_csp only lets the test load axe-core into the page; the app's own pages run under their CSP elsewhere
    context = browser.new_context(viewport={"width": width, "height": 800}, bypass_csp=True)
    page = context.new_page()
    sign_in(page, site_with_runs["url"], "officer")
    page.goto(site_with_runs["url"] + "/reports")

    chart = page.get_by_role("img", name=re.compile("Field F1, auto-accept precision and review rate of the latest 2 runs"))
    assert chart.is_visible()
    assert page.locator("[data-metric=field_f1] circle").count() == 2
    table = page.get_by_role("table", name="Runs of cme eval")
    assert table.locator("tbody tr").count() == 2
    newest = table.locator("tbody tr").first
    assert f"{kept[1].field_f1:.3f}" in newest.inner_text() and "since 1 Nov 2026" in newest.inner_text()
    assert axe_violations(page) == []
    scroll_width, inner = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert scroll_width <= inner, f"the reports page scrolls sideways at {inner} px ({scroll_width} px wide)"
    box = page.get_by_role("region", name="Runs of cme eval")
    assert box.get_attribute("tabindex") == "0"
    context.close()
