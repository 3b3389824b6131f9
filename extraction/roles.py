"""Who is whom across the parts of a message: the referrer, a parent who wrote, a school's own pupil.

Joins what forms, signatures, headers and attached emails say about the people: the referrer from
the form or the author's signature and headers (never a form robot), their type; a parent writing
about "my son" is a parent/carer too; a school writing about a pupil is that pupil's school.
"""
from __future__ import annotations

from dataclasses import replace

import os
import re
from collections.abc import Callable
from typing import Any
import unicodedata

from config import phrasebook
from extraction import classify, evidence, given_names
from extraction.context import ExtractionContext
from extraction.drafts import Draft
from extraction.forms import FormReading
from extraction.model import Field
from extraction.organisations import tidy_referrer
from extraction.people import GRANDCHILD, relationship_of
from extraction.referrer import (display_name, find_author, own_full_name, read_contact_block, read_own_phone,
                                 read_signature, read_vcard)
from extraction.referrer_types import SCHOOL_VOICE, kin_type, referrer_type_reading
from parsers.message import ParsedMessage


def fold(v: str | None) -> str:
    """A name as compared: case, punctuation and accents ignored ("Tomás" = "Tomas")."""
    return "".join(c for c in unicodedata.normalize("NFKD", (v or "").casefold()) if c.isalnum())


def first_last_match(a: str | None, b: str | None) -> bool:
    wa, wb = (a or "").casefold().split(), (b or "").casefold().split()
    return bool(wa and wb) and wa[0] == wb[0] and (len(wa) == 1 or len(wb) == 1 or wa[-1] == wb[-1])


