"""Every table of the service (sqlmodel). Rows never leave the store package.

Portable SQL only (SQLite by default, PostgreSQL with several workers): no SQLite-only types or
statements. The raw message bytes are kept in `MessageRow.raw`. Referral records are kept in the
contract's JSON shape in `CaseRow.record`; the indexed columns beside it serve the queue.
"""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import BigInteger, Column, Index, LargeBinary, Text, UniqueConstraint, column, desc, text
from sqlmodel import Field, SQLModel


class MessageRow(SQLModel, table=True):
    """The ingest ledger: one row per distinct message, claimed before any work is done."""

    __tablename__ = "message"
    __table_args__ = (UniqueConstraint("account", "folder", "uidvalidity", "uid", name="uq_message_key"),
                      UniqueConstraint("sha256", name="uq_message_sha256"))

    id: int | None = Field(default=None, primary_key=True)
    account: str = Field(max_length=320)
    folder: str = Field(max_length=255)
    uidvalidity: int = Field(sa_type=BigInteger)  # IMAP UIDVALIDITY and UID are unsigned 32-bit
    uid: int = Field(sa_type=BigInteger)
    message_id: str | None = Field(default=None, max_length=998, index=True)
    sha256: str = Field(max_length=64)
    size: int = 0
    raw: bytes = Field(sa_column=Column(LargeBinary, nullable=False))
    status: str = Field(default="claimed", max_length=20, index=True)  # claimed | stored | quarantined | duplicate
    attempts: int = 1  # claims taken on it; a message that keeps stopping the process is quarantined
    claimed_by: str | None = Field(default=None, max_length=100)  # the worker holding the claim (store.leases.new_holder)
    claim_expires_at: datetime | None = None  # the claim runs out then unless its holder renews it
    reason: str | None = Field(default=None, sa_column=Column(Text))
    received_at: datetime
    processed_at: datetime | None = None
    moved_at: datetime | None = None  # when the mail left the inbox on the server


# The cases a DfE return may count (accepted CME casework, never automatic mail): the predicate of the partial
# index ix_case_return, written as literal SQL so that a query repeating it is seen to match the index.
RETURN_CASES = "status IN ('accepted', 'enquiries', 'closed') AND category NOT IN ('auto_reply', 'bounce')"


class CaseRow(SQLModel, table=True):
    """A stored referral (or enquiry, update, misdirected mail): one per stored message."""

    __tablename__ = "case"
    __table_args__ = (  # the queue's order; the search's LIKE '%words%' (trigram GIN indexes on PostgreSQL)
        Index("ix_case_queue_order", desc(column("urgent")), "created_at", "id"),
        Index("ix_case_status_closed_on", "status", "closed_on"),
        # the DfE return's cases: open ones (no closing date) and those closed since a term began
        Index("ix_case_return", "closed_on", postgresql_where=text(RETURN_CASES), sqlite_where=text(RETURN_CASES)),
        Index("ix_case_search_text_trgm", "search_text", postgresql_using="gin",
              postgresql_ops={"search_text": "gin_trgm_ops"}),
        Index("ix_case_reference_trgm", "reference", postgresql_using="gin", postgresql_ops={"reference": "gin_trgm_ops"}),
    )

    id: int | None = Field(default=None, primary_key=True)
    reference: str = Field(max_length=20, unique=True)  # CME-YYYY-NNNNN, never reused
    message_row_id: int = Field(foreign_key="message.id", unique=True)
    category: str = Field(max_length=20, index=True)
    # review: new | accepted | rejected | forwarded | duplicate | attached; casework after accepted:
    # enquiries (making enquiries) | closed (with a closing reason); see store/casework.py
    status: str = Field(default="new", max_length=20, index=True)
    urgent: bool = Field(default=False, index=True)
    needs_review: bool = Field(default=True, index=True)
    record: str = Field(sa_column=Column(Text, nullable=False))  # contract JSON
    search_text: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    # the record's fields the DfE return reads (store.queue.return_record_of), JSON: a term's return reads
    # thousands of cases, and this is a tenth of the record to read
    return_record: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    duplicate_of_id: int | None = Field(default=None, foreign_key="case.id")
    update_of_id: int | None = Field(default=None, foreign_key="case.id", index=True)  # a case_update attached here
    thread_key: str | None = Field(default=None, max_length=998, index=True)  # root Message-ID of the thread
    created_at: datetime = Field(index=True)
    updated_at: datetime
    # casework (store/casework.py): every change bumps `version`, and a change made on an older one is refused
    version: int = Field(default=1, sa_column_kwargs={"server_default": "1"})
    owner: str | None = Field(default=None, max_length=100, index=True)  # the officer whose case it is
    due_on: date | None = Field(default=None, index=True)  # first enquiry due (set when accepted)
    first_contact_on: date | None = None  # date of the first enquiry logged
    cme_reason: str | None = Field(default=None, max_length=40)  # why the child is missing education
    closed_on: date | None = None
    closing_reason: str | None = Field(default=None, max_length=40)


