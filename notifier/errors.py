"""Errors of the notifier package."""
from __future__ import annotations


class DeliveryError(Exception):
    """Base of every notifier error."""


class DeliveryFailed(DeliveryError):
    """The mail was not accepted; `permanent` when retrying cannot help (a 5xx refusal)."""

    def __init__(self, message: str, permanent: bool = False) -> None:
        super().__init__(message)
        self.permanent = permanent
