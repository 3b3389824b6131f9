"""A process killed between the commit and the move loses and duplicates nothing."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.ingest import mails
from tests.ingest.service import make_service, service_env

PROJECT = Path(__file__).resolve().parents[2]

# `cme poll --once`, except that the process dies (no clean-up, like kill -9) at its first move.
POLL_THEN_DIE_AT_MOVE = """
import os
from config.settings import load_settings
from ingest import cli
from ingest.poller import poll_once

settings = load_settings(os.environ)
deps = cli.build_deps(settings, cli.open_database(settings))
with cli.open_mailbox(settings) as mailbox:
    def die(key, destination):
        os._exit(137)
    mailbox.move = die
    poll_once(mailbox, deps)
"""


def test_killed_between_commit_and_move_loses_and_duplicates_nothing(tmp_path, imap_account, smtp_server,
                                                                      extraction_context):
    env = service_env(tmp_path, imap_account.env(), smtp_server.env())
    batch = [mails.person_referral(), mails.second_person_referral(), mails.out_of_office()]
    for raw in batch:
        imap_account.append(raw)

    died = subprocess.run([sys.executable, "-c", POLL_THEN_DIE_AT_MOVE], cwd=PROJECT, env={**os.environ, **env},
                          capture_output=True, timeout=300)
    assert died.returncode == 137, died.stderr.decode(errors="replace")[-2000:]
    service = make_service(env, extraction_context)
    assert len(service.export()) == 1  # the first message was committed (and acknowledged) before the kill
    assert len(imap_account.messages("INBOX")) == 3  # ... but not moved
    assert len(smtp_server.received) == 1

    report = service.poll()

    assert report.seen == 3 and report.moved == 3 and report.stored == 2
    assert len(service.export()) == 3
    assert imap_account.messages("INBOX") == []
    assert len(imap_account.messages("Processed")) == 3
    recipients = sorted(r for m in smtp_server.received for r in m.rcpt_tos)
    assert recipients == ["k.olowe@quillfield.example.org", "tom.pyke@example.com"]
    assert service.poll().seen == 0
