"""`make bench-web` on a small database: it seeds, serves the review screen, signs in and prints a
line for every page it times (speed itself is measured by the benchmark, never asserted here)."""
from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from tests.postgres import PostgresServer

ROOT = Path(__file__).resolve().parents[2]
PAGES = ("queue", "queue_later_page", "search_name", "search_postcode", "case", "my_cases", "overdue", "dfe_export")


def test_the_web_benchmark_prints_the_seeding_time_and_a_line_for_every_page(postgres: PostgresServer) -> None:
    done = subprocess.run([sys.executable, "tools/bench_web.py", "--cases", "200", "--requests", "2",
                           "--database-url", postgres.new_database()],
                          cwd=ROOT, capture_output=True, text=True, timeout=600, check=False)
    assert done.returncode == 0, done.stderr[-3000:]
    lines = done.stdout.splitlines()
    assert any(re.fullmatch(r"seed cases=200 seconds=[\d.]+ \(message=200 case=200 .*\)", line) for line in lines), lines
    for page in PAGES:
        assert any(re.match(rf"{page} p95_ms=[\d.]+ p50_ms=[\d.]+ n=2\b", line) for line in lines), (page, lines)
