"""The school register (GIAS layout) and matching school names as written to it.

Owns: loading a register from CSV text, normalising school names (C of E, RC, Jnr, Inf, apostrophes...),
matching a written name to one register entry (or none: a wrong URN is worse than none), using a town
or postcode to choose between schools of the same name, and finding school names in prose.

The bundled register (config/schools-hampshire-and-neighbours.csv, built by tools/register.py) holds
every open establishment of Hampshire and its neighbouring authorities, the schools an earlier register
knew that have closed since (EstablishmentStatus "Closed"), and the earlier names of renamed schools
(column PreviousNames). Only URN and EstablishmentName are required: any GIAS extract can be given.
"""
from __future__ import annotations

import csv
import functools
import io
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from extraction.dates import NUMERIC_DATE
from extraction.errors import RegisterError
from extraction.given_names import is_given_name

REQUIRED_COLUMNS = ("URN", "EstablishmentName")
PREVIOUS_NAMES = "PreviousNames"  # not GIAS's: a renamed school's earlier names, separated by "|"
_TOWN_COLUMNS = ("Town", "DistrictAdministrative (name)", "LA (name)", "County (name)")
_PLACE_COLUMNS = _TOWN_COLUMNS + ("Locality", "Address3")  # a locality may be a school's name too: "Cove"
_CACHE_SIZE = 20000


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


@dataclass(frozen=True)
class _School:
    urn: str
    name: str  # its EstablishmentName
    la: str  # LA (code)
    closed: bool
    places: frozenset[str]  # folded town, locality, district, LA... ("chandlers ford", "eastleigh")
    towns: frozenset[str]  # the places of _TOWN_COLUMNS only ("eastleigh")
    postcode: str  # "SO53 2DW", or ""
    stage: str  # GIAS's PhaseOfEducation (name): "Primary", "Secondary"..., or ""
    ages: tuple[int, int] | None = None  # StatutoryLowAge, StatutoryHighAge, when the register gives them


_APOSTROPHES = "’‘ʼ`´′"
_REPLACEMENTS: tuple[tuple[re.Pattern[str], str], ...] = tuple((re.compile(pattern), repl) for pattern, repl in (
    (r"\bc\s*of\s*e\b|\bcofe\b|\bc\.e\.?(?=\s|$)|\bce\b", " church of england "),
    (r"\br\.?\s?c\.?(?=\s|$)|\broman catholic\b", " catholic "),
    (r"\bjnrs?\b|\bjuniors\b|\bjun\b", " junior "),
    (r"\binfs?\b|\binfants\b", " infant "),
    (r"\bprim\b|\bpri\b", " primary "),
    (r"\bsaint\b", " st "),
    (r"\bsch\b", " school "),
    (r"\bcomm\b", " community "),
    (r"&|\+", " and "),
))
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
_ADDED_PHASES = {"nursery", "academy", "sixth"}  # what a converted school's new name may add


@functools.lru_cache(maxsize=16384)
def normalise_name(name: str) -> str:
    """Lower case words with abbreviations expanded, punctuation removed and apostrophes ignored:
    "St Mary’s", "St Mary's" and "St Marys" are the same name, and so are "St James's" and "St James'"."""
    text = name.lower()
    for mark in _APOSTROPHES:
        text = text.replace(mark, "'")
    text = re.sub(r"(?<=s)'s\b", "", text)
    text = re.sub(r"'s\b", "s", text).replace("'", "")
    text = re.sub(r"\(([^)]*)\)", r" \1 ", text)
    for pattern, repl in _REPLACEMENTS:
        text = pattern.sub(repl, text)
    text = re.sub(r"[^a-z0-9 ]+", " ", text)
    return re.sub(r"\s+", " ", text).strip()


def _bare_name(name: str) -> str:
    """The normalised name without a leading "The": how two spellings of the same full name compare."""
    return re.sub(r"^the ", "", normalise_name(name))


# what a register name adds after the school's own: "The Winston Churchill School A Specialist Sports College"
_NAME_SUFFIX = re.compile(r"(?i)\s+a\s+specialist\s+[\w ]+?\s+college$")


