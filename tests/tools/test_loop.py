"""tools/loop.py measures corpus B before and after learning from corpus A, end to end through the `cme`
command on fresh stores: B's mail is read by the service's own intake, only B's labels are scored, and
only A's labels are in the store when the learning steps run, and a step that cannot learn says why."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[2]
LOOP = PROJECT / "tests" / "data" / "loop"


def test_loop_scores_b_alone_before_and_after_learning_from_a_only(tmp_path):
    env = {**os.environ, "PYTHONPATH": str(PROJECT),
           # a real mailbox, server and database in the environment: the measurement must use none of them
           "CME_IMAP_HOST": "imap.invalid", "CME_SMTP_HOST": "smtp.invalid",
           "CME_DATABASE_URL": f"sqlite:///{tmp_path / 'real' / 'cme.sqlite3'}", "CME_DATA_DIR": str(tmp_path / "real")}
    stores = tmp_path / "stores"

    done = subprocess.run([sys.executable, "tools/loop.py", str(LOOP / "a"), str(LOOP / "b"), "--json",
                           "--keep", str(stores)], cwd=PROJECT, env=env, capture_output=True, text=True, timeout=600)

    assert done.returncode == 0, done.stderr[-3000:]
    result = json.loads(done.stdout)
    before, after = result["before"], result["after"]
    assert before["messages"] == after["messages"] == 3  # B alone, although the second store holds A too
    assert all(ref > "CME-2026-00003" for ref in after["errors"])  # A's three cases came first: none of them is scored
    for key in ("auto_accept_precision", "review_rate", "field_f1"):
        assert before[key] is None or 0.0 <= before[key] <= 1.0
    assert sorted(result["labels_when_learning"]) == ["<loop-a1-20261103@example.org>", "<loop-a2-20261104@example.net>",
                                                      "<loop-a3-20261105@example.com>"]
    assert [s["step"] for s in result["learning"]] == ["calibrate from the store", "train"]
    # three labels are too few to learn from: each step says so (or is not in this build), and B is read as before
    assert all(s["outcome"] == "not run" or s["outcome"].startswith("run, exit") for s in result["learning"])
    assert all(s.get("why") or "only 3 stored labels" in " ".join(s["printed"]) for s in result["learning"])
    assert result["in_force_after"] == "calibration shipped, textcat shipped, spancat shipped"
    assert {k: before[k] for k in ("field_f1", "review_rate")} == {k: after[k] for k in ("field_f1", "review_rate")}
    assert "poll: seen=3 stored=3" in done.stderr and "3 imported" in done.stderr
    assert not (tmp_path / "real").exists()  # the environment's data dir and database were never opened
    assert len(list((stores / "after" / "mailbox" / "Processed").glob("*/*"))) == 6  # A and B, read and moved