class CaseKeyRow(SQLModel, table=True):
    """A key the duplicate check finds a case by (store.queue.duplicate_keys_of): a child's date of birth,
    postcode or names. Written with the case and at every edit of its record."""

    __tablename__ = "case_key"

    case_id: int = Field(foreign_key="case.id", primary_key=True)
    key: str = Field(max_length=200, primary_key=True, index=True)


class EnquiryRow(SQLModel, table=True):
    """One of the reasonable enquiries an officer made on a case (school, health, housing, police, visit ...)."""

    __tablename__ = "enquiry"

    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="case.id", index=True)
    made_on: date
    kind: str = Field(max_length=20)
    outcome: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    next_step: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    actor: str = Field(max_length=100)
    created_at: datetime


class ReviewItemRow(SQLModel, table=True):
    """A case waiting for a CME Officer, with the reasons the service gave."""

    __tablename__ = "review_item"

    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="case.id", unique=True)
    urgent: bool = False
    reasons: str = Field(default="[]", sa_column=Column(Text, nullable=False, default="[]"))  # JSON list
    opened_at: datetime
    closed_at: datetime | None = None
    closed_by: str | None = Field(default=None, max_length=100)


class ReferenceCounterRow(SQLModel, table=True):
    """Next case number per year; incremented under a row lock so references are never reused."""

    __tablename__ = "reference_counter"

    year: int = Field(primary_key=True)
    last_number: int = 0


class OutboxRow(SQLModel, table=True):
    """An email to send (acknowledgement or forward), written in the case's transaction."""

    __tablename__ = "outbox"

    id: int | None = Field(default=None, primary_key=True)
    case_id: int | None = Field(default=None, foreign_key="case.id", index=True)
    kind: str = Field(max_length=20)  # ack | forward
    recipient: str = Field(max_length=320, index=True)
    thread_key: str | None = Field(default=None, max_length=998)
    message_id: str = Field(max_length=998, unique=True)  # Message-ID of the mail we send
    mime: bytes = Field(sa_column=Column(LargeBinary, nullable=False))  # the complete message
    status: str = Field(default="pending", max_length=20, index=True)  # pending | sent | failed | bounced
    attempts: int = 0
    last_error: str | None = Field(default=None, sa_column=Column(Text))
    next_attempt_at: datetime
    created_at: datetime
    sent_at: datetime | None = None


class UserRow(SQLModel, table=True):
    __tablename__ = "user_account"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=100, unique=True)
    role: str = Field(max_length=20)  # officer | admin
    password_hash: str = Field(max_length=255)
    failed_attempts: int = 0
    locked_until: datetime | None = None
    session_version: int = 0  # bumped at sign-out, password change, disabling: signed session cookies carry it
    created_at: datetime
    must_change_password: bool = False  # a password someone else chose (the printed first admin's, an admin's)
    disabled: bool = False  # cannot sign in; its open sessions ended
    totp_secret: str | None = Field(default=None, max_length=64)  # base32 TOTP secret once enrolled
    totp_last_step: int | None = Field(default=None, sa_type=BigInteger)  # last accepted time step: no replay


class SignInThrottleRow(SQLModel, table=True):
    """Failed sign-ins counted per client address, per account, and per account from one address."""

    __tablename__ = "sign_in_throttle"

    key: str = Field(primary_key=True, max_length=200)  # "address:<ip>", "account:<name>", "pair:<name>@<ip>"
    failures: int = 0
    last_failure_at: datetime
    wait_until: datetime | None = None  # no attempt under this key is checked before then


class ServiceSettingRow(SQLModel, table=True):
    """Settings an admin changes on the screen (e.g. two-factor sign-in required of everyone)."""

    __tablename__ = "service_setting"

    key: str = Field(primary_key=True, max_length=100)
    value: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    changed_at: datetime
    changed_by: str = Field(max_length=100)


class SpotCheckRow(SQLModel, table=True):
    """A case the service would have accepted without review, shown to an officer to measure the gate."""

    __tablename__ = "spot_check"

    case_id: int = Field(primary_key=True, foreign_key="case.id")
    sampled_at: datetime


class AuditRow(SQLModel, table=True):
    """Who did what and when: views, edits (before/after), decisions, emails sent, forwards, notes."""

    __tablename__ = "audit"
    __table_args__ = (Index("ix_audit_case_actor_action", "case_id", "actor", "action"),)

    id: int | None = Field(default=None, primary_key=True)
    case_id: int | None = Field(default=None, foreign_key="case.id", index=True)
    actor: str = Field(max_length=100)  # a user name, or "service"
    action: str = Field(max_length=40)
    detail: str = Field(default="{}", sa_column=Column(Text, nullable=False, default="{}"))  # JSON
    at: datetime = Field(index=True)


