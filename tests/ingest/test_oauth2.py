"""Exchange Online's app-only OAuth2 sign-in, against real parts: a local HTTPS token endpoint in Entra ID's
shape (tests/oauth_server.py), Dovecot signing in with AUTHENTICATE XOAUTH2 through its oauth2 passdb,
and aiosmtpd taking AUTH XOAUTH2; both ask the token server whether a token is active.

What an operator would notice: `cme check` says every step is ok, or which one fails and what to do;
`cme poll --once` reads and acknowledges exactly as with a password; a token that runs out while the
IDLE connection waits is replaced and later mail is still read; a refused token is fetched again once;
no secret, private key or token shows in any output or in Dovecot's log.
"""
from __future__ import annotations

import os
import secrets
import smtplib
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Iterator

import imapclient
import pytest
from imapclient.exceptions import LoginError

from config.settings import load_settings
from ingest.cli import open_mailbox
from ingest.errors import LoginFailed
from ingest.imap import ImapMailbox
from ingest.poller import poll_once
from ingest.schedule import IdleWatcher
from ingest.tokens import TokenSource
from notifier.errors import DeliveryFailed
from notifier.smtp import SmtpSender
from tests.conftest import IMAP_PASSWORD, ImapAccount, SmtpSink, free_port
from tests.ingest import mails
from tests.ingest.service import make_service, service_env
from tests.oauth_server import MAILBOX_ROLES, AppRegistration, TokenServer, introspect_over_https

PROJECT = Path(__file__).resolve().parents[2]


def cme(*args: str, env: dict[str, str], timeout: float = 300) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "ingest.cli", *args], cwd=PROJECT, env={**os.environ, **env},
                          capture_output=True, text=True, timeout=timeout)


@pytest.fixture(scope="module")
def tenant(token_server: TokenServer) -> str:
    return token_server.add_tenant()


@pytest.fixture
def short_tokens(token_server: TokenServer) -> Iterator[TokenServer]:
    """Tokens issued during the test live 3 seconds."""
    token_server.lifetime = 3
    try:
        yield token_server
    finally:
        token_server.lifetime = 3600


@dataclass
class OAuthApp:
    """An app registration on the token server, and the service's settings for it."""

    server: TokenServer
    registration: AppRegistration
    secret: str | None = None
    certificate: Path | None = None  # the PEM file (key and certificate) the service is given

    @property
    def client_id(self) -> str:
        return self.registration.client_id

    def env(self) -> dict[str, str]:
        env = {"CME_OAUTH_AUTHORITY": self.server.url, "CME_OAUTH_TENANT": self.registration.tenant,
               "CME_OAUTH_CLIENT_ID": self.client_id}
        if self.secret:
            env["CME_OAUTH_CLIENT_SECRET"] = self.secret
        if self.certificate:
            env["CME_OAUTH_CERTIFICATE"] = str(self.certificate)
        return env

    def hidden(self) -> list[str]:
        """Every string that must never be printed or logged: the secret, the private key, every token issued."""
        values = [t.value for t in self.server.tokens_for(self.client_id)]
        if self.secret:
            values.append(self.secret)
        if self.certificate:
            key_lines = [line for line in self.certificate.read_text().splitlines()
                         if line and not line.startswith("-----")]
            values += key_lines[:3]  # the private key's first lines (it is written before the certificate)
        return values


