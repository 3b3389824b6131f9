"""Pseudonymising a labelled message, so a labelled sample can leave the council without a child's data.

`Pseudonyms` keeps, for one export, which invented value stands for which real one, so the same
person is renamed the same way in every message and label of the export. For each label it finds
the label's own values (names, dates of birth, addresses, postcodes, phones, emails, UPNs) and
replaces them, and their obvious variants (upper case, a first name alone, a surname after a
title, a phone with or without spaces or +44, a date of birth written 07/01/2013, 7.1.13 or 7th
January 2013, a street with its suffix shortened), wherever they occur in the message's text; a
name of any label of the export is replaced in every message; every other email address keeps its
domain but gets an invented mailbox, and every other UK phone number becomes an invented one. Invented values come from small
built-in lists: phones in 07700 900xxx, emails @example.com, postcodes in the fake district ZZ99.

What it cannot know it cannot replace: a name that is in the text but not in the label (a
signature, a sibling nobody recorded) stays. Pure: no I/O.
"""
from __future__ import annotations

import calendar
import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from typing import Any, Callable

from extraction.scoring import UPN_LETTERS, norm_phone

FEMALE_NAMES = ("Amber", "Cressida", "Elspeth", "Gwendolyn", "Imelda", "Marigold", "Ottilie", "Rosalind", "Tamsin",
                "Verity", "Xanthe", "Zinnia", "Bryony", "Clemency", "Delphine", "Honora")
MALE_NAMES = ("Bramwell", "Dorian", "Fenwick", "Horatio", "Jericho", "Lysander", "Nathaniel", "Peregrine", "Quentin",
              "Sebastian", "Ulysses", "Wilfred", "Alaric", "Barnaby", "Crispin", "Evander")
FIRST_NAMES = ("Kestrel", "Yardley", "Rowan", "Sorrel", "Linden", "Marlowe", "Perrin", "Tamar", "Wren", "Ashby")
FEMALE = {"female", "f", "girl", "mother", "stepmother", "grandmother", "aunt", "mrs", "ms", "miss"}
MALE = {"male", "m", "boy", "father", "stepfather", "grandfather", "uncle", "mr", "master"}
SURNAMES = ("Ashcombe", "Birchwood", "Cobbleford", "Dunmere", "Elderwick", "Farrowdale", "Gorsebrook", "Hazelmere",
            "Ivybridge", "Juniperlow", "Kettleby", "Larchmont", "Mossfield", "Nettlecombe", "Oakhanger", "Pebblesworth",
            "Quarrendon", "Rushmere", "Sedgewick", "Thornbury", "Umberleigh", "Vetchfield", "Willowmere", "Yarrowby")
STREETS = ("Acacia Road", "Beech Grove", "Chestnut Avenue", "Damson Close", "Elm Crescent", "Fern Lane",
           "Gooseberry Way", "Hawthorn Drive", "Iris Gardens", "Juniper Court", "Kingfisher Walk", "Laurel Place")
TOWNS = ("Fakebury", "Notton", "Imaginham", "Pretendon", "Mockford", "Shamley Green-on-Sea")
SUFFIXES = {"road": ("road", "rd"), "avenue": ("avenue", "ave", "av"), "close": ("close", "cl"),
            "drive": ("drive", "dr"), "lane": ("lane", "ln"), "crescent": ("crescent", "cres"),
            "gardens": ("gardens", "gdns"), "court": ("court", "ct"), "place": ("place", "pl"),
            "square": ("square", "sq"), "terrace": ("terrace", "tce"), "street": ("street", "st"),
            "way": ("way",), "grove": ("grove", "gr"), "walk": ("walk",), "rise": ("rise",), "view": ("view",)}
TITLES = {"mr", "mrs", "ms", "miss", "mx", "dr", "prof", "master"}
PHONE = re.compile(r"(?<![\w+])(?:(?:\+|00)\s*44\s*(?:\(0\)\s*)?|\(?0)\d(?:[\s\-.()]{0,2}\d){8,9}(?![\d])")
EMAIL = re.compile(r"[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@([A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+)")


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", text)
    return "".join(c for c in text if not unicodedata.combining(c)).casefold()


