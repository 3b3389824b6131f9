"""Problems: a fixed code first (what may be logged), the details (file names) after it for the case page."""
from __future__ import annotations

from parsers.mime import loggable_problem, parse_message
from parsers.problems import CODES
from tests.parsers import documents as make
from tests.parsers.test_hostile import SEEDS, nested


def test_a_childs_name_in_a_file_name_stays_on_the_case_page_and_out_of_the_log() -> None:
    broken = b"%PDF-1.7\n1 0 obj << /Type /Catalog"
    inner = make.email_with([("Referral Marigold Pelling.pdf", "application/pdf", broken)], subject="Fwd")
    raw = make.email_with([("Marigold Pelling form.pdf", "application/pdf", broken),
                           ("Marigold Pelling.eml", "message/rfc822", inner)])
    problems = parse_message(raw).problems
    assert problems == (
        "attachment-unreadable: attachment 'Marigold Pelling form.pdf': PDF unreadable (PdfminerException)",
        "attachment-unreadable: attachment 'Marigold Pelling.eml': attachment 'Referral Marigold Pelling.pdf': "
        "PDF unreadable (PdfminerException)")
    assert [loggable_problem(p) for p in problems] == ["attachment-unreadable", "attachment-unreadable"]
    assert loggable_problem("Marigold Pelling: something a future change forgot to code") == "problem"


def test_every_problem_of_broken_messages_starts_with_a_known_code() -> None:
    messages = [nested(60), make.email_with([("a.docx", "application/msword", b"PK\x03\x04junk")]), b"Subject: hi\nTo: cme@example.com\n\nhello"]
    messages += [data[: len(data) // 2] for data in SEEDS] + SEEDS
    seen = set()
    for data in messages:
        for problem in parse_message(data).problems:
            code = problem.split(":", 1)[0]
            assert code in CODES, problem
            seen.add(code)
    assert {"mime-defect", "date-missing", "no-sender"} <= seen