def build_referrer(parsed: ParsedMessage, reading: FormReading, context: ExtractionContext) -> Draft:
    """The referrer: the form's answers, else the author's signature and headers; then their type."""
    d = reading.referrer
    own = (d.get("email") or "").strip().lower()
    if own and (own in context.own_addresses or own == context.inbox):
        d.drop("email", "the service's own address: where the form or letter was sent, not who wrote it")
    if "name" not in d.fields:
        for source in parsed.sources:
            if source.part != "header":
                read_contact_block(source, d)
    if "name" not in d.fields:  # the writer's own contact card attached ("Priya Shah.vcf")
        for source in parsed.sources:
            if source.part.startswith("attachment:"):
                read_vcard(source, d)
    # a form naming its author; an "Email:" line alone may be the signature's own (read with it below)
    # (not the sender's own address read from a table in their signature: "Email: priya.raman@..." under their name)
    form_named = "name" in d.fields or ("email" in d.fields and not (d.fields["email"].source.rule or "").startswith("form.line")
                                        and (d.get("email") or "").lower() != (parsed.from_address or ""))
    author = find_author(parsed)
    auto = (parsed.header("auto-submitted") or "").strip().lower()
    robot = classify.is_no_reply(parsed.from_address) or bool(auto and not auto.startswith("no"))
    if author is not None and not form_named:
        for key in ("phone", "email"):  # "Tel: ..." under a quoted colleague's name further down the thread
            f = d.fields.get(key)
            if f is not None and (f.source.rule or "").startswith("form.line") and f.source.part == author.source.part \
                    and f.source.start is not None and (f.source.start >= author.end
                                                        or author.forwarded and f.source.start < author.start):
                d.drop(key, "a labelled line outside the writer's own message: the quoted or forwarding writer's")
        read_signature(author, d, _place_test(context.register))
        read_own_phone(author, d)
        signed = d.get("name") or ""
        intro = own_full_name(author, signed) if signed and len(signed.split()) == 1 else None
        if intro is not None:  # signed "Samantha", "My name is Samantha Reid" above
            d.revise("name", intro, "the writer gave their full name in the message")
        if author.name and not (robot and not author.forwarded):
            fuller = _sender_name(parsed, author.name)
            if "name" not in d.fields:
                d.offer("name", fuller)
            elif len(author.name.split()) > len((d.get("name") or "").split()) \
                    and fold(author.name).startswith(fold(d.get("name"))):
                # signed "Hannah", the header says "Hannah Cole"
                d.revise("name", fuller, "the From header gives the signed name in full")
            elif _initials_of(d.get("name") or "", author.name):
                # signed "Mrs J Featherstone", the header says "Joanne Featherstone"
                d.revise("name", fuller, "the From header gives the initialled name in full")
        if author.address and not robot and author.address not in context.own_addresses:
            d.offer("email", _header_field(parsed, author.address, evidence.HEADER + 0.05)
                    or evidence.found(author.address, evidence.HEADER, "header", None, None, author.address))
    if form_named and not robot and parsed.from_name and _initials_of(d.get("name") or "", parsed.from_name):
        # a form "Completed by: H. Pembridge", sent by Hilary Pembridge: the sender's own name in full
        d.revise("name", _sender_name(parsed, parsed.from_name), "the From header gives the initialled name in full")
    sender = parsed.from_address
    if form_named and "email" not in d.fields and sender and not robot and sender not in context.own_addresses:
        # a form naming its author without an email, sent from an office address: reply to that address
        d.offer("email", _header_field(parsed, sender, evidence.HEADER) or
                evidence.found(sender, evidence.HEADER, "header", None, None, sender))
    if "organisation" not in d.fields and d.get("email"):
        _organisation_from_domain(d, reading, parsed, context)
    if "organisation" not in d.fields and author is not None and not author.forwarded and not robot:
        _organisation_from_display_name(d, parsed, context)
    if "organisation" not in d.fields:
        _public_body(d, parsed, context.inbox, forwarded=author is not None and author.forwarded)
    tidy_referrer(d)
    if context.register is not None:
        for key in ("role", "organisation"):  # "Farnborough" under the name: where the writer lives, not a job
            if _only_places(d.get(key) or "", context.register):
                d.drop(key, "a place, not a job or an organisation")
    if author is not None and form_named and any(k not in d.fields for k in ("organisation", "role", "phone")):
        signed = Draft("referrer")  # a form naming its author, sent by them with their signature below
        read_signature(author, signed, _place_test(context.register))
        tidy_referrer(signed)
        same = not signed.get("name") or not d.get("name") or first_last_match(signed.get("name"), d.get("name"))
        if same:
            for key in ("organisation", "role", "phone"):
                if key == "phone" and not (signed.get("name") and d.get("name")):
                    continue  # a phone only from a signature that names the form's author
                if key not in d.fields and key in signed.fields:
                    d.offer(key, signed.fields[key])
    if "type" not in d.fields or d.fields["type"].value not in (None,):
        answer = d.fields.get("type")
        body = " ".join(s.text for s in parsed.sources if s.part == "body")
        # "my grandchildren ... their mother, my daughter": a relative writing of the children, not their parent
        # "my two grandchildren, who have lived with us since August": a relative who cares for them answers as parent
        relative, cares = bool(_RELATIVE_OF_CHILD.search(body)), bool(_CARES_FOR.search(body))
        as_parent = bool(_MY_CHILD.search(body) or _SAYS_PARENT.search(body) or (relative and cares)) and not (
            relative and not cares)
        kind, basis, phrase = referrer_type_reading(d.get("email"), d.get("role"), d.get("organisation"),
                                                    answer.value if answer else None, as_parent)
        org = d.get("organisation")
        if kind not in ("school", None) and not answer and org and context.register is not None:
            match = context.register.match(org)
            if match is not None and match.score >= 0.9:
                kind, basis, phrase = "school", "register", None  # "Larchfield": a school in the register
        if kind == "other" and not answer and _AS_SCHOOL.search(body):
            # "X left us on 6 May ... no school has requested her file"
            kind, basis, phrase = "school", "school_voice", SCHOOL_VOICE.id
        if kind == "public" and not answer and "name" not in d.fields:
            kind = None  # a nameless mailbox (a bulletin, a system) is no member of the public
        if kind:
            src = answer.source if answer else None
            rule = phrasebook.rule_with_phrase(f"type.{basis}", phrase)  # "type.role#referrer_type.school_role"
            d.revise("type", Field(kind, 0.9 if answer else 0.88, replace(src, rule=rule)) if src else
                     evidence.derived(kind, 0.88, "from the sender's address and signature", rule=rule),
                     f"the referrer's type read {'from the answer' if answer else 'from who wrote'} ({basis})")
        else:
            d.drop("type", "the referrer's type could not be read")
    return d


