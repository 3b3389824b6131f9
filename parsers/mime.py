"""Raw email bytes to a `ParsedMessage`: headers, the body text, attachments and their text.

mail-parser reads the MIME tree (the stdlib `email` package alone when mail-parser fails); the walk,
charset choice and body selection are ours. Every defect of a readable message becomes a string in
`ParsedMessage.problems`; only bytes that are not an email at all raise `UnparseableMessage`.
"""
from __future__ import annotations

import email
import email.message
import email.parser
import email.policy
import hashlib
import logging
from urllib.parse import unquote

import mailparser

from parsers.attachments import MAX_BYTES, read_attachment
from parsers.authentication import authentication_results
from parsers.errors import UnparseableMessage
from parsers.header_block import repair_header_block
from parsers.image import is_image, is_tiny, read_image
from parsers.headers import (decode_header_value, first_message_id, message_ids, parse_address_list, parse_date,
                             parse_sender)
from parsers.message import Attachment, LabelledValue, ParsedMessage, Segment, TextSource
from parsers.pairs import (colon_pairs, dash_pairs, leader_pairs, list_item_pairs, merge_pairs, numbered_name_pairs,
                           qa_pairs, question_pairs, roster_pairs, spaced_pairs, tab_pairs)
from parsers.problems import loggable_problem, nested_problem  # noqa: F401 - loggable_problem is public here
from parsers.segments import find_segments
from parsers.tree import Body, Walk, header_charset, leaf_payload, unique_name, walk_tree

log = logging.getLogger(__name__)
# mail-parser logs header values and filenames (a child's name in a subject, say) even at ERROR, and
# warns about every part type it does not render itself: its log stays off. Our problems say what matters.
logging.getLogger("mailparser").setLevel(logging.CRITICAL + 1)

MAX_DEPTH = 8
MAX_IMAGES = 5  # image attachments OCR'd in one message, attached emails included
_KNOWN_HEADERS = {"from", "to", "subject", "date", "message-id", "received", "return-path", "mime-version",
                  "content-type", "cc", "reply-to", "sender", "delivered-to", "x-mailer", "references", "in-reply-to"}


def _load(data: bytes) -> tuple[email.message.Message, list[str]]:
    """The message tree of `data`, or UnparseableMessage when it is not an email."""
    if not data or not data.strip():
        raise UnparseableMessage("empty message")
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    data = data.lstrip(b"\r\n")
    head = data[:2048]
    if head.count(b"\x00") > 4 or sum(b < 9 or 13 < b < 32 for b in head) > len(head) // 10:
        raise UnparseableMessage("binary data, not an email")
    data, problems = repair_header_block(data)
    try:
        message = mailparser.MailParser.from_bytes(data).message
    except Exception as exc:  # noqa: BLE001 - mail-parser failed; the stdlib parser is more lenient
        problems.append(f"mime-fallback: mail-parser failed ({type(exc).__name__}); read with the stdlib parser")
        try:
            message = email.message_from_bytes(data)
        except Exception:  # noqa: BLE001 - e.g. RecursionError on absurd nesting: keep the headers
            problems.append("mime-unreadable: MIME structure unreadable; headers only")
            try:
                message = email.parser.BytesHeaderParser().parsebytes(data)
                message.set_payload("")
            except Exception as exc3:  # noqa: BLE001
                raise UnparseableMessage(f"cannot be parsed as an email ({type(exc3).__name__})") from exc3
    names = {k.lower() for k in message.keys()}
    if not names & _KNOWN_HEADERS:
        raise UnparseableMessage("no email headers")
    return message, problems


def _defects(message: email.message.Message) -> list[str]:
    found: list[str] = []
    for part in message.walk():
        for defect in getattr(part, "defects", []) or []:
            name = type(defect).__name__
            if name not in found:
                found.append(name)
    return [f"mime-defect: MIME defect {name}" for name in found]


def _header_source(from_name: str | None, from_address: str | None, to: str, subject: str | None,
                   date: str | None) -> TextSource:
    sender = f"{from_name} <{from_address}>" if from_name and from_address else (from_address or from_name or "")
    text = f"From: {sender}\nTo: {to}\nSubject: {subject or ''}\nDate: {date or ''}"
    return TextSource(part="header", text=text, kind="header")


def _body_source(bodies: list[Body], subject: str | None) -> TextSource | None:
    if not bodies:
        return None
    kind = "html" if any(b.kind == "html" for b in bodies) else "plain"
    text = ""
    pairs: list[LabelledValue] = []
    for body in bodies:
        if text:
            text += "\n\n"
        offset = len(text)
        text += body.text
        found = merge_pairs(list(body.pairs), question_pairs(body.text), roster_pairs(body.text)) \
            if body.kind == "html" else \
            merge_pairs(qa_pairs(body.text), colon_pairs(body.text), tab_pairs(body.text), question_pairs(body.text),
                        leader_pairs(body.text), dash_pairs(body.text), roster := roster_pairs(body.text),
                        spaced_pairs(body.text), numbered_name_pairs(body.text),
                        list_item_pairs(body.text, first=1 + len({p.label.split()[1] for p in roster})))
        pairs.extend(LabelledValue(p.label, p.value, p.start + offset, p.end + offset, p.kind) for p in found)
    segments = find_segments(text, subject)
    disclaimers = [(s.start, s.end) for s in segments if s.kind == "disclaimer"]
    kept = tuple(p for p in pairs if not any(a <= p.start < b for a, b in disclaimers))
    return TextSource(part="body", text=text, kind=kind, pairs=kept, segments=segments)


