"""What kind of message this is, and whether its sender may be acknowledged.

Owns: automatic mail detection (RFC 3834 and bounce reports), no-reply and mailing-list
senders, case references (CME-YYYY-NNNNN), and the category of the contract from weighted
phrase evidence (subject and the sender's own words count more than quoted text; disclaimers
not at all; negated phrases not at all).
"""
from __future__ import annotations

import re
from collections import defaultdict

from config import phrasebook
from config.phrasebook import Phrase
from extraction import senders
from extraction.category_phrases import EVIDENCE
from extraction.clauses import negated, unwrap
from extraction.safeguarding import ADVERT_KINDS, Passage, assess, passages, promotional
from parsers.message import ParsedMessage

CATEGORIES = ("cme_referral", "roll_removal", "la_enquiry", "case_update", "ehe", "attendance",
              "reduced_hours", "auto_reply", "bounce", "other")

# --- automatic mail (the phrases: config/phrases/automatic.jsonl) ------------------------------
_AUTO_SUBJECT = re.compile(r"(?i)" + phrasebook.alternation("automatic", "auto_subject"))
_BOUNCE_SUBJECT = re.compile(r"(?i)" + phrasebook.alternation("automatic", "bounce_subject"))
_BOUNCE_SENDER = re.compile(r"(?i)" + phrasebook.alternation("automatic", "bounce_sender"))
_NO_REPLY = re.compile(r"(?i)" + phrasebook.alternation("automatic", "no_reply"))


def detect_automatic(parsed: ParsedMessage) -> str | None:
    """"bounce" for delivery reports, "auto_reply" for content-free automatic replies (out-of-office
    notes, read receipts, auto-acknowledgements), else None.

    Whether a message was *sent* by a machine (`sent_automatically`) is a different question: it
    decides that no acknowledgement goes to that address, never that the message goes unread. A
    form robot's notification says `Auto-Submitted: auto-generated` and carries a whole referral.
    """
    ctype = (parsed.header("content-type") or "").lower()
    subject = parsed.subject or ""
    sender = parsed.from_address or ""
    if ("multipart/report" in ctype and "delivery-status" in ctype) or ctype.startswith("message/delivery-status") \
            or _BOUNCE_SUBJECT.match(subject) or _BOUNCE_SENDER.match(sender):
        return "bounce"
    if "multipart/report" in ctype or ctype.startswith("message/disposition-notification"):
        return "auto_reply"  # read receipts, feedback reports: machines reporting
    auto = (parsed.header("auto-submitted") or "").strip().lower()
    if auto.startswith("auto-replied"):
        return "auto_reply"  # RFC 3834: a response made by a machine (out-of-office, auto-acknowledgement)
    if parsed.header("x-autoreply") or parsed.header("x-autorespond") or parsed.header("x-auto-response"):
        return "auto_reply"
    precedence = (parsed.header("precedence") or "").strip().lower()
    if precedence in ("auto_reply", "auto-reply"):
        return "auto_reply"
    suppress = (parsed.header("x-auto-response-suppress") or "").lower()
    if _AUTO_SUBJECT.match(subject):
        return "auto_reply"
    if suppress and re.search(r"\b(all|oof|autoreply)\b", suppress) and re.search(
            r"(?i)\b(out of (the )?office|annual leave|away|reply)\b", subject):
        return "auto_reply"
    if (precedence in ("bulk", "junk") or auto) and _looks_automatic_body(parsed):
        return "auto_reply"
    if _out_of_office_body(parsed):
        return "auto_reply"
    return None


def is_content_free_report(parsed: ParsedMessage) -> bool:
    """A delivery report or read receipt by its MIME type: machine output that never needs reading."""
    ctype = (parsed.header("content-type") or "").lower()
    return "multipart/report" in ctype or ctype.startswith(("message/delivery-status", "message/disposition-notification"))


def sent_automatically(parsed: ParsedMessage) -> bool:
    """The sending address is a machine's (RFC 3834 headers, bulk precedence, a no-reply sender):
    nothing is ever sent back to it. Says nothing about whether the content needs reading."""
    auto = (parsed.header("auto-submitted") or "").strip().lower()
    if auto and not auto.startswith("no"):
        return True
    if parsed.header("x-autoreply") or parsed.header("x-autorespond") or parsed.header("x-auto-response"):
        return True
    if (parsed.header("precedence") or "").strip().lower() in ("bulk", "junk", "list", "auto_reply", "auto-reply"):
        return True
    return is_no_reply(parsed.from_address)


