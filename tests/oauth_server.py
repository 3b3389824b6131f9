"""A local stand-in for Microsoft Entra ID's token endpoint, over HTTPS on 127.0.0.1, for the OAuth2 tests.

It speaks the parts of the v2.0 endpoint that msal uses for app-only (client credentials) sign-in:

- `GET /{tenant}/v2.0/.well-known/openid-configuration`: the tenant's OpenID configuration (msal
  reads the token endpoint from it when instance discovery is off);
- `POST /{tenant}/oauth2/v2.0/token`: `grant_type=client_credentials` with a client secret, or with a
  client assertion (a JWT signed by the registered certificate's key; its signature is verified);
  it issues short-lived opaque tokens;
- `POST /introspect` (`token=...`, RFC 7662) or `GET /introspect` with `Authorization: Bearer ...`:
  whether a token is active, for which mailbox, with which permissions, until when. Dovecot's
  oauth2 passdb and the test SMTP server both ask it.

Errors have Entra's shape and codes: an unknown tenant is HTTP 400 `invalid_request` AADSTS90002, an
unknown application 400 `unauthorized_client` AADSTS700016, a wrong secret 401 `invalid_client`
AADSTS7000215, a certificate that is not registered 401 `invalid_client` AADSTS700027.

An application registration stands for what an Exchange administrator sets up: its permissions
(`IMAP.AccessAsApp`, `SMTP.SendAsApp`, carried in the token's `scope` at introspection) and the one
mailbox its service principal has FullAccess and SendAs on (the token's `username`).
"""
from __future__ import annotations

import base64
import hashlib
import json
import secrets
import ssl
import threading
import time
import urllib.parse
import urllib.request
import uuid
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

EXCHANGE_SCOPE = "https://outlook.office365.com/.default"
MAILBOX_ROLES = ("IMAP.AccessAsApp", "SMTP.SendAsApp")
ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"


@dataclass
class AppRegistration:
    tenant: str
    client_id: str
    secret: str | None = None
    certificate_pem: bytes | None = None  # the public certificate uploaded to the registration
    mailbox: str | None = None  # FullAccess + SendAs granted to the service principal
    roles: tuple[str, ...] = MAILBOX_ROLES


@dataclass
class IssuedToken:
    value: str
    client_id: str
    tenant: str
    mailbox: str | None
    roles: tuple[str, ...]
    expires: float  # epoch seconds
    issued: float


@dataclass
class Introspection:
    token: str
    active: bool
    at: float


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _thumbprints(certificate_pem: bytes) -> set[str]:
    """The x5t (SHA-1) and x5t#S256 (SHA-256) header values (unpadded) a JWT signed with this certificate carries."""
    from cryptography import x509
    from cryptography.hazmat.primitives.serialization import Encoding

    der = x509.load_pem_x509_certificate(certificate_pem).public_bytes(Encoding.DER)
    return {_b64url(hashlib.sha1(der).digest()), _b64url(hashlib.sha256(der).digest())}


class OAuthError(Exception):
    def __init__(self, status: int, error: str, code: int, description: str) -> None:
        super().__init__(description)
        self.status, self.error, self.code, self.description = status, error, code, description

    def body(self) -> dict:
        return {"error": self.error, "error_description": f"AADSTS{self.code}: {self.description}\r\n"
                f"Trace ID: {uuid.uuid4()}\r\nCorrelation ID: {uuid.uuid4()}\r\nTimestamp: 2026-11-20 09:00:00Z",
                "error_codes": [self.code], "timestamp": "2026-11-20 09:00:00Z", "trace_id": str(uuid.uuid4()),
                "correlation_id": str(uuid.uuid4()), "error_uri": "https://login.microsoftonline.com/error?code="
                + str(self.code)}