def _describe(name: str) -> tuple[str, frozenset[str], str | None]:
    words = normalise_name(_NAME_SUFFIX.sub("", name)).split()
    faith = "ce" if "england" in words else "catholic" if "catholic" in words else None
    phase = frozenset(w for w in words if w in _PHASES)
    core = " ".join(w for w in words if w not in _GENERIC)
    return core, phase, faith


@functools.lru_cache(maxsize=8192)
def fold_place(place: str) -> str:
    """A town as compared: "Chandler's Ford" = "chandlers ford", "Shoreham-by-Sea" = "shoreham by sea"."""
    text = place.lower()
    for mark in _APOSTROPHES:
        text = text.replace(mark, "'")
    text = re.sub(r"[^a-z0-9 ]+", " ", text.replace("'", ""))
    return re.sub(r"^(?:nr|near) ", "", " ".join(text.split()))


def _places_of(row: Mapping[str, str], columns: tuple[str, ...]) -> frozenset[str]:
    places: set[str] = set()
    name = row.get("EstablishmentName", "")
    values = [row.get(c, "") for c in columns] + ([name.rsplit(",", 1)[1]] if "," in name else [])
    for value in values:
        for part in {value, *re.split(r",| and ", value)} if value else ():  # "Alton, Hants"; "Basingstoke and Deane"
            folded = fold_place(part)
            if folded and not folded[0].isdigit():
                places.add(folded)
    return frozenset(places)


def _ages_of(row: Mapping[str, str]) -> tuple[int, int] | None:
    low, high = (row.get(c, "").strip() for c in ("StatutoryLowAge", "StatutoryHighAge"))
    return (int(low), int(high)) if low.isdigit() and high.isdigit() and int(low) <= int(high) else None


def _without_own_place(name: str, places: frozenset[str]) -> str | None:
    """A school's name without the place it ends with, when that place is the school's own and what is left
    still says it is a school: "Budmouth Academy Weymouth" is written "Budmouth Academy", "Oasis Academy
    Sholing" "Oasis Academy" (several schools then share it, told apart by the family's town)."""
    words = name.split()
    for n in (1, 2, 3):
        head, tail = " ".join(words[:-n]), " ".join(words[-n:])
        if len(words) > n + 1 and fold_place(tail) in places and re.search(
                r"(?i)\b(school|academy|college)$", head):
            return head
    return None


def _is_named(name: str) -> bool:
    """Whether a name says it is a school ("Cranbourne School"), not just "Cranbourne"."""
    return bool(re.search(r"(?i)\b(school|academy|college)\b", name))


def _same_stage(a: str, b: str) -> bool:
    unknown = ("", "not applicable")
    return a.lower() in unknown or b.lower() in unknown or a.lower() == b.lower()


def _outward(postcode: str | None) -> str:
    """"SO53 2DW" -> "SO53"; "" when it is no full postcode."""
    compact = re.sub(r"\s+", "", (postcode or "").upper())
    return compact[:-3] if re.fullmatch(r"[A-Z]{1,2}\d[A-Z\d]?\d[A-Z]{2}", compact) else ""


def _area(outward: str) -> str:
    return re.match(r"[A-Z]*", outward).group(0)  # type: ignore[union-attr]


_URN_WRITTEN = re.compile(r"(?i)[\s,;(\[-]*\bURN\b\s*(?:no\.?|number)?\s*[:#.=-]?\s*(?P<urn>\d{6})\b\s*[)\]]?")
# "X, Andover", "X (Andover)", "X in Andover", "X - Andover": a town written after a school's name
_PLACE_SUFFIX = re.compile(r"^(?P<name>.+?)(?:\s*,\s*|\s*\(\s*|\s+-\s+|\s+in\s+)(?P<place>[^,()]+?)\s*\)?\s*$")


