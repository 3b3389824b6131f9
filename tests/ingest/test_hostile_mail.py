"""Hostile mail through the service (Dovecot, aiosmtpd): each message ends as a record for review or a
quarantine, the service process stays up, and the hostile sender is never acknowledged."""
from __future__ import annotations

import json
from pathlib import Path

from tests.ingest import hostile, mails
from tests.ingest.service import make_service, service_env

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _batch(secret: Path) -> dict[str, bytes]:
    doctype = f'<!DOCTYPE w:document [<!ENTITY xxe SYSTEM "file://{secret}">]>'.encode()
    return {
        "a PDF bomb": hostile.mail([("form.pdf", "application/pdf", hostile.pdf_bomb())], subject="pdf bomb"),
        "a DOCX zip bomb with a lying central directory": hostile.mail(
            [("form.docx", DOCX, hostile.docx_zip_bomb())], subject="docx bomb"),
        "a zip with 10,000 entries": hostile.mail([("form.docx", DOCX, hostile.zip_with_entries(10_000))],
                                                   subject="many entries"),
        "300 attachments": hostile.mail([(f"note{n}.txt", "text/plain", f"Note {n}.\n".encode()) for n in range(300)],
                                        subject="many attachments"),
        "a 25 MB attachment": hostile.mail([("scan.pdf", "application/pdf", b"%PDF-1.4\n" + b"\0" * (25 * 2**20))],
                                           subject="large attachment"),
        "500-deep MIME nesting": hostile.nested_mime(500),
        "XXE in a DOCX": hostile.mail([("form.docx", DOCX, hostile.docx("Name: &xxe;", doctype))], subject="xxe"),
        "path-traversal attachment names": hostile.mail(
            [("../../../../tmp/cme-evil.txt", "text/plain", b"x"), ("..\\..\\cme-evil2.txt", "text/plain", b"x")],
            subject="traversal"),
        "a header flood": hostile.header_flood(50_000),
    }


def test_hostile_mail_ends_as_a_record_or_a_quarantine_and_its_sender_is_never_acknowledged(
        tmp_path, imap_account, smtp_server, extraction_context):
    secret = tmp_path / "secret.txt"
    secret.write_text("MARKER-NOT-TO-BE-READ-4471")
    batch = _batch(secret)
    env = service_env(tmp_path, imap_account.env(), smtp_server.env(), {"CME_IMAP_MAX_BYTES": str(64 * 2**20)})
    for raw in batch.values():
        imap_account.append(raw)
    imap_account.append(mails.person_referral())  # an honest referral after them all
    service = make_service(env, extraction_context)

    report = service.poll()

    assert report.seen == len(batch) + 1
    assert report.stored + report.quarantined == len(batch) + 1
    records = service.export()
    assert len(records) == len(batch) + 1
    for what, record in zip(batch, records):
        assert "error" in record or any("built to attack" in r for r in record["review_reasons"]), what
        assert "error" in record or record["needs_review"], what
    assert "MARKER" not in json.dumps(records)
    recipients = [r for m in smtp_server.received for r in m.rcpt_tos]
    assert recipients == ["k.olowe@quillfield.example.org"]  # the honest sender only
    assert imap_account.messages("INBOX") == []
    assert not Path("/tmp/cme-evil.txt").exists()


def test_a_ten_megabyte_html_body_with_a_referral_at_the_top_is_stored_as_a_referral(
        tmp_path, imap_account, smtp_server, extraction_context):
    env = service_env(tmp_path, imap_account.env(), smtp_server.env())
    imap_account.append(hostile.long_html_referral(10))
    service = make_service(env, extraction_context)

    report = service.poll()

    assert report.stored == 1 and report.quarantined == 0
    [record] = service.export()
    assert record["category"] == "cme_referral"
    assert [c["first_name"]["value"] for c in record["children"]] == ["Peregrine"]
    assert [r for m in smtp_server.received for r in m.rcpt_tos] == ["k.olowe@quillfield.example.org"]