_AS_SCHOOL = re.compile(r"(?i)" + phrasebook.alternation("referrer_types", "school_voice"))
_EMAIL_FROM_PARENT = re.compile(r"(?i)\b(?:e-?mail|message|letter) from (?:the )?(?:\w+['’]s |his |her |their |the child(?:ren)?['’]s? )"
                                r"(?P<rel>mother|mum|father|dad|grandmother|nan|grandfather|carer|guardian)\b")
# the writer's own relation to the children other than parent: "my two grandchildren", "my nephew Riley", "our two
# grandchildren"
_MY_KIN = (r"\b(?:my|our)[ \t]+(?:(?:two|three|four|five|\d|little|young|eldest|youngest|oldest)[ \t]+)?(?:great[- ]?)?"
           r"(?P<kin>" + GRANDCHILD + r"|nieces?|nephews?)\b")
_WRITERS_KIN = re.compile(r"(?i)" + _MY_KIN)
_RELATIVE_OF_CHILD = re.compile(r"(?i)" + _MY_KIN + r"|"
                                r"\bmy (?:son|daughter)\b[^.!?\n]{0,100}?\b(?:her|his|with the) (?:own )?(?:(?:two|three|four|five|\d|young|"
                                r"little) )?(?:children|kids)\b")  # "my daughter Rachel moved with her three children"
_CARES_FOR = re.compile(r"(?i)\b(?:(?:live[sd]?|living|staying|stays|stayed|resided|resides|reside|residing|been living) with "
                        r"(?:me|us|my (?:wife|husband|partner) and (?:me|I))\b|in my care|in our care|I care for|we care for|"
                        r"(?:special )?guardians?|kinship carers?|foster carers?|I(?:'m|’m| am) (?:their|his|her) carer)\b")
_MY_CHILD = re.compile(r"(?i)" + phrasebook.alternation("referrer_types", "parent_words"))
_SAYS_PARENT = re.compile(r"(?i)" + phrasebook.alternation("referrer_types", "parent_says_so"))  # "I'm the stepdad of"
_PLACED_WITH_WRITER = next(p for p in phrasebook.table("referrer_types") if p.id.endswith(".placed_with_writer"))
_SELF_REL = r"mum|mother|dad|father|nan|grandmother|grandad|grandfather|step-?mum|step-?dad|stepmother|stepfather|carer"
_SELF = re.compile(r"(?i)\bmy (?P<spouse>husband|wife)\b|\bI(?:'m|’m| am) (?:(?:[\w-]+ ){0,2}[\w-]+['’]s |his |her |their |the children's )?"
                   rf"(?P<rel>{_SELF_REL})\b|\bas (?:\w+['’]s |his |her |their |the child['’]?s |the children['’]?s |the )"
                   rf"(?P<rel2>{_SELF_REL})\b(?![ \t]+(?:knows?|is|was|has|had|does|did|will|would|can|could|"
                   r"may|might|lives?|works?|says?|said|wants?|won['’]?t|doesn['’]?t|isn['’]?t|has ?n['’]?t)\b)")
# ("as their dad knows the school": because their dad does, not the writer speaking as their dad)


