"""Label/value pairs found in text: "Label: value" lines and two-cell table rows."""
from __future__ import annotations

import re

from parsers.message import LabelledValue

_COLON_LINE = re.compile(
    r"^[ \t]*(?:[-•*·▪◦➢][ \t]+)?(?P<label>[^\W\d_][\w '’()/&,.#?-]{0,60}?)[ \t]*:[ \t]*(?P<value>\S(?:[^\n]*\S)?)[ \t]*$",
    re.MULTILINE,
)
_NOT_LABELS = {"http", "https", "mailto", "ftp", "re", "fw", "fwd", "tel", "cid"}
ROW_SEPARATOR = " | "


def colon_pairs(text: str, kind: str = "table_cell") -> list[LabelledValue]:
    """Every "Label: value" line of `text` (label of at most eight words)."""
    pairs = []
    for m in _COLON_LINE.finditer(text):
        label = m.group("label").strip()
        value = m.group("value")
        if label.lower() in _NOT_LABELS or len(label.split()) > 8 or value.startswith("//"):
            continue
        if label[-1].isdigit() and value[:1].isdigit():  # a time of day, "14:10"
            continue
        if ROW_SEPARATOR.strip() in m.group(0):
            continue
        if not _NEXT_PAIR.search(value):
            pairs.append(LabelledValue(label, value, m.start("value"), m.end("value"), kind))
            continue
        at = m.start("value")
        for piece in _PIECE.finditer(value):  # "DOB: 15/06/2014   Sex: M   UPN: ...": several pairs on one line
            pairs.append(LabelledValue(label, piece.group("value"), at + piece.start("value"), at + piece.end("value"), kind))
            label = piece.group("next") or label
    return pairs


# a further "Label:" after a tab or a run of spaces on the same line starts another pair
_NEXT_PAIR = re.compile(r"(?:\t+|[ ]{3,})(?=[^\W\d_][\w '’()/&.#-]{0,30}?:[ \t]*\S)")
_PIECE = re.compile(r"(?P<value>\S(?:.*?\S)??)[ \t]*(?:$|(?:\t+|[ ]{3,})(?P<next>[^\W\d_][\w '’()/&.#-]{0,30}?)[ \t]*:[ \t]*)")



_DASH_LINE = re.compile(r"^[ \t]*(?P<label>[^\W\d_][\w '’()/&,.#?]{0,50}?)[ \t]+[-–—][ \t]+(?P<value>\S(?:[^\n]*\S)?)[ \t]*$",
                        re.MULTILINE)
DASH_BLOCK = 3  # lines in a row that make "Label - value" a layout rather than a sentence with a dash


def dash_pairs(text: str, kind: str = "table_cell") -> list[LabelledValue]:
    """"Label - value" lines (label of at most six words) that come in a block of three or more
    consecutive lines ("Name - Charlie Webb" / "D.O.B - 23/10/2012" / "Address - ...")."""
    runs: list[list[re.Match[str]]] = []
    for m in _DASH_LINE.finditer(text):
        if len(m.group("label").split()) > 6 or _roster_fields(m.group(0)):  # a line listing a child is not a label
            continue
        if runs and text.count("\n", runs[-1][-1].end(), m.start()) == 1:
            runs[-1].append(m)
        else:
            runs.append([m])
    return [LabelledValue(m.group("label").strip(), m.group("value"), m.start("value"), m.end("value"), kind)
            for run in runs if len(run) >= DASH_BLOCK for m in run]


