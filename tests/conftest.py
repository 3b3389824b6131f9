"""Shared fixtures: a real Dovecot IMAP server and a real aiosmtpd SMTP server on 127.0.0.1.

Both are started for real; if Dovecot is missing or does not start, the test fails (never skips).
`dovecot` is one server per test session; `imap_account` gives each test a fresh, empty mailbox
(the static passdb accepts any user name with the shared password). `smtp_server` is a sink
that can be stopped and started again on the same port, to play an SMTP outage.

For OAuth2, `token_server` is a local stand-in for Entra ID's token endpoint over HTTPS
(tests/oauth_server.py, its certificate from a `trustme` test CA); Dovecot also signs in with
AUTHENTICATE XOAUTH2 through an oauth2 passdb that asks that server's introspection endpoint, and
an `SmtpSink` with `xoauth2=` accepts AUTH XOAUTH2 after the same check.
"""
from __future__ import annotations

import os
import pwd
import shutil
import subprocess
import tempfile
import time
import uuid
from dataclasses import dataclass, field
from email import message_from_bytes
from email.message import Message
from pathlib import Path
from typing import Callable, Iterator

import pytest

from tests.oauth_server import TokenServer
from tests.postgres import PostgresServer, free_port, private_postgres, wait_for_port  # noqa: F401 (re-exported)

DOVECOT = "/usr/sbin/dovecot"
IMAP_PASSWORD = "sesame-not-secret"


@dataclass(frozen=True)
class TlsCertificate:
    """A self-signed certificate for 127.0.0.1, and a client context that trusts only it."""

    cert: Path
    key: Path

    def client_context(self):  # -> ssl.SSLContext
        import ssl

        return ssl.create_default_context(cafile=str(self.cert))

    def server_context(self):
        import ssl

        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(str(self.cert), str(self.key))
        return context


@pytest.fixture(scope="session")
def tls_certificate(tmp_path_factory) -> TlsCertificate:
    root = Path(tempfile.mkdtemp(prefix="cme-tls-"))
    root.chmod(0o755)
    cert, key = root / "cert.pem", root / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=localhost",
                    "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost", "-keyout", str(key), "-out", str(cert)],
                   check=True, capture_output=True)
    key.chmod(0o644)  # Dovecot reads it as its own user
    return TlsCertificate(cert, key)


@dataclass(frozen=True)
class TrustBundle:
    """A CA bundle with the test TLS certificate and the token server's CA, for a `cme` subprocess."""

    path: Path

    def env(self) -> dict[str, str]:
        # ssl.create_default_context() reads SSL_CERT_FILE; requests (msal) reads REQUESTS_CA_BUNDLE
        return {"SSL_CERT_FILE": str(self.path), "REQUESTS_CA_BUNDLE": str(self.path)}


@pytest.fixture(scope="session")
def token_server() -> Iterator[TokenServer]:
    """The local OAuth2 token and introspection endpoint (HTTPS, 127.0.0.1), one per test session."""
    import ssl

    import trustme

    ca = trustme.CA(organization_name="CME tests token CA")
    root = Path(tempfile.mkdtemp(prefix="cme-oauth-"))
    root.chmod(0o755)
    ca_file = root / "ca.pem"
    ca_file.write_bytes(ca.cert_pem.bytes())
    ca_file.chmod(0o644)  # Dovecot's auth process reads it as its own user
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ca.issue_cert("127.0.0.1", "localhost").configure_cert(context)
    server = TokenServer(context, ca_file)
    server.start()
    try:
        yield server
    finally:
        server.stop()
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture(scope="session")
def trust_bundle(tls_certificate: TlsCertificate, token_server: TokenServer) -> Iterator[TrustBundle]:
    root = Path(tempfile.mkdtemp(prefix="cme-trust-"))
    path = root / "bundle.pem"
    path.write_bytes(tls_certificate.cert.read_bytes() + b"\n" + token_server.ca_file.read_bytes())
    try:
        yield TrustBundle(path)
    finally:
        shutil.rmtree(root, ignore_errors=True)


@dataclass
class DovecotServer:
    host: str
    port: int
    root: Path
    ssl_port: int = 0  # implicit TLS (imaps); `port` offers STARTTLS too

    def new_account(self) -> "ImapAccount":
        return ImapAccount(self.host, self.port, f"cme-{uuid.uuid4().hex[:10]}", IMAP_PASSWORD, self.ssl_port)

    def log(self) -> str:
        path = self.root / "dovecot.log"
        return path.read_text(errors="replace") if path.exists() else ""


