"""HTML bodies to readable text (selectolax): blocks become lines, table rows "cell | cell" lines."""
from __future__ import annotations

import re

from selectolax.lexbor import LexborHTMLParser as HTMLParser, LexborNode as Node

from parsers.message import LabelledValue
from parsers.pairs import ROW_SEPARATOR, checkbox_pairs, colon_pairs, merge_pairs, table_pairs

_SKIP = {"script", "style", "head", "title", "meta", "link", "noscript", "template", "object", "svg", "iframe", "-comment"}
_BLOCK = {"p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "table", "tbody", "thead", "tfoot",
          "blockquote", "pre", "hr", "section", "article", "header", "footer", "address", "dl", "dt", "dd",
          "form", "fieldset", "center", "body", "html", "main", "nav", "aside", "figure", "caption"}
_SPACES = re.compile(r"[ \t\u00a0\u200b\u200c\u200d\ufeff]+")
_BLANKS = re.compile(r"\n{3,}")
_HIDDEN = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden|mso-hide\s*:\s*all", re.I)


class _Renderer:
    def __init__(self) -> None:
        self.out: list[str] = []
        self.tables: list[list[list[str]]] = []
        self.open_tables: list[list[list[str]]] = []

    def newline(self) -> None:
        """Start a new line unless at the start of one already (blocks); <br> appends its own."""
        for piece in reversed(self.out):
            if piece.strip(" "):
                if not piece.endswith("\n"):
                    self.out.append("\n")
                return

    def node(self, node: Node, pre: bool = False) -> None:
        tag = node.tag
        if tag == "-text":
            text = node.text_content or ""
            self.out.append(text if pre else _SPACES.sub(" ", text.replace("\n", " ")))
            return
        if tag in _SKIP or (tag != "html" and _HIDDEN.search(node.attributes.get("style") or "")):
            return
        if tag == "br":
            self.out.append("\n")
            return
        if tag == "tr":
            self.row(node)
            return
        if tag == "blockquote":
            self.quote(node)
            return
        if tag == "dl" and node.css_first("dt") is not None:
            self.definitions(node)
            return
        if tag == "table":
            self.open_tables.append([])
            self.tables.append(self.open_tables[-1])
        block = tag in _BLOCK
        if block:
            self.newline()
        mark = len(self.out)
        if tag == "li":
            self.out.append("- ")
        for child in node.iter(include_text=True):
            self.node(child, pre or tag == "pre")
        if tag == "p":
            empty = not any(piece.strip() for piece in self.out[mark:])
            if empty or "msonormal" not in (node.attributes.get("class") or "").lower():
                self.out.append("\n")
        if tag == "a":
            href = (node.attributes.get("href") or "").strip()
            if href.lower().startswith("mailto:") and "@" not in "".join(self.out[mark:]):
                self.out.append(f" <{href[7:].split('?')[0]}>")
        if tag == "table":
            self.open_tables.pop()
        if block:
            self.newline()
        elif tag in ("td", "th"):
            self.out.append(" ")

    def inner(self, node: Node) -> str:
        """The text of what is inside `node`, rendered apart (its tables kept with this renderer's)."""
        sub = _Renderer()
        for child in node.iter(include_text=True):
            sub.node(child)
        self.tables.extend(sub.tables)
        return _tidy("".join(sub.out))

    def quote(self, node: Node) -> None:
        """A <blockquote> (a quoted reply in Gmail and Apple Mail) as "> " lines, as in plain text."""
        text = self.inner(node).strip("\n")
        self.newline()
        self.out.append("\n".join(f"> {line}" if line else ">" for line in text.split("\n")))
        self.newline()

    def definitions(self, dl: Node) -> None:
        """A definition list (<dt>term</dt><dd>value</dd>, a web form's summary) as two-cell table rows, "term | value",
        so its pairs are read as a form's; anything else inside the list is rendered as usual."""
        self.newline()
        table: list[list[str]] = []
        self.tables.append(table)
        term: str | None = None
        for child in dl.iter(include_text=False):
            if child.tag not in ("dt", "dd"):
                self.node(child)
                continue
            text = _one_line(self.inner(child).strip())
            if child.tag == "dt":
                if term:
                    self.out.append(term)
                    self.newline()
                term = text
            elif term and text:
                self.out.append(ROW_SEPARATOR.join([term, text]))
                table.append([term, text])
                self.newline()
                term = None
            elif text:
                self.out.append(text)
                self.newline()
        if term:
            self.out.append(term)
        self.newline()

    def row(self, tr: Node) -> None:
        cells = []
        for cell in tr.iter(include_text=False):
            if cell.tag not in ("td", "th"):
                continue
            cells.append(self.inner(cell).strip())
        if not self.open_tables:
            self.open_tables.append([])
            self.tables.append(self.open_tables[-1])
        row = list(cells)
        cells = [c for c in cells if c]
        if len(cells) >= 2 and all(c.count("\n") < 8 and len(c) <= 600 for c in cells) and not _has_table(tr):
            row = [_one_line(c) for c in row]  # cells of a form or data table, not page layout
            cells = [c for c in row if c]
        if cells and all("\n" not in c for c in cells):
            self.out.append(ROW_SEPARATOR.join(cells))
            if len(cells) >= 2:
                self.open_tables[-1].append(row)
        else:
            self.out.append("\n".join(cells))
        self.newline()


def _one_line(cell: str) -> str:
    """A multi-line value cell on one line: address lines joined by ", ", sentences by a space."""
    out = ""
    for line in (line.strip(" ,") for line in cell.split("\n")):
        if line:
            out += ("" if not out else " " if out.endswith((".", "!", "?", ";", ":")) else ", ") + line
    return out


def _has_table(tr: Node) -> bool:
    return tr.css_first("table") is not None


def _tidy(text: str) -> str:
    lines = [_SPACES.sub(" ", line).strip() for line in text.split("\n")]
    return _BLANKS.sub("\n\n", "\n".join(lines))


def html_to_text(html: str) -> tuple[str, tuple[LabelledValue, ...]]:
    """Readable text of an HTML body and its label/value pairs (table rows and "Label: value" lines)."""
    tree = HTMLParser(html)
    root = tree.body or tree.root
    renderer = _Renderer()
    if root is not None:
        try:
            renderer.node(root)
        except RecursionError:  # absurdly deep markup: plain text of the tree, no table structure
            renderer = _Renderer()
            renderer.out = [root.text(separator="\n")]
    text = _tidy("".join(renderer.out)).strip("\n")
    return text, merge_pairs(table_pairs(text, renderer.tables), colon_pairs(text), checkbox_pairs(text))