_ROSTER_FIELDS = (  # what a field of a line listing a child may be, and the label it is given
    ("Gender", re.compile(r"(?i)^\(?(?:m|f|male|female|boy|girl|son|daughter)\)?$")),
    ("Date of birth", re.compile(r"(?i)^(?:(?:dob|d\.o\.b\.?|born|date of birth)[:\s]*)?(?:\d{1,2}[./-]\d{1,2}[./-](?:\d{4}|\d{2})"
                                 r"|\d{4}-\d{2}-\d{2}|\d{1,2}(?:st|nd|rd|th)?\s+[A-Za-z]{3,9}\.?\s+\d{4})$")),
    ("Year group", re.compile(r"(?i)^(?:year|yr|y)\s?(?:1[0-3]|[1-9])$|^reception$")),
    ("Age", re.compile(r"(?i)^(?:about|around|approx\.?|roughly|aged?)?\s*(?:[4-9]|1[0-7])(?:\s*(?:or|-|to)\s*(?:[4-9]|1[0-7]))?"
                       r"(?:\s*(?:yrs?|years?(?:\s+old)?|y/?o))?$")),
    ("UPN", re.compile(r"(?i)^(?:upn[:\s]*)?(?-i:[A-Z]\d{11}[0-9A-Z])$")),
    ("Date last attended", re.compile(r"(?i)^(?:last attended|last attendance|lda|last seen|last day)[:\s]+"
                                      r"(?:on\s+)?\d{1,2}[./-]\d{1,2}(?:[./-](?:\d{4}|\d{2}))?$")),
    ("Address", re.compile(r"^\d[^|]{3,80}\b[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2}$")),  # a house number ... a postcode
    # a date after a short word in any language ("ur. 15.04.2015", "né le 3/4/2016"): what else a date by a name is
    ("Date of birth", re.compile(r"(?i)^(?:[^\W\d_]{1,6}\.?(?:\s+[^\W\d_]{1,3})?:?\s+)?\d{1,2}[./-]\d{1,2}[./-](?:\d{4}|\d{2})$")),
)
_AGE_AND_DATE = re.compile(r"(?i)^(?:aged?\s*)?(?P<age>\d{1,2})\s*(?:yrs?|years?(?:\s+old)?|y/?o)?\s*\(\s*(?:dob:?\s*|born\s+)?"
                           r"(?P<date>\d{1,2}[./-]\d{1,2}[./-](?:\d{4}|\d{2}))\s*\)$")
_SEX_WORD = _ROSTER_FIELDS[0][1]  # "M", "girl", "son"
_GIVEN_NAME = re.compile(r"^[A-Z][a-z]+(?:-[A-Z][a-z]+)?$")
_NAME_ASIDE = re.compile(r"[ \t]*\((?P<word>[A-Za-z]{1,8})\)$")
_ROSTER_NAME = re.compile(r"^(?:[A-Z\u00C0-\u024F][^\W\d_]*(?:['’-][^\W\d_]+)*),?(?: [A-Z\u00C0-\u024F][^\W\d_]*(?:['’-][^\W\d_]+)*){1,3}$")
_LIST_MARK = re.compile(r"^\s*(?:\d{1,2}[.)]|[-•*])?\s*")


