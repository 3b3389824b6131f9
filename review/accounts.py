"""Accounts of the review screen: creating them, the first admin, and signing in with lock-out.

Passwords are hashed with argon2 (argon2-cffi defaults). Five failed sign-ins within fifteen
minutes lock the account for fifteen minutes; every attempt is in the audit trail.
"""
from __future__ import annotations

import re
import secrets
from datetime import datetime, timedelta, timezone
from typing import Callable

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlmodel import Session

from review.errors import AccountError, SignInRefused
from store import audit, users
from store.users import User

ROLES = ("officer", "admin")
MIN_PASSWORD = 10
MAX_FAILURES = 5
FAILURE_WINDOW = timedelta(minutes=15)
LOCK_FOR = timedelta(minutes=15)
NAME_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9._@-]{0,99}")

_hasher = PasswordHasher()
_DUMMY_HASH = _hasher.hash("not a password of anyone")


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


def add_user(session: Session, name: str, role: str, password: str, actor: str = "service") -> User:
    """Create an account (the caller commits). Raises AccountError for a bad name, role or password."""
    if not NAME_PATTERN.fullmatch(name or ""):
        raise AccountError("a user name is 1-100 letters, digits, dots, dashes, @ or underscores")
    if role not in ROLES:
        raise AccountError(f"role must be one of {', '.join(ROLES)}")
    if len(password or "") < MIN_PASSWORD:
        raise AccountError(f"a password needs at least {MIN_PASSWORD} characters")
    try:
        user = users.create_user(session, name, role, _hasher.hash(password), utcnow())
    except users.UserExists:
        raise AccountError(f"an account named {name!r} already exists") from None
    audit.record_event(session, actor, "user_added", utcnow(), detail={"user": name, "role": role})
    return user


def ensure_first_admin(session_factory: Callable[[], Session]) -> str | None:
    """Create the first admin account ("admin") if there is no account; return its password once."""
    with session_factory() as session:
        if users.count_users(session):
            return None
        password = secrets.token_urlsafe(15)
        add_user(session, "admin", "admin", password)
        session.commit()
        return password


def sign_in(session: Session, name: str, password: str, now: datetime) -> User:
    """The account if the password is right and it is not locked; else SignInRefused (caller commits)."""
    name = (name or "").strip()[:100]
    found = users.find_user(session, name) if name else None
    user, stored = found if found else (None, _DUMMY_HASH)
    try:
        ok = _hasher.verify(stored, password or "") and user is not None
    except (VerificationError, InvalidHashError):
        ok = False
    if user is not None and user.locked_until is not None and user.locked_until > now:
        audit.record_event(session, name, "sign_in_refused_locked", now)
        raise SignInRefused("locked")
    if not ok:
        audit.record_event(session, name or "(blank)", "sign_in_failed", now)
        if user is not None:
            _count_failure(session, user, now)
        raise SignInRefused("wrong")
    if _hasher.check_needs_rehash(stored):
        users.set_password_hash(session, name, _hasher.hash(password))
    users.set_lock(session, name, 0, None)
    audit.record_event(session, name, "sign_in", now)
    return user


def _count_failure(session: Session, user: User, now: datetime) -> None:
    since = now - FAILURE_WINDOW
    for boundary in (audit.last_event_at(session, user.name, "sign_in"), user.locked_until):
        if boundary is not None and since < boundary <= now:
            since = boundary
    session.flush()
    failures = audit.count_events(session, user.name, "sign_in_failed", since)
    locked_until = now + LOCK_FOR if failures >= MAX_FAILURES else user.locked_until
    users.set_lock(session, user.name, failures, locked_until)
    if failures >= MAX_FAILURES:
        audit.record_event(session, user.name, "account_locked", now, detail={"until": locked_until})


def change_password(session: Session, name: str, password: str) -> None:
    if len(password or "") < MIN_PASSWORD:
        raise AccountError(f"a password needs at least {MIN_PASSWORD} characters")
    users.set_password_hash(session, name, _hasher.hash(password))
