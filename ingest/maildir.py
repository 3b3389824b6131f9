"""The embedded default mailbox: a local Maildir under the data dir, seeded from `samples/`.

`make run` with no IMAP host reads this instead of a server. It offers the same small interface
as `ImapMailbox`; UIDs are given in order of arrival and kept in `cme-uids.json`, and the
UIDVALIDITY is fixed when the Maildir is created. Drop an .eml file into `INBOX/new/` to feed it.
"""
from __future__ import annotations

import json
import mailbox
import os
import re
import shutil
import tempfile
import threading
import time
from pathlib import Path

from ingest.errors import MailboxUnavailable, StaleKey
from ingest.mailbox import PROCESSED, QUARANTINE, Envelope
from store.ledger import MessageKey

FOLDER = "INBOX"
_OPENING = threading.Lock()


class LocalMailbox:
    def __init__(self, root: Path, seed_dir: Path | None = None) -> None:
        self.root = root
        self.account = "local"
        self.folder = FOLDER
        self._seed_dir = seed_dir
        self._box: mailbox.Maildir | None = None
        self._state: dict = {}

    @property
    def _state_path(self) -> Path:
        return self.root / "cme-uids.json"

    def __enter__(self) -> "LocalMailbox":
        # The poller and the IDLE watcher open the mailbox from two threads at start-up: create and
        # seed it under one lock, or both see it "fresh" and race on the folders and the seed.
        with _OPENING:
            return self._open()

    def _open(self) -> "LocalMailbox":
        try:
            self.root.mkdir(parents=True, exist_ok=True)
            if not (self.root / FOLDER).exists():
                self._create_inbox()
            self._box = mailbox.Maildir(str(self.root / FOLDER), create=False)
            for name in ("Processed", "Quarantine"):
                mailbox.Maildir(str(self.root / name), create=True)
            if self._state_path.exists():
                self._state = json.loads(self._state_path.read_text())
            else:
                self._state = {"uidvalidity": int(time.time()), "next": 1, "uids": {}}
        except (OSError, ValueError) as exc:
            raise MailboxUnavailable(f"local mailbox {self.root}: {exc}") from exc
        return self

    def __exit__(self, *exc: object) -> None:
        self._box = None

    def _create_inbox(self) -> None:
        """Build the seeded inbox aside, then rename it into place: of two openers at once, one wins."""
        staging = Path(tempfile.mkdtemp(prefix=".inbox-", dir=self.root))
        box = mailbox.Maildir(str(staging / FOLDER), create=True)
        for path in sorted(self._seed_dir.glob("*.eml")) if self._seed_dir else ():
            box.add(path.read_bytes())
        try:
            os.rename(staging / FOLDER, self.root / FOLDER)
        except OSError:  # another opener created it first
            pass
        shutil.rmtree(staging, ignore_errors=True)

    def _save(self) -> None:
        tmp = self._state_path.with_suffix(".tmp")
        tmp.write_text(json.dumps(self._state))
        os.replace(tmp, self._state_path)

    def scan(self, limit: int = 500) -> list[Envelope]:
        assert self._box is not None
        uids: dict[str, int] = self._state["uids"]
        keys = set(self._box.keys())
        for gone in set(uids) - keys:
            del uids[gone]

        def arrival(k: str) -> tuple[float, str]:
            try:
                return (os.path.getmtime(self._path(k)), k)
            except OSError:
                return (0.0, k)

        for k in sorted(keys - set(uids), key=arrival):
            uids[k] = self._state["next"]
            self._state["next"] += 1
        self._save()
        ordered = sorted(((uid, k) for k, uid in uids.items()))[:limit]
        return [Envelope(self._key(uid), os.path.getsize(self._path(k))) for uid, k in ordered]

    def _path(self, key: str) -> Path:
        assert self._box is not None
        return Path(self._box._path) / self._box._lookup(key)  # mailbox.Maildir keeps no public path

    def _key(self, uid: int) -> MessageKey:
        return MessageKey(self.account, FOLDER, int(self._state["uidvalidity"]), uid)

    def _name(self, key: MessageKey) -> str | None:
        if key.uidvalidity != self._state["uidvalidity"]:
            raise StaleKey("the local mailbox was recreated")
        return next((k for k, uid in self._state["uids"].items() if uid == key.uid), None)

    def fetch(self, key: MessageKey) -> bytes | None:
        assert self._box is not None
        name = self._name(key)
        try:
            return self._box.get_bytes(name) if name else None
        except KeyError:
            return None

    def fetch_header(self, key: MessageKey) -> bytes | None:
        data = self.fetch(key)
        if data is None:
            return None
        split = re.search(rb"\r?\n\r?\n", data)
        return data[:split.end()] if split else data

    def move(self, key: MessageKey, destination: str) -> None:
        assert self._box is not None
        folder = {PROCESSED: "Processed", QUARANTINE: "Quarantine"}[destination]
        name = self._name(key)
        if name is None:
            return
        try:
            target = mailbox.Maildir(str(self.root / folder), create=True)
            target.add(self._box.get_bytes(name))
            self._box.remove(name)
        except OSError as exc:
            raise MailboxUnavailable(f"local mailbox: cannot move to {folder}: {exc}") from exc
        del self._state["uids"][name]
        self._save()

    def wait(self, timeout: float) -> bool:
        """Watch the Maildir's `new/` folder (there is no IDLE for a local folder)."""
        new = self.root / FOLDER / "new"
        before = set(os.listdir(new))
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            time.sleep(min(1.0, max(deadline - time.monotonic(), 0)))
            if set(os.listdir(new)) - before:
                return True
        return False

    def describe(self) -> str:
        assert self._box is not None
        return f"local Maildir {self.root / FOLDER}: {len(self._box)} message(s)"