def _roster_fields(line: str) -> list[tuple[str, int, int]] | None:
    """A line listing one child ("SMITH, Mercy - F - 12.05.2015", "Jack Hale, M, 03/04/2015, Year 6") as
    (label, start, end) of each piece: a name first, then pieces that are a sex, a date of birth, a year group,
    a UPN, an address ending in a postcode or a last-attended date, up to the first piece that is none of them
    (the rest of the line, a parent or a note, is left to the other readers); None for any other line."""
    lead = _LIST_MARK.match(line).end()  # type: ignore[union-attr]
    line = line[:lead] + re.split(r"\.\s+(?=[A-Z])", line[lead:], maxsplit=1)[0]  # "... 07700 900731. A friend ..."
    for sep in (r"[ \t]+[-–—|][ \t]+|\t+", r"[ \t]*,[ \t]*", r"[ \t]{3,}", r"[ \t]*,[ \t]*|[ \t]+[-–—][ \t]+"):
        # dashes or tabs, commas, wide gaps, or commas and dashes mixed ("Leah Dunne, 13 (11/06/2013) - Year 9")
        pieces, at = [], lead
        for m in [*re.finditer(sep, line[lead:]), None]:
            end = m.start() + lead if m else len(line)
            pieces.append((line[at:end], at))
            at = m.end() + lead if m else at
        if len(pieces) < 2:
            continue
        first, first_at = pieces[0][0].rstrip(), pieces[0][1]
        aside = _NAME_ASIDE.search(first)  # "Daniel Oyelaran (son)": the sex said beside the name
        if aside and not _SEX_WORD.match(aside.group("word")):
            aside = None
        if aside:
            first = first[:aside.start()]
        sexed = aside is not None or bool(_SEX_WORD.match(pieces[1][0].strip()))
        if not (_ROSTER_NAME.match(first.strip()) or (sexed and _GIVEN_NAME.match(first.strip()))):
            continue  # a full name, or a given name with the sex beside it ("Levi (boy) - about 13", "Ahmad - boy, 10")
        out = [("Name", first_at, first_at + len(first.rstrip()))]
        if aside:
            out.append(("Gender", first_at + aside.start("word"), first_at + aside.end("word")))
        aged, read = False, 1  # read: the pieces read, the name's first
        for text, at in pieces[1:]:
            both = _AGE_AND_DATE.match(text.strip())
            if both and not any(lab == "Date of birth" for lab, _, _ in out):  # "13 (11/06/2013)": an age, then the date
                at += len(text) - len(text.lstrip())
                out.append(("Age", at + both.start("age"), at + both.end("age")))
                out.append(("Date of birth", at + both.start("date"), at + both.end("date")))
                aged, read = True, read + 1
                continue
            core = re.sub(r"[ \t]*\([^()]*\)$", "", text.strip()) or text.strip()  # "about 13 (dad isn't sure...)"
            label = next((lab for lab, pattern in _ROSTER_FIELDS if pattern.match(core)), None)
            if label is None or any(lab == label for lab, _, _ in out):
                break
            at += len(text) - len(text.lstrip())
            out.append((label, at, at + len(core)))
            read += 1
        if len(out) > 1 and (read == len(pieces) or len(out) >= 4 or aged):  # the rest a parent or a note
            return out
    return None


def roster_pairs(text: str, kind: str = "table_cell") -> list[LabelledValue]:
    """Lines each listing one child by name with only a sex, date of birth, year group or UPN beside it,
    as pairs labelled "Child 1 Name", "Child 1 Date of birth"...: a line needs two such pieces besides the
    name, or one when the line next to it gives the same pieces in the same order."""
    lines, pos = [], 0
    for line in text.split("\n"):
        fields = _roster_fields(line)
        lines.append((pos, fields))
        pos += len(line) + 1
    pairs, n = [], 0
    for i, (start, fields) in enumerate(lines):
        if not fields:
            continue
        shape = [label for label, _, _ in fields]
        beside = any([label for label, _, _ in lines[j][1] or ()] == shape for j in (i - 1, i + 1) if 0 <= j < len(lines))
        if len(fields) < 3 and not (beside and len(fields) >= 2):
            continue
        n += 1
        for label, a, b in fields:
            pairs.append(LabelledValue(f"Child {n} {label}", text[start + a:start + b], start + a, start + b, kind))
    return pairs


_NUMBERED_NAME = re.compile(r"(?m)^[ \t]*\d{1,2}[.)][ \t]+(?P<name>(?:[A-Z][A-Za-z'’-]+|[A-Z]{2,}[A-Z'’-]*)(?:[ \t]+(?:[A-Z][A-Za-z'’-]+|"
                            r"[A-Z]{2,}[A-Z'’-]*)){1,3})[ \t]*\n(?=[ \t]*[^\W\d_][\w '’()/&.#-]{0,30}?[ \t]*:[ \t]*\S)")