class SchoolRegister:
    """The schools of a GIAS-layout register, matched by name.

    Closed schools (EstablishmentStatus "Closed") match by their name like any other. When one open school
    of the same local authority has the same distinctive name and phase (Crofton School, closed when it
    became an academy, and the academy Crofton School; Halterworth Community Primary School and
    Halterworth Primary School), or else when one holds that name whole (Brune Park Community School and
    King's Academy Brune Park), it is taken for the closed one's successor: a name matching the closed
    school gives the open one, and the two are never ambiguous with each other. GIAS's links between
    predecessor and successor are not in the register, so nothing else is taken for a succession: a
    closed school without such an open namesake is matched as itself, with its own name and URN
    (Aldworth School, whatever it became).
    A renamed school's earlier names (PreviousNames) match it under its current name.
    """

    def __init__(self, schools: Iterable[tuple[str, str] | Mapping[str, str]]) -> None:
        rows = [s if isinstance(s, Mapping) else {"URN": s[0], "EstablishmentName": s[1]} for s in schools]
        self._entries: list[_Entry] = []
        self._schools: dict[str, _School] = {}
        self._exact: dict[str, set[str]] = {}
        self._current: dict[str, list[tuple[str, frozenset[str], str | None]]] = {}  # its current name's
        for row in rows:
            urn, name = row["URN"], row["EstablishmentName"]
            status = row.get("EstablishmentStatus (name)", "").lower()
            self._schools[urn] = _School(urn, name, row.get("LA (code)", ""), status == "closed",
                                         _places_of(row, _PLACE_COLUMNS), _places_of(row, _TOWN_COLUMNS),
                                         row.get("Postcode", ""),
                                         row.get("PhaseOfEducation (name)", ""), _ages_of(row))
            self._current[urn] = []
            names = [name] + [n.strip() for n in row.get(PREVIOUS_NAMES, "").split("|") if n.strip()]
            for variant in {v for n in names for v in (n, n.split(",")[0])}:  # "St Peter's ..., Winchester"
                core, phase, faith = _describe(variant)
                if core:
                    self._entries.append(_Entry(name, urn, core, phase, faith))
                    if variant in (name, name.split(",")[0]):
                        self._current[urn].append((core, phase, faith))
                self._exact.setdefault(_bare_name(variant), set()).add(urn)
        self._add_short_names()
        self._successor = self._successors()
        for urns in self._exact.values():
            for urn in list(urns):
                if urn in self._successor:
                    urns.discard(urn)
                    urns.add(self._successor[urn])
        self._by_core: dict[str, list[_Entry]] = {}
        for entry in self._entries:
            self._by_core.setdefault(entry.core, []).append(entry)
        self._cores = set(self._by_core)
        self._by_urn: dict[str, list[_Entry]] = {}  # by the URN a name gives (a successor's, for a closed school)
        for entry in self._entries:
            self._by_urn.setdefault(self._successor.get(entry.urn, entry.urn), []).append(entry)
        self._core_list = list(self._by_core)
        self._longer_cores: dict[str, list[str]] = {}  # "calthorpe" -> ["calthorpe park"]: names a first word begins
        for core in self._core_list:
            if " " in core:
                self._longer_cores.setdefault(core.split(" ", 1)[0], []).append(core)
        self._places = frozenset(p for s in self._schools.values() for p in s.places)
        self._towns = frozenset(p for s in self._schools.values() for p in s.towns)
        self._cache: dict[tuple[str, str | None, str | None], SchoolMatch | None] = {}

    def _add_short_names(self) -> None:
        """Each school's name without the place it ends with ("Budmouth Academy" for Budmouth Academy Weymouth),
        when no other school's name is or begins with that shorter name ("Oasis Academy" is the start of
        several, so it is no one's). Only the shorter name word for word matches, never its distinctive word
        alone."""
        bare = {urn: _bare_name(s.name) for urn, s in self._schools.items()}
        for urn, school in self._schools.items():
            short = _without_own_place(school.name, school.places)
            if not short:
                continue
            key = _bare_name(short)
            if any(other != urn and (b == key or b.startswith(key + " ")) for other, b in bare.items()):
                continue
            self._exact.setdefault(key, set()).add(urn)  # written whole only: "Hope" alone is not Hope Community School

    def _successors(self) -> dict[str, str]:
        """closed URN -> the one open school of its LA with the same distinctive name (else the one whose
        name holds it whole: "Brune Park Community School" -> "King's Academy Brune Park"), the same faith
        and phase, and the same GIAS phase of education when both say it."""
        las = {s.la for s in self._schools.values() if s.closed and s.la}
        by_word: dict[tuple[str, str], list[tuple[_School, str, str | None, frozenset[str]]]] = {}
        for urn, keys in self._current.items():
            school = self._schools[urn]
            if not school.closed and school.la in las:
                for core, phase, faith in keys:
                    for word in set(core.split()):
                        by_word.setdefault((school.la, word), []).append((school, core, faith, phase - _ADDED_PHASES))
        successor: dict[str, str] = {}
        for closed in self._schools.values():
            if not closed.closed or not closed.la:
                continue
            same: set[str] = set()
            within: set[str] = set()
            for core, phase, faith in self._current[closed.urn]:
                wanted = phase - _ADDED_PHASES  # "Weyford Nursery and Primary School" -> "... Academy"
                for school, other, other_faith, other_phase in by_word.get((closed.la, core.split()[0]), []):
                    if other_faith != faith or not _same_stage(closed.stage, school.stage) or not (
                            other_phase == wanted or not wanted and not other_phase & {"infant", "junior"}):
                        continue
                    if other == core:
                        same.add(school.urn)
                    elif f" {core} " in f" {other} " and (" " in core or len(core) >= 6):
                        within.add(school.urn)
            found = same or within
            if len(found) == 1:
                successor[closed.urn] = next(iter(found))
        return successor

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
                schools.append(row)
        if not schools:
            raise RegisterError("school register has no schools")
        return cls(schools)

    def __len__(self) -> int:
        return len(self._schools)

    def name_of(self, urn: str) -> str | None:
        school = self._schools.get(urn)
        return school.name if school else None

    def ages_of(self, urn: str) -> tuple[int, int] | None:
        """The statutory age range of the school `urn` (4, 11), or None when the register does not say."""
        school = self._schools.get(urn)
        return school.ages if school else None

    def postcode_area_of(self, urn: str) -> str | None:
        """The postcode area of the school `urn` ("SO", "GU"), or None when the register gives no postcode."""
        school = self._schools.get(urn)
        return _area(_outward(school.postcode)) or None if school else None

    def town_fits_postcode(self, town: str, postcode: str) -> bool | None:
        """Whether `town` lies in `postcode`'s area ("SO", "RG", "GU") as far as the register's schools say:
        None when the register knows neither, False when schools of that town all have postcodes of
        other areas (a Basingstoke address with an SO postcode)."""
        area = re.match(r"[A-Z]{1,2}", (postcode or "").upper().strip())
        place = fold_place(town or "")
        if not area or not place:
            return None
        if not hasattr(self, "_areas_of_place"):
            areas: dict[str, set[str]] = {}
            for school in self._schools.values():
                a = re.match(r"[A-Z]{1,2}", school.postcode.upper())
                if a:
                    for p in school.places:
                        areas.setdefault(p, set()).add(a.group(0))
            self._areas_of_place = areas
            self._known_areas = {a for s in areas.values() for a in s}
        seen = self._areas_of_place.get(place)
        if not seen or area.group(0) not in self._known_areas:
            return None
        return area.group(0) in seen

    def is_place(self, text: str) -> bool:
        """A town, locality, district or authority some school of the register is in."""
        return fold_place(text) in self._places

    def match(self, name_as_written: str, *, town: str | None = None,
              postcode: str | None = None) -> SchoolMatch | None:
        """The register school `name_as_written` means, or None when none fits well enough or several do.

        Several schools of the same name ("St Joseph's Catholic Primary School" in six authorities) are
        told apart by a town written with the name ("..., Aldershot", "... in Aldershot"), else by `town`
        and `postcode` (the family's address): a school in that town, postcode district or, failing
        those, postcode area ("GU"), when just one of them is. Otherwise the name gets no school.
        A URN written with the name ("Ash Manor School (URN 125271)") gives that school when the name fits it,
        and no school when it does not (or the URN is not in the register)."""
        key = (name_as_written, town, postcode)
        if key in self._cache:
            return self._cache[key]
        if len(self._cache) >= _CACHE_SIZE:
            self._cache.clear()
        written_urn = _URN_WRITTEN.search(name_as_written)
        if _WORSHIP.search(name_as_written) and not (_is_named(name_as_written) or any(_describe(name_as_written)[1:])):
            result = None  # "Kingfisher Community Church": a church, not Kingfisher School
        elif written_urn:  # "Ash Manor School (URN 125271)": that school, if the name fits it; else none
            rest = (name_as_written[:written_urn.start()] + name_as_written[written_urn.end():]).strip(" ,;-")
            urn = self._successor.get(written_urn.group("urn"), written_urn.group("urn"))
            fits = urn in self._schools and self._fits(rest, urn)
            result = SchoolMatch(self._schools[urn].name, urn, 1.0) if fits else None
        else:
            family = ([fold_place(town)] if town and fold_place(town) else [], _outward(postcode))
            result = self._match_name(name_as_written, family)
        self._cache[key] = result
        return result

    def knows(self, name_as_written: str) -> bool:
        """Whether the register has a school of about this name, even when several share it (no match then)."""
        if self._exact.get(_bare_name(name_as_written)):
            return True
        core = _describe(name_as_written)[0]
        return bool(core) and process.extractOne(core, self._core_list, scorer=fuzz.ratio, score_cutoff=92) is not None

    def _match_name(self, name_as_written: str, family: tuple[list[str], str]) -> SchoolMatch | None:
        result = self._match_one(name_as_written, None, family)
        m = _PLACE_SUFFIX.match(name_as_written)
        if result is None and m and self.is_place(m.group("place")):
            result = self._match_one(m.group("name"), fold_place(m.group("place")), family)
        if result is None and "," in name_as_written:
            head, _, rest = name_as_written.partition(",")
            place = rest.split(",")[0].strip(" )")  # "Kings School, Winchester, Hants"
            result = self._match_one(head, fold_place(place) if self.is_place(place) else None, family)
        return result

    def _fits(self, written: str, urn: str) -> bool:
        """Whether `written` is a fair spelling of one of the names of school `urn`."""
        for text in {written, written.split(",")[0]}:
            if urn in self._exact.get(_bare_name(text), ()):
                return True
            core, phase, faith = _describe(text)
            if core and any(self._score(core, phase, faith, e, not _is_named(text)) >= 0.75 for e in self._by_urn.get(urn, ())):
                return True
        return False

    def _match_one(self, written: str, place: str | None,
                   family: tuple[list[str], str]) -> SchoolMatch | None:
        named = _is_named(written)
        exact = self._exact.get(_bare_name(written), set())
        if len(exact) == 1 and (named or not _is_named(self._schools[next(iter(exact))].name)):
            urn = next(iter(exact))  # the register's own name, word for word: "Fernhill School", not its primary
            return SchoolMatch(self._schools[urn].name, urn, 1.0)  # ("Cranbourne": a school called just that)
        if len(exact) > 1 and named:
            urn = self._choose(sorted(exact), place, family)
            return SchoolMatch(self._schools[urn].name, urn, 1.0) if urn else None
        core, phase, faith = _describe(written)
        if not core or len(core) < 3:
            return None
        if not named and not phase and fold_place(written) in self._towns:
            return None  # "Bournemouth", "Winchester": a town, not Bournemouth School or Winchester College
        scored: dict[str, float] = {}
        plain: set[str] = set()  # schools whose best-fitting name has no phase word ("Cranbourne")
        # only names within the closest any match may be (a ratio of 88) are scored: the register is large
        for hit, _, _ in process.extract(core, self._core_list, scorer=fuzz.ratio, score_cutoff=88, limit=None):
            for entry in self._by_core[hit]:
                score = self._score(core, phase, faith, entry, not named)
                urn = self._successor.get(entry.urn, entry.urn)
                if score > scored.get(urn, 0.0) or score == scored.get(urn) and not entry.phase:
                    scored[urn] = score
                    (plain.add if not entry.phase else plain.discard)(urn)
        ranked = sorted(scored.items(), key=lambda kv: kv[1], reverse=True)
        if not ranked or ranked[0][1] < 0.75:
            return None
        tied = [urn for urn, score in ranked if score >= ranked[0][1] - 0.05]
        if len(tied) > 1 and place is None and named and not phase and len(plain & set(tied)) == 1:
            tied = list(plain & set(tied))  # "Cranbourne School" is Cranbourne, not Cranbourne Primary School
        urn = tied[0] if len(tied) == 1 else self._choose(tied, place, family)
        if urn is None:
            return None  # ambiguous: two schools fit as well, and no town says which
        return SchoolMatch(self._schools[urn].name, urn, round(scored[urn], 3))

    def _choose(self, urns: list[str], place: str | None, family: tuple[list[str], str]) -> str | None:
        """The one of several schools of the same name that the written town, else the family's town,
        postcode district or postcode area points to; None when none or several do."""
        schools = [self._schools[u] for u in urns]
        if place is not None:  # the writer said which town: it must be one of them
            schools = [s for s in schools if place in s.places]
        towns, outward = family
        tests = [lambda s: any(t in s.places for t in towns)]
        if outward:
            tests = [lambda s: _outward(s.postcode) == outward, *tests,
                     lambda s: _area(_outward(s.postcode)) == _area(outward)]
        for test in tests:
            if len(schools) <= 1:
                break
            schools = [s for s in schools if test(s)] or schools  # a test no school passes says nothing
        return schools[0].urn if len(schools) == 1 else None

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
        """School names written in prose: (match or None, name as written, start, end), in order.

        A name that several schools share is read with the town written after it ("St Mary's Primary
        in Andover"), and then the town is part of the name as written."""
        found: list[tuple[SchoolMatch | None, str, int, int]] = []
        for m in _SCHOOL_IN_TEXT.finditer(text):
            start, end = m.start("name"), m.end("name")
            start = _skip_leading(text, start, end)
            if start >= end:
                continue
            written = text[start:end]
            if _looks_like_street(text, start, end) or not written[0].isupper() or _IN_THE_STAGE.search(written):
                continue  # "Kai in the juniors, Summer in the infants": a child at a stage, not a school's name
            if not set(_describe(written)[0].split()) - _NOT_A_NAME:
                continue  # "Home School", "Her Primary School", "Previous School"
            match = self.match(written)
            if match is None:
                after = _PLACE_AFTER.match(text, end)
                if after:
                    words = after.group("place").split()
                    for n in range(len(words), 0, -1):
                        place = " ".join(words[:n])
                        if self.is_place(place):
                            longer = text[start:after.start("place")] + place
                            match = self.match(longer)
                            if match is not None:
                                end = after.start("place") + len(place)
                                if after.group("paren") and text.startswith(")", end):
                                    end += 1
                                written = text[start:end]
                            break
            if match is None and re.search(r"\b(?:primary|Prim)$", written) and (
                    not self.knows(written) or self.is_place(written.rsplit(None, 1)[0])):
                continue  # "a Salisbury primary": a kind of school in a town, unless the register knows the name
            found.append((match, written, start, end))
        for m in _BARE_CONTEXT.finditer(text):
            start, end = m.start("name"), m.end("name")
            if any(s <= start < e for _, _, s, e in found) or _looks_like_street(text, start, end):
                continue
            written = text[start:end]
            match = self.match(written)  # never a town: "she was at Winchester" is not Winchester College
            if match and _describe(written)[0] in self._cores:
                found.append((match, written, start, end))
            elif match is None and (fuller := self._only_core_starting(written)):
                found.append((self.match(fuller), written, start, end))  # "left Calthorpe in Y10": Calthorpe Park
        for m in _SMALL_BARE.finditer(text):
            start, words = m.start("name"), m.group("name").split()
            if any(s <= start < e for _, _, s, e in found):
                continue
            for n in range(len(words), 0, -1):  # the longest run of words that is a school's whole name
                written = " ".join(words[:n])
                end = start + len(written)
                if (set(words[:n]) & _NOT_A_NAME or self.is_place(written) or is_given_name(written)
                        or _looks_like_street(text, start, end)):
                    continue
                match = self.match(written.title())
                if match is not None and match.score >= 0.95 and _describe(written)[0] in self._cores:
                    found.append((match, written, start, end))  # "was at everest before": Everest Community Academy
                    break
        for m in _SMALL_LETTERS.finditer(text):
            start, end = m.start("name"), m.end("name")
            written = text[start:end]
            if any(s < end and start < e for _, _, s, e in found) or _looks_like_street(text, start, end):
                continue  # only what the capitals' reading could not see
            match = self.match(written)
            if match is not None and match.score >= 0.95:
                found.append((match, written, start, end))
        found.sort(key=lambda t: t[2])
        return found


    def _only_core_starting(self, written: str) -> str | None:
        """The one school name that a single written word begins ("Calthorpe" for Calthorpe Park School), when the
        word is no place, no given name, and begins no other school's name."""
        core = _describe(written)[0]
        if " " in core or len(core) < 4 or self.is_place(written) or is_given_name(written):
            return None
        fuller = self._longer_cores.get(core, [])
        if len(fuller) != 1 or self.match(fuller[0]) is None:
            return None
        return fuller[0]


