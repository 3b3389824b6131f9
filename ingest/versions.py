"""The versions in force, handed to the isolated reader: the one place the reader's config is built from the store.

The service process (never the reading worker, which does no SQL) asks the store which calibration, which
category classifier and which span categoriser are in force (`store/versions.py`: the newest approved of
each kind, or the files shipped in `config/` when none is), and gives them to the reader's config: the
calibration as its JSON text, each spaCy model as a directory under the data dir (`models/textcat-N/`,
`models/spancat-N/`, unpacked from its stored tar.gz once, shared by every worker on the machine).
`VersionedReader` asks again before each message, so an admin's approval or rollback is in force from the
next message read, without a restart.
"""
from __future__ import annotations

import io
import logging
import os
import shutil
import tarfile
import tempfile
import threading
from dataclasses import replace
from pathlib import Path
from typing import Any, Callable, NamedTuple

from sqlalchemy.exc import SQLAlchemyError

from ingest.reader import Reader, ReaderConfig, Reading, Unread, release_shared, shared_reader

log = logging.getLogger("cme.versions")
MAX_UNPACKED = 200 * 1024 * 1024  # a classifier version is about 3 MB unpacked, a span categoriser's about 7 MB
UNPACKED = {"textcat": "textcat_dir", "spancat": "spancat_dir"}  # the kinds unpacked, and the reader config's field


class InForce(NamedTuple):
    """The version number of each kind in force; 0 is the shipped file."""

    calibration: int
    textcat: int
    spancat: int


def pack(folder: Path) -> bytes:
    """A model directory as a tar.gz (names relative to it)."""
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as tar:
        for path in sorted(folder.rglob("*")):
            tar.add(path, arcname=str(path.relative_to(folder)), recursive=False)
    return buffer.getvalue()


def unpack(blob: bytes, folder: Path) -> Path:
    """`blob` (from `pack`) unpacked at `folder`, once: a folder already there is taken as it is. Written
    beside it and renamed into place, so two workers unpacking at once leave one whole folder."""
    if (folder / "meta.json").exists():
        return folder
    folder.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f".{folder.name}-", dir=folder.parent))
    try:
        with tarfile.open(fileobj=io.BytesIO(blob), mode="r:gz") as tar:
            members = tar.getmembers()
            if sum(m.size for m in members) > MAX_UNPACKED:
                raise ValueError("the stored model is larger than any spaCy model the service trains")
            tar.extractall(work, filter="data")  # no absolute names, links out or devices
        try:
            os.rename(work, folder)
        except OSError:  # another worker got there first
            if not (folder / "meta.json").exists():
                raise
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return folder


def models_dir(settings: Any) -> Path:
    return Path(settings.data_dir) / "models"


def versions_in_force(sessions: Callable[[], Any]) -> InForce:
    """The version numbers in force (calibration, textcat, spancat); 0 is the shipped file."""
    from store import versions

    with sessions() as session:
        return InForce(*(versions.in_force(session, kind) for kind in InForce._fields))


def reader_config(settings: Any, sessions: Callable[[], Any], numbers: InForce | None = None) -> ReaderConfig:
    """The reader's config with the versions in force (or `numbers`, as from `versions_in_force`)."""
    from store import versions

    numbers = numbers if numbers is not None else versions_in_force(sessions)
    config = ReaderConfig.of(settings)
    with sessions() as session:
        if numbers.calibration:
            config = replace(config, calibration_json=versions.artefact(session, "calibration", numbers.calibration)
                             .decode("utf-8"))
        for kind, field in UNPACKED.items():
            number = getattr(numbers, kind)
            if number:
                folder = models_dir(settings) / f"{kind}-{number}"
                if not (folder / "meta.json").exists():
                    unpack(versions.artefact(session, kind, number), folder)
                config = replace(config, **{field: folder})
    return config


class VersionedReader:
    """The pipeline's reader: the process's isolated reader for the versions in force, asked again before
    each message. While the database cannot say, the versions last in force stay."""

    def __init__(self, settings: Any, sessions: Callable[[], Any]) -> None:
        self.settings, self.sessions = settings, sessions
        self._lock = threading.Lock()
        self.numbers = versions_in_force(sessions)
        self.config = reader_config(settings, sessions, self.numbers)

    @property
    def reader(self) -> Reader:
        return shared_reader(self.config)

    def _refresh(self) -> None:
        with self._lock:
            try:
                numbers = versions_in_force(self.sessions)
                if numbers == self.numbers:
                    return
                config = reader_config(self.settings, self.sessions, numbers)
            except (SQLAlchemyError, OSError, ValueError, tarfile.TarError) as exc:
                log.warning("the versions in force could not be read; the last ones stay (%s)", type(exc).__name__)
                return
            old, self.numbers, self.config = self.config, numbers, config
            log.info("versions in force: calibration %d, textcat %d, spancat %d", *numbers)
        if old != config:
            release_shared(old)

    def read(self, name: str, data: bytes) -> Reading | Unread:
        self._refresh()
        return self.reader.read(name, data)