_OOO_OPENING = re.compile(r"(?i)" + phrasebook.alternation("automatic", "ooo_opening"))
_OOO_AWAY = re.compile(r"(?i)" + phrasebook.alternation("automatic", "ooo_away"))
_AUTO_ACK = re.compile(r"(?i)" + phrasebook.alternation("automatic", "auto_ack"))
_OOO_RETURN = re.compile(r"(?i)" + phrasebook.alternation("automatic", "ooo_return"))


def _out_of_office_body(parsed: ParsedMessage) -> bool:
    """A short note whose first words say its writer is away and when they return: an out-of-office
    reply from a system that adds no Auto-Submitted header, whatever its subject says."""
    body = next((s for s in parsed.sources if s.part == "body"), None)
    if body is None:
        return False
    top = body.text
    for seg in sorted(body.segments, key=lambda g: g.start):
        if seg.kind != "top" and seg.start > 0:
            top = body.text[:seg.start]
            break
    top = top.strip()
    if not top or len(top) > 700:
        return False
    if not _OOO_OPENING.search(top[:200]) and not re.match(r"(?i)\W*thank you for contacting\b", top):
        return False
    return bool(_OOO_AWAY.search(top[:300]) and _OOO_RETURN.search(top) or _AUTO_ACK.search(top))


# a machine's notification that carries what a person said or wrote: "Transcript (automatically generated ...):",
# "Message:", "Comments:" (a voicemail, a web form): read, not closed as an automatic reply
_CARRIES_MESSAGE = re.compile(r"(?im)^[ \t]*(?:transcript|transcription|message|your message|comments?|details|"
                              r"description|enquiry|concern)\b[^\n:]{0,60}:")


def _looks_automatic_body(parsed: ParsedMessage) -> bool:
    text = " ".join(s.text[:600] for s in parsed.sources if s.part == "body")
    if _CARRIES_MESSAGE.search(text):
        return False
    return bool(re.search(r"(?i)out of (the )?office|on annual leave|automatic(ally)? (reply|generated)|"
                          r"i am (currently )?away", text))


def is_no_reply(address: str | None) -> bool:
    """True for no-reply, do-not-reply, mailer-daemon, postmaster and similar robot addresses."""
    return bool(address) and bool(_NO_REPLY.match(address.strip().lower()))


def is_mailing_list(parsed: ParsedMessage) -> bool:
    """True when the message came through a mailing list (RFC 2369 List- headers, `Precedence: list`)."""
    if any(parsed.header(h) for h in ("list-id", "list-unsubscribe", "list-post", "list-help")):
        return True
    return (parsed.header("precedence") or "").strip().lower() == "list"


def acknowledgement_allowed(parsed: ParsedMessage, category: str, reply_to: str | None,
                            own_address: str | None) -> bool:
    """Whether the service may send an automatic acknowledgement to `reply_to` (RFC 3834)."""
    if not reply_to or "@" not in reply_to:
        return False
    address = reply_to.strip().lower()
    if category in ("auto_reply", "bounce") or is_mailing_list(parsed) or is_no_reply(address):
        return False
    if sent_automatically(parsed) and address == (parsed.from_address or "").strip().lower():
        return False  # never answer a machine; a referrer's own address given in its form is a person's
    if own_address and address == own_address.strip().lower():
        return False
    if category == "other" and (looks_like_spam(parsed, own_address) or notice_in(parsed) is not None):
        return False  # phishing; a machine's notice (secure mail waiting, a message recalled): no one to thank
    return True


def notice_in(parsed: ParsedMessage) -> Phrase | None:
    """The phrase of config/phrases/notices.jsonl the message's text shows (a secure message waiting elsewhere,
    a message recalled), or None."""
    return next((p for p in phrasebook.table("notices") for s in parsed.sources if s.part != "header"
                 and p.pattern.search(s.text)), None)


_SPAM = re.compile(r"(?i)(" + phrasebook.alternation("spam", "lure") + ")")
_SPAM_DOMAIN = re.compile(r"(?i)" + phrasebook.alternation("spam", "throwaway_domain"))