def _key(text: str) -> str:
    """A value compared with others: folded, without spaces."""
    return re.sub(r"\s+", "", _fold(text))


def _unaccented(text: str) -> str:
    text = unicodedata.normalize("NFKD", text)
    return unicodedata.normalize("NFC", "".join(c for c in text if not unicodedata.combining(c)))


def _cased_like(found: str, invented: str) -> str:
    """`invented` in the case `found` was written in (UPPER, lower or as invented)."""
    letters = [c for c in found if c.isalpha()]
    if letters and all(c.isupper() for c in letters) and len(letters) > 1:
        return invented.upper()
    if letters and all(c.islower() for c in letters):
        return invented.lower()
    return invented


def _pick(options: tuple[str, ...], n: int) -> str:
    """The n-th invented value: the list, then its words joined in twos, threes ... (never runs out, never repeats)."""
    parts = [options[n % len(options)]]
    n //= len(options)
    while n:
        n -= 1
        parts.append(options[n % len(options)])
        n //= len(options)
    return "-".join(parts)


def _upn_with_check(digits: str) -> str:
    total = sum(weight * int(ch) for weight, ch in zip(range(2, 14), digits))
    return UPN_LETTERS[total % 23] + digits


@dataclass(frozen=True)
class Replacement:
    pattern: re.Pattern[str]
    replace: Callable[[re.Match[str]], str]


@dataclass(frozen=True)
class Pseudonymised:
    """One message pseudonymised: its header values, its text and its label."""

    sender: str
    to: str
    subject: str
    text: str
    label: dict[str, Any]


