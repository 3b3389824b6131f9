"""The referrer: who wrote the referral, read from the form, the signature block and the headers.

The author is the original writer of a forwarded message (not the colleague who forwarded it),
the sender of an email attached to a forwarding note, or otherwise the sender. Their signature
block (name, role, organisation, phone) follows a sign-off in their own text.
"""
from __future__ import annotations

import re
import string
from collections.abc import Callable
from dataclasses import dataclass

from config import phrasebook
from extraction import evidence, given_names
from extraction.drafts import Draft
from extraction.identifiers import find_emails, find_phones, find_postcodes
from extraction.model import Field
from extraction.organisations import REGISTRATION, is_role_or_body, looks_like_body, looks_like_job
from extraction.people import TITLES, clean_name
from parsers.message import ParsedMessage, TextSource

_SIGN_OFF = re.compile(r"(?im)^[ \t]*(?:kind(?:est)? regards|best regards|warm regards|regards|many thanks|"
                       r"thanks(?: again| so much)?|thank you(?: very much)?|best wishes|with thanks|"
                       r"yours (?:sincerely|faithfully)|sincerely|all the best|cheers|best|warm wishes)"
                       r"[ \t]*[,.!]?[ \t]*$")
_FWD_BLOCK = re.compile(r"(?im)^[ \t>]*(?:(?:-+ ?(?:Forwarded|Original) message ?-+|Begin forwarded message:)[ \t]*\n"
                        r"(?:.*\n){0,2}?)?"
                        r"[ \t>]*From:[ \t]*(?P<from>[^\n]+)\n(?:[ \t>]*(?:Sent|Date|To|Cc|Subject):[^\n]*\n){1,5}")
_FORWARD_NOTE = re.compile(r"(?i)\b(?:see below|below|forward(?:ed|ing)?|passing (?:this|it) on|pass (?:this|it) "
                           r"(?:on|to)|came into|one for you|see (?:the )?attached email|attached email|"
                           r"for your information|received in)\b")
_CONTACT = re.compile(r"(?i)^(?:tel|telephone|phone|mobile|mob|direct(?: line)?|t|m|e|email|e-mail|fax|"
                      r"web|ext|switchboard|office)\b\s*(?:[.:]|(?=[+\d(]))|@|^\+?\d[\d ()\-]{7,}$|^https?:|^www\.")
# a signature line whose contact is labelled with someone else's role or office, not a kind of contact
_SOMEONE_ELSES = re.compile(r"(?i)^\s*(?!(?:[\w-]+ ){0,3}(?:tel|telephone|phone|mobile|mob|cell|direct|dd|fax|e-?mail|mail|"
                            r"ext|extension|switchboard|office|work|main|contact|t|m|e|w|p)\b)"
                            r"(?:[A-Za-z][\w'’&-]*(?: [A-Za-z][\w'’&-]*){1,4})\s*:\s*\S")
_DISCLAIMER = re.compile(r"(?i)(?:this (?:e-?mail|message)|confidential|disclaimer|intended (?:solely|only)|"
                         r"if you (?:are not|have received)|please consider the environment|official-sensitive|"
                         r"the information in this|emails? may be monitored|registered charity|safeguarding "
                         r"statement|^\*{5,}|^_{5,}|^-{5,})")
_RANK = re.compile(r"^(?:(?P<rank>PCSO|PC|DC|DS|DI|DCI|DSgt|Sgt|Sergeant|Insp|Inspector|Det|Detective)|"
                   r"Cllr|Councillor|Dr|Prof|Revd?|Fr|Canon|Pastor|Rabbi|Mr|Mrs|Ms|Miss|Mx)\.?\s+(?:\d+\s+)?", re.I)
