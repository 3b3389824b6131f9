"""DOCX attachments: the document body walked in order (python-docx opens it; the XML walk is ours).

Paragraphs, tables (nested ones too; vertically merged continuation cells once), content controls
(`w:sdt`: label from alias or tag; placeholder text is not a value), legacy form fields and tick
boxes (checked always rendered "☒", unchecked "☐"), text boxes after their paragraph.
"""
from __future__ import annotations

import io
import re
import struct
import zipfile
import zlib

import docx
from docx.opc.exceptions import PackageNotFoundError

from parsers.message import LabelledValue, TextSource
from parsers.pairs import (ROW_SEPARATOR, checkbox_pairs, clean_label, colon_pairs, heading_pairs, line_pairs,
                           merge_pairs, table_pairs)

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
W14 = "{http://schemas.microsoft.com/office/word/2010/wordml}"
MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
MAX_UNCOMPRESSED = 200 * 1024 * 1024  # the whole package, counted as it is inflated (not as its directory claims)
MAX_ENTRIES = 2000  # a Word document has tens of parts; a few hundred with many images
MAX_RATIO = 200  # inflated size over stored size, for an entry over 1 MB inflated (XML packs 10-30x)
_CHUNK = 1024 * 1024
_DECLARATION = re.compile(rb"<!(?:DOCTYPE|ENTITY)")
CHECKED, UNCHECKED = "☒", "☐"
_GLYPHS = {"☑": CHECKED, "☒": CHECKED, "⊠": CHECKED, "☐": UNCHECKED, "□": UNCHECKED}
_SYMBOLS = {"F0FE": CHECKED, "F0FD": CHECKED, "F078": CHECKED, "F0FC": CHECKED, "F0FB": CHECKED,
            "F0A8": UNCHECKED, "F06F": UNCHECKED, "F071": UNCHECKED, "F0A3": UNCHECKED, "2612": CHECKED, "2610": UNCHECKED}
_TAB_GAP = re.compile(r"[ ]*\t[\t ]*")
_SKIP_INLINE = {W + "del", W + "instrText", W + "delText", W + "rPr", W + "pPr", W + "sdtPr", W + "sdtEndPr",
                W + "fldData", W + "footnoteReference", W + "commentReference"}