class MailboxLeaseRow(SQLModel, table=True):
    """Which worker polls a mailbox folder now: one at a time, so two never move the same message."""

    __tablename__ = "mailbox_lease"

    mailbox: str = Field(primary_key=True, max_length=600)  # account + folder
    holder: str = Field(max_length=100)
    expires_at: datetime


class LabelRow(SQLModel, table=True):
    """A message's label: its record as an officer left it when deciding, correcting or closing its case
    (or as imported), in the labelled corpora's shape (plain values). One per stored message."""

    __tablename__ = "label"

    id: int | None = Field(default=None, primary_key=True)
    message_row_id: int = Field(foreign_key="message.id", unique=True)
    case_id: int | None = Field(default=None, foreign_key="case.id", index=True)
    label: str = Field(sa_column=Column(Text, nullable=False))  # JSON, the labelled corpora's shape
    origin: str = Field(max_length=20)  # decision | imported
    decision: str = Field(max_length=20)  # the case's status the label was taken at (accepted, closed ...), or imported
    labelled_by: str = Field(max_length=100)
    labelled_at: datetime = Field(index=True)


class ModelVersionRow(SQLModel, table=True):
    """One version of a fitted artefact the reader uses: a confidence calibration (its JSON), the category
    text classifier or the span categoriser (its spaCy model directory as a tar.gz), with the report that
    justified it. The service uses the newest approved version of each kind that is not retired; none: the
    files shipped in `config/`."""

    __tablename__ = "model_version"
    __table_args__ = (UniqueConstraint("kind", "version", name="uq_model_version_kind_version"),)

    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(max_length=20)  # calibration | textcat | spancat
    version: int  # 1, 2 ... per kind (0 is the shipped file, never stored)
    created_at: datetime
    created_by: str = Field(max_length=100)
    artefact: bytes = Field(sa_column=Column(LargeBinary, nullable=False))
    report: str = Field(default="{}", sa_column=Column(Text, nullable=False, default="{}"))  # JSON
    refused: str | None = Field(default=None, sa_column=Column(Text))  # why it may never be approved
    approved_at: datetime | None = None
    approved_by: str | None = Field(default=None, max_length=100)
    retired_at: datetime | None = None  # rolled back: no longer in force
    retired_by: str | None = Field(default=None, max_length=100)


class MessageTextRow(SQLModel, table=True):
    """What the isolated reader read of a message, kept at ingestion (store/message_text.py): the case page,
    the forward and the export use it instead of parsing the raw bytes again."""

    __tablename__ = "message_text"

    message_row_id: int = Field(primary_key=True, foreign_key="message.id")
    read: bool = True  # False: not read (quarantined), header facts only
    from_address: str | None = Field(default=None, max_length=320)
    from_name: str | None = Field(default=None, sa_column=Column(Text))
    to_addresses: str = Field(default="[]", sa_column=Column(Text, nullable=False, default="[]"))  # JSON list
    subject: str | None = Field(default=None, sa_column=Column(Text))
    sent: str | None = Field(default=None, max_length=40)  # the Date header, ISO 8601
    message_id: str | None = Field(default=None, max_length=998)  # its Message-ID and References (JSON), for replies
    reference_ids: str = Field(default="[]", sa_column=Column(Text, nullable=False, default="[]"))
    checks: str | None = Field(default=None, sa_column=Column(Text))  # sender checks, as the reader found them
    parts: str = Field(default="[]", sa_column=Column(Text, nullable=False, default="[]"))  # JSON: part, kind, text, cut
    attachments: str = Field(default="[]", sa_column=Column(Text, nullable=False, default="[]"))  # JSON listing
    problems: str = Field(default="[]", sa_column=Column(Text, nullable=False, default="[]"))  # JSON list
    warnings: str = Field(default="[]", sa_column=Column(Text, nullable=False, default="[]"))  # JSON list
    kept_at: datetime


class EvalRunRow(SQLModel, table=True):
    """One run of `cme eval`: the extraction of that moment scored against the stored labels."""

    __tablename__ = "eval_run"

    id: int | None = Field(default=None, primary_key=True)
    ran_at: datetime = Field(index=True)
    ran_by: str = Field(max_length=100)  # the operating-system account that ran it
    command: str = Field(max_length=300)  # "cme eval --since 2026-11-01", or the tool that ran it
    since: datetime | None = None  # only labels made on or after this were scored
    messages: int = 0
    field_f1: float | None = None
    category_accuracy: float | None = None
    urgent_recall: float | None = None
    acknowledge_accuracy: float | None = None
    auto_accept_precision: float | None = None  # None: the gate accepted no record
    review_rate: float | None = None
    ece: float | None = None  # expected calibration error of the values scored
    extraction_version: str = Field(default="", max_length=100)  # git describe, or the package's version
    calibration_id: str | None = Field(default=None, max_length=100)  # versions the reader used: "calibration v2; textcat v1"
    metrics: str = Field(default="{}", sa_column=Column(Text, nullable=False, default="{}"))  # JSON: the rest
