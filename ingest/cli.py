"""The `cme` command: extract, poll, run, export, report, check, user.

This is the composition root: settings are loaded here once and passed down.
"""
from __future__ import annotations

import argparse
import getpass
import json
import logging
import os
import sys
import threading
import time
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Callable


def _cmd_extract(args: argparse.Namespace) -> int:
    """Print one contract record per file as JSON Lines; no database, no network."""
    from config.settings import load_settings
    from extraction.model import MessageInfo, Referral
    from ingest.reader import Reader, ReaderConfig, Unread

    settings = load_settings(os.environ)
    reader = Reader(ReaderConfig.of(settings))  # the same isolated worker the service reads with
    out = sys.stdout
    try:
        for name in args.files:
            path = Path(name)
            if args.explain:
                out.write(reader.explain(path.name, path.read_bytes()) + "\n\n")
                continue
            reading = reader.read(path.name, path.read_bytes())
            if isinstance(reading, Unread):
                record = Referral(source=MessageInfo(path.name, None, None, None, None),
                                  error=reading.reason).to_record()
            else:
                record = reading.record
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
            out.flush()
    finally:
        reader.close()
    return 0


SAMPLES_DIR = Path(__file__).resolve().parent.parent / "samples"
STANDBY_RETRY_SECONDS = 3  # a worker whose poll was skipped (another holds the folder) asks again this soon
log = logging.getLogger("cme")


def _settings() -> Any:
    from config.settings import load_settings

    return load_settings(os.environ)


def make_tokens(settings: Any) -> Any:
    """The process's one source of app-only OAuth2 tokens, or None when nothing signs in with oauth2."""
    if settings.oauth is None:
        return None
    from ingest.tokens import TokenSource

    return TokenSource(settings.oauth)


def open_mailbox(settings: Any, tokens: Any = None) -> Any:
    """The configured mailbox (not yet connected): IMAP, or the local sample Maildir.

    `tokens`: the process's TokenSource (`make_tokens`); one is made when it is needed and not given.
    """
    if settings.uses_local_mailbox:
        from ingest.maildir import LocalMailbox

        return LocalMailbox(settings.data_dir / "mailbox", seed_dir=SAMPLES_DIR)
    from ingest.imap import ImapMailbox

    if settings.imap.auth == "oauth2" and tokens is None:
        tokens = make_tokens(settings)
    return ImapMailbox(settings.imap, tokens=tokens)


def make_sender(settings: Any, tokens: Any = None) -> Any:
    if settings.uses_local_outbox:
        from notifier.folder import OutboxFolder

        return OutboxFolder(settings.data_dir / "outbox")
    from notifier.smtp import SmtpSender

    if settings.smtp.auth == "oauth2" and tokens is None:
        tokens = make_tokens(settings)
    return SmtpSender(settings.smtp, tokens=tokens)


def open_database(settings: Any) -> Any:
    """The engine, with the schema upgraded to the newest migration."""
    from store.db import make_engine, upgrade

    engine = make_engine(settings.database_url)
    upgrade(engine)
    return engine


def build_deps(settings: Any, engine: Any, context: Any = None, tokens: Any = None) -> Any:
    """What the pipeline needs. Messages are read by the process's isolated reader for these settings and
    the calibration and classifier versions in force (`ingest.versions`, asked again before each message);
    `context` is accepted for older callers and not used: the worker builds its own."""
    from ingest.pipeline import Deps
    from ingest.versions import VersionedReader
    from notifier.templating import make_env
    from store.db import session_factory

    sessions = session_factory(engine)
    reader = VersionedReader(settings, sessions)
    return Deps(sessions=sessions, reader=reader, teams=settings.teams,
                templates=make_env(), sender=make_sender(settings, tokens), max_bytes=settings.imap.max_bytes,
                clock=lambda: datetime.now(timezone.utc), drift=settings.drift)