# a place of worship named as itself ("Riverside Community Church"), not a church school ("St Mary's Church of England ...")
_WORSHIP = re.compile(r"(?i)\b(?:church|chapel|mosque|temple|gurdwara|synagogue|fellowship)\b(?![ \t]+of[ \t]+england)")
_IN_THE_STAGE = re.compile(r"(?i)\bin[ \t]+the[ \t]+(?:juniors?|infants?|primary|nursery|reception)$")
_NOT_A_NAME = {"home", "new", "previous", "current", "last", "local", "this", "that", "his", "her", "their",
               "virtual", "same", "other", "independent", "private", "boarding", "state", "secondary", "primary",
               "a", "an", "any", "our", "your", "my", "next", "first", "old", "destination", "receiving"}
_CAP = r"(?:St\.|[A-Z][\w’'ʼ\-]*)"
_LINK = r"(?:of|the|and|&|de|la|le|upon|on|in|C of E|CofE|CE|RC)"
_KIND = (r"(?:(?:Primary|Junior|Infant|Infants|Juniors|Jnr|Inf|Community|High|Secondary|Grammar|"
         r"Church of England|C of E|CofE|CE|Catholic|RC|Aided|Controlled|Nursery|Special|Free|"
         r"Voluntary|Academy|Studio|Sixth Form)[ \t]+)*")
