"""Family names: children named by first name only take the family name the message makes plain
("the Haddad family", "the Doyles", "the surname I think is Pimm", or the one surname all named parents share).
"""
from __future__ import annotations

import re
from dataclasses import replace

from extraction import evidence
from extraction.forms import FormReading
from extraction.model import Field
from extraction.names import STOP, WORD
from parsers.message import TextSource

_FAMILY = re.compile(rf"\b[Tt]he[ \t]+(?P<sur>{WORD})(?:[ \t]+family\b|s\b)|"
                     rf"\b(?i:the|their|the family['’]?s?)[ \t]+(?i:surname|last[ \t]+name|family[ \t]+name)[ \t]+"
                     rf"(?i:I[ \t]+(?:think|believe)[ \t]+)?(?i:is|was|might[ \t]+be|may[ \t]+be)[ \t]+(?P<said>{WORD})")


def family_names(sources: list[TextSource], reading: FormReading) -> None:
    """Children named by first name only take a family name the message makes plain: "the Haddad family",
    "the Doyles", or the one surname all named parents share."""
    plain = None
    for source in sources:
        m = _FAMILY.search(source.text)
        if m and m.group("said") and m.group("said").lower() not in STOP:  # "The surname I think is Kerr."
            plain = evidence.at(m.group("said"), evidence.PROSE, source.part, source.text, m.start("said"), m.end("said"))
            break
        if m and m.group("sur") and m.group("sur").lower() not in STOP:
            plain = evidence.at(m.group("sur").rstrip("s") if not m.group(0).endswith("family") else m.group("sur"),
                                evidence.PROSE, source.part, source.text, m.start("sur"), m.end("sur"))
            break
    if plain is None:
        named = [p for p in reading.parents if len((p.get("name") or "").split()) > 1]
        surnames = {(p.get("name") or "").split()[-1] for p in named}
        if len(surnames) == 1:
            src = named[0].fields["name"].source
            plain = Field(next(iter(surnames)), evidence.PROSE, replace(src, rule="surnames.parents_family_name"))
    if plain is None:
        return
    for c in reading.children:
        if "last_name" not in c.fields and c.get("first_name"):
            c.offer("last_name", plain)