def _cmd_poll(args: argparse.Namespace) -> int:
    """One poll of the configured mailbox (--once), or polls every CME_POLL_SECONDS.

    A poll that stopped at its batch limit says so in its summary (`more=waiting`); without --once
    the next poll starts at once, and a poll skipped for another worker is tried again after
    STANDBY_RETRY_SECONDS.
    """
    from ingest.poller import poll_mailbox

    settings = _settings()
    tokens = make_tokens(settings)
    deps = build_deps(settings, open_database(settings), tokens=tokens)
    while True:
        report = poll_mailbox(open_mailbox(settings, tokens), deps)
        print(f"poll: {report.line()}", flush=True)
        if args.once:
            return 0
        if not report.more:
            time.sleep(min(settings.poll_seconds, STANDBY_RETRY_SECONDS) if report.skipped else settings.poll_seconds)


def _cmd_export(args: argparse.Namespace) -> int:
    """Every stored record as JSON Lines, with its case reference; quarantined mail as an error line."""
    from store.db import session_factory
    from store.export import export_records

    settings = _settings()
    engine = open_database(settings)
    out = open(args.output, "w", encoding="utf-8") if args.output else sys.stdout
    try:
        with session_factory(engine)() as session:
            for record in export_records(session):
                out.write(json.dumps(record, ensure_ascii=False) + "\n")
        out.flush()
    finally:
        if out is not sys.stdout:
            out.close()
    return 0


def _cmd_check(args: argparse.Namespace) -> int:
    """Settings, database, mailbox and mail server: say which works and which does not."""
    from config.settings import SETTINGS

    settings = _settings()
    print("settings: ok")
    for s in SETTINGS:
        if s.name in os.environ:
            shown = ("(set)" if os.environ[s.name] else "(empty)") if s.secret else os.environ[s.name]
            print(f"  {s.name} = {shown}")
    failures = 0
    tokens = make_tokens(settings)
    checks: list[tuple[str, Callable[[], str]]] = [("database", lambda: _check_database(settings))]
    if tokens is not None:
        checks.append(("token", lambda: tokens.describe(tokens.token())))
    checks += [("mailbox", lambda: _check_mailbox(settings, tokens)),
               ("mail out", lambda: _check_sender(settings, tokens))]
    for name, check in checks:
        try:
            print(f"{name}: ok, {check()}")
        except Exception as exc:  # report every failure, then exit non-zero
            failures += 1
            print(f"{name}: FAILED, {exc}")
    return 1 if failures else 0


def _check_database(settings: Any) -> str:
    from store.db import current_revision

    engine = open_database(settings)
    return f"{engine.url.render_as_string(hide_password=True)} at revision {current_revision(engine)}"


def _check_mailbox(settings: Any, tokens: Any) -> str:
    with open_mailbox(settings, tokens) as mailbox:
        return str(mailbox.describe())


def _check_sender(settings: Any, tokens: Any) -> str:
    sender = make_sender(settings, tokens)
    signed_in = sender.check()
    if settings.uses_local_outbox:
        return f"no SMTP host: mail is written to {settings.data_dir / 'outbox'}"
    return f"SMTP {settings.smtp.host}:{settings.smtp.port} ({settings.smtp.tls}) accepts a connection, {signed_in}"


def _cmd_user_add(args: argparse.Namespace) -> int:
    """Add a review-screen account; the password is asked (tty) or read from stdin."""
    from review.accounts import add_user
    from store.db import session_factory

    settings = _settings()
    engine = open_database(settings)
    if sys.stdin.isatty():
        password = getpass.getpass("Password: ")
        if getpass.getpass("Password again: ") != password:
            print("cme: the passwords differ", file=sys.stderr)
            return 2
    else:
        password = sys.stdin.readline().rstrip("\r\n")
    with session_factory(engine)() as session:
        try:
            add_user(session, args.name, args.role, password)
        except ValueError as exc:  # review.errors.AccountError: bad name, role or password
            print(f"cme: {exc}", file=sys.stderr)
            return 2
        session.commit()
    print(f"user {args.name} added as {args.role}")
    return 0


