"""`cme labels export/import` and `cme eval` as an operator runs them, on a store of fictitious labelled cases:
the export replaces every name, date of birth, address, phone, email and UPN (the same person the same way in
every file), import finds stored messages by Message-ID, eval prints the scorer's summary line."""
from __future__ import annotations

import email
import email.policy
import json
import os
import re
import subprocess
import sys
import unicodedata
from datetime import datetime, timezone
from pathlib import Path

import pytest

from store import casework, cases, eval_runs, ledger
from store.db import make_engine, session_factory, upgrade
from store.labels import labels
from store.ledger import MessageKey

PROJECT = Path(__file__).resolve().parents[2]
HELDOUT = PROJECT / "tests" / "data" / "heldout"
NOW = datetime(2026, 11, 20, 9, 0, tzinfo=timezone.utc)
SUMMARY = re.compile(r"^messages=\d+ missing=0 schema_invalid=0 field_f1=\d\.\d{3} category_acc=\d\.\d{3} "
                     r"urgent_recall=\d\.\d{3} ack_acc=\d\.\d{3} auto_accept_precision=(?:n/a|\d\.\d{3}) "
                     r"review_rate=\d\.\d{3}$")

FOLLOW_UP = ("From: Derek Hollis <derek.hollis@example.com>\r\nTo: cme@hants.gov.uk\r\n"
             "Subject: Re: Kacper WOJCIK\r\nDate: Tue, 10 Nov 2026 08:00:00 +0000\r\n"
             "Message-ID: <follow-up-1@example.com>\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n"
             "Hello, an update on Kacper Wójcik (born 7th January 2013) of 41 Lansdowne Ave, SO226HN.\r\n"
             "His mum Agnieszka is on 07700 900 413. KACPER is still at home.\r\nDerek\r\n").encode()


def _follow_up_label() -> dict:
    label = json.loads((HELDOUT / "h01.json").read_text(encoding="utf-8"))
    label["category"] = "case_update"
    label["parents_carers"][0]["phone"] = "07700900413"
    return label


def cme(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "ingest.cli", *args], cwd=PROJECT, env={**os.environ, **env},
                          capture_output=True, text=True, timeout=600)


def _store(url: str, messages: list[tuple[bytes, dict]]) -> None:
    """Each message stored as the service stores it, its record the label, and accepted by an officer."""
    engine = make_engine(url)
    upgrade(engine)
    sessions = session_factory(engine)
    for n, (raw, label) in enumerate(messages, start=1):
        message_id = email.message_from_bytes(raw, policy=email.policy.default)["message-id"]
        record = {**label, "source": {"file": f"{n}.eml"}, "needs_review": True, "review_reasons": []}
        with sessions() as s:
            entry = ledger.claim(s, MessageKey("cme@example.org", "INBOX", 1, n), raw, str(message_id), NOW)
            saved = cases.save_case(s, message_entry_id=entry.id, record=record, thread_key=None, now=NOW)
            ledger.mark_stored(s, entry.id, NOW)
            casework.decide(s, saved.id, "accept", "ada", NOW, None)
            s.commit()
    engine.dispose()


def _heldout(*names: str) -> list[tuple[bytes, dict]]:
    return [((HELDOUT / f"{n}.eml").read_bytes(), json.loads((HELDOUT / f"{n}.json").read_text(encoding="utf-8")))
            for n in names]


def _env(tmp_path: Path, url: str) -> dict[str, str]:
    return {"CME_DATA_DIR": str(tmp_path / "data"), "CME_DATABASE_URL": url}


def _strings(label: dict) -> set[str]:
    """Every name, date of birth, address, phone, email and UPN of a label, with its obvious variants."""
    found: set[str] = set()
    people = [label["referrer"], *label["parents_carers"]]
    for person in people:
        found |= {person.get("name"), person.get("email"), person.get("phone")}
        found |= {w for w in (person.get("name") or "").split() if len(w.strip(".")) > 1}  # initials stay
    for child in label["children"]:
        found |= {child["first_name"], child["last_name"], child["upn"], child["address"]["line1"],
                  child["address"]["postcode"], (child["address"]["postcode"] or "").replace(" ", "")}
        if child["date_of_birth"]:
            y, m, d = child["date_of_birth"].split("-")
            found |= {child["date_of_birth"], f"{d}/{m}/{y}"}
    found = {s for s in found if s and len(s) > 1 and s.lower() not in {"mr", "mrs", "ms", "miss"}}
    plain = {unicodedata.normalize("NFKD", s).encode("ascii", "ignore").decode() for s in found}
    phones = {re.sub(r"(\d{5})(\d{6})", r"\1 \2", s) for s in found if s.isdigit()}
    return {v for s in found | plain | phones for v in (s, s.upper())}


