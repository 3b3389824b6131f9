"""Thread structure of a body text: the top message, forwarded and quoted messages, signatures, disclaimers.

The thread segments ("top", "forwarded", "quoted") cover the text end to end in order; "signature" and
"disclaimer" segments lie inside one of them. Nothing is removed from the text: segments only label it.
Recognised: Outlook header blocks (From/Sent/To/Subject, optionally after a line of underscores),
"-----Original Message-----", Gmail's "---------- Forwarded message ---------", Apple's "Begin forwarded
message:", "On ... wrote:" attributions (also wrapped over two lines) and runs of ">" lines.
"""
from __future__ import annotations

import re
import warnings
from dataclasses import dataclass

from parsers.headers import parse_address
from parsers.message import Segment

_FORWARD_MARK = re.compile(r"^\s*(?:-{2,}\s*Forwarded (?:message|Message|e-?mail)\s*-{2,}|Begin forwarded message:)\s*$", re.I)
_ORIGINAL_MARK = re.compile(r"^\s*-{2,}\s*Original Message\s*-{2,}\s*$", re.I)
_UNDERSCORES = re.compile(r"^\s*_{10,}\s*$")
_HEADER_LINE = re.compile(r"^\s*\*?(From|Sent|Date|To|Cc|Subject|Reply-To|Importance)\s*:\*?\s*(.*)$", re.I)
_INLINE_HEADER = re.compile(r"\s\*?(Sent|Date|To|Cc|Subject)\s*:\*?\s", re.I)
_WROTE = re.compile(r"^\s*(On\b.{4,250}?)\s*wrote:\s*$", re.I | re.S)
_FW_SUBJECT = re.compile(r"^\s*(?:\[[^\]]*\]\s*)?(fwd?|fw)\s*:", re.I)
_RE_SUBJECT = re.compile(r"^\s*(?:\[[^\]]*\]\s*)?(re|aw|sv)\s*:", re.I)
_SIGN_OFF = re.compile(
    r"^\s*(?:(?:kind(?:est)?|best|warm(?:est)?|many|with (?:best|kind|warm|many)|yours|all the)\s+)?"
    r"(?:regards|wishes|thanks|thank you|sincerely|faithfully|truly|cheers|best)(?: again)?\s*[,.!]?\s*$", re.I)
_SIG_DASHES = re.compile(r"^(?:-- ?|(?:Sent from|Get Outlook for|Trimis de pe|Enviado desde|Von meinem) .{2,60})$")
_DISCLAIMER = re.compile(
    r"(?:^|^[^.\n]{0,80}?:\s*)(?:this (?:e-?mail|message|communication)\b.{0,80}\b(?:confidential|intended|privileged|"
    r"attachments?)|the (?:information|contents?) (?:in|of|contained in) this (?:e-?mail|message)|"
    r"if you (?:have received|are not the intended|receive) this|confidential(?:ity)? (?:notice|statement|warning)|"
    r"disclaimer\b|[\w ,&'-]{0,80}\b(?:is|are) committed to safeguarding|safeguarding statement|"
    r"registered charity\b|charity (?:no|number)\b|registered in england|please consider the environment|"
    r"think before you print|any views or opinions|(?:e-?mails?|communications?) (?:may be|are|is) (?:monitored|recorded))",
    re.I)
_MAX_SIGNATURE_LINES = 14


@dataclass
class _Boundary:
    line: int  # first line of the embedded message's marker or header block
    kind: str
    from_address: str | None
    from_name: str | None
    sent: str | None
    subject: str | None
    end_line: int | None = None  # for ">" quotes: line after the last quoted line


def _iso(value: str | None) -> str | None:
    if not value:
        return None
    from dateutil import parser as dateparser

    cleaned = re.sub(r"\bat\b", " ", value)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return dateparser.parse(cleaned, fuzzy=True, dayfirst=True).isoformat()
    except (ValueError, OverflowError, TypeError):
        return value.strip()


def _author(value: str | None) -> tuple[str | None, str | None]:
    if not value:
        return None, None
    value = re.sub(r"\[mailto:([^\]]+)\]", r"<\1>", value)
    if "@" not in value:
        return None, value.strip().strip('"') or None
    return parse_address(value)