def _cmd_run(args: argparse.Namespace) -> int:
    """The service: scheduled polls, IDLE wake-ups, and the review screen."""
    import uvicorn

    from ingest.poller import lease_name, poll_mailbox
    from ingest.schedule import Backoff, IdleWatcher, LeaseWatcher, build_scheduler, guarded, wake
    from review.accounts import ensure_first_admin
    from review.app import create_app
    from store import leases
    from store.db import session_factory, startup_lock

    settings = _settings()
    engine = open_database(settings)
    with startup_lock(engine):  # workers starting together on a new database make one first admin
        password = ensure_first_admin(session_factory(engine))
    if password:
        print(f"First administrator created: name 'admin', password '{password}' (shown once; it must be changed at the first sign-in)",
              flush=True)
    tokens = make_tokens(settings)  # one token cache for the poller, the IDLE thread and the sender
    deps = build_deps(settings, engine, tokens=tokens)

    def poll() -> None:
        report = poll_mailbox(open_mailbox(settings, tokens), deps)
        if report.more:  # stopped at its batch limit: the job polls again at once
            again.set()
        elif report.skipped:  # a standby: take over within seconds if the lease holder dies
            wake(scheduler, min(settings.poll_seconds, STANDBY_RETRY_SECONDS))

    again = threading.Event()  # new mail announced while a poll runs: poll once more
    scheduler = build_scheduler(guarded(poll, Backoff(), retry_in=lambda delay: wake(scheduler, delay), again=again),
                                settings.poll_seconds)
    stop = threading.Event()
    watcher = IdleWatcher(lambda: open_mailbox(settings, tokens), lambda: wake(scheduler, again=again), stop)
    lease = lease_name(open_mailbox(settings, tokens))  # not connected: only its account and folder

    def abandoned() -> bool:
        with deps.sessions() as session:
            return leases.abandoned(session, lease, deps.clock())

    standby = LeaseWatcher(abandoned, lambda: wake(scheduler, again=again), stop, every=STANDBY_RETRY_SECONDS)
    scheduler.start()
    watcher.start()
    standby.start()
    where = "the sample Maildir " + str(settings.data_dir / "mailbox") if settings.uses_local_mailbox else settings.imap.host
    print(f"cme: reading {where}; review screen on http://{settings.web.host}:{settings.web.port}/", flush=True)
    try:
        uvicorn.run(create_app(settings, engine), host=settings.web.host, port=settings.web.port, log_level="info")
    finally:
        stop.set()
        scheduler.shutdown(wait=True)
    return 0


def _cmd_report_dfe(args: argparse.Namespace) -> int:
    """The DfE termly CME return of the terms holding --from and --to, as CSV; a summary on stderr."""
    from datetime import date

    from review import dfe
    from review.reports import dfe_return
    from store.db import session_factory

    try:
        first, last = date.fromisoformat(args.date_from), date.fromisoformat(args.date_to)
    except ValueError:
        print("cme: --from and --to must be dates like 2026-09-01", file=sys.stderr)
        return 2
    if last < first:
        print("cme: --to is before --from", file=sys.stderr)
        return 2
    settings = _settings()
    engine = open_database(settings)
    with session_factory(engine)() as session:
        ret, waiting = dfe_return(session, first, last, settings.casework)
    text = dfe.export_csv(ret)
    if args.output:
        with open(args.output, "w", encoding="utf-8", newline="") as out:
            out.write(text)
    else:
        sys.stdout.write(text)
        sys.stdout.flush()
    print(dfe.summary(ret, waiting), file=sys.stderr)
    return 0


def _cmd_calibrate(args: argparse.Namespace) -> int:
    """Fit confidence on labelled folders and report calibration and the gate (see ingest/calibrate.py)."""
    from config.settings import load_settings
    from ingest import calibrate

    if args.from_store:
        from store.db import session_factory

        settings = _settings()
        return calibrate.run_from_store(settings, session_factory(open_database(settings)), args)
    if not (args.first and args.second) or args.approve:
        print("cme calibrate: give two labelled folders (A B), or --from-store [--approve]", file=sys.stderr)
        return 2
    from extraction.context import build_context

    return calibrate.run(build_context(load_settings(os.environ)), args)


def _labelled(handler_name: str) -> Callable[[argparse.Namespace], int]:
    """`cme labels ...` and `cme eval` (ingest/labels.py) on the configured database and the isolated reader."""
    def handler(args: argparse.Namespace) -> int:
        from ingest import labels
        from ingest.reader import Reader
        from ingest.versions import reader_config
        from store.db import session_factory

        settings = _settings()
        sessions = session_factory(open_database(settings))
        return int(getattr(labels, handler_name)(args, sessions, lambda: Reader(reader_config(settings, sessions))))
    return handler