def _self_signed(path: Path) -> bytes:
    """Write a self-signed certificate and its private key to `path` (PEM); return the certificate's PEM."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.x509.oid import NameOID

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "CME inbox service")])
    now = datetime.now(timezone.utc)
    certificate = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
                   .serial_number(x509.random_serial_number()).not_valid_before(now - timedelta(days=1))
                   .not_valid_after(now + timedelta(days=30)).sign(key, hashes.SHA256()))
    pem = certificate.public_bytes(serialization.Encoding.PEM)
    path.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                       serialization.NoEncryption()) + pem)
    path.chmod(0o600)
    return pem


def register_app(server: TokenServer, tenant: str, mailbox: str | None, tmp_path: Path, credential: str = "secret",
                 roles: tuple[str, ...] = MAILBOX_ROLES) -> OAuthApp:
    """An application with FullAccess and SendAs on `mailbox`, signing in with a client secret or a certificate."""
    if credential == "certificate":
        path = tmp_path / f"cme-app-{secrets.token_hex(4)}.pem"
        registration = server.register(tenant, certificate_pem=_self_signed(path), mailbox=mailbox, roles=roles)
        return OAuthApp(server, registration, certificate=path)
    secret = "Qx8~" + secrets.token_urlsafe(30)  # Entra ID's secrets hold ~ . _ - too
    return OAuthApp(server, server.register(tenant, secret=secret, mailbox=mailbox, roles=roles), secret=secret)


def oauth_smtp(token_server: TokenServer, tls_certificate) -> SmtpSink:
    """An SMTP server that takes AUTH XOAUTH2 only, after STARTTLS, for a token with SMTP.SendAsApp for that mailbox."""

    def accepted(user: str, token: str) -> bool:
        info = introspect_over_https(token_server.introspection_url, token_server.ca_file, token)
        return bool(info.get("active") and "SMTP.SendAsApp" in str(info.get("scope", "")).split()
                    and info.get("username") == user)

    return SmtpSink(free_port(), tls="starttls", server_context=tls_certificate.server_context(), xoauth2=accepted)


@pytest.fixture
def smtp_oauth(token_server, tls_certificate) -> Iterator[SmtpSink]:
    sink = oauth_smtp(token_server, tls_certificate)
    sink.start()
    try:
        yield sink
    finally:
        sink.stop()


def oauth_env(tmp_path: Path, account: ImapAccount, sink: SmtpSink, app: OAuthApp, imap_tls: str = "ssl",
              *extra: dict[str, str]) -> dict[str, str]:
    """The service's settings: IMAP and SMTP both sign in with app-only tokens, no password anywhere."""
    return service_env(tmp_path, account.env(tls=imap_tls), sink.env(), app.env(),
                       {"CME_IMAP_AUTH": "oauth2", "CME_IMAP_PASSWORD": "", "CME_SMTP_AUTH": "oauth2",
                        "CME_SMTP_USER": account.user}, *extra)


def assert_nothing_hidden_shows(app: OAuthApp, *texts: str) -> None:
    hidden = app.hidden()
    assert hidden
    for text in texts:
        for value in hidden:
            assert value not in text, "a secret, private key or token was printed or logged"


@pytest.mark.parametrize("credential", ["secret", "certificate"])
def test_check_and_poll_sign_in_with_oauth2_and_work_as_with_a_password(credential, tmp_path, imap_account, dovecot,
                                                                        smtp_oauth, token_server, tenant,
                                                                        trust_bundle):
    app = register_app(token_server, tenant, imap_account.user, tmp_path, credential)
    env = oauth_env(tmp_path, imap_account, smtp_oauth, app, "ssl", trust_bundle.env())
    for raw in (mails.person_referral(), mails.out_of_office(), mails.no_reply_form(), mails.not_an_email()):
        imap_account.append(raw)

    checked = cme("check", env=env)
    issued_by_check = len(token_server.tokens_for(app.client_id))
    polled = cme("poll", "--once", env=env)
    issued_by_poll = len(token_server.tokens_for(app.client_id)) - issued_by_check

    assert checked.returncode == 0, checked.stdout + checked.stderr
    for step in ("token: ok", "mailbox: ok", "mail out: ok", "database: ok"):
        assert step in checked.stdout
    assert "XOAUTH2" in checked.stdout and app.client_id in checked.stdout
    assert polled.returncode == 0, polled.stderr[-3000:]
    assert "seen=4 stored=3 quarantined=1" in polled.stdout and "sent=2" in polled.stdout
    assert imap_account.messages("INBOX") == []
    assert len(imap_account.messages("Processed")) == 3 and len(imap_account.messages("Quarantine")) == 1
    # the acknowledgements went out over a session signed in as the CME mailbox with a token
    assert sorted(r for m in smtp_oauth.received for r in m.rcpt_tos) == ["k.olowe@quillfield.example.org",
                                                                            "ola.brightwater@example.com"]
    assert {m.login for m in smtp_oauth.received} == {imap_account.user}
    # one token per process, reused for every sign-in (IMAP, and SMTP for each acknowledgement)
    assert (issued_by_check, issued_by_poll) == (1, 1)
    assert all(i.active for i in token_server.introspections_of(app.client_id))
    assert f"Login: user=<{imap_account.user}>, method=XOAUTH2" in dovecot.log()
    assert_nothing_hidden_shows(app, checked.stdout, checked.stderr, polled.stdout, polled.stderr, dovecot.log())