# --- `cme versions [list | approve KIND N | rollback KIND]` ------------------------------------------------


def add_arguments(sub: Any, handler: Callable[..., int]) -> None:
    from store.versions import KINDS

    p = sub.add_parser("versions", help="the calibration, classifier and span categoriser versions: list, approve, "
                                        "roll back")
    actions = p.add_subparsers(dest="versions_command")
    actions.add_parser("list", help="every version with its status and report's figures (the default)")
    a = actions.add_parser("approve", help="approve a version (an operator's approval, audited)")
    a.add_argument("kind", choices=KINDS)
    a.add_argument("version", type=int)
    r = actions.add_parser("rollback", help="retire the version in force; the one approved before it is used")
    r.add_argument("kind", choices=KINDS)
    p.set_defaults(func=handler)


def _figures(version: Any) -> str:
    r = version.report
    if version.kind == "calibration" and "threshold" in r:
        return (f"threshold {r['threshold']:.2f}, precision {r.get('precision', 1.0):.3f} "
                f"({r.get('accepted', 0)} accepted, {r.get('wrong_accepted', 0)} wrong), "
                f"95% error bound {r.get('error_upper_95', 1.0):.3f}")
    if version.kind == "textcat" and "accuracy" in r:
        return f"category accuracy {r['accuracy']:.3f} (version {r.get('current_version', 0)} in force: " \
               f"{r.get('current_accuracy', 0.0):.3f}) on {r.get('tested_on', 0)} messages"
    if version.kind == "spancat" and "field_f1" in r:
        return f"field F1 {r['field_f1']:.4f} (version {r.get('current_version', 0)} in force: " \
               f"{r.get('current_field_f1', 0.0):.4f}) on {r.get('tested_on', 0)} messages"
    return ""


def run_command(args: Any, sessions: Callable[[], Any], out: Any) -> int:
    from datetime import datetime, timezone

    from ingest.calibrate import operator
    from store import versions

    command = args.versions_command or "list"
    now, actor = datetime.now(timezone.utc), operator()
    with sessions() as session:
        if command == "approve":
            versions.approve(session, args.kind, args.version, actor, now)
            session.commit()
            print(f"{args.kind} version {args.version} approved by {actor}: in force from the next message read",
                  file=out)
            return 0
        if command == "rollback":
            number = versions.rollback(session, args.kind, actor, now)
            session.commit()
            print(f"{args.kind} rolled back: version {number}{' (the shipped file)' if not number else ''} is in force "
                  "from the next message read", file=out)
            return 0
        for kind in versions.KINDS:
            number = versions.in_force(session, kind)
            print(f"{kind}: version {number} in force{' (the shipped file)' if not number else ''}", file=out)
            for v in versions.listed(session, kind):
                status = "in force" if v.version == number else v.status
                print(f"  {v.version:>3}  {status:<21} {v.created_at:%Y-%m-%d %H:%M} by {v.created_by}"
                      + (f"  {_figures(v)}" if _figures(v) else "")
                      + (f"  refused: {v.refused}" if v.refused else ""), file=out)
    return 0


def keep_version(sessions: Callable[[], Any], kind: str, artefact: bytes, report: dict[str, Any],
                 refused: str | None, approve: bool, out: Any, approved_note: str = "") -> int:
    """Store a fitted `kind` version (refused, waiting for approval, or approved at once with `approve`),
    say which on `out`, and return the command's exit status (1 when refused)."""
    from datetime import datetime, timezone

    from ingest.calibrate import operator
    from store import versions

    actor, now = operator(), datetime.now(timezone.utc)
    with sessions() as session:
        stored = versions.add(session, kind, artefact, report, actor, now, refused=refused)
        if approve and not refused:
            versions.approve(session, kind, stored.version, actor, now)
        session.commit()
    if refused:
        print(f"{kind} version {stored.version} stored as REFUSED: {refused}; it cannot be approved"
              + (" (--approve ignored)" if approve else ""), file=out)
        return 1
    if approve:
        print(f"{kind} version {stored.version} stored and approved by {actor}: in force from the next message "
              f"read{approved_note}", file=out)
    else:
        print(f"{kind} version {stored.version} stored, waiting for an admin's approval (the Models page, or "
              f"cme versions approve {kind} {stored.version})", file=out)
    return 0
