"""The local outbox of the embedded default: mail is written as .eml files instead of being sent.

Used when no SMTP host is set (`make run` on a fresh machine), so nothing leaves the machine.
"""
from __future__ import annotations

import os
import re
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable, Sequence

from notifier.errors import DeliveryFailed


class OutboxFolder:
    def __init__(self, directory: Path) -> None:
        self.directory = directory

    def send(self, mime: bytes, sender: str, recipients: Sequence[str],
             accepted: Callable[[], None] | None = None) -> None:
        stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S%f")
        to = re.sub(r"[^A-Za-z0-9@._-]", "_", recipients[0] if recipients else "nobody")[:80]
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
            path = self.directory / f"{stamp}-{to}.eml"
            tmp = path.with_suffix(".tmp")
            envelope = f"X-Envelope-From: {sender}\r\nX-Envelope-To: {', '.join(recipients)}\r\n".encode()
            tmp.write_bytes(envelope + mime)
            os.replace(tmp, path)
        except OSError as exc:
            raise DeliveryFailed(f"cannot write to the outbox folder {self.directory}: {exc}") from exc
        if accepted is not None:
            accepted()

    def check(self) -> None:
        if not os.access(self.directory if self.directory.exists() else self.directory.parent, os.W_OK):
            raise DeliveryFailed(f"the outbox folder {self.directory} is not writable")