# letters after a name: degrees, registrations, honours ("Imran Qureshi MRPharmS", "Jo Hale RGN, BSc (Hons)")
_POST_NOMINALS = re.compile(r"(?:[ \t]*,?[ \t]+(?:BSc|BA|MA|MSc|MEd|MPhil|PhD|EdD|PGCE|PGDip|QTS|NPQH|NPQSL|RGN|RMN|RN|RNLD|"
                            r"RSCN|SCPHN|RHV|MBChB|MBBS|MRCGP|MRCPCH|FRCPCH|MRPharmS|DipSW|DipHE|MBE|OBE|CBE|BEM|FRSA|"
                            r"MCIPD|CQSW|LRSM)(?:[ \t]*\((?:Hons|Oxon|Cantab)\))?)+[ \t]*$")
_UNIT = re.compile(r"(?i)\b(?:team|unit|service|department|hub|office|directorate)$")
_HONORIFIC_NUMBER = re.compile(r"\s*\((?:PCSO|PC|DC)?\s*\d+\)\s*$|\s*\([^)]*\)\s*$")


_CHILD_DETAILS = re.compile(r"(?i)\b(?:d\.?o\.?b\.?|date of birth|born on|upn)\b")


@dataclass(frozen=True)
class Author:
    """Whose words the referral is: their text region and their address as the mail gives it."""

    source: TextSource
    start: int
    end: int
    name: str | None
    address: str | None
    forwarded: bool  # True when the author is not the sender


_ORGANISATION_WORD = re.compile("(?i)" + phrasebook.alternation("vocabulary", "organisation_mailbox"))


def display_name(raw: str | None) -> str | None:
    """A header display name as a person's name: "Quinn, Robert" -> "Robert Quinn"."""
    if not raw:
        return None
    org_suffix = bool(re.search(r"\([^)a-z]{4,}\)", raw))  # NHSmail: "Surname Forename (ORGANISATION)"
    raw = _RANK.sub("", re.sub(r"\s*\([^)]*\)\s*", " ", raw).strip().strip('"'))  # "PCSO Ann Brisco"
    c = clean_name(raw)
    if c is None and re.fullmatch(r"[a-z][a-z'’-]+(?: [a-z][a-z'’-]+){1,2}", raw) and given_names.is_given_name(raw.split()[0]):
        c = clean_name(string.capwords(raw))  # "bev marsh": a person writing their name in small letters
    if not c or _ORGANISATION_WORD.search(raw):
        return None  # "SafeSpace Kids", "Tull's News": a mailbox of an organisation, not a person
    words = c[0].split()
    turned = words[-1].isupper() and not words[0].isupper()  # clean_name has put a surname in capitals last
    if len(words) == 2 and "," not in raw and not turned and (org_suffix or (words[0].isupper() and not words[1].isupper())):
        words = [words[1], words[0]]
    return " ".join(w.title() if w.isupper() and len(w) > 1 else w for w in words)


def _split_from(value: str) -> tuple[str | None, str | None]:
    emails = find_emails(value)
    address = emails[0].value if emails else None
    name = value[:emails[0].start].strip(" <[\"'") if emails else value.strip()
    name = re.sub(r"(?i)mailto:.*$", "", name).strip(" <[\"'")
    return (name or None), address


def _own_councils_mailbox(address: str | None, inbox: tuple[str, ...]) -> bool:
    """A team mailbox of the council the inbox belongs to ("admissions@hants.gov.uk" in a chain sent to
    cme@hants.gov.uk): its reply in a forwarded chain answers the referrer, it is not the referral's author."""
    if not address or "@" not in address:
        return False
    local, domain = address.lower().rsplit("@", 1)
    return "." not in local and "_" not in local and any(a.lower().rsplit("@", 1)[-1] == domain for a in inbox)


def _note_gives_details(note: str) -> bool:
    """A forwarding note that gives the child's details itself (a date of birth, a UPN, or an address with its
    postcode above its sign-off: "Address we hold is 6 Salterns Close, Hayling Island PO11 9PX"): the forwarder writes
    the referral, the message below is its evidence."""
    off = _SIGN_OFF.search(note)
    return bool(_CHILD_DETAILS.search(note) or find_postcodes(note[:off.start()] if off else note))


