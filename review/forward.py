"""The email that forwards misdirected mail to another team: a short note with the original
message attached whole (message/rfc822), built with the standard library.
"""
from __future__ import annotations

import email
import email.policy
from email.message import EmailMessage
from email.utils import formatdate, make_msgid


def _one_line(text: str | None, limit: int = 200) -> str:
    return " ".join((text or "").split())[:limit]


def compose_forward(raw: bytes, sender: str, recipient: str, reference: str, subject: str | None,
                    team_name: str, note: str = "") -> tuple[str, bytes]:
    """(Message-ID, bytes) of the forward of `raw` to `recipient`."""
    msg = EmailMessage(policy=email.policy.SMTP)
    message_id = make_msgid(domain=sender.rsplit("@", 1)[-1])
    msg["From"] = sender
    msg["To"] = recipient
    msg["Subject"] = f"Fwd: {_one_line(subject) or '(no subject)'} [{reference}]"
    msg["Date"] = formatdate(localtime=False)
    msg["Message-ID"] = message_id
    msg["Auto-Submitted"] = "auto-forwarded"
    lines = [
        "Hello,",
        "",
        "The message attached came to the Children Missing Education inbox but is for your team.",
        f"Our reference: {reference}. Please reply to the original sender directly.",
    ]
    if note.strip():
        lines += ["", "Note from the CME Officer:", note.strip()[:2000]]
    lines += ["", team_name]
    msg.set_content("\n".join(lines))
    try:
        original = email.message_from_bytes(raw, policy=email.policy.compat32)
        msg.add_attachment(original, filename="original-message.eml")
    except Exception:  # noqa: BLE001 - hostile mail may not re-serialise; send its bytes instead
        msg.add_attachment(raw, maintype="application", subtype="octet-stream", filename="original-message.eml")
    return message_id, msg.as_bytes()
