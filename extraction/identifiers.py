"""Identifiers written in text: UPNs, postcodes, UK phone numbers, email addresses.

Owns validation and normalisation (domain.md §3.4-3.5) and the council a postcode belongs to.
Each finder returns `Found(value, start, end, problem)`: `value` is the normalised value, or
None when the text looks like the identifier but fails validation (`problem` says why).
"""
from __future__ import annotations

import re
from typing import NamedTuple

import phonenumbers
from stdnum.exceptions import ValidationError
from stdnum.gb import upn as stdnum_upn


class Found(NamedTuple):
    value: str | None  # normalised value; None when invalid
    start: int
    end: int
    problem: str | None = None


# --- UPN -------------------------------------------------------------------------------------
_UPN = re.compile(r"(?<![A-Za-z0-9])([A-Za-z](?:[ \t\-]?\d){11}[ \t\-]?[0-9A-Za-z])(?![A-Za-z0-9])")


def normalise_upn(raw: str) -> str | None:
    """The 13-character UPN when `raw` is one with a valid check letter, else None."""
    compact = re.sub(r"[\s\-]+", "", raw).upper()
    try:
        return stdnum_upn.validate(compact)
    except ValidationError as exc:
        # an LA code newer than stdnum's list (e.g. 839, BCP since 2019) still has a checkable letter
        if exc.__class__.__name__ == "InvalidComponent" and stdnum_upn.calc_check_digit(compact[1:]) == compact[0]:
            return compact
        return None


def upn_problem(raw: str) -> str | None:
    """Why `raw` is not a valid UPN (None when it is)."""
    compact = re.sub(r"[\s\-]+", "", raw).upper()
    if normalise_upn(compact):
        return None
    try:
        stdnum_upn.validate(compact)
    except ValidationError as exc:
        return f"UPN {compact} is not valid ({exc.message.rstrip('.').lower()})"
    return None


def find_upns(text: str) -> list[Found]:
    """UPN-shaped strings (spaces allowed inside); invalid ones carry value None and a problem."""
    out = []
    for m in _UPN.finditer(text):
        raw = m.group(1)
        value = normalise_upn(raw)
        out.append(Found(value, m.start(1), m.end(1), None if value else upn_problem(raw)))
    return out


# --- postcodes -------------------------------------------------------------------------------
_POSTCODE = re.compile(
    r"(?<![A-Za-z0-9])(GIR ?0AA|[A-PR-UWYZ](?:[0-9]{1,2}|[A-HK-Y][0-9]{1,2}|[0-9][A-HJKPSTUW]"
    r"|[A-HK-Y][0-9][ABEHMNPRVWXY])[ \t]{0,2}[0-9][ABD-HJLNP-UW-Z]{2})(?![A-Za-z0-9])",
    re.IGNORECASE,
)


def normalise_postcode(raw: str) -> str | None:
    """Upper case with one space before the inward code ("rg214ab" -> "RG21 4AB"); None if not a postcode."""
    compact = re.sub(r"\s+", "", raw).upper()
    if not _POSTCODE.fullmatch(compact):
        return None
    return f"{compact[:-3]} {compact[-3:]}"


def find_postcodes(text: str) -> list[Found]:
    """Postcodes in `text` (any case, space optional), normalised."""
    out = []
    for m in _POSTCODE.finditer(text):
        raw = m.group(1)
        # all-lower-case words like "so14aa" are rare in prose, but a lower-case match must
        # still be a plausible postcode: require a digit in the outward code (the regex does)
        value = normalise_postcode(raw)
        if value:
            out.append(Found(value, m.start(1), m.end(1)))
    return out


