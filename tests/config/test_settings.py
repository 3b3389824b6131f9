"""Settings: defaults that run the embedded service, and clear messages naming a bad setting."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from config.settings import SETTINGS, SettingsError, load_settings

README = Path(__file__).resolve().parents[2] / "README.md"


def test_defaults_run_the_embedded_service(tmp_path):
    settings = load_settings({"CME_DATA_DIR": str(tmp_path)})
    assert settings.uses_local_mailbox and settings.uses_local_outbox
    assert settings.database_url == f"sqlite:///{tmp_path / 'cme.sqlite3'}"
    assert settings.imap.folder == "INBOX" and settings.imap.processed_folder == "Processed"
    assert settings.teams.cme == "cme@hants.gov.uk"


@pytest.mark.parametrize("env, named", [
    ({"CME_IMAP_PORT": "imap"}, "CME_IMAP_PORT"),
    ({"CME_IMAP_PORT": "70000"}, "CME_IMAP_PORT"),
    ({"CME_IMAP_TLS": "yes"}, "CME_IMAP_TLS"),
    ({"CME_SMTP_TLS": "tls1.3"}, "CME_SMTP_TLS"),
    ({"CME_POLL_SECONDS": "1"}, "CME_POLL_SECONDS"),
    ({"CME_FROM_ADDRESS": "not-an-address"}, "CME_FROM_ADDRESS"),
    ({"CME_EHE_ADDRESS": "@hants.gov.uk"}, "CME_EHE_ADDRESS"),
    ({"CME_DATABASE_URL": "cme.sqlite3"}, "CME_DATABASE_URL"),
    ({"CME_SCHOOL_REGISTER": "/nonexistent/schools.csv"}, "CME_SCHOOL_REGISTER"),
    ({"CME_IMAP_HOST": "imap.example.org"}, "CME_IMAP_USER"),
])
def test_a_bad_setting_is_refused_with_its_name(env, named):
    with pytest.raises(SettingsError, match=named):
        load_settings(env)


def test_environment_wins_over_the_settings_file(tmp_path):
    path = tmp_path / "cme.toml"
    path.write_text('IMAP_HOST = "imap.example.org"\nCME_IMAP_USER = "cme"\nPOLL_SECONDS = 60\n')
    settings = load_settings({"CME_POLL_SECONDS": "120"}, path)
    assert (settings.imap.host, settings.imap.user, settings.poll_seconds) == ("imap.example.org", "cme", 120)


def test_an_unknown_key_in_the_settings_file_is_refused(tmp_path):
    path = tmp_path / "cme.toml"
    path.write_text('IMAP_HOSTNAME = "imap.example.org"\n')
    with pytest.raises(SettingsError, match="IMAP_HOSTNAME"):
        load_settings({}, path)


def test_secrets_are_not_shown_in_repr():
    settings = load_settings({"CME_IMAP_HOST": "imap.example.org", "CME_IMAP_USER": "cme",
                              "CME_IMAP_PASSWORD": "hunter2-secret", "CME_SMTP_PASSWORD": "smtp-secret"})
    assert "hunter2-secret" not in repr(settings) and "smtp-secret" not in repr(settings)


def test_every_setting_is_documented_in_the_readme():
    text = README.read_text(encoding="utf-8")
    rows = set(re.findall(r"^\| `(CME_[A-Z_]+)` \|", text, flags=re.M))
    assert {s.name for s in SETTINGS} <= rows


OAUTH = {"CME_IMAP_HOST": "outlook.office365.com", "CME_IMAP_USER": "cme@hants.gov.uk", "CME_IMAP_AUTH": "oauth2",
         "CME_OAUTH_TENANT": "hants.gov.uk", "CME_OAUTH_CLIENT_ID": "6f1c2d3e-0000-4000-8000-00000000cafe"}


def _pem(tmp_path: Path, name: str = "app.pem", key_of_another: bool = False) -> Path:
    """A PEM file holding a private key and a self-signed certificate (the key of another one if asked)."""
    from datetime import datetime, timedelta, timezone

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.x509.oid import NameOID

    key, other = (rsa.generate_private_key(public_exponent=65537, key_size=2048) for _ in range(2))
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "cme")])
    now = datetime.now(timezone.utc)
    cert = (x509.CertificateBuilder().subject_name(subject).issuer_name(subject).public_key(key.public_key())
            .serial_number(1).not_valid_before(now).not_valid_after(now + timedelta(days=1)).sign(key, hashes.SHA256()))
    written = (other if key_of_another else key).private_bytes(serialization.Encoding.PEM,
                                                               serialization.PrivateFormat.PKCS8,
                                                               serialization.NoEncryption())
    path = tmp_path / name
    path.write_bytes(written + cert.public_bytes(serialization.Encoding.PEM))
    return path


def test_password_sign_in_stays_the_default():
    settings = load_settings({"CME_IMAP_HOST": "imap.example.org", "CME_IMAP_USER": "cme"})
    assert settings.imap.auth == "password" and settings.smtp.auth == "password" and settings.oauth is None
    assert not settings.smtp.signs_in  # no SMTP user: no sign-in, as before


@pytest.mark.parametrize("missing", ["CME_OAUTH_TENANT", "CME_OAUTH_CLIENT_ID"])
def test_oauth2_without_tenant_or_application_names_the_missing_setting(missing):
    env = {**OAUTH, "CME_OAUTH_CLIENT_SECRET": "s"}
    del env[missing]
    with pytest.raises(SettingsError, match=missing):
        load_settings(env)


def test_oauth2_needs_exactly_one_credential(tmp_path):
    with pytest.raises(SettingsError, match="CME_OAUTH_CERTIFICATE"):
        load_settings(OAUTH)
    with pytest.raises(SettingsError, match="not both"):
        load_settings({**OAUTH, "CME_OAUTH_CLIENT_SECRET": "s", "CME_OAUTH_CERTIFICATE": str(_pem(tmp_path))})


def test_smtp_oauth2_needs_the_mailbox_it_sends_as():
    with pytest.raises(SettingsError, match="CME_SMTP_USER"):
        load_settings({**OAUTH, "CME_OAUTH_CLIENT_SECRET": "s", "CME_SMTP_HOST": "smtp.office365.com",
                       "CME_SMTP_AUTH": "oauth2"})


@pytest.mark.parametrize("env, named", [
    ({"CME_IMAP_AUTH": "xoauth2"}, "CME_IMAP_AUTH"),
    ({"CME_SMTP_AUTH": "ntlm"}, "CME_SMTP_AUTH"),
    ({**OAUTH, "CME_OAUTH_CLIENT_SECRET": "s", "CME_OAUTH_AUTHORITY": "http://login.microsoftonline.com"},
     "CME_OAUTH_AUTHORITY"),
    ({**OAUTH, "CME_OAUTH_CLIENT_SECRET": "s", "CME_OAUTH_TENANT": "hants/../common"}, "CME_OAUTH_TENANT"),
    ({**OAUTH, "CME_OAUTH_CLIENT_SECRET": "s", "CME_OAUTH_TENANT": "organizations"}, "CME_OAUTH_TENANT"),
    ({**OAUTH, "CME_OAUTH_CERTIFICATE": "/nonexistent/app.pem"}, "CME_OAUTH_CERTIFICATE"),
    ({**OAUTH, "CME_OAUTH_CLIENT_SECRET_FILE": "/nonexistent/secret"}, "CME_OAUTH_CLIENT_SECRET_FILE"),
    ({"CME_IMAP_PASSWORD": "p", "CME_IMAP_PASSWORD_FILE": "/etc/hostname"}, "CME_IMAP_PASSWORD"),
])
def test_a_bad_sign_in_setting_is_refused_with_its_name(env, named):
    with pytest.raises(SettingsError, match=named):
        load_settings(env)


def test_a_certificate_file_needs_its_own_unencrypted_key(tmp_path):
    only_cert = tmp_path / "cert-only.pem"
    full = _pem(tmp_path).read_text()
    only_cert.write_text(full[full.index("-----BEGIN CERTIFICATE-----"):])
    with pytest.raises(SettingsError, match="private key is missing"):
        load_settings({**OAUTH, "CME_OAUTH_CERTIFICATE": str(only_cert)})
    with pytest.raises(SettingsError, match="does not belong to its certificate"):
        load_settings({**OAUTH, "CME_OAUTH_CERTIFICATE": str(_pem(tmp_path, "mixed.pem", key_of_another=True))})
    encrypted = tmp_path / "encrypted.pem"
    encrypted.write_text("-----BEGIN ENCRYPTED PRIVATE KEY-----\nMIIB\n-----END ENCRYPTED PRIVATE KEY-----\n"
                         + full[full.index("-----BEGIN CERTIFICATE-----"):])
    with pytest.raises(SettingsError, match="encrypted"):
        load_settings({**OAUTH, "CME_OAUTH_CERTIFICATE": str(encrypted)})


def test_secrets_come_from_files_and_never_show_in_repr(tmp_path):
    (tmp_path / "client-secret").write_text("file-secret~value\n")
    (tmp_path / "smtp-password").write_text("smtp-file-password\n")
    settings = load_settings({**OAUTH, "CME_OAUTH_CLIENT_SECRET_FILE": str(tmp_path / "client-secret"),
                              "CME_SMTP_PASSWORD_FILE": str(tmp_path / "smtp-password")})
    assert settings.oauth is not None and settings.oauth.client_secret == "file-secret~value"
    assert settings.smtp.password == "smtp-file-password"
    assert settings.oauth.scopes == ("https://outlook.office365.com/.default",)
    assert "file-secret" not in repr(settings) and "smtp-file-password" not in repr(settings)

    pem = _pem(tmp_path)
    with_certificate = load_settings({**OAUTH, "CME_OAUTH_CERTIFICATE": str(pem)})
    assert with_certificate.oauth is not None and with_certificate.oauth.credential == "certificate"
    key_line = pem.read_text().splitlines()[1]
    assert key_line not in repr(with_certificate)
