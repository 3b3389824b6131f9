"""Form and table labels: which field of whom a label names ("Child 2: date of birth" -> child 2's DOB).

`read_label(label)` maps a label as written to a `LabelKey` (owner, field, index) through a
synonym ontology; `labelled_lines(text)` finds "Label: value" lines a parser did not pair, and
`stacked_lines(text)` a form's labels each on a line of its own with the answer on the line below.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from config import phrasebook
from parsers.message import LabelledValue


@dataclass(frozen=True)
class LabelKey:
    owner: str  # "child" | "parent" | "referrer" | "any"
    field: str  # e.g. "name", "first_name", "date_of_birth", "address", "phone"
    index: int | None = None  # "Child 2: ..." -> 2


_INDEX = re.compile(r"\b(?:child|pupil|sibling|young person|parent|carer)\s*(\d)\b|(?<!\bline )\b(\d)\s*$")  # not "Address line 1"

# field synonyms (config/phrases/labels.jsonl), tried in order (first match wins); matched against the folded label
def _fields(owner: str) -> tuple[tuple[str, str], ...]:
    return tuple((p.pattern.pattern, p.kind.partition(".")[2]) for p in phrasebook.table("labels")
                 if p.kind.partition(".")[0] == owner)


def _words(kind: str) -> re.Pattern[str]:
    return next(p.pattern for p in phrasebook.table("labels") if p.kind == kind)


_CHILD_FIELDS = _fields("child")
_PARENT_FIELDS = _fields("parent")
_REFERRER_FIELDS = _fields("referrer")
_PARENT_WORDS = _words("words.parent")
_REFERRER_WORDS = _words("words.referrer")
_CHILD_WORDS = _words("words.child")
_NOT_FIELDS = _words("words.not_a_field")

_DESTINATION = _words("words.destination")
# "Hours in school", "School address", "Type of school": a label about the school's hours, address or kind, not its name
_SCHOOL_ATTRIBUTE = _words("words.school_attribute")

# a question asking for an account, not a field: "Why are you contacting us?", "What happened?"
_QUESTION = _words("words.question")


def fold_label(label: str) -> str:
    """Label case- and punctuation-folded: "Child's D.O.B.:" -> "child s d o b"."""
    text = label.casefold().replace("’", "'")
    text = re.sub(r"[^a-z0-9]+", " ", text)
    return " ".join(text.split())


def _match(table: tuple[tuple[str, str], ...], folded: str) -> str | None:
    for pattern, name in table:
        if re.search(pattern, folded):
            return name
    return None


def read_label(label: str) -> LabelKey | None:
    """The field `label` names, or None when it names none we extract."""
    folded = fold_label(label)
    if not folded or len(folded) > 90 or _NOT_FIELDS.match(folded) or _QUESTION.match(folded):
        return None
    m = _INDEX.search(folded)
    index = int(m.group(1) or m.group(2)) if m else None
    if index is not None:
        folded = " ".join(w for w in folded.split() if not w.isdigit())
    if re.search(r"how do you know|your (?:relationship|connection) to|who are you|reporting as|capacity|"
                 r"describes? you", folded):
        return LabelKey("referrer", "type", index)
    if re.search(r"relationship to (?:the )?(?:child|pupil|young person)|^relationship$", folded):
        return LabelKey("parent", "relationship", index)
    if re.search(r"organi[sz]ation|\bagency\b", folded) and not _PARENT_WORDS.search(folded):
        return LabelKey("referrer", "organisation", index)
    if _DESTINATION.search(folded):
        return None  # "New school:", "Destination school": where the child is going, not the school they left
    if re.search(r"\bschool\b", folded) and not re.search(r"\b(?:date|day|when|upn|number|last (?:go|went|been|in|at|seen in))\b|^(?:date )?left (?:previous |last |former )school$", folded) \
            and not _REFERRER_WORDS.search(folded) and not _PARENT_WORDS.search(folded) \
            and not _SCHOOL_ATTRIBUTE.search(folded):
        return LabelKey("child" if _CHILD_WORDS.search(folded) else "any", "school", index)
    if _REFERRER_WORDS.search(folded) and not _CHILD_WORDS.search(folded.replace("your", "")):
        name = _match(_REFERRER_FIELDS, folded)
        return LabelKey("referrer", name, index) if name else None
    if re.fullmatch(r"(?:emergency|priority) contact(?: name)?", folded) or (
            index is not None and re.fullmatch(r"contact(?: name)?", folded)):
        return LabelKey("parent", "name", index)  # a school system's "Contact 1": the first parent or carer
    if _PARENT_WORDS.search(folded) and not re.search(r"\bchild s\b", folded):
        name = _match(_PARENT_FIELDS, folded)
        return LabelKey("parent", name, index) if name else None
    name = _match(_CHILD_FIELDS, folded)
    if name != "date_last_attended" and re.search(r"\b(?:school|academy)\b", folded) and _SCHOOL_ATTRIBUTE.search(folded):
        return None  # the school's hours, address or phone: neither its name nor the child's details
    if name:
        owner = "child" if _CHILD_WORDS.search(folded) else "any"
        return LabelKey(owner, name, index)
    if re.search(r"e ?mail", folded):
        return LabelKey("any", "email", index)
    if re.search(r"phone|mobile|\btel\b|contact number|\bnumber\b", folded):
        return LabelKey("any", "phone", index)
    if re.search(r"job title|\brole\b|position", folded):
        return LabelKey("referrer", "role", index)
    if re.search(r"^(?:requesting |home |referring )?(?:local authority|council|la)$", folded):
        return LabelKey("referrer", "organisation", index)
    return None


_LABEL_AND_VALUE = r"(?P<label>[^\W\d_][\w '’()/&.,?-]{0,60}?)[ \t]*(?::|[ \t]=)[ \t]*(?P<value>\S[^\n]*?)[ \t]*$"
# a list's mark may stand before the label: "1. Name: Tia-Mae CORRIGAN", "b) Date of birth: ...", "• DOB: ..."
_LIST_MARK = r"(?P<mark>(?:\d{1,2}|[a-hA-H])[.)][ \t]+|[-•*·▪–][ \t]+)?"
_SENTENCE_WORDS = re.compile(r"(?i)\b(?:I|we|she|he|they|has|have|is|are|was|were)\b")  # "2. She has a new mobile number:"
_COLON_LINE = re.compile(r"^[ \t]*" + _LIST_MARK + _LABEL_AND_VALUE, re.MULTILINE)


# the same line quoted in a reply ("> Name: Ashton Fry"): an earlier message of the thread
_QUOTED_LINE = re.compile(r"^[ \t]*(?:>[ \t]?)+[ \t]*" + _LABEL_AND_VALUE, re.MULTILINE)


def labelled_lines(text: str) -> list[LabelledValue]:
    """"Label: value" lines of prose text whose label names a field, as kind "line" pairs; the same lines quoted
    from an earlier message of the thread as kind "quoted" (they name the case's child, never the writer)."""
    out = []
    for pattern, kind in ((_COLON_LINE, "line"), (_QUOTED_LINE, "quoted")):
        for m in pattern.finditer(text):
            label = m.group("label").strip()
            if len(label.split()) > 8 or read_label(label) is None or len(m.group("value")) > 120:
                continue
            if m.groupdict().get("mark") and _SENTENCE_WORDS.search(label):
                continue  # a numbered point that is a sentence, not a label
            out.append(LabelledValue(label, m.group("value"), m.start("value"), m.end("value"), kind))
    return sorted(out, key=lambda p: p.start)


_ADDRESS_FIELDS = ("address", "line1")


def _bare_label(line: str) -> LabelKey | None:
    """The field a line names when the line is nothing but a label ("Date of birth", "Forename(s):")."""
    words = line.strip().rstrip(":").strip()
    if not words or ":" in words or len(words.split()) > 6 or re.search(r"[\d@]", words):
        return None
    return read_label(words)


def stacked_lines(text: str) -> list[LabelledValue]:
    """Pairs of a form laid out with each label on its own line and its answer on the line below
    ("Surname\nLEWANDOWSKI\nForename(s)\nDominik"), as a text-layer PDF or a pasted form reads: kind "stacked".
    An address runs on to the lines below it up to the next label. Only where three such pairs stand in the
    text, each next to another (a heading above a paragraph, or a school's name above the form's title, is no
    label and answer)."""
    lines = text.split("\n")
    starts = [0]
    for line in lines:
        starts.append(starts[-1] + len(line) + 1)
    keys = [_bare_label(line) for line in lines]  # each line read as a label once
    found: list[tuple[int, int, LabelledValue]] = []
    for i, line in enumerate(lines[:-1]):
        key = keys[i]
        answer = lines[i + 1].strip()
        if key is None or not answer or len(answer) > 80 or re.match(r"[^:]{1,40}:", answer) \
                or (keys[i + 1] is not None and key.field != "relationship"):  # "Relationship\nMother"
            continue
        last = i + 1
        if key.field in _ADDRESS_FIELDS:  # "Flat 9, Kingsgate Mews\nWinchester\nSO23 9PX"
            while last + 1 < len(lines) and last - i < 4 and lines[last + 1].strip() and keys[last + 1] is None \
                    and len(lines[last + 1].strip()) <= 40 and not re.match(r"(?i)section\b", lines[last + 1].strip()):
                last += 1
        lead = len(lines[i + 1]) - len(lines[i + 1].lstrip())
        start, end = starts[i + 1] + lead, starts[last] + len(lines[last].rstrip())
        found.append((i, last, LabelledValue(line.strip().rstrip(":").strip(), text[start:end], start, end, "stacked")))
    out = [p for k, (i, last, p) in enumerate(found)
           if (last + 1 < len(lines) and keys[last + 1] is not None) or (k > 0 and found[k - 1][1] == i - 1)]
    return out if len(out) >= 3 else []