def find_author(parsed: ParsedMessage) -> Author | None:
    """The author of the referral content (see module doc)."""
    body = next((s for s in parsed.sources if s.part == "body"), None)
    own_details = body is not None and bool(_CHILD_DETAILS.search(body.text))
    for s in parsed.sources:
        if s.kind == "email" and s.segments and body is not None and _FORWARD_NOTE.search(body.text[:1500]) \
                and not own_details:  # the sender passes on someone else's referral
            seg = s.segments[0]
            return Author(s, 0, len(s.text), display_name(seg.from_name), seg.from_address, True)
    if body is None:
        return None
    forwarded = [seg for seg in body.segments if seg.kind == "forwarded" and (seg.from_address or seg.from_name)
                 and not _own_councils_mailbox(seg.from_address, parsed.to)]
    if forwarded and not _note_gives_details(body.text[:forwarded[0].start]):
        # a chain forwarded on and on: the referral is the first message written, the deepest one (unless the
        # top message gives the children's details itself: its writer makes the referral, "as you'll see below")
        seg = forwarded[-1]
        return Author(body, seg.start, seg.end, display_name(seg.from_name), seg.from_address, True)
    every_block = list(_FWD_BLOCK.finditer(body.text))
    blocks = [b for b in every_block if not _own_councils_mailbox(_split_from(b.group("from"))[1], parsed.to)]
    subject = parsed.subject or ""
    note = body.text[:blocks[0].start()] if blocks else ""
    if blocks and re.match(r"(?i)\s*(?:fwd?|fw)\s*:", subject) and _FORWARD_NOTE.search(note or "below") \
            and not _note_gives_details(note):
        last = blocks[-1]
        name, address = _split_from(last.group("from"))
        return Author(body, last.end(), len(body.text), display_name(name), address, True)
    end = every_block[0].start() if every_block else len(body.text)
    threads = [g for g in body.segments if g.kind in ("top", "quoted", "forwarded")]
    if threads and threads[0].kind == "quoted" and not body.text[:threads[0].start].strip():
        below = next((g for g in threads if g.kind == "top"), None)
        if below is not None:  # a reply written under the message it quotes: the writer's words are below it
            return Author(body, below.start, below.end, display_name(parsed.from_name), parsed.from_address, False)
    quoted = re.search(r"(?m)^On .{5,120}wrote:\s*$|^>", body.text)
    if quoted and quoted.start() < end:
        end = quoted.start()
    return Author(body, 0, end, display_name(parsed.from_name), parsed.from_address, False)


_IMAGE_MARK = re.compile(r"\[(?:image:[ \t]*)?(?P<words>[^\]\n]+?)(?:[ \t]+logo)?\]", re.I)
_FILE_NAME = re.compile(r"(?i)\.(?:png|jpe?g|gif|bmp)$|^(?:image|cid:)|^logo$")


def _lines(text: str, start: int, end: int) -> list[tuple[str, int]]:
    """Non-blank lines of text[start:end] with offsets; stops at a quoted header block."""
    out, pos = [], start
    for line in text[start:end].split("\n"):
        stripped = line.strip()
        if re.match(r"(?i)(?:from|sent|to|subject|date):\s|on .{5,120}wrote:|-{3,}", stripped):
            break
        image = _IMAGE_MARK.fullmatch(stripped)
        if image:  # "[Hampshire County Council logo]", "[image: image001.png]": a picture's words, not a line of text
            stripped = "" if _FILE_NAME.search(image.group("words")) else image.group("words")
            if not stripped:
                pos += len(line) + 1
                continue
        if stripped:
            out.append((stripped, pos + line.index(stripped)))
        elif len(out) >= 3:
            out.append(("", pos))  # a blank line after the block has begun
        pos += len(line) + 1
    return out


