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


class StoreUnavailable(StoreError):
    """The database cannot be reached or dropped the connection: not the message's fault, retry later."""


class StoreRefused(StoreError):
    """The database refused to store this message (a constraint, a value it cannot hold)."""
