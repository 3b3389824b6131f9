"""Reading untrusted mail: MIME parse, attachments, OCR and extraction, in a worker process with hard limits.

The service process never parses a message's bytes itself. `Reader.read(name, data)` hands the raw
bytes to a long-lived worker (one model load per worker, not per message) and gets back small frozen
values: the referral record and the parsed text (`Reading`), or why the message could not be read
(`Unread`). The worker runs under hard limits:

- address space (`RLIMIT_AS`, CME_READ_MAX_MB): an allocation past it fails in the worker;
- CPU seconds per message (`RLIMIT_CPU`, CME_READ_MAX_CPU_SECONDS): the kernel stops the worker;
- wall clock (CME_READ_MAX_SECONDS): enforced here, the worker and its OCR children are killed;
- open files (`RLIMIT_NOFILE`, CME_READ_MAX_FILES);
- output (CME_READ_MAX_OUTPUT_MB): a larger answer is refused unread.

A worker that crashes, runs out of memory or time, or reads CME_READ_WORKER_MESSAGES messages is
replaced by a fresh one (multiprocessing's `forkserver`, with the heavy modules imported once in the
fork server). `Reader.attachment(data, index)` cuts one attachment's bytes out of a raw message the
same way (the review screen's downloads; that worker loads no model). The answer crosses the pipe as
JSON, never as a pickle: a worker subverted by a hostile file cannot hand the service code to run. Logs
carry no message content.
"""
from __future__ import annotations

import atexit
import json
import logging
import multiprocessing
import os
import re
import resource
import signal
import threading
import time
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from config.settings import ReadLimits, TeamAddresses

log = logging.getLogger("cme.reader")
MB = 1024 * 1024
NEAR_LIMIT_MB = 32  # a failure with the address space this close to CME_READ_MAX_MB is the memory limit's doing
PRELOAD = ["ingest.reader", "extraction.extract", "extraction.context", "parsers.mime"]
_SIGNALS = {signal.SIGSEGV: "SIGSEGV", signal.SIGABRT: "SIGABRT", signal.SIGBUS: "SIGBUS", signal.SIGILL: "SIGILL",
            signal.SIGFPE: "SIGFPE", signal.SIGKILL: "SIGKILL", signal.SIGXCPU: "SIGXCPU", signal.SIGTERM: "SIGTERM"}


@dataclass(frozen=True)
class ReaderConfig:
    """What a worker needs to build its extraction context: no secrets cross into the worker."""

    spacy_model: str
    school_register: Path
    teams: TeamAddresses
    limits: ReadLimits = ReadLimits()
    authserv_id: str = ""  # whose Authentication-Results the sender checks believe (CME_AUTHSERV_ID)
    # the versions in force (ingest/versions.py hands them over; the worker does no SQL):
    calibration_json: str | None = None  # the calibration's JSON; None: config/calibration.json; "none": raw scores
    textcat_dir: Path | None = None  # an unpacked classifier version; None: config/textcat/
    spancat_dir: Path | None = None  # an unpacked span categoriser version; None: config/spancat/
    attachments_only: bool = False  # a worker that only fetches attachments' bytes (the review screen's): no model

    @classmethod
    def of(cls, settings: Any) -> "ReaderConfig":
        return cls(settings.spacy_model, settings.school_register, settings.teams, settings.read,
                   getattr(settings, "authserv_id", ""))


@dataclass(frozen=True)
class Thread:
    """The message's place in a conversation, as its headers give it."""

    message_id: str | None
    in_reply_to: str | None
    references: tuple[str, ...]
    subject: str | None


@dataclass(frozen=True)
class Part:
    """One readable part's text exactly as the extraction read it (the record's spans index into it)."""

    part: str  # "header", "body", "attachment:NAME" (the contract's source.part)
    kind: str  # plain, html, pdf, pdf-ocr, image-ocr, docx, email
    text: str


