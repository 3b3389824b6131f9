"""Errors of the parsers package. A part that cannot be read is a problem string, not one of these."""


class ParseError(Exception):
    """Base of every parsers error."""


class UnparseableMessage(ParseError):
    """The bytes cannot be read as an email at all; the message is quarantined with this reason."""
