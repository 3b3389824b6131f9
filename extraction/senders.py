"""Whether a sender is who it says: look-alike domains and the receiving server's sender checks. Pure.

A look-alike imitates the council's own domain or a partner's (`config/organisations.csv`), or dresses up
as a public body's (`.gov.uk`, `.nhs.uk`, `.police.uk`, `.sch.uk`):
- an IDN homograph, `hаnts.gov.uk` with a Cyrillic а, also written as punycode (`xn--hnts-5cd.gov.uk`):
  every domain is compared by its skeleton (Unicode's TR39 idea: NFKC, case folded, each confusable
  character replaced by the Latin letters it looks like, `config/confusables.csv`);
- the real name with its suffix's first word inside another domain: `hants-gov.uk`, `hantsgov.uk`,
  `hants.gov.uk.example.com`, `hants-gov-uk.com`, `hants-gov-support.com`; or any `gov-uk`, `nhs.uk.`
  pair outside those suffixes (`northumberland-gov.uk`);
- a letter swapped, dropped or doubled in the registrable label: `hnats.co.uk`, `hantts.com`,
  `wokinghm.org` (names of five letters or more; from eight letters two such slips, or one changed letter,
  `hampshlre.co.uk`). A name that only adds words, `hampshire-cc.co.uk`, is somebody else's, and so is a
  word of the same length with other letters (`farnham` is not `fareham`).
The real domains and their subdomains are never look-alikes, nor is a plain-ASCII domain under a suffix
whose registrations are controlled (gov.uk, nhs.uk, nhs.net, police.uk, sch.uk): another council's
`southampton.gov.uk` is that council, whatever it resembles. Only a swapped, dropped or doubled letter of
a listed body's name is taken there (`hnats.gov.uk`), since no public body registers such a name.

`assess` gives the verdict `notifier/triage.py` decides on: suspect when an address of the message
(From, Reply-To, the referrer's) is a look-alike, or when a mail claiming a council, NHS or police domain
failed DMARC at the council's receiving server (`parsers/authentication.py` picks whose checks to believe).
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from typing import Iterable

from config import phrasebook
from extraction.model import SenderTrust
from parsers.authentication import AuthenticationResults, trusted
from parsers.message import ParsedMessage

CONTROLLED = ("gov.uk", "nhs.uk", "nhs.net", "police.uk", "sch.uk")  # registrations checked by a registry
PUBLIC_BODIES = ("gov.uk", "nhs.uk", "nhs.net", "police.uk")  # a council, the NHS, the police
IMITATED_SUFFIXES = ("gov", "nhs", "police", "sch")  # followed by "uk" outside the real suffix
# RFC 2606 keeps .example out of real mail; fictitious mail writes `hants.gov.example` for hants.gov.uk
STAND_IN = re.compile(r"\.(gov|nhs|police|sch)\.example$")
SECOND_LEVEL = {"co", "com", "org", "net", "ac", "gov", "edu", "ltd", "plc", "me", "nhs", "police", "sch", "mod"}


@dataclass(frozen=True)
class Imitation:
    domain: str  # as written in the address (Unicode)
    imitates: str  # "hants.gov.uk", or "a .gov.uk address"
    how: str  # in words: "it is written with the Cyrillic letter а in place of a"


def unicode_domain(domain: str) -> str:
    """The domain as a person reads it: punycode labels (`xn--`) decoded, NFC, lower case."""
    labels = []
    for label in domain.strip().strip(".").lower().split("."):
        if label.startswith("xn--"):
            try:
                label = label[4:].encode("ascii").decode("punycode")
            except (UnicodeError, ValueError):
                pass
        labels.append(label)
    return unicodedata.normalize("NFC", ".".join(labels))


def skeleton(text: str) -> str:
    """What `text` looks like: NFKC, case folded, every confusable replaced by the Latin letters it imitates."""
    out = unicodedata.normalize("NFKC", text).casefold()
    for characters, looks_like in phrasebook.confusables():
        out = out.replace(characters, looks_like)
    return out


def _ascii_form(domain: str) -> str | None:
    try:
        return domain.encode("idna").decode("ascii")
    except UnicodeError:
        return None


def _split(domain: str) -> tuple[str, str]:
    """(registrable label, public suffix): `mail.hnats.co.uk` -> ("hnats", "co.uk"); `x.hants.sch.uk` ->
    ("x", "hants.sch.uk"); `example.com` -> ("example", "com")."""
    labels = domain.split(".")
    if len(labels) >= 4 and labels[-2:] == ["sch", "uk"]:
        return labels[-4], ".".join(labels[-3:])
    if len(labels) >= 3 and len(labels[-1]) == 2 and labels[-2] in SECOND_LEVEL:
        return labels[-3], ".".join(labels[-2:])
    return (labels[-2], labels[-1]) if len(labels) >= 2 else (domain, "")


def _under(domain: str, parent: str) -> bool:
    return domain == parent or domain.endswith("." + parent)


def _edits(a: str, b: str) -> int:
    """Edits from `a` to `b`: a dropped or added letter, or two neighbours swapped, is one; a changed letter is two
    (a dropped one and an added one), so that a different word of the same length stays far."""
    rows = [list(range(len(b) + 1))]
    for i in range(1, len(a) + 1):
        row = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            row[j] = min(rows[-1][j] + 1, row[j - 1] + 1, rows[-1][j - 1] + (2 if a[i - 1] != b[j - 1] else 0))
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                row[j] = min(row[j], rows[-2][j - 2] + 1)
        rows.append(row)
    return rows[-1][-1]


def _typo(label: str, real: str, changes: bool = True) -> bool:
    """`label` is `real` with a letter swapped, dropped or doubled (two such slips, or one changed letter, in a
    name of eight letters or more when `changes`). Names under five letters are too easily somebody else's."""
    if label == real or len(real) < 5 or abs(len(label) - len(real)) > 2:
        return False
    if len(label) < len(real) < 6:
        return False  # a five-letter name less a letter is another word ("hats", "ants")
    if label.startswith(real) or label.endswith(real) or real.startswith(label) or real.endswith(label):
        if abs(len(label) - len(real)) >= 2:
            return False  # words added to a name: somebody else's name ("hampshire-cc", "surrey" / "surreycc")
        if len(label) > len(real):  # a letter added at an end is a slip only when it doubles its neighbour
            added, beside = (label[-1], label[-2]) if label.startswith(real) else (label[0], label[1])
            if added != beside:
                return False
    edits = _edits(label, real)
    if edits == 2:  # two slips: in a long name that still starts as the real one does ("eastsussex" is not "westsussex")
        return changes and len(real) >= 8 and label[0] == real[0]
    return edits == 1


