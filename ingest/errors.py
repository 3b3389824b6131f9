"""Errors of the ingest package: what can go wrong with the mailbox, and with the OAuth2 token for signing in."""
from __future__ import annotations


class MailboxError(Exception):
    """Base of every mailbox error."""


class MailboxUnavailable(MailboxError):
    """The server cannot be reached, refused a command, or dropped the connection: retry later."""


class LoginFailed(MailboxError):
    """The server refused the login name or password."""


class StaleKey(MailboxError):
    """The folder's UIDVALIDITY changed since the message was listed: list it again."""


class TokenError(Exception):
    """No OAuth2 access token (ingest/tokens.py): IMAP and SMTP sign-in report it as their own failure."""


class TokenEndpointUnreachable(TokenError):
    """The token endpoint cannot be reached (network, TLS, a server error): retried like an unreachable server."""


class TokenRefused(TokenError):
    """The token endpoint refused the application: `code` is the AADSTS number, when it gave one."""

    def __init__(self, message: str, code: int | None = None) -> None:
        super().__init__(message)
        self.code = code