@dataclass(frozen=True)
class Listed:
    """An attachment as the reader listed it."""

    index: int
    filename: str
    content_type: str
    size: int
    parent: int | None = None


@dataclass(frozen=True)
class Header:
    """The header facts a person reads: From, To, Subject, Date (ISO 8601)."""

    from_address: str | None = None
    from_name: str | None = None
    to: tuple[str, ...] = ()
    subject: str | None = None
    date: str | None = None


@dataclass(frozen=True)
class Reading:
    """A message read: its referral record (the contract's JSON), its thread and the text it read."""

    record: dict[str, Any]
    thread: Thread
    text: str  # every readable part's text, for case references and bounced Message-IDs
    warnings: tuple[str, ...] = ()  # how the message looks built to attack its reader (fixed words, no content)
    sender: tuple[bool, str | None, str | None] = (False, None, None)  # the sender verdict: suspect, reason, checks
    parts: tuple[Part, ...] = ()  # the text, part by part, as kept for the case page
    attachments: tuple[Listed, ...] = ()
    header: Header = Header()
    problems: tuple[str, ...] = ()  # what the parser met while reading (fixed words)

    def referral(self) -> Any:
        from extraction.model import Referral, SenderTrust

        return replace(Referral.from_record(self.record), sender=SenderTrust(*self.sender))


@dataclass(frozen=True)
class Fetched:
    """One attachment's bytes, as the worker cut them from the raw message."""

    filename: str
    content_type: str
    data: bytes


@dataclass(frozen=True)
class Unread:
    """A message that could not be read, and why (fixed words plus the limit's setting; no content)."""

    reason: str
    unparseable: bool = False  # not an email at all (as opposed to a limit or a failure)
    header: Header | None = field(default=None, compare=False)  # its header facts, when the worker could give them


# --- the worker side -------------------------------------------------------------------------------


