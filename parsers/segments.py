"""Thread structure of a body text: top, forwarded and quoted messages, signatures, disclaimers."""
from __future__ import annotations

from parsers.message import Segment


def find_segments(text: str, subject: str | None = None) -> tuple[Segment, ...]:
    """Segments of `text` (placeholder: the whole text is the top message)."""
    return (Segment(0, len(text), "top"),) if text else ()
