"""The case page shows the text the service read at ingestion, never a fresh parse of the raw mail."""
from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Iterator

import pytest
from fastapi.testclient import TestClient
from playwright.sync_api import expect
from sqlmodel import Session

from store import ledger, message_text
from store.message_text import HeaderFacts, ReadText
from store.tables import CaseRow, MessageRow, MessageTextRow
from tests.review.browser_helpers import seeded_site, sign_in

# what a later parser might make of the stored bytes: not an email at all
CHANGED = b"\x00\x01 these bytes are not the message the service read \xff\xfe\r\n"


def _replace_raw(engine: Any, case_id: int, raw: bytes) -> None:
    with Session(engine) as session:
        message = session.get(MessageRow, session.get(CaseRow, case_id).message_row_id)
        message.raw = raw
        session.add(message)
        session.commit()


@pytest.fixture()
def changed_site(tmp_path: Path) -> Iterator[dict[str, Any]]:
    with seeded_site(tmp_path) as site:
        _replace_raw(site["engine"], site["ids"]["dup"], CHANGED)
        yield site


@pytest.mark.browser
def test_the_case_page_shows_the_text_as_the_service_read_it_even_after_the_parser_changed(
        changed_site: dict[str, Any], browser: Any) -> None:
    url, case_id = changed_site["url"], changed_site["ids"]["dup"]
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    try:
        sign_in(page, url, "officer")
        page.goto(f"{url}/cases/{case_id}")
        expect(page.locator("pre.app-message__text[data-part='body']")).to_contain_text(
            "Poppy Quilfeather (dob 03/04/2015) is missing from school")
        expect(page.locator("#attachments")).to_contain_text("notes.txt")
        page.get_by_label("Date of birth").focus()  # read from the attachment's text as it was read
        mark = page.locator("pre.app-message__text[data-part='attachment:notes.txt'] mark")
        expect(mark).to_have_text("03/04/2015")
        page.get_by_label("First name").focus()
        expect(page.locator("pre.app-message__text[data-part='body'] mark")).to_have_text("Poppy")
        expect(page.get_by_text("these bytes are not the message")).to_have_count(0)
    finally:
        context.close()
    # the raw download still gives the bytes as they are stored
    with Session(changed_site["engine"]) as session:
        assert bytes(session.get(MessageRow, session.get(CaseRow, case_id).message_row_id).raw) == CHANGED


def test_a_message_stored_before_its_text_was_kept_says_so_and_offers_the_raw_message(officer: TestClient,
                                                                                     engine: Any,
                                                                                     ids: dict[str, int]) -> None:
    with Session(engine) as session:
        session.delete(session.get(MessageTextRow, session.get(CaseRow, ids["plain"]).message_row_id))
        session.commit()

    page = officer.get(f"/cases/{ids['plain']}").text

    assert "The text the service read was not kept for this message" in page
    assert f'href="/cases/{ids["plain"]}/message.eml"' in page
    assert "We are worried about Poppy Quillfeather" not in page  # not parsed again to show it
    assert officer.get(f"/cases/{ids['plain']}/message.eml").content.startswith(b"From: lead@brambleton")
    update = officer.get(f"/cases/{ids['update']}").text  # the other cases' pages are unchanged
    assert "the family has moved to Basingstoke" in update


def test_a_part_cut_at_the_size_cap_says_how_much_was_not_kept(officer: TestClient, engine: Any,
                                                                 ids: dict[str, int]) -> None:
    with Session(engine) as session:
        entry_id = session.get(CaseRow, ids["ehe"]).message_row_id
        kept = message_text.text_of(session, entry_id)
        body = "Quick question about home education. " + "x" * message_text.PART_CHARS
        message_text.keep(session, entry_id, ReadText(kept.header, (message_text.TextPart("body", "plain", body),)),
                          datetime(2026, 11, 2, 9, 0, tzinfo=timezone.utc))
        session.commit()

    page = officer.get(f"/cases/{ids['ehe']}").text

    assert "The rest of this part (37 characters) was not kept" in page


def test_the_quarantine_page_shows_what_the_reader_kept_and_its_warnings_without_reading_the_raw_mail(
        officer: TestClient, engine: Any) -> None:
    raw = b"From: Forged Name <forged@example.net>\r\nSubject: header the page must not read\r\n\r\n\x00\x01"
    now = datetime(2026, 11, 3, 8, 31, tzinfo=timezone.utc)
    with Session(engine) as session:
        entry = ledger.claim(session, ledger.MessageKey("cme@hants.gov.uk", "INBOX", 1, 950), raw, None, now)
        ledger.mark_quarantined(session, entry.id, "ValueError: the record could not be stored", now)
        message_text.keep(session, entry.id, ReadText(
            HeaderFacts("nell.quarry@example.org", "Nell Quarry", (), "Pupil not seen", None), read=False,
            warnings=("it has 140 attachments",)), now)
        session.commit()

    page = officer.get("/quarantine").text

    assert "nell.quarry@example.org" in page and "Pupil not seen" in page
    assert "forged@example.net" not in page and "header the page must not read" not in page
    assert "it has 140 attachments" in page and "the record could not be stored" in page


def test_an_attachment_is_cut_out_of_the_message_by_an_isolated_worker_not_the_web_process(
        officer: TestClient, ids: dict[str, int], settings: Any) -> None:
    import dataclasses
    import os

    from ingest.reader import ReaderConfig, shared_reader

    response = officer.get(f"/cases/{ids['dup']}/attachments/0")

    assert response.status_code == 200 and response.content == b"Pupil notes\nDate of birth: 03/04/2015\nYear: 6\n"
    worker = shared_reader(dataclasses.replace(ReaderConfig.of(settings), attachments_only=True)).worker_pid
    assert worker is not None and worker != os.getpid()
