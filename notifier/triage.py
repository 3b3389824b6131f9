"""What happens to a referral once it is read: pure, no I/O.

`decide(referral, teams)` says whether the message opens a new case, is attached to an existing
one (a case update), is forwarded to another team (misdirected EHE, attendance or reduced-hours
mail), or is only stored (automatic replies, bounces); whether the sender is acknowledged, and
at which address; and whether a CME Officer must review it.

A suspect sender (`referral.sender`, the verdict of extraction/senders.py: a look-alike of the
council's or a partner's domain, or a council/NHS/police domain that failed DMARC) gets no
acknowledgement, its mail is not forwarded (it opens a case for review instead), and an officer
reviews it: nothing goes out to an impostor, and nothing it wrote reaches another team unread.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from config.settings import TeamAddresses
from extraction.classify import is_no_reply
from extraction.model import Referral

# Senders that never get an automatic reply (RFC 3834 and de-facto robot addresses).
ROBOT_LOCAL_PART = re.compile(
    r"^(no[-_.]?reply|do[-_.]?not[-_.]?reply|donotreply|mailer[-_.]?daemon|postmaster|bounces?|"
    r"notifications?|alerts?|auto[-_.]?reply|autoresponder|listserv|majordomo|owner-.*|.*-request|"
    r".*[-_.]no[-_.]?reply)$")
ADDRESS = re.compile(r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
                     r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$")
FORWARDED = {"ehe": ("ehe", "elective home education", "the Elective Home Education team"),
             "attendance": ("attendance", "school attendance", "the Attendance team"),
             "reduced_hours": ("reduced_hours", "a reduced timetable", "the Reduced Hours Provision team")}
STORE_ONLY = ("auto_reply", "bounce")


@dataclass(frozen=True)
class Forward:
    address: str
    topic: str  # words for the acknowledgement: "elective home education"
    team: str  # "the Elective Home Education team"


@dataclass(frozen=True)
class Decision:
    action: str  # new_case | attach | forward | store
    forward: Forward | None
    ack_to: str | None  # None: no acknowledgement
    review: bool
    notes: tuple[str, ...] = ()  # why no acknowledgement, for the log


def is_robot_address(address: str) -> bool:
    local = address.split("@", 1)[0].lower()
    return bool(ROBOT_LOCAL_PART.match(local)) or is_no_reply(address)


def _usable(address: str | None) -> str | None:
    value = (address or "").strip().lower()
    return value if len(value) <= 254 and ADDRESS.fullmatch(value) else None


def _team_address(teams: TeamAddresses, key: str) -> str:
    return {"ehe": teams.ehe, "attendance": teams.attendance, "reduced_hours": teams.reduced_hours}[key]


def ack_recipient(referral: Referral, teams: TeamAddresses) -> tuple[str | None, str]:
    """Who gets the acknowledgement: the sender, or the referrer a form robot names; else why nobody."""
    own = {teams.cme, teams.ehe, teams.attendance, teams.reduced_hours}
    sender = _usable(referral.source.from_)
    if sender and not is_robot_address(sender) and sender not in own:
        return sender, ""
    given = referral.referrer.email.value if referral.referrer.email else None
    referrer = _usable(given)
    if sender and is_robot_address(sender) and referrer and not is_robot_address(referrer) and referrer not in own:
        return referrer, ""
    if sender in own:
        return None, "sender is one of the service's own addresses"
    return None, "sender is an automatic or no-reply address and the message gives no referrer email"


def decide(referral: Referral, teams: TeamAddresses) -> Decision:
    notes: list[str] = []
    forward = None
    suspect = referral.sender.suspect
    if referral.category == "case_update":
        action = "attach"
    elif referral.category in FORWARDED and suspect:
        action = "new_case"  # an impostor's mail goes to no other team: an officer reads it first
        notes.append("not forwarded: the sender is suspect")
    elif referral.category in FORWARDED:
        key, topic, team = FORWARDED[referral.category]
        forward = Forward(_team_address(teams, key), topic, team)
        action = "forward"
    elif referral.category in STORE_ONLY:
        action = "store"
    else:
        action = "new_case"
    ack_to = None
    if suspect:
        notes.append("no acknowledgement: the sender is suspect")
    elif not referral.acknowledge:
        notes.append("the record says not to acknowledge")
    elif referral.category in STORE_ONLY:
        notes.append(f"no acknowledgement to {referral.category}")
    else:
        ack_to, why = ack_recipient(referral, teams)
        if why:
            notes.append(why)
    review = referral.urgent or ((referral.needs_review or suspect) and action != "store")
    return Decision(action, forward, ack_to, review, tuple(notes))