def _slip(label: str, real: str) -> str:
    """What was done to the real name, in words: "two letters of hants are swapped (hnats)"."""
    if len(label) == len(real) and sorted(label) == sorted(real):
        return f"two letters of {real} are swapped ({label})"
    if len(label) == len(real) - 1:
        return f"a letter of {real} is dropped ({label})"
    if len(label) == len(real) + 1:
        doubled = any(label[i] == label[i + 1] and label[:i] + label[i + 1:] == real for i in range(len(label) - 1))
        return f"a letter of {real} is doubled ({label})" if doubled else f"a letter is added to {real} ({label})"
    return f"letters of {real} are changed ({label})"


def _letters(domain: str) -> str:
    """The characters of `domain` that only look like Latin letters, in words."""
    odd = []
    for ch in dict.fromkeys(domain):
        if ch.isascii():
            continue
        name = unicodedata.name(ch, "")
        script = name.split(" ")[0].capitalize() if name else "unusual"
        looks = skeleton(ch)
        odd.append(f"the {script} letter {ch} in place of {looks}" if looks.isascii() and looks != ch
                   else f"the {script} letter {ch}")
    return ", ".join(odd)


def _homograph_how(domain: str, real: str) -> str:
    letters = _letters(domain)
    wire = _ascii_form(domain)
    if letters:
        return f"it is written with {letters}" + (f" ({wire} in plain ASCII)" if wire and wire != domain else "")
    swaps = [f"{chars} in place of {like}" for chars, like in phrasebook.confusables()
             if chars.isascii() and chars in domain and chars not in real and like in real]
    return "it is written with " + (", ".join(swaps) if swaps else "letters that look like the real ones")


@cache
def _genuine(own: str) -> tuple[str, ...]:
    return tuple(dict.fromkeys([own, *phrasebook.organisations_by_domain()]))


def own_domain(inbox: str) -> str:
    """The council's own domain from the inbox's address: cme@hants.gov.uk -> hants.gov.uk."""
    domain = inbox.rsplit("@", 1)[-1].lower().strip()
    labels = domain.split(".")
    return ".".join(labels[-3:]) if domain.endswith(".gov.uk") and len(labels) > 3 else domain