def looks_like_spam(parsed: ParsedMessage, own_address: str | None = None) -> bool:
    """Phishing and junk: two credential-lure phrases, or one with a throwaway domain or an attached web page; or a
    link to a host that imitates the council's or a partner's domain (`senders.lure_link`), whatever the words."""
    text = (parsed.subject or "") + " " + " ".join(s.text[:3000] for s in parsed.sources if s.part == "body")
    hits = len(_SPAM.findall(text))
    domain = (parsed.from_address or "").rsplit("@", 1)[-1]
    # a web page sent as an attachment ("INV-44821.html"): how a lure carries its fake sign-in form
    page = any(a.filename.lower().endswith((".htm", ".html", ".shtml", ".xhtml")) for a in parsed.attachments)
    return hits >= 2 or (hits >= 1 and (bool(_SPAM_DOMAIN.search(domain)) or page)) \
        or senders.lure_link(parsed, own_address) is not None


# --- case references -------------------------------------------------------------------------
# one inside another body's reference ("DC/CME/2026/118", another council's) is not the council's own
CASE_REF = re.compile(r"(?i)(?<![A-Za-z0-9][/\\_-])\bCME[\s\-_/.:#]{0,3}((?:20)?\d{2})[\s\-_/.]{1,3}(\d{1,6})\b")


def normalise_case_reference(year: str, number: str) -> str:
    """CME-YYYY-NNNNN from the year and number as written ("26" is 2026)."""
    return f"CME-{2000 + int(year) if len(year) == 2 else year}-{int(number):05d}"


def find_case_reference(parsed: ParsedMessage) -> tuple[str, str, int, int] | None:
    """(CME-YYYY-NNNNN, part, start, end) of the first case reference: subject, then body, then the rest. A
    reference said once to be another body's ("Surrey ref CME/26/0418") is theirs wherever else it is written
    ("Our reference: CME/26/0418" in their letter)."""
    texts = [parsed.subject or ""] + [s.text for s in parsed.sources if s.part != "header"]
    theirs = {normalise_case_reference(m.group(1), m.group(2)) for text in texts for m in CASE_REF.finditer(text)
              if _said_theirs(text, m)}
    if parsed.subject:
        m = _ours(parsed.subject, theirs)
        if m:
            return normalise_case_reference(m.group(1), m.group(2)), "header", *_subject_span(parsed, m)
    ordered = sorted(parsed.sources, key=lambda s: (s.part != "body", s.part == "header"))
    for source in ordered:
        if source.part == "header":
            continue
        m = _ours(source.text, theirs)
        if m:
            return normalise_case_reference(m.group(1), m.group(2)), source.part, m.start(), m.end()
    return None


# another body's reference: "Surrey CME ref: CME/26/1187", "KCC Ref CME/2026/4471", "their ref CME/26/44" (not
# "Your ref", "Hampshire ref", "RE: Ref")
_THEIRS = re.compile(r"(?:\b(?!(?i:Hampshire|Hants|HCC|Our|Your|My|The|Case|CME|Ref|Re|Fwd?|Fw)\b)[A-Z][A-Za-z]+|\b(?i:their))"
                     r"(?:[ \t]+CME)?[ \t]+(?i:ref(?:erence)?|case[ \t]+(?:ref(?:erence)?|number|no\.?))"
                     r"[ \t]*(?:no\.?)?[ \t]*[:#]?[ \t]*$")


def _said_theirs(text: str, m: re.Match[str]) -> bool:
    return bool(_THEIRS.search(text, max(0, text.rfind("\n", 0, m.start()) + 1, m.start() - 40), m.start()))


def _ours(text: str, theirs: set[str] = frozenset()) -> re.Match[str] | None:
    """The first reference in `text` that is not said to be another body's, here or elsewhere (`theirs`)."""
    for m in CASE_REF.finditer(text):
        if not _said_theirs(text, m) and normalise_case_reference(m.group(1), m.group(2)) not in theirs:
            return m
    return None


def _subject_span(parsed: ParsedMessage, m: re.Match[str]) -> tuple[int, int]:
    """Offsets of the subject's reference in the header part's text when it is there."""
    header = next((s for s in parsed.sources if s.part == "header"), None)
    if header:
        idx = header.text.find(m.group(0))
        if idx >= 0:
            return idx, idx + len(m.group(0))
    return m.start(), m.end()


