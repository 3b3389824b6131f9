"""The CME mailbox over IMAP: the only imapclient user. Its errors become `MailboxError`s.

Messages are listed by UID within the folder's UIDVALIDITY, sized before download (RFC822.SIZE),
read with BODY.PEEK[] (so \\Seen is never touched, and never relied on), and moved with UID MOVE
(RFC 6851) or, where the server lacks MOVE, UID COPY + \\Deleted + UID EXPUNGE (RFC 4315), never a
bare EXPUNGE that would purge other clients' deleted mail.

Sign-in is LOGIN with a password, or AUTHENTICATE XOAUTH2 with an app-only token (Exchange Online).
A connection signed in with a token signs in afresh on a new connection shortly before the token
runs out (Exchange ends a session whose token has expired): before any command, and during IDLE.
A refused token is fetched again once, then the refusal is a `LoginFailed`.
"""
from __future__ import annotations

import imaplib
import logging
import socket
import ssl
import time
from contextlib import contextmanager
from typing import Any, Iterator

import imapclient
from imapclient.exceptions import IMAPClientError, LoginError

from config.settings import ImapSettings
from ingest.errors import (LoginFailed, MailboxError, MailboxUnavailable, StaleKey, TokenEndpointUnreachable,
                           TokenRefused)
from ingest.mailbox import PROCESSED, QUARANTINE, Envelope
from ingest.tokens import TokenSource
from store.ledger import MessageKey

log = logging.getLogger("cme.imap")

IDLE_RENEW_SECONDS = 29 * 60  # RFC 2177: servers may drop a client idle for 30 minutes
FETCH_BATCH = 200


@contextmanager
def _mapped(what: str) -> Iterator[None]:
    try:
        yield
    except MailboxError:
        raise
    except LoginError as exc:
        raise LoginFailed(f"IMAP login refused: {exc}") from exc
    except TokenRefused as exc:
        raise LoginFailed(f"IMAP sign-in has no token: {exc}") from exc
    except TokenEndpointUnreachable as exc:
        raise MailboxUnavailable(f"IMAP sign-in has no token: {exc}") from exc
    except (IMAPClientError, imaplib.IMAP4.error, ssl.SSLError, socket.timeout, OSError) as exc:
        raise MailboxUnavailable(f"IMAP {what} failed: {exc}") from exc