def _serialise(message: email.message.Message, depth: int = 0) -> bytes:
    """An attached message as bytes: the stdlib generator, or (for headers it refuses to write) the raw
    header lines and payloads as they were read."""
    try:
        return message.as_bytes(policy=email.policy.compat32)
    except Exception:  # noqa: BLE001 - e.g. HeaderParseError on a broken folded header
        pass
    head = "".join(f"{k}: {v}\n" for k, v in message.raw_items()).encode("utf-8", "surrogateescape")
    payload = message.get_payload()
    if isinstance(payload, list):
        boundary = (message.get_boundary() or "").encode("utf-8", "surrogateescape")
        parts = [_serialise(p, depth + 1) for p in payload if isinstance(p, email.message.Message) and depth < 50]
        body = b"".join(b"--" + boundary + b"\n" + p + b"\n" for p in parts) + b"--" + boundary + b"--\n"
    else:
        body = str(payload or "").encode("utf-8", "surrogateescape")
    return head + b"\n" + body


def _payload_bytes(part: email.message.Message) -> bytes:
    """The decoded bytes of an attachment part (an attached message re-serialised)."""
    if part.get_content_type() == "message/rfc822" or part.is_multipart():
        inner = part.get_payload()
        target = inner[0] if isinstance(inner, list) and inner else part
        return _serialise(target)
    return leaf_payload(part)


def _is_email(name: str, content_type: str) -> bool:
    return content_type == "message/rfc822" or name.lower().endswith(".eml")


def _image_source(name: str, part: email.message.Message, data: bytes, cids: set[str],
                  budget: list[int]) -> tuple[list[TextSource], list[str]]:
    """An image attachment OCR'd, unless it is a picture the HTML body shows inline (a logo), tiny, or
    over the message's `MAX_IMAGES`."""
    cid = unquote(str(part.get("Content-ID") or "")).strip().strip("<>").lower()
    if cid and cid in cids:
        return [], []
    if is_tiny(data):
        return [], []
    if budget[0] <= 0:
        return [], [f"ocr-limit: attachment {name!r}: not OCR'd (over {MAX_IMAGES} images in the message)"]
    budget[0] -= 1
    return read_image(name, data)


def _email_source(name: str, data: bytes, depth: int,
                  budget: list[int]) -> tuple[list[TextSource], list[str], tuple[Attachment, ...]]:
    """An attached email: one "email" source (its header block, then its body), its attachments' sources,
    problems and its own attachments (numbered from 0 within it)."""
    if depth >= MAX_DEPTH:
        return [], [f"attachment-too-large: attachment {name!r}: attached emails nested too deep; not read"], ()
    try:
        inner = _parse(data, name, depth + 1, budget)
    except UnparseableMessage as exc:
        return [], [f"attachment-unreadable: attachment {name!r}: attached email unreadable ({exc})"], ()
    body = next((s for s in inner.sources if s.part == "body"), None)
    sender = f"{inner.from_name} <{inner.from_address}>" if inner.from_name and inner.from_address else (inner.from_address or inner.from_name or "")
    head = f"From: {sender}\nSent: {inner.date or ''}\nTo: {'; '.join(inner.to)}\nSubject: {inner.subject or ''}\n\n"
    shift = len(head)
    text = head + (body.text if body else "")
    pairs = tuple(LabelledValue(p.label, p.value, p.start + shift, p.end + shift, p.kind) for p in (body.pairs if body else ()))
    segments = [Segment(0, len(text), "forwarded", inner.from_address, inner.from_name, inner.date)]
    segments += [Segment(s.start + shift, s.end + shift, s.kind, s.from_address, s.from_name, s.sent)
                 for s in (body.segments if body else ()) if s.kind != "top"]
    sources = [TextSource(part=f"attachment:{name}", text=text, kind="email", pairs=pairs, segments=tuple(segments))]
    sources += [s for s in inner.sources if s.part.startswith("attachment:")]
    return sources, [nested_problem(name, p) for p in inner.problems], inner.attachments


def _adopt(names: list[str], taken: set[str]) -> list[str]:
    """The names an attached email's own attachments take in the outer listing (ours keep theirs)."""
    out = []
    for name in names:
        out.append(unique_name(name, taken))
        taken.add(out[-1])
    return out