def _exported_text(path: Path) -> str:
    message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
    headers = "\n".join(f"{k}: {v}" for k, v in message.items())
    return headers + "\n" + message.get_content()


@pytest.mark.parametrize("database", ["sqlite", "postgresql"])
def test_export_replaces_every_personal_value_consistently_in_mail_and_label(tmp_path, request, database):
    url = (request.getfixturevalue("postgres").new_database() if database == "postgresql"
           else f"sqlite:///{tmp_path / 'cme.sqlite3'}")
    originals = _heldout("h01", "h02", "h03") + [(FOLLOW_UP, _follow_up_label())]
    _store(url, originals)
    out = tmp_path / "export"

    result = cme("labels", "export", str(out), env=_env(tmp_path, url))

    assert result.returncode == 0, result.stderr[-3000:]
    assert "4 labelled messages written" in result.stdout and "pseudonymised" in result.stdout
    files = sorted(out.iterdir())
    assert [f.name for f in files if f.suffix == ".eml"] == [f"CME-2026-0000{n}.eml" for n in range(1, 5)]
    secrets = set().union(*(_strings(label) for _, label in originals))
    for path in files:
        text = _exported_text(path) if path.suffix == ".eml" else path.read_text(encoding="utf-8")
        assert path.read_bytes() not in {raw for raw, _ in originals}
        survivors = sorted(s for s in secrets if re.search(rf"(?<!\w){re.escape(s)}(?!\w)", text))
        assert survivors == [], f"{path.name} still holds {survivors}"
    first, follow = (json.loads((out / f"CME-2026-0000{n}.json").read_text(encoding="utf-8")) for n in (1, 4))
    child, again = first["children"][0], follow["children"][0]
    assert (child["first_name"], child["last_name"], child["date_of_birth"], child["address"]["postcode"]) == (
        again["first_name"], again["last_name"], again["date_of_birth"], again["address"]["postcode"])
    assert child["address"]["postcode"].startswith("ZZ99 ") and first["referrer"]["email"].endswith("@example.com")
    assert first["parents_carers"][0]["name"] == follow["parents_carers"][0]["name"]
    follow_text = _exported_text(out / "CME-2026-00004.eml")
    assert child["first_name"] in follow_text and child["first_name"].upper() in follow_text
    assert first["parents_carers"][0]["name"].split()[0] in follow_text
    assert re.search(r"07700 900\d{3}", follow_text)
    assert "X-CME-Pseudonymised: yes" in follow_text and "Message-ID: <follow-up-1@example.com>" in follow_text
    upn = json.loads((out / "CME-2026-00002.json").read_text(encoding="utf-8"))["children"][0]["upn"]
    assert re.fullmatch(r"[A-Z]\d{12}", upn) and upn != "F850261100123"

    raw = cme("labels", "export", "--raw", str(tmp_path / "raw"), env=_env(tmp_path, url))
    assert raw.returncode == 0 and "raw" in raw.stdout
    assert (tmp_path / "raw" / "CME-2026-00001.eml").read_bytes() == originals[0][0]