_PERSON_LINE = re.compile(r"^(?:Dr\.? |Mr\.? |Mrs\.? |Ms\.? |Miss )?[A-Z][a-z'’-]+(?: [A-Z][a-z'’-]+){1,2}$")


def _unsigned_block(tail: list[tuple[str, int]]) -> int | None:
    """Where the last paragraph of a message starts when it is a signature without a sign-off: a person's name
    alone on its line, then one to five short lines (a job, a place of work, a phone), none of them a sentence."""
    end = len(tail)
    while end and not tail[end - 1][0].strip():
        end -= 1
    i = end
    while i and tail[i - 1][0].strip() and len(tail[i - 1][0]) <= 70 and not (
            re.search(r"[.?!,;]$", tail[i - 1][0].strip()) and not find_phones(tail[i - 1][0])):
        i -= 1
    block = [l.strip() for l, _ in tail[i:end]]
    if not 2 <= len(block) <= 6 or not _PERSON_LINE.match(block[0]) or not clean_name(block[0]):
        return None
    return i


def _pieces(lines: list[tuple[str, int]]) -> list[tuple[str, int]]:
    """Signature lines with each "|"-separated piece on a line of its own ("Sarah Long | School Nurse | 07700 ...")."""
    out = []
    for line, at in lines:
        if " | " not in line:
            out.append((line, at))
            continue
        for m in re.finditer(r"[^|]+", line):
            piece = m.group(0).strip()
            if piece:
                out.append((piece, at + m.start() + m.group(0).index(piece)))
    return out


def _own_sign_off(author: Author, offs: list[re.Match[str]]) -> re.Match[str] | None:
    """The sign-off the author's signature follows: the last one, unless a note pasted under the sender's signature
    ends with its own writer's ("Thank you / Craig Dunne"); then the last one with the sender's name under it."""
    if len(offs) > 1 and author.name:
        return next((o for o in reversed(offs) if any(_same_person(author.name, line) for line, _ in
                                                      _lines(author.source.text, o.end(), author.end)[:2])), offs[-1])
    return offs[-1] if offs else None


