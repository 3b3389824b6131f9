"""The small interface every mailbox offers the poller: the IMAP server, or the local Maildir.

Both are context managers (they connect in `__enter__`, never in the constructor) and hand out
plain values: a message's `MessageKey` and size, its bytes, never a library object.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from store.ledger import MessageKey

PROCESSED = "processed"
QUARANTINE = "quarantine"


@dataclass(frozen=True)
class Envelope:
    key: MessageKey
    size: int  # RFC822.SIZE, known before the message is downloaded


class Mailbox(Protocol):
    account: str
    folder: str  # the inbox folder it reads

    def __enter__(self) -> "Mailbox": ...

    def __exit__(self, *exc: object) -> None: ...

    def scan(self, limit: int = 500) -> list[Envelope]:
        """The messages in the inbox folder now, oldest first (at most `limit`)."""

    def fetch(self, key: MessageKey) -> bytes | None:
        """The message's bytes without setting \\Seen; None when it has gone."""

    def fetch_header(self, key: MessageKey) -> bytes | None:
        """Only the header block (for a message too large to download)."""

    def move(self, key: MessageKey, destination: str) -> None:
        """Move the message to the Processed (`PROCESSED`) or Quarantine (`QUARANTINE`) folder."""

    def wait(self, timeout: float) -> bool:
        """Block until new mail may have arrived (True) or `timeout` seconds passed (False)."""

    def describe(self) -> str:
        """One line for `cme check`: where the mailbox is and how many messages wait."""