def numbered_name_pairs(text: str, kind: str = "table_cell") -> list[LabelledValue]:
    """A numbered list of people, each a name alone on its line with their "Label: value" lines under it
    ("1. Tyler-James GOUGH" / "   DOB: 15/06/2014   Sex: M"): each name is a "Name" pair, so that the lines
    under it are that person's."""
    return [LabelledValue("Name", m.group("name"), m.start("name"), m.end("name"), kind)
            for m in _NUMBERED_NAME.finditer(text)
            if re.search(r"\b[A-Z][a-z]", m.group("name"))]  # not a section heading in capitals ("1. CHILD DETAILS")


_LIST_ITEM = re.compile(r"(?m)^[ \t]*(?:\d{1,2}[.)]|[-•*])[ \t]+(?P<name>(?:[A-Z][a-z'’-]+)(?:[ \t]+(?:[A-Z][a-z'’-]+|[A-Z]{2,}[A-Z'’-]*)){1,2})"
                        r"(?=[ \t]*(?:[-–—:,(]|$))(?P<rest>[^\n]*)$")
_ITEM_DOB = re.compile(r"(?i)\b(?:dob|d\.o\.b\.?|date of birth|born)\b[^0-9\n]{0,20}?(?P<date>\d{1,2}[./-]\d{1,2}[./-](?:\d{4}|\d{2}))")
_ITEM_SEX = re.compile(r"(?<![\w'’-])(?P<sex>Girl|Boy|Female|Male)(?=[.,;)]|[ \t]*$)")


def list_item_pairs(text: str, first: int = 1, kind: str = "table_cell") -> list[LabelledValue]:
    """A list whose items each start with a person's name and give, somewhere in the item, a date of birth ("1. Farzana
    AHMADZAI - also written Farzanah AHMADZAY on the BRP. Girl. DOB on papers 01/01/2016 ..."): each such item is a
    child, as pairs "Child N Name", "Child N Date of birth" and, when the item says "Girl." or "Boy.", "Child N Gender"
    (numbered from `first`, after any children a roster already gave). Lines a roster reads are left to it."""
    pairs, n = [], first
    for m in _LIST_ITEM.finditer(text):
        if _roster_fields(m.group(0)):
            continue
        dob = _ITEM_DOB.search(m.group("rest"))
        if dob is None or not re.search(r"[a-z]\.[ \t]+[A-Z]", m.group("rest")):
            continue  # only an item written in sentences: a line of fields is the other readers' to group
        at = m.start("rest")
        pairs.append(LabelledValue(f"Child {n} Name", m.group("name"), m.start("name"), m.end("name"), kind))
        pairs.append(LabelledValue(f"Child {n} Date of birth", dob.group("date"), at + dob.start("date"),
                                   at + dob.end("date"), kind))
        sex = _ITEM_SEX.search(m.group("rest"))
        if sex:
            pairs.append(LabelledValue(f"Child {n} Gender", sex.group("sex"), at + sex.start("sex"), at + sex.end("sex"),
                                       kind))
        n += 1
    return pairs


def clean_label(label: str) -> str:
    """A table or form label without its trailing colon, asterisk or surrounding space."""
    return label.strip().rstrip(":*? ").strip()


def _is_header(row: list[str]) -> bool:
    cells = [c for c in row if c]
    return len(cells) >= 3 and len(cells) == len(row) and all(len(c) <= 40 and not any(ch.isdigit() for ch in c)
                                                              and "@" not in c for c in cells)


# a column heading that names one of several people: "Child 1", "Pupil 2", "Sibling 3", "2nd child"
_PERSON_COLUMN = re.compile(r"(?i)^(?:(?:child|pupil|sibling|young person|student)\s*\d{1,2}|(?:1st|2nd|3rd|4th|first|second|"
                            r"third|fourth)\s+(?:child|pupil|sibling))$")