def _header_block(lines: list[str], start: int) -> tuple[dict[str, str], int]:
    """The "Name: value" header lines from `start` (blank lines before them skipped); and the next line."""
    fields: dict[str, str] = {}
    i = start
    while i < len(lines) and not lines[i].strip() and i < start + 2:
        i += 1
    while i < len(lines):
        m = _HEADER_LINE.match(lines[i])
        if not m:
            if fields and lines[i].startswith((" ", "\t")) and lines[i].strip():
                i += 1  # a wrapped header value
                continue
            break
        name, value = m.group(1).lower(), m.group(2).strip()
        inline = list(_INLINE_HEADER.finditer(value))
        if name == "from" and inline:  # the whole block on one line: "From: X Sent: Y To: Z Subject: W"
            fields.setdefault(name, value[:inline[0].start()].strip())
            for n, field in enumerate(inline):
                end = inline[n + 1].start() if n + 1 < len(inline) else len(value)
                fields.setdefault(field.group(1).lower(), value[field.end():end].strip())
        else:
            fields.setdefault(name, value)
        i += 1
    return fields, i


def _wrote_attribution(lines: list[str], i: int) -> tuple[str, int] | None:
    """An "On ... wrote:" attribution at line i (one or two lines): (its text, lines used)."""
    line = lines[i]
    if not line.lstrip().lower().startswith("on "):
        return None
    if _WROTE.match(line):
        return line, 1
    if i + 1 < len(lines) and _WROTE.match(line + " " + lines[i + 1]):
        return line + " " + lines[i + 1], 2
    return None


def _boundaries(lines: list[str], subject: str | None) -> list[_Boundary]:
    found: list[_Boundary] = []
    context_subject = subject or ""
    i = 0
    while i < len(lines):
        line = lines[i]
        marker = _FORWARD_MARK.match(line) or _ORIGINAL_MARK.match(line)
        start = i
        if marker or _UNDERSCORES.match(line) or _HEADER_LINE.match(line):
            head_from = i + 1 if (marker or _UNDERSCORES.match(line)) else i
            fields, after = _header_block(lines, head_from)
            explicit = bool(marker) and _FORWARD_MARK.match(line) is not None
            if "from" in fields and (explicit or ({"sent", "date"} & fields.keys() and {"to", "subject"} & fields.keys())):
                if explicit:
                    kind = "forwarded"
                elif _FW_SUBJECT.match(context_subject):
                    kind = "forwarded"
                elif _RE_SUBJECT.match(context_subject):
                    kind = "quoted"
                else:
                    kind = "forwarded" if marker is None and not found else "quoted"
                address, name = _author(fields.get("from"))
                found.append(_Boundary(start, kind, address, name, _iso(fields.get("sent") or fields.get("date")),
                                       fields.get("subject"), _reply_below(lines, after) if kind == "quoted" else None))
                context_subject = fields.get("subject") or ""
                i = max(after, i + 1)
                continue
        wrote = _wrote_attribution(lines, i)
        if wrote:
            text, used = wrote
            m = _WROTE.match(text)
            attribution = m.group(1)[3:] if m else text
            address, name = _author_from_attribution(attribution)
            j = i + used
            end = _quote_end(lines, j)
            found.append(_Boundary(i, "quoted", address, name, _attribution_date(attribution), None, end))
            i = len(lines) if end is None else max(end, i + 1)
            continue
        if line.startswith(">"):
            end = _quote_end(lines, i)
            found.append(_Boundary(i, "quoted", None, None, None, None, end))
            i = len(lines) if end is None else max(end, i + 1)
            continue
        i += 1
    return found


_GREETING = re.compile(r"^\s*(?i:hi|hello|hiya|dear|morning|afternoon|good (?:morning|afternoon))\s+(?P<name>[A-Z][a-z]+)\b")


def _reply_below(lines: list[str], start: int) -> int | None:
    """A reply written under the message it quotes: after the quoted message's sign-off, a greeting to the one who
    signed it ("Kind regards / Sue Halstead ... // Hi Sue"). The line where the reply begins, or None."""
    signed = None
    for j in range(start, len(lines)):
        if _SIGN_OFF.match(lines[j]):
            signed = j
            continue
        greeting = _GREETING.match(lines[j]) if signed is not None and j > start and not lines[j - 1].strip() else None
        if greeting and any(re.search(rf"\b{greeting.group('name')}\b", line) for line in lines[signed + 1:j]):
            return j
    return None


