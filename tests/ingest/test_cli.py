"""The `cme` command as an operator runs it: poll, export, check, user add, run."""
from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from tests.conftest import free_port, wait_for_port
from tests.ingest import mails
from tests.ingest.service import service_env

PROJECT = Path(__file__).resolve().parents[2]
CME = [sys.executable, "-m", "ingest.cli"]


def cme(*args: str, env: dict[str, str], stdin: str | None = None, timeout: float = 300) -> subprocess.CompletedProcess:
    return subprocess.run([*CME, *args], cwd=PROJECT, env={**os.environ, **env}, input=stdin, capture_output=True,
                          text=True, timeout=timeout)


def test_poll_once_then_export_gives_one_line_per_message(tmp_path, imap_account, smtp_server):
    env = service_env(tmp_path, imap_account.env(), smtp_server.env())
    for raw in (mails.person_referral(), mails.out_of_office(), mails.no_reply_form(), mails.not_an_email()):
        imap_account.append(raw)

    polled = cme("poll", "--once", env=env)
    again = cme("poll", "--once", env=env)
    exported = cme("export", env=env)

    assert polled.returncode == 0, polled.stderr[-2000:]
    assert "seen=4 stored=3 quarantined=1" in polled.stdout
    assert "seen=0 stored=0" in again.stdout
    lines = [json.loads(line) for line in exported.stdout.splitlines()]
    assert len(lines) == 4
    assert sum("error" in line for line in lines) == 1
    assert sorted(line["source"]["from"] for line in lines if "error" not in line) == sorted(
        ["k.olowe@quillfield.example.org", "d.whitlow@example.org", "no-reply@forms.example.org"])
    assert len(smtp_server.received) == 2  # the person and the referrer named in the form
    assert imap_account.messages("INBOX") == []


def test_check_says_what_works_and_what_does_not(tmp_path, imap_account, smtp_server):
    good = service_env(tmp_path, imap_account.env(), smtp_server.env())
    ok = cme("check", env=good)
    assert ok.returncode == 0, ok.stdout + ok.stderr
    assert "mailbox: ok" in ok.stdout and "mail out: ok" in ok.stdout and "database: ok" in ok.stdout
    assert imap_account.password not in ok.stdout

    bad = cme("check", env={**good, "CME_IMAP_PASSWORD": "wrong", "CME_SMTP_PORT": str(free_port())})
    assert bad.returncode == 1
    assert "mailbox: FAILED" in bad.stdout and "mail out: FAILED" in bad.stdout and "database: ok" in bad.stdout


def test_a_bad_setting_stops_the_command_with_its_name(tmp_path):
    result = cme("poll", "--once", env=service_env(tmp_path, {"CME_IMAP_TLS": "sometimes"}))
    assert result.returncode == 2
    assert "CME_IMAP_TLS" in result.stderr and "Traceback" not in result.stderr


def test_user_add_reads_the_password_from_stdin(tmp_path):
    env = service_env(tmp_path)
    added = cme("user", "add", "j.officer", "--role", "officer", env=env, stdin="a-long-enough-passphrase-1\n")
    assert added.returncode == 0, added.stderr
    again = cme("user", "add", "j.officer", "--role", "officer", env=env, stdin="a-long-enough-passphrase-1\n")
    assert again.returncode == 2 and "already exists" in again.stderr


def test_run_serves_the_review_screen_and_reads_the_sample_mailbox(tmp_path):
    port = free_port()
    env = service_env(tmp_path, {"CME_WEB_PORT": str(port), "CME_POLL_SECONDS": "5"})
    proc = subprocess.Popen([*CME, "run"], cwd=PROJECT, env={**os.environ, **env}, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True)
    try:
        wait_for_port(port, timeout=120)
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/sign-in", timeout=10) as response:
            assert response.status == 200
        inbox = tmp_path / "var" / "mailbox" / "INBOX"

        def waiting() -> int:
            return sum(len(list((inbox / d).iterdir())) for d in ("new", "cur") if (inbox / d).exists())

        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and (waiting() or not (inbox / "new").exists()):
            time.sleep(0.5)
        assert waiting() == 0, "the sample mailbox was not read"
        outbox = list((tmp_path / "var" / "outbox").glob("*.eml"))
        assert outbox, "no acknowledgement written to the local outbox"
    finally:
        proc.terminate()
        output = proc.communicate(timeout=30)[0]
    assert len(re.findall(r"password '([^']+)'", output)) == 1
    # a second start has an administrator already: no new password is printed
    proc = subprocess.Popen([*CME, "run"], cwd=PROJECT, env={**os.environ, **env}, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True)
    try:
        wait_for_port(port, timeout=120)
    finally:
        proc.terminate()
        output = proc.communicate(timeout=30)[0]
    assert "password '" not in output


def test_run_reads_new_mail_at_once_when_idle_reports_it(tmp_path, imap_account, smtp_server):
    port = free_port()
    env = service_env(tmp_path, imap_account.env(), smtp_server.env(),
                      {"CME_WEB_PORT": str(port), "CME_POLL_SECONDS": "3600"})  # only IDLE can wake it in time
    proc = subprocess.Popen([*CME, "run"], cwd=PROJECT, env={**os.environ, **env}, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True)
    try:
        wait_for_port(port, timeout=120)
        time.sleep(3)  # the first poll has run and the IDLE connection is open
        imap_account.append(mails.person_referral())
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and not imap_account.messages("Processed"):
            time.sleep(0.5)
        assert len(imap_account.messages("Processed")) == 1, "IDLE did not wake the poller"
        assert imap_account.messages("INBOX") == []
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and not smtp_server.received:
            time.sleep(0.2)
        assert [m.rcpt_tos for m in smtp_server.received] == [["k.olowe@quillfield.example.org"]]
    finally:
        proc.terminate()
        proc.communicate(timeout=30)
