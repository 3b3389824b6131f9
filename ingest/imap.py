"""The CME mailbox over IMAP: the only imapclient user. Its errors become `MailboxError`s.

Messages are listed by UID within the folder's UIDVALIDITY, sized before download (RFC822.SIZE),
read with BODY.PEEK[] (so \\Seen is never touched, and never relied on), and moved with UID MOVE
(RFC 6851) or, where the server lacks MOVE, UID COPY + \\Deleted + UID EXPUNGE (RFC 4315), never a
bare EXPUNGE that would purge other clients' deleted mail.
"""
from __future__ import annotations

import imaplib
import socket
import ssl
from contextlib import contextmanager
from typing import Any, Iterator

import imapclient
from imapclient.exceptions import IMAPClientError, LoginError

from config.settings import ImapSettings
from ingest.errors import LoginFailed, MailboxError, MailboxUnavailable, StaleKey
from ingest.mailbox import PROCESSED, QUARANTINE, Envelope
from store.ledger import MessageKey

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
    except (IMAPClientError, imaplib.IMAP4.error, ssl.SSLError, socket.timeout, OSError) as exc:
        raise MailboxUnavailable(f"IMAP {what} failed: {exc}") from exc


class ImapMailbox:
    """`with ImapMailbox(settings) as mailbox:` connects, logs in and selects the folder."""

    def __init__(self, settings: ImapSettings, timeout: float = 60.0, use_move: bool | None = None,
                 ssl_context: ssl.SSLContext | None = None) -> None:
        # ssl_context: None verifies against the system's CAs (SSL_CERT_FILE names a private CA)
        self._settings = settings
        self._ssl_context = ssl_context
        self._timeout = timeout
        self._use_move = use_move  # None: use MOVE when the server offers it
        self._client: Any = None
        self._uidvalidity = 0
        self.account = f"{settings.user}@{settings.host}"
        self.folder = settings.folder

    def __enter__(self) -> "ImapMailbox":
        s = self._settings
        with _mapped(f"connection to {s.host}:{s.port}"):
            context = self._ssl_context or ssl.create_default_context()
            client = imapclient.IMAPClient(s.host, port=s.port, ssl=s.tls == "ssl", ssl_context=context,
                                           timeout=self._timeout)
            self._client = client
            if s.tls == "starttls":
                client.starttls(context)
            client.login(s.user, s.password)
            for folder in (s.processed_folder, s.quarantine_folder):
                if not client.folder_exists(folder):
                    _create_folder(client, folder)
            if self._use_move is None:
                self._use_move = client.has_capability("MOVE")
            self._select()
        return self

    def __exit__(self, *exc: object) -> None:
        client, self._client = self._client, None
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
        self._check(key)
        with _mapped("download"):
            data = self._client.fetch([key.uid], [item])
        value = data.get(key.uid, {}).get(answer)
        return bytes(value) if value is not None else None

    def fetch(self, key: MessageKey) -> bytes | None:
        return self._fetch_part(key, "BODY.PEEK[]", b"BODY[]")

    def fetch_header(self, key: MessageKey) -> bytes | None:
        return self._fetch_part(key, "BODY.PEEK[HEADER]", b"BODY[HEADER]")

    def move(self, key: MessageKey, destination: str) -> None:
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
        """IDLE (RFC 2177) until the server announces new mail, at most `timeout` seconds."""
        with _mapped("IDLE"):
            self._client.idle()
            try:
                responses = self._client.idle_check(timeout=min(timeout, IDLE_RENEW_SECONDS))
            finally:
                self._client.idle_done()
        return any(len(r) > 1 and r[1] in (b"EXISTS", b"RECENT") for r in responses)

    def describe(self) -> str:
        with _mapped("status"):
            status = self._client.folder_status(self._settings.folder, ["MESSAGES", "UIDVALIDITY"])
        s = self._settings
        return (f"IMAP {s.user}@{s.host}:{s.port} ({s.tls}), folder {s.folder}: "
                f"{status[b'MESSAGES']} message(s), UIDVALIDITY {status[b'UIDVALIDITY']}")


def _create_folder(client: imapclient.IMAPClient, folder: str) -> None:
    """Create `folder`; another worker creating it at the same moment is success (RFC 5530 ALREADYEXISTS)."""
    try:
        client.create_folder(folder)
    except IMAPClientError as exc:
        if "ALREADYEXISTS" not in str(exc).upper() and not client.folder_exists(folder):
            raise