class TokenServer:
    """The server; `start()` runs it in a thread. Tests register tenants and applications on it."""

    def __init__(self, server_context: ssl.SSLContext, ca_file: Path) -> None:
        self._context = server_context
        self.ca_file = ca_file  # PEM of the CA that signed the server's certificate
        self._lock = threading.Lock()
        self.tenants: set[str] = set()
        self.apps: dict[tuple[str, str], AppRegistration] = {}
        self.issued: list[IssuedToken] = []
        self.revoked: set[str] = set()
        self.introspections: list[Introspection] = []
        self.token_requests: list[tuple[str, str, str]] = []  # (tenant, client_id, outcome)
        self.discoveries: list[str] = []  # paths of OpenID configuration requests
        self.lifetime = 3600  # seconds a token issued now lives
        self._httpd: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # -- set-up by the tests

    @property
    def url(self) -> str:
        assert self._httpd is not None
        return f"https://127.0.0.1:{self._httpd.server_address[1]}"

    @property
    def introspection_url(self) -> str:
        return f"{self.url}/introspect"

    def add_tenant(self, tenant: str | None = None) -> str:
        tenant = tenant or str(uuid.uuid4())
        with self._lock:
            self.tenants.add(tenant)
        return tenant

    def register(self, tenant: str, *, secret: str | None = None, certificate_pem: bytes | None = None,
                 mailbox: str | None = None, roles: tuple[str, ...] = MAILBOX_ROLES) -> AppRegistration:
        app = AppRegistration(tenant, str(uuid.uuid4()), secret, certificate_pem, mailbox, roles)
        with self._lock:
            self.apps[(tenant, app.client_id)] = app
        return app

    def revoke(self, token: str) -> None:
        with self._lock:
            self.revoked.add(token)

    def tokens_for(self, client_id: str) -> list[IssuedToken]:
        with self._lock:
            return [t for t in self.issued if t.client_id == client_id]

    def introspections_of(self, client_id: str) -> list[Introspection]:
        mine = {t.value for t in self.tokens_for(client_id)}
        with self._lock:
            return [i for i in self.introspections if i.token in mine]

    def introspect(self, token: str) -> dict:
        """What `POST /introspect` answers (RFC 7662); also called by the test SMTP server over HTTPS."""
        now = time.time()
        with self._lock:
            found = next((t for t in self.issued if t.value == token), None)
            active = found is not None and found.expires > now and token not in self.revoked
            self.introspections.append(Introspection(token, active, now))
        if not active:
            return {"active": False}
        assert found is not None
        answer = {"active": True, "token_type": "Bearer", "client_id": found.client_id, "tid": found.tenant,
                  "scope": " ".join(found.roles), "exp": int(found.expires), "iat": int(found.issued)}
        if found.mailbox:
            answer["username"] = found.mailbox
        return answer

    # -- the endpoints

    def openid_configuration(self, tenant: str) -> dict:
        if tenant not in self.tenants:
            raise self._no_tenant(tenant)
        base = f"{self.url}/{tenant}"
        return {"token_endpoint": f"{base}/oauth2/v2.0/token",
                "token_endpoint_auth_methods_supported": ["client_secret_post", "private_key_jwt", "client_secret_basic"],
                "jwks_uri": f"{base}/discovery/v2.0/keys", "response_modes_supported": ["query", "fragment", "form_post"],
                "subject_types_supported": ["pairwise"], "id_token_signing_alg_values_supported": ["RS256"],
                "response_types_supported": ["code", "id_token", "code id_token", "id_token token"],
                "scopes_supported": ["openid", "profile", "email", "offline_access"], "issuer": f"{base}/v2.0",
                "request_uri_parameter_supported": False, "userinfo_endpoint": f"{self.url}/oidc/userinfo",
                "authorization_endpoint": f"{base}/oauth2/v2.0/authorize",
                "device_authorization_endpoint": f"{base}/oauth2/v2.0/devicecode", "http_logout_supported": True,
                "frontchannel_logout_supported": True, "end_session_endpoint": f"{base}/oauth2/v2.0/logout",
                "claims_supported": ["sub", "iss", "aud", "exp", "iat", "tid"], "tenant_region_scope": "EU",
                "cloud_instance_name": "microsoftonline.com", "cloud_graph_host_name": "graph.windows.net",
                "msgraph_host": "graph.microsoft.com", "rbac_url": "https://pas.windows.net"}

    @staticmethod
    def _no_tenant(tenant: str) -> OAuthError:
        return OAuthError(400, "invalid_request", 90002, f"Tenant '{tenant}' not found. Check to make sure you have "
                          "the correct tenant ID and are signing into the correct cloud. Check with your subscription "
                          "administrator, this may happen if there are no active subscriptions for the tenant.")

    def token(self, tenant: str, form: dict[str, str]) -> dict:
        client_id = form.get("client_id", "")
        try:
            answer = self._token(tenant, form, client_id)
        except OAuthError as exc:
            with self._lock:
                self.token_requests.append((tenant, client_id, f"AADSTS{exc.code}"))
            raise
        with self._lock:
            self.token_requests.append((tenant, client_id, "issued"))
        return answer

    def _token(self, tenant: str, form: dict[str, str], client_id: str) -> dict:
        if tenant not in self.tenants:
            raise self._no_tenant(tenant)
        if form.get("grant_type") != "client_credentials":
            raise OAuthError(400, "unsupported_grant_type", 70003, "The app requested an unsupported grant type.")
        app = self.apps.get((tenant, client_id))
        if app is None:
            raise OAuthError(400, "unauthorized_client", 700016, f"Application with identifier '{client_id}' was not "
                             f"found in the directory '{tenant}'. This can happen if the application has not been "
                             "installed by the administrator of the tenant or consented to by any user in the tenant. "
                             "You may have sent your authentication request to the wrong tenant.")
        if "client_secret" in form:
            if app.secret is None or not secrets.compare_digest(form["client_secret"], app.secret):
                raise OAuthError(401, "invalid_client", 7000215, "Invalid client secret provided. Ensure the secret "
                                 "being sent in the request is the client secret value, not the client secret ID, for "
                                 f"a secret added to app '{client_id}'.")
        elif form.get("client_assertion_type") == ASSERTION_TYPE and form.get("client_assertion"):
            self._verify_assertion(app, form["client_assertion"], f"{self.url}/{tenant}/oauth2/v2.0/token")
        else:
            raise OAuthError(401, "invalid_client", 7000216, "'client_assertion', 'client_secret' or 'request' is "
                             "required for the 'client_credentials' grant type.")
        if form.get("scope", "").split() != [EXCHANGE_SCOPE]:
            raise OAuthError(400, "invalid_scope", 70011, f"The provided value for scope {form.get('scope')} is not "
                             "valid. Client credential flows must have a scope value with /.default suffixed to the "
                             "resource identifier (application ID URI).")
        now = time.time()
        issued = IssuedToken("EwB" + secrets.token_urlsafe(48), client_id, tenant, app.mailbox, app.roles,
                             now + self.lifetime, now)
        with self._lock:
            self.issued.append(issued)
        return {"token_type": "Bearer", "expires_in": self.lifetime, "ext_expires_in": self.lifetime,
                "access_token": issued.value}

    @staticmethod
    def _verify_assertion(app: AppRegistration, assertion: str, audience: str) -> None:
        import jwt
        from cryptography import x509

        try:
            header = jwt.get_unverified_header(assertion)
        except jwt.PyJWTError:
            raise OAuthError(401, "invalid_client", 700025, "Client assertion is not a valid JWT.") from None
        thumbprint = header.get("x5t#S256") or header.get("x5t") or ""
        if app.certificate_pem is None or thumbprint.rstrip("=") not in _thumbprints(app.certificate_pem):
            raise OAuthError(401, "invalid_client", 700027, "The certificate with identifier used to sign the client "
                             "assertion is not registered on application. [Reason - The key was not found., "
                             f"Thumbprint of key used by client: '{thumbprint}', Please visit the Azure Portal, Graph "
                             "Explorer or directly use MS Graph to see configured keys for app Id "
                             f"'{app.client_id}'.]")
        key = x509.load_pem_x509_certificate(app.certificate_pem).public_key()
        try:
            claims = jwt.decode(assertion, key, algorithms=["RS256", "PS256"], audience=audience,
                                options={"require": ["exp", "aud", "iss", "sub", "jti"]})
        except jwt.PyJWTError as exc:
            raise OAuthError(401, "invalid_client", 700027, f"Client assertion failed signature validation. ({exc})") from None
        if claims["iss"] != app.client_id or claims["sub"] != app.client_id:
            raise OAuthError(401, "invalid_client", 700023, "Client assertion audience or issuer claim is invalid.")

    # -- running

    def start(self) -> None:
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: object) -> None:  # noqa: A002 (stdlib's name)
                pass  # requests carry tokens and secrets; nothing is printed

            def _send(self, status: int, body: dict) -> None:
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json; charset=utf-8")
                self.send_header("Content-Length", str(len(data)))
                self.send_header("Cache-Control", "no-store")
                self.end_headers()
                self.wfile.write(data)

            def _form(self) -> dict[str, str]:
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length).decode()
                return {k: v[-1] for k, v in urllib.parse.parse_qs(raw, keep_blank_values=True).items()}

            def do_GET(self) -> None:  # noqa: N802 (stdlib's name)
                path = urllib.parse.urlsplit(self.path).path
                parts = path.strip("/").split("/")
                try:
                    if path == "/introspect":
                        bearer = self.headers.get("Authorization", "")
                        token = bearer[7:] if bearer.lower().startswith("bearer ") else ""
                        self._send(200, server.introspect(token))
                    elif len(parts) == 4 and parts[1:] == ["v2.0", ".well-known", "openid-configuration"]:
                        with server._lock:
                            server.discoveries.append(path)
                        self._send(200, server.openid_configuration(parts[0]))
                    else:
                        self._send(404, {"error": "not_found"})
                except OAuthError as exc:
                    self._send(exc.status, exc.body())

            def do_POST(self) -> None:  # noqa: N802 (stdlib's name)
                path = urllib.parse.urlsplit(self.path).path
                parts = path.strip("/").split("/")
                form = self._form()
                try:
                    if path == "/introspect":
                        self._send(200, server.introspect(form.get("token", "")))
                    elif len(parts) == 4 and parts[1:] == ["oauth2", "v2.0", "token"]:
                        self._send(200, server.token(parts[0], form))
                    else:
                        self._send(404, {"error": "not_found"})
                except OAuthError as exc:
                    self._send(exc.status, exc.body())

        httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        httpd.daemon_threads = True
        httpd.socket = self._context.wrap_socket(httpd.socket, server_side=True)
        self._httpd = httpd
        self._thread = threading.Thread(target=httpd.serve_forever, name="oauth-token-server", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
        if self._thread is not None:
            self._thread.join(timeout=10)


def introspect_over_https(url: str, ca_file: Path, token: str) -> dict:
    """Ask the introspection endpoint about `token`, as a resource server does (RFC 7662)."""
    context = ssl.create_default_context(cafile=str(ca_file))
    request = urllib.request.Request(url, data=urllib.parse.urlencode({"token": token}).encode(), method="POST")
    with urllib.request.urlopen(request, context=context, timeout=10) as response:
        return json.loads(response.read())
