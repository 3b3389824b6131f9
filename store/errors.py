"""Errors of the store package."""
from __future__ import annotations


class StoreError(Exception):
    """Base of every store error."""


class AlreadyProcessed(StoreError):
    """The message (by mailbox key, bytes or Message-ID and content) is already in the ledger."""

    def __init__(self, message: str, entry: object = None) -> None:
        super().__init__(message)
        self.entry = entry  # the store.ledger.LedgerEntry already there


class ClaimedElsewhere(StoreError):
    """Another worker claimed the message a moment ago and is still working on it."""


class MigrationFailed(StoreError):
    """The database could not be brought to the current schema."""


class StaleChange(StoreError):
    """The case changed since the version the change was made on: nothing was saved."""

    def __init__(self, message: str, posted: int, current: int) -> None:
        super().__init__(message)
        self.posted, self.current = posted, current


class NotAllowed(StoreError):
    """The change does not fit the case's current status (accepting a rejected case, closing a new one)."""


class DuplicateLoop(StoreError):
    """Marking the case a duplicate of that one would make duplicates point at each other."""


class StoreUnavailable(StoreError):
    """The database cannot be reached or dropped the connection: not the message's fault, retry later."""


class StoreRefused(StoreError):
    """The database refused to store this message (a constraint, a value it cannot hold)."""


class UnknownVersion(StoreError):
    """No calibration or classifier version has that kind and number."""
