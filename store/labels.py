"""Labels: a stored message's record as an officer left it, to measure extraction against.

When an officer accepts a case, corrects a decided case or closes one, its record as it then
stands becomes the label of its message, kept with who made it and when; a later correction or
decision replaces it. A case nobody opened (an update attached by the service, a record accepted by
the gate and never touched) has no label, and neither has a case only rejected, forwarded or marked
a duplicate: the officer said where it goes, not that its details are right. A label is the labelled
corpora's shape (`tests/data/heldout/*.json`): the record's keys with plain values, no `source`,
`needs_review` or `review_reasons`. Labels can also be imported for stored messages (matched by
Message-ID); those are marked `imported`, and an officer's label is never replaced by one.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlmodel import Session, col, select

from store.tables import CaseRow, LabelRow, MessageRow

SCHEMA = "cme-referral/1"
REFERRER_FIELDS = ("name", "role", "organisation", "email", "phone", "type")
PARENT_FIELDS = ("name", "relationship", "phone", "email")
CHILD_FIELDS = ("first_name", "last_name", "date_of_birth", "gender", "upn")
CHILD_GROUPS = {"address": ("line1", "town", "postcode"), "school": ("name", "urn")}
UNDECIDED = ("new",)  # waiting for review: no officer has said what the record is yet


@dataclass(frozen=True)
class Label:
    """One labelled message."""

    message_entry_id: int
    case_id: int | None
    reference: str | None
    message_id: str | None
    label: dict[str, Any]
    origin: str  # decision | imported
    decision: str
    labelled_by: str
    labelled_at: datetime


def _plain(node: Any) -> Any:
    """A record's leaf ({value, confidence, source} or a plain value) as the label's plain value."""
    if isinstance(node, dict) and "value" in node:
        node = node["value"]
    if isinstance(node, str):
        node = node.strip() or None
    return node


def _fields(node: Any, names: tuple[str, ...]) -> dict[str, Any]:
    node = node if isinstance(node, dict) else {}
    return {name: _plain(node.get(name)) for name in names}


def label_of(record: dict[str, Any], own_reference: str | None = None) -> dict[str, Any]:
    """The label of a record (the contract's record shape): plain values, no source or review keys.

    `own_reference`: the reference the service gave the record's new case, which the store writes into
    its `case_reference`; the message itself did not quote it, so the label has none.
    """
    children = []
    for child in record.get("children") or ():
        child = child if isinstance(child, dict) else {}
        out = _fields(child, CHILD_FIELDS)
        for group, names in CHILD_GROUPS.items():
            out[group] = _fields(child.get(group), names)
        out["date_last_attended"] = _plain(child.get("date_last_attended"))
        children.append(out)
    reference = _plain(record.get("case_reference"))
    return {
        "schema": SCHEMA,
        "category": record.get("category"),
        "case_reference": None if reference == own_reference else reference,
        "urgent": bool(record.get("urgent")),
        "safeguarding": [str(s) for s in record.get("safeguarding") or ()],
        "acknowledge": bool(record.get("acknowledge")),
        "referrer": _fields(record.get("referrer"), REFERRER_FIELDS),
        "children": children,
        "parents_carers": [_fields(p, PARENT_FIELDS) for p in record.get("parents_carers") or ()],
    }


def _row_of(session: Session, message_entry_id: int) -> LabelRow | None:
    return session.exec(select(LabelRow).where(LabelRow.message_row_id == message_entry_id)).first()


def capture(session: Session, case_id: int, actor: str, now: datetime) -> None:
    """An officer decided, corrected or closed the case: its record as it now stands is its message's label.

    Called in the transaction of the officer's change, after it; a case still waiting for review gets none.
    """
    case = session.get(CaseRow, case_id)
    if case is None or case.status in UNDECIDED:
        return
    try:
        record = json.loads(case.record)
    except ValueError:
        return
    if not isinstance(record, dict) or "error" in record:
        return
    row = _row_of(session, case.message_row_id) or LabelRow(message_row_id=case.message_row_id, label="{}",
                                                            origin="decision", decision="", labelled_by="",
                                                            labelled_at=now)
    own = case.reference if case.update_of_id is None else None
    row.case_id, row.label, row.origin = case_id, json.dumps(label_of(record, own), ensure_ascii=False), "decision"
    row.decision, row.labelled_by, row.labelled_at = case.status[:20], actor[:100], now
    session.add(row)


def message_entry_of(session: Session, message_id: str, sha256: str | None = None) -> int | None:
    """The stored message with this Message-ID (with or without its angle brackets): of several, the one whose
    bytes have this `sha256` when one has, else the earliest (two different messages can share a Message-ID)."""
    core = message_id.strip().strip("<>").strip()
    if not core:
        return None
    rows = session.exec(select(MessageRow).where(col(MessageRow.message_id).in_((f"<{core}>", core)),
                                                 MessageRow.status == "stored")
                        .order_by(col(MessageRow.id))).all()
    same = [row for row in rows if sha256 and row.sha256 == sha256]
    return (same or rows)[0].id if rows else None


def import_label(session: Session, message_id: str, label: dict[str, Any], actor: str, now: datetime,
                 sha256: str | None = None) -> str:
    """Keep `label` for the stored message with `message_id` (and, of several, the bytes of `sha256`), marked imported.

    Returns "imported", "kept" (an officer's label is there and stays) or "unknown" (no such stored message).
    """
    entry_id = message_entry_of(session, message_id, sha256)
    if entry_id is None:
        return "unknown"
    row = _row_of(session, entry_id)
    if row is not None and row.origin == "decision":
        return "kept"
    case = session.exec(select(CaseRow).where(CaseRow.message_row_id == entry_id)).first()
    row = row or LabelRow(message_row_id=entry_id, label="{}", origin="imported", decision="imported",
                          labelled_by="", labelled_at=now)
    row.case_id = case.id if case is not None else None
    row.label = json.dumps(label_of(label), ensure_ascii=False)
    row.origin, row.decision, row.labelled_by, row.labelled_at = "imported", "imported", actor[:100], now
    session.add(row)
    return "imported"


def labels(session: Session, since: datetime | None = None) -> list[Label]:
    """Every label (labelled on or after `since` when given), in the order the messages arrived."""
    query = (select(LabelRow, MessageRow, CaseRow)
             .join(MessageRow, col(MessageRow.id) == col(LabelRow.message_row_id))
             .join(CaseRow, col(CaseRow.id) == col(LabelRow.case_id), isouter=True))
    if since is not None:
        query = query.where(LabelRow.labelled_at >= since)
    out = []
    for row, message, case in session.exec(query.order_by(col(MessageRow.id))).all():
        try:
            label = json.loads(row.label)
        except ValueError:
            continue
        out.append(Label(row.message_row_id, row.case_id, case.reference if case is not None else None,
                         message.message_id, label, row.origin, row.decision, row.labelled_by, row.labelled_at))
    return out

