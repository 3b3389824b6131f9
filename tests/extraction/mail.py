"""One fictitious email for extraction tests: a plain (or HTML) body to the CME inbox."""
from __future__ import annotations

from email.message import EmailMessage


def email_bytes(body: str, sender: str = "Pat Doe <pat.doe@example.org>", subject: str = "Child not in school",
                date: str = "Tue, 06 Oct 2026 10:00:00 +0100", message_id: str = "<test@example.org>",
                html: bool = False, to: str = "cme@hants.gov.uk") -> bytes:
    msg = EmailMessage()
    msg["From"] = sender
    msg["To"] = to
    msg["Subject"] = subject
    msg["Date"] = date
    msg["Message-ID"] = message_id
    msg.set_content(body, subtype="html" if html else "plain")
    return msg.as_bytes()


def extract_mail(context, body: str, sender: str, subject: str = "Child not in school") -> dict:
    """The record the extraction makes of a plain email with this body, sender and subject."""
    from extraction.extract import extract_file

    return extract_file("m.eml", email_bytes(body, sender=sender, subject=subject), context)
