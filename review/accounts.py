"""Accounts of the review screen: the password policy, creating accounts and the first admin,
signing in (password, then a TOTP code when the account has one), the sign-in throttle, and the
account changes an admin makes (role, disable, reset two-factor).

Passwords are hashed with argon2 (argon2-cffi defaults). A password has at least 12 characters and
must not be a common or breached password or close to one: zxcvbn (its frequency lists hold the
commonest passwords of published breaches, words, names and keyboard patterns) must score it 3 of 4
or better, judged also against the user name and the service's own words.

Failed sign-ins are throttled, never locked out: each failure counts against the client address,
the account, and the account from that address. Five failures for one account from one address,
or ten from one address for any accounts, make that address wait 30 seconds, then twice as long
after each further failure, at most 15 minutes. An account's own wait, counted from every address,
starts after twenty failures and never exceeds a minute, so an outsider who can reach the screen
slows the real user down by at most a minute, while their own address soon waits a quarter of an hour. A throttled attempt is refused before the password is checked and counts
nothing. Every attempt is in the audit trail with the client address.
"""
from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Callable

import pyotp
import zxcvbn
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlmodel import Session

from review.errors import AccountError, SignInRefused, SignInThrottled
from store import audit, users
from store.users import Throttle, User

ROLES = ("officer", "admin")
MIN_PASSWORD = 12
MAX_PASSWORD = 200
MIN_SCORE = 3  # zxcvbn's 0-4
SERVICE_WORDS = ("hampshire", "hants", "cme", "children", "missing", "education", "inbox", "council")
NAME_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9._@-]{0,99}")
REQUIRE_TWO_FACTOR = "require_two_factor"
TOTP_ISSUER = "Hampshire CME inbox"


@dataclass(frozen=True)
class ThrottlePolicy:
    prefix: str
    free: int  # failures before any wait
    first_wait: timedelta
    longest_wait: timedelta


ADDRESS = ThrottlePolicy("address", free=10, first_wait=timedelta(seconds=30), longest_wait=timedelta(minutes=15))
PAIR = ThrottlePolicy("pair", free=5, first_wait=timedelta(seconds=30), longest_wait=timedelta(minutes=15))
ACCOUNT = ThrottlePolicy("account", free=20, first_wait=timedelta(seconds=2), longest_wait=timedelta(minutes=1))
FORGET_AFTER = timedelta(hours=24)  # a key whose last failure is older starts again from nothing

_hasher = PasswordHasher()
_DUMMY_HASH = _hasher.hash("not a password of anyone")


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


def password_problem(password: str, name: str = "") -> str | None:
    """Why a new password is refused, in words for the person choosing it; None if it will do."""
    password = password or ""
    if len(password) < MIN_PASSWORD:
        return f"A password needs at least {MIN_PASSWORD} characters"
    if len(password) > MAX_PASSWORD:
        return f"A password has at most {MAX_PASSWORD} characters"
    result = zxcvbn.zxcvbn(password[:72], user_inputs=[name, *SERVICE_WORDS] if name else list(SERVICE_WORDS))
    if result["score"] < MIN_SCORE:
        warning = (result.get("feedback") or {}).get("warning") or ""
        return ("This password is too easy to guess: it is a common or breached password, or close to one"
                + (f" ({warning.rstrip('.').lower()})" if warning else "")
                + ". Try three or four unrelated words")
    return None


def check_password(password: str, name: str = "") -> None:
    problem = password_problem(password, name)
    if problem:
        raise AccountError(problem)


def add_user(session: Session, name: str, role: str, password: str, actor: str = "service",
             must_change_password: bool = False, address: str | None = None) -> User:
    """Create an account (the caller commits). Raises AccountError for a bad name, role or password."""
    if not NAME_PATTERN.fullmatch(name or ""):
        raise AccountError("A user name is 1-100 letters, digits, dots, dashes, @ or underscores")
    if role not in ROLES:
        raise AccountError(f"The role must be one of {', '.join(ROLES)}")
    check_password(password, name)
    try:
        user = users.create_user(session, name, role, _hasher.hash(password), utcnow(), must_change_password)
    except users.UserExists:
        raise AccountError(f"An account named {name!r} already exists") from None
    audit.record_event(session, actor, "user_added", utcnow(), detail=_where(address, user=name, role=role))
    return user


def ensure_first_admin(session_factory: Callable[[], Session]) -> str | None:
    """Create the first admin account ("admin") if there is no account; return its password once.
    The printed password must be changed at the first sign-in."""
    with session_factory() as session:
        if users.count_users(session):
            return None
        while True:
            password = secrets.token_urlsafe(15)
            if password_problem(password, "admin") is None:
                break
        add_user(session, "admin", "admin", password, must_change_password=True)
        session.commit()
        return password