class _Walker:
    def __init__(self) -> None:
        self.controls: list[tuple[str, str]] = []
        self.tables: list[list[list[str]]] = []
        self.boxes: list[object] = []
        self.field: tuple[str, list[str]] | None = None  # a legacy text field being read: (label, its text)
        self.bold: set[str] = set()  # paragraphs written wholly in bold or as a heading: a form's questions

    def blocks(self, parent: object) -> list[str]:
        """Lines of the block-level children of body, a cell, or a content control."""
        lines: list[str] = []
        for child in parent:
            tag = child.tag
            if tag == W + "p":
                lines.append(self.paragraph(child))
                while self.boxes:
                    box = self.boxes.pop(0)
                    lines.extend(self.blocks(box))
            elif tag == W + "tbl":
                lines.extend(self.table(child))
            elif tag == W + "sdt":
                lines.extend(self.block_control(child))
            elif tag in (W + "customXml", W + "ins", W + "smartTag"):
                lines.extend(self.blocks(child))
        return lines

    def block_control(self, sdt: object) -> list[str]:
        label, placeholder, checkbox = _control_props(sdt)
        content = sdt.find(W + "sdtContent")
        if content is None or placeholder:
            return []
        lines = self.blocks(content)
        value = " ".join(line.strip() for line in lines if line.strip())
        if label and value and len(lines) == 1:
            self.controls.append((label, value))
        return lines

    def paragraph(self, p: object) -> str:
        """A paragraph's text; tabs between words (a form's label and its value) become " | "."""
        text = "".join(self.inline(p)).strip()
        if text and "\n" not in text and _emphasised(p):
            self.bold.add(text)
        return _TAB_GAP.sub(ROW_SEPARATOR, text) if "\t" in text else text

    def inline(self, parent: object) -> list[str]:
        out: list[str] = []
        for el in parent:
            tag = el.tag
            if tag in _SKIP_INLINE:
                continue
            if tag == W + "t":
                out.append("".join(_GLYPHS.get(c, c) for c in (el.text or "")))
                if self.field is not None:
                    self.field[1].append(out[-1])
            elif tag in (W + "tab", W + "ptab"):
                out.append("\t")
            elif tag in (W + "br", W + "cr"):
                out.append("\n")
            elif tag == W + "sym":
                out.append(_SYMBOLS.get((el.get(W + "char") or "").upper()[-4:], ""))
            elif tag == W + "fldChar":
                self.legacy_text_field(el)
                box = el.find(f"{W}ffData/{W}checkBox")
                if box is not None:
                    checked = box.find(W + "checked")
                    if checked is None:
                        checked = box.find(W + "default")
                    on = checked is not None and checked.get(W + "val", "1") not in ("0", "false")
                    out.append(CHECKED if on else UNCHECKED)
            elif tag == W + "sdt":
                out.extend(self.inline_control(el))
            elif tag.endswith("}txbxContent"):
                self.boxes.append(el)
            elif tag == MC + "AlternateContent":  # a text box is written twice: read the first choice only
                choice = next(iter(el), None)
                if choice is not None:
                    out.extend(self.inline(choice))
            else:
                out.extend(self.inline(el))
        return out

    def legacy_text_field(self, fld: object) -> None:
        """Track a legacy FORMTEXT field: its name (or help text) labels the text between begin and end."""
        kind = fld.get(W + "fldCharType")
        if kind == "begin":
            data = fld.find(W + "ffData")
            if data is not None and data.find(W + "textInput") is not None:
                label = ""
                for name in ("statusText", "helpText", "name"):
                    node = data.find(W + name)
                    if node is not None and (node.get(W + "val") or "").strip():
                        label = clean_label(node.get(W + "val"))
                        break
                if re.fullmatch(r"(?i)text\d*", label):  # Word's default names say nothing
                    label = ""
                self.field = (label, [])
        elif kind == "end" and self.field is not None:
            label, pieces = self.field
            value = " ".join("".join(pieces).split())
            if label and value:
                self.controls.append((label, value))
            self.field = None

    def inline_control(self, sdt: object) -> list[str]:
        label, placeholder, checkbox = _control_props(sdt)
        content = sdt.find(W + "sdtContent")
        if content is None or placeholder:
            return []
        if checkbox is not None:
            return [CHECKED if checkbox else UNCHECKED]
        pieces = self.inline(content)
        if content.find(W + "p") is not None:
            pieces = [" ".join(self.blocks(content))]
        value = " ".join("".join(pieces).split())
        if label and value:
            self.controls.append((label, value))
        return pieces

    def table(self, tbl: object) -> list[str]:
        lines: list[str] = []
        rows: list[list[str]] = []
        self.tables.append(rows)
        for tr in tbl.iter(W + "tr"):
            if _enclosing_table(tr) is not tbl:
                continue
            row = []
            for tc in tr.iter(W + "tc"):
                if _enclosing_row(tc) is not tr:
                    continue
                if _merged_continuation(tc):
                    row.append("")
                    continue
                row.append("\n".join(line.strip() for line in self.blocks(tc) if line.strip()))
            cells = [c for c in row if c]
            if not cells:
                continue
            if all("\n" not in c for c in cells):
                row = [" ".join(c.split()) for c in row]
                lines.append(ROW_SEPARATOR.join(c for c in row if c))
                if len(cells) >= 2:
                    rows.append(row)
            else:
                lines.extend(cells)
        return lines


def _control_props(sdt: object) -> tuple[str, bool, bool | None]:
    """(label, showing placeholder, checkbox state or None) of a content control."""
    props = sdt.find(W + "sdtPr")
    if props is None:
        return "", False, None
    label = ""
    for name in ("alias", "tag"):
        node = props.find(W + name)
        if node is not None and (node.get(W + "val") or "").strip():
            label = clean_label(node.get(W + "val"))
            break
    placeholder = props.find(W + "showingPlcHdr") is not None
    checkbox = props.find(W14 + "checkbox")
    state = None
    if checkbox is not None:
        checked = checkbox.find(W14 + "checked")
        state = checked is not None and checked.get(W14 + "val", "0") in ("1", "true")
    return label, placeholder, state


def _enclosing_table(el: object) -> object:
    node = el.getparent()
    while node is not None and node.tag != W + "tbl":
        node = node.getparent()
    return node


def _enclosing_row(el: object) -> object:
    node = el.getparent()
    while node is not None and node.tag != W + "tr":
        node = node.getparent()
    return node


def _merged_continuation(tc: object) -> bool:
    merge = tc.find(f"{W}tcPr/{W}vMerge")
    return merge is not None and merge.get(W + "val", "continue") == "continue"


def _emphasised(p: object) -> bool:
    """Whether a paragraph is a heading: a Heading or Title style, or every run with text in bold."""
    style = p.find(f"{W}pPr/{W}pStyle")
    if style is not None and re.match(r"(?i)heading|title", style.get(W + "val") or ""):
        return True
    runs = [r for r in p.iter(W + "r") if "".join(t.text or "" for t in r.iter(W + "t")).strip()]
    bold = [r.find(f"{W}rPr/{W}b") for r in runs]
    return bool(runs) and all(b is not None and b.get(W + "val", "1") not in ("0", "false") for b in bold)