def test_a_token_that_runs_out_during_idle_is_replaced_and_later_mail_is_still_read(
        tmp_path, imap_account, dovecot, smtp_oauth, short_tokens, tenant, trust_bundle, extraction_context,
        monkeypatch):
    for name, value in trust_bundle.env().items():
        monkeypatch.setenv(name, value)  # msal's requests and the SMTP client trust the test CAs
    app = register_app(short_tokens, tenant, imap_account.user, tmp_path)
    env = oauth_env(tmp_path, imap_account, smtp_oauth, app, "none")
    service = make_service(env, extraction_context)
    tokens = TokenSource(service.settings.oauth)
    woken, stop = threading.Event(), threading.Event()
    # IDLE lasts up to 60 s: only the token running out (3 s) can end it sooner
    watcher = IdleWatcher(lambda: open_mailbox(service.settings, tokens), woken.set, stop, timeout=60)
    watcher.start()
    try:
        assert woken.wait(15), "the IDLE connection did not sign in"
        time.sleep(8)  # more than two token lifetimes, in IDLE
        signed_in = len(short_tokens.tokens_for(app.client_id))
        imap_account.append(mails.person_referral())
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and not smtp_oauth.received:
            if woken.wait(1):
                woken.clear()
                with open_mailbox(service.settings, tokens) as mailbox:
                    poll_once(mailbox, service.deps)
    finally:
        stop.set()
        watcher.join(timeout=70)
    assert not watcher.is_alive()

    assert signed_in >= 3, "the IDLE connection kept its token past its end instead of signing in afresh"
    assert watcher.backoff.failures == 0  # renewed on time, never lost
    assert imap_account.messages("INBOX") == [] and len(imap_account.messages("Processed")) == 1
    assert [m.login for m in smtp_oauth.received] == [imap_account.user]
    introspected = short_tokens.introspections_of(app.client_id)
    assert introspected and all(i.active for i in introspected), "a sign-in was tried with a token that had run out"
    assert dovecot.log().count(f"Login: user=<{imap_account.user}>, method=XOAUTH2") >= 3


def test_a_refused_token_is_fetched_again_once_then_reported(tmp_path, imap_account, smtp_oauth, token_server, tenant,
                                                             trust_bundle, monkeypatch):
    for name, value in trust_bundle.env().items():
        monkeypatch.setenv(name, value)
    app = register_app(token_server, tenant, imap_account.user, tmp_path)
    settings = load_settings(oauth_env(tmp_path, imap_account, smtp_oauth, app, "none"))
    tokens = TokenSource(settings.oauth)
    with ImapMailbox(settings.imap, tokens=tokens) as mailbox:
        mailbox.describe()
    (first,) = token_server.tokens_for(app.client_id)
    token_server.revoke(first.value)  # msal still holds it as good for an hour

    with ImapMailbox(settings.imap, tokens=tokens) as mailbox:
        assert "XOAUTH2" in mailbox.describe()
    sender = SmtpSender(settings.smtp, tokens=tokens)
    sender.send(b"Subject: test\r\n\r\nhello\r\n", imap_account.user, ["person@example.org"])
    token_server.revoke(token_server.tokens_for(app.client_id)[-1].value)
    sender.send(b"Subject: test\r\n\r\nhello again\r\n", imap_account.user, ["person@example.org"])

    assert len(token_server.tokens_for(app.client_id)) == 3  # one fresh token after each refusal
    assert [m.login for m in smtp_oauth.received] == [imap_account.user] * 2

    # an application without the Exchange permissions: refused again with a fresh token, then reported
    unpermitted = register_app(token_server, tenant, imap_account.user, tmp_path, roles=())
    settings = load_settings(oauth_env(tmp_path, imap_account, smtp_oauth, unpermitted, "none"))
    tokens = TokenSource(settings.oauth)
    with pytest.raises(LoginFailed) as refused_imap:
        with ImapMailbox(settings.imap, tokens=tokens):
            pass
    with pytest.raises(DeliveryFailed) as refused_smtp:
        SmtpSender(settings.smtp, tokens=tokens).send(b"Subject: x\r\n\r\nx\r\n", imap_account.user, ["p@example.org"])
    assert "IMAP.AccessAsApp" in str(refused_imap.value) and "FullAccess" in str(refused_imap.value)
    assert "SMTP.SendAsApp" in str(refused_smtp.value) and "SmtpClientAuthenticationDisabled" in str(refused_smtp.value)
    assert not refused_smtp.value.permanent  # retried later: an administrator can grant it meanwhile
    assert len(token_server.tokens_for(unpermitted.client_id)) == 3  # the first, and one fresh one for each refusal
    assert_nothing_hidden_shows(unpermitted, str(refused_imap.value), str(refused_smtp.value))


