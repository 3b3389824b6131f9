"""Errors of the extraction package."""


class ExtractionError(Exception):
    """Base of every extraction error: the message cannot be turned into a record."""


class RegisterError(ExtractionError):
    """The school register file cannot be read (wrong layout, missing columns)."""
