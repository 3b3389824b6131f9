"""Problem strings of a parsed message: "code: what the officer should know".

The code is one of `CODES`, fixed text safe for any log. What follows it is for the case page only:
it may name an attachment, and a file name often carries a child's name.
"""
from __future__ import annotations

CODES = frozenset({
    "mime-fallback",            # mail-parser failed; the stdlib parser read the message
    "mime-unreadable",          # the MIME structure could not be read: headers only
    "mime-too-large",           # too many parts or nested too deep: the rest was not read
    "mime-defect",              # a defect the parser repaired (missing boundary, bad header...)
    "charset",                  # a text part's charset was unknown, wrong or undeclared
    "no-sender",                # no address in From
    "date-missing",             # no Date header
    "date-unreadable",          # a Date header that is not a date
    "no-body",                  # no readable body text
    "attachment-too-large",     # over a size, page or expansion limit: not read
    "attachment-refused",       # built to attack its reader (inflates past its limits, lies about its sizes,
                                # declares XML entities): not opened
    "attachment-unreadable",    # broken, truncated or not what it says it is
    "attachment-encrypted",     # password-protected
    "attachment-unsupported",   # a kind that is not read (legacy .doc, HEIC)
    "image-too-large",          # an image over the decompression-bomb limit
    "ocr",                      # some text came from OCR: check it against the original
    "ocr-failed",               # OCR of a page or image failed or timed out
    "ocr-limit",                # pages or images past the OCR limits were not read
})


def loggable_problem(problem_text: str) -> str:
    """The part of a problem that may be logged: its code alone (never a file name or a header value)."""
    code = problem_text.split(":", 1)[0]
    return code if code in CODES else "problem"


def nested_problem(name: str, problem_text: str) -> str:
    """A problem of an attached email's own parts, its code kept in front: "ocr: attachment 'fwd.eml': ..."."""
    code, _, rest = problem_text.partition(": ")
    if code not in CODES:
        code, rest = "attachment-unreadable", problem_text
    return f"{code}: attachment {name!r}: {rest}"
