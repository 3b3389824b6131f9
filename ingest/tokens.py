"""App-only OAuth2 tokens (client credentials) for signing in to Exchange Online's IMAP and SMTP.

The only msal user; its failures become `TokenError`s here. One `TokenSource` per process is shared
by the IMAP mailboxes and the SMTP sender. It builds msal's ConfidentialClientApplication once, on
first use (msal reads the tenant's OpenID configuration then), and asks it for a token whenever one
is needed: `acquire_token_for_client` looks in msal's in-memory token cache first and hands back the
same token until less than 5 minutes of it are left, then fetches a new one. `token(fresh=True)`
drops the cached token first, for a server that has just refused it.

For Microsoft's own hosts msal checks the authority (instance discovery, `validate_authority`); any
other authority is taken as configured (`instance_discovery=False`), so msal never sends it to
login.microsoftonline.com to be looked up.

No token or secret is ever put in a log line or an exception message.
"""
from __future__ import annotations

import json
import logging
import re
import threading
import time
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from config.settings import OAuthSettings
from ingest.errors import TokenEndpointUnreachable, TokenError, TokenRefused

log = logging.getLogger("cme.tokens")
RENEW_MARGIN_SECONDS = 120.0  # a connection signs in again this long before its token runs out (at most)


@dataclass(frozen=True)
class AccessToken:
    value: str = field(repr=False)
    expires_in: float  # seconds it had left when it was handed out
    obtained: float  # time.monotonic() then

    @property
    def renew_at(self) -> float:
        """The monotonic time after which a connection signed in with this token should sign in afresh.

        Less than msal's own 5-minute margin before the end, so the token fetched then is a new one.
        """
        return self.obtained + self.expires_in - min(RENEW_MARGIN_SECONDS, self.expires_in / 4)


class TokenSource:
    """App-only tokens for `settings.scopes`; thread-safe (the IDLE thread and the poller share one)."""

    def __init__(self, settings: OAuthSettings, timeout: float = 30.0) -> None:
        self._settings = settings
        self._timeout = timeout
        self._lock = threading.Lock()
        self._app: Any = None
        self.where = f"{settings.authority}/{settings.tenant}"

    def token(self, fresh: bool = False) -> AccessToken:
        """A token with a few minutes left at least; `fresh`: a new one, not the cached one."""
        with self._lock:
            result = self._acquire(fresh)
        if "access_token" not in result:
            raise _refusal(result, self._settings)
        expires_in = float(result.get("expires_in") or 0)
        if result.get("token_source") != "cache":
            log.info("new app-only token for application %s from %s, valid for %.0f s",
                     self._settings.client_id, self.where, expires_in)
        return AccessToken(str(result["access_token"]), expires_in, time.monotonic())

    def describe(self, token: AccessToken) -> str:
        """One line for `cme check` (never the token itself)."""
        s = self._settings
        return (f"app-only token for application {s.client_id} from {self.where} ({s.credential}), "
                f"valid for {token.expires_in / 60:.0f} min")

    def _acquire(self, fresh: bool) -> dict:
        import requests
        from msal.exceptions import MsalServiceError

        try:
            try:
                app = self._app or self._build()
            except ValueError as exc:  # the tenant's OpenID configuration was refused or unreadable
                raise _discovery_failure(exc, self._settings) from None
            if fresh:
                cache = app.token_cache
                for entry in list(cache.search(cache.CredentialType.ACCESS_TOKEN)):
                    cache.remove_at(entry)
            try:
                return dict(app.acquire_token_for_client(scopes=list(self._settings.scopes)))
            except ValueError as exc:  # an answer that is not JSON, or a credential msal cannot sign with
                raise TokenEndpointUnreachable(f"the token endpoint {self.where} cannot be used: "
                                               f"{type(exc).__name__}") from None
        except requests.exceptions.RequestException as exc:
            raise TokenEndpointUnreachable(f"the token endpoint {self.where} cannot be reached: {_reason(exc)}") from exc
        except MsalServiceError as exc:  # a 5xx answer
            raise TokenEndpointUnreachable(f"the token endpoint {self.where} failed ({exc})") from None

    def _build(self) -> Any:
        import msal
        from msal.authority import WELL_KNOWN_AUTHORITY_HOSTS

        s = self._settings
        microsoft = urlsplit(s.authority).hostname in WELL_KNOWN_AUTHORITY_HOSTS
        credential: Any = s.client_secret
        if s.private_key:
            # msal (1.35+) signs with PS256 and names the certificate by its SHA-256 thumbprint (x5t#S256)
            credential = {"private_key": s.private_key, "public_certificate": s.certificate_pem}
        self._app = msal.ConfidentialClientApplication(
            s.client_id, client_credential=credential, authority=self.where, validate_authority=microsoft,
            instance_discovery=microsoft, token_cache=msal.TokenCache(), timeout=self._timeout)
        return self._app