def read_docx(name: str, data: bytes) -> tuple[list[TextSource], list[str]]:
    """The text of a DOCX attachment with its table rows, content controls and tick boxes as pairs."""
    try:
        refused = check_package(data)
        if refused:
            return [], [f"attachment-refused: attachment {name!r}: DOCX {refused}; not read"]
        document = docx.Document(io.BytesIO(data))
        walker = _Walker()
        lines = walker.blocks(document.element.body)
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as exc:
        return [], [f"attachment-unreadable: attachment {name!r}: DOCX unreadable ({type(exc).__name__})"]
    except Exception as exc:  # noqa: BLE001 - hostile XML must not stop the message
        return [], [f"attachment-unreadable: attachment {name!r}: DOCX unreadable ({type(exc).__name__})"]
    text = "\n".join(line.rstrip() for line in lines).strip("\n")
    tables = table_pairs(text, walker.tables)
    lines = [p for p in line_pairs(text, "table_cell") if not any(p.start < q.end and q.start < p.end for q in tables)]
    pairs = merge_pairs(tables, _control_pairs(text, walker.controls), lines, colon_pairs(text), checkbox_pairs(text),
                        heading_pairs(text, walker.bold))
    return [TextSource(f"attachment:{name}", text, "docx", pairs)], []


def check_package(data: bytes, max_total: int = MAX_UNCOMPRESSED, max_entries: int = MAX_ENTRIES) -> str | None:
    """Why a ZIP package may not be opened (None: it may), found by inflating it in bounded steps.

    python-docx reads each part whole, and zipfile inflates a part in one call before it trims it to the
    size the central directory declares: a directory that lies about sizes makes that call a bomb. So
    every entry's stored bytes are inflated here first, a megabyte at a time, counting what really comes
    out (not what the directory or the local header says): an archive past the entry count or the total,
    an entry that inflates to more than it declares, a ratio no document has, or a compression Word
    never writes (bzip2 and lzma are inflated by zipfile without any bound) refuses the package before
    python-docx touches it. Nested archives (an embedded workbook) are never opened, here or by python-docx.
    """
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
    except (zipfile.BadZipFile, RuntimeError, NotImplementedError, EOFError, ValueError, OSError):
        return None  # not a readable zip at all: python-docx says so
    if len(infos) > max_entries:
        return f"has {len(infos)} entries (over {max_entries})"
    if sum(i.file_size for i in infos) > max_total:
        return f"expands beyond {max_total // 2**20} MB"
    total = 0
    view = memoryview(data)
    for info in infos:
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            return "uses a compression Word does not write"
        inflated = _inflated_size(view, info, max_total - total)
        if inflated is None:
            continue  # a broken or encrypted entry: python-docx fails on it, or never reads it
        size, declares = inflated
        if declares:
            return "declares XML entities (Word never does: an attempt to read local files or to expand text)"
        total += size
        if total > max_total:
            return f"expands beyond {max_total // 2**20} MB"
        if size > info.file_size:
            return "entry sizes do not match its directory"
        if size > _CHUNK and size > MAX_RATIO * max(info.compress_size, 1):
            return f"entry expands {size // max(info.compress_size, 1)} times (over {MAX_RATIO})"
    return None


def _inflated_size(view: memoryview, info: zipfile.ZipInfo, limit: int) -> tuple[int, bool] | None:
    """How many bytes the entry's stored data really inflates to (stopping just past `limit`), and whether
    it declares a DOCTYPE or entities."""
    at = info.header_offset
    if bytes(view[at:at + 4]) != b"PK\x03\x04" or info.flag_bits & 0x1:
        return None
    name_length, extra_length = struct.unpack("<HH", bytes(view[at + 26:at + 30]))
    begin = at + 30 + name_length + extra_length
    stored = view[begin:begin + info.compress_size]
    if info.compress_type == zipfile.ZIP_STORED:
        return len(stored), bool(_DECLARATION.search(bytes(stored)))
    inflater = zlib.decompressobj(-15)
    size, position, declares, tail = 0, 0, False, b""
    try:
        while size <= limit and not inflater.eof:
            pending = inflater.unconsumed_tail
            if not pending:
                pending = stored[position:position + 65536]
                position += len(pending)
                if not pending:
                    break
            piece = inflater.decompress(pending, _CHUNK)
            size += len(piece)
            declares = declares or bool(_DECLARATION.search(tail + piece))
            tail = piece[-16:]
    except zlib.error:
        return None
    return size, declares


def _control_pairs(text: str, controls: list[tuple[str, str]]) -> list[LabelledValue]:
    pairs = []
    cursor = 0
    for label, value in controls:
        at = text.find(value, cursor)
        if at < 0:
            continue
        cursor = at + len(value)
        pairs.append(LabelledValue(label, value, at, cursor, "form_field"))
    return pairs