# --- categories ------------------------------------------------------------------------------
_PART_WEIGHT = {"subject": 2.0}


def _weight(p: Passage) -> float:
    if p.part == "subject":
        return _PART_WEIGHT["subject"]
    if p.part.startswith("attachment:"):
        return 0.8 * p.weight
    return p.weight


_TEAM = re.compile(r"(?i)(\s+[A-Z]\w*){0,2}?\s*(\(\w+\)\s*)?(inbox|team|officers?|service|department|advis[eo]r|co-?ordinator|"
                   r"mailbox|address|manager|lead|worker|support officer|panel)\b|\s*<|[\w.-]*@")


def _names_a_team(text: str, start: int, end: int) -> bool:
    """"EHE inbox", "Attendance Officer", "ehe@...": words naming a team or role, not the matter."""
    if start > 0 and text[start - 1] in "@.":
        return True
    return bool(_TEAM.match(text, end))


def _scores(parsed: ParsedMessage) -> tuple[dict[str, float], dict[str, list[str]]]:
    scores: dict[str, float] = defaultdict(float)
    seen: dict[str, list[str]] = defaultdict(list)
    flats: dict[int, str] = {}
    for p in passages(parsed):
        w = _weight(p)
        if w <= 0:
            continue
        flat = flats.setdefault(id(p.text), unwrap(p.text))
        for category, rules in EVIDENCE.items():
            for pattern, value in rules:
                for m in pattern.finditer(flat, p.start, p.end):
                    if negated(p.text, m.start(), m.end()) and (category != "attendance" or re.match(
                            r"(?i)(?:is|has been|still)\b", m.group(0))):
                        continue  # "I don't think she is in school"; an attendance phrase may be a negation itself
                    if _names_a_team(p.text, m.start(), m.end()):
                        continue
                    phrase = " ".join(m.group(0).lower().split())
                    if phrase in seen[category]:
                        scores[category] += 0.2 * value * w  # repeats add little
                        continue
                    seen[category].append(phrase)
                    scores[category] += value * w
    return scores, seen


def _own_council(own_address: str | None) -> str:
    """The service's own council's domain: "cme@cme.hants.gov.uk" -> "hants.gov.uk"."""
    return ".".join((own_address or "cme@hants.gov.uk").rsplit("@", 1)[-1].lower().split(".")[-3:])


def _within(domain: str, parent: str) -> bool:
    return domain == parent or domain.endswith("." + parent)


def _other_council(address: str | None, own_address: str | None = None) -> bool:
    """A council address (gov.uk) that is not the service's own council."""
    domain = (address or "").rsplit("@", 1)[-1].lower()
    return domain.endswith(".gov.uk") and not _within(domain, _own_council(own_address))


_COUNCIL_DOMAIN = re.compile(r"\.gov(?:\.[a-z]+)?$")  # gov.uk, gov.wales, gov.scot (and the tests' gov.example)
_CME_ROLE = re.compile(r"(?i)" + phrasebook.alternation("category_context", "cme_role"))
_DOUBTED_EHE = re.compile(r"(?i)" + phrasebook.alternation("category_context", "doubted_ehe"))
_SCHOOL_VOICE = re.compile(r"(?i)" + phrasebook.alternation("category_context", "school_voice"))
_PARENT_VOICE = re.compile(r"(?i)" + phrasebook.alternation("category_context", "parent_voice"))


