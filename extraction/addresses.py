"""Postal addresses: line 1, town and postcode of an address written on one line or over a few.

An address is anchored on its postcode (the one validated part); the words before it, cut at
a cue ("lives at", "Address:") or a line break, give the town (last part) and line 1 (the part
with the house number, or the first part).
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from extraction.dates import NUMERIC_DATE
from extraction.identifiers import find_postcodes

COUNTIES = {"hampshire", "hants", "surrey", "berkshire", "dorset", "wiltshire", "west sussex",
            "east sussex", "sussex", "kent", "devon", "oxfordshire", "uk", "united kingdom", "england",
            "isle of wight", "wales", "scotland"}
_CUE = re.compile(r"(?i)(?:\b(?:address|lives|living|live|staying|stay|moved|move|residing|reside|at|to|of|"
                  r"is|are|from)\b\s*(?:is|at|to|in|of)?\s*[:\-–]?\s*|[:(\[]\s*)(?=[^:(\[]*$)")
_STREET = re.compile(r"(?i)\b(?:road|rd|street|st|avenue|ave|close|cl|drive|dr|lane|ln|way|crescent|cres|"
                     r"gardens|gdns|court|ct|place|pl|square|sq|terrace|tce|rise|grove|walk|mews|row|hill|"
                     r"park|view|green|parade|meadow|meadows|fields|end|chase|croft|gate|path|cottages?|"
                     r"house|farm|lodge|barton|wharf|quay|copse|dene|brow|glade|heights|orchard)\b")


UNIT = r"(?:flat|apartment|room|unit|studio|pitch|plot|berth)\s*\d+\w?"  # "Flat 4", "Pitch 12": a home within a place
# a site a pitch is on is the pitch's street: "Pitch 4, Lakeside Traveller Site, Silchester Road" has line 1 "Pitch 4,
# Lakeside Traveller Site"
_SITE = re.compile(r"(?i)\b(?:site|park|camp|encampment|yard|marina|ground)$")
# A numbered building on a named road: "3 Beech Cottages, Harts Lane" is one first line.
_BUILDING = re.compile(r"(?i)\b(?:cottages?|house|lodge|court|flats|mansions|buildings|apartments|farm|barns?|villas|"
                       r"almshouses)$")
_ROAD = re.compile(r"(?i)^[A-Z][\w'’-]*(?:\s+[A-Z][\w'’-]*)?\s+(?:road|rd|street|st|avenue|ave|lane|ln|way|close|drive|"
                   r"crescent|hill|row|terrace|grove|gardens)$")

# the flat or named building ending the part before a numbered street: "Flat 2", "Solent View Hotel"
_LEAD_BUILDING = re.compile(r"(?:(?i:\b(?:flat|apartment|room|unit|studio))[ \t]*\d+[A-Za-z]?|"
                            r"(?:\b[A-Z][\w'’-]*[ \t]+){1,4}(?:Hotel|House|Lodge|Court|Hostel|Mansions|Apartments|"
                            r"Buildings|Cottages?|Farm|Barns?|Villas))$")
_RUN_ON = re.compile(r"(?i)(?P<line1>(?:" + UNIT + r",?\s+)?\d+[a-z]?\s+.*\b(?:road|rd|street|avenue|ave|close|drive|lane|way|crescent|gardens|"
                     r"court|place|square|terrace|grove|walk|mews|row|rise))\s+(?P<town>[a-z][\w'’-]*(?:\s+[a-z][\w'’-]*){0,2})$")


@dataclass(frozen=True)
class FoundAddress:
    """An address in a text: each part with its (start, end) in that text."""

    line1: tuple[str, int, int] | None
    town: tuple[str, int, int] | None
    postcode: tuple[str, int, int]
    start: int  # where the address begins in the text


def _parts(text: str, start: int, end: int) -> list[tuple[str, int, int]]:
    """Comma- or newline-separated parts of text[start:end] with offsets, stripped."""
    out = []
    pos = start
    for piece in re.split(r"(,|\n| \| | [-–] )", text[start:end]):  # " - " parts a subject line's details
        if piece not in (",", "\n", " | ", " - ", " – "):
            s = pos + len(piece) - len(piece.lstrip())
            mark = re.match(r"[*•·▪-][ \t]+", text[s:pos + len(piece)])  # a list's bullet is no part of the address
            s += mark.end() if mark else 0
            e = pos + len(piece.rstrip())
            word = text[s:e].strip(" .;")
            if word:
                out.append((text[s:s + len(word)], s, s + len(word)))
        pos += len(piece)
    return out


def address_before(text: str, pc_start: int, pc_end: int, postcode: str, floor: int = 0) -> FoundAddress:
    """The address that ends with the postcode at text[pc_start:pc_end] (looking back to `floor`)."""
    line_start = text.rfind("\n", floor, pc_start) + 1
    window_start = line_start
    if not text[line_start:pc_start].strip(" ,|"):  # postcode on a line of its own: use the lines above
        for _ in range(3):
            if window_start <= floor:
                break
            prev = text.rfind("\n", floor, window_start - 1) + 1
            candidate = text[prev:window_start - 1].strip()
            if candidate.endswith(",") and len(candidate) > 60:  # "... They live at 8 Oak Lane, Fleet,\nGU51 3XY"
                ends = [m.end() for m in re.finditer(r"[.!?]\s", text[prev:window_start - 1])]
                window_start = prev + (ends[-1] if ends else 0)
                break
            if not candidate or candidate.endswith(":") or len(candidate) > 60:
                break
            window_start = prev
            if re.match(r"\d", candidate) or ":" in candidate:
                above = text.rfind("\n", floor, window_start - 1) + 1 if window_start > floor else window_start
                if re.fullmatch(r"(?i)" + UNIT + r",?", text[above:window_start - 1].strip()):
                    window_start = above  # "Flat 6" on the line above "41 Whitworth Road"
                break
    elif window_start > floor and not re.search(r"\d+[a-zA-Z]?\s+\w", text[line_start:pc_start]):
        # prose wrapped inside the address: "at 19 Cherry Close,\nStockbridge, SO20 6HJ" or "14 Titchfield\nRoad, ..."
        prev = text.rfind("\n", floor, window_start - 1) + 1
        tail = text[prev:window_start - 1]
        if re.search(r"(?:,|\b\d+[a-zA-Z]?(?:\s+[A-Z][\w'’-]*)?)\s*$", tail) and not tail.rstrip().endswith((".", ":")):
            window_start = prev
    head = text[window_start:pc_start]
    cue = None
    for m in _CUE.finditer(head):
        cue = m
    if cue is not None:
        window_start += cue.end()
    number = re.match(r"(?i)[ \t]*(?:house[ \t]+)?(?:number|no\.?)[ \t]+(?=\d)", text[window_start:pc_start])
    if number:  # "at number 12 Heron Way": the word is not part of the address
        window_start += number.end()
    listed = re.match(r"[ \t]*\(?\d{1,2}[.)][ \t]+(?=[^\W\d])", text[window_start:pc_start])
    if listed:  # "2. We're in the new house now, it's 9 Brookvale Close, ...": a list's number is no house number
        window_start += listed.end()
    parts = _parts(text, window_start, pc_start)
    parts = [p for p in parts if p[0].lower() not in COUNTIES]
    if parts and re.fullmatch(r"(?i)(?:post[ \t]?code|pc)[ \t]*:?", parts[-1][0]):
        parts = parts[:-1]  # "8 Lark Rise, Oakhurst, postcode RG24 9ZZ": the postcode's label is no town
    dated = [i for i, p in enumerate(parts) if re.search(r"\b" + NUMERIC_DATE + r"[ \t).]*$", p[0])]
    if dated:  # "his DOB is 14/04/2012, postcode PO8 9QL": a date is no part of an address, nor what comes before it
        parts = parts[dated[-1] + 1:]
    town = line1 = None
    led = False  # line 1 starts with the flat or building named before its numbered street
    if parts:
        numbered_street = re.match(r"(?i)(?:" + UNIT + r"\s+)?\d+[a-z]?\s+\w", parts[-1][0]) \
            and _STREET.search(parts[-1][0])  # "19 Gudge Heath Lane Fareham", "Flat 4 19 Gudge Heath Lane Fareham"
        if (len(parts) >= 2 or not re.match(r"\d", parts[-1][0])) and not numbered_street:
            town = parts[-1]  # "Flat 3, 27 Beechwood Rise" with no town: the last part is the street
            parts = parts[:-1]
        numbered = [p for p in parts if re.match(r"(?i)" + UNIT + r"|\d+[a-z]?\b", p[0])
                    and not re.match(NUMERIC_DATE, p[0])] or \
            [p for p in parts if re.search(r"\b\d+[a-z]?\s+[A-Z][\w'’-]*", p[0]) and _STREET.search(p[0])]  # "it's 9 Brookvale Close"
        if numbered:
            line1 = numbered[0]
            before = [p for p in parts if p[2] <= line1[1]]
            if before and re.match(r"\d", line1[0]) and not text[before[-1][2]:line1[1]].strip(" ,"):
                lead = _LEAD_BUILDING.search(before[-1][0])  # "adress Flat 2, 18 Brackley Way", "the Solent View Hotel,
                if lead:                                      # 55 West Street": the flat or building is in the line
                    line1 = (text[before[-1][1] + lead.start():line1[2]], before[-1][1] + lead.start(), line1[2])
                    led = True
            after = [p for p in parts if p[1] > line1[1]]
            if after and re.fullmatch(_STREET.pattern, after[0][0].strip(), re.I) and text[line1[2]:after[0][1]].strip() == "":
                # "14 Titchfield\nRoad": a street name wrapped onto the next line
                line1 = (line1[0] + " " + after[0][0], line1[1], after[0][2])
            after = [p for p in parts if p[1] > line1[1]]
            if re.fullmatch(r"(?i)" + UNIT + r"|\d+[a-z]?", line1[0].strip()):
                if after:
                    end = after[0][2]
                    if (len(after) > 1 and not re.match(r"\d", after[0][0]) and not _SITE.search(after[0][0])
                            and _STREET.search(after[1][0])
                            and (re.match(r"\d+[a-z]?\s+\w", after[1][0]) or _ROAD.match(after[1][0].strip()))):
                        end = after[1][2]  # "Room 6, Harbour View Lodge, 40 Station Road", "Flat 9, Kestrel House, Wyndham Road"
                    line1 = (text[line1[1]:end], line1[1], end)
            elif after and _BUILDING.search(line1[0]) and _ROAD.match(after[0][0]):
                line1 = (text[line1[1]:after[0][2]], line1[1], after[0][2])  # "3 Beech Cottages, Harts Lane"
        elif parts:
            line1 = parts[0]
            if len(parts) > 1 and ((not _STREET.search(line1[0]) and _STREET.search(parts[1][0]))
                                   or ((_BUILDING.search(line1[0].strip()) or not _ROAD.match(line1[0].strip()))
                                       and _ROAD.match(parts[1][0].strip()))):
                line1 = (text[line1[1]:parts[1][2]], line1[1], parts[1][2])  # "The Old Rectory, Church Lane"
        if line1:
            house = list(re.finditer(r"(?i)(?:\b(?:flat|apartment)\s+\d+\w?,?\s+)?\b\d+[a-z]?\s+[A-Z]", line1[0]))
            if house and house[-1].start() > 0 and not re.match(r"(?i)" + UNIT, line1[0]) and not led:
                cut = house[-1].start()
                line1 = (line1[0][cut:], line1[1] + cut, line1[2])
        if line1 and town is None:
            run = _RUN_ON.match(line1[0])
            if run:  # "14 larch way fleet": no comma before the town
                words = run.group("town")
                locality = list(_STREET.finditer(words))  # "18 Pennycress Walk Leigh Park Havant": a district first
                after = words[locality[-1].end():].lstrip() if locality else words
                t0 = run.end("town") - len(after)
                if after:
                    town = (line1[0][t0:run.end("town")], line1[1] + t0, line1[1] + run.end("town"))
                    line1 = (run.group("line1"), line1[1], line1[1] + run.end("line1"))
        if line1 and town is None and not _STREET.search(line1[0]):
            town, line1 = line1, None
    near = _NEAR.match(town[0]) if town else None
    if town and near and near.end() < len(town[0]):  # "nr Basingstoke", "just outside Fleet": the town itself
        town = (town[0][near.end():], town[1] + near.end(), town[2])
    start = line1[1] if line1 else (town[1] if town else pc_start)
    if line1 and "\n" in line1[0]:
        head, _, rest = line1[0].partition("\n")
        if re.fullmatch(r"(?i)" + UNIT, head.strip(" ,")):  # "Flat 6\n41 Whitworth Road": two lines of one address
            line1 = (head.strip(" ,") + ", " + " ".join(rest.split()), line1[1], line1[2])
        else:
            line1 = (" ".join(line1[0].split()), line1[1], line1[2])  # "17\nWessex Close": a wrapped line is one line
    return FoundAddress(line1, town, (postcode, pc_start, pc_end), start)


_NEAR = re.compile(r"(?i)(?:nr\.?|near|(?:just )?outside|on the edge of|close to)[ \t]+(?=[A-Z])")


def find_addresses(text: str) -> list[FoundAddress]:
    """Every address in `text` that ends in a valid postcode, in text order."""
    out = []
    for pc in find_postcodes(text):
        if pc.value:
            out.append(address_before(text, pc.start, pc.end, pc.value))
    return out


# a remark after a dash in an address answer: it starts with "I" or a small letter, and runs to the line's end
_DASH_ASIDE = re.compile(r"\s+[-–—]\s+(?=I\b|[a-z])[^\n]*$")


def parse_address_value(value: str) -> FoundAddress | None:
    """An address given as a form value (possibly without a postcode); offsets are into `value`."""
    value = re.sub(r"\([^()\n]{0,60}\)", lambda m: " " * len(m.group(0)), value)  # "(next door to me)": an aside
    value = _DASH_ASIDE.sub(lambda m: " " * len(m.group(0)), value)  # "Fleet - I don't know the number, it's ..."
    pcs = [p for p in find_postcodes(value) if p.value]
    if pcs:
        return address_before(value, pcs[0].start, pcs[0].end, pcs[0].value)
    value = _UNSTATED.sub(lambda m: " " * len(m.group(0)), value)  # "(not provided)", "not sure of the postcode"
    value = re.sub(r"[\s,;-]+$", lambda m: " " * len(m.group(0)), value)
    parts = [p for p in _parts(value, 0, len(value)) if p[0].lower() not in COUNTIES]
    if not parts:
        return None
    # the same reading as an address ending in a postcode: house name or flat, street, town; and so for one part
    # running on from its street into the town ("8 Pemberton Walk Basingstoke")
    if len(parts) >= 2 or _RUN_ON.match(parts[0][0].strip()):
        found = address_before(value, len(value.rstrip()), len(value.rstrip()), "")
        if found.line1 is not None or found.town is not None:
            return FoundAddress(found.line1, found.town, ("", -1, -1), found.start)
    line1 = parts[0] if re.match(r"\d", parts[0][0]) or _STREET.search(parts[0][0]) else None
    town = parts[-1] if len(parts) > 1 or line1 is None else None
    if line1 is None and town is None:
        return None
    return FoundAddress(line1, town, ("", -1, -1), parts[0][1])


_UNSTATED = re.compile(r"(?i)\(?\b(?:not (?:known|provided|given|sure)[^,)\n]*|unknown|n/?a)\b\)?")