def read_signature(author: Author, draft: Draft, only_places: Callable[[str], bool] | None = None) -> None:
    """Name, role, organisation and phone from the signature block of the author's text; a line that names only
    places ("Basingstoke, Hampshire" under the school's name: `only_places`) is neither job nor organisation."""
    text, part = author.source.text, author.source.part
    sign_off = _own_sign_off(author, list(_SIGN_OFF.finditer(text, author.start, author.end)))
    if sign_off is not None:
        lines = _lines(text, sign_off.end(), author.end)
    else:  # no sign-off: a block that starts with the sender's name near the end
        tail = _lines(text, author.start, author.end)[-12:]
        # the sender's name as a mail system writes it: "Tom Reddy", or surname first ("Reddy Tom PC 4471")
        # a title is no name: "Imam Yusuf Qureshi" must not find the job line "Imam & Education Lead"
        words = [w for w in _HONORIFIC_NUMBER.sub("", _RANK.sub("", author.name or "")).split()  # "Kerry-Anne", "O'Neill"
                 if re.sub(r"[-'’]", "", w).isalpha() and not _RANK.match(w + " ") and w.lower() not in TITLES]
        if not words and author.address:  # no usable display name: "tom.reddy@..." names him too
            words = [w for w in re.split(r"[._-]", author.address.split("@")[0]) if w.isalpha() and len(w) > 1]
        first = {w.casefold() for w in (words[:1] + words[-1:] if len(words) == 2 else words[:1])}
        at = next((i for i, (l, _) in enumerate(tail)
                   if first and l and [w.casefold() for w in _HONORIFIC_NUMBER.sub("", _RANK.sub("", l)).split()[:1]]
                   in [[w] for w in first] and len(l.split(" | ")[0]) < 60), None)  # "Sophie Lang | Staff Nurse | ..."
        if at is None:
            at = _unsigned_block(tail)  # "Graham Tull / Proprietor / Tull's News, Alton / 01632 ...": mail from a shop
        if at is None:
            last = [(l, a) for l, a in tail if l]
            if author.name is None and last and len(last[-1][0].split()) <= 3 and clean_name(last[-1][0]):
                line, a = last[-1]  # signed with a name alone: "Bernice"
                draft.offer("name", evidence.at(clean_name(line)[0], evidence.PROSE, part, text, a, a + len(line)))
            return
        lines = tail[at:]
    lines = [(l, a) for l, a in lines if l] if lines and lines[0][0] else lines
    lines = [(l, a) for l, a in lines if l.strip() != "--"]  # the signature's delimiter ("-- ", RFC 3676) is no line of it
    if len(lines) > 1 and len(lines[0][0].split()) == 1 and lines[1][0].split()[:1] == lines[0][0].split():
        lines = lines[1:]  # "Viv" then "Viv Ormerod"
    block: list[tuple[str, int]] = []
    for line, at in _pieces(lines[:9]):
        if not line or _DISCLAIMER.search(REGISTRATION.sub("", line) or line) or len(line) > 90 \
                or re.fullmatch(r"[=\-_*~#]{3,}", line):
            break  # a blank, a disclaimer, a long line or a rule ("=====") ends the signature
        if block and (line == block[0][0] or re.search(r"[.?!]$", line) and len(line.split()) >= 6):
            break  # the name signed again below, or a sentence: "I look forward to your response."
        block.append((line, at))
    if not block:
        return
    name_line, name_at = block[0]
    if len(block) > 1 and re.fullmatch(r"[A-Z][a-z]+", name_line.strip()):
        full = clean_name(block[1][0])  # "Bev" over "Beverley Sands": signed short, the full name beneath
        if full and len(full[0].split()) >= 2 and full[0].split()[0].lower().startswith(name_line.strip().lower()) \
                and not find_phones(block[1][0]) and not looks_like_job(block[1][0]):
            block = block[1:]
            name_line, name_at = block[0]
    if name_line.count(",") >= 1 and len(block) == 1:  # "Kim Shaw, Inclusion Manager, Larchfield" on one line
        pieces = [p.strip() for p in name_line.split(",")]
        c = clean_name(pieces[0])
        if c:
            draft.offer("name", evidence.at(c[0], evidence.LABELLED_LINE, part, text, name_at + c[1], name_at + c[2]))
            words = [p for p in pieces[1:] if p and not find_phones(p) and not find_emails(p)]
            for key, piece in zip(("role", "organisation"), words[:2]):
                at = name_at + name_line.index(piece)
                draft.offer(key, evidence.at(piece, evidence.LABELLED_LINE - 0.1, part, text, at, at + len(piece)))
            for p in find_phones(name_line)[:1]:  # "Kim Shaw, DSL, Oak School, 01632 960000"
                draft.offer("phone", evidence.at(p.value, evidence.LABELLED_LINE, part, text, name_at + p.start,
                                                 name_at + p.end))
            return
    raw = _POST_NOMINALS.sub("", _HONORIFIC_NUMBER.sub("", _RANK.sub("", name_line)))
    c = clean_name(raw)
    conf = evidence.LABELLED_LINE
    if c:
        name = c[0]
        s = name_at + name_line.index(raw) + c[1] if raw in name_line else name_at
        if author.name and _same_person(author.name, name):
            conf += evidence.AGREED
        elif author.name:
            conf -= 0.1  # signed by someone other than the sender: an office writing for a colleague?
        draft.offer("name", evidence.at(name, conf, part, text, s, s + len(raw[c[1]:c[2]])))
        rest = block[1:]
    else:
        rest = block
    plain = [(l, a) for l, a in _without_postal_address([(l, a) for l, a in rest if not _CONTACT.search(l)])
             if is_role_or_body(l) and not (only_places and only_places(l))]
    for line, at in rest:
        if _SOMEONE_ELSES.match(line):
            continue  # "Club Welfare Officer: welfare@...": another person's or office's contact, not the writer's
        for p in find_phones(line)[:1]:
            draft.offer("phone", evidence.at(p.value, conf, part, text, at + p.start, at + p.end))
        for m in find_emails(line)[:1]:
            draft.offer("email", evidence.at(m.value, conf, part, text, at + m.start, at + m.end))
    if c and plain:
        role, at = plain[0]
        if role.startswith("(") and role.endswith(")"):  # "(Driver, Meonside Travel)"
            role, at = role[1:-1].strip(), at + 1 + (len(role[1:-1]) - len(role[1:-1].lstrip()))
        if len(plain) == 1 and "," in role:
            r, _, org = role.partition(",")
            if not _UNIT.search(r.strip()):  # "Dunmere Neighbourhood Team, X Police": a unit, not a job
                draft.offer("role", evidence.at(r.strip(), conf - 0.1, part, text, at, at + len(r.strip())))
            o = org.strip()
            draft.offer("organisation", evidence.at(o, conf - 0.1, part, text, at + role.index(o), at + len(role)))
        elif len(plain) == 1 and looks_like_body(role):  # "Priya Raman / Raman Maths Tuition": no job, an employer
            draft.offer("organisation", evidence.at(role, conf - 0.1, part, text, at, at + len(role)))
        else:
            draft.offer("role", evidence.at(role, conf - 0.1, part, text, at, at + len(role)))
            if len(plain) > 1:  # the last line that names a body ("Isle of Wight Council | County Hall"), rather
                # than one of its teams ("Housing Needs Service / London Borough of Sutton"), else the last line
                bodies = [p for p in plain[1:] if looks_like_body(p[0])]
                org, oat = next((p for p in reversed(bodies) if not _UNIT.search(p[0])), bodies[-1] if bodies else plain[-1])
                draft.offer("organisation", evidence.at(org, conf - 0.1, part, text, oat, oat + len(org)))
    rank = _RANK.match(name_line)
    if c and rank and rank.group("rank"):  # "PCSO Ann Brisco" with no job line below: the rank is the role
        draft.offer("role", evidence.at(rank.group("rank"), conf - 0.15, part, text, name_at, name_at + rank.end("rank")))


