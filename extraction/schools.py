"""The school register (GIAS layout) and matching school names as written to it.

Owns: loading a register from CSV text, normalising school names (C of E, RC, Jnr, Inf...),
matching a written name to one register entry (or none: a wrong URN is worse than none),
and finding school names in prose.
"""
from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass

from rapidfuzz import fuzz

from extraction.errors import RegisterError

REQUIRED_COLUMNS = ("URN", "EstablishmentName")


@dataclass(frozen=True)
class SchoolMatch:
    name: str  # the register's EstablishmentName
    urn: str
    score: float  # 0..1, how sure the match is


@dataclass(frozen=True)
class _Entry:
    name: str
    urn: str
    core: str  # distinctive words only ("abbotswood")
    phase: frozenset[str]  # {"junior"}, {"infant"}, {"primary"}, ...
    faith: str | None  # "ce" | "catholic" | None


_REPLACEMENTS: tuple[tuple[str, str], ...] = (
    (r"\bc\s*of\s*e\b|\bcofe\b|\bc\.e\.?(?=\s|$)|\bce\b", " church of england "),
    (r"\br\.?\s?c\.?(?=\s|$)|\broman catholic\b", " catholic "),
    (r"\bjnrs?\b|\bjuniors\b|\bjun\b", " junior "),
    (r"\binfs?\b|\binfants\b", " infant "),
    (r"\bprim\b|\bpri\b", " primary "),
    (r"\bsaint\b", " st "),
    (r"\bsch\b", " school "),
    (r"\bcomm\b", " community "),
    (r"&|\+", " and "),
)
_PHASES = {"primary", "junior", "infant", "secondary", "high", "grammar", "college", "academy",
           "nursery", "special", "studio", "sixth"}
_GENERIC = {"school", "schools", "the", "and", "church", "of", "england", "catholic", "community",
            "aided", "controlled", "voluntary", "va", "vc", "ca", "foundation", "county", "federation",
            "pre", "preschool", "form", "centre", "unit"} | _PHASES
_COMPATIBLE = {  # phase written -> register phases it can mean
    "primary": {"primary"}, "junior": {"junior"}, "infant": {"infant"},
    "secondary": {"secondary", "high", "community", "academy", "college"},
    "high": {"high", "secondary"}, "grammar": {"grammar"}, "college": {"college"},
    "academy": {"academy"}, "nursery": {"nursery"}, "special": {"special"},
    "studio": {"studio"}, "sixth": {"sixth", "college"},
}


def normalise_name(name: str) -> str:
    """Lower case words with abbreviations expanded and punctuation removed."""
    text = name.lower().replace("’", "'").replace("‘", "'")
    text = re.sub(r"'s\b", "s", text).replace("'", "")
    text = re.sub(r"\(([^)]*)\)", r" \1 ", text)
    for pattern, repl in _REPLACEMENTS:
        text = re.sub(pattern, repl, text)
    text = re.sub(r"[^a-z0-9 ]+", " ", text)
    return re.sub(r"\s+", " ", text).strip()


def _bare_name(name: str) -> str:
    """The normalised name without a leading "The": how two spellings of the same full name compare."""
    return re.sub(r"^the ", "", normalise_name(name))


def _describe(name: str) -> tuple[str, frozenset[str], str | None]:
    words = normalise_name(name).split()
    faith = "ce" if "england" in words else "catholic" if "catholic" in words else None
    phase = frozenset(w for w in words if w in _PHASES)
    core = " ".join(w for w in words if w not in _GENERIC)
    return core, phase, faith


