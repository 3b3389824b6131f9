"""PDF attachments (pdfplumber): page text, label/value tables, filled AcroForm fields (`parsers.acroform`),
OCR of scanned pages.

Each PDF is opened once. Pages with no characters are rendered and OCR'd (see `parsers.ocr`), bounded
by `MAX_OCR_PAGES`. Encrypted or broken files become problems, never exceptions.
"""
from __future__ import annotations

import io
import logging
import re
import zlib

import pdfplumber
import pypdfium2

from parsers.acroform import grouped_labels, page_headings, read_fields, repeated
from parsers.message import LabelledValue, TextSource
from parsers.ocr import ocr_pdf_page
from parsers.pairs import ROW_SEPARATOR, checkbox_pairs, colon_pairs, line_pairs, merge_pairs, table_pairs

log = logging.getLogger(__name__)

MAX_PAGES = 50
MAX_OCR_PAGES = 10
MAX_STREAM_BYTES = 64 * 1024 * 1024  # one stream, decoded (a 300 dpi colour A4 scan stored raw is 26 MB)
MAX_DECODED_BYTES = 256 * 1024 * 1024  # every stream of the document, decoded
_STREAM = re.compile(rb"(?<!end)stream(?:\r\n|\n|\r)")
_STEP = 1024 * 1024


def _cell(text: object, label: bool = False) -> str:
    """One table cell on one line: short address-like lines joined with commas, wrapped prose and
    wrapped labels with spaces."""
    lines = [" ".join(line.split()) for line in str(text or "").split("\n") if line.strip()]
    if not label and 2 <= len(lines) <= 6 and max(len(line) for line in lines) <= 40 and not any(
            line.endswith((".", ",", ";", ":", "-", "–")) for line in lines):
        return ", ".join(lines)
    return " ".join(lines)


def _gapped(line: dict) -> str:
    """A text line with " | " where a wide gap (a tab stop, an unruled form column) separates its words."""
    chars = line.get("chars") or []
    if len(chars) < 2:
        return line["text"]
    out: list[str] = []
    previous = None
    for char in chars:
        if previous is not None:
            gap = char["x0"] - previous["x1"]
            size = max(float(previous.get("size") or 10), 4.0)
            if gap > max(2.5 * size, 18):
                out.append(ROW_SEPARATOR)
            elif gap > 0.25 * size and char["text"] != " " and previous["text"] != " ":
                out.append(" ")
        out.append(char["text"])
        previous = char
    return " ".join("".join(out).split(" ")).replace("  ", " ").strip()


def _page_lines(page: pdfplumber.page.Page) -> tuple[list[str], list[list[list[str]]]]:
    """The page as lines top to bottom: text outside tables, and each table row as "cell | cell"."""
    try:
        tables = page.find_tables()
    except Exception:  # noqa: BLE001 - a table finder failure keeps the plain text
        tables = []
    blocks: list[tuple[float, int, str]] = []
    grids: list[list[list[str]]] = []
    boxes = [t.bbox for t in tables]

    def outside(obj: dict) -> bool:
        x = (obj["x0"] + obj["x1"]) / 2
        y = (obj["top"] + obj["bottom"]) / 2
        return not any(b[0] <= x <= b[2] and b[1] <= y <= b[3] for b in boxes)

    rest = page.filter(outside) if boxes else page
    for line in rest.extract_text_lines(return_chars=True):
        blocks.append((line["top"], 0, _gapped(line)))
    for table in sorted(tables, key=lambda t: t.bbox[1]):
        grid: list[list[str]] = []
        grids.append(grid)
        for n, row in enumerate(table.extract()):
            row = [_cell(c, label=(i == 0 and len(row) == 2)) for i, c in enumerate(row)]
            cells = [c for c in row if c]
            if not cells:
                continue
            blocks.append((table.bbox[1] + n * 0.001, 1, ROW_SEPARATOR.join(cells)))
            if len(cells) >= 2:
                grid.append(row)
    blocks.sort(key=lambda b: (b[0], b[1]))
    return [b[2] for b in blocks], grids


def _is_scanned(page: pdfplumber.page.Page) -> bool:
    """A page to OCR: no text layer but an image, or a near-empty text layer (a scanner's stamp) over a
    page-sized image."""
    images = page.images
    if not images:
        return False
    if not page.chars:
        return True
    area = float(page.width * page.height) or 1.0
    covered = max((img["x1"] - img["x0"]) * (img["bottom"] - img["top"]) for img in images)
    return len(page.chars) < 40 and covered > 0.5 * area


def check_streams(data: bytes, per_stream: int = MAX_STREAM_BYTES, total: int = MAX_DECODED_BYTES) -> str | None:
    """Why a PDF may not be opened (None: it may), found before pdfminer or pdfium inflate anything.

    pdfminer inflates a Flate stream in one call, whatever it grows to (a few kilobytes can become
    gigabytes). Every stream's bytes are inflated here first, a megabyte at a time, counting what comes
    out, through a second Flate layer when the first gives one; a stream or a document past the limits
    refuses the file. Streams that are not Flate (JPEG, encrypted) give nothing here: the reader's
    memory limit is their backstop.
    """
    used = 0
    for match in _STREAM.finditer(data):
        size = _inflated_size(data, match.end(), min(per_stream, total - used) + 1)
        if size > per_stream:
            return f"a stream inflates beyond {per_stream // 2**20} MB"
        used += size
        if used > total:
            return f"its streams inflate beyond {total // 2**20} MB"
    return None


