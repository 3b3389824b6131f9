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
