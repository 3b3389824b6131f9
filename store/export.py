"""`cme export`: every stored record in the contract's JSON shape, in the order messages arrived.

A stored message gives its case record (with its case reference, as the review screen last left
it); a quarantined message gives the contract's error line with the reason it was quarantined.
Messages still being worked on and duplicates of earlier messages give nothing.
"""
from __future__ import annotations

import json
from email.parser import BytesHeaderParser
from email.policy import default as default_policy
from typing import Any, Iterator

from sqlmodel import Session, col, select

from store.tables import CaseRow, MessageRow

SCHEMA = "cme-referral/1"


def _header_source(row: MessageRow) -> dict[str, Any]:
    """The record's `source` read from the stored headers, for a message that was never parsed."""
    source: dict[str, Any] = {"file": f"{row.uidvalidity}-{row.uid}.eml", "message_id": row.message_id,
                              "from": None, "subject": None, "date": None}
    try:
        headers = BytesHeaderParser(policy=default_policy).parsebytes(bytes(row.raw)[:65536])
        addresses = getattr(headers["from"], "addresses", ()) if headers["from"] else ()
        source["from"] = addresses[0].addr_spec.lower() if addresses else None
        source["subject"] = str(headers["subject"]) if headers["subject"] else None
        date = getattr(headers["date"], "datetime", None) if headers["date"] else None
        source["date"] = date.isoformat() if date else None
    except Exception:  # a header too broken to read leaves the field empty: the reason says why
        pass
    return source


def export_records(session: Session) -> Iterator[dict[str, Any]]:
    rows = session.exec(select(MessageRow, CaseRow).join(CaseRow, col(CaseRow.message_row_id) == col(MessageRow.id), isouter=True)
                        .where(col(MessageRow.status).in_(("stored", "quarantined")))
                        .order_by(col(MessageRow.id))).all()
    for message, case in rows:
        if case is not None:
            yield json.loads(case.record)
        else:
            yield {"schema": SCHEMA, "source": _header_source(message), "error": message.reason or "quarantined"}