class SchoolRegister:
    """The schools of a GIAS-layout register, matched by name."""

    def __init__(self, schools: list[tuple[str, str]]) -> None:
        self._entries: list[_Entry] = []
        for urn, name in schools:
            for variant in {name, name.split(",")[0]}:  # "St Peter's ..., Winchester"
                core, phase, faith = _describe(variant)
                if core:
                    self._entries.append(_Entry(name, urn, core, phase, faith))
        self._cores = {e.core for e in self._entries}
        self._names = {urn: name for urn, name in schools}
        self._exact: dict[str, set[str]] = {}
        for urn, name in schools:
            for variant in {name, name.split(",")[0]}:
                self._exact.setdefault(_bare_name(variant), set()).add(urn)

    @classmethod
    def from_csv_text(cls, text: str) -> "SchoolRegister":
        """Read the GIAS CSV export; RegisterError names a missing column."""
        reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
        columns = [c.strip() for c in (reader.fieldnames or [])]
        for column in REQUIRED_COLUMNS:
            if column not in columns:
                raise RegisterError(f"school register has no {column} column")
        schools = []
        for row in reader:
            row = {(k or "").strip(): (v or "").strip() for k, v in row.items()}
            if row["URN"] and row["EstablishmentName"]:
                schools.append((row["URN"], row["EstablishmentName"]))
        if not schools:
            raise RegisterError("school register has no schools")
        return cls(schools)

    def __len__(self) -> int:
        return len(self._names)

    def name_of(self, urn: str) -> str | None:
        return self._names.get(urn)

    def match(self, name_as_written: str) -> SchoolMatch | None:
        """The register school `name_as_written` means, or None when none fits well enough or several do."""
        result = self._match_one(name_as_written)
        if result is None and "," in name_as_written:
            result = self._match_one(name_as_written.split(",")[0])
        return result

    def _match_one(self, written: str) -> SchoolMatch | None:
        exact = self._exact.get(_bare_name(written), set())
        if len(exact) == 1 and re.search(r"(?i)\b(school|academy|college)\b", written):
            urn = next(iter(exact))  # the register's own name, word for word: "Fernhill School", not its primary
            return SchoolMatch(self._names[urn], urn, 1.0)
        core, phase, faith = _describe(written)
        if not core or len(core) < 3:
            return None
        bare = not re.search(r"(?i)\b(school|academy|college)\b", written)
        scored: dict[str, float] = {}
        for entry in self._entries:
            score = self._score(core, phase, faith, entry, bare)
            if score > scored.get(entry.urn, 0.0):
                scored[entry.urn] = score
        ranked = sorted(scored.items(), key=lambda kv: kv[1], reverse=True)
        if not ranked or ranked[0][1] < 0.75:
            return None
        if len(ranked) > 1 and ranked[1][1] >= ranked[0][1] - 0.05:
            return None  # ambiguous: two schools fit as well
        urn, score = ranked[0]
        return SchoolMatch(self._names[urn], urn, round(score, 3))

    @staticmethod
    def _score(core: str, phase: frozenset[str], faith: str | None, entry: _Entry, bare: bool) -> float:
        if faith and entry.faith and faith != entry.faith:
            return 0.0
        if faith and not entry.faith:
            return 0.0
        similarity = fuzz.ratio(core, entry.core) / 100
        # a typo is tolerable in a long name; a short one must be exact ("Home" is not "Holme")
        needed = 1.0 if len(core) <= 6 else 0.92 if len(core) <= 7 else 0.88
        if similarity < needed:
            return 0.0
        score = similarity
        if phase:
            for p in phase:
                if p in ("nursery", "sixth") and len(phase) > 1:
                    continue  # "Primary and Nursery", "School and Sixth Form"
                if not (_COMPATIBLE.get(p, {p}) & (entry.phase or {"school"})):
                    if not (p in ("secondary", "high") and not entry.phase):
                        return 0.0
            if not phase & entry.phase:
                score -= 0.1
        elif entry.phase & {"junior", "infant", "nursery"}:
            # "Abbotswood" alone may mean its junior school; "Alton School" is another school
            score -= 0.15 if bare else 0.3
        else:
            score -= 0.05
        if entry.faith and not faith and core.startswith("st "):
            score -= 0.1  # saints' names are common to schools everywhere
        return max(score, 0.0)

    def find_in_text(self, text: str) -> list[tuple[SchoolMatch | None, str, int, int]]:
        """School names written in prose: (match or None, name as written, start, end), in order."""
        found: list[tuple[SchoolMatch | None, str, int, int]] = []
        for m in _SCHOOL_IN_TEXT.finditer(text):
            start, end = m.start("name"), m.end("name")
            start = _skip_leading(text, start, end)
            if start >= end:
                continue
            written = text[start:end]
            if _looks_like_street(text, start, end) or not written[0].isupper():
                continue
            if not set(_describe(written)[0].split()) - _NOT_A_NAME:
                continue  # "Home School", "Her Primary School", "Previous School"
            found.append((self.match(written), written, start, end))
        for m in _BARE_CONTEXT.finditer(text):
            start, end = m.start("name"), m.end("name")
            if any(s <= start < e for _, _, s, e in found) or _looks_like_street(text, start, end):
                continue
            written = text[start:end]
            match = self.match(written)
            if match and _describe(written)[0] in self._cores:
                found.append((match, written, start, end))
        found.sort(key=lambda t: t[2])
        return found