@dataclass(frozen=True)
class ImapAccount:
    host: str
    port: int
    user: str
    password: str

    ssl_port: int = 0

    def env(self, folder: str = "INBOX", tls: str = "none") -> dict[str, str]:
        """The service's settings for this mailbox (`tls`: none, starttls or ssl)."""
        port = self.ssl_port if tls == "ssl" else self.port
        return {"CME_IMAP_HOST": self.host, "CME_IMAP_PORT": str(port), "CME_IMAP_USER": self.user,
                "CME_IMAP_PASSWORD": self.password, "CME_IMAP_TLS": tls, "CME_IMAP_FOLDER": folder}

    def client(self):  # -> imapclient.IMAPClient, for the test's own setup and checks
        import imapclient

        c = imapclient.IMAPClient(self.host, port=self.port, ssl=False, timeout=10)
        c.login(self.user, self.password)
        return c

    def append(self, raw: bytes, folder: str = "INBOX") -> None:
        c = self.client()
        try:
            if not c.folder_exists(folder):
                c.create_folder(folder)
            c.append(folder, raw)
        finally:
            c.logout()

    def messages(self, folder: str) -> list[bytes]:
        """Every message in `folder` (empty list when the folder does not exist)."""
        c = self.client()
        try:
            if not c.folder_exists(folder):
                return []
            c.select_folder(folder, readonly=True)
            uids = c.search(["NOT", "DELETED"])
            data = c.fetch(uids, ["BODY.PEEK[]"]) if uids else {}
            return [data[u][b"BODY[]"] for u in sorted(data)]
        finally:
            c.logout()


def _dovecot_oauth2_config(token_server: TokenServer) -> str:
    """Dovecot's oauth2 passdb: every XOAUTH2 token is introspected (RFC 7662, POST) at the token server.

    The token must be active, carry the IMAP.AccessAsApp permission (`scope`) and name the mailbox
    signed in to (`username`). Introspection is over HTTPS: Dovecot 2.3 trusts the test CA through
    `tls_ca_cert_file`.
    """
    return f"""
introspection_url = {token_server.introspection_url}
introspection_mode = post
force_introspection = yes
username_attribute = username
active_attribute = active
active_value = true
scope = IMAP.AccessAsApp
tls_ca_cert_file = {token_server.ca_file}
timeout_msecs = 10000
"""


def _dovecot_config(root: Path, port: int, ssl_port: int, tls: TlsCertificate) -> str:
    if os.geteuid() == 0:
        # Dovecot will not run its login and mail processes as root.
        mail_user, internal, login = pwd.getpwnam("dovecot"), "dovecot", "dovenull"
    else:
        mail_user = pwd.getpwuid(os.geteuid())
        internal = login = mail_user.pw_name
    return f"""
protocols = imap
listen = 127.0.0.1
base_dir = {root}/run
state_dir = {root}/state
log_path = {root}/dovecot.log
ssl = yes
ssl_cert = <{tls.cert}
ssl_key = <{tls.key}
disable_plaintext_auth = no
auth_mechanisms = plain login xoauth2 oauthbearer
mail_location = maildir:{root}/mail/%u
first_valid_uid = 1
default_internal_user = {internal}
default_login_user = {login}
# The shared password signs in with LOGIN/PLAIN only: never as an XOAUTH2 token.
passdb {{
  driver = static
  args = password={IMAP_PASSWORD}
  mechanisms = plain login
}}
passdb {{
  driver = oauth2
  mechanisms = xoauth2 oauthbearer
  args = {root}/dovecot-oauth2.conf.ext
}}
# No growing delay after failed sign-ins from 127.0.0.1 (tests refuse sign-ins on purpose); the
# fixed 2-second delay on each failure stays.
service anvil {{
  unix_listener anvil-auth-penalty {{
    mode = 0
  }}
}}
userdb {{
  driver = static
  args = uid={mail_user.pw_uid} gid={mail_user.pw_gid} home={root}/mail/%u
}}
service imap-login {{
  inet_listener imap {{
    port = {port}
  }}
  inet_listener imaps {{
    port = {ssl_port}
    ssl = yes
  }}
}}
namespace inbox {{
  inbox = yes
}}
"""