def _person_columns(row: list[str]) -> bool:
    """A heading row of a table that gives one person per column ("| Child 1 | Child 2"), its first cell
    empty or a word for the labels beneath it ("Details", "Field")."""
    return (len(row) >= 3 and clean_label(row[0]).lower() in ("", "details", "field", "fields", "question")
            and all(_PERSON_COLUMN.match(clean_label(c)) for c in row[1:]))


def table_pairs(text: str, tables: list[list[list[str]]], kind: str = "table_cell") -> list[LabelledValue]:
    """Pairs of tables rendered one "cell | cell" line per row: two-cell rows give (label, value) of
    `kind`; rows under a header row of three or more cells give (column heading, cell) of kind
    "table_column"; a table with one person per column ("| Child 1 | Child 2" over "First name | Amelia |
    Harvey") gives ("Child 1 First name", "Amelia") of `kind`. Empty cells ("") keep their column but are not
    rendered."""
    pairs = []
    cursor = 0
    for rows in tables:
        header: list[str] | None = None
        people: list[str] | None = None
        for n, row in enumerate(rows):
            cells = [c for c in row if c]
            if not cells:
                continue
            line = ROW_SEPARATOR.join(cells)
            at = text.find(line, cursor)
            if at < 0:
                at = text.find(line)
                if at < 0:
                    continue
            else:
                cursor = at + len(line)
            starts = []
            pos = at
            for c in cells:
                starts.append(pos)
                pos += len(c) + len(ROW_SEPARATOR)
            if n == 0 and _person_columns(row):
                people = [clean_label(c) for c in row[1:]]
                continue
            if people is not None and len(row) == len(people) + 1 and row[0]:
                label, k = clean_label(row[0]), 1
                for person, cell in zip(people, row[1:]):
                    if cell:
                        pairs.append(LabelledValue(f"{person} {label}", cell, starts[k], starts[k] + len(cell), kind))
                        k += 1
                continue
            if n == 0 and _is_header(row):
                header = row
                continue
            if len(cells) == 2 and (header is None or len(row) != len(header)):
                label = clean_label(cells[0])
                if label:
                    pairs.append(LabelledValue(label, cells[1], starts[1], starts[1] + len(cells[1]), kind))
                continue
            if header is not None and len(row) == len(header):
                k = 0
                for heading, cell in zip(header, row):
                    if cell:
                        if clean_label(heading):
                            pairs.append(LabelledValue(clean_label(heading), cell, starts[k], starts[k] + len(cell),
                                                       "table_column"))
                        k += 1
    return pairs


def merge_pairs(*groups: list[LabelledValue]) -> tuple[LabelledValue, ...]:
    """Pairs of several finders, without two pairs over the same value, in text order."""
    seen: set[tuple[int, int]] = set()
    out = []
    for group in groups:
        for p in group:
            if (p.start, p.end) not in seen:
                seen.add((p.start, p.end))
                out.append(p)
    return tuple(sorted(out, key=lambda p: p.start))


_BOX = re.compile("[☒☐]")


def checkbox_pairs(text: str) -> list[LabelledValue]:
    """Tick boxes: the option text beside each ☒/☐ (after it, else before it) as label, the glyph as value."""
    pairs = []
    for m in _BOX.finditer(text):
        line_start = text.rfind("\n", 0, m.start()) + 1
        line_end = text.find("\n", m.end())
        line_end = len(text) if line_end < 0 else line_end
        after = re.split(r"[☒☐|]", text[m.end():line_end], maxsplit=1)[0]
        before = re.split(r"[☒☐|]", text[line_start:m.start()])[-1]
        label = clean_label(after) or clean_label(before)
        question = text[line_start:m.start()].split(ROW_SEPARATOR)
        if len(question) > 1 and clean_label(question[-2]) and label:
            label = f"{clean_label(question[-2])}: {label}"
        if label and len(label) <= 160:
            pairs.append(LabelledValue(label, m.group(0), m.start(), m.end(), "checkbox"))
    return pairs


