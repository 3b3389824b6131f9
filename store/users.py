"""Review-screen accounts: named users with a role, an argon2 hash and a lock-out time.

Only hashes are stored here; hashing and the lock-out policy live in `review.accounts`.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func
from sqlmodel import Session, select

from store.tables import UserRow


@dataclass(frozen=True)
class User:
    id: int
    name: str
    role: str
    locked_until: datetime | None
    session_version: int
    created_at: datetime


class UserExists(ValueError):
    """An account of that name already exists."""


def _user(row: UserRow) -> User:
    return User(id=row.id or 0, name=row.name, role=row.role, locked_until=row.locked_until,
                session_version=row.session_version, created_at=row.created_at)


def find_user(session: Session, name: str) -> tuple[User, str] | None:
    """The account and its password hash, or None."""
    row = session.exec(select(UserRow).where(UserRow.name == name)).first()
    return None if row is None else (_user(row), row.password_hash)


def list_users(session: Session) -> list[User]:
    return [_user(r) for r in session.exec(select(UserRow).order_by(UserRow.name)).all()]


def count_users(session: Session) -> int:
    return int(session.exec(select(func.count()).select_from(UserRow)).one())


def create_user(session: Session, name: str, role: str, password_hash: str, now: datetime) -> User:
    if session.exec(select(UserRow).where(UserRow.name == name)).first() is not None:
        raise UserExists(name)
    row = UserRow(name=name, role=role, password_hash=password_hash, created_at=now)
    session.add(row)
    session.flush()
    return _user(row)


def set_password_hash(session: Session, name: str, password_hash: str) -> None:
    row = _row(session, name)
    row.password_hash = password_hash
    row.session_version += 1
    session.add(row)


def set_lock(session: Session, name: str, failed_attempts: int, locked_until: datetime | None) -> None:
    row = _row(session, name)
    row.failed_attempts = failed_attempts
    row.locked_until = locked_until
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