class Pseudonyms:
    """The invented values of one export: the same real value always gets the same invented one."""

    def __init__(self, labels: list[dict[str, Any]] = ()) -> None:  # type: ignore[assignment]
        self.names: dict[str, str] = {}  # folded name word -> invented word
        self.real_words: dict[str, str] = {}  # folded name word -> a real spelling of it
        self.kinds: dict[str, int] = {"first": 0, "female": 0, "male": 0, "surname": 0}
        self.values: dict[tuple[str, str], str] = {}  # (kind, normalised real value) -> invented value
        self.avoid: set[str] = set()  # the export's real values and their words: no invented value is one of them
        self._names_rule: tuple[int, Replacement | None] = (-1, None)
        for label in labels:
            self._collect(label)
        self.avoid.discard("")
        for label in labels:  # every name of the export is known before the first message is written
            self.pseudonymise(label, "", "", "", "")

    def _collect(self, value: Any) -> None:
        if isinstance(value, dict):
            for item in value.values():
                self._collect(item)
        elif isinstance(value, list):
            for item in value:
                self._collect(item)
        elif isinstance(value, str):
            self.avoid.add(_key(value))
            self.avoid.update(_key(w.strip(".,")) for w in value.split())
            if re.fullmatch(r"[\d\s+()-]{10,}", value):
                self.avoid.add(_key(norm_phone(value)))

    # --- invented values ---------------------------------------------------------------------------

    def _invent(self, kind: str, key: str, make: Callable[[int], str]) -> str:
        found = self.values.get((kind, key))
        if found is None:
            n = sum(1 for k, _ in self.values if k == kind)
            while _key(make(n)) in self.avoid or (norm_phone(make(n)) or "-") in self.avoid:
                n += 1
            found = make(n)
            self.values[(kind, key)] = found
        return found

    def _word(self, word: str, kind: str) -> str:
        key = _fold(word)
        self.real_words.setdefault(key, word)
        if key not in self.names:
            options = {"first": FIRST_NAMES, "female": FEMALE_NAMES, "male": MALE_NAMES}.get(kind, SURNAMES)
            while any(_key(part) in self.avoid for part in (_pick(options, self.kinds[kind]), *_pick(options, self.kinds[kind]).split("-"))):
                self.kinds[kind] += 1
            self.names[key] = _pick(options, self.kinds[kind])
            self.kinds[kind] += 1
        return self.names[key]

    def _name(self, value: str, surname_last: bool, kind: str = "first") -> tuple[str, list[str]]:
        """A name's invented form and its real words to replace in the text (titles and initials stay)."""
        words, out, real = value.split(), [], []
        title = _fold(words[0].strip(".,")) if words else ""
        kind = "female" if title in FEMALE else "male" if title in MALE else kind
        for i, word in enumerate(words):
            bare = word.strip(".,")
            if _fold(bare) in TITLES or len(bare) <= 1:
                out.append(word)
                continue
            word_kind = "surname" if (surname_last and i == len(words) - 1 and len(words) > 1) else kind
            out.append(word.replace(bare, self._word(bare, word_kind)))
            real.append(bare)
        return " ".join(out), real

    def _date(self, value: str) -> str:
        def make(n: int) -> str:
            real = date.fromisoformat(value)
            month = (real.month + 4 + n) % 12 + 1
            return date(real.year, month, (real.day * 7 + n) % 28 + 1).isoformat()
        return self._invent("dob", value, make)

    def _phone(self, value: str) -> str:
        return self._invent("phone", norm_phone(value), lambda n: f"07700900{100 + n % 900:03d}")

    def _email(self, value: str, owner: str | None) -> str:
        def make(n: int) -> str:
            slug = re.sub(r"[^a-z]+", ".", _fold(owner or "")).strip(".") or "person"
            return f"{slug}.{n + 1}@example.com"
        return self._invent("email", value.strip().lower(), make)

    def _postcode(self, value: str) -> str:
        key = re.sub(r"\s+", "", value).upper()
        return self._invent("postcode", key, lambda n: f"ZZ99 {n % 10}{'ABDEFGHJLN'[n // 10 % 10]}{'PQRSTUWXYZ'[n // 100 % 10]}")

    def _upn(self, value: str) -> str:
        key = re.sub(r"\s+", "", value).upper()
        return self._invent("upn", key, lambda n: _upn_with_check(f"{999000000000 + n:012d}"))

    # --- one message -------------------------------------------------------------------------------

    def pseudonymise(self, label: dict[str, Any], sender: str, to: str, subject: str, text: str) -> Pseudonymised:
        """The message's header values and text with every value of its label replaced, and its label too."""
        label = _copy(label)
        rules: list[Replacement] = []
        referrer = label.get("referrer") or {}
        people = [referrer] + [p for p in label.get("parents_carers") or () if isinstance(p, dict)]
        for person in people:
            if isinstance(person.get("name"), str):
                kind = _kind_of(person.get("relationship"))
                person["name"], _ = self._name(person["name"], surname_last=True, kind=kind)
        for child in label.get("children") or ():
            if not isinstance(child, dict):
                continue
            for key, kind in (("first_name", _kind_of(child.get("gender"))), ("last_name", "surname")):
                if isinstance(child.get(key), str):
                    child[key], _ = self._name(child[key], surname_last=False, kind=kind)
            if isinstance(child.get("date_of_birth"), str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", child["date_of_birth"]):
                real_dob = child["date_of_birth"]
                child["date_of_birth"] = self._date(real_dob)
                rules += _date_rules(real_dob, child["date_of_birth"])
            if isinstance(child.get("upn"), str):
                real_upn = child["upn"]
                child["upn"] = self._upn(real_upn)
                rules.append(Replacement(_spaced(re.sub(r"\s+", "", real_upn)), _const(child["upn"])))
            address = child.get("address") if isinstance(child.get("address"), dict) else {}
            if isinstance(address.get("postcode"), str):
                real_pc = address["postcode"]
                address["postcode"] = self._postcode(real_pc)
                rules.append(Replacement(_spaced(re.sub(r"\s+", "", real_pc)), _const(address["postcode"])))
            if isinstance(address.get("line1"), str):
                real_line, invented = address["line1"], self._invent("street", _fold(address["line1"]),
                                                                      lambda n: f"{(n * 7) % 90 + 3} {_pick(STREETS, n)}")
                address["line1"] = invented
                rules += _street_rules(real_line, invented)
            if isinstance(address.get("town"), str) and address["town"].strip():
                real_town = address["town"]
                address["town"] = self._invent("town", _fold(real_town), lambda n: _pick(TOWNS, n))
                rules.append(Replacement(_words_pattern(real_town), _cased(address["town"])))
        contacts = [(referrer, referrer.get("name"))]
        contacts += [(p, p.get("name")) for p in label.get("parents_carers") or () if isinstance(p, dict)]
        email_rules, phone_rules = [], []
        for person, owner in contacts:
            if isinstance(person.get("email"), str) and person["email"].strip():
                real_email = person["email"].strip()
                person["email"] = self._email(real_email, owner)
                email_rules.append(Replacement(re.compile(r"(?<![\w.+-])" + re.escape(real_email) + r"(?![\w-])",
                                                          re.IGNORECASE), _const(person["email"])))
            if isinstance(person.get("phone"), str) and len(norm_phone(person["phone"])) >= 10:
                real_phone = person["phone"]
                person["phone"] = self._phone(real_phone)
                phone_rules.append(Replacement(_phone_pattern(real_phone),
                                               _const(f"{person['phone'][:5]} {person['phone'][5:]}")))
        ordered = (email_rules + [Replacement(EMAIL, self._other_email)] + phone_rules
                   + [Replacement(PHONE, self._other_phone)] + rules + self._name_rules())

        def apply(value: str) -> str:
            # each invented value is parked behind a private-use placeholder until every rule has run, so a
            # later rule never rewrites an earlier one's invented value (an invented "Amber" is not a real one)
            parked: list[str] = []

            def park(rule: Replacement) -> Callable[[re.Match[str]], str]:
                def replace(m: re.Match[str]) -> str:
                    parked.append(rule.replace(m))
                    return f"\ue000{chr(0xE100 + len(parked) - 1)}\ue000"
                return replace

            value = value.replace("\ue000", "")
            for rule in ordered:
                value = rule.pattern.sub(park(rule), value)
            return re.sub("\ue000(.)\ue000", lambda m: parked[ord(m.group(1)) - 0xE100], value)

        return Pseudonymised(apply(sender), apply(to), apply(subject), apply(text), label)

    def _name_rules(self) -> list[Replacement]:
        """Every name word of the export (not only this label's), as whole words, any case, accents or not."""
        count, rule = self._names_rule
        if count != len(self.real_words):
            forms = {f for w in self.real_words.values() for f in (w, _unaccented(w))}
            alts = "|".join(map(re.escape, sorted(forms, key=len, reverse=True)))  # "Mary-Jane" before "Mary"
            pattern = re.compile(rf"(?<![\w])(?:{alts})(?![\w])", re.IGNORECASE) if forms else None
            rule = Replacement(pattern, lambda m: _cased_like(m.group(0), self.names.get(_fold(m.group(0)), "Someone"))) if pattern else None
            self._names_rule = (len(self.real_words), rule)
        return [rule] if rule is not None else []

    def _other_phone(self, match: re.Match[str]) -> str:
        """A UK phone number the label does not hold: an invented one in 01632 960xxx."""
        invented = self._invent("other_phone", norm_phone(match.group(0)), lambda n: f"01632960{n % 1000:03d}")
        return f"{invented[:5]} {invented[5:]}"

    def _other_email(self, match: re.Match[str]) -> str:
        """An address the label does not hold: its domain stays, its mailbox is invented."""
        found, domain = match.group(0), match.group(1).lower()
        if domain == "hants.gov.uk" or domain.endswith(".hants.gov.uk"):  # the council's own team addresses
            return found
        return self._invent("other_email", found.lower(), lambda n: f"contact{n + 1}@{domain}")


def _kind_of(value: Any) -> str:
    """Which list a first name is drawn from: by the child's gender or the parent's relationship."""
    word = _fold(str(value or "")).strip()
    return "female" if word in FEMALE else "male" if word in MALE else "first"


def _copy(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _copy(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_copy(v) for v in value]
    return value


def _const(invented: str) -> Callable[[re.Match[str]], str]:
    return lambda _m: invented


def _cased(invented: str) -> Callable[[re.Match[str]], str]:
    return lambda m: _cased_like(m.group(0), invented)


def _words_pattern(value: str) -> re.Pattern[str]:
    """A name or town as whole words, any case, with or without its accents, spaces flexible."""
    variants = {value.strip(), _unaccented(value.strip())}
    alts = "|".join(r"\s+".join(map(re.escape, v.split())) for v in sorted(variants, key=len, reverse=True))
    return re.compile(rf"(?<![\w])(?:{alts})(?![\w])", re.IGNORECASE)


def _spaced(compact: str) -> re.Pattern[str]:
    """A code (postcode, UPN) with or without spaces between its characters, any case."""
    return re.compile(r"(?<![\w])" + r"\s?".join(map(re.escape, compact)) + r"(?![\w])", re.IGNORECASE)


def _phone_pattern(value: str) -> re.Pattern[str]:
    digits = norm_phone(value)
    core = digits[1:] if digits.startswith("0") else digits
    sep = r"[\s\-.()]*"
    return re.compile(r"(?<![\d+])(?:(?:\+|00)\s*44\s*(?:\(0\)\s*)?|\(?0)" + sep.join(core) + r"(?!\d)")


def _date_rules(real: str, invented: str) -> list[Replacement]:
    d, new = date.fromisoformat(real), date.fromisoformat(invented)
    day, month = rf"0?{d.day}", rf"0?{d.month}"
    year = rf"(?:{d.year}|{d.year % 100:02d})"
    numeric = re.compile(rf"(?<![\d/.-]){day}\s?([/.\-])\s?{month}\s?\1\s?{year}(?![\d])")
    names = rf"(?:{calendar.month_name[d.month]}|{calendar.month_abbr[d.month]}\.?)"
    ordinal = rf"{day}(?:st|nd|rd|th)?"
    words = re.compile(rf"(?<![\d]){ordinal}\s+(?:of\s+)?{names},?\s+'?{year}(?![\d])"
                       rf"|(?<![\w]){names}\s+{ordinal},?\s+'?{year}(?![\d])", re.IGNORECASE)
    return [Replacement(re.compile(rf"(?<!\d){re.escape(real)}(?!\d)"), _const(invented)),
            Replacement(numeric, _const(new.strftime("%d/%m/%Y"))),
            Replacement(words, _const(f"{new.day} {calendar.month_name[new.month]} {new.year}"))]


def _street_rules(real: str, invented: str) -> list[Replacement]:
    """The first line of an address: whole, and its street with the suffix written out or shortened."""
    words = real.replace(",", " ").split()
    number = next((w for w in words if re.fullmatch(r"\d+[A-Za-z]?", w)), None)
    street = words[words.index(number) + 1:] if number else words
    invented_number, _, invented_street = invented.partition(" ")
    rules = [Replacement(_words_pattern(real), _cased(invented))]
    if not street:
        return rules
    suffix = next((k for k, forms in SUFFIXES.items() if _fold(street[-1]).rstrip(".") in forms), None)
    core = street[:-1] if suffix else street
    if not core:
        return rules
    core_pattern = r"\s+".join(re.escape(w) for w in core)
    tail = r"\s+(?:" + "|".join(SUFFIXES[suffix]) + r")\b\.?" if suffix else ""
    lead = rf"(?:(?<![\w]){re.escape(number)},?\s+)?" if number else ""
    pattern = re.compile(rf"{lead}(?<![\w]){core_pattern}{tail}(?![\w])", re.IGNORECASE)

    def replace(m: re.Match[str]) -> str:
        found = m.group(0)
        with_number = bool(number) and found.lower().startswith(number.lower())
        return _cased_like(found, f"{invented_number} {invented_street}" if with_number else invented_street)

    return rules + [Replacement(pattern, replace)]