def referrer_as_parent(parsed: ParsedMessage, referrer: Draft, parents: list[Draft]) -> None:
    """A parent writing about their own child is a parent/carer too."""
    name = referrer.get("name") or ""
    p = next((q for q in parents if first_last_match(q.get("name"), name)), None)
    if p is None:
        p = Draft("parent")
        parents.insert(0, p)
    for key in ("name", "phone", "email"):
        if key in referrer.fields:
            p.offer(key, referrer.fields[key])
    if "relationship" in p.fields:
        return
    answer = referrer.fields.get("type")  # a form's "Your relationship to the child: Mother"
    said = relationship_of(answer.source.text or "") if answer and answer.source.part != "derived" else None
    if said:
        p.offer("relationship", Field(said, answer.confidence, answer.source))
        return
    role = referrer.fields.get("role")
    if role and role.value and kin_type(role.value) == "parent":  # signed "Angela Whitcombe, Foster Carer"
        p.offer("relationship", Field(relationship_of(role.value), role.confidence, role.source))
        return
    placed = next(((s, m) for s in parsed.sources if s.part != "header"
                   for m in [_PLACED_WITH_WRITER.pattern.search(s.text)] if m), None)
    if placed:  # "I have had a young lad placed with me": their carer ("my husband and I" does not make her mother)
        s, m = placed
        p.offer("relationship", evidence.at("carer", evidence.PROSE_CUE, s.part, s.text, m.start(), m.end(),
                                            rule=_PLACED_WITH_WRITER.id))
        return
    src, kin = next(((s, m) for s in parsed.sources if s.part != "header" for m in [_WRITERS_KIN.search(s.text)] if m),
                    (None, None))
    sex = given_names.usual_sex(name)
    if src and kin and sex:  # "my two grandchildren ... Geoffrey Hollingworth": their grandfather, not their father
        rel = ("grandmother" if sex == "female" else "grandfather") if kin.group("kin").lower().startswith("grand") \
            else ("aunt" if sex == "female" else "uncle")
        p.offer("relationship", evidence.at(rel, evidence.PROSE, src.part, src.text, kin.start("kin"), kin.end("kin"),
                                            rule="roles.writers_kin"))
        return
    signed = re.compile(rf"(?i){re.escape(name)}\s*\((?:[\w'’-]+['’]s\s+)?(?P<rel>{_SELF_REL})\)") if name else None
    for s in parsed.sources:
        if s.part == "header":
            continue
        m = (signed.search(s.text) if signed else None) or _SELF.search(s.text)
        if m:
            word = m.groupdict().get("spouse") or m.group("rel") or m.groupdict().get("rel2")
            rel = {"husband": "mother", "wife": "father"}.get(word.lower()) or relationship_of(word)
            if rel:
                p.offer("relationship", evidence.at(rel, evidence.PROSE_CUE, s.part, s.text, m.start(), m.end()))
            return
    surname = re.escape(name.split()[-1]) if name.split() else None
    for s in parsed.sources:  # "Mrs Fiona Reed" or "Fiona Reed (Mrs)" signing about "my daughter"
        if s.part == "header" or surname is None or "relationship" in p.fields:
            continue
        t = re.search(rf"\b(?P<t>Mrs|Ms|Miss|Mr)\.?\s+(?:\w+\s+)?{surname}\b|{surname}\s*\((?P<t2>Mrs|Ms|Miss|Mr)\)", s.text)
        if t:
            title = t.group("t") or t.group("t2")
            rel = "father" if title == "Mr" else "mother"
            at = t.start("t") if t.group("t") else t.start("t2")
            p.offer("relationship", evidence.at(rel, evidence.PROSE_CUE, s.part, s.text, at, at + len(title)))
    others = [q.get("relationship") for q in parents if q is not p and q.get("relationship")]
    if "relationship" not in p.fields and others in (["mother"], ["father"]):
        # "My daughter Isla lives with her mum Stacey": the writer is her dad
        f = next(q for q in parents if q is not p and q.get("relationship")).fields["relationship"]
        p.offer("relationship", Field("father" if others == ["mother"] else "mother", evidence.PROSE,
                                      replace(f.source, rule="roles.the_other_parent")))


