"""One email in, one referral record out: the extraction stage's entry points.

`extract_file(name, data, context)` parses the bytes and returns the contract's JSON record
(or its error line); `extract_referral(parsed, context)` turns a ParsedMessage into a Referral.
Both are pure: the reference date is the message's own Date header.
"""
from __future__ import annotations

from typing import Any

from extraction.context import ExtractionContext
from extraction.model import MessageInfo, Referral
from parsers.errors import UnparseableMessage
from parsers.message import ParsedMessage


def _info(parsed: ParsedMessage) -> MessageInfo:
    return MessageInfo(parsed.file, parsed.message_id, parsed.from_address, parsed.subject,
                       parsed.date)


def extract_referral(parsed: ParsedMessage, context: ExtractionContext) -> Referral:
    """The referral record of one parsed message."""
    return Referral(source=_info(parsed), needs_review=True,
                    review_reasons=("The message has not been read yet.",))


def extract_file(name: str, data: bytes, context: ExtractionContext) -> dict[str, Any]:
    """The contract record of the email `data` (file `name`); an unreadable file gives the error line."""
    from parsers.mime import parse_message

    try:
        parsed = parse_message(data, name)
    except UnparseableMessage as exc:
        info = MessageInfo(name, None, None, None, None)
        return Referral(source=info, error=str(exc) or "The file cannot be read as an email.").to_record()
    return extract_referral(parsed, context).to_record()