def _quote_end(lines: list[str], start: int) -> int | None:
    """The line after a run of ">" lines (blank lines inside allowed); None when the run reaches the end."""
    last = None
    i = start
    while i < len(lines):
        if lines[i].startswith(">"):
            last = i
        elif lines[i].strip():
            break
        i += 1
    if last is None:
        return None
    rest = [l for l in lines[last + 1:] if l.strip()]
    return None if not rest else last + 1


def _author_from_attribution(text: str) -> tuple[str | None, str | None]:
    m = re.search(r"([^,<>]*?)\s*<\s*([^<>@\s]+@[^<>\s]+)\s*>\s*$", text)
    if m:
        return m.group(2).lower(), m.group(1).strip().strip('"') or None
    m = re.search(r"([\w.+'-]+@[\w-]+(?:\.[\w-]+)+)", text)
    if m:
        return m.group(1).lower(), None
    parts = text.rsplit(",", 1)
    return None, parts[-1].strip() or None


def _attribution_date(text: str) -> str | None:
    m = re.search(r"\d{1,2}[^<>]*?\d{1,2}[:.]\d{2}|\d{1,2} \w+ \d{4}|\d{4}-\d{2}-\d{2}|\d{1,2}/\d{1,2}/\d{2,4}", text)
    return _iso(m.group(0)) if m else None


def _line_offsets(text: str) -> list[int]:
    offsets = [0]
    for m in re.finditer("\n", text):
        offsets.append(m.end())
    return offsets


def _inner(text: str, lines: list[str], offsets: list[int], first: int, last: int) -> list[Segment]:
    """Signature and disclaimer segments inside lines [first, last)."""
    out: list[Segment] = []

    def pos(n: int) -> int:
        return offsets[n] if n < len(offsets) else len(text)

    disclaimer_line = None
    for n in range(first + (last - first) // 3, last):
        if _DISCLAIMER.search(lines[n].lstrip("> ")):
            disclaimer_line = n
            break
    stop = disclaimer_line if disclaimer_line is not None else last
    sign_off = delimiter = None
    for n in range(stop - 1, first - 1, -1):
        stripped = lines[n].lstrip("> ")
        if sign_off is None and _SIGN_OFF.match(stripped):
            sign_off = n
        if delimiter is None and _SIG_DASHES.match(stripped):
            delimiter = n
        if sign_off is not None and delimiter is not None:
            break
    found = [n for n in (sign_off, delimiter) if n is not None]
    sig_line = min(found) if found else None
    if sig_line is not None and sum(1 for line in lines[sig_line:stop] if line.strip("> ")) <= _MAX_SIGNATURE_LINES:
        start = pos(sig_line)
        end = start + len(text[start:pos(stop)].rstrip())
        if end > start:
            out.append(Segment(start, end, "signature"))
    if disclaimer_line is not None:
        start = pos(disclaimer_line)
        end = start + len(text[start:pos(last)].rstrip())
        if end > start:
            out.append(Segment(start, end, "disclaimer"))
    return out


def find_segments(text: str, subject: str | None = None) -> tuple[Segment, ...]:
    """Segments of a body text; `subject` (the message's) tells forwards ("FW:") from replies ("RE:")."""
    if not text:
        return ()
    lines = text.split("\n")
    offsets = _line_offsets(text)
    boundaries = _boundaries(lines, subject)
    pieces: list[tuple[int, int, str, _Boundary | None]] = []
    cursor = 0
    for n, b in enumerate(boundaries):
        if b.line > cursor:
            pieces.append((cursor, b.line, "top", None))
        limit = boundaries[n + 1].line if n + 1 < len(boundaries) else len(lines)
        end = min(b.end_line, limit) if b.end_line is not None else limit
        pieces.append((b.line, end, b.kind, b))
        cursor = end
    if cursor < len(lines):
        pieces.append((cursor, len(lines), "top", None))
    segments: list[Segment] = []
    for first, last, kind, b in pieces:
        start = offsets[first]
        end = offsets[last] if last < len(offsets) else len(text)
        if end <= start or not text[start:end].strip():
            if segments and segments[-1].kind in ("top", "forwarded", "quoted"):
                prev = segments[-1]
                segments[-1] = Segment(prev.start, end, prev.kind, prev.from_address, prev.from_name, prev.sent)
            continue
        if b is not None:
            segments.append(Segment(start, end, kind, b.from_address, b.from_name, b.sent))
        else:
            segments.append(Segment(start, end, kind))
        segments.extend(_inner(text, lines, offsets, first, last))
    return tuple(segments)