def line_pairs(text: str, kind: str = "form_field") -> list[LabelledValue]:
    """Lines of exactly two cells "label | value" (OCR'd forms) as pairs."""
    pairs = []
    offset = 0
    for line in text.split("\n"):
        cells = line.split(ROW_SEPARATOR)
        if len(cells) == 2 and clean_label(cells[0]) and cells[1].strip():
            start = offset + len(cells[0]) + len(ROW_SEPARATOR)
            value = cells[1].rstrip()
            pairs.append(LabelledValue(clean_label(cells[0]), value, start, start + len(value), kind))
        offset += len(line) + 1
    return pairs


_TAB_LINE = re.compile(r"^[ \t]*(?P<label>[^\W\d_][^\t\n|]{0,60}?)[ ]*\t[ \t]*(?P<value>[^\t\n]*[^\s])[ \t]*$", re.MULTILINE)


def tab_pairs(text: str, kind: str = "table_cell") -> list[LabelledValue]:
    """Lines "label<TAB>value" of plain text (a table pasted as text) as pairs."""
    pairs = []
    for m in _TAB_LINE.finditer(text):
        label = clean_label(m.group("label"))
        if label and len(label.split()) <= 8:
            pairs.append(LabelledValue(label, m.group("value"), m.start("value"), m.end("value"), kind))
    return pairs


_QUESTION = re.compile(r"^(?:\d{1,2}[.)]\s+)?(?P<label>[^\W\d_][^\n|:]{0,100}?)\s*[?*:]?\s*$")
_ANSWER = re.compile(r"^[ \t]*(?P<value>\S[^\n]{0,200}?)[ \t]*$")


def question_pairs(text: str, kind: str = "question") -> list[LabelledValue]:
    """Form notifications written "question" on one line and the answer on the next, a blank line between
    one pair and the next (GOV.UK Forms, Microsoft Forms, Jotform, Firmstep): at least three such pairs
    make a form. A numbered question ("6. Child's full name") loses its number."""
    pairs = []
    for m in re.finditer(r"(?:^|\n\n)(?P<q>[^\n]+)\n(?P<a>[^\n]+)(?=\n\n|\n?$)", text):
        q = _QUESTION.match(m.group("q"))
        a = _ANSWER.match(m.group("a"))
        if not q or not a or len(q.group("label").split()) > 14 or q.group("label").rstrip().endswith((".", ",")):
            continue
        value = a.group("value")
        if value.startswith(("http", "---")) or len(value.split()) > 30:
            continue
        start = m.start("a") + a.start("value")
        pairs.append(LabelledValue(clean_label(q.group("label")), value, start, start + len(value), kind))
    return pairs if len(pairs) >= 3 else []


_LEADER_LINE = re.compile(r"^[ \t]*(?P<label>[^\W\d_][^\n]{0,60}?)[ \t]*\.{3,}[ \t]*(?P<value>\S[^\n]*?)[ \t]*$", re.MULTILINE)


def leader_pairs(text: str, kind: str = "line") -> list[LabelledValue]:
    """System exports that line labels up with dot leaders ("Date of birth ........ 11/01/2017"; SIMS,
    police and health systems): the value runs on over following lines indented to its column (an address
    written one part per line)."""
    pairs = []
    for m in _LEADER_LINE.finditer(text):
        label = clean_label(m.group("label"))
        if not label or len(label.split()) > 8:
            continue
        start, end = m.start("value"), m.end("value")
        column = start - (text.rfind("\n", 0, start) + 1)
        pos = m.end()
        while pos < len(text) and text[pos] == "\n":
            nxt = text.find("\n", pos + 1)
            nxt = len(text) if nxt < 0 else nxt
            line = text[pos + 1:nxt]
            indent = len(line) - len(line.lstrip(" \t"))
            if not line.strip() or indent < column or "..." in line:
                break
            end = pos + 1 + len(line.rstrip())
            pos = nxt
        pairs.append(LabelledValue(label, text[start:end], start, end, kind))
    return pairs