def _cmd_train(args: argparse.Namespace) -> int:
    """`cme train [--component ...] [--approve]` (ingest/training.py) on the configured database."""
    from ingest import training
    from store.db import session_factory

    settings = _settings()
    return training.run(settings, session_factory(open_database(settings)), args)


def _cmd_versions(args: argparse.Namespace) -> int:
    """`cme versions [list | approve KIND N | rollback KIND]` (ingest/versions.py) on the configured database."""
    from ingest import versions
    from store.db import session_factory

    settings = _settings()
    return versions.run_command(args, session_factory(open_database(settings)), sys.stdout)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="cme", description="Children Missing Education inbox service")
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("extract", help="print referral records of .eml files as JSON Lines")
    p.add_argument("files", nargs="+")
    p.add_argument("--explain", action="store_true",
                   help="per field, the findings considered and why the winner won, instead of JSON")
    p.set_defaults(func=_cmd_extract)
    p = sub.add_parser("poll", help="poll the configured mailbox")
    p.add_argument("--once", action="store_true", help="one poll, then exit")
    p.set_defaults(func=_cmd_poll)
    p = sub.add_parser("run", help="run the service: polls, IDLE and the review screen")
    p.set_defaults(func=_cmd_run)
    p = sub.add_parser("export", help="print every stored record as JSON Lines")
    p.add_argument("--output", "-o", help="write to this file instead of standard output")
    p.set_defaults(func=_cmd_export)
    from ingest import calibrate

    p = sub.add_parser("calibrate", help="fit confidence on labelled mail; print reliability, ECE and the gate",
                       description=calibrate.__doc__.split("\n\n")[0])
    calibrate.add_arguments(p)
    p.set_defaults(func=_cmd_calibrate)
    p = sub.add_parser("report", help="reports")
    reports = p.add_subparsers(dest="report_command", required=True)
    p = reports.add_parser("dfe", help="the DfE termly CME return as CSV (whole terms holding --from and --to)")
    p.add_argument("--from", dest="date_from", required=True, help="a date in the first term, like 2026-09-01")
    p.add_argument("--to", dest="date_to", required=True, help="a date in the last term, like 2026-12-31")
    p.add_argument("--output", "-o", help="write the CSV to this file instead of standard output")
    p.set_defaults(func=_cmd_report_dfe)
    from ingest import labels

    labels.add_arguments(sub, _labelled("run_labels"), _labelled("run_eval"))
    from ingest import training, versions

    p = sub.add_parser("train", help="retrain the category classifier and the span categoriser on the officers' "
                                     "labels; store each as a version", description=training.__doc__.split("\n\n")[0])
    training.add_arguments(p)
    p.set_defaults(func=_cmd_train)
    versions.add_arguments(sub, _cmd_versions)
    p = sub.add_parser("check", help="check the settings and the connections")
    p.set_defaults(func=_cmd_check)
    p = sub.add_parser("user", help="manage review-screen accounts")
    users = p.add_subparsers(dest="user_command", required=True)
    p = users.add_parser("add", help="add an account (password asked, or read from stdin)")
    p.add_argument("name")
    p.add_argument("--role", choices=("officer", "admin"), default="officer")
    p.set_defaults(func=_cmd_user_add)
    return parser


def main(argv: list[str] | None = None) -> int:
    from sqlalchemy.exc import SQLAlchemyError

    from config.settings import SettingsError
    from ingest.errors import MailboxError, TokenError
    from store.errors import StoreError

    args = build_parser().parse_args(argv)
    if args.command in ("poll", "run"):
        logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
        for noisy in ("alembic", "apscheduler"):
            logging.getLogger(noisy).setLevel(logging.WARNING)
    try:
        return int(args.func(args) or 0)
    except SettingsError as exc:
        print(f"cme: bad setting: {exc}", file=sys.stderr)
        return 2
    except (MailboxError, StoreError, TokenError) as exc:
        print(f"cme: {exc}", file=sys.stderr)
        return 1
    except SQLAlchemyError as exc:  # the database is unreachable or refused a statement
        print(f"cme: database error: {str(exc).splitlines()[0]}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
