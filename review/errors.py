"""Errors of the review screen; the app maps each to an HTTP status in one handler."""
from __future__ import annotations


class ReviewError(Exception):
    status = 400


class NotSignedIn(ReviewError):
    """No valid session: GET goes to the sign-in page, anything else is refused."""

    status = 401


class CsrfRefused(ReviewError):
    status = 403


class Forbidden(ReviewError):
    status = 403


class NotFound(ReviewError):
    status = 404


class AccountError(ValueError):
    """An account cannot be created or changed as asked (bad name, role or password)."""


class SignInRefused(Exception):
    """Wrong name or password, or the account is locked; the message never says which."""


class SignInThrottled(SignInRefused):
    """Too many failed attempts from this address or for this account: wait, then try again."""

    def __init__(self, wait: object) -> None:
        super().__init__("throttled")
        self.wait = wait  # a datetime.timedelta


class PasswordChangeRequired(ReviewError):
    """The account's password was chosen by someone else: it must be changed before anything else."""

    status = 403


class TwoFactorRequired(ReviewError):
    """An admin requires a second factor of everyone, and this account has none yet."""

    status = 403
