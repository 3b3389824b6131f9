"""Forms and tables: the children, parents/carers and referrer that labelled values give.

Reads a part's label/value pairs (form fields, table rows, "Label: value" lines) and its
header-row tables ("Name | Date of birth | School" then one row per person), with section
headings ("Section B - Parent / carer details", "About you") deciding whose a bare label is.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from extraction import evidence
from extraction.dates import find_dates
from extraction.identifiers import find_upns
from extraction.drafts import Draft, gender_of, put
from extraction.given_names import is_given_name
from extraction.people import relationship_of
from extraction.referrer import _SIGN_OFF
from extraction.labels import LabelKey, fold_label, labelled_lines, read_label, stacked_lines
from parsers.message import LabelledValue, TextSource

_CHILD_ONLY = {"first_name", "last_name", "date_of_birth", "gender", "upn", "school",
               "date_last_attended", "known_as", "year_group", "line1", "town", "postcode"}
_SECTION_WORDS = (
    ("referrer", re.compile(r"\b(referrer|about you|your details|person making|completed by|requesting|"
                            r"referring|contact details|officer|reporter|professional)\b")),
    ("parent", re.compile(r"\b(parents?|carers?|family details|mother|father)\b")),
    ("child", re.compile(r"\b(child|children|pupil|student|young person|learner|about the child|siblings?)\b")),
    ("none", re.compile(r"\b(concerns?|safeguarding|attendance|enquir|actions?|reason|information|"
                        r"education history|checks|form fields)\b")),
)


@dataclass
class FormReading:
    children: list[Draft] = field(default_factory=list)
    parents: list[Draft] = field(default_factory=list)
    referrer: Draft = field(default_factory=lambda: Draft("referrer"))
    family: Draft = field(default_factory=lambda: Draft("child"))  # where the family lives now
    old: Draft = field(default_factory=lambda: Draft("child"))  # a last known / previous address
    entities: dict[str, list[tuple[str, int, int, str]]] = field(default_factory=dict)  # NER spans by part


_GREETING = re.compile(r"(?i)(?:dear|hi|hello|good (?:morning|afternoon|evening)|morning|afternoon)\b")  # "Dear CME Officer,"


def _headings(text: str) -> list[tuple[int, str]]:
    """(offset, owner) of each section heading line of `text`."""
    out = []
    pos = 0
    for line in text.split("\n"):
        stripped = line.strip()
        body = re.sub(r"^(?:section\s+\w+\s*[:.\-–]?|\d+[.)]?|part\s+\w+\s*[:.\-–]?)\s*", "",
                      stripped, flags=re.I)
        # a heading starts with a capital or a number: a short line starting in small letters is a sentence wrapped
        # by the mail client ("agreed with parent at a meeting on")
        is_heading = (stripped and not stripped[0].islower() and " | " not in stripped and len(body.split()) <= 7
                      and not _GREETING.match(body)
                      and not any(body.count(d) >= 2 for d in (",", "\t", ";", "|"))  # a table's header row
                      and (":" not in body or body.endswith(":")) and not re.search(r"\d{3}", body))
        if is_heading:
            folded = fold_label(body)
            for owner, pattern in _SECTION_WORDS:
                if pattern.search(folded):
                    out.append((pos, owner))
                    break
        pos += len(line) + 1
    return out


def _section_at(headings: list[tuple[int, str]], offset: int) -> str | None:
    owner = None
    for at, o in headings:
        if at > offset:
            break
        owner = o
    return None if owner == "none" else owner


def row_pairs(text: str) -> list[LabelledValue]:
    """Pairs from table rows laid out "Label | value | Label | value"."""
    out = []
    pos = 0
    for line in text.split("\n"):
        cells = line.split(" | ")
        if len(cells) >= 4 and len(cells) % 2 == 0:
            labels = [read_label(c) for c in cells[0::2]]
            # a value with a digit, a bracket or an @ is never a label ("Year 4 (Oak class)", "E850202022031")
            values = [read_label(c) if not re.search(r"[\d(@]", c) else None for c in cells[1::2]]
            if labels[0] and sum(1 for k in labels if k) * 2 >= len(labels) and not any(values):
                at = pos
                for i, cell in enumerate(cells):
                    if i % 2 == 1 and cell.strip() and labels[i // 2]:
                        lead = len(cell) - len(cell.lstrip())
                        out.append(LabelledValue(cells[i - 1].strip(), cell.strip(), at + lead,
                                                 at + lead + len(cell.strip()), "table_cell"))
                    at += len(cell) + 3
        pos += len(line) + 1
    return out


def _row_is_labels(cells: list[str]) -> bool:
    """A row of column headings: every cell names a field (in a row of three or more, one may not: "Date of
    referral"), and none holds a digit or an @ ("Name (2)" is a heading)."""
    headings = [_names_field(re.sub(r"\(\d\)", "", c)) for c in cells]
    return headings[0] and headings.count(False) <= (1 if len(cells) >= 3 else 0) and \
        not any(re.search(r"[\d@]", re.sub(r"\(\d\)", "", c)) for c in cells)


def _names_field(cell: str) -> bool:
    """A cell that names a field ("Forename(s)", "School name"), not a relationship given as an answer ("Father")."""
    cell = cell.strip()
    return read_label(cell) is not None and not (len(cell.split()) == 1 and relationship_of(cell))


def _heading(cell: str) -> bool:
    """A cell that reads as a column heading, not an answer: a school's name ("Cherbourg Primary School") or a
    relationship ("Mother") is an answer, whatever words it shares with a label."""
    cell = cell.strip()
    if not cell or re.search(r"[\d(@]", cell) or not _names_field(cell):
        return False
    key = read_label(cell)
    return key is not None and key.field not in ("school", "organisation", "role")


def column_pairs(text: str) -> list[LabelledValue]:
    """Pairs from a form laid out as a row of headings over a row of answers, cell for cell
    ("Legal surname | Forename(s)" over "NOWICKA | Zofia", as a text-layer PDF's boxes read): kind "table_column"."""
    out = []
    lines = text.split("\n")
    starts = [0]
    for line in lines:
        starts.append(starts[-1] + len(line) + 1)
    for i in range(len(lines) - 1):
        heads, answers = lines[i].split(" | "), lines[i + 1].split(" | ")
        if len(heads) < 2 or len(heads) != len(answers) or not _row_is_labels(heads) or _row_is_labels(answers):
            continue
        if any(":" in c for c in heads + answers):
            continue  # "Gender: Female | Year group: 9": each cell is a label with its answer
        if i + 2 < len(lines) and lines[i + 2].count(" | ") >= 2 and not _row_is_labels(lines[i + 2].split(" | ")):
            continue  # a second row of answers: a table of a person per row, which read_header_tables reads
        above = lines[i - 1].split(" | ") if i else []
        if len(above) == len(heads) and read_label(above[0].strip()) is not None:
            continue  # inside a run of "Label | answer" rows ("School | Hiltingbury Junior School" under "Year | 4")
        if any(_heading(a) for a in answers):
            continue  # a second row of headings
        at = starts[i + 1]
        for head, answer in zip(heads, answers):
            lead = len(answer) - len(answer.lstrip())
            if answer.strip() and read_label(head.strip()):
                out.append(LabelledValue(head.strip(), answer.strip(), at + lead, at + lead + len(answer.strip()),
                                         "table_column"))
            at += len(answer) + 3
    return out


_INNER_LABEL = re.compile(r"[ \t]+(?=[A-Z][\w'’/()-]*(?:[ \t]+[\w'’/()-]+){0,4}[ \t]*:(?:[ \t]|$))")


_BAR_LABEL = re.compile(r"[ \t]+\|[ \t]+(?P<label>[A-Za-z][^:|\n]{0,40}?):")
_DATED_TAIL = re.compile(r",[ \t]*(?P<label>[A-Za-z][A-Za-z ]{2,30}?)[ \t]*:?[ \t]+(?P<date>\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4})[ \t]*$")


def split_run_on(p: LabelledValue) -> list[LabelledValue]:
    """A value that runs on into the next label on the same line ("Icknield School Date last attended:
    14/09/2026", two fields of a PDF form read as one line) as the value and the next pair; the next
    label is the last capitalised stretch before the colon that names a field."""
    bar = _BAR_LABEL.search(p.value)
    if bar and p.value[:bar.start()].strip() and read_label(bar.group("label").strip()) is not None:
        head = p.value[:bar.start()].rstrip()  # "Oscar LINDQVIST | Date of birth: 11/11/2011": two fields in cells
        rest = p.value[bar.end():]
        lead = len(rest) - len(rest.lstrip())
        at = p.start + bar.end() + lead
        nxt = LabelledValue(bar.group("label").strip(), rest.strip(), at, at + len(rest.strip()), p.kind)
        return [LabelledValue(p.label, head, p.start, p.start + len(head), p.kind)] + split_run_on(nxt)
    tail = _DATED_TAIL.search(p.value)
    if tail and p.value[:tail.start()].strip() and (key := read_label(tail.group("label"))) is not None \
            and key.field in ("date_of_birth", "date_last_attended"):
        head = p.value[:tail.start()].rstrip()  # "Canford Heath Junior School, last attended 10/07/2026"
        at = p.start + tail.start("date")
        return [LabelledValue(p.label, head, p.start, p.start + len(head), p.kind),
                LabelledValue(tail.group("label"), tail.group("date"), at, at + len(tail.group("date")), p.kind)]
    if p.kind == "line":
        return [p]  # a "Label: value" line of prose is cut at its line already; prose readers do the rest
    colons: set[int] = set()
    for m in _INNER_LABEL.finditer(p.value):
        colon = p.value.index(":", m.end())
        if colon in colons or re.search(r"[.;!?]$", p.value[:m.start()]):
            continue  # a shorter stretch before a colon already tried; a sentence's end: prose, not a form
        colons.add(colon)
        label = p.value[m.end():colon].strip()
        starts = [0] + [w.end() for w in re.finditer(r"[ \t]+(?=[A-Z])", label)]
        for at in sorted(starts, reverse=True):
            if at and len(label[at:].split()) < 2 and (label[at:].isupper() or len(label[at:]) < 4):
                continue  # "Receiving LA:": an abbreviation after a capitalised word is not a label of its own
            if read_label(label[at:]) is not None:
                cut = m.end() + at
                head = p.value[:cut].rstrip()
                rest = p.value[colon + 1:]
                lead = len(rest) - len(rest.lstrip())
                first = LabelledValue(p.label, head, p.start, p.start + len(head), p.kind)
                nxt = LabelledValue(label[at:], rest.strip(), p.start + colon + 1 + lead,
                                    p.start + colon + 1 + lead + len(rest.strip()), p.kind)
                if not head:
                    return [p]
                if not nxt.value:  # "Amy Mercer Relationship:": the next label's answer was read apart
                    return [first]
                return [first] + split_run_on(nxt)
    return [p]


_LABELLED_CELL = re.compile(r"^[^:|\n]{1,40}:[ \t]*\S")


def _table_top(text: str, at: int) -> int:
    """Where the first row of the table rendered around `at` begins: the first of the unbroken run of
    "cell | cell" lines that holds it."""
    start = text.rfind("\n", 0, at) + 1
    while start > 0:
        above = text.rfind("\n", 0, start - 1) + 1
        if " | " not in text[above:start - 1]:
            break
        start = above
    return start


def _pairs(source: TextSource) -> list[LabelledValue]:
    seen: set[tuple[int, int]] = set()
    out = []
    # a cell that is itself "Label: value" paired with the next cell ("Pupil name: Oscar L" | "Date of birth: ..."):
    # two labelled fields side by side, read from the line itself instead
    cells = [p for p in source.pairs if not (_LABELLED_CELL.match(p.label) and _LABELLED_CELL.match(p.value))]
    rows = row_pairs(source.text)
    # a "Label | value | Label | value" grid has no header row: its first row's cells are not column headings,
    # so a cell of a later row is not a value of the column above it
    grid_lines = {source.text.rfind("\n", 0, p.start) + 1 for p in rows}
    cells = [p for p in cells if p.kind != "table_column" or _table_top(source.text, p.start) not in grid_lines]
    parsed_columns = {source.text.rfind("\n", 0, p.start) + 1 for p in source.pairs if p.kind == "table_column"}
    columns = [p for p in column_pairs(source.text)  # a table the parser already read under its headings stays so
               if source.text.rfind("\n", 0, p.start) + 1 not in parsed_columns]
    # a row of headings over a row of answers: a cell of either row is no label of the cell beside it
    column_lines = {source.text.rfind("\n", 0, p.start) + 1 for p in columns}
    column_lines |= {source.text.rfind("\n", 0, max(0, line - 1)) + 1 for line in column_lines}
    cells = [p for p in cells if p.kind != "table_cell" or source.text.rfind("\n", 0, p.start) + 1 not in column_lines]
    found = rows + columns + cells + labelled_lines(source.text) + stacked_lines(source.text)
    for p in [q for pair in found for q in split_run_on(pair)]:
        if p.kind == "checkbox" or (p.start, p.end) in seen:
            continue
        short = len(p.value.split()) <= 4 and not re.search(r"[\d(@]", p.value)
        as_label = read_label(p.value) if short else None
        if as_label is not None and as_label.field not in ("school", "organisation", "role") \
                and not relationship_of(p.value):
            continue  # a header cell paired with a header cell, not a value
        if any(p.start < q.end and q.start < p.end for q in out):
            continue
        seen.add((p.start, p.end))
        out.append(p)
    return sorted(out, key=lambda p: p.start)


def _owner(key: LabelKey, section: str | None, last: str | None) -> str:
    if key.owner != "any":
        return key.owner
    if key.field in _CHILD_ONLY:
        if section == "referrer" and key.field == "school":
            return "referrer"
        return "child"
    if key.field in ("email", "phone") and section in (None, "child"):
        return last if last in ("referrer", "parent") else "referrer"
    if section:
        return section
    if key.field in ("email", "phone"):
        return last or "referrer"
    return "child"


def _field_for(owner: str, key: LabelKey) -> str | None:
    f = key.field
    if owner == "referrer":
        return {"school": "organisation", "address": None}.get(f, f) if f in (
            "name", "role", "organisation", "email", "phone", "type", "school") else None
    if owner == "parent":
        return f if f in ("name", "relationship", "phone", "email") else None
    return f if f in _CHILD_ONLY | {"name", "address"} else None


_SEVERAL_FIELDS = re.compile(r"(?i)name\b.*\b(?:date of birth|d\.?o\.?b|gender|sex|age)\b")


def _put_several(d: Draft, p: LabelledValue, conf: float, part: str, text: str, ref: date) -> None:
    """One answer to a question asking for several things ("Tyler Example, 19-05-2015, Boy"): each piece goes
    to the field it looks like (a date, a gender word), the first other piece to the name."""
    named = False
    at = p.start
    for piece in re.split(r"(,\s*|;\s*)", p.value):
        if re.fullmatch(r",\s*|;\s*", piece) or not piece.strip():
            at += len(piece)
            continue
        start, end = at, at + len(piece)
        if find_dates(piece, ref):
            put(d, "date_of_birth", piece, start, end, conf, part, text, ref, p.label, rule=f"form.{p.kind}")
        elif gender_of(piece):
            put(d, "gender", piece, start, end, conf, part, text, ref, p.label, rule=f"form.{p.kind}")
        elif not named:
            put(d, "name", piece, start, end, conf, part, text, ref, p.label, rule=f"form.{p.kind}")
            named = True
        at = end


def _put_sex_beside(d: Draft, p: LabelledValue, conf: float, part: str, text: str, ref: date) -> None:
    """A sex written as one more piece of a date-of-birth answer ("08/12/2012 - Year 9 - Male", "14.3.14, F")."""
    at = p.start
    for piece in _ANSWER_PIECES.split(p.value):
        if _SEX_WORD.fullmatch(piece):  # a piece that is only a sex word: never a separator, always a gender
            put(d, "gender", piece, at, at + len(piece), conf, part, text, ref, p.label, rule=f"form.{p.kind}.beside_dob")
            return
        at += len(piece)


_ANSWER_PIECES = re.compile(r"(\s+-\s+|\s*[,;|]\s*)")  # kept in the split, so offsets add up
_SEX_WORD = re.compile(r"(?i)\s*(?:male|female|m|f|boy|girl)\s*")


_WORDED_FIELDS = frozenset({"name", "first_name", "last_name", "role", "organisation", "school", "line1", "town"})


def _another_label(value: str) -> bool:
    """A value that is itself another field's label ("Role", "Email address", "Date of birth"): the form left the
    field blank and the reader met the next label. A relation ("Mother", "Dad") is a label of a parent's name and
    may be a value too, a school's or an organisation's name reads as their label, and so does anything with a digit
    ("Year 9")."""
    key = read_label(value) if not re.search(r"[\d@]", value) and len(value.split()) <= 3 else None
    return key is not None and key.field not in ("name", "school", "organisation")  # "Oak Academy" is a school


def _in_quoted(source: TextSource, at: int) -> bool:
    """Whether `at` lies in an earlier message quoted below a reply ("From: ... Sent: ... To: ..." and its text)."""
    return any(g.kind == "quoted" and g.start <= at < g.end for g in source.segments)


def read_forms(source: TextSource, ref: date, reading: FormReading) -> None:
    """Add what the labelled values of `source` say to `reading`."""
    text, part = source.text, source.part
    headings = _headings(text)
    last_owner: str | None = None
    address_target: Draft | None = None
    child: Draft | None = None
    child_row: int | None = None  # where the table row the child's cells came from starts
    parent: Draft | None = None
    pairs = [(p, read_label(p.label)) for p in _pairs(source)]
    pairs = [(p, k) for p, k in pairs if k is not None]
    last_end = 0
    last_heading = 0
    for i, (p, key) in enumerate(pairs):
        gap = text[last_end:p.start]
        if "\n\n" in gap.replace(" ", "") or _SIGN_OFF.search(gap):
            last_owner = None  # a new block: a bare "Tel:" no longer belongs to the person above
        last_end = p.end
        heading = sum(1 for at, _ in headings if at <= p.start)
        if heading != last_heading and reading.children:
            child = reading.children[0]  # a new section speaks of the form's own child again
        last_heading = heading
        section = _section_at(headings, p.start)
        owner = _owner(key, section, last_owner)
        if key.owner == "any" and key.field == "name" and section is None:
            following = [k for _, k in pairs[i + 1:i + 3]]
            if any(k.owner == "referrer" for k in following) and not any(k.field in ("date_of_birth", "first_name", "last_name", "gender") for k in following):
                owner = "referrer"
        name = _field_for(owner, key)
        if name is None or (p.kind == "quoted" and owner != "child") \
                or (owner == "referrer" and _in_quoted(source, p.start)):
            continue  # a quoted earlier message's contact lines are its writer's (often ours), not this one's
        if name in _WORDED_FIELDS and _another_label(p.value):
            continue  # "Referrer name | Role": the blank cell's neighbour is the next label, not the referrer's name
        conf = evidence.PRIORS.get(p.kind, evidence.LABELLED_LINE)
        if owner == "child" and name in ("address", "line1", "town", "postcode") and key.index is None:
            if name in ("address", "line1") or address_target is None:
                old_label = re.search(r"(?i)last known|previous|former|\bold\b", p.label)
                address_target = reading.old if old_label else reading.family
            target = address_target
        elif owner == "child" and child is None and not reading.children and key.index is None \
                and name not in ("name", "first_name", "last_name") and p.kind != "table_column":
            target = reading.family  # held for the child the message names elsewhere
        elif owner == "child":
            row = text.rfind("\n", 0, p.start) if p.kind == "table_column" else None
            new_person = name in ("name", "first_name", "last_name") and child is not None and name_taken(child, name)
            # a table's next row holding a field the child has: "UPN | Surname | ..." gives a child per row, UPN first
            new_row = row is not None and child_row is not None and row != child_row and child is not None \
                and name in child.fields
            if child is None or new_person or new_row or (key.index is not None and key.index != child.index):
                child = _child_for(reading, key.index)
            child_row = row
            target = child
        elif owner == "parent":
            rel = relationship_of(p.label) if name in ("name", "phone", "email") else None
            rel = None if rel == "carer" else rel
            new_person = parent is not None and (
                (name == "name" and "name" in parent.fields)
                or (rel is not None and parent.get("relationship") not in (None, rel)))  # "Mum's mobile" after Dad
            if parent is None or new_person or (key.index is not None and key.index != parent.index):
                parent = Draft("parent", index=key.index)
                reading.parents.append(parent)
            target = parent
            if rel and rel != "carer" and "relationship" not in parent.fields:
                # the label itself says "Mother:": point at the value it labels
                parent.offer("relationship", evidence.at(rel, conf - 0.05, part, text, p.start, p.end))
            if name == "name" and (re.search(r"\s(?:and|&)\s", p.value) or _one_each(p.value)):
                parent = _two_parents(reading, parent, p, conf, part, text, ref)
                last_owner = owner
                continue
        else:
            target = reading.referrer
        if owner == "child" and len(reading.children) > 1 and _ALL_OF_THEM.match(p.value):
            for c in reading.children:  # "Last attended: both Tuesday 15.9.26": every child listed above
                if name not in c.fields:
                    put(c, name, p.value, p.start, p.end, conf, part, text, ref, p.label, rule=f"form.{p.kind}.all_children")
            last_owner = owner
            continue
        several = _SEVERAL_FIELDS.search(p.label) or (
            name == "name" and "," in p.value and any(find_dates(x, ref) or gender_of(x) for x in p.value.split(",")[1:]))
        if owner == "child" and name in ("name", "date_of_birth", "gender") and several:
            _put_several(target, p, conf, part, text, ref)  # "Child 1 - full name, date of birth, gender"
        else:
            put(target, name, p.value, p.start, p.end, conf, part, text, ref, p.label, rule=f"form.{p.kind}")
            if owner == "child" and name == "date_of_birth" and "gender" not in target.fields:
                _put_sex_beside(target, p, conf, part, text, ref)  # "DOB: 08/12/2012 - Year 9 - Male"
        if not (owner == "child" and name in ("address", "line1", "town", "postcode")):
            last_owner = owner  # "Parent: X / Address: ... / Mobile: ...": the family's address leaves the phone X's
    read_header_tables(source, ref, reading, headings)


_ALL_OF_THEM = re.compile(r"(?i)\s*(?:both|all|each|same for (?:both|all))\b(?!\s+(?:of\s+)?(?:parents|mum|dad))")


_TITLE_RELATION = {"mr": "father", "mrs": "mother", "ms": "mother", "miss": "mother"}


_EACH_PERSON = re.compile(r"(\s/\s|;\s)")  # "A Smith (dad) 07700 900672 / B Smith (mum) 07700 900673, b@x.com"


def _one_each(value: str) -> bool:
    """Whether a parents answer lists people one after another, each with their own details."""
    pieces = [x for x in _EACH_PERSON.split(value) if x and not _EACH_PERSON.fullmatch(x)]
    return len(pieces) > 1 and all(re.match(r"\s*(?:(?:Mr|Mrs|Ms|Miss|Dr)\.?\s+)?[A-Z][a-z]", x) for x in pieces)


def _two_parents(reading: FormReading, parent: Draft, p: LabelledValue, conf: float, part: str,
                 text: str, ref: date) -> Draft:
    """"Mr A Smith and Mrs B Smith" under a parents label: two parents, relationship from the titles. People
    separated by "/" or ";" keep the details written after each (their phone, email, relationship)."""
    at = p.start
    each = _one_each(p.value)
    made: list[Draft] = []
    for piece in (_EACH_PERSON if each else re.compile(r"(\s(?:and|&)\s)")).split(p.value):
        if re.fullmatch(r"\s(?:and|&)\s|\s/\s|;\s", piece):
            at += len(piece)
            continue
        if each:
            d = parent if parent is not None and "name" not in parent.fields else Draft("parent")
            if d is not parent:
                reading.parents.append(d)
            put(d, "name", piece, at, at + len(piece), conf, part, text, ref, p.label, rule="form.each_parent")
            parent, at = d, at + len(piece)
            continue
        piece = re.split(r",\s*(?=\d)|\.\s", piece)[0]
        d = parent if parent is not None and "name" not in parent.fields else Draft("parent")
        if d is not parent:
            reading.parents.append(d)
        put(d, "name", piece, at, at + len(piece), conf, part, text, ref, p.label, rule="form.two_parents")
        made.append(d)
        title = re.match(r"\s*(mr|mrs|ms|miss)\b", piece, re.I)
        if title and "name" in d.fields:
            d.offer("relationship", evidence.at(_TITLE_RELATION[title.group(1).lower()], conf - 0.05, part, text,
                                                at + title.start(1), at + title.end(1)))
        parent = d
        at = p.value.find(piece, at - p.start) + p.start + len(piece) if piece else at
    _share_surname(made, conf, part, text)
    return parent


def _share_surname(parents: list[Draft], conf: float, part: str, text: str) -> None:
    """"Gareth and Louise Trelawney": the surname written once, after the second given name, is both parents'."""
    if len(parents) != 2 or "name" not in parents[0].fields or "name" not in parents[1].fields:
        return
    first, second = parents[0].fields["name"], parents[1].fields["name"]
    words = (second.value or "").split()
    if " " in (first.value or "") or len(words) < 2 or not is_given_name(first.value or "") \
            or first.source.start is None:
        return
    parents[0].revise("name", evidence.at(f"{first.value} {words[-1]}", conf, part, text, first.source.start,
                                          first.source.end, rule="form.two_parents.shared_surname"),
                      "two parents written with one surname")


def name_taken(d: Draft, name: str) -> bool:
    if name == "name":
        return "first_name" in d.fields
    return name in d.fields


def _child_for(reading: FormReading, index: int | None) -> Draft:
    if index is not None:
        for c in reading.children:
            if c.index == index:
                return c
    c = Draft("child", index=index)
    reading.children.append(c)
    return c


_CONTACT_LABEL = re.compile(r"(?i)\b(contact|parent|carer|mother|father|mum|dad|guardian|relationship)\b")
_DASHES = re.compile(r"-{2,}|={2,}")
Cells = list[tuple[str, int]]  # (cell text, offset of the cell in the whole text)


def _split(line: str, at: int, delim: str) -> Cells:
    """The cells of one delimited line with their offsets ("," honours double quotes)."""
    cells: Cells = []
    if delim != ",":
        pos = 0
        for piece in line.split(delim):
            cells.append((piece, at + pos))
            pos += len(piece) + len(delim)
        return cells
    pos, quoted, begin = 0, False, 0
    while pos <= len(line):
        ch = line[pos] if pos < len(line) else ","
        if ch == '"':
            quoted = not quoted
        elif ch == "," and not quoted:
            raw = line[begin:pos]
            inner = raw.strip()
            if len(inner) >= 2 and inner[0] == inner[-1] == '"':
                cells.append((inner[1:-1], at + begin + raw.index('"') + 1))
            else:
                cells.append((raw, at + begin))
            begin = pos + 1
        pos += 1
    return cells


def _columns(header: str, rule: str | None, row: str | None = None) -> list[tuple[int, int]] | None:
    """Column spans of a fixed-width table: the runs of a dashed rule under the header; else the header's words
    that start where the first row's values start too ("Last Att." over "20/11/2026" is one column, "Sex Yr"
    over "M   09" two); else the header's words two or more spaces apart."""
    spans: list[tuple[int, int]] = []
    if rule is not None and set(rule.strip()) <= set("-= "):
        spans = [m.span() for m in _DASHES.finditer(rule)]
    if len(spans) < 3 and row is not None:
        starts = [m.start() for m in re.finditer(r"\S+", header)]
        kept = [s for s in starts if s < len(row) and row[s] != " " and (s == 0 or row[s - 1] == " ")]
        if len(kept) >= 3:
            spans = [(s, s) for s in kept]
    if len(spans) < 3:
        spans = [m.span() for m in re.finditer(r"\S+(?: \S+)*", header)]
    if len(spans) < 3:
        return None
    return [(a, spans[i + 1][0] if i + 1 < len(spans) else 10_000) for i, (a, _b) in enumerate(spans)]


def _cut(line: str, at: int, columns: list[tuple[int, int]]) -> Cells:
    return [(line[a:b], at + a) for a, b in columns]


def _text_tables(lines: list[str], offsets: list[int]) -> list[tuple[Cells, list[Cells], int]]:
    """Tables written as text: a header row of labels, then one row per person. Cells are split by " | "
    (tables the parser flattened), a tab, a semicolon or a comma (CSV exports), or by fixed-width columns
    (a dashed rule under the header, or columns two spaces apart). (header cells, rows, index after)."""
    out = []
    i = 0
    while i < len(lines) - 1:
        line = lines[i]
        found = None
        if line.strip().startswith("|") and line.strip().endswith("|"):  # a Markdown table: "| a | b |", "|---|"
            piped = [n for n in range(i, len(lines)) if lines[n].strip().startswith("|")]
            run = []
            for n in piped:
                if run and n != run[-1] + 1:
                    break
                run.append(n)
            cells = [[(c, at) for c, at in _split(lines[n], offsets[n], "|")[1:-1]] for n in run
                     if not set(lines[n].strip()) <= set("|-: ")]
            if len(cells) >= 2 and len(cells[0]) >= 3:
                out.append((cells[0], cells[1:], run[-1] + 1))
                i = run[-1] + 1
                continue
        for delim in (" | ", "\t", ";", ","):
            if line.count(delim) >= 2 and not re.match(r"\s*\w{1,12}\s*:", line):  # "Q: a, b, c" is a question
                head = _split(line, offsets[i], delim)
                j = i + 1
                rows = []
                while j < len(lines) and lines[j].strip() and len(_split(lines[j], offsets[j], delim)) >= len(head) - 1 \
                        and lines[j].count(delim) >= 2:
                    rows.append(_split(lines[j], offsets[j], delim))
                    j += 1
                if rows:
                    found = (head, rows, j)
                break
        if found is None and "  " in line.strip():
            rule = lines[i + 1] if i + 1 < len(lines) and set(lines[i + 1].strip()) <= set("-= ") and lines[i + 1].strip() else None
            first_row = lines[i + (2 if rule else 1)] if i + (2 if rule else 1) < len(lines) else None
            columns = _columns(line, rule, first_row)
            if columns:
                j = i + (2 if rule else 1)
                rows = []
                while j < len(lines) and lines[j].strip() and len(re.findall(r"\S+", lines[j])) >= 3:
                    rows.append(_cut(lines[j], offsets[j], columns))
                    j += 1
                if rows:
                    found = (_cut(line, offsets[i], columns), rows, j)
        if found is None:
            i += 1
            continue
        out.append(found)
        i = found[2]
    return out


def read_header_tables(source: TextSource, ref: date, reading: FormReading,
                       headings: list[tuple[int, str]]) -> None:
    """Tables whose first row is all labels: a person per following row (and the contact given on the same
    row as a parent or carer)."""
    text, part = source.text, source.part
    lines = text.split("\n")
    offsets = []
    pos = 0
    for line in lines:
        offsets.append(pos)
        pos += len(line) + 1
    for head, rows, _ in _text_tables(lines, offsets):
        head = [(re.sub(r"(?<=[a-z])(?=[A-Z0-9])", " ", c).replace("_", " "), at) for c, at in head]
        # "AddressLine1", "SchoolName", "parent_phone": the words of a column's name
        keys = [read_label(c.strip()) if c.strip() else None for c, _ in head]
        known = [k for k in keys if k is not None]
        fields = {k.field for k in known}
        if len(known) < 3 or len(known) < len(head) // 2 or not fields & {"first_name", "last_name", "name",
                                                                           "date_of_birth"}:
            continue
        if sum(read_label(c.strip()) is not None for c, _ in rows[0] if c.strip()) > len(rows[0]) // 2:
            continue  # a second row of labels: not a header over values
        section = _section_at(headings, head[0][1])
        person_fields = fields & {"first_name", "last_name", "date_of_birth", "upn", "gender"}
        owner = "parent" if section == "parent" or (not person_fields and "relationship" in fields) else "child"
        if section == "referrer":
            owner = "referrer"
        for row in rows:
            d = Draft(owner) if owner != "referrer" else reading.referrer
            contact = Draft("parent")
            for (label, _), key, (value, at) in zip(head, keys, row):
                lead = len(value) - len(value.lstrip())
                value = value.strip()
                if not value:
                    continue
                if owner == "child" and _CONTACT_LABEL.search(label) and (key is None or key.owner != "child"):
                    name = "name" if key is None or key.field in ("name", "first_name", "last_name") else key.field
                    if name in ("name", "relationship", "phone", "email"):
                        put(contact, name, value, at + lead, at + lead + len(value), evidence.TABLE_CELL,
                            part, text, ref, label, rule="form.text_table.contact")
                    continue
                if key is None:
                    continue
                if key.field == "address" and (key.index or 1) > 1:
                    continue  # "Address 2": a locality between the street and the town
                name = _field_for(owner, LabelKey(owner, "name" if key.field == "name" else key.field))
                if name is None and owner == "parent" and key.field == "relationship":
                    name = "relationship"
                if name is None:
                    continue
                put(d, name, value, at + lead, at + lead + len(value), evidence.TABLE_CELL, part, text, ref,
                    key.field, rule="form.header_table")
            if d.fields and owner == "child":
                reading.children.append(d)
            elif d.fields and owner == "parent":
                reading.parents.append(d)
            if contact.fields:
                reading.parents.append(contact)