def writers_family_name(parsed: ParsedMessage, referrer: Draft, children: list[Draft]) -> None:
    """A parent writing of "my son X" makes the family name plain: the child without a surname takes theirs."""
    words = (referrer.get("name") or "").split()
    body = " ".join(s.text for s in parsed.sources if s.part == "body")
    if len(words) < 2 or not _MY_CHILD.search(body):
        return
    for c in children:
        if "last_name" not in c.fields and c.get("first_name"):
            c.offer("last_name", evidence.derived(words[-1], evidence.PROSE, "the family name of the parent who wrote"))


def parents_who_wrote(parsed: ParsedMessage, parents: list[Draft]) -> None:
    """An attached email in which its author writes of "my son" makes that author a parent/carer."""
    body = " ".join(s.text for s in parsed.sources if s.part == "body")
    said = _EMAIL_FROM_PARENT.search(body)
    for s in parsed.sources:
        if s.kind != "email" or not s.segments or not (_MY_CHILD.search(s.text) or said):
            continue
        seg = s.segments[0]
        name = display_name(seg.from_name)
        if not name:
            continue
        header_end = s.text.find("\n\n")
        p = next((q for q in parents if first_last_match(q.get("name"), name)), None)
        if p is None:
            p = Draft("parent")
            parents.append(p)
        at = s.text.find(seg.from_name or name, 0, max(header_end, 0))
        if at >= 0:
            p.offer("name", evidence.at(name, evidence.PROSE_CUE, s.part, s.text, at, at + len(seg.from_name or name)))
        if seg.from_address:
            at = s.text.find(seg.from_address, 0, max(header_end, 0))
            if at >= 0:
                p.offer("email", evidence.at(seg.from_address, evidence.HEADER, s.part, s.text, at,
                                             at + len(seg.from_address)))
        body_src = next((b for b in parsed.sources if b.part == "body"), None)
        rel_said = _EMAIL_FROM_PARENT.search(body_src.text) if body_src is not None else None
        if rel_said and "relationship" not in p.fields and relationship_of(rel_said.group("rel")):
            p.offer("relationship", evidence.at(relationship_of(rel_said.group("rel")), evidence.PROSE_CUE, "body",
                                                body_src.text, rel_said.start("rel"), rel_said.end("rel")))
        m = _SELF.search(s.text)
        if m and "relationship" not in p.fields:
            word = m.group("spouse") or m.group("rel")
            rel = {"husband": "mother", "wife": "father"}.get(word.lower()) or relationship_of(word)
            if rel:
                p.offer("relationship", evidence.at(rel, evidence.PROSE_CUE, s.part, s.text, m.start(), m.end()))


def _initials_of(signed: str, full: str) -> bool:
    """Whether `signed` is `full` with its given names cut to initials: "J Featherstone", "G. R. Allard"."""
    words, whole = signed.replace(".", ". ").split(), full.split()
    initials = [w.rstrip(".") for w in words[:-1]]
    return (len(words) >= 2 and len(whole) >= 2 and all(len(i) == 1 and i.isupper() for i in initials)
            and fold(words[-1]) == fold(whole[-1]) and whole[0][:1].upper() == initials[0]
            and len(whole[0]) > 1)


