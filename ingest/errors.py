"""Errors of the ingest package: what can go wrong with the mailbox."""
from __future__ import annotations


class MailboxError(Exception):
    """Base of every mailbox error."""


class MailboxUnavailable(MailboxError):
    """The server cannot be reached, refused a command, or dropped the connection: retry later."""


class LoginFailed(MailboxError):
    """The server refused the login name or password."""


class StaleKey(MailboxError):
    """The folder's UIDVALIDITY changed since the message was listed: list it again."""
