"""Running the poller: an APScheduler interval job as the safety net, and an IDLE thread that wakes it.

A poll that fails because the mailbox is unreachable is retried with a growing delay (5 s doubling
up to 5 minutes); the IDLE thread reconnects with the same backoff. IDLE is only a hint: the
poll always lists the folder itself.
"""
from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Callable

from apscheduler.schedulers.background import BackgroundScheduler

from ingest.errors import MailboxError
from ingest.mailbox import Mailbox

log = logging.getLogger("cme.schedule")
JOB_ID = "poll"


@dataclass
class Backoff:
    """Delay after consecutive failures: `first` seconds, doubling, at most `cap`."""

    first: float = 5.0
    cap: float = 300.0
    failures: int = 0
    not_before: float = 0.0

    def ready(self) -> bool:
        return time.monotonic() >= self.not_before

    def failed(self) -> float:
        self.failures += 1
        delay = min(self.first * 2 ** (self.failures - 1), self.cap)
        self.not_before = time.monotonic() + delay
        return delay

    def succeeded(self) -> None:
        self.failures, self.not_before = 0, 0.0


def guarded(poll: Callable[[], object], backoff: Backoff,
            retry_in: Callable[[float], None] = lambda _delay: None,
            again: threading.Event | None = None) -> Callable[[], None]:
    """The scheduled job: one poll, skipped while backing off after a mailbox failure.

    After a failure `retry_in(delay)` asks for the next try sooner than the regular interval.
    `again` is set by a wake-up that comes while a poll runs (the scheduler would skip a second
    instance): the job then polls once more before it returns, so no announced mail waits.
    """
    again = again or threading.Event()

    def job() -> None:
        while backoff.ready():
            again.clear()
            try:
                poll()
            except MailboxError as exc:
                delay = backoff.failed()
                log.warning("poll failed (%s); next try in %.0f s", exc, delay)
                retry_in(delay)
                return
            backoff.succeeded()
            if not again.is_set():
                return

    return job


def build_scheduler(job: Callable[[], None], seconds: int) -> BackgroundScheduler:
    scheduler = BackgroundScheduler(timezone=timezone.utc)
    scheduler.add_job(job, "interval", seconds=seconds, id=JOB_ID, max_instances=1, coalesce=True,
                      next_run_time=datetime.now(timezone.utc))
    return scheduler


def wake(scheduler: BackgroundScheduler, delay: float = 0.0, again: threading.Event | None = None) -> None:
    """Run the poll job now, or after `delay` seconds (it never runs twice at once).

    `again` (the job's flag, see `guarded`) makes a poll that is running now poll once more.
    """
    if again is not None:
        again.set()
    scheduler.modify_job(JOB_ID, next_run_time=datetime.now(timezone.utc) + timedelta(seconds=delay))


class IdleWatcher(threading.Thread):
    """Holds its own mailbox connection in IDLE and wakes the scheduler when mail arrives."""

    def __init__(self, open_mailbox: Callable[[], Mailbox], on_mail: Callable[[], None],
                 stop: threading.Event, timeout: float = 60.0) -> None:
        super().__init__(name="cme-idle", daemon=True)
        # `timeout`: how long one IDLE lasts before it is renewed and the stop flag looked at
        self._open, self._on_mail, self._stopping, self._timeout = open_mailbox, on_mail, stop, timeout
        self.backoff = Backoff()

    def run(self) -> None:
        while not self._stopping.is_set():
            try:
                with self._open() as mailbox:
                    self.backoff.succeeded()
                    self._on_mail()  # whatever came while we were not listening is polled for now
                    while not self._stopping.is_set():
                        if mailbox.wait(self._timeout):
                            self._on_mail()
            except MailboxError as exc:
                delay = self.backoff.failed()
                log.warning("IDLE connection lost (%s); reconnecting in %.0f s", exc, delay)
                self._stopping.wait(delay)


class LeaseWatcher(threading.Thread):
    """Asks every `every` seconds whether the folder's lease was abandoned (its holder died while
    polling) and wakes the scheduler, so a standby takes over within seconds, not at its next poll."""

    def __init__(self, abandoned: Callable[[], bool], on_abandoned: Callable[[], None], stop: threading.Event,
                 every: float = 3.0) -> None:
        super().__init__(name="cme-lease-watch", daemon=True)
        self._abandoned, self._on_abandoned, self._stopping, self._every = abandoned, on_abandoned, stop, every

    def run(self) -> None:
        while not self._stopping.wait(self._every):
            try:
                if self._abandoned():
                    log.info("the worker polling the folder stopped without finishing; taking over")
                    self._on_abandoned()
            except Exception as exc:  # the database is unreachable now: the next look may succeed
                log.warning("cannot look at the folder's lease (%s)", type(exc).__name__)