def pupil_of(referrer: Draft, children: list[Draft], context: ExtractionContext, category: str,
             parsed: ParsedMessage | None = None) -> None:
    """A school writing about its pupil: the child's school is the referrer's school when none is named. A school
    taking children off its roll (roll_removal), or listing pupils none of whose schools it names, writes about its
    own pupils: each child without a school named gets the writer's, not only the first. A school named only as
    where the pupil goes or came from ("transfers to Thornden School", "joined us from Bosmere Juniors") gives way
    to the writer's (rule roles.pupil_of.<category>)."""
    org = referrer.fields["organisation"]
    if context.register is None:
        return
    # a name several schools share is told apart by the town the writer signed with ("St Anne's Catholic
    # Primary School, Basingstoke") or, failing that, by where the pupils live
    homes = [(c.get("town"), c.get("postcode")) for c in children if c.get("town") or c.get("postcode")]
    signed_in = _town_after(parsed, org, context.register) if parsed is not None else None
    match = (context.register.match(org.value) or context.register.match(org.source.text or "")
             or (context.register.match(org.value, town=signed_in) if signed_in else None)
             or next((m for town, postcode in homes if (m := context.register.match(org.value, town=town, postcode=postcode))),
                     None))
    if match is None or match.score < 0.9:
        return
    # a school's list of its pupils names no school for any of them: all are the writer's (a reduced timetable
    # return or an attendance query lists the school's own pupils too)
    all_pupils = category in ("roll_removal", "reduced_hours", "attendance") or (
        category == "cme_referral" and not any(c.get("school") for c in children))
    for c in children if all_pupils else children[:1]:
        school = c.fields.get("school")  # none named, or the school named agrees with the writer's
        if school is None or context.register.match(school.value or "") == match:
            c.offer("school", Field(org.value, org.confidence, replace(org.source, rule="roles.pupil_of")))
        elif category in _OWN_PUPILS and parsed is not None and _names_another_roll(parsed, school, category) \
                and (ages := context.register.ages_of(match.urn)) and ages[1] >= 5:  # not a nursery's older sibling
            # "Ellie transfers to Thornden School": the roll she leaves is the writer's (a sibling's own school stays)
            c.revise("school", Field(org.value, org.confidence, replace(org.source, rule=f"roles.pupil_of.{category}")),
                     "a school writing about its own pupil; the school named is where they go or came from")


_OWN_PUPILS = ("roll_removal", "cme_referral")
_SIBLING_BEFORE = re.compile(r"(?i)\b(?:sister|brother|sibling|twin)s?\b[^.\n]{0,80}$")
_ON_ROLL_BEFORE = re.compile(r"(?i)\bon (?:the )?roll (?:at|of|with)\s+(?:the\s+)?$")


def _names_another_roll(parsed: ParsedMessage, school: Field, category: str) -> bool:
    """Whether a school writing about its pupil names another school only as where the pupil came from or goes
    ("joined us from Bosmere Juniors", "transfers to Thornden School"): not a sibling's own school ("His sister
    Evie is in Year 1 next door at Cupernham Infants"), and in a referral neither a form's answer nor a school
    the writer says the pupil is on the roll of ("was on roll at Henry Beaufort School")."""
    if category != "roll_removal" and school.source.rule.startswith("form."):
        return False  # a referral form's "School:" answer is the writer's word for the child's school
    source = next((s for s in parsed.sources if s.part == school.source.part), None)
    if source is None or school.source.start is None:
        return False
    before = source.text[max(0, school.source.start - 100):school.source.start]
    if _SIBLING_BEFORE.search(before):
        return False
    return category == "roll_removal" or not _ON_ROLL_BEFORE.search(before)


def _town_after(parsed: ParsedMessage, org: Field, register: Any) -> str | None:
    """The town a school's name is signed with: "Kings' School, Winchester", "St Anne's Catholic Primary School\nBasingstoke"."""
    source = next((s for s in parsed.sources if s.part == org.source.part), None)
    if source is None or org.source.end is None:
        return None
    after = re.match(r"[ \t]*(?:,[ \t]*|\n[ \t]*)([A-Z][\w'’-]+(?:[ \t][A-Z][\w'’-]+)?)", source.text[org.source.end:org.source.end + 40])
    if after is None:
        return None
    for words in (after.group(1), after.group(1).split()[0]):
        if register.is_place(words):
            return words
    return None