@pytest.mark.parametrize("fault, words", [
    ("wrong secret", ["token: FAILED", "AADSTS7000215", "client secret", "Value (not its Secret ID)"]),
    ("unknown tenant", ["token: FAILED", "AADSTS90002", "does not know tenant", "CME_OAUTH_TENANT"]),
    ("unknown application", ["token: FAILED", "AADSTS700016", "does not know application", "CME_OAUTH_CLIENT_ID"]),
    ("certificate not registered", ["token: FAILED", "AADSTS700027", "refused the certificate",
                                    "Certificates & secrets"]),
    ("token endpoint down", ["token: FAILED", "cannot be reached", "Connection refused"]),
])
def test_check_says_which_token_step_fails_and_what_to_do(fault, words, tmp_path, imap_account, dovecot, smtp_oauth,
                                                          token_server, tenant, trust_bundle):
    credential = "certificate" if fault == "certificate not registered" else "secret"
    app = register_app(token_server, tenant, imap_account.user, tmp_path, credential)
    env = oauth_env(tmp_path, imap_account, smtp_oauth, app, "ssl", trust_bundle.env())
    if fault == "wrong secret":
        env["CME_OAUTH_CLIENT_SECRET"] = "Wr0ng~" + secrets.token_urlsafe(30)
    elif fault == "unknown tenant":
        env["CME_OAUTH_TENANT"] = "hants-not-a-tenant.example.org"
    elif fault == "unknown application":
        env["CME_OAUTH_CLIENT_ID"] = "00000000-0000-0000-0000-00000000c0de"
    elif fault == "certificate not registered":
        _self_signed(app.certificate)  # a new key and certificate the registration has never seen
    else:
        env["CME_OAUTH_AUTHORITY"] = f"https://127.0.0.1:{free_port()}"

    checked = cme("check", env=env)

    assert checked.returncode == 1
    for word in words:
        assert word in checked.stdout, checked.stdout
    assert "database: ok" in checked.stdout
    assert "mailbox: FAILED" in checked.stdout and "mail out: FAILED" in checked.stdout
    assert "Traceback" not in checked.stdout + checked.stderr
    hidden = app.hidden() + ([env["CME_OAUTH_CLIENT_SECRET"]] if "CME_OAUTH_CLIENT_SECRET" in env else [])
    for value in hidden:
        assert value not in checked.stdout + checked.stderr and value not in dovecot.log()


def test_check_says_what_the_exchange_administrator_has_to_grant(tmp_path, imap_account, smtp_oauth, token_server,
                                                                 tenant, trust_bundle):
    app = register_app(token_server, tenant, mailbox=None, tmp_path=tmp_path, roles=())  # no permissions, no mailbox
    checked = cme("check", env=oauth_env(tmp_path, imap_account, smtp_oauth, app, "ssl", trust_bundle.env()))

    assert checked.returncode == 1
    lines = {line.split(":", 1)[0]: line for line in checked.stdout.splitlines() if ": " in line}
    assert lines["token"].startswith("token: ok")
    assert "mailbox: FAILED" in lines["mailbox"] and "IMAP.AccessAsApp" in lines["mailbox"]
    assert "FullAccess" in lines["mailbox"]
    assert "mail out: FAILED" in lines["mail out"] and "SMTP.SendAsApp" in lines["mail out"]
    assert "Set-CASMailbox -SmtpClientAuthenticationDisabled $false" in lines["mail out"]
    assert smtp_oauth.refused_logins == [imap_account.user, imap_account.user]  # the token, then a fresh one
    assert_nothing_hidden_shows(app, checked.stdout, checked.stderr)


def test_the_mailbox_password_is_never_taken_as_a_token(imap_account, dovecot, smtp_oauth, tls_certificate):
    client = imapclient.IMAPClient(imap_account.host, port=imap_account.port, ssl=False, timeout=20)
    try:
        with pytest.raises(LoginError):
            client.oauth2_login(imap_account.user, IMAP_PASSWORD)
    finally:
        client.shutdown()
    assert f"Login: user=<{imap_account.user}>, method=XOAUTH2" not in dovecot.log()

    smtp = smtplib.SMTP("127.0.0.1", smtp_oauth.port, timeout=20)
    try:
        smtp.starttls(context=tls_certificate.client_context())
        smtp.ehlo()
        with pytest.raises(smtplib.SMTPAuthenticationError):
            smtp.auth("XOAUTH2", lambda challenge=None: "" if challenge is not None else
                      f"user={imap_account.user}\x01auth=Bearer {IMAP_PASSWORD}\x01\x01")
        with pytest.raises(smtplib.SMTPSenderRefused):  # not signed in: no mail taken
            smtp.sendmail(imap_account.user, ["person@example.org"], b"Subject: x\r\n\r\nx\r\n")
    finally:
        smtp.close()
    assert smtp_oauth.received == [] and smtp_oauth.refused_logins == [imap_account.user]
