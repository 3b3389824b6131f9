"""The parsed form of one email: what parsers produce and extraction reads.

Plain frozen values only; no email.Message or library objects cross this boundary.
Offsets in `LabelledValue` are character offsets into the `TextSource.text` of the same part.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from parsers.authentication import AuthenticationResults


@dataclass(frozen=True)
class LabelledValue:
    """A value the document itself ties to a label: a form field, a table row, a tick box."""

    label: str
    value: str
    start: int  # offsets of `value` in the part's text
    end: int
    kind: str  # "form_field" | "table_cell" | "checkbox" | "table_column" (a cell under its column heading)


@dataclass(frozen=True)
class Segment:
    """A stretch of a part's text with its role in the thread.

    `kind`: "top" (what the sender wrote now), "forwarded" (a forwarded message, newest first),
    "quoted" (an earlier message quoted in a reply), "signature", "disclaimer".
    For forwarded/quoted segments the embedded header block's author and date when given
    (`sent` is ISO 8601; without an offset when the block gave none).
    The thread segments ("top", "forwarded", "quoted") follow one another and cover the whole text;
    a "signature" or "disclaimer" segment lies inside one of them.
    """

    start: int
    end: int
    kind: str
    from_address: str | None = None
    from_name: str | None = None
    sent: str | None = None


@dataclass(frozen=True)
class TextSource:
    """The text of one readable part, as the reviewer will be shown it.

    `part` is "body", "header" or "attachment:NAME" (the contract's `source.part`).
    `kind` says how the text was obtained: "plain", "html", "pdf", "pdf-ocr", "image-ocr", "docx", "email".
    """

    part: str
    text: str
    kind: str
    pairs: tuple[LabelledValue, ...] = ()
    segments: tuple[Segment, ...] = ()


@dataclass(frozen=True)
class Attachment:
    filename: str
    content_type: str
    size: int
    sha256: str
    index: int  # position among the message's attachments, for fetching its bytes again
    # the index of the attached email this attachment came from (None: attached to the message itself);
    # an attached email's own attachments follow it in the listing
    parent: int | None = None


@dataclass(frozen=True)
class ParsedMessage:
    """One message after MIME parsing: headers, readable text sources, attachments, problems."""

    file: str | None
    message_id: str | None
    from_address: str | None  # lower case
    from_name: str | None
    to: tuple[str, ...]
    subject: str | None
    date: str | None  # ISO 8601 with offset
    in_reply_to: str | None
    references: tuple[str, ...]
    headers: tuple[tuple[str, str], ...]  # (lower-case name, decoded value), every header once per occurrence
    sources: tuple[TextSource, ...]
    attachments: tuple[Attachment, ...] = ()
    problems: tuple[str, ...] = ()
    # every Authentication-Results header, topmost first (parsers/authentication.py `trusted` picks the one to believe)
    authentication: tuple[AuthenticationResults, ...] = ()

    def header(self, name: str) -> str | None:
        name = name.lower()
        return next((v for k, v in self.headers if k == name), None)