def _organisation_from_domain(d: Draft, reading: FormReading, parsed: ParsedMessage,
                              context: ExtractionContext) -> None:
    """A school named in the message whose name the referrer's email domain spells is their organisation."""
    label = (d.get("email") or "").rsplit("@", 1)[-1].split(".")[0].replace("-", "")
    if len(label) < 5:
        return
    candidates = [c.fields["school"] for c in reading.children if c.fields.get("school")]
    if context.register is not None:
        for source in parsed.sources:
            if source.part == "body":
                for _match, written, s, e in context.register.find_in_text(source.text):
                    candidates.append(evidence.at(written, evidence.LABELLED_LINE, source.part, source.text, s, e))
    for school in candidates:
        if school and school.value:
            folded = fold(school.value)
            common = len(os.path.commonprefix([folded, label]))
            if common >= 8 or (common >= 5 and common == len(label)):
                d.offer("organisation", Field(school.value, school.confidence,
                                              replace(school.source, rule="roles.organisation_from_domain")))
                return


# what a school's mailbox adds to its name: "Grange Junior School Office", "Reception - Stanmore Primary",
# "Brighton Hill Community School (via Arbor)"
_MAILBOX_WORDS = re.compile(r"(?i)\([^)]*\)|\b(?:office|admin|administration|reception|attendance|admissions|enquiries|"
                            r"info|pastoral|safeguarding)\b|[-–|:]")


def _organisation_from_display_name(d: Draft, parsed: ParsedMessage, context: ExtractionContext) -> None:
    """A school's office mailbox that signs with a first name only ("Thanks Karen" from "Grange Junior School
    Office"): the school its display name names, when the register knows it well."""
    shown = parsed.from_name or ""
    if context.register is None or not re.search(r"(?i)\b(?:school|academy|college|primary|junior|infant)s?\b", shown):
        return
    match = context.register.match(" ".join(_MAILBOX_WORDS.sub(" ", shown).split()))
    if match is not None and match.score >= 0.9:
        d.offer("organisation", evidence.derived(match.name, evidence.DERIVED, f"the sender's name ({shown})",
                                                 rule="roles.organisation_from_display_name"))


def _public_body(d: Draft, parsed: ParsedMessage, inbox: str, forwarded: bool = False) -> None:
    """A council, police force or NHS trust known by the referrer's email domain, or the sending system's
    (config/organisations.csv), when nothing the writer wrote names their organisation. Not the inbox's own
    council: its staff name their team, and a record of the council writing to itself says nothing. Not the
    sender's either when the referrer wrote the message the sender forwards (`forwarded`): a parent's message
    passed on by an admissions officer is not the council's."""
    own = inbox.rsplit("@", 1)[-1].lower()
    for address in (d.get("email"),) if forwarded else (d.get("email"), parsed.from_address):
        if not address or (own and address.lower().rsplit("@", 1)[-1].endswith(own)):
            continue
        body = phrasebook.organisation_of(address)
        if body:
            d.offer("organisation", evidence.derived(body, evidence.DERIVED, f"the body that uses {address.rsplit('@', 1)[-1]}",
                                                     rule="organisations.domain"))
            return


def _sender_name(parsed: ParsedMessage, name: str) -> Field | None:
    """The sender's display name as a finding: where the header part shows it, else as the header gave it."""
    return _header_field(parsed, name, evidence.HEADER) or evidence.found(
        name, evidence.HEADER - 0.05, "header", None, None, name, rule="roles.build_referrer")


def _header_field(parsed: ParsedMessage, value: str, conf: float) -> Field | None:
    header = next((s for s in parsed.sources if s.part == "header"), None)
    if header is None:
        return None
    at = header.text.find(value)
    if at < 0:
        at = header.text.lower().find(value.lower())
    if at < 0:
        return None
    return evidence.at(value, conf, "header", header.text, at, at + len(value))


def _only_places(value: str, register: Any) -> bool:
    """"Basingstoke, Hampshire": a line that names only places, never a job or an organisation."""
    return bool(value) and not re.search(r"(?i)\b(?:school|academy|college|council|centre|service|team|trust|ltd)\b", value) \
        and all(register.is_place(p.strip()) for p in value.split(",") if p.strip())


def _place_test(register: Any) -> Callable[[str], bool] | None:
    return None if register is None else (lambda line: _only_places(line, register))
