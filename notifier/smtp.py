"""Sending mail over SMTP: the only smtplib user. Its errors become `DeliveryFailed`."""
from __future__ import annotations

import smtplib
import socket
import ssl
from typing import Sequence

from config.settings import SmtpSettings
from notifier.errors import DeliveryFailed


class SmtpSender:
    """Opens one connection per message (acknowledgements are few; nothing is held open)."""

    def __init__(self, settings: SmtpSettings, timeout: float = 30.0, ssl_context: ssl.SSLContext | None = None) -> None:
        # ssl_context: None verifies against the system's CAs (SSL_CERT_FILE names a private CA)
        self._settings = settings
        self._timeout = timeout
        self._ssl_context = ssl_context

    def _connect(self) -> smtplib.SMTP:
        s = self._settings
        context = self._ssl_context or ssl.create_default_context()
        if s.tls == "ssl":
            client: smtplib.SMTP = smtplib.SMTP_SSL(s.host, s.port, timeout=self._timeout, context=context)
        else:
            client = smtplib.SMTP(s.host, s.port, timeout=self._timeout)
            if s.tls == "starttls":
                client.starttls(context=context)
        if s.user:
            client.login(s.user, s.password)
        return client

    def send(self, mime: bytes, sender: str, recipients: Sequence[str]) -> None:
        try:
            client = self._connect()
            try:
                client.sendmail(sender, list(recipients), mime)
            finally:
                try:
                    client.quit()
                except (smtplib.SMTPException, OSError):
                    client.close()
        except smtplib.SMTPRecipientsRefused as exc:
            codes = [code for code, _ in exc.recipients.values()]
            raise DeliveryFailed(f"recipient refused: {codes}", permanent=all(500 <= c < 600 for c in codes)) from exc
        except smtplib.SMTPResponseException as exc:
            raise DeliveryFailed(f"SMTP {exc.smtp_code}: {exc.smtp_error!r}",
                                 permanent=500 <= exc.smtp_code < 600 and exc.smtp_code not in (530, 535)) from exc
        except (smtplib.SMTPException, ssl.SSLError, socket.timeout, OSError) as exc:
            raise DeliveryFailed(f"SMTP server {self._settings.host}:{self._settings.port} unavailable: {exc}") from exc

    def check(self) -> None:
        """Connect and log in, to prove the settings work (`cme check`)."""
        try:
            self._connect().quit()
        except (smtplib.SMTPException, ssl.SSLError, OSError) as exc:
            raise DeliveryFailed(f"SMTP server {self._settings.host}:{self._settings.port}: {exc}") from exc