_HOUSE = re.compile(r"^(?:flat|apartment|\d+[a-z]?\b)", re.I)
_ADDRESS_LINE = re.compile(r"(?i)^(?:unit|suite|flat|apartment|floor|\d+[a-z]?)\b[^,\n]{0,40},[^,\n]+,")

_STREET_LINE = re.compile(r"^(?:[A-Z][\w'’-]+[ \t]+){1,3}(?:Road|Street|Lane|Avenue|Drive|Close|Crescent|Gardens|Terrace|"
                          r"Grove|Mews)\b(?:,[ \t]*[A-Z][\w'’-]+(?:[ \t]+[A-Z][\w'’-]+)?)?[ \t]*$")


def _without_postal_address(lines: list[tuple[str, int]]) -> list[tuple[str, int]]:
    """The signature's lines without a postal address ("3 Orchard Lea" / "Four Marks" / "Alton GU34 5EF"): the
    writer's home is not their job or organisation."""
    lines = [(l, a) for l, a in lines if not _STREET_LINE.match(l)]  # "Shakespeare Road, Eastleigh": a street
    ends = [i for i, (l, _) in enumerate(lines) if find_postcodes(l)]
    if not ends:  # "Unit 4, Walworth Business Park, Andover": an address line with no postcode
        return [(l, a) for l, a in lines if not _ADDRESS_LINE.match(l)]
    end = ends[-1]
    start = next((i for i, (l, _) in enumerate(lines[:end + 1]) if _HOUSE.match(l)), end)
    return lines[:start] + lines[end + 1:]