def _reason(exc: Exception) -> str:
    """A few words on why an HTTPS request failed (requests' messages are long, and name no secret)."""
    import requests

    text = str(exc)
    if isinstance(exc, requests.exceptions.SSLError):
        detail = "certificate verify failed" if "CERTIFICATE_VERIFY_FAILED" in text else "TLS handshake failed"
        return f"{detail} (a private CA or TLS-inspecting proxy needs REQUESTS_CA_BUNDLE)"
    if isinstance(exc, requests.exceptions.Timeout):
        return "no answer in time"
    found = re.search(r"\[Errno -?\d+\] ([^'\")\]]+)", text)
    return found.group(1).strip() if found else type(exc).__name__


def _first_line(description: str) -> str:
    line = description.strip().splitlines()[0] if description.strip() else ""
    return re.sub(r"^AADSTS\d+:\s*", "", line)[:300]


def _refusal(result: dict, s: OAuthSettings) -> TokenRefused:
    """The token endpoint's error answer, in words an operator can act on."""
    codes = result.get("error_codes") or [int(c) for c in re.findall(r"AADSTS(\d+)", str(result.get("error_description")))]
    code = int(codes[0]) if codes else None
    error = str(result.get("error") or "error")
    certificate = str(s.certificate) if s.certificate else "CME_OAUTH_CERTIFICATE"
    advice = {
        7000215: "the token endpoint refused the client secret (AADSTS7000215): CME_OAUTH_CLIENT_SECRET must be the "
                 "secret's Value (not its Secret ID) from the app registration's Certificates & secrets",
        7000222: "the client secret has expired (AADSTS7000222): add a new secret (or better, a certificate) to the "
                 "app registration and set it here",
        700016: f"the token endpoint does not know application {s.client_id} in tenant {s.tenant} (AADSTS700016): "
                f"check CME_OAUTH_CLIENT_ID is the app registration's Application (client) ID, and CME_OAUTH_TENANT "
                f"the tenant it is registered in",
        90002: f"the token endpoint does not know tenant {s.tenant} (AADSTS90002): check CME_OAUTH_TENANT (the "
               f"Directory (tenant) ID, or the council's Microsoft 365 domain)",
        700027: f"the token endpoint refused the certificate (AADSTS700027): upload the certificate in {certificate} "
                f"to the app registration's Certificates & secrets",
        70011: f"the token endpoint refused the scope {' '.join(s.scopes)} (AADSTS70011): CME_OAUTH_SCOPE must be "
               f"https://outlook.office365.com/.default",
    }
    if code in advice:
        return TokenRefused(advice[code], code)
    what = f"{error}, AADSTS{code}" if code else error
    description = _first_line(str(result.get("error_description") or ""))
    return TokenRefused(f"the token endpoint refused the application ({what})" + (f": {description}" if description
                                                                                  else ""), code)


def _discovery_failure(exc: ValueError, s: OAuthSettings) -> TokenError:
    """msal's ValueError when the tenant's OpenID configuration is refused (its cause holds the answer)."""
    cause = str(exc.__context__ or "")
    answer = re.search(r"HTTP status: (\d+), Error: (.*)\Z", cause, re.S)
    if answer:
        try:
            body = json.loads(answer.group(2))
        except ValueError:
            body = None
        if isinstance(body, dict) and body.get("error"):
            return _refusal(body, s)
        return TokenRefused(f"the authority {s.authority} has no OpenID configuration for tenant {s.tenant} "
                            f"(HTTP {answer.group(1)}): check CME_OAUTH_AUTHORITY and CME_OAUTH_TENANT")
    if "invalid_instance" in str(exc):
        return TokenRefused(f"Microsoft does not know the authority {s.authority}: check CME_OAUTH_AUTHORITY")
    return TokenEndpointUnreachable(f"the authority {s.authority} gave tenant {s.tenant}'s OpenID configuration in a "
                                    "form msal cannot read: check CME_OAUTH_AUTHORITY")
