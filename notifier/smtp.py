"""Sending mail over SMTP: the only smtplib user. Its errors become `DeliveryFailed`.

Sign-in is AUTH with a password, AUTH XOAUTH2 with an app-only token (Exchange Online; after
STARTTLS and a second EHLO), or none. A refused token is fetched again once, then the refusal is a
`DeliveryFailed` that says what the Exchange administrator has to grant.
"""
from __future__ import annotations

import logging
import smtplib
import socket
import ssl
from typing import Callable, Sequence

from config.settings import SmtpSettings
from ingest.errors import TokenEndpointUnreachable, TokenRefused
from ingest.tokens import AccessToken, TokenSource
from notifier.errors import DeliveryFailed

log = logging.getLogger("cme.smtp")


def _xoauth2(user: str, token: AccessToken) -> Callable[..., str]:
    """smtplib's authobject for XOAUTH2: the initial response, then an empty answer to an error challenge."""

    def answer(challenge: bytes | None = None) -> str:
        return f"user={user}\x01auth=Bearer {token.value}\x01\x01" if challenge is None else ""

    return answer


class SmtpSender:
    """Opens one connection per message (acknowledgements are few; nothing is held open)."""

    def __init__(self, settings: SmtpSettings, timeout: float = 30.0, ssl_context: ssl.SSLContext | None = None,
                 tokens: TokenSource | None = None) -> None:
        # ssl_context: None verifies against the system's CAs (SSL_CERT_FILE names a private CA)
        # tokens: where app-only tokens come from when settings.auth is oauth2
        if settings.auth == "oauth2" and tokens is None:
            raise ValueError("SMTP oauth2 sign-in needs a TokenSource")
        self._settings = settings
        self._timeout = timeout
        self._ssl_context = ssl_context
        self._tokens = tokens

    def _connect(self) -> smtplib.SMTP:
        s = self._settings
        context = self._ssl_context or ssl.create_default_context()
        if s.tls == "ssl":
            client: smtplib.SMTP = smtplib.SMTP_SSL(s.host, s.port, timeout=self._timeout, context=context)
        else:
            client = smtplib.SMTP(s.host, s.port, timeout=self._timeout)
        try:
            client.ehlo()
            if s.tls == "starttls":
                client.starttls(context=context)
                client.ehlo()  # the extensions offered inside TLS (AUTH among them) may differ
            if s.auth == "oauth2":
                self._sign_in_with_token(client)
            elif s.auth == "password" and s.user:
                client.login(s.user, s.password)
        except BaseException:
            client.close()
            raise
        return client

    def _sign_in_with_token(self, client: smtplib.SMTP) -> None:
        """AUTH XOAUTH2; a refused token is replaced by a fresh one once."""
        assert self._tokens is not None
        s = self._settings
        offered = client.esmtp_features.get("auth", "").upper().split()
        if "XOAUTH2" not in offered:
            raise DeliveryFailed(f"SMTP server {s.host}:{s.port} does not offer AUTH XOAUTH2 "
                                 f"(it offers: {' '.join(offered) or 'no AUTH'}); for Exchange Online use "
                                 f"smtp.office365.com:587 with starttls")
        try:
            token = self._tokens.token()
            try:
                client.auth("XOAUTH2", _xoauth2(s.user, token))
            except smtplib.SMTPAuthenticationError:
                log.info("SMTP refused the token for %s; signing in again with a fresh one", s.user)
                client.auth("XOAUTH2", _xoauth2(s.user, self._tokens.token(fresh=True)))
        except smtplib.SMTPAuthenticationError as exc:
            reply = exc.smtp_error.decode(errors="replace") if isinstance(exc.smtp_error, bytes) else str(exc.smtp_error)
            raise DeliveryFailed(
                f"SMTP sign-in (XOAUTH2) as {s.user} refused with a fresh token ({exc.smtp_code} {reply}): the "
                f"application needs the SMTP.SendAsApp permission of Office 365 Exchange Online with admin consent "
                f"and SendAs on this mailbox (Add-RecipientPermission), and SMTP AUTH must be enabled for the mailbox "
                f"(Set-CASMailbox -SmtpClientAuthenticationDisabled $false)") from exc
        except TokenRefused as exc:
            raise DeliveryFailed(f"SMTP sign-in has no token: {exc}") from exc
        except TokenEndpointUnreachable as exc:
            raise DeliveryFailed(f"SMTP sign-in has no token: {exc}") from exc

    def send(self, mime: bytes, sender: str, recipients: Sequence[str],
             accepted: Callable[[], None] | None = None) -> None:
        """Send `mime`; `accepted` runs right after the server's 250 to the data, before QUIT."""
        try:
            client = self._connect()
            try:
                client.sendmail(sender, list(recipients), mime)
                if accepted is not None:
                    accepted()
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

    def check(self) -> str:
        """Connect and sign in, to prove the settings work (`cme check`); says how it signed in."""
        s = self._settings
        try:
            self._connect().quit()
        except (smtplib.SMTPException, ssl.SSLError, OSError) as exc:
            raise DeliveryFailed(f"SMTP server {s.host}:{s.port}: {exc}") from exc
        if s.auth == "oauth2":
            return f"signed in as {s.user} (XOAUTH2)"
        return f"signed in as {s.user} (password)" if s.signs_in else "no sign-in"