_SPACED_LINE = re.compile(r"^[ \t]*(?P<label>[^\W\d_][^\W\d]*(?:['’][^\W\d]+)?(?: [^\W\d][^\W\d]*(?:['’][^\W\d]+)?){0,4}"
                          r"(?: ?\([^)\n]{1,12}\))?)"
                          r" {2,}(?P<value>[^\s:.=|-][^\n]*?)[ \t]*$", re.MULTILINE)  # "Name   : X" is colon_pairs


def spaced_pairs(text: str, kind: str = "line") -> list[LabelledValue]:
    """A system's record pasted as text, each label and its value in columns set apart by spaces ("Legal Surname
    FORBES" / "Date of Birth    29/08/2011"): only runs of three or more such lines whose values start in the
    same column, so prose with a double space is never read as labels."""
    pairs: list[LabelledValue] = []
    run: list[tuple[re.Match[str], int]] = []

    def flush() -> None:
        columns = [c for _, c in run]
        if len(run) >= 3 and max(columns.count(c) for c in columns) >= 3:
            common = max(set(columns), key=columns.count)
            for m, c in run:
                if c == common:
                    pairs.append(LabelledValue(clean_label(m.group("label")), m.group("value"), m.start("value"),
                                               m.end("value"), kind))
        run.clear()

    last_end = -1
    for m in _SPACED_LINE.finditer(text):
        line_start = text.rfind("\n", 0, m.start()) + 1
        if run and text.count("\n", last_end, line_start) > 1:
            flush()
        run.append((m, m.start("value") - line_start))
        last_end = m.end()
    flush()
    return pairs


_QA = re.compile(r"^[ \t]*(?:Q|Question)[ \t]*[:.)-][ \t]*(?P<label>[^\n]{1,120}?)[ \t]*\n[ \t]*(?:A|Answer)[ \t]*[:.)-][ \t]*"
                 r"(?P<value>\S[^\n]*?)[ \t]*$", re.MULTILINE)


def qa_pairs(text: str, kind: str = "question") -> list[LabelledValue]:
    """Forms written "Q: question" then "A: answer" (or "Question:" / "Answer:") as pairs."""
    return [LabelledValue(clean_label(m.group("label")), m.group("value"), m.start("value"), m.end("value"), kind)
            for m in _QA.finditer(text)]


def heading_pairs(text: str, headings: set[str], kind: str = "line") -> list[LabelledValue]:
    """A form written as a bold question on one line and the short answer in plain type on the next ("Date of
    birth" / "30/04/2014"): each such heading and its answer line. An answer is one line of at most twelve words,
    not a table row, a "Label: value" line or another heading, and the form goes on after it (a blank line, or a
    heading with its own answer); the document's first line is its title."""
    def answer(line: str) -> bool:
        return bool(line.strip()) and line.strip() not in headings and ROW_SEPARATOR not in line \
            and not re.match(r"[^:\n]{1,40}:", line) and len(line.split()) <= 12

    pairs = []
    lines = text.split("\n")
    offset = len(lines[0]) + 1 if lines else 0
    for i in range(1, len(lines) - 1):
        line, nxt = lines[i], lines[i + 1]
        label = clean_label(line.strip()) if line.strip() in headings else None
        following = lines[i + 2] if i + 2 < len(lines) else ""
        after = lines[i + 3] if i + 3 < len(lines) else ""
        form_goes_on = not following.strip() or (following.strip() in headings and answer(after))
        if label and len(label.split()) <= 12 and answer(nxt) and form_goes_on:
            start = offset + len(line) + 1 + (len(nxt) - len(nxt.lstrip()))
            value = nxt.strip()
            pairs.append(LabelledValue(label, value, start, start + len(value), kind))
        offset += len(line) + 1
    return pairs
