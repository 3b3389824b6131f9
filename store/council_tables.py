"""Tables of referrals in and out by hand (sqlmodel): other councils' CME contacts, what the team sent out,
and the cases officers entered by hand.

Kept apart from `store/tables.py` so this part of the schema has its own migration; the alembic
environment imports both modules. Rows never leave the store package.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, Text
from sqlmodel import Field, SQLModel


class CouncilRow(SQLModel, table=True):
    """One other council's CME contact: the directory an admin keeps (seeded from config/councils.csv)."""

    __tablename__ = "council"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=200, unique=True)
    team: str = Field(default="", max_length=200)
    email: str = Field(default="", max_length=320)  # empty: not known yet, nothing can be sent
    updated_at: datetime
    updated_by: str = Field(default="", max_length=100)  # a user name, or "seed"


class OutboundRow(SQLModel, table=True):
    """A referral, enquiry reply or SAO referral an officer sent from a case (its mail is in the outbox)."""

    __tablename__ = "outbound_referral"

    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="case.id", index=True)
    kind: str = Field(max_length=20)  # council | enquiry_reply | sao
    council_id: int | None = Field(default=None, foreign_key="council.id")
    recipient: str = Field(max_length=320)
    subject: str = Field(sa_column=Column(Text, nullable=False))
    message_id: str = Field(max_length=998)  # the outbox row's Message-ID
    sent_by: str = Field(max_length=100)
    closed_case: bool = False
    created_at: datetime


class ManualEntryRow(SQLModel, table=True):
    """A case an officer entered by hand: by whom, from what, and the quarantined message it came from."""

    __tablename__ = "manual_entry"

    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="case.id", unique=True)
    entered_by: str = Field(max_length=100)
    channel: str = Field(max_length=20)  # phone | letter | in_person | quarantined
    quarantined_message_id: int | None = Field(default=None, foreign_key="message.id", unique=True)
    entered_at: datetime
