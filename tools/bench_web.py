"""Speed of the review screen at scale: `make bench-web`.

    python tools/bench_web.py [--cases 100000] [--requests 40] [--database-url URL]

Starts a private PostgreSQL cluster in a temporary directory (tests/postgres.py, the tests' own), or
uses CME_DATABASE_URL (`--database-url`) when set, migrates it to the newest schema, and seeds it with
generated, fictitious cases: invented names from small lists, postcodes in real Hampshire districts with
invented sectors, phones 07700 900xxx and 01632 960xxx, example.org addresses; a mix of categories and
statuses like a council's inbox over four years (most cases closed, rejected, forwarded or attached; a
few hundred to review; some thousands open), urgent ones, review items, owners, enquiries, closing
reasons, audit entries, acknowledgements, spot checks and the duplicate check's keys. Over the four
years: 45% CME referrals, 15% updates attached to a case, 12% automatic replies and bounces, 11% for
other teams (forwarded), the rest LA enquiries, removals from roll and others; a case is decided within
three days, except a backlog of about 70% of the last ten days' and 15% of the last month's; accepted
cases close within one to three months, 2% stay open for long. Rows go in with executemany, in batches, then VACUUM ANALYZE.

Then the review app runs in a child process (uvicorn, one worker, as `cme run` serves it) and this
process signs in as an officer and times real HTTP requests (httpx) to: the queue page, a later page of
every case, a search by a child's name and by postcode (across every status), a case page (a
different case each time), "My cases", "Overdue" and the DfE return's CSV for a term. Each prints
one line, `queue p95_ms=... p50_ms=... n=... app_cpu_ms=... db_cpu_ms=...`, after a few requests to
warm up: the wall-clock times, and the mean CPU time per request of the app's process and of the
PostgreSQL backends (these do not stretch when other work shares the machine; the load average is
printed before and after). And the seeding time.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from contextlib import closing, contextmanager, nullcontext
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any, Callable, Iterator

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

OFFICER = "officer01"
PASSWORD = "bench passphrase not secret"
OFFICERS = tuple(f"officer{n:02d}" for n in range(1, 13))
BATCH = 2000
WARM_UP = 3
TARGET_MS = 200.0

FIRST_NAMES = (
    "Poppy", "Tobias", "Elowen", "Jasper", "Marigold", "Fenwick", "Isolde", "Barnaby", "Clementine", "Orrin",
    "Wilhelmina", "Caspian", "Juniper", "Thaddeus", "Rosalind", "Ambrose", "Ottilie", "Percival", "Saffron",
    "Lysander", "Briony", "Evander", "Hesper", "Cosmo", "Philippa", "Rufus", "Tamsin", "Leopold", "Delphine",
    "Alaric", "Winifred", "Ptolemy", "Celandine", "Ignatius", "Araminta", "Bertram", "Fenella", "Quentin",
    "Henrietta", "Cormac",
)
LAST_NAMES = (
    "Quillfeather", "Wrenfield", "Thistlewood", "Marchbank", "Pennywhistle", "Ashcombe", "Bramblecote",
    "Fernsby", "Gallowglass", "Hollowmere", "Inchcliffe", "Juniperwell", "Kettleborough", "Larkmoor",
    "Mossington", "Nettlefold", "Oakenshaw", "Puddlecombe", "Quarrendon", "Rookwood", "Sallowfield",
    "Tanglewood", "Underhay", "Vellacott", "Wimbleton", "Yarrowby", "Applethwaite", "Bexendale", "Cindermoor",
    "Dunnockley", "Elderbrook", "Foxcombe", "Gorsefield", "Heronshaw", "Ivybridge-Lowe", "Kestrelton",
    "Lindenhurst", "Merrivale", "Nightingale-Royce", "Otterburn-Finch", "Pipkinson", "Rushmere", "Starlingford",
    "Thornapple", "Umberleigh", "Wickenden", "Yewbarrow", "Zennorby", "Blackthorne-Ives", "Coppercroft",
)
# Real Hampshire postcode districts and their towns; the sectors and units are invented.
DISTRICTS = (
    ("SO50", "Eastleigh"), ("SO53", "Chandler's Ford"), ("SO51", "Romsey"), ("SO22", "Winchester"),
    ("SO23", "Winchester"), ("SO24", "Alresford"), ("SO30", "Hedge End"), ("SO31", "Locks Heath"),
    ("SO32", "Bishop's Waltham"), ("SO40", "Totton"), ("SO41", "Lymington"), ("SO45", "Hythe"),
    ("GU11", "Aldershot"), ("GU12", "Aldershot"), ("GU14", "Farnborough"), ("GU51", "Fleet"), ("GU34", "Alton"),
    ("GU35", "Bordon"), ("GU46", "Yateley"), ("GU32", "Petersfield"), ("PO7", "Waterlooville"), ("PO8", "Horndean"),
    ("PO9", "Havant"), ("PO11", "Hayling Island"), ("PO12", "Gosport"), ("PO13", "Gosport"), ("PO14", "Fareham"),
    ("PO15", "Fareham"), ("RG21", "Basingstoke"), ("RG22", "Basingstoke"), ("RG24", "Basingstoke"),
    ("RG28", "Whitchurch"), ("SP10", "Andover"), ("SP11", "Andover"), ("BH24", "Ringwood"), ("BH25", "New Milton"),
)
UNIT_LETTERS = "QXZJW"
STREETS = ("Larkspur Close", "Heronsgate", "Tumbledown Lane", "Cobnut Row", "Sparrowhawk Way", "Millpond Drive",
           "Bellflower Road", "Quarry Mews", "Old Forge Street", "Damson Crescent", "Kingfisher Walk", "Hopfield Rise")
SCHOOLS = ("Brambleton Primary", "Thornbury Junior", "Eastwick Academy", "Hollowmere Infant", "Larkmoor Secondary",
           "St Aldric's CofE Primary", "Fernsby Park School", "Marchbank College", "Wrenfield Community School",
           "Oakenshaw Primary", "Sallowfield Academy", "Rushmere Junior")
ROLES = ("Attendance Lead", "Designated Safeguarding Lead", "School Business Manager", "Headteacher",
         "Family Support Worker", "Police Constable", "Health Visitor")
RELATIONSHIPS = ("mother", "father", "carer", "grandmother", "stepfather")
CATEGORY_WEIGHTS = (("cme_referral", 45), ("case_update", 15), ("auto_reply", 10), ("la_enquiry", 6),
                    ("roll_removal", 6), ("ehe", 5), ("other", 5), ("attendance", 4), ("reduced_hours", 2),
                    ("bounce", 2))
CLOSING = (("on_roll_in_county", 30), ("on_roll_out_of_county", 10), ("moved_out_of_area", 20),
           ("home_educated", 12), ("left_country", 8), ("not_compulsory_school_age", 4), ("sao_referral", 2),
           ("no_trace", 10), ("other", 4))
CME_REASONS = ("whereabouts_unknown", "moved_no_destination", "never_started", "awaiting_place",
               "unsuitable_ehe", "new_arrival", "other")
REVIEW_REASONS = ("school not found in register", "child.date_of_birth low confidence", "category uncertain",
                  "Spot check: one in 10 records the service accepts is shown to an officer, to measure how often it is right",
                  "A name in the message is not in the record: Fenwick")
SAFEGUARDING = ("criminal_exploitation", "neglect", "missing_from_home", "domestic_abuse", "child_protection_plan")
ENQUIRY_KINDS = ("school", "health", "housing", "police", "other_council", "home_visit", "letter", "phone")


# ---------------------------------------------------------------- the generated cases


@dataclass
class Seeded:
    cases: int
    seconds: float
    names: list[str]  # "first last" of seeded children, to search for
    postcodes: list[str]
    case_ids: list[int]  # cases a person opens (referrals, not automatic mail)
    counts: dict[str, int]


def _weighted(rng: random.Random, table: tuple[tuple[str, int], ...]) -> str:
    return rng.choices([k for k, _ in table], [w for _, w in table])[0]


def _field(body: str, value: Any, shown: str | None = None, confidence: float = 0.9) -> dict[str, Any] | None:
    if value is None:
        return None
    needle = shown or str(value)
    start = body.find(needle)
    if start < 0:
        return {"value": value, "confidence": confidence,
                "source": {"part": "derived", "start": None, "end": None, "text": None}}
    return {"value": value, "confidence": confidence,
            "source": {"part": "body", "start": start, "end": start + len(needle), "text": needle}}


def _postcode(rng: random.Random) -> tuple[str, str]:
    district, town = rng.choice(DISTRICTS)
    return f"{district} {rng.randrange(10)}{rng.choice(UNIT_LETTERS)}{rng.choice(UNIT_LETTERS)}", town


def _phone(rng: random.Random, landline: bool = False) -> tuple[str, str]:
    n = rng.randrange(1000)
    return (f"01632960{n:03d}", f"01632 960{n:03d}") if landline else (f"07700900{n:03d}", f"07700 900{n:03d}")


def _referral(rng: random.Random, category: str, reference: str, sent: datetime, urgent: bool,
              needs_review: bool, reasons: list[str]) -> tuple[dict[str, Any], str, str, str]:
    """(record, body, sender, subject) of one fictitious referral."""
    school = rng.choice(SCHOOLS)
    slug = school.lower().replace(" ", "").replace("'", "")[:14]
    ref_first, ref_last, role = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES), rng.choice(ROLES)
    sender = f"{ref_first.lower()}.{ref_last.lower()}@{slug}.example.org"
    children_words, children = [], []
    surname = rng.choice(LAST_NAMES)
    postcode, town = _postcode(rng)
    street = f"{rng.randrange(1, 120)} {rng.choice(STREETS)}"
    for _ in range(rng.choices((1, 2, 3), (80, 15, 5))[0]):
        first = rng.choice(FIRST_NAMES)
        dob = date(sent.year - rng.randrange(5, 16), rng.randrange(1, 13), rng.randrange(1, 29))
        last_attended = (sent - timedelta(days=rng.randrange(3, 90))).date()
        gender = rng.choice(("female", "male"))
        children_words.append(f"{first} {surname}, date of birth {dob:%d/%m/%Y}, who last attended on "
                              f"{last_attended:%d/%m/%Y}")
        children.append((first, dob, last_attended, gender))
    parent_name = f"{rng.choice(FIRST_NAMES)} {surname}"
    relationship = rng.choice(RELATIONSHIPS)
    phone, phone_shown = _phone(rng)
    school_phone, school_phone_shown = _phone(rng, landline=True)
    opening = "URGENT: we are very worried about" if urgent else "We are writing to refer"
    body = (f"Dear CME team,\n\n{opening} {'; '.join(children_words)}, of {street}, {town} {postcode}. "
            f"They are no longer attending {school}.\n{relationship.capitalize()}: {parent_name}, {phone_shown}.\n\n"
            f"Regards,\n{ref_first} {ref_last}\n{role}\n{school}\n{school_phone_shown}\n")
    record = {
        "schema": "cme-referral/1",
        "source": {"file": f"{reference}.eml", "message_id": f"<{reference.lower()}@{slug}.example.org>",
                   "from": sender, "subject": f"CME referral - {children[0][0]} {surname}",
                   "date": sent.isoformat()},
        "category": category, "case_reference": reference, "urgent": urgent,
        "safeguarding": [rng.choice(SAFEGUARDING)] if urgent else [], "acknowledge": True,
        "needs_review": needs_review, "review_reasons": reasons,
        "referrer": {"name": _field(body, f"{ref_first} {ref_last}"), "role": _field(body, role),
                     "organisation": _field(body, school), "email": _field(body, sender, confidence=0.95),
                     "phone": _field(body, school_phone, school_phone_shown),
                     "type": {"value": "police" if role == "Police Constable" else "school", "confidence": 0.8,
                              "source": {"part": "derived", "start": None, "end": None, "text": None}}},
        "children": [{
            "first_name": _field(body, first), "last_name": _field(body, surname),
            "date_of_birth": _field(body, dob.isoformat(), f"{dob:%d/%m/%Y}"),
            "gender": _field(body, gender, confidence=0.7), "upn": None,
            "address": {"line1": _field(body, street), "town": _field(body, town), "postcode": _field(body, postcode)},
            "school": {"name": _field(body, school), "urn": None},
            "date_last_attended": _field(body, last_attended.isoformat(), f"{last_attended:%d/%m/%Y}"),
        } for first, dob, last_attended, gender in children],
        "parents_carers": [{"name": _field(body, parent_name), "relationship": _field(body, relationship),
                            "phone": _field(body, phone, phone_shown), "email": None}],
    }
    return record, body, sender, record["source"]["subject"]


def _plain_record(category: str, reference: str, sent: datetime, sender: str, subject: str) -> dict[str, Any]:
    return {"schema": "cme-referral/1",
            "source": {"file": f"{reference}.eml", "message_id": f"<{reference.lower()}@mail.example.org>",
                       "from": sender, "subject": subject, "date": sent.isoformat()},
            "category": category, "case_reference": reference, "urgent": False, "safeguarding": [],
            "acknowledge": category not in ("auto_reply", "bounce"), "needs_review": False, "review_reasons": [],
            "referrer": {"name": None, "role": None, "organisation": None, "email": None, "phone": None, "type": None},
            "children": [], "parents_carers": []}


def _raw(sender: str, subject: str, sent: datetime, message_id: str, body: str) -> bytes:
    return (f"From: {sender}\r\nTo: cme@hants.gov.uk\r\nSubject: {subject}\r\n"
            f"Date: {sent.strftime('%a, %d %b %Y %H:%M:%S +0000')}\r\nMessage-ID: {message_id}\r\n"
            "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 7bit\r\n\r\n"
            + body.replace("\n", "\r\n")).encode("ascii", "replace")


class _Batches:
    """Rows per table, written with executemany every BATCH rows, parents before children."""

    ORDER = ("message", "case", "case_key", "review_item", "enquiry", "audit", "outbox", "spot_check")

    def __init__(self, connection: Any) -> None:
        from store.tables import SQLModel

        self.connection = connection
        self.tables = SQLModel.metadata.tables
        self.rows: dict[str, list[dict[str, Any]]] = {name: [] for name in self.ORDER}
        self.counts: dict[str, int] = {name: 0 for name in self.ORDER}

    def add(self, table: str, row: dict[str, Any]) -> None:
        self.rows[table].append(row)
        if len(self.rows["message"]) >= BATCH and table == "case":
            self.flush()

    def flush(self) -> None:
        for name in self.ORDER:
            if self.rows[name]:
                self.connection.execute(self.tables[name].insert(), self.rows[name])
                self.counts[name] += len(self.rows[name])
                self.rows[name] = []


def seed(engine: Any, cases: int, now: datetime, rng: random.Random) -> Seeded:
    """Store `cases` generated cases (and their messages, review items, enquiries, audit, outbox)."""
    from sqlalchemy import text
    from sqlmodel import Session

    from review.accounts import add_user
    from store.queue import duplicate_keys_of, return_record_of, search_text_of

    started = time.perf_counter()
    with Session(engine) as session:
        for name in OFFICERS:
            add_user(session, name, "officer", PASSWORD)
        add_user(session, "bench-admin", "admin", PASSWORD)
        session.commit()
    span = timedelta(days=4 * 365)
    first = now - span
    names: list[str] = []
    postcodes: list[str] = []
    opened: list[int] = []
    referral_ids: list[int] = []
    update_counts: dict[int, int] = {}
    references: dict[int, int] = {}
    id_reference: dict[int, str] = {}
    enquiry_id = outbox_id = 0
    with engine.begin() as connection:
        batches = _Batches(connection)
        for n in range(1, cases + 1):
            created = first + span * (n / (cases + 1)) + timedelta(seconds=rng.randrange(0, 600))
            sent = created - timedelta(minutes=rng.randrange(1, 600))
            age = (now - created).days
            category = _weighted(rng, CATEGORY_WEIGHTS)
            if category == "case_update" and not referral_ids:
                category = "cme_referral"
            year = created.year
            references[year] = references.get(year, 0) + 1
            reference = f"CME-{year}-{references[year]:05d}"
            row: dict[str, Any] = {"id": n, "message_row_id": n, "category": category, "created_at": created,
                                   "updated_at": created, "version": 1, "owner": None, "due_on": None,
                                   "first_contact_on": None, "cme_reason": None, "closed_on": None,
                                   "closing_reason": None, "duplicate_of_id": None, "update_of_id": None,
                                   "thread_key": None, "urgent": False, "needs_review": False}
            decided_at = created + timedelta(hours=rng.randrange(1, 72))
            officer = rng.choice(OFFICERS)
            if category in ("cme_referral", "roll_removal", "la_enquiry", "other"):
                urgent = rng.random() < (0.06 if category == "cme_referral" else 0.02)
                new_chance = 0.7 if age < 10 else 0.15 if age < 30 else 0.001
                if rng.random() < new_chance or decided_at > now:
                    status = "new"
                else:
                    roll = rng.random()
                    accept_share = 0.82 if category == "cme_referral" else 0.5
                    if roll < accept_share:  # closed within one to three months; 2% stay open for long
                        closing = 0.98 if age > 90 else 0.5 if age > 30 else 0.0
                        status = "closed" if rng.random() < closing else (
                            "accepted" if age < 10 and rng.random() < 0.5 else "enquiries")
                    elif roll < accept_share + 0.05 and referral_ids:
                        status = "duplicate"
                    elif roll < accept_share + 0.08:
                        status = "forwarded"
                    else:
                        status = "rejected"
                reasons = rng.sample(REVIEW_REASONS, rng.randrange(0, 3))
                if urgent:
                    reasons.append("urgent: a safeguarding concern")
                record, body, sender, subject = _referral(rng, category, reference, sent, urgent,
                                                          status == "new" or bool(reasons), reasons)
                child = record["children"][0]
                names.append(f"{child['first_name']['value']} {child['last_name']['value']}")
                postcodes.append(child["address"]["postcode"]["value"])
                row.update(urgent=urgent, needs_review=status == "new", status=status)
                told = sent.date()
                if status in ("accepted", "enquiries", "closed"):
                    row.update(owner=officer, due_on=told + timedelta(days=7), version=2,
                               cme_reason=rng.choice(CME_REASONS) if rng.random() < 0.8 else None)
                    if status != "accepted":
                        contact = min(told + timedelta(days=rng.randrange(1, 10)), now.date())
                        row.update(first_contact_on=contact, version=3)
                        for k in range(rng.randrange(1, 4)):
                            enquiry_id += 1
                            made = min(contact + timedelta(days=7 * k), now.date())
                            batches.add("enquiry", {
                                "id": enquiry_id, "case_id": n, "made_on": made, "kind": rng.choice(ENQUIRY_KINDS),
                                "outcome": "Spoke to the school office: no forwarding address known.",
                                "next_step": "Check the housing register.", "actor": officer,
                                "created_at": datetime.combine(made, datetime.min.time(), tzinfo=timezone.utc)})
                            batches.add("audit", {"case_id": n, "actor": officer, "action": "enquiry",
                                                  "detail": json.dumps({"kind": "school", "made_on": made.isoformat()}),
                                                  "at": decided_at + timedelta(days=7 * k)})
                    if status == "closed":
                        closed_on = min(told + timedelta(days=rng.randrange(20, min(max(age, 21), 90))), now.date())
                        row.update(closed_on=closed_on, closing_reason=_weighted(rng, CLOSING), version=4)
                elif status == "new" and rng.random() < 0.1:
                    row["owner"] = officer
                if status == "duplicate":
                    row["duplicate_of_id"] = rng.choice(referral_ids[-2000:])
                if status != "new":
                    row["updated_at"] = decided_at
                    for action in ("view", {"closed": "accept", "accepted": "accept", "enquiries": "accept",
                                            "rejected": "reject", "forwarded": "forward",
                                            "duplicate": "mark_duplicate"}[status]):
                        batches.add("audit", {"case_id": n, "actor": officer, "action": action,
                                              "detail": json.dumps({"before": "new", "version": 2}),
                                              "at": decided_at})
                    if status == "closed":
                        batches.add("audit", {"case_id": n, "actor": officer, "action": "close",
                                              "detail": json.dumps({"reason": row["closing_reason"]}),
                                              "at": decided_at + timedelta(days=30)})
                batches.add("review_item", {
                    "id": n, "case_id": n, "urgent": urgent, "reasons": json.dumps(reasons), "opened_at": created,
                    "closed_at": None if status == "new" else decided_at,
                    "closed_by": None if status == "new" else officer})
                if status != "new" and not reasons and rng.random() < 0.3:
                    batches.add("spot_check", {"case_id": n, "sampled_at": created})
                if rng.random() < 0.6:
                    outbox_id += 1
                    batches.add("outbox", {
                        "id": outbox_id, "case_id": n, "kind": "ack", "recipient": sender, "thread_key": None,
                        "message_id": f"<ack-{n}@cme.hants.gov.example>", "mime": b"Subject: Your email\r\n\r\nThank you.\r\n",
                        "status": "sent", "attempts": 1, "last_error": None, "next_attempt_at": created,
                        "created_at": created, "sent_at": created + timedelta(seconds=20)})
                referral_ids.append(n)
                opened.append(n)
            elif category == "case_update":
                parent = rng.choice(referral_ids[-3000:])
                update_counts[parent] = update_counts.get(parent, 0) + 1
                reference = f"{id_reference[parent]}/{update_counts[parent] + 1}"
                references[year] -= 1  # an update takes its case's reference, not a new number
                sender = f"office@{rng.choice(SCHOOLS).lower().replace(' ', '')[:14]}.example.org"
                subject = f"Re: CME referral [{id_reference[parent]}]"
                body = f"Update on {id_reference[parent]}: the family has moved to {rng.choice(DISTRICTS)[1]}.\n"
                record = _plain_record(category, id_reference[parent], sent, sender, subject)
                row.update(status="attached", update_of_id=parent)
            else:
                status = {"auto_reply": "rejected", "bounce": "rejected"}.get(category, "forwarded")
                sender = ("mailer-daemon@mail.example.org" if category == "bounce"
                          else f"parent{rng.randrange(1000)}@example.com")
                subject = {"auto_reply": "Automatic reply: CME referral", "bounce": "Undeliverable: Your email"}.get(
                    category, "Question about my son's schooling")
                body = "I am out of the office until Monday.\n" if category == "auto_reply" else \
                    "Please could someone call me about my son's schooling.\n"
                record = _plain_record(category, reference, sent, sender, subject)
                row.update(status=status)
            id_reference[n] = record["case_reference"]
            message_id = record["source"]["message_id"]
            raw = _raw(sender, subject, sent, message_id, body)
            batches.add("message", {
                "id": n, "account": "cme@hants.gov.uk", "folder": "INBOX", "uidvalidity": 1, "uid": n,
                "message_id": message_id, "sha256": f"{n:064x}", "size": len(raw), "raw": raw, "status": "stored",
                "attempts": 1, "claimed_by": None, "claim_expires_at": None, "reason": None, "received_at": created,
                "processed_at": created, "moved_at": created})
            row.update(reference=reference, record=json.dumps(record, ensure_ascii=False),
                       search_text=search_text_of(record), return_record=return_record_of(record))
            batches.add("case", row)
            for key in duplicate_keys_of(record):
                batches.add("case_key", {"case_id": n, "key": key})
        batches.flush()
        from store.tables import ReferenceCounterRow

        connection.execute(ReferenceCounterRow.__table__.insert(),
                           [{"year": y, "last_number": last} for y, last in references.items()])
        if engine.url.get_backend_name() == "postgresql":
            for table in ("message", "case", "review_item", "enquiry", "outbox"):
                connection.execute(text(f"SELECT setval(pg_get_serial_sequence('\"{table}\"', 'id'), "
                                        f"(SELECT coalesce(max(id), 1) FROM \"{table}\"))"))
    with engine.connect() as connection:  # fresh planner statistics, as autovacuum would gather them
        connection.execution_options(isolation_level="AUTOCOMMIT")
        connection.execute(text("VACUUM ANALYZE" if engine.url.get_backend_name() == "postgresql" else "ANALYZE"))
    return Seeded(cases, time.perf_counter() - started, names, postcodes, opened, dict(batches.counts))


# ---------------------------------------------------------------- the app, served and timed


def _serve(url: str, port: int, data_dir: str) -> None:
    """The child process: the review app on 127.0.0.1:`port`, as `cme run` serves it."""
    import uvicorn

    from config.settings import load_settings
    from review.app import create_app
    from store.db import make_engine

    settings = load_settings({"CME_DATA_DIR": data_dir, "CME_DATABASE_URL": url, "CME_SECURE_COOKIES": "false",
                              "CME_WEB_HOST": "127.0.0.1", "CME_WEB_PORT": str(port)})
    uvicorn.run(create_app(settings, make_engine(url)), host="127.0.0.1", port=port, log_level="warning",
                access_log=False)


@dataclass(frozen=True)
class Served:
    base: str
    pid: int  # the app's process
    database: str  # its PostgreSQL backends show this name in their process titles

    def cpu_ms(self) -> tuple[float, float]:
        """CPU time used so far (user + system, ms) by the app's process and by the PostgreSQL backends
        serving its database on this machine (none found for a database elsewhere)."""
        backends = 0.0
        for entry in Path("/proc").iterdir():
            if entry.name.isdigit() and entry.name != str(self.pid):
                try:
                    title = (entry / "cmdline").read_bytes()
                except OSError:
                    continue
                if title.startswith(b"postgres: ") and f" {self.database} ".encode() in title:
                    backends += _process_cpu_ms(entry.name)
        return _process_cpu_ms(str(self.pid)), backends


def _process_cpu_ms(pid: str) -> float:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return 0.0
    return (int(fields[11]) + int(fields[12])) * 1000 / os.sysconf("SC_CLK_TCK")  # utime, stime


@contextmanager
def _served(url: str) -> Iterator[Served]:
    from sqlalchemy.engine import make_url

    from tests.postgres import free_port, wait_for_port

    port = free_port()
    with tempfile.TemporaryDirectory(prefix="cme-bench-web-") as data_dir:
        proc = subprocess.Popen([sys.executable, __file__, "--serve", str(port), "--database-url", url,
                                 "--data-dir", data_dir], cwd=ROOT)
        try:
            wait_for_port(port, timeout=60)
            yield Served(f"http://127.0.0.1:{port}", proc.pid, make_url(url).database or "")
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


def _signed_in(base: str) -> Any:
    import re

    import httpx

    client = httpx.Client(base_url=base, timeout=60, follow_redirects=True)
    page = client.get("/sign-in")
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert token, "the sign-in page has no CSRF token"
    done = client.post("/sign-in", data={"name": OFFICER, "password": PASSWORD, "csrf_token": token.group(1),
                                         "next": "/"})
    assert done.status_code == 200 and "Referrals queue" in done.text, f"signing in failed: {done.status_code}"
    return client


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, int(round(share * len(ordered) + 0.5)) - 1))]


def time_page(client: Any, served: Served, name: str, paths: Callable[[int], str], requests: int,
              expect: str) -> dict[str, Any]:
    """GET `paths(i)` WARM_UP + `requests` times; the times of the last `requests` in ms, and the CPU time
    the app and the database spent on them (a machine busy with other work stretches the times, not these)."""
    times: list[float] = []
    app_cpu = db_cpu = 0.0
    for i in range(WARM_UP + requests):
        app_before, db_before = served.cpu_ms()
        start = time.perf_counter()
        response = client.get(paths(i))
        elapsed = (time.perf_counter() - start) * 1000
        app_after, db_after = served.cpu_ms()
        if response.status_code != 200 or expect not in response.text:
            raise RuntimeError(f"{name}: {paths(i).split('?')[0]} answered {response.status_code} without {expect!r}")
        if i >= WARM_UP:
            times.append(elapsed)
            app_cpu, db_cpu = app_cpu + app_after - app_before, db_cpu + max(0.0, db_after - db_before)
    return {"page": name, "p95_ms": _percentile(times, 0.95), "p50_ms": statistics.median(times), "n": len(times),
            "app_cpu_ms": app_cpu / len(times), "db_cpu_ms": db_cpu / len(times)}


def pages(seeded: Seeded, rng: random.Random, term: tuple[str, str]) -> list[tuple[str, Callable[[int], str], str]]:
    """(name, path of the i-th request, words the answer must hold) of every page timed."""
    from urllib.parse import quote

    names = rng.sample(seeded.names, min(len(seeded.names), 500))
    postcodes = rng.sample(seeded.postcodes, min(len(seeded.postcodes), 500))
    opened = rng.sample(seeded.case_ids, min(len(seeded.case_ids), 500))
    later = max(1, min(10_000, len(seeded.case_ids) // 100))  # about half way down every case
    return [
        ("queue", lambda i: "/", "Referrals queue"),
        ("queue_later_page", lambda i: f"/?status=any&page={later + i % 7}", "Referrals queue"),
        ("search_name", lambda i: f"/?status=any&q={quote(names[i % len(names)])}", "matching"),
        ("search_postcode", lambda i: f"/?status=any&q={quote(postcodes[i % len(postcodes)])}", "matching"),
        ("case", lambda i: f"/cases/{opened[i % len(opened)]}", "What the service read"),
        ("my_cases", lambda i: "/my-cases", "My cases"),
        ("overdue", lambda i: "/overdue", "Overdue"),
        ("dfe_export", lambda i: f"/reports/export.csv?start={term[0]}&end={term[1]}", "case_reference"),
    ]


def _load() -> str:
    one, five, _ = os.getloadavg()
    return f"load average {one:.2f} (1 min) {five:.2f} (5 min) on {os.cpu_count()} CPUs"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=100_000, help="cases to seed (default 100000)")
    parser.add_argument("--requests", type=int, default=40, help="timed requests per page (default 40)")
    parser.add_argument("--database-url", default=os.environ.get("CME_DATABASE_URL", ""),
                        help="an empty PostgreSQL database to use (default: CME_DATABASE_URL, else a private cluster)")
    parser.add_argument("--random-seed", type=int, default=2026)
    parser.add_argument("--serve", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--data-dir", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.serve:
        _serve(args.database_url, args.serve, args.data_dir)
        return 0

    from store.db import make_engine, upgrade
    from tests.postgres import private_postgres

    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # stop the cluster and the server on the way out
    print(f"before: {_load()}", flush=True)
    cluster = nullcontext(None) if args.database_url else private_postgres("shared_buffers=256MB")
    with cluster as server:
        url = args.database_url or server.new_database()
        engine = make_engine(url)
        upgrade(engine)
        rng = random.Random(args.random_seed)
        now = datetime.now(timezone.utc)
        seeded = seed(engine, args.cases, now, rng)
        engine.dispose()
        counts = " ".join(f"{k}={v}" for k, v in seeded.counts.items())
        print(f"seed cases={seeded.cases} seconds={seeded.seconds:.1f} ({counts})", flush=True)
        autumn = now.year if now.month >= 9 else now.year - 1
        term = (f"{autumn}-09-15", f"{autumn}-10-15")  # the autumn term of this school year
        with _served(url) as served, closing(_signed_in(served.base)) as client:
            for name, path, expect in pages(seeded, rng, term):
                found = time_page(client, served, name, path, args.requests, expect)
                over = "" if found["p95_ms"] < TARGET_MS else f"  OVER the {TARGET_MS:.0f} ms target"
                print(f"{name} p95_ms={found['p95_ms']:.1f} p50_ms={found['p50_ms']:.1f} n={found['n']} "
                      f"app_cpu_ms={found['app_cpu_ms']:.0f} db_cpu_ms={found['db_cpu_ms']:.0f}{over}", flush=True)
    print(f"after: {_load()}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
