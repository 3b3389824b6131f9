"""The message as the case page shows it: header lines, the text of each part and the attachment list,
exactly as the service read them at ingestion (`store.message_text`).

Nothing here parses mail: the raw bytes were read once, in the isolated reader, and what it read was
kept. So the highlights of the record's values stay true when the parsers change, no OCR runs when a
page is viewed, and a hostile message cannot reach the web process through its page. A message stored
before the text was kept is shown as "not kept", with the raw download.
"""
from __future__ import annotations

from dataclasses import dataclass

from store.message_text import Listed, ReadText

PART_LABELS = {"header": "Headers", "body": "Message"}
NOT_RECORDED = "not recorded by the receiving server"


@dataclass(frozen=True)
class TextPart:
    part: str  # the contract's source.part: "header", "body", "attachment:NAME"
    label: str
    kind: str
    text: str
    cut: int = 0  # characters of the part beyond the size cap, not kept


@dataclass(frozen=True)
class MessageView:
    sender: str
    to: str
    subject: str
    date: str
    parts: tuple[TextPart, ...]
    attachments: tuple[Listed, ...]
    problems: tuple[str, ...]
    sender_checks: str = NOT_RECORDED  # "SPF pass, DKIM fail, DMARC fail" as the reader found them
    kept: bool = True  # False: the text was not kept for this message (stored before it was)


def _label(part: str) -> str:
    if part.startswith("attachment:"):
        return f"Attachment: {part.split(':', 1)[1]}"
    return PART_LABELS.get(part, part)


NOT_KEPT = MessageView("", "", "", "", (), (), (), kept=False)


def message_view(stored: ReadText | None) -> MessageView:
    """The displayable message from what was kept at ingestion; `NOT_KEPT` when nothing was."""
    if stored is None or not stored.read:
        return NOT_KEPT
    h = stored.header
    parts = tuple(TextPart(p.part, _label(p.part), p.kind, p.text, p.cut) for p in stored.parts)
    return MessageView(sender=h.sender, to=", ".join(h.to), subject=h.subject or "", date=h.date or "", parts=parts,
                       attachments=stored.attachments, problems=stored.problems,
                       sender_checks=stored.checks or NOT_RECORDED)
