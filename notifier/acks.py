"""Composing the acknowledgement and the forward to another team, as MIME bytes. Pure.

The acknowledgement names no child, date of birth, address or school: its subject carries only
the case reference (never the sender's subject, which often names the child), it threads under
the sender's message (In-Reply-To, References) and is marked `Auto-Submitted: auto-replied`
(RFC 3834) so well-behaved robots do not answer it.
"""
from __future__ import annotations

import email
import email.policy
import uuid
from datetime import datetime
from email.message import EmailMessage
from email.utils import format_datetime, formataddr
from typing import Sequence

from jinja2 import Environment

from config.settings import TeamAddresses
from notifier.triage import Forward


def new_message_id(teams: TeamAddresses) -> str:
    domain = teams.cme.rsplit("@", 1)[-1]
    return f"<cme.{uuid.uuid4().hex}@{domain}>"


def _references(in_reply_to: str | None, references: Sequence[str]) -> list[str]:
    refs = [r for r in references if r and r.startswith("<") and r.endswith(">")][-10:]
    if in_reply_to and in_reply_to not in refs:
        refs.append(in_reply_to)
    return refs


def _base(teams: TeamAddresses, to: str, subject: str, message_id: str, now: datetime) -> EmailMessage:
    msg = EmailMessage(policy=email.policy.SMTP)
    msg["From"] = formataddr((teams.team_name, teams.cme))
    msg["To"] = to
    msg["Subject"] = subject
    msg["Date"] = format_datetime(now)
    msg["Message-ID"] = message_id
    return msg


def compose_ack(*, reference: str, recipient: str, category: str, in_reply_to: str | None,
                references: Sequence[str], forward: Forward | None, teams: TeamAddresses,
                env: Environment, message_id: str, now: datetime) -> bytes:
    """The acknowledgement to `recipient` of the message whose Message-ID is `in_reply_to`."""
    msg = _base(teams, recipient, f"Your email to the Children Missing Education team [{reference}]", message_id, now)
    refs = _references(in_reply_to, references)
    if in_reply_to:
        msg["In-Reply-To"] = in_reply_to
    if refs:
        msg["References"] = " ".join(refs)
    msg["Auto-Submitted"] = "auto-replied"
    msg["X-Auto-Response-Suppress"] = "All"
    msg["X-CME-Reference"] = reference
    values = {"reference": reference, "category": category, "team_name": teams.team_name,
              "team_address": teams.cme, "forwarded_to": forward}
    msg.set_content(env.get_template("ack.txt.j2").render(values))
    msg.add_alternative(env.get_template("ack.html.j2").render(values), subtype="html")
    return msg.as_bytes()


def compose_forward(*, raw: bytes, reference: str, forward: Forward, received: datetime, teams: TeamAddresses,
                    env: Environment, message_id: str, now: datetime) -> bytes:
    """The original message, attached whole, to the team it was meant for."""
    msg = _base(teams, forward.address, f"Forwarded from the CME inbox: {forward.topic} [{reference}]", message_id, now)
    msg["Auto-Submitted"] = "auto-generated"
    msg["X-CME-Reference"] = reference
    msg.set_content(env.get_template("forward.txt.j2").render(
        {"reference": reference, "topic": forward.topic, "received": format_datetime(received),
         "team_name": teams.team_name, "team_address": teams.cme}))
    try:
        original = email.message_from_bytes(raw, policy=email.policy.default)
        msg.add_attachment(original, filename="original-message.eml")
    except Exception:  # a message too broken to re-serialise goes as opaque bytes
        msg.add_attachment(raw, maintype="application", subtype="octet-stream", filename="original-message.eml")
    return msg.as_bytes()