def _reason(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    return f"{type(exc).__name__}: {text}"[:500] if text else type(exc).__name__


def _limit(kind: int, value: int) -> None:
    _, hard = resource.getrlimit(kind)
    if hard != resource.RLIM_INFINITY:
        value = min(value, hard)
    resource.setrlimit(kind, (value, hard))


def _cpu_used() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _vm_peak_mb() -> float:
    """The worker's largest address space so far (Linux /proc), in MB."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmPeak:"):
                return int(line.split()[1]) / 1024
    except (OSError, ValueError, IndexError):
        pass
    return 0.0


def _attachment(index: str, data: bytes) -> dict[str, Any]:
    """The bytes of attachment `index` of a raw message (base64), as its listing at ingestion numbered it."""
    import base64

    from parsers.mime import attachment_bytes

    try:
        filename, content_type, payload = attachment_bytes(data, int(index))
    except (IndexError, ValueError, LookupError):
        return {"missing": True}
    return {"attachment": {"filename": filename, "content_type": content_type,
                           "data": base64.b64encode(payload).decode("ascii")}}


def _read(op: str, name: str, data: bytes, context: Any) -> dict[str, Any]:
    if op == "attachment":
        return _attachment(name, data)
    from extraction.extract import explain_file, extract_referral
    from parsers.errors import UnparseableMessage
    from parsers.mime import parse_message

    if op == "explain":
        return {"explain": explain_file(name, data, context)}
    try:
        parsed = parse_message(data, name)
    except UnparseableMessage as exc:
        return {"unread": str(exc) or "not an email", "unparseable": True}
    if op == "category_text":
        from extraction.category_model import category_text

        return {"category_text": category_text(parsed)}
    referral = extract_referral(parsed, context)
    record = referral.to_record()
    thread = {"message_id": parsed.message_id, "in_reply_to": parsed.in_reply_to,
              "references": list(parsed.references), "subject": parsed.subject}
    parts = [{"part": s.part, "kind": s.kind, "text": s.text} for s in parsed.sources]
    listed = [{"index": a.index, "filename": a.filename, "content_type": a.content_type, "size": a.size,
               "parent": a.parent} for a in parsed.attachments]
    header = {"from_address": parsed.from_address, "from_name": parsed.from_name, "to": list(parsed.to),
              "subject": parsed.subject, "date": parsed.date}
    sender = {"suspect": referral.sender.suspect, "reason": referral.sender.reason, "checks": referral.sender.checks}
    return {"record": record, "thread": thread, "parts": parts, "attachments": listed, "header": header,
            "problems": list(parsed.problems), "warnings": warnings(parsed), "sender": sender}


HEADER_BYTES = 65536  # the header facts of a message that cannot be read come from its first 64 KB only


def header_facts(data: bytes) -> dict[str, Any] | None:
    """From, To, Subject and Date of the header block (for a message that could not be read), or None."""
    from email.parser import BytesHeaderParser
    from email.policy import default as default_policy

    try:
        headers = BytesHeaderParser(policy=default_policy).parsebytes(data[:HEADER_BYTES])
        sender = getattr(headers["from"], "addresses", ()) if headers["from"] else ()
        to = getattr(headers["to"], "addresses", ()) if headers["to"] else ()
        date = getattr(headers["date"], "datetime", None) if headers["date"] else None
        return {"from_address": sender[0].addr_spec.lower() if sender else None,
                "from_name": sender[0].display_name or None if sender else None,
                "to": [a.addr_spec for a in to][:100], "subject": str(headers["subject"]) if headers["subject"] else None,
                "date": date.isoformat() if date else None}
    except Exception:  # noqa: BLE001 - a header too broken to read gives no facts
        return None


MANY_ATTACHMENTS = 100
MANY_HEADERS = 1000
_CLIMBS_OUT = re.compile(r"(?:^|_)\.\.(?:_|$)")  # "../" once the parser made "/" and "\" into "_"


def warnings(parsed: Any) -> list[str]:
    """Signs that a message was built to attack its reader rather than to tell us something."""
    codes = {p.split(":", 1)[0] for p in parsed.problems}
    found = []
    if "attachment-refused" in codes:
        found.append("an attachment was refused as built to attack its reader")
    if "image-too-large" in codes:
        found.append("an image is too large to decode")
    from parsers.attachments import MAX_BYTES

    if any(a.size > MAX_BYTES for a in parsed.attachments):
        found.append(f"an attachment is over {MAX_BYTES // 2**20} MB")
    if "mime-too-large" in codes or any("nested too deep" in p for p in parsed.problems):
        found.append("its MIME structure is nested too deep or has too many parts")
    if len(parsed.attachments) > MANY_ATTACHMENTS:
        found.append(f"it has {len(parsed.attachments)} attachments")
    if any(_CLIMBS_OUT.search(a.filename) for a in parsed.attachments):
        found.append("an attachment's name tries to leave its folder")
    if len(parsed.headers) > MANY_HEADERS:
        found.append(f"it has {len(parsed.headers)} header fields")
    return found


def _serve(conn: Any, config: ReaderConfig) -> None:
    """The worker: limits first, then the model, then one message at a time until the pipe closes."""
    os.setpgrp()  # its OCR children share its process group, so the service can stop them all
    limits = config.limits
    _limit(resource.RLIMIT_NOFILE, limits.open_files)
    _limit(resource.RLIMIT_CORE, 0)
    _limit(resource.RLIMIT_AS, limits.memory_mb * MB)
    from extraction.context import build_context

    try:
        context = None if config.attachments_only else build_context(config)
    except MemoryError:
        conn.send_bytes(json.dumps({"ready": False, "error": "memory"}).encode())
        return
    conn.send_bytes(json.dumps({"ready": True}).encode())
    while True:
        try:
            request = conn.recv_bytes()
        except (EOFError, OSError):
            return
        op, _, rest = request.partition(b"\n")
        name_bytes, _, data = rest.partition(b"\n")
        soft = int(_cpu_used()) + limits.cpu_seconds
        resource.setrlimit(resource.RLIMIT_CPU, (soft, resource.getrlimit(resource.RLIMIT_CPU)[1]))
        peak = _vm_peak_mb()
        try:
            answer = _read(op.decode(), name_bytes.decode("utf-8", "replace"), data, context)
            if op == b"read" and "record" not in answer:
                answer["header"] = header_facts(data)
        except MemoryError:
            answer = {"limit": "memory"}
        except Exception as exc:  # noqa: BLE001 - the message failed; the worker stays useful
            # a library that turns a failed allocation into its own error (selectolax, lxml) still hit the limit
            grown = _vm_peak_mb()
            hit = grown > peak and grown >= limits.memory_mb - NEAR_LIMIT_MB
            answer = {"limit": "memory"} if hit else {"failed": _reason(exc)}
            if "failed" in answer and op == b"read":
                answer["header"] = header_facts(data)
        try:
            payload = json.dumps(answer).encode("ascii")  # ASCII: a lone surrogate in a text survives as \\udxxx
        except (MemoryError, ValueError, TypeError) as exc:
            payload = json.dumps({"failed": f"the result could not be written ({type(exc).__name__})"}).encode()
        del data, request
        conn.send_bytes(payload)
        if "limit" in answer:
            return  # after a MemoryError the worker's state is not to be trusted


# --- the service side ------------------------------------------------------------------------------


def _sender(value: Any) -> tuple[bool, str | None, str | None]:
    """The worker's sender verdict, checked for shape (the worker is not trusted to send well-formed data)."""
    if not isinstance(value, dict):
        return (True, "The sender could not be checked.", None)  # no verdict: treat as suspect, never reply
    reason, checks = (value.get(k) for k in ("reason", "checks"))
    return (bool(value.get("suspect")), None if reason is None else str(reason)[:1000],
            None if checks is None else str(checks)[:1000])


def _text(value: Any, limit: int) -> str | None:
    return None if value is None else str(value)[:limit]


def _strings(value: Any, limit: int = 500) -> tuple[str, ...]:
    return tuple(str(v)[:limit] for v in value) if isinstance(value, list) else ()


def _parts(value: Any) -> tuple[Part, ...]:
    """The worker's parts, checked for shape: a text is kept whole (the record's spans index into it)."""
    if not isinstance(value, list):
        return ()
    return tuple(Part(str(p.get("part") or "")[:300], str(p.get("kind") or "")[:20], str(p.get("text") or ""))
                 for p in value if isinstance(p, dict))


def _int(value: Any) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else 0


def _listed(value: Any) -> tuple[Listed, ...]:
    if not isinstance(value, list):
        return ()
    return tuple(Listed(_int(a.get("index")), str(a.get("filename") or "")[:300], str(a.get("content_type") or "")[:200],
                        _int(a.get("size")), a.get("parent") if isinstance(a.get("parent"), int) else None)
                 for a in value if isinstance(a, dict))


def _header(value: Any) -> Header | None:
    if not isinstance(value, dict):
        return None
    to = value.get("to")
    return Header(_text(value.get("from_address"), 320), _text(value.get("from_name"), 500),
                  _strings(to) if isinstance(to, list) else (), _text(value.get("subject"), 2000),
                  _text(value.get("date"), 40))


class _Worker:
    def __init__(self, ctx: Any, config: ReaderConfig) -> None:
        self.conn, child = ctx.Pipe(duplex=True)
        self.process = ctx.Process(target=_serve, args=(child, config), daemon=True, name="cme-reader")
        self.process.start()
        child.close()
        self.done = 0
        self.peak_mb = 0.0

    def sample(self) -> None:
        """Note the worker's address space (to tell a memory crash from another crash)."""
        try:
            status = Path(f"/proc/{self.process.pid}/status").read_text()
        except OSError:
            return
        for line in status.splitlines():
            if line.startswith("VmSize:"):
                self.peak_mb = max(self.peak_mb, int(line.split()[1]) / 1024)

    def stop(self) -> None:
        pid = self.process.pid
        if pid and self.process.exitcode is None:
            try:
                os.killpg(pid, signal.SIGKILL)  # the worker and any OCR process it started
            except (ProcessLookupError, PermissionError):
                pass
            try:
                self.process.kill()
            except (OSError, ValueError):
                pass
        self.process.join(5)
        try:
            self.conn.close()
        except OSError:
            pass


class Reader:
    """The service's one way to read a message; thread-safe (one message at a time)."""

    def __init__(self, config: ReaderConfig) -> None:
        self.config = config
        self.limits = config.limits
        self._worker: _Worker | None = None
        self._lock = threading.Lock()
        self._ctx = multiprocessing.get_context("forkserver")
        self._ctx.set_forkserver_preload(PRELOAD)
        self.replaced = 0  # workers replaced after a crash or a limit (for tests and the log)

    # a worker is started lazily, and waited for outside a message's time limit
    def start(self) -> None:
        with self._lock:
            self._ensure()

    def _ensure(self) -> _Worker:
        if self._worker is not None and self._worker.process.is_alive():
            return self._worker
        if self._worker is not None:
            self._worker.stop()
        worker = _Worker(self._ctx, self.config)
        if not worker.conn.poll(max(120, self.limits.wall_seconds)):
            worker.stop()
            raise RuntimeError("the reading worker did not start")
        try:
            hello = json.loads(worker.conn.recv_bytes(4096))
        except (EOFError, OSError, ValueError) as exc:
            worker.stop()
            raise RuntimeError(f"the reading worker did not start ({type(exc).__name__})") from None
        if not hello.get("ready"):
            worker.stop()
            raise RuntimeError(f"the reading worker did not start: the model does not fit in CME_READ_MAX_MB="
                               f"{self.limits.memory_mb}")
        self._worker = worker
        return worker

    def close(self) -> None:
        with self._lock:
            if self._worker is not None:
                self._worker.stop()
                self._worker = None

    def __enter__(self) -> "Reader":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def worker_pid(self) -> int | None:
        return self._worker.process.pid if self._worker is not None else None

    def read(self, name: str, data: bytes) -> Reading | Unread:
        answer = self._ask("read", name, data)
        if isinstance(answer, Unread):
            return answer
        if "unread" in answer:
            return Unread(str(answer["unread"])[:500], unparseable=bool(answer.get("unparseable")),
                          header=_header(answer.get("header")))
        if "failed" in answer:
            return Unread(str(answer["failed"])[:500], header=_header(answer.get("header")))
        thread = answer["thread"]
        parts = _parts(answer.get("parts"))
        return Reading(answer["record"], Thread(thread.get("message_id"), thread.get("in_reply_to"),
                                                tuple(thread.get("references") or ()), thread.get("subject")),
                       "\n".join(p.text for p in parts), tuple(str(w)[:200] for w in answer.get("warnings") or ()),
                       _sender(answer.get("sender")), parts, _listed(answer.get("attachments")),
                       _header(answer.get("header")) or Header(), _strings(answer.get("problems")))

    def attachment(self, data: bytes, index: int) -> Fetched | Unread | None:
        """Attachment `index` of a raw message, fetched in the worker (None: the message has no such one)."""
        import base64

        answer = self._ask("attachment", str(index), data)
        if isinstance(answer, Unread):
            return answer
        if "failed" in answer:
            return Unread(str(answer["failed"])[:500])
        got = answer.get("attachment")
        if not isinstance(got, dict):
            return None
        try:
            payload = base64.b64decode(str(got.get("data") or ""), validate=True)
        except ValueError:
            return Unread("the reader's answer could not be read")
        return Fetched(str(got.get("filename") or "")[:300], str(got.get("content_type") or "")[:200], payload)

    def category_text(self, name: str, data: bytes) -> str | None:
        """The text the category classifier reads (`extraction/category_model.py`), for training it; None
        when the message cannot be read."""
        answer = self._ask("category_text", name, data)
        if isinstance(answer, Unread) or "category_text" not in answer:
            return None
        return str(answer["category_text"])

    def explain(self, name: str, data: bytes) -> str:
        answer = self._ask("explain", name, data)
        if isinstance(answer, Unread):
            return f"{name}: {answer.reason}"
        if "explain" in answer:
            return str(answer["explain"])
        return f"{name}: {answer.get('unread') or answer.get('failed')}"

    def _ask(self, op: str, name: str, data: bytes) -> dict[str, Any] | Unread:
        with self._lock:
            worker = self._ensure()
            safe_name = name.replace("\n", " ").replace("\r", " ")
            try:
                worker.conn.send_bytes(op.encode() + b"\n" + safe_name.encode("utf-8", "replace") + b"\n" + data)
            except OSError:
                return self._lost(worker, "the reader stopped before the message reached it")
            deadline = time.monotonic() + self.limits.wall_seconds
            while not worker.conn.poll(min(0.2, max(deadline - time.monotonic(), 0))):
                worker.sample()
                if not worker.process.is_alive():
                    break
                if time.monotonic() >= deadline:
                    return self._lost(worker, f"over the {self.limits.wall_seconds}-second time limit "
                                              "(CME_READ_MAX_SECONDS)")
            try:
                payload = worker.conn.recv_bytes(self.limits.output_mb * MB)
            except OSError:  # a longer answer than the limit (or the pipe broke)
                if worker.process.is_alive():
                    return self._lost(worker, f"the result is over the {self.limits.output_mb} MB output limit "
                                              "(CME_READ_MAX_OUTPUT_MB)")
                return self._lost(worker, self._death(worker))
            except EOFError:
                worker.process.join(2)
                return self._lost(worker, self._death(worker))
            try:
                answer = json.loads(payload)
            except ValueError:
                return self._lost(worker, "the reader's answer could not be read")
            worker.done += 1
            if "limit" in answer:
                return self._lost(worker, self._memory())
            if worker.done >= self.limits.messages_per_worker:
                self._retire(worker)
            return answer

    def _memory(self) -> str:
        return f"over the {self.limits.memory_mb} MB memory limit (CME_READ_MAX_MB)"

    def _death(self, worker: _Worker) -> str:
        code = worker.process.exitcode
        if code is None:
            worker.process.join(2)
            code = worker.process.exitcode
        if code is not None and code < 0:
            sig = -code
            if sig == signal.SIGXCPU:
                return f"over the {self.limits.cpu_seconds} CPU-second limit (CME_READ_MAX_CPU_SECONDS)"
            if worker.peak_mb >= 0.75 * self.limits.memory_mb:
                return self._memory()
            if sig == signal.SIGKILL:
                return "the reader was killed (SIGKILL)"
            return f"the reader crashed ({_SIGNALS.get(sig, f'signal {sig}')})"
        return f"the reader ended unexpectedly (exit code {code})"

    def _lost(self, worker: _Worker, why: str) -> Unread:
        worker.stop()
        self._worker = None
        self.replaced += 1
        log.warning("reader worker replaced: %s", why)
        return Unread(f"reading stopped: {why}")

    def _retire(self, worker: _Worker) -> None:
        worker.stop()
        self._worker = None


_SHARED: dict[ReaderConfig, Reader] = {}
_SHARED_LOCK = threading.Lock()


def shared_reader(config: ReaderConfig) -> Reader:
    """The process's reader for `config` (one worker however many times the service is built)."""
    with _SHARED_LOCK:
        reader = _SHARED.get(config)
        if reader is None:
            reader = _SHARED[config] = Reader(config)
        return reader


def release_shared(config: ReaderConfig) -> None:
    """Stop the process's reader for `config` (its versions are no longer in force)."""
    with _SHARED_LOCK:
        reader = _SHARED.pop(config, None)
    if reader is not None:
        reader.close()


@atexit.register
def _close_all() -> None:
    for reader in list(_SHARED.values()):
        reader.close()