def _where(address: str | None, **detail: object) -> dict[str, object]:
    return {**detail, "address": address} if address else dict(detail)


def _keys(name: str, address: str) -> dict[ThrottlePolicy, str]:
    name = name.lower()[:100]
    return {ADDRESS: f"address:{address}"[:200], PAIR: f"pair:{name}@{address}"[:200], ACCOUNT: f"account:{name}"[:200]}


def throttle_wait(session: Session, name: str, address: str, now: datetime) -> timedelta:
    """How long this address must wait before trying this account again (zero: it may try now)."""
    found = users.throttles(session, list(_keys(name, address).values()))
    waits = [t.wait_until - now for t in found if t.wait_until is not None and t.wait_until > now]
    return max(waits, default=timedelta(0))


def _count_failure(session: Session, name: str, address: str, now: datetime) -> None:
    keys = _keys(name, address)
    known = {t.key: t for t in users.throttles(session, list(keys.values()))}
    for policy, key in keys.items():
        old = known.get(key)
        failures = 1 if old is None or now - old.last_failure_at > FORGET_AFTER else old.failures + 1
        wait_until = None
        if failures >= policy.free:
            wait = policy.first_wait * (2 ** min(failures - policy.free, 20))
            wait_until = now + min(wait, policy.longest_wait)
        users.save_throttle(session, Throttle(key, failures, now, wait_until))


def _refuse_if_throttled(session: Session, name: str, address: str, now: datetime, step: str) -> None:
    wait = throttle_wait(session, name, address, now)
    if wait > timedelta(0):
        audit.record_event(session, name or "(blank)", "sign_in_throttled", now,
                           detail=_where(address, step=step, wait_seconds=int(wait.total_seconds()) + 1))
        raise SignInThrottled(wait)


def check_password_of(session: Session, name: str, password: str) -> User | None:
    """The account if `password` is its password (whatever its state), else None; constant work."""
    found = users.find_user(session, name) if name else None
    user, stored = found if found else (None, _DUMMY_HASH)
    try:
        ok = _hasher.verify(stored, password or "") and user is not None
    except (VerificationError, InvalidHashError):
        ok = False
    if ok and user is not None and _hasher.check_needs_rehash(stored):
        users.rehash_password(session, name, _hasher.hash(password))
    return user if ok else None


def sign_in(session: Session, name: str, password: str, now: datetime, address: str = "unknown") -> User:
    """First step of signing in: the account if the password is right, the account is enabled and
    this address is not made to wait; else SignInRefused (SignInThrottled when waiting). The caller
    commits, and asks for a TOTP code next when `user.totp_enrolled`."""
    name = (name or "").strip()[:100]
    _refuse_if_throttled(session, name, address, now, "password")
    user = check_password_of(session, name, password)
    if user is None:
        audit.record_event(session, name or "(blank)", "sign_in_failed", now, detail=_where(address))
        _count_failure(session, name, address, now)
        raise SignInRefused("wrong")
    if user.disabled:
        audit.record_event(session, name, "sign_in_refused_disabled", now, detail=_where(address))
        raise SignInRefused("disabled")
    if not user.totp_enrolled:
        finish_sign_in(session, user, now, address)
    return user


def finish_sign_in(session: Session, user: User, now: datetime, address: str, two_factor: bool = False) -> None:
    users.clear_throttles(session, [k for p, k in _keys(user.name, address).items() if p is not ADDRESS])
    audit.record_event(session, user.name, "sign_in", now, detail=_where(address, two_factor=two_factor))


# -- TOTP (RFC 6238: 30-second steps, 6 digits, SHA-1, as every authenticator app reads it) --

def new_totp_secret() -> str:
    return pyotp.random_base32()


def totp_uri(secret: str, name: str) -> str:
    return pyotp.TOTP(secret).provisioning_uri(name=name, issuer_name=TOTP_ISSUER)


def _matching_step(secret: str, code: str, now: datetime) -> int | None:
    """The time step (one either side of now, for clock drift) whose code is `code`, or None."""
    code = re.sub(r"\s+", "", code or "")
    if not re.fullmatch(r"[0-9]{6}", code):
        return None
    totp = pyotp.TOTP(secret)
    step = totp.timecode(now)
    for candidate in (step, step - 1, step + 1):
        if secrets.compare_digest(totp.generate_otp(candidate), code):
            return candidate
    return None