def _weigh_context(parsed: ParsedMessage, scores: dict[str, float], reasons: list[str],
                   own_address: str | None = None, at_risk: bool = False) -> None:
    """Evidence that changes what other evidence means: who is writing, and doubt about home education."""
    own = " ".join(p.text[p.start:p.end] for p in passages(parsed) if p.weight > 0)
    domain = (parsed.from_address or "").rsplit("@", 1)[-1].lower()
    school_sender = bool(re.search(r"sch\.uk$|school|academy|college|prep", domain)) or bool(_SCHOOL_VOICE.search(own))
    parent = bool(_PARENT_VOICE.search(own))
    own_council = _own_council(own_address)
    own_schools = own_council.split(".")[0] + ".sch.uk"  # "hants.gov.uk" -> "hants.sch.uk"
    if scores["la_enquiry"] and (_within(domain, own_council) or _within(domain, own_schools)
                                 or (re.search(r"sch\.uk$", domain) and at_risk)):
        # another council traces a child; the council's own staff or schools asking whether a child is in the
        # county, or another area's school describing a child at risk, are telling the CME team about the child
        scores["la_enquiry"] *= 0.3
        reasons.append("an enquiry's words, but written by a school or the council's own staff")
    elif scores["la_enquiry"] and at_risk and domain and not _COUNCIL_DOMAIN.search(domain):
        # "please confirm whether the children are known to you" from a police force or a children's home about a
        # child at risk: no other council is tracing a child, someone is telling the CME team about one
        scores["la_enquiry"] *= 0.3
        reasons.append("an enquiry's words, but not written from a council's address")
    written = " ".join(p.text[p.start:p.end] for p in passages(parsed) if p.weight >= 1.0)
    if scores["ehe"] and _DOUBTED_EHE.search(written):  # the writer's doubt, not a letter of ours quoted below
        # a child out of school while the family merely claims home education is still a CME referral
        scores["ehe"] *= 0.3
        scores["cme_referral"] += 2.0
        reasons.append("home education is claimed but not shown")
    if scores["roll_removal"] and not school_sender:
        scores["roll_removal"] *= 0.5  # someone else reporting that a school took a child off roll
    if scores["roll_removal"] and scores["ehe"]:
        if parent and not school_sender:
            scores["roll_removal"] *= 0.5  # a parent asking the school to take a child off roll
        elif school_sender:
            scores["ehe"] *= 0.5  # a school removing a pupil whose parents chose home education
    if scores["ehe"] and parent:
        scores["ehe"] += 0.5  # a parent writing about home education


_UNSET = "unset"


_SALUTATION = re.compile(r"(?im)^[ \t]*Dear\b")


def _after_salutation(text: str) -> str:
    """A letter's text from its "Dear ..." on: the address block above it names the addressee ("Children Missing
    Education Officer, Hampshire County Council"), not the writer."""
    m = _SALUTATION.search(text, 0, 1500)
    return text[m.start():] if m else text


# what a message naming no child asks for that makes its CME words the topic, not a referral
_ASKS_NOT_REFERS = ("category.other.asks_for_forms", "category.other.procedure_question")


_NOT_FOR_A_CHILD_AT_RISK = ("other", "attendance", "reduced_hours")
_QUOTED_HEADERS = re.compile(r"(?im)^[> \t]*From:[^\n]*\n(?:[> \t]*(?:Sent|Date|To|Cc|Subject):[^\n]*\n){1,5}")


def _follows_own_message(parsed: ParsedMessage, own_address: str | None) -> bool:
    """A reply ("RE: ...") written over the writer's own earlier message to this inbox: a follow-up of the referral
    they made (a correction, a chaser), not a new one. A forward of it ("FW: ... SECOND EMAIL") is sent as new."""
    sender, inbox = (parsed.from_address or "").lower(), (own_address or "").lower()
    if not sender or not inbox or not re.match(r"(?i)\s*re\s*:", parsed.subject or ""):
        return False
    for source in parsed.sources:
        if source.part != "body":
            continue
        for m in _QUOTED_HEADERS.finditer(source.text):
            first, _, rest = m.group(0).lower().partition("\n")
            if sender in first and inbox in rest:
                return True
        wrote = re.search(r"(?im)^[> \t]*on .{5,160}wrote:", source.text)
        if wrote and sender in wrote.group(0).lower() and any(inbox == (a or "").lower() for a in parsed.to):
            return True
    return False


