"""Review-screen accounts: named users with a role, an argon2 hash, a session version, an optional
TOTP secret; the sign-in throttle's counters; and the settings an admin changes on the screen.

Only hashes are stored here; hashing, the password policy and the throttle's policy live in
`review.accounts`.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func
from sqlmodel import Session, select

from store.tables import ServiceSettingRow, SignInThrottleRow, UserRow


@dataclass(frozen=True)
class User:
    id: int
    name: str
    role: str
    locked_until: datetime | None
    session_version: int
    created_at: datetime
    must_change_password: bool = False
    disabled: bool = False
    totp_enrolled: bool = False


@dataclass(frozen=True)
class Throttle:
    key: str
    failures: int
    last_failure_at: datetime
    wait_until: datetime | None


class UserExists(ValueError):
    """An account of that name already exists."""


def _user(row: UserRow) -> User:
    return User(id=row.id or 0, name=row.name, role=row.role, locked_until=row.locked_until,
                session_version=row.session_version, created_at=row.created_at,
                must_change_password=bool(row.must_change_password), disabled=bool(row.disabled),
                totp_enrolled=bool(row.totp_secret))


def find_user(session: Session, name: str) -> tuple[User, str] | None:
    """The account and its password hash, or None."""
    row = session.exec(select(UserRow).where(UserRow.name == name)).first()
    return None if row is None else (_user(row), row.password_hash)


def list_users(session: Session) -> list[User]:
    return [_user(r) for r in session.exec(select(UserRow).order_by(UserRow.name)).all()]


def count_users(session: Session) -> int:
    return int(session.exec(select(func.count()).select_from(UserRow)).one())


def count_active_admins(session: Session) -> int:
    query = select(func.count()).select_from(UserRow).where(UserRow.role == "admin", UserRow.disabled == False)  # noqa: E712
    return int(session.exec(query).one())


def create_user(session: Session, name: str, role: str, password_hash: str, now: datetime,
                must_change_password: bool = False) -> User:
    if session.exec(select(UserRow).where(UserRow.name == name)).first() is not None:
        raise UserExists(name)
    row = UserRow(name=name, role=role, password_hash=password_hash, created_at=now,
                  must_change_password=must_change_password)
    session.add(row)
    session.flush()
    return _user(row)


def set_password_hash(session: Session, name: str, password_hash: str, must_change: bool = False) -> None:
    """A new password ends every session of the account (their cookies carry the old version)."""
    row = _row(session, name)
    row.password_hash = password_hash
    row.must_change_password = must_change
    row.session_version += 1
    session.add(row)


def rehash_password(session: Session, name: str, password_hash: str) -> None:
    """The same password under newer hashing parameters: sessions go on."""
    row = _row(session, name)
    row.password_hash = password_hash
    session.add(row)


def set_lock(session: Session, name: str, failed_attempts: int, locked_until: datetime | None) -> None:
    row = _row(session, name)
    row.failed_attempts = failed_attempts
    row.locked_until = locked_until
    session.add(row)


def set_disabled(session: Session, name: str, disabled: bool) -> None:
    """Disabling ends every open session of the account."""
    row = _row(session, name)
    row.disabled = disabled
    row.session_version += 1
    session.add(row)


def set_role(session: Session, name: str, role: str) -> None:
    row = _row(session, name)
    row.role = role
    row.session_version += 1
    session.add(row)


def totp_state(session: Session, name: str) -> tuple[str | None, int | None]:
    """The account's TOTP secret (None until enrolled) and the last time step it accepted."""
    row = _row(session, name)
    return row.totp_secret, row.totp_last_step


def set_totp(session: Session, name: str, secret: str | None, last_step: int | None) -> None:
    row = _row(session, name)
    row.totp_secret = secret
    row.totp_last_step = last_step
    session.add(row)


def end_sessions(session: Session, name: str) -> None:
    """Invalidate every signed session cookie of this user (sign-out)."""
    row = _row(session, name)
    row.session_version += 1
    session.add(row)


def _row(session: Session, name: str) -> UserRow:
    row = session.exec(select(UserRow).where(UserRow.name == name)).first()
    if row is None:
        raise LookupError(f"no account {name!r}")
    return row


def throttles(session: Session, keys: list[str]) -> list[Throttle]:
    rows = session.exec(select(SignInThrottleRow).where(SignInThrottleRow.key.in_(keys))).all()  # type: ignore[attr-defined]
    return [Throttle(r.key, r.failures, r.last_failure_at, r.wait_until) for r in rows]


def save_throttle(session: Session, throttle: Throttle) -> None:
    row = session.get(SignInThrottleRow, throttle.key)
    if row is None:
        row = SignInThrottleRow(key=throttle.key, last_failure_at=throttle.last_failure_at)
    row.failures, row.last_failure_at, row.wait_until = throttle.failures, throttle.last_failure_at, throttle.wait_until
    session.add(row)


def clear_throttles(session: Session, keys: list[str]) -> None:
    for row in session.exec(select(SignInThrottleRow).where(SignInThrottleRow.key.in_(keys))).all():  # type: ignore[attr-defined]
        session.delete(row)


def list_throttles(session: Session, since: datetime) -> list[Throttle]:
    rows = session.exec(select(SignInThrottleRow).where(SignInThrottleRow.last_failure_at >= since)
                        .order_by(SignInThrottleRow.last_failure_at.desc())).all()  # type: ignore[attr-defined]
    return [Throttle(r.key, r.failures, r.last_failure_at, r.wait_until) for r in rows]


def get_setting(session: Session, key: str, default: str = "") -> str:
    row = session.get(ServiceSettingRow, key)
    return default if row is None else row.value


def set_setting(session: Session, key: str, value: str, actor: str, now: datetime) -> None:
    row = session.get(ServiceSettingRow, key) or ServiceSettingRow(key=key, changed_at=now, changed_by=actor)
    row.value, row.changed_at, row.changed_by = value, now, actor
    session.add(row)
