"""Labels in the store, on SQLite and PostgreSQL: accepting a case makes one (who, when, the plain record), a case
waiting for review has none, labels are imported by Message-ID and never replace an officer's."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone


from store import casework, cases, ledger, labels

from store.ledger import MessageKey

NOW = datetime(2026, 11, 20, 9, 0, tzinfo=timezone.utc)


def _field(value):
    return {"value": value, "confidence": 0.9, "source": {"part": "body", "start": 0, "end": 1, "text": "x"}}


def _new_case(sessions, n: int) -> int:
    raw = f"From: a{n}@example.org\r\nMessage-ID: <c{n}@example.org>\r\nSubject: s\r\n\r\nbody {n}\r\n".encode()
    record = {"schema": "cme-referral/1", "source": {"file": "x.eml"}, "category": "cme_referral",
              "case_reference": None, "urgent": False, "safeguarding": [], "acknowledge": True,
              "needs_review": True, "review_reasons": ["a reason"],
              "referrer": {"name": _field("Hester Quill"), "email": _field("h.quill@example.org")},
              "children": [{"first_name": _field("Milo"), "last_name": _field("Thistlewood"),
                            "date_of_birth": _field("2014-05-06"), "address": {"postcode": _field("SO50 9ZZ")}}],
              "parents_carers": [{"name": _field("Ivy Thistlewood"), "relationship": _field("mother")}]}
    with sessions() as s:
        entry = ledger.claim(s, MessageKey("cme@example.org", "INBOX", 1, n), raw, f"<c{n}@example.org>", NOW)
        saved = cases.save_case(s, message_entry_id=entry.id, record=record, thread_key=None, now=NOW)
        ledger.mark_stored(s, entry.id, NOW)
        s.commit()
    return saved.id


def test_accepting_a_case_makes_its_record_its_messages_label(sessions):
    accepted, waiting, rejected = _new_case(sessions, 1), _new_case(sessions, 2), _new_case(sessions, 3)
    with sessions() as s:
        casework.decide(s, accepted, "accept", "ada", NOW, None)
        casework.decide(s, rejected, "reject", "ada", NOW, None)  # where it goes, not what it says: no label
        s.commit()
    with sessions() as s:
        [label] = labels.labels(s)
    assert (label.case_id, label.origin, label.decision, label.labelled_by) == (accepted, "decision", "accepted", "ada")
    assert label.labelled_at.replace(tzinfo=timezone.utc) == NOW and label.message_id == "<c1@example.org>"
    assert label.label["referrer"]["name"] == "Hester Quill" and label.label["referrer"]["phone"] is None
    child = label.label["children"][0]
    assert (child["first_name"], child["date_of_birth"], child["address"]["postcode"], child["school"]["urn"]) == (
        "Milo", "2014-05-06", "SO50 9ZZ", None)
    assert label.label["parents_carers"] == [{"name": "Ivy Thistlewood", "relationship": "mother", "phone": None,
                                              "email": None}]
    assert "review_reasons" not in label.label and "source" not in label.label
    assert label.label["case_reference"] is None  # the case's own new reference is not one the message quoted
    with sessions() as s:
        assert labels.labels(s, since=NOW + timedelta(seconds=1)) == []
        labels.capture(s, waiting, "ada", NOW)  # still waiting for review: no label
        s.commit()
        assert [lab.case_id for lab in labels.labels(s)] == [accepted]


def test_labels_are_imported_by_message_id_and_never_replace_an_officers(sessions):
    decided, other = _new_case(sessions, 1), _new_case(sessions, 2)
    with sessions() as s:
        casework.decide(s, decided, "accept", "ada", NOW, None)
        s.commit()
    given = {"category": "other", "urgent": False, "acknowledge": False, "children": [], "parents_carers": [],
             "referrer": {"name": "Someone Else"}}
    with sessions() as s:
        assert labels.import_label(s, "c2@example.org", given, "importer", NOW) == "imported"
        assert labels.import_label(s, "<c1@example.org>", given, "importer", NOW) == "kept"
        assert labels.import_label(s, "<nobody@example.org>", given, "importer", NOW) == "unknown"
        s.commit()
    with sessions() as s:
        found = {lab.case_id: lab for lab in labels.labels(s)}
    assert (found[other].origin, found[other].labelled_by, found[other].label["category"]) == ("imported", "importer", "other")
    assert (found[decided].origin, found[decided].decision, found[decided].label["category"]) == ("decision", "accepted", "cme_referral")


def test_a_label_goes_to_the_stored_message_with_the_same_bytes_when_two_share_a_message_id(sessions):
    first, second = (f"From: a@example.org\r\nMessage-ID: <same@example.org>\r\nSubject: s\r\n\r\nbody {n}\r\n".encode()
                     for n in (1, 2))
    with sessions() as s:
        for n, raw in enumerate((first, second), start=1):
            entry = ledger.claim(s, MessageKey("cme@example.org", "INBOX", 1, n), raw, "<same@example.org>", NOW)
            ledger.mark_stored(s, entry.id, NOW)
        s.commit()
    given = {"category": "other", "urgent": False, "acknowledge": False, "children": [], "parents_carers": [],
             "referrer": {"name": "Someone Else"}}
    with sessions() as s:
        assert labels.import_label(s, "<same@example.org>", given, "importer", NOW, ledger.sha256_of(second)) == "imported"
        assert labels.import_label(s, "<same@example.org>", {**given, "category": "ehe"}, "importer", NOW,
                                   ledger.sha256_of(b"other bytes")) == "imported"  # no bytes alike: the earliest
        s.commit()
        found = {lab.message_entry_id: lab.label["category"] for lab in labels.labels(s)}
    assert sorted(found.values()) == ["ehe", "other"] and found[max(found)] == "other"