@pytest.fixture(scope="session")
def dovecot(tls_certificate: TlsCertificate, token_server: TokenServer) -> Iterator[DovecotServer]:
    """A private Dovecot on free 127.0.0.1 ports (plain with STARTTLS, and imaps), as the current user
    (dovecot/dovenull as root)."""
    assert os.access(DOVECOT, os.X_OK), f"{DOVECOT} is missing: install Debian's dovecot-imapd (make test does)"
    root = Path(tempfile.mkdtemp(prefix="cme-dovecot-"))
    root.chmod(0o755)
    for sub in ("mail", "run", "state"):
        (root / sub).mkdir()
    if os.geteuid() == 0:
        user = pwd.getpwnam("dovecot")
        os.chown(root / "mail", user.pw_uid, user.pw_gid)
    port, ssl_port = free_port(), free_port()
    conf = root / "dovecot.conf"
    conf.write_text(_dovecot_config(root, port, ssl_port, tls_certificate))
    (root / "dovecot-oauth2.conf.ext").write_text(_dovecot_oauth2_config(token_server))
    proc = subprocess.Popen([DOVECOT, "-F", "-c", str(conf)], stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    server = DovecotServer("127.0.0.1", port, root, ssl_port)
    try:
        try:
            wait_for_port(port)
            wait_for_port(ssl_port)
        except RuntimeError:
            proc.kill()
            out = proc.communicate(timeout=5)[0].decode(errors="replace")
            raise RuntimeError(f"Dovecot did not start:\n{out}\n{server.log()}") from None
        yield server
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture
def imap_account(dovecot: DovecotServer) -> ImapAccount:
    """A fresh, empty mailbox on the test Dovecot."""
    return dovecot.new_account()


@dataclass
class ReceivedMail:
    mail_from: str
    rcpt_tos: list[str]
    data: bytes
    login: str | None = None  # who signed in (AUTH) on the session that sent it

    @property
    def message(self) -> Message:
        return message_from_bytes(self.data)


@dataclass
class SmtpSink:
    """aiosmtpd on a fixed 127.0.0.1 port; `stop()` then `start()` plays an outage."""

    port: int
    received: list[ReceivedMail] = field(default_factory=list)
    _controller: object | None = None
    tls: str = "none"  # none | starttls (required before MAIL) | ssl (implicit TLS)
    server_context: object | None = None
    # xoauth2(user, token) -> accepted: when set, AUTH XOAUTH2 (only, and only inside TLS) is required before MAIL
    xoauth2: Callable[[str, str], bool] | None = None
    refused_logins: list[str] = field(default_factory=list)

    def start(self) -> None:
        from aiosmtpd.controller import Controller

        sink = self

        class Handler:
            async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's name)
                login = session.auth_data if isinstance(session.auth_data, str) else None
                sink.received.append(ReceivedMail(envelope.mail_from, list(envelope.rcpt_tos), envelope.content, login))
                return "250 OK"

        class OAuthHandler(Handler):
            async def auth_XOAUTH2(self, server, args):  # noqa: N802 (aiosmtpd finds mechanisms by this name)
                """AUTH XOAUTH2 (Google's and Microsoft's SASL mechanism), initial response or after a 334."""
                import asyncio
                import base64
                import json

                from aiosmtpd.smtp import MISSING, AuthResult

                if len(args) == 2:
                    try:
                        blob = base64.b64decode(args[1], validate=True)
                    except ValueError:
                        return AuthResult(success=False, handled=False, message="501 5.5.2 Can't decode base64")
                else:
                    blob = await server.challenge_auth("", encode_to_b64=False)
                    if blob is MISSING:
                        return AuthResult(success=False, handled=True)
                fields = dict(part.split("=", 1) for part in blob.decode(errors="replace").split("\x01") if "=" in part)
                user, bearer = fields.get("user", ""), fields.get("auth", "")
                token = bearer[7:] if bearer.startswith("Bearer ") else ""
                accepted = await asyncio.get_running_loop().run_in_executor(None, sink.xoauth2, user, token)
                if accepted:
                    return AuthResult(success=True, auth_data=user)
                sink.refused_logins.append(user)
                # XOAUTH2 failure: a 334 with the error in JSON, the client's empty answer, then 535
                await server.challenge_auth(json.dumps({"status": "401", "schemes": "Bearer",
                                                        "scope": "https://outlook.office.com/SMTP.SendAsApp"}))
                return AuthResult(success=False, handled=False, message="535 5.7.3 Authentication unsuccessful")

        options: dict[str, object] = {}
        if self.tls == "starttls":
            options = {"tls_context": self.server_context, "require_starttls": True}
        elif self.tls == "ssl":
            options = {"ssl_context": self.server_context}
        if self.xoauth2 is not None:
            options.update(auth_required=True, auth_require_tls=True, auth_exclude_mechanism=["LOGIN", "PLAIN"])
        handler = OAuthHandler() if self.xoauth2 is not None else Handler()
        controller = Controller(handler, hostname="127.0.0.1", port=self.port, **options)
        controller.start()
        self._controller = controller

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()  # type: ignore[attr-defined]
            self._controller = None

    def env(self) -> dict[str, str]:
        return {"CME_SMTP_HOST": "127.0.0.1", "CME_SMTP_PORT": str(self.port), "CME_SMTP_TLS": self.tls}


@pytest.fixture
def smtp_server() -> Iterator[SmtpSink]:
    """A running SMTP sink that records every message it accepts."""
    sink = SmtpSink(free_port())
    sink.start()
    try:
        yield sink
    finally:
        sink.stop()


@pytest.fixture(scope="session")
def extraction_context():
    """The real extraction context (spaCy model, school register), built once: it takes seconds."""
    from config.settings import load_settings
    from extraction.context import build_context

    return build_context(load_settings({}))


@pytest.fixture(scope="session")
def postgres() -> Iterator[PostgresServer]:
    """A private PostgreSQL cluster on a free 127.0.0.1 port (tests/postgres.py), one per test session."""
    with private_postgres() as server:
        yield server


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """Never let CI hang after the last test: exit with pytest's status if the interpreter does not.

    A thread a library leaves behind (a thread-pool worker blocked on a socket) makes Python wait for
    it at exit; once seen in one run in six. The results are already reported by then.
    """
    import threading

    def _exit_if_stuck() -> None:
        time.sleep(120)
        os._exit(int(exitstatus))

    threading.Thread(target=_exit_if_stuck, name="exit-watchdog", daemon=True).start()
