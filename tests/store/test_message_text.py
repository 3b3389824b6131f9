"""The text the service read, kept at ingestion: what the case page, the forward and the export are given."""
from __future__ import annotations

from datetime import datetime, timezone

from store import intake, ledger, message_text
from store.export import export_records, quarantined_messages
from store.ledger import MessageKey
from store.message_text import HeaderFacts, Listed, ReadText, TextPart

NOW = datetime(2026, 11, 20, 9, 0, tzinfo=timezone.utc)
RECORD = {"schema": "cme-referral/1", "source": {}, "category": "cme_referral", "case_reference": None,
          "urgent": False, "safeguarding": [], "acknowledge": True, "needs_review": True, "review_reasons": [],
          "referrer": {}, "children": [], "parents_carers": []}


def _claim(sessions, uid: int, raw: bytes) -> int:
    with sessions() as s:
        entry = ledger.claim(s, MessageKey("cme@hants.gov.uk", "INBOX", 1, uid), raw, f"<t{uid}@example.org>", NOW)
        s.commit()
        return entry.id


def test_the_read_text_is_kept_with_the_case_in_one_transaction_and_read_back_as_it_was(sessions):
    entry_id = _claim(sessions, 1, b"From: x@example.org\r\n\r\nbody\r\n")
    text = ReadText(HeaderFacts("ida.marsh@example.org", "Ida Marsh", ("cme@hants.gov.uk",), "Pupil left – ünïcode",
                                "2026-11-02T09:00:00+00:00"),
                    (TextPart("header", "header", "From: Ida Marsh"), TextPart("body", "plain", "Orla Fenwick left.\n")),
                    (Listed(0, "form.pdf", "application/pdf", 2048),), ("a problem",), (), "SPF pass, DKIM pass, DMARC pass")
    intake.file_message(sessions, entry_id=entry_id, record=RECORD, status="new", attach_to=None, review=True,
                        thread_key=None, now=NOW, mails=lambda saved: [], text=text)
    with sessions() as s:
        assert message_text.text_of(s, entry_id) == text


def test_a_part_over_the_cap_keeps_its_first_characters_and_says_how_many_were_not_kept(sessions):
    entry_id = _claim(sessions, 2, b"From: x@example.org\r\n\r\nbody\r\n")
    long = "a" * (message_text.PART_CHARS + 1234)
    parts = (TextPart("body", "plain", long),) + tuple(TextPart(f"attachment:{i}.txt", "plain", "b" * 300_000)
                                                        for i in range(4))
    with sessions() as s:
        message_text.keep(s, entry_id, ReadText(HeaderFacts(), parts), NOW)
        s.commit()
    with sessions() as s:
        kept = message_text.text_of(s, entry_id)
    assert kept.parts[0].text == long[:message_text.PART_CHARS] and kept.parts[0].cut == 1234
    assert sum(len(p.text) for p in kept.parts) == message_text.MESSAGE_CHARS
    assert [p.cut for p in kept.parts[1:]] == [0, 0, 200_000, 300_000]  # the message's cap cuts the last parts


def test_a_message_stored_before_the_text_was_kept_has_none(sessions):
    entry_id = _claim(sessions, 3, b"From: x@example.org\r\n\r\nbody\r\n")
    with sessions() as s:
        assert message_text.text_of(s, entry_id) is None


def test_a_quarantined_message_is_exported_and_listed_with_the_header_facts_its_reader_kept(sessions):
    raw = (b"From: Someone Else <forged@example.net>\r\nSubject: not what the reader saw\r\n"
           b"Date: Mon, 02 Nov 2026 09:00:00 +0000\r\n\r\nbody\r\n")
    entry_id = _claim(sessions, 4, raw)
    with sessions() as s:
        ledger.mark_quarantined(s, entry_id, "reading stopped: over the 5 CPU-second limit", NOW)
        message_text.keep(s, entry_id, ReadText(HeaderFacts("ida.marsh@example.org", None, (), "Pupil left",
                                                            "2026-11-03T08:30:00+00:00"), read=False), NOW)
        s.commit()
    with sessions() as s:
        (line,) = list(export_records(s))
        (listed,) = quarantined_messages(s)
    assert line["source"]["from"] == "ida.marsh@example.org" and line["source"]["subject"] == "Pupil left"
    assert line["source"]["date"] == "2026-11-03T08:30:00+00:00"
    assert line["error"] == "reading stopped: over the 5 CPU-second limit"
    assert (listed.sender, listed.subject) == ("ida.marsh@example.org", "Pupil left")


def test_a_subject_with_a_nul_or_a_lone_surrogate_is_kept_without_refusing_the_message(sessions):
    entry_id = _claim(sessions, 5, b"From: x@example.org\r\n\r\nbody\r\n")
    text = ReadText(HeaderFacts("x@example.org", "Odd\udce9 Name", (), "Pupil\x00left\udcff", None),
                    (TextPart("body", "plain", "text with a NUL \x00 and \udcff kept as read"),))
    with sessions() as s:
        message_text.keep(s, entry_id, text, NOW)
        s.commit()
    with sessions() as s:
        kept = message_text.text_of(s, entry_id)
    assert kept.header.subject.startswith("Pupil\ufffdleft") and kept.header.from_name.startswith("Odd")
    assert kept.parts[0].text == "text with a NUL \x00 and \udcff kept as read"  # the spans' text, exactly