# the writer's own number in their sentence: "my mobile is ...", "contact me on ...", "call me rather than mum: ..."
# "my UK mobile", "my work phone", "the school number": up to two words before the kind of number, none a person's
_NUMBER_KIND = (r"(?:(?!(?:mum|mom|mam|dad|mother|father|son|daughter|wife|husband|partner|sister|brother|uncle|aunt|auntie|"
                r"cousin|friend|nan|nana|gran|grandad|grandma|grandmother|grandfather|child|children|kid|neighbour|landlord|"
                r"boss|ex|boyfriend|girlfriend|carer|colleague|manager)(?:['’]?s)?\b)[a-z][\w-]*[ \t]+){0,2}"
                r"(?:tele)?(?:phone|mobile|number|mob|line)")
OWN_PHONE = re.compile(rf"(?i)\bmy[ \t]+{_NUMBER_KIND}(?: number| no\.?)?(?: is|:| -)?\s*(?=[+0(])|"
                       r"\bmine(?:[ \t]*\([^()\n]{0,60}\))?(?: is|['’]s|:)\s*(?=[+0(])|"  # "Mine (when ashore) is"
                       # "ring me 07700 900808", "call me on 01632 ...", "ring me on the school number 01632 960218"
                       rf"\b(?:contact|call|reach|ring|text|to|get|catch) me\b(?:[^.\n]{{0,50}}?(?:\bon|:))?"
                       rf"(?:[ \t]+(?:the|my|our)[ \t]+{_NUMBER_KIND})?\s*(?=[+0(])|"
                       r"\b(?:I|we)[ \t]+(?:can|may|could|will)[ \t]+be[ \t]+(?:reached|contacted|called|found)\b[^.\n]{0,30}?"
                       r"(?:\bon|:)\s*(?:(?:my|our)[ \t]+(?:[\w-]+[ \t]+){0,2}(?:mobile|phone|number)[ \t]*,?\s*)?(?=[+0(])")
                       # "I may be reached on 01632 960402", "I can be reached on my UK mobile, +44 7700 900129"


_OWN_NAME = re.compile(rf"\b(?i:{phrasebook.alternation('vocabulary', 'own_name')})[ \t]+(?P<own>[A-Z][a-z'’-]+(?:[ \t]+[A-Z][a-z'’-]+){{1,2}})")


def own_full_name(author: Author, signed: str) -> Field | None:
    """"My name is Samantha Reid" in the author's own words, when they signed with the first name alone."""
    text, part = author.source.text, author.source.part
    for m in _OWN_NAME.finditer(text, author.start, author.end):
        c = clean_name(m.group("own"))
        if c and len(c[0].split()) >= 2 and c[0].split()[0].casefold() == signed.casefold():
            s = m.start("own") + c[1]
            return evidence.at(c[0], evidence.PROSE_CUE, part, text, s, s + len(m.group("own")[c[1]:c[2]]))
    return None


def read_own_phone(author: Author, draft: Draft) -> None:
    """"My telephone is 07700 900123" in the author's own words."""
    text, part = author.source.text, author.source.part
    for m in OWN_PHONE.finditer(text, author.start, author.end):
        for p in find_phones(text[m.end():m.end() + 25])[:1]:
            if p.start == 0:
                draft.offer("phone", evidence.at(p.value, evidence.PROSE_CUE, part, text, m.end() + p.start,
                                                 m.end() + p.end))


_CONTACT_HEADING = re.compile(r"(?im)^[ \t]*(?:\d+[.)]?\s*)?(?:referrer(?: details)?|referred by|completed by|"
                              r"person making (?:the |this )?referral|referring (?:professional|officer))[ \t]*:?[ \t]*$")


_VCARD_LINE = re.compile(r"(?im)^(?P<key>FN|ORG|TITLE|TEL|EMAIL)(?:;[^:\n]*)?:(?P<value>[^\r\n]+)$")
_VCARD_FIELD = {"FN": "name", "ORG": "organisation", "TITLE": "role", "TEL": "phone", "EMAIL": "email"}