def categorise(parsed: ParsedMessage, has_child: bool, case_reference: str | None,
               own_address: str | None = None, automatic: str | None = _UNSET) -> tuple[str, float, list[str]]:
    """(category, confidence 0..1, reasons in words) for the message.

    `own_address` is the inbox's address: mail from other councils' domains weighs as an enquiry.
    `automatic` is `detect_automatic`'s answer when the caller has already weighed it (None for
    automatic mail that carries a child's details and is read like any other).
    """
    if automatic == _UNSET:
        automatic = detect_automatic(parsed)
    if automatic:
        return automatic, 0.97, [f"automatic message ({automatic.replace('_', ' ')}) from its headers or subject"]
    if case_reference:
        return "case_update", 0.9, [f"quotes case reference {case_reference}"]
    if looks_like_spam(parsed, own_address):
        return "other", 0.9, ["looks like spam or phishing"]
    if has_child and is_mailing_list(parsed) and len(bulletin := promotional(parsed)) >= 2:
        return "other", 0.85, [f"a bulletin from a mailing list ({', '.join(bulletin)}): "
                               "the children it tells of are stories, not referrals"]
    if not has_child:
        if is_mailing_list(parsed):
            return "other", 0.9, ["mail from a mailing list that names no child"]
        notice = notice_in(parsed)
        if notice is not None:
            return "other", 0.85, [f"{notice.means} ({notice.id}); no child is named in the notice itself"]
        promo = promotional(parsed)
        if len(promo) >= ADVERT_KINDS:  # an event, its price and how to book, about CME but naming no child
            return "other", 0.85, [f"an advert ({', '.join(promo)}) that names no child"]
    request = next((p for p in phrasebook.table("requests") for text in
                    [parsed.subject or ""] + [s.text[:1500] for s in parsed.sources if s.part == "body"]
                    if p.pattern.search(text)), None)
    at_risk = assess(parsed)[0]  # a child at risk described: weighed once, used below
    if request is not None and not at_risk:
        return "other", 0.85, [f"{request.means} ({request.id}): for the information governance team, not a referral"]
    scores, seen = _scores(parsed)
    reasons: list[str] = []
    if not has_child and not at_risk:
        body = " ".join(s.text[:3000] for s in parsed.sources if s.part == "body")
        asks = next((p for p in phrasebook.table("categories") if p.id in _ASKS_NOT_REFERS and p.pattern.search(body)),
                    None)
        top = max(scores, key=lambda k: scores[k], default=None)
        if asks is not None and top == "cme_referral":
            # "send me a copy of your CME policy and referral form": the CME words name what is asked for
            return "other", 0.8, [f"{asks.means} ({asks.id}), and no child is named"]
    if _other_council(parsed.from_address, own_address):
        if scores["la_enquiry"]:
            scores["la_enquiry"] *= 2.0  # a council's "CME" words name its own team
            reasons.append("sent from another council's address")
        own_words = " ".join(_after_salutation(p.text[p.start:p.end]) for p in passages(parsed) if p.weight > 0.3)
        if _CME_ROLE.search(own_words):
            scores["la_enquiry"] += 2.0
            reasons.append("written by another council's CME officer")
    _weigh_context(parsed, scores, reasons, own_address, at_risk)
    if not has_child and at_risk:
        has_child = True  # a child at risk described to the CME inbox is a referral even when no name was found
        reasons.append("a child at risk is described although no child's name was found")
    if max(scores.values(), default=0.0) < 1.0:
        category = "cme_referral" if has_child else "other"
        return category, 0.5, reasons + ["no clear evidence of the kind of message"]
    if has_child:
        scores["cme_referral"] += 1.0
    else:
        scores["other"] += 1.0
    ranked = sorted(((v, k) for k, v in scores.items() if k in CATEGORIES), reverse=True)
    top, category = ranked[0]
    if category == "ehe" and has_child and at_risk:
        # home education named while a child is at risk: the CME team must see it
        ranked = [(top, "cme_referral")] + [r for r in ranked if r[1] != "cme_referral"]
        category = "cme_referral"
        reasons.append("home education is mentioned but the child may be at risk")
    if category in _NOT_FOR_A_CHILD_AT_RISK and has_child and at_risk:
        # a child at risk described to the CME inbox is never "other", nor an attendance or timetable matter for
        # another team ("her attendance this year is 97%" beside a forced marriage), whatever words it uses
        ranked = [(top, "cme_referral")] + [r for r in ranked if r[1] != "cme_referral"]
        category = "cme_referral"
        reasons.append("a child at risk is described")
    second = ranked[1][0] if len(ranked) > 1 else 0.0
    confidence = round(min(0.95, 0.5 + 0.45 * (top - second) / max(top, 1e-9)), 2)
    if category == "cme_referral" and _follows_own_message(parsed, own_address):
        category, confidence = "case_update", 0.8  # "sorry, wrong DOB", "still no reply to this": their referral
        reasons.append("a reply over the writer's own earlier message to this inbox")
    if seen.get(category):
        reasons.append(f"{category.replace('_', ' ')}: " + ", ".join(f"\u201c{w}\u201d" for w in seen[category][:4]))
    return category, confidence, reasons
