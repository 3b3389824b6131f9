"""People in free text: children, parents/carers named in sentences, with the role cue that says whose name it is."""
from __future__ import annotations

from datetime import date
from typing import Any

from extraction.forms import FormReading
from parsers.message import ParsedMessage


def read_prose(parsed: ParsedMessage, ref: date, reading: FormReading, context: Any) -> None:
    """Add the children and parents named in the message's sentences to `reading`."""
    return None