class ImapMailbox:
    """`with ImapMailbox(settings) as mailbox:` connects, logs in and selects the folder."""

    def __init__(self, settings: ImapSettings, timeout: float = 60.0, use_move: bool | None = None,
                 ssl_context: ssl.SSLContext | None = None, tokens: TokenSource | None = None) -> None:
        # ssl_context: None verifies against the system's CAs (SSL_CERT_FILE names a private CA)
        # tokens: where app-only tokens come from when settings.auth is oauth2
        if settings.auth == "oauth2" and tokens is None:
            raise ValueError("IMAP oauth2 sign-in needs a TokenSource")
        self._settings = settings
        self._ssl_context = ssl_context
        self._tokens = tokens
        self._renew_at: float | None = None  # monotonic time to sign in afresh (the token runs out)
        self._timeout = timeout
        self._use_move = use_move  # None: use MOVE when the server offers it
        self._client: Any = None
        self._uidvalidity = 0
        self.account = f"{settings.user}@{settings.host}"
        self.folder = settings.folder

    def __enter__(self) -> "ImapMailbox":
        try:
            self._open()
        except BaseException:
            self.__exit__()
            raise
        return self

    def _open(self) -> None:
        s = self._settings
        with _mapped(f"connection to {s.host}:{s.port}"):
            context = self._ssl_context or ssl.create_default_context()
            client = imapclient.IMAPClient(s.host, port=s.port, ssl=s.tls == "ssl", ssl_context=context,
                                           timeout=self._timeout)
            self._client = client
            if s.tls == "starttls":
                client.starttls(context)
            if s.auth == "oauth2":
                self._sign_in_with_token(client)
            else:
                client.login(s.user, s.password)
            for folder in (s.processed_folder, s.quarantine_folder):
                if not client.folder_exists(folder):
                    _create_folder(client, folder)
            if self._use_move is None:
                self._use_move = client.has_capability("MOVE")
            self._select()

    def _sign_in_with_token(self, client: imapclient.IMAPClient) -> None:
        """AUTHENTICATE XOAUTH2; a refused token is replaced by a fresh one once."""
        assert self._tokens is not None
        user = self._settings.user
        token = self._tokens.token()
        try:
            client.oauth2_login(user, token.value)
        except LoginError:
            log.info("IMAP refused the token for %s; signing in again with a fresh one", user)
            token = self._tokens.token(fresh=True)
            try:
                client.oauth2_login(user, token.value)
            except LoginError as exc:
                raise LoginFailed(
                    f"IMAP sign-in (XOAUTH2) as {user} refused with a fresh token ({exc}): the application needs the "
                    f"IMAP.AccessAsApp permission of Office 365 Exchange Online with admin consent, and its service "
                    f"principal needs FullAccess on this mailbox (New-ServicePrincipal, Add-MailboxPermission)") from exc
        self._renew_at = token.renew_at

    def _renew_if_due(self) -> bool:
        """Sign in afresh on a new connection when the token is about to run out; True when it did."""
        if self._renew_at is None or time.monotonic() < self._renew_at:
            return False
        log.info("IMAP token for %s runs out soon: signing in again", self._settings.user)
        self.__exit__()
        self._open()  # selects the folder again: a key listed under another UIDVALIDITY is then stale
        return True

    def __exit__(self, *exc: object) -> None:
        client, self._client = self._client, None
        self._renew_at = None
        if client is None:
            return
        try:
            client.logout()
        except Exception:  # the connection may already be gone; nothing to release
            try:
                client.shutdown()
            except Exception:
                pass

    def _select(self) -> None:
        info = self._client.select_folder(self._settings.folder)
        self._uidvalidity = int(info[b"UIDVALIDITY"])

    def scan(self, limit: int = 500) -> list[Envelope]:
        with _mapped("listing"):
            self._renew_if_due()
            self._select()  # again: UIDVALIDITY may have changed since the last poll
            uids = sorted(self._client.search(["NOT", "DELETED"]))[:limit]
            sizes: dict[int, int] = {}
            for i in range(0, len(uids), FETCH_BATCH):
                data = self._client.fetch(uids[i:i + FETCH_BATCH], ["RFC822.SIZE"])
                sizes.update({uid: int(v.get(b"RFC822.SIZE", 0)) for uid, v in data.items()})
        return [Envelope(self._key(uid), sizes[uid]) for uid in uids if uid in sizes]

    def _key(self, uid: int) -> MessageKey:
        return MessageKey(self.account, self._settings.folder, self._uidvalidity, uid)

    def _check(self, key: MessageKey) -> None:
        if key.uidvalidity != self._uidvalidity or key.folder != self._settings.folder:
            raise StaleKey(f"UIDVALIDITY of {key.folder} changed; list the folder again")

    def _fetch_part(self, key: MessageKey, item: str, answer: bytes) -> bytes | None:
        with _mapped("download"):
            self._renew_if_due()
            self._check(key)
            data = self._client.fetch([key.uid], [item])
        value = data.get(key.uid, {}).get(answer)
        return bytes(value) if value is not None else None

    def fetch(self, key: MessageKey) -> bytes | None:
        return self._fetch_part(key, "BODY.PEEK[]", b"BODY[]")

    def fetch_header(self, key: MessageKey) -> bytes | None:
        return self._fetch_part(key, "BODY.PEEK[HEADER]", b"BODY[HEADER]")

    def move(self, key: MessageKey, destination: str) -> None:
        with _mapped("move"):
            self._renew_if_due()
            self._check(key)
        folder = {PROCESSED: self._settings.processed_folder, QUARANTINE: self._settings.quarantine_folder}[destination]
        with _mapped(f"move to {folder}"):
            try:
                self._move(key.uid, folder)
            except IMAPClientError as exc:
                if "EXPUNGEISSUED" in str(exc) or "no longer exist" in str(exc):
                    return  # another worker or client moved it first: nothing left to do
                raise

    def _move(self, uid: int, folder: str) -> None:
        if self._use_move:
            self._client.move([uid], folder)
            return
        self._client.copy([uid], folder)
        self._client.add_flags([uid], [imapclient.DELETED])
        if self._client.has_capability("UIDPLUS"):
            self._client.uid_expunge([uid])
        # Without UIDPLUS the original stays flagged \Deleted: scan() skips it, and a bare EXPUNGE
        # would remove other clients' deleted mail too.

    def wait(self, timeout: float) -> bool:
        """IDLE (RFC 2177) until the server announces new mail, at most `timeout` seconds.

        Never past the token's renewal time: then the next call signs in afresh on a new connection and
        returns True at once, since mail that came meanwhile was announced to nobody.
        """
        with _mapped("IDLE"):
            if self._renew_if_due():
                return True
            timeout = min(timeout, IDLE_RENEW_SECONDS)
            if self._renew_at is not None:
                timeout = max(0.0, min(timeout, self._renew_at - time.monotonic()))
            self._client.idle()
            try:
                responses = self._client.idle_check(timeout=timeout)
            finally:
                self._client.idle_done()
        return any(len(r) > 1 and r[1] in (b"EXISTS", b"RECENT") for r in responses)

    def describe(self) -> str:
        with _mapped("status"):
            self._renew_if_due()
            status = self._client.folder_status(self._settings.folder, ["MESSAGES", "UIDVALIDITY"])
        s = self._settings
        how = "XOAUTH2" if s.auth == "oauth2" else "LOGIN"
        return (f"IMAP {s.user}@{s.host}:{s.port} ({s.tls}, {how}), folder {s.folder}: "
                f"{status[b'MESSAGES']} message(s), UIDVALIDITY {status[b'UIDVALIDITY']}")


def _create_folder(client: imapclient.IMAPClient, folder: str) -> None:
    """Create `folder`; another worker creating it at the same moment is success (RFC 5530 ALREADYEXISTS)."""
    try:
        client.create_folder(folder)
    except IMAPClientError as exc:
        if "ALREADYEXISTS" not in str(exc).upper() and not client.folder_exists(folder):
            raise