_AREA_NAMES = {
    "AB": "Aberdeen", "AL": "St Albans", "B": "Birmingham", "BA": "Bath", "BB": "Blackburn",
    "BD": "Bradford", "BH": "Dorset", "BL": "Bolton", "BN": "Brighton", "BR": "Bromley",
    "BS": "Bristol", "BT": "Northern Ireland", "CA": "Carlisle", "CB": "Cambridge", "CF": "Cardiff",
    "CH": "Chester", "CM": "Chelmsford", "CO": "Colchester", "CR": "Croydon", "CT": "Canterbury",
    "CV": "Coventry", "CW": "Crewe", "DA": "Dartford", "DD": "Dundee", "DE": "Derby", "DG": "Dumfries",
    "DH": "Durham", "DL": "Darlington", "DN": "Doncaster", "DT": "Dorset", "DY": "Dudley",
    "E": "London", "EC": "London", "EH": "Edinburgh", "EN": "Enfield", "EX": "Exeter", "FK": "Falkirk",
    "FY": "Blackpool", "G": "Glasgow", "GL": "Gloucester", "GU": "Surrey", "HA": "Harrow",
    "HD": "Huddersfield", "HG": "Harrogate", "HP": "Hemel Hempstead", "HR": "Hereford",
    "HS": "Outer Hebrides", "HU": "Hull", "HX": "Halifax", "IG": "Ilford", "IP": "Ipswich",
    "IV": "Inverness", "KA": "Kilmarnock", "KT": "Kingston upon Thames", "KW": "Kirkwall",
    "KY": "Kirkcaldy", "L": "Liverpool", "LA": "Lancaster", "LD": "Llandrindod Wells",
    "LE": "Leicester", "LL": "Llandudno", "LN": "Lincoln", "LS": "Leeds", "LU": "Luton",
    "M": "Manchester", "ME": "Medway", "MK": "Milton Keynes", "ML": "Motherwell", "N": "London",
    "NE": "Newcastle upon Tyne", "NG": "Nottingham", "NN": "Northampton", "NP": "Newport",
    "NR": "Norwich", "NW": "London", "OL": "Oldham", "OX": "Oxford", "PA": "Paisley",
    "PE": "Peterborough", "PH": "Perth", "PL": "Plymouth", "PO": "West Sussex", "PR": "Preston",
    "RG": "Berkshire", "RH": "Redhill", "RM": "Romford", "S": "Sheffield", "SA": "Swansea",
    "SE": "London", "SG": "Stevenage", "SK": "Stockport", "SL": "Slough", "SM": "Sutton",
    "SN": "Swindon", "SO": "Southampton", "SP": "Wiltshire", "SR": "Sunderland", "SS": "Southend-on-Sea",
    "ST": "Stoke-on-Trent", "SW": "London", "SY": "Shrewsbury", "TA": "Taunton", "TD": "Galashiels",
    "TF": "Telford", "TN": "Tonbridge", "TQ": "Torquay", "TR": "Truro", "TS": "Cleveland",
    "TW": "Twickenham", "UB": "Southall", "W": "London", "WA": "Warrington", "WC": "London",
    "WD": "Watford", "WF": "Wakefield", "WN": "Wigan", "WR": "Worcester", "WS": "Walsall",
    "WV": "Wolverhampton", "YO": "York", "ZE": "Shetland",
}
# Districts wholly or mainly in Hampshire in the areas touching the county (domain.md §3.4).
_HAMPSHIRE = {
    "SO": set(range(20, 25)) | set(range(30, 33)) | set(range(40, 46)) | set(range(50, 54)),
    "PO": set(range(7, 18)),
    "GU": {10, 11, 12, 13, 14, 17, 26, 30, 31, 32, 33, 34, 35, 46, 51, 52},
    "RG": {7, 19, 20} | set(range(21, 30)),
    "SP": {5, 6, 9, 10, 11},
    "BH": {23, 24, 25},
}
# Districts split between Hampshire and a neighbour: a full-postcode lookup decides.
_SPLIT = {("GU", 10), ("GU", 12), ("GU", 26), ("GU", 30), ("GU", 31), ("GU", 33), ("GU", 47),
          ("RG", 7), ("RG", 19), ("RG", 20), ("SP", 5), ("SP", 6), ("SP", 9), ("SP", 11),
          ("BH", 23), ("BH", 24), ("PO", 10), ("SO", 16), ("SO", 18), ("SO", 19), ("PO", 6)}
_OUTWARD = re.compile(r"([A-Z]{1,2})(\d{1,2})[A-Z]?")


def _district(postcode: str) -> tuple[str, int] | None:
    normal = normalise_postcode(postcode)
    if not normal:
        return None
    m = _OUTWARD.fullmatch(normal.split()[0])
    return (m.group(1), int(m.group(2))) if m else None