@pytest.mark.parametrize("database", ["sqlite", "postgresql"])
def test_import_keeps_labels_for_stored_messages_found_by_message_id(tmp_path, request, database):
    url = (request.getfixturevalue("postgres").new_database() if database == "postgresql"
           else f"sqlite:///{tmp_path / 'cme.sqlite3'}")
    engine = make_engine(url)
    upgrade(engine)
    sessions = session_factory(engine)
    raw, label = _heldout("h04")[0]
    with sessions() as s:  # stored by the service, never opened by a person: no label yet
        message_id = email.message_from_bytes(raw, policy=email.policy.default)["message-id"]
        entry = ledger.claim(s, MessageKey("cme@example.org", "INBOX", 1, 1), raw, str(message_id), NOW)
        cases.save_case(s, message_entry_id=entry.id, record={**label, "source": {}, "needs_review": True,
                                                                "review_reasons": []}, thread_key=None, now=NOW)
        ledger.mark_stored(s, entry.id, NOW)
        s.commit()
        assert labels(s) == []
    folder = tmp_path / "given"
    folder.mkdir()
    label["urgent"] = True  # the label someone else made says so
    (folder / "anything.eml").write_bytes(raw)
    (folder / "anything.json").write_text(json.dumps(label), encoding="utf-8")
    (folder / "stranger.eml").write_bytes(FOLLOW_UP)
    (folder / "stranger.json").write_text(json.dumps(_follow_up_label()), encoding="utf-8")

    result = cme("labels", "import", str(folder), env=_env(tmp_path, url))

    assert result.returncode == 0, result.stderr[-3000:]
    assert "1 imported" in result.stdout and "1 not stored" in result.stdout
    with sessions() as s:
        [kept] = labels(s)
    assert (kept.origin, kept.decision, kept.label["urgent"]) == ("imported", "imported", True)
    assert kept.label["children"][0]["last_name"] == "Hargreaves"
    engine.dispose()


@pytest.mark.parametrize("database", ["sqlite", "postgresql"])
def test_eval_rereads_the_labelled_messages_prints_the_summary_and_calibration_and_keeps_each_run(
        tmp_path, request, database):
    url = (request.getfixturevalue("postgres").new_database() if database == "postgresql"
           else f"sqlite:///{tmp_path / 'cme.sqlite3'}")
    _store(url, _heldout("h01", "h02", "h05"))

    result = cme("eval", env=_env(tmp_path, url))
    as_json = cme("eval", "--json", env=_env(tmp_path, url))
    later = cme("eval", "--since", "2027-01-01", env=_env(tmp_path, url))
    unrecorded = cme("eval", "--no-record", "--since", "2026-11-20T08:59:00+00:00", env=_env(tmp_path, url))

    assert result.returncode == 0, result.stderr[-3000:]
    line, blank, heading, columns, *bins, ece = result.stdout.splitlines()
    assert SUMMARY.match(line) and line.startswith("messages=3 ") and blank == ""
    assert heading.startswith("calibration of the ") and columns.split() == ["bin", "values", "mean", "p", "right"]
    assert bins and all(re.fullmatch(r"\s*0\.\d-[01]\.\d\s+\d+\s+[01]\.\d{3}\s+[01]\.\d{3}", b) for b in bins)
    assert re.fullmatch(r"ECE 0\.\d{4}", ece)
    assert sum(int(b.split()[1]) for b in bins) == int(heading.split()[3])
    metrics = json.loads(as_json.stdout)
    assert metrics["messages"] == 3 and 0.0 < metrics["field_f1"] <= 1.0 and metrics["category_accuracy"] > 0
    assert metrics["reliability"] and 0.0 <= metrics["ece"] < 1.0
    assert later.returncode == 1 and "no labelled messages" in later.stderr
    assert unrecorded.returncode == 0 and unrecorded.stdout.startswith("messages=3 ")

    engine = make_engine(url)
    with session_factory(engine)() as s:
        runs = eval_runs.latest(s)
    engine.dispose()
    assert [r.command for r in runs] == ["cme eval", "cme eval --json"]  # the --no-record run is not kept
    first = runs[0]
    assert (first.messages, first.since, first.field_f1) == (3, None, metrics["field_f1"])
    assert first.review_rate == metrics["review_rate"] and first.ece == metrics["ece"]
    assert first.extraction_version.startswith(("git ", "cme-inbox ")) and first.ran_by
    assert re.fullmatch(r"calibration shipped (sha256:[0-9a-f]{12}|\(none\)); textcat shipped; spancat shipped",
                        first.calibration_id)
    assert first.metrics["reliability"] == metrics["reliability"] and "errors" not in first.metrics