def read_vcard(source: TextSource, draft: Draft) -> None:
    """The writer's contact card (RFC 6350 vCard: "FN:", "ORG:", "TITLE:", "TEL:", "EMAIL:" lines) attached to
    their mail: their name, organisation, role, phone and email, each pointing at its line of the card."""
    text, part = source.text, source.part
    if not re.match(r"\s*BEGIN:VCARD", text, re.I):
        return
    conf = evidence.LABELLED_LINE
    for m in _VCARD_LINE.finditer(text):
        name, value, at = _VCARD_FIELD[m.group("key").upper()], m.group("value").strip(), m.start("value")
        if name == "organisation":
            value = value.split(";")[0].strip()  # "Department for Work and Pensions;Basingstoke Jobcentre"
        if not value or name in draft.fields:
            continue
        if name == "phone":
            for p in find_phones(value)[:1]:
                draft.offer("phone", evidence.at(p.value, conf, part, text, at + p.start, at + p.end, rule="vcard.phone"))
        elif name == "email":
            for e in find_emails(value)[:1]:
                draft.offer("email", evidence.at(e.value, conf, part, text, at + e.start, at + e.end, rule="vcard.email"))
        else:
            draft.offer(name, evidence.at(value, conf, part, text, at, at + len(value), rule=f"vcard.{name}"))


def read_contact_block(source: TextSource, draft: Draft) -> None:
    """A form's unlabelled "Referrer" block: "Name – Role", organisation, phone and email lines."""
    text, part = source.text, source.part
    for h in _CONTACT_HEADING.finditer(text):
        lines = []
        for line, at in _lines(text, h.end(), min(len(text), h.end() + 400)):
            if not line or (line.endswith(":") and len(line) < 40):
                break
            lines.append((line, at))
            if len(lines) == 5:
                break
        if not lines or ":" in lines[0][0] or " | " in lines[0][0]:
            continue  # labelled lines: the form reader has them
        head, at = lines[0]
        pieces = re.split(r"\s+[–—-]\s+|,\s*", head, maxsplit=1)
        name_part, role = pieces[0], (pieces[1] if len(pieces) > 1 else "")
        c = clean_name(name_part)
        if c is None:
            continue
        conf = evidence.LABELLED_LINE
        draft.offer("name", evidence.at(c[0], conf, part, text, at + c[1], at + c[2]))
        if role:
            rs = head.index(role)
            draft.offer("role", evidence.at(role.strip(), conf - 0.05, part, text, at + rs, at + rs + len(role.strip())))
        for line, lat in lines[1:]:
            for p in find_phones(line)[:1]:
                draft.offer("phone", evidence.at(p.value, conf, part, text, lat + p.start, lat + p.end))
            for m in find_emails(line)[:1]:
                draft.offer("email", evidence.at(m.value, conf, part, text, lat + m.start, lat + m.end))
            if _CONTACT.search(line) or find_phones(line):
                continue
            if not role and "," in line:  # "Family Support Worker, Example Family Service"
                r, _, o = line.partition(",")
                role = r.strip()
                draft.offer("role", evidence.at(role, conf - 0.05, part, text, lat, lat + len(role)))
                o = o.strip()
                draft.offer("organisation", evidence.at(o, conf - 0.05, part, text, lat + line.index(o), lat + len(line)))
            elif not role:
                role = line
                draft.offer("role", evidence.at(line, conf - 0.05, part, text, lat, lat + len(line)))
            elif "organisation" not in draft.fields:
                draft.offer("organisation", evidence.at(line, conf - 0.05, part, text, lat, lat + len(line)))


def _same_person(a: str, b: str) -> bool:
    fa = {w.casefold() for w in re.findall(r"\w+", a)}
    fb = {w.casefold() for w in re.findall(r"\w+", b)}
    return bool(fa & fb)