def _inflated_size(data: bytes, start: int, limit: int) -> int:
    """Bytes the Flate stream at `start` inflates to, through two layers, stopping once past `limit`."""
    outer = zlib.decompressobj()
    inner: "zlib._Decompress | None" = None
    view = memoryview(data)
    size = inner_size = 0
    position = start
    try:
        while max(size, inner_size) < limit and not outer.eof:
            pending = outer.unconsumed_tail
            if not pending:
                pending = view[position:position + 65536]
                position += len(pending)
                if not pending:
                    break
            piece = outer.decompress(pending, _STEP)
            if size == 0 and len(piece) >= 2 and piece[0] & 0x0F == 8 and (piece[0] * 256 + piece[1]) % 31 == 0:
                inner = zlib.decompressobj()  # a second Flate layer (/Filter [/FlateDecode /FlateDecode])
            size += len(piece)
            if inner is not None and not inner.eof:
                try:
                    inner_size += len(inner.decompress(piece, limit))
                    while inner.unconsumed_tail and inner_size < limit:
                        inner_size += len(inner.decompress(inner.unconsumed_tail, _STEP))
                except zlib.error:
                    inner = None
    except zlib.error:
        pass  # not Flate (or broken): pdfminer decides what it is
    return max(size, inner_size)


def read_pdf(name: str, data: bytes) -> tuple[list[TextSource], list[str]]:
    """Text sources of one PDF attachment ("pdf", or "pdf-ocr" when any page needed OCR) and problems."""
    problems: list[str] = []
    refused = check_streams(data)
    if refused:
        return [], [f"attachment-refused: attachment {name!r}: PDF not read: {refused}"]
    try:
        pdf = pdfplumber.open(io.BytesIO(data))
    except Exception as exc:  # noqa: BLE001 - encrypted, truncated or not a PDF
        kind = "encrypted" if "password" in repr(exc).lower() or "encrypt" in repr(exc).lower() else "unreadable"
        return [], [f"attachment-{kind}: attachment {name!r}: PDF {kind} ({type(exc).__name__})"]
    try:
        return _read(name, data, pdf, problems)
    except Exception as exc:  # noqa: BLE001 - pdfminer/pdfplumber fail in many ways on hostile files
        return [], problems + [f"attachment-unreadable: attachment {name!r}: PDF unreadable ({type(exc).__name__})"]
    finally:
        try:
            pdf.close()
        except Exception:  # noqa: BLE001
            pass


def _read(name: str, data: bytes, pdf: pdfplumber.PDF, problems: list[str]) -> tuple[list[TextSource], list[str]]:
    pages = pdf.pages
    if len(pages) > MAX_PAGES:
        return [], [f"attachment-too-large: attachment {name!r}: PDF has {len(pages)} pages (over {MAX_PAGES}); not read"]
    lines: list[str] = []
    rows: list[list[list[str]]] = []
    fields = read_fields(pdf)
    headings: list[tuple[int, float, float, str, int]] | None = [] if repeated(fields) else None
    ocr_pages = 0
    renderer: pypdfium2.PdfDocument | None = None  # opened at the first scanned page, once
    try:
        for number, page in enumerate(pages, 1):
            try:
                scanned = _is_scanned(page)
                if page.chars:
                    if headings is not None:
                        headings.extend(page_headings(page, number - 1))
                    page_lines, page_rows = _page_lines(page)
                    lines.extend(page_lines)
                    rows.extend(page_rows)
                if not scanned:
                    pass
                elif ocr_pages < MAX_OCR_PAGES:
                    ocr_pages += 1
                    if renderer is None:
                        renderer = pypdfium2.PdfDocument(data)
                    text, problem = ocr_pdf_page(renderer, number - 1)
                    if problem:
                        problems.append(f"ocr-failed: attachment {name!r} page {number}: {problem}")
                    lines.extend(text.splitlines())
                else:
                    problems.append(f"ocr-limit: attachment {name!r} page {number}: not OCR'd (over {MAX_OCR_PAGES} scanned pages)")
            except Exception as exc:  # noqa: BLE001 - a broken page does not lose the rest
                problems.append(f"attachment-unreadable: attachment {name!r} page {number}: unreadable ({type(exc).__name__})")
            finally:
                page.close()
            lines.append("")
    finally:
        if renderer is not None:
            renderer.close()
    if ocr_pages:
        problems.append(f"ocr: attachment {name!r}: text of {ocr_pages} scanned page(s) came from OCR")
    labelled = grouped_labels(fields, headings or [])
    return [text_source(name, lines, rows, labelled, "pdf-ocr" if ocr_pages else "pdf")], problems


def text_source(name: str, lines: list[str], tables: list[list[list[str]]], fields: list[tuple[str, str]],
                kind: str) -> TextSource:
    """The source of a document read as lines ("pdf", "pdf-ocr", "image-ocr"): its label/value pairs found."""
    text = "\n".join(line.rstrip() for line in lines).strip("\n")
    pairs = table_pairs(text, tables)
    pair_kind = "form_field" if kind.endswith("-ocr") else "table_cell"
    found = colon_pairs(text, pair_kind)
    found += [p for p in line_pairs(text, pair_kind)
              if not any(p.start < q.end and q.start < p.end for q in pairs)]
    if fields:
        text += "\n\nForm fields:\n" if text else "Form fields:\n"
        for label, value in fields:
            start = len(text) + len(label) + 2
            text += f"{label}: {value}\n"
            pairs.append(LabelledValue(label, value, start, start + len(value), "form_field"))
        text = text.rstrip("\n")
    return TextSource(part=f"attachment:{name}", text=text, kind=kind, pairs=merge_pairs(pairs, found, checkbox_pairs(text)))