def imitation(domain: str | None, genuine: Iterable[str]) -> Imitation | None:
    """How `domain` imitates one of the `genuine` domains or a public body's suffix, or None."""
    if not domain or "." not in domain or len(domain) > 253:
        return None  # no domain, or none that can exist (RFC 1035): nothing is sent to it either
    written = STAND_IN.sub(r".\1.uk", unicode_domain(domain))
    genuine = tuple(genuine)
    if any(_under(written, g) for g in genuine):
        return None
    shape = skeleton(written)
    for g in genuine:  # homographs: looks the same, is not the same
        if _under(shape, skeleton(g)):
            return Imitation(written, g, _homograph_how(written, g))
    for suffix in CONTROLLED:
        if _under(shape, suffix) and not _under(written, suffix):
            return Imitation(written, f"a .{suffix} address", _homograph_how(written, suffix))
    label, suffix = _split(written)
    if written.isascii() and any(_under(written, s) for s in CONTROLLED):
        for g in genuine:  # a controlled suffix: only a typist's slip on a listed name
            real, real_suffix = _split(g)
            if real_suffix == suffix and _typo(label, real, changes=False):
                return Imitation(written, g, _slip(label, real))
        return None
    flat = re.sub(r"[.\-_]", "", shape)
    for g in genuine:  # the real name and the start of its suffix inside another domain ("hants-gov-support.com")
        real, real_suffix = _split(skeleton(g))
        if real + real_suffix.split(".")[0] in flat:
            return Imitation(written, g, f"it is another domain with the words of {g} in it")
    words = re.split(r"[.\-_]+", shape)
    for i, word in enumerate(words):
        for part in IMITATED_SUFFIXES:
            if (word.endswith(part) and i + 1 < len(words) and words[i + 1] == "uk") or word.endswith(part + "uk"):
                return Imitation(written, f"a .{part}.uk address", f"it is not a .{part}.uk address but is written "
                                 f"to read like one")
    shape_label, _ = _split(shape)
    for g in genuine:  # a letter or two swapped, dropped, doubled or changed
        real, _ = _split(skeleton(g))
        if _typo(shape_label, real):
            return Imitation(written, g, _slip(shape_label, real))
    return None


def _domain(address: str | None) -> str | None:
    if not address or "@" not in address:
        return None
    return address.rsplit("@", 1)[-1].strip().strip(">").lower() or None


def _failed(header: AuthenticationResults | None) -> bool:
    """DMARC failed, or SPF failed with no DKIM signature passing."""
    if header is None:
        return False
    return header.result("dmarc") == "fail" or (header.result("spf") == "fail" and header.result("dkim") != "pass")


def assess(parsed: ParsedMessage, inbox: str, authserv_id: str = "", referrer_email: str | None = None) -> SenderTrust:
    """The verdict on who sent `parsed` (`inbox`: the service's own address; `referrer_email`: the address the
    record would acknowledge besides the sender's)."""
    genuine = _genuine(own_domain(inbox)) if inbox else tuple(phrasebook.organisations_by_domain())
    header = trusted(parsed.authentication, authserv_id)
    checks = header.summary() if header else None
    failed = _failed(header)
    sender = _domain(parsed.from_address)
    found = imitation(sender, genuine)
    if found is not None:
        words = f"The sender's address {found.domain} imitates {found.imitates}: {found.how}."
        if failed:
            words += f" It also failed the sender checks ({checks})."
        return SenderTrust(True, words + " Nothing is sent to it automatically; check who really sent this before "
                                         "replying or passing it on.", checks)
    if header is not None and header.result("dmarc") == "fail" and sender and (
            any(_under(sender, s) for s in PUBLIC_BODIES) or any(_under(sender, g) for g in genuine)):
        return SenderTrust(True, f"The message claims to come from {sender} but failed that domain's sender checks "
                                 f"({checks}): it may be forged. Nothing is sent to it automatically; check with the "
                                 f"sender by a known phone number before acting on it.", checks)
    for label, address in (("reply-to", _first_address(parsed.header("reply-to"))), ("referrer's", referrer_email)):
        other = imitation(_domain(address), genuine)
        if other is not None:
            return SenderTrust(True, f"The {label} address {other.domain} imitates {other.imitates}: {other.how}. "
                                     f"Nothing is sent to it automatically; check who really sent this before replying.",
                               checks)
    return SenderTrust(False, None, checks)


_LINK = re.compile(r"(?i)\bhttps?://([^\s/?#:\"'<>()\[\]]+)")


def lure_link(parsed: ParsedMessage, inbox: str | None) -> Imitation | None:
    """A link in the message's text to a host that imitates the council's or a partner's domain
    (`hants-gov-uk.docusign-review.com`), in mail not sent from one of those domains: where a phishing lure
    sends its reader to give a password."""
    genuine = _genuine(own_domain(inbox)) if inbox else tuple(phrasebook.organisations_by_domain())
    sender = _domain(parsed.from_address)
    if sender and any(_under(sender, g) for g in genuine):
        return None  # the council's own mail linking to its own services under another name
    for source in parsed.sources:
        if source.part == "header":
            continue
        for m in _LINK.finditer(source.text[:20000]):
            found = imitation(m.group(1).rstrip(".").lower(), genuine)
            if found is not None:
                return found
    return None


def _first_address(value: str | None) -> str | None:
    match = re.search(r"[^\s<>@,;:\"]+@[^\s<>@,;:\"]+", value or "")
    return match.group(0) if match else None