def postcode_area(postcode: str) -> str:
    """The council whose CME team covers `postcode`, by district (domain.md §3.4).

    "hampshire", "southampton", "portsmouth", "isle_of_wight", "other:<name>" or "unknown".
    """
    district = _district(postcode)
    if district is None:
        return "unknown"
    area, n = district
    if area == "SO" and n in (14, 15, 16, 17, 18, 19):
        return "southampton"
    if area == "PO" and 1 <= n <= 6:
        return "portsmouth"
    if area == "PO" and 30 <= n <= 41:
        return "isle_of_wight"
    if n in _HAMPSHIRE.get(area, ()):
        return "hampshire"
    if area == "PO":
        return "other:West Sussex"
    if (area, n) == ("GU", 47):
        return "other:Bracknell Forest"
    if area == "SO":
        return "unknown"
    return "other:" + _AREA_NAMES.get(area, area)


def postcode_district_split(postcode: str) -> bool:
    """True when the postcode's district is split between councils (only a full lookup is sure)."""
    return _district(postcode) in _SPLIT


# --- phones ----------------------------------------------------------------------------------
_PHONE = re.compile(
    r"(?<![\w+])((?:\+|00)\s?44\s?(?:\(0\)\s?)?\d|\(?0\d)[\d \-()]{7,14}\d(?![\d])"
)
_NOT_PHONE_CONTEXT = re.compile(
    r"(?i)(?:incident|crime|occurrence|log|ref(?:erence)?|case|submission|form|upn|urn|nhs|"
    r"serial|order|invoice|ticket)\s*(?:no\.?|number|num|#|id)?\s*[:.\-]?\s*$"
)


def normalise_phone(raw: str) -> str | None:
    """UK national digits without spaces ("+44 7700 900123" -> "07700900123"), or None.

    Numbers libphonenumber calls possible are accepted (drama numbers are not "valid").
    """
    if len(re.sub(r"\D", "", raw)) > 15:
        return None
    try:
        number = phonenumbers.parse(raw, "GB")
    except phonenumbers.NumberParseException:
        return None
    if number.country_code != 44 or not phonenumbers.is_possible_number(number):
        return None
    national = "0" + phonenumbers.national_significant_number(number)
    if not re.fullmatch(r"0[1-9]\d{8,9}", national):
        return None
    if national[1] != "1" and len(national) != 11:
        return None  # only some 01 area codes have 10 digits
    return national


def find_phones(text: str) -> list[Found]:
    """UK phone numbers in `text`; numbers labelled as incident/reference numbers are skipped."""
    out = []
    for m in _PHONE.finditer(text):
        raw = m.group(0).rstrip(" -(")
        if _NOT_PHONE_CONTEXT.search(text[max(0, m.start() - 40):m.start()]):
            continue
        value = normalise_phone(raw)
        while value is None:  # "01632 960205 (24 hrs)": the number, without the "(24" the pattern ran on to
            shorter = re.sub(r"[ (]+\d+\)?$", "", raw).rstrip(" -(")
            if shorter == raw or len(re.sub(r"\D", "", shorter)) < 10:
                break
            raw, value = shorter, normalise_phone(shorter)
        if value:
            out.append(Found(value, m.start(), m.start() + len(raw)))
    return out


# --- emails ----------------------------------------------------------------------------------
_EMAIL = re.compile(
    r"(?i)(?:mailto:)?([a-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*"
    r"@(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,24})(?![a-z0-9-])"
)


def normalise_email(raw: str) -> str | None:
    """Lower case, without "mailto:" and surrounding <>; None when not an address."""
    candidate = raw.strip().strip("<>").strip()
    if candidate.lower().startswith("mailto:"):
        candidate = candidate[7:]
    m = _EMAIL.fullmatch(candidate)
    return m.group(1).lower() if m else None


def find_emails(text: str) -> list[Found]:
    """Email addresses in `text`, lower case, span over the address itself (not "mailto:")."""
    return [Found(m.group(1).lower(), m.start(1), m.end(1)) for m in _EMAIL.finditer(text)]
