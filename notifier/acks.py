"""Composing the acknowledgement and the forward to another team, as MIME bytes. Pure.

The acknowledgement names no child, date of birth, address or school: its subject carries only
the case reference (never the sender's subject, which often names the child), it threads under
the sender's message (In-Reply-To, References) and is marked `Auto-Submitted: auto-replied`
(RFC 3834) so well-behaved robots do not answer it.

Message-ID, In-Reply-To and References are written as the ids themselves, never as RFC 2047 encoded
words (which no mail program matches against a thread), and folded only between ids (RFC 5322 3.6.4):
the `email` package treats In-Reply-To and References as unstructured text and encodes an id longer
than a line (Exchange's are 80 characters and more), so `POLICY` gives these headers a class of their
own. An id that is not printable ASCII is left out rather than written. The forwarded original is
attached byte for byte, never parsed (`compose_forward`).
"""
from __future__ import annotations

import re
import uuid
from datetime import datetime
from email.headerregistry import HeaderRegistry, UnstructuredHeader
from email.message import EmailMessage, MIMEPart
from email.policy import EmailPolicy
from email.utils import format_datetime, formataddr
from typing import Sequence

from jinja2 import Environment

from config.settings import TeamAddresses
from notifier.triage import Forward

MESSAGE_ID = re.compile(r"<[!-;=?-~]{1,250}>")  # printable ASCII but angle brackets; short enough for a line
THREAD_HEADERS = ("message-id", "in-reply-to", "references")
MAX_REFERENCES = 10  # the root and the newest ids (RFC 5322 3.6.4 allows trimming the middle)


class _MessageIdsHeader(UnstructuredHeader):
    """A header of message ids, folded only between two ids and never encoded."""

    def fold(self, *, policy: EmailPolicy) -> str:  # type: ignore[override]
        ids = MESSAGE_ID.findall(str(self))
        lines = [f"{self.name}:"]
        for mid in ids:
            if len(lines[-1]) > len(self.name) + 1 and len(lines[-1]) + 1 + len(mid) > (policy.max_line_length or 998):
                lines.append("")
            lines[-1] += " " + mid
        return policy.linesep.join(lines) + policy.linesep


class _SmtpPolicy(EmailPolicy):
    """SMTP's policy, keeping a forwarded message's header lines as they arrived unless one is longer than a
    line may be on the wire (998 characters, RFC 5322 2.1.1): that one is folded."""

    def _fold(self, name: str, value: object, refold_binary: bool = False) -> str:
        if isinstance(value, str) and any(len(name) + 2 + len(line) > 998 for line in value.splitlines()):
            return self.header_factory(name, "".join(value.splitlines())).fold(policy=self)
        return super()._fold(name, value, refold_binary)  # type: ignore[misc]


def _policy() -> EmailPolicy:
    registry = HeaderRegistry()
    for name in THREAD_HEADERS:
        registry.map_to_type(name, _MessageIdsHeader)
    return _SmtpPolicy(linesep="\r\n", header_factory=registry, refold_source="none")


POLICY = _policy()


def new_message_id(teams: TeamAddresses) -> str:
    domain = teams.cme.rsplit("@", 1)[-1]
    return f"<cme.{uuid.uuid4().hex}@{domain}>"


def _usable_id(value: str | None) -> str | None:
    return value if value and MESSAGE_ID.fullmatch(value) else None


def _references(in_reply_to: str | None, references: Sequence[str]) -> list[str]:
    """The sender's References (its root and newest ids when there are many) and the message answered."""
    refs = list(dict.fromkeys(r for r in references if _usable_id(r)))
    if in_reply_to:
        refs = [r for r in refs if r != in_reply_to] + [in_reply_to]
    if len(refs) > MAX_REFERENCES:
        refs = refs[:1] + refs[-(MAX_REFERENCES - 1):]
    return refs


def _base(teams: TeamAddresses, to: str, subject: str, message_id: str, now: datetime) -> EmailMessage:
    msg = EmailMessage(policy=POLICY)
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
    in_reply_to = _usable_id(in_reply_to)
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
                    env: Environment, message_id: str, now: datetime, sender: str | None = None) -> bytes:
    """The original message, attached whole and untouched, to the team it was meant for.

    Nothing here parses the original: the covering text is built from facts the reader kept at ingestion
    (`sender`, the address it came from) and the case reference, and the original's bytes are attached as
    `message/rfc822` exactly as they arrived (a Maildir file's bare line ends made CRLF, as on the wire).
    An original that cannot travel that way on SMTP (a line over 998 bytes, a NUL, mixed line ends) goes
    as `application/octet-stream` in base64 under the same file name: its bytes still arrive untouched."""
    head = _base(teams, forward.address, f"Forwarded from the CME inbox: {forward.topic} [{reference}]", message_id, now)
    head["Auto-Submitted"] = "auto-generated"
    head["X-CME-Reference"] = reference
    cover = MIMEPart(policy=POLICY)
    cover.set_content(env.get_template("forward.txt.j2").render(
        {"reference": reference, "topic": forward.topic, "received": format_datetime(received),
         "sender": sender if sender and SENDER.fullmatch(sender) else None,
         "team_name": teams.team_name, "team_address": teams.cme}))
    original = _attachable(raw)
    if original is None:
        attached = MIMEPart(policy=POLICY)
        attached.set_content(raw, maintype="application", subtype="octet-stream", filename=ORIGINAL_NAME)
        attachment = attached.as_bytes()
    else:
        encoding = "7bit" if original.isascii() else "8bit"
        attachment = (b"Content-Type: message/rfc822\r\nContent-Disposition: attachment; filename=\""
                      + ORIGINAL_NAME.encode() + b"\"\r\nContent-Transfer-Encoding: " + encoding.encode()
                      + b"\r\n\r\n" + original)
    boundary = f"=_cme_{uuid.uuid4().hex}"
    while boundary.encode() in raw or boundary.encode() in attachment:  # never, but a boundary must not occur inside
        boundary = f"=_cme_{uuid.uuid4().hex}"
    head["MIME-Version"] = "1.0"
    head["Content-Type"] = f'multipart/mixed; boundary="{boundary}"'
    delimiter = b"--" + boundary.encode()
    header_block = b"".join(POLICY.fold_binary(name, value) for name, value in head.items()) + b"\r\n"
    return (header_block + delimiter + b"\r\n" + cover.as_bytes() + b"\r\n" + delimiter + b"\r\n" + attachment
            + b"\r\n" + delimiter + b"--\r\n")


ORIGINAL_NAME = "original-message.eml"
SENDER = re.compile(r"[^\s<>@\"]{1,200}@[^\s<>@\"]{1,200}")  # an address as the reader kept it, nothing more


def _attachable(raw: bytes) -> bytes | None:
    """The original as it goes inside a `message/rfc822` part (CRLF line ends), or None when it cannot go
    there untouched (SMTP's 998-byte line limit, a NUL, a bare CR or LF among CRLF line ends)."""
    data = raw if b"\r\n" in raw or b"\r" in raw else raw.replace(b"\n", b"\r\n")
    lines = data.split(b"\r\n")
    if b"\0" in data or any(b"\r" in line or b"\n" in line or len(line) > 998 for line in lines):
        return None
    return data