def _nested(own: Attachment, inner: tuple[Attachment, ...], sources: list[TextSource],
            taken: set[str]) -> tuple[list[Attachment], list[TextSource]]:
    """An attached email's attachments numbered on after `own` and renamed where a name is taken, its
    sources renamed to match."""
    names = _adopt([a.filename for a in inner], taken)
    rename = {f"attachment:{a.filename}": f"attachment:{n}" for a, n in zip(inner, names)}
    first = own.index + 1
    listed = [Attachment(n, a.content_type, a.size, a.sha256, first + a.index,
                         own.index if a.parent is None else first + a.parent) for a, n in zip(inner, names)]
    renamed = [s if s.part not in rename or s is sources[0] else
               TextSource(rename[s.part], s.text, s.kind, s.pairs, s.segments) for s in sources]
    return listed, renamed


def _parse(data: bytes, file: str | None, depth: int, budget: list[int]) -> ParsedMessage:
    message, problems = _load(data)
    charset = header_charset(message)
    walk = Walk(charset=charset)
    try:
        bodies = walk_tree(message, walk)
    except RecursionError:
        bodies = []
        problems.append("mime-too-large: MIME tree nested too deep; body not read")
    problems.extend(walk.problems)
    try:
        problems.extend(_defects(message))
    except RecursionError:
        pass
    headers = tuple((k.lower(), decode_header_value(v, charset)) for k, v in message.raw_items())
    get = dict(reversed(headers)).get  # first occurrence wins
    from_address, from_name = parse_sender([str(v) for k, v in message.raw_items() if k.lower() == "from"], charset)
    if from_address is None:
        problems.append("no-sender: no sender address in From")
    date = parse_date(get("date"))
    if date is None:
        problems.append("date-unreadable: Date header unreadable" if get("date") else "date-missing: no Date header")
    subject = get("subject")
    to = parse_address_list(", ".join(str(v) for k, v in message.raw_items() if k.lower() == "to"))
    sources = [_header_source(from_name, from_address, get("to") or "", subject, date)]
    body = _body_source(bodies, subject)
    if body is None:
        problems.append("no-body: no readable body text")
        body = TextSource(part="body", text="", kind="plain")
    sources.append(body)
    attachments: list[Attachment] = []
    taken = {name for name, _, _ in walk.attachments}
    for name, ctype, part in walk.attachments:
        payload = _payload_bytes(part)
        own = Attachment(name, ctype, len(payload), hashlib.sha256(payload).hexdigest(), len(attachments))
        attachments.append(own)
        if _is_email(name, ctype):
            found, notes, inner = _email_source(name, payload, depth, budget)
            listed, found = _nested(own, inner, found, taken)
            attachments.extend(listed)
        elif len(payload) <= MAX_BYTES and b"%PDF-" not in payload[:1024] and is_image(name, ctype, payload):
            found, notes = _image_source(name, part, payload, walk.cids, budget)
        else:
            found, notes = read_attachment(name, ctype, payload)
        sources.extend(found)
        problems.extend(notes)
    return ParsedMessage(
        file=file, message_id=first_message_id(get("message-id")), from_address=from_address, from_name=from_name,
        to=to, subject=subject, date=date, in_reply_to=first_message_id(get("in-reply-to")),
        references=message_ids(get("references")), headers=headers, sources=tuple(sources),
        attachments=tuple(attachments), problems=tuple(dict.fromkeys(problems)),
        authentication=authentication_results(headers),
    )


def parse_message(data: bytes, file: str | None = None) -> ParsedMessage:
    """Parse one raw email (RFC 5322 / MIME). Raises `UnparseableMessage` only when `data` is not an email."""
    return _parse(data, file, 0, [MAX_IMAGES])


def _listing(data: bytes, depth: int) -> list[tuple[str, str, bytes]]:
    """(name, content type, bytes) of every attachment, attached emails' own ones after each, as `_parse`
    numbers and names them."""
    message, _ = _load(data)
    walk = Walk(charset=header_charset(message))
    try:
        walk_tree(message, walk)
    except RecursionError:
        pass
    taken = {name for name, _, _ in walk.attachments}
    out: list[tuple[str, str, bytes]] = []
    for name, ctype, part in walk.attachments:
        payload = _payload_bytes(part)
        out.append((name, ctype, payload))
        if _is_email(name, ctype) and depth < MAX_DEPTH:
            try:
                inner = _listing(payload, depth + 1)
            except UnparseableMessage:
                continue
            out += [(n, c, p) for n, (_, c, p) in zip(_adopt([n for n, _, _ in inner], taken), inner)]
    return out


def attachment_bytes(data: bytes, index: int) -> tuple[str, str, bytes]:
    """(filename, content type, bytes) of attachment `index` of a raw email, as listed in
    `parse_message(data).attachments` (attachments of attached emails included)."""
    listing = _listing(data, 0)
    if not 0 <= index < len(listing):
        raise IndexError(f"no attachment {index}")
    return listing[index]
