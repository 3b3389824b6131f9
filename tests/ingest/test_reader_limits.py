"""The isolated reader: a message that hits a limit is stopped with the limit named, and the next one is read.

Real worker processes under real rlimits; the hostile files are built here (tests/ingest/hostile.py).
"""
from __future__ import annotations

import dataclasses
import os
import signal
import threading
import time
from pathlib import Path

import pytest

from config.settings import ReadLimits, load_settings
from ingest.reader import Reader, ReaderConfig, Reading, Unread
from tests.ingest import hostile, mails


def _reader(**limits: int) -> Reader:
    return Reader(dataclasses.replace(ReaderConfig.of(load_settings({})), limits=ReadLimits(**limits)))


@pytest.fixture
def reader_with():
    made: list[Reader] = []

    def make(**limits: int) -> Reader:
        reader = _reader(**limits)
        reader.start()
        made.append(reader)
        return reader

    yield make
    for reader in made:
        reader.close()


def _cpu_ticks(pid: int) -> int:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])  # utime + stime


def _reads_a_referral(reader: Reader) -> None:
    reading = reader.read("next.eml", mails.person_referral())
    assert isinstance(reading, Reading)
    assert reading.record["category"] == "cme_referral"
    assert [c["first_name"]["value"] for c in reading.record["children"]] == [mails.CHILD_FIRST]


def test_a_message_over_the_memory_limit_is_stopped_and_the_next_message_is_read(reader_with):
    reader = reader_with(memory_mb=560)

    result = reader.read("long.eml", hostile.long_html_referral(10))

    assert result == Unread("reading stopped: over the 560 MB memory limit (CME_READ_MAX_MB)")
    _reads_a_referral(reader)


def test_a_message_over_the_cpu_limit_is_stopped_and_the_next_message_is_read(reader_with):
    reader = reader_with(cpu_seconds=5)

    result = reader.read("long.eml", hostile.long_html_referral(10))

    assert result == Unread("reading stopped: over the 5 CPU-second limit (CME_READ_MAX_CPU_SECONDS)")
    _reads_a_referral(reader)


def test_a_message_over_the_time_limit_is_stopped_and_the_next_message_is_read(reader_with):
    reader = reader_with(wall_seconds=5)

    result = reader.read("long.eml", hostile.long_html_referral(10))

    assert result == Unread("reading stopped: over the 5-second time limit (CME_READ_MAX_SECONDS)")
    _reads_a_referral(reader)


def test_a_result_over_the_output_limit_is_refused_and_the_next_message_is_read(reader_with):
    reader = reader_with(output_mb=1)

    result = reader.read("long.eml", hostile.long_html_referral(3))

    assert result == Unread("reading stopped: the result is over the 1 MB output limit (CME_READ_MAX_OUTPUT_MB)")
    _reads_a_referral(reader)


def test_a_worker_killed_mid_message_is_replaced_and_the_next_message_is_read(reader_with):
    reader = reader_with()
    first = reader.worker_pid
    results: list[object] = []
    reading = threading.Thread(target=lambda: results.append(reader.read("long.eml", hostile.long_html_referral(10))))
    idle = _cpu_ticks(first)
    reading.start()
    # the worker is busy with the message (it burns CPU for many seconds); half a second of CPU is past taking the
    # message in (a first tick can be the worker still receiving it, and a kill then stops the sending instead)
    while _cpu_ticks(first) - idle < 50:
        time.sleep(0.05)
    os.kill(first, signal.SIGKILL)
    reading.join()

    assert results == [Unread("reading stopped: the reader was killed (SIGKILL)")]
    _reads_a_referral(reader)
    assert reader.worker_pid != first


def test_a_ten_megabyte_html_body_with_a_referral_at_the_top_is_read_as_a_referral(reader_with):
    reader = reader_with()

    reading = reader.read("long.eml", hostile.long_html_referral(10))

    assert isinstance(reading, Reading)
    assert reading.record["category"] == "cme_referral"
    assert [c["first_name"]["value"] for c in reading.record["children"]] == ["Peregrine"]
    assert any("only its first" in r for r in reading.record["review_reasons"])


def test_a_docx_with_an_external_entity_reads_no_local_file(reader_with, tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("MARKER-NOT-TO-BE-READ-4471")
    doctype = f'<!DOCTYPE w:document [<!ENTITY xxe SYSTEM "file://{secret}">]>'.encode()
    raw = hostile.mail([("form.docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                         hostile.docx("Child's name: &xxe;", doctype))])
    reader = reader_with()

    reading = reader.read("xxe.eml", raw)

    assert isinstance(reading, Reading)
    assert "MARKER" not in reading.text and "MARKER" not in str(reading.record)
    assert reading.warnings == ("an attachment was refused as built to attack its reader",)