_SCHOOL_IN_TEXT = re.compile(
    r"(?P<name>" + _CAP + r"(?:[ \t]+(?:" + _CAP + r"|" + _LINK + r")){0,7}?[ \t]+" + _KIND
    + r"(?:School|Academy|College|Primary|(?i:juniors?|infants?|primary)|Jnr|Inf|Prim)(?:[ \t]+(?:and|&)[ \t]+Nursery)?)\b"
)
_SCHOOL_CUE = (
    r"(?i:\b(?:attends|attended|attending|(?:is|was|were|pupil|on roll|registered|been|both) at|roll of|"
    r"used to go(?: to)?|goes to|went to|go(?:es)? to school at|attendance at|started (?:with us )?at|a place at|"
    r"(?:student|pupil)s? at|admitted to|(?:year|yr|y)[ \t]?\d{1,2} at|(?:moved|went|gone) up to|"
    r"(?:kicked|thrown|taken|took|pulled)(?: (?:him|her|them|(?-i:[A-Z][a-z]+)))? out of|"
    r"(?:excluded|expelled|removed) from|(?:left|leave|leaving)|finished (?:at|with)|(?:been|gone|going) (?:back )?to|"
    # the school as someone written to: "emailed Crookhorn", "sent a letter to the Hurst"
    r"(?:emailed|e-mailed|rang|phoned|contacted|(?:wrote|written|letter|spoke|spoken|talked) to)|"
    # a child's list line, the column after the date of birth: "Ruby Lane - 12/06/2011 - John Hanson (yr 7)"
    + NUMERIC_DATE + r"[ \t]*[-–|])"
    r"\s+(?:the\s+)?\(?)"
)
_BARE_CONTEXT = re.compile(_SCHOOL_CUE + r"(?P<name>" + _CAP + r"(?:[ \t]+" + _CAP + r"){0,3})")
# a school written in small letters, ending in the kind of school: "used to go to wootey infants"
_SMALL_LETTERS = re.compile(_SCHOOL_CUE + r"(?P<name>(?:[A-Za-z][\w’'-]*[ \t]+){1,4}?"
                            r"(?i:school|primary|juniors?|infants?|academy|college))\b")
_PLACE_AFTER = re.compile(  # a town after a school's name: ", Andover", " (Andover)", " in Andover"
    r"(?:[ \t]*,[ \t]*|[ \t]*(?P<paren>\()[ \t]*|[ \t]+in[ \t]+)"
    r"(?P<place>[A-Z][\w’'ʼ\-]*(?:[ \t]+(?:[A-Z][\w’'ʼ\-]*|on|upon|by|under|le|in|the)){0,3})"
)
# a school's name written all in small letters and without its kind: "in year 10 at harrow way"
_SMALL_BARE = re.compile(_SCHOOL_CUE + r"(?P<name>[a-z][a-z’'-]+(?:[ \t]+[a-z][a-z’'-]+){0,2})")
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