# "DOB: Oliver 09/11/2017; Grace 03/02/2021", "UPNs: Oliver B850...; Grace T850...": one label, a value per child
_SHARED_LABEL_LINE = re.compile(r"(?m)^[ \t•*·-]*(?P<label>[A-Za-z][A-Za-z ()/'.-]{1,30}?)[ \t]*:[ \t]*(?P<rest>[^\n]+)$")
_PER_CHILD = re.compile(r"(?P<first>[A-Z][\w'’-]+)[ \t]*[:(–-]?[ \t]*(?P<value>[^;,()]+?)[ \t)]*(?=[;,]|\band\b|\.?$)")
_PER_CHILD_FIELDS = ("date_of_birth", "upn")


def _shared_label(label: str) -> str | None:
    for text in (label, re.sub(r"(?i)\bdates\b", "date", label), re.sub(r"(?i)s$", "", label.strip())):
        key = read_label(text)
        if key is not None and key.field in _PER_CHILD_FIELDS and key.owner in ("any", "child") and key.index is None:
            return key.field
    return None


def read_values_per_child(source: TextSource, ref: date, children: list[Draft]) -> None:
    """One label with each child's own value after their first name: every child named gets theirs."""
    firsts = {(c.get("first_name") or "").casefold(): c for c in children if c.get("first_name")}
    if len(firsts) < 2:
        return
    text, part = source.text, source.part
    for line in _SHARED_LABEL_LINE.finditer(text):
        name = _shared_label(line.group("label"))
        if name is None:
            continue
        for m in _PER_CHILD.finditer(text, line.start("rest"), line.end("rest")):
            child = firsts.get(m.group("first").casefold())
            if child is None or name in child.fields:
                continue
            at = m.start("value")
            if name == "date_of_birth":
                found = find_dates(m.group("value"), ref)
                value = found[0][0].isoformat() if found else None
                span = (at + found[0][1], at + found[0][2]) if found else None
            else:
                upns = [u for u in find_upns(m.group("value")) if u.value]
                value = upns[0].value if upns else None
                span = (at + upns[0].start, at + upns[0].end) if upns else None
            if value and span:
                child.offer(name, evidence.at(value, evidence.LABELLED_LINE, part, text, span[0], span[1],
                                              rule="form.value_per_child"))