_NOT_A_NAME = {"home", "new", "previous", "current", "last", "local", "this", "that", "his", "her", "their",
               "virtual", "same", "other", "independent", "private", "boarding", "state", "secondary", "primary",
               "a", "an", "any", "our", "your", "my", "next", "first", "old", "destination", "receiving"}
_CAP = r"(?:St\.|[A-Z][\w’'\-]*)"
_LINK = r"(?:of|the|and|&|de|la|le|upon|on|in|C of E|CofE|CE|RC)"
_KIND = (r"(?:(?:Primary|Junior|Infant|Infants|Juniors|Jnr|Inf|Community|High|Secondary|Grammar|"
         r"Church of England|C of E|CofE|CE|Catholic|RC|Aided|Controlled|Nursery|Special|Free|"
         r"Voluntary|Academy|Studio|Sixth Form)[ \t]+)*")
_SCHOOL_IN_TEXT = re.compile(
    r"(?P<name>" + _CAP + r"(?:[ \t]+(?:" + _CAP + r"|" + _LINK + r")){0,7}?[ \t]+" + _KIND
    + r"(?:School|Academy|College|Primary|(?i:juniors?|infants?)|Jnr|Inf)(?:[ \t]+(?:and|&)[ \t]+Nursery)?)\b"
)
_BARE_CONTEXT = re.compile(
    r"(?i:\b(?:attends|attended|attending|(?:is|was|pupil|on roll|registered|been) at|roll of|"
    r"used to go to|goes to|go(?:es)? to school at|attendance at|started (?:with us )?at|a place at|"
    r"(?:student|pupil)s? at|admitted to)\s+)"
    r"(?P<name>" + _CAP + r"(?:[ \t]+" + _CAP + r"){0,3})"
)
_LEADING_STOP = re.compile(
    r"(?:(?:She|He|They|We|I|It|His|Her|Their|Our|My|At|In|From|To|Dear|Re|Fwd?|Subject|Year|"
    r"Pupil|Child|Name|Last|Current|Previous|School|Attends|Attended|Formerly|Both|And|The\s+(?=[a-z]))\s+)+"
)
_STREET = re.compile(
    r"^\s*,?\s*(?:Road|Rd|Way|Close|Street|St|Avenue|Ave|Lane|Drive|Crescent|Gardens|Court|Place|"
    r"Grove|Hill|Terrace|View|Walk|Row|Park|Mews|Square|Rise)\b"
)


def _skip_leading(text: str, start: int, end: int) -> int:
    m = _LEADING_STOP.match(text, start, end)
    return m.end() if m else start


def _looks_like_street(text: str, start: int, end: int) -> bool:
    """"12 Saxon Way" or "Saxon Way, Andover": an address, not a school."""
    before = text[max(0, start - 20):start]
    m = re.search(r"(\S+\s+)?\b\d+[A-Za-z]?,?[ \t]+$", before)
    if m and (m.group(1) or "").strip(" ,([").lower() not in ("year", "yr", "y", "aged", "age", "class", "room"):
        return True
    return bool(_STREET.match(text[end:end + 12]))