def check_code(session: Session, name: str, code: str, now: datetime, address: str = "unknown") -> User:
    """Second step of signing in: the account once its current TOTP code is given (each code once)."""
    _refuse_if_throttled(session, name, address, now, "code")
    found = users.find_user(session, name)
    secret, last_step = users.totp_state(session, name) if found else (None, None)
    step = _matching_step(secret, code, now) if secret else None
    if found is None or step is None or (last_step is not None and step <= last_step) or found[0].disabled:
        audit.record_event(session, name, "sign_in_code_failed", now, detail=_where(address))
        _count_failure(session, name, address, now)
        raise SignInRefused("code")
    users.set_totp(session, name, secret, step)
    finish_sign_in(session, found[0], now, address, two_factor=True)
    return found[0]


def enrol_totp(session: Session, name: str, secret: str, code: str, now: datetime, address: str | None = None) -> None:
    """Keep `secret` as the account's second factor once a code from it proves the app has it."""
    if not re.fullmatch(r"[A-Z2-7]{32}", secret or ""):
        raise AccountError("Start again: the set-up key was not recognised")
    step = _matching_step(secret, code, now)
    if step is None:
        raise AccountError("The code is not right: enter the 6 digits your authenticator app shows now")
    users.set_totp(session, name, secret, step)
    users.end_sessions(session, name)  # other sessions signed in without the second factor end
    audit.record_event(session, name, "two_factor_enrolled", now, detail=_where(address))


def two_factor_required(session: Session) -> bool:
    return users.get_setting(session, REQUIRE_TWO_FACTOR) == "yes"


# -- changes to accounts --

def change_password(session: Session, name: str, password: str, address: str | None = None,
                    actor: str | None = None) -> None:
    """A new password, chosen by the person (actor None) or set by an admin (who makes them change
    it at their next sign-in). Every session of the account ends either way."""
    check_password(password, name)
    users.set_password_hash(session, name, _hasher.hash(password), must_change=actor is not None)
    action = "password_changed" if actor is None else "password_reset"
    audit.record_event(session, actor or name, action, utcnow(), detail=_where(address, user=name))


def set_role(session: Session, actor: str, name: str, role: str, address: str | None = None) -> None:
    if role not in ROLES:
        raise AccountError(f"The role must be one of {', '.join(ROLES)}")
    found = users.find_user(session, name)
    if found is None:
        raise AccountError("There is no account of that name")
    if found[0].role == role:
        return
    if found[0].role == "admin" and not found[0].disabled and users.count_active_admins(session) <= 1:
        raise AccountError("This is the only admin: make another account an admin first")
    users.set_role(session, name, role)
    audit.record_event(session, actor, "role_changed", utcnow(),
                       detail=_where(address, user=name, before=found[0].role, after=role))


def set_disabled(session: Session, actor: str, name: str, disabled: bool, address: str | None = None) -> None:
    found = users.find_user(session, name)
    if found is None:
        raise AccountError("There is no account of that name")
    if disabled and name == actor:
        raise AccountError("You cannot disable your own account")
    if disabled and found[0].role == "admin" and users.count_active_admins(session) <= 1:
        raise AccountError("This is the only admin: make another account an admin first")
    users.set_disabled(session, name, disabled)
    audit.record_event(session, actor, "account_disabled" if disabled else "account_enabled", utcnow(),
                       detail=_where(address, user=name))


def reset_two_factor(session: Session, actor: str, name: str, address: str | None = None) -> None:
    """For a lost phone: the account signs in with its password alone, then enrols again if asked."""
    if users.find_user(session, name) is None:
        raise AccountError("There is no account of that name")
    users.set_totp(session, name, None, None)
    users.end_sessions(session, name)
    audit.record_event(session, actor, "two_factor_reset", utcnow(), detail=_where(address, user=name))


def clear_failures(session: Session, actor: str, name: str, address: str | None = None) -> None:
    """Forget an account's failed sign-ins (every address's wait for it ends)."""
    prefix = name.lower()[:100]
    keys = [f"account:{prefix}"] + [t.key for t in users.list_throttles(session, utcnow() - FORGET_AFTER)
                                    if t.key.startswith(f"pair:{prefix}@")]
    users.clear_throttles(session, keys)
    audit.record_event(session, actor, "account_unlocked", utcnow(), detail=_where(address, user=name))


def set_two_factor_required(session: Session, actor: str, required: bool, address: str | None = None) -> None:
    users.set_setting(session, REQUIRE_TWO_FACTOR, "yes" if required else "no", actor, utcnow())
    audit.record_event(session, actor, "two_factor_required" if required else "two_factor_optional", utcnow(),
                       detail=_where(address))
