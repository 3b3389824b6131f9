"""Accounts that hold: the password policy, the printed first admin password, two-factor sign-in,
the sign-in throttle, sessions that end, disabled accounts and roles; the error pages; the case
history in words; the admins' activity page; the raw message download. In-process, through the
real app over a real SQLite file."""
from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from typing import Any, Iterator

import pyotp
import pytest
from fastapi.testclient import TestClient
from sqlmodel import select

from review import accounts, history
from review.app import create_app
from review.errors import AccountError, SignInRefused, SignInThrottled
from store import audit, users
from store.audit import AuditEntry
from store.db import session_factory
from store.tables import AuditRow
from tests.review.conftest import csrf_of, sign_in
from tests.review.seed import PASSWORD

NEW_PASSWORD = "lantern quarry pebble mosaic"


def _client(settings: Any, engine: Any, address: str) -> TestClient:
    return TestClient(create_app(settings, engine), base_url="http://127.0.0.1", client=(address, 50000))


@pytest.fixture()
def two_clients(settings: Any, engine: Any, ids: dict[str, int]) -> Iterator[tuple[TestClient, TestClient]]:
    with _client(settings, engine, "192.0.2.66") as outsider, _client(settings, engine, "198.51.100.7") as office:
        yield outsider, office


def _actions(engine: Any, actor: str | None = None) -> list[str]:
    with session_factory(engine)() as session:
        query = select(AuditRow).order_by(AuditRow.id)
        if actor:
            query = query.where(AuditRow.actor == actor)
        return [r.action for r in session.exec(query).all()]


# -- passwords --

@pytest.mark.parametrize("password", ["aaaaaaaaaaaa", "password1234", "qwertyuiop12", "iloveyou1234",
                                      "Password123!", "hampshirecme1", "officer12345", "short pass"])
def test_common_breached_or_short_passwords_are_refused(password: str) -> None:
    assert accounts.password_problem(password, "officer") is not None


@pytest.mark.parametrize("password", [NEW_PASSWORD, "correct horse battery", "Tr0ub4dor&3-walrus"])
def test_long_uncommon_passwords_are_accepted(password: str) -> None:
    assert accounts.password_problem(password, "officer") is None


def test_an_admin_cannot_give_a_weak_first_password(client: TestClient) -> None:
    sign_in(client, "boss")
    page = client.get("/users")
    refused = client.post("/users", data={"csrf_token": csrf_of(page.text), "name": "newofficer", "role": "officer",
                                          "password": "aaaaaaaaaaaaaaaa"})
    assert refused.status_code == 400 and "too easy to guess" in refused.text
    assert "newofficer" not in client.get("/users").text


def test_the_printed_first_admin_password_must_be_changed_before_anything_else(settings: Any, engine: Any) -> None:
    factory = session_factory(engine)
    password = accounts.ensure_first_admin(factory)
    assert password is not None
    with TestClient(create_app(settings, engine), base_url="http://127.0.0.1") as client:
        assert sign_in(client, "admin", password).status_code == 303
        for path in ("/", "/users", "/reports", "/activity"):
            response = client.get(path, follow_redirects=False)
            assert response.status_code == 303 and response.headers["location"] == "/account", path
        page = client.get("/account")
        assert "Choose your own password before you go on" in page.text
        weak = client.post("/account", data={"csrf_token": csrf_of(page.text), "current_password": password,
                                              "new_password": "admin1234567", "confirm_password": "admin1234567"})
        assert weak.status_code == 400 and "too easy to guess" in weak.text
        changed = client.post("/account", data={"csrf_token": csrf_of(page.text), "current_password": password,
                                                 "new_password": NEW_PASSWORD, "confirm_password": NEW_PASSWORD})
        assert changed.status_code == 200 and "Password changed" in changed.text
        assert client.get("/", follow_redirects=False).status_code == 200


def test_an_account_an_admin_adds_chooses_its_own_password_at_first_sign_in(client: TestClient) -> None:
    sign_in(client, "boss")
    page = client.get("/users")
    client.post("/users", data={"csrf_token": csrf_of(page.text), "name": "newofficer", "role": "officer",
                                "password": "temporary kettle orchard"})
    client.cookies.clear()
    assert sign_in(client, "newofficer", "temporary kettle orchard").status_code == 303
    assert client.get("/", follow_redirects=False).headers["location"] == "/account"


# -- the throttle --

def test_an_outsider_guessing_from_one_address_cannot_keep_the_admin_out_from_another(
        two_clients: tuple[TestClient, TestClient], engine: Any) -> None:
    outsider, office = two_clients
    statuses = [sign_in(outsider, "boss", f"guess number {n}").status_code for n in range(8)]
    assert statuses[:5] == [400] * 5 and statuses[-1] == 429  # made to wait, not locked
    assert sign_in(outsider, "boss", PASSWORD).status_code == 429  # even the right password waits there
    assert sign_in(office, "boss", PASSWORD).status_code == 303  # the admin, from the office, signs in
    assert office.get("/").status_code == 200
    with session_factory(engine)() as session:
        [row] = session.exec(select(AuditRow).where(AuditRow.action == "sign_in", AuditRow.actor == "boss")).all()
        assert json.loads(row.detail)["address"] == "198.51.100.7"


def test_the_wait_grows_with_each_failure_and_ends(engine: Any, ids: dict[str, int]) -> None:
    start = datetime(2026, 12, 1, 9, 0, tzinfo=timezone.utc)
    waits = []
    with session_factory(engine)() as session:
        now = start
        for _ in range(8):
            with pytest.raises(SignInRefused) as refused:
                accounts.sign_in(session, "officer", "not the password", now, "203.0.113.9")
            assert not isinstance(refused.value, SignInThrottled)
            wait = accounts.throttle_wait(session, "officer", "203.0.113.9", now)
            waits.append(wait)
            now += wait  # try again as soon as allowed
        assert waits[:4] == [timedelta(0)] * 4 and waits[4] == timedelta(seconds=30)
        assert waits[5:] == [timedelta(seconds=60), timedelta(seconds=120), timedelta(seconds=240)]  # it doubles
        with pytest.raises(SignInThrottled):
            accounts.sign_in(session, "officer", PASSWORD, now - timedelta(seconds=1), "203.0.113.9")
        assert accounts.sign_in(session, "officer", PASSWORD, now, "203.0.113.9").name == "officer"


def test_a_wrong_name_from_many_addresses_slows_the_account_by_at_most_a_minute(engine: Any, ids: dict[str, int]) -> None:
    now = datetime(2026, 12, 1, 9, 0, tzinfo=timezone.utc)
    with session_factory(engine)() as session:
        for n in range(40):  # a spread-out attack: a new address for each guess
            try:
                accounts.sign_in(session, "officer", "not the password", now, f"203.0.113.{n}")
            except SignInThrottled:
                now += timedelta(minutes=1)
            except SignInRefused:
                pass
        assert accounts.throttle_wait(session, "officer", "198.51.100.7", now) <= timedelta(minutes=1)


# -- two-factor sign-in --

def _enrol(client: TestClient) -> str:
    page = client.get("/account/two-factor")
    secret = page.text.split('name="secret" value="')[1].split('"')[0]
    assert "otpauth://totp/" in page.text and secret[:4] in page.text
    done = client.post("/account/two-factor", data={"csrf_token": csrf_of(page.text), "secret": secret,
                                                     "code": pyotp.TOTP(secret).now()})
    assert done.status_code == 200 and "Two-factor sign-in is set up" in done.text
    return secret


def test_with_two_factor_a_password_alone_does_not_sign_in_and_a_code_is_used_once(officer: TestClient) -> None:
    secret = _enrol(officer)
    officer.cookies.clear()
    first = sign_in(officer)
    assert first.status_code == 303 and first.headers["location"].startswith("/sign-in/code")
    assert officer.get("/", follow_redirects=False).headers["location"].startswith("/sign-in?")
    page = officer.get("/sign-in/code")
    wrong = officer.post("/sign-in/code", data={"csrf_token": csrf_of(page.text), "code": "000000", "next": "/"})
    assert wrong.status_code == 400 and "The code is not right" in wrong.text
    code = pyotp.TOTP(secret).at(datetime.now(timezone.utc) + timedelta(seconds=30))  # the code used to enrol is spent
    assert officer.post("/sign-in/code", data={"csrf_token": csrf_of(page.text), "code": code, "next": "/"},
                        follow_redirects=False).status_code == 303
    assert officer.get("/", follow_redirects=False).status_code == 200
    officer.cookies.clear()
    sign_in(officer)
    page = officer.get("/sign-in/code")
    replay = officer.post("/sign-in/code", data={"csrf_token": csrf_of(page.text), "code": code, "next": "/"})
    assert replay.status_code == 400  # the same code twice is refused


def test_an_admin_can_require_two_factor_of_everyone(client: TestClient) -> None:
    sign_in(client, "boss")
    page = client.get("/users")
    client.post("/users/two-factor-required", data={"csrf_token": csrf_of(page.text), "required": "yes"})
    assert client.get("/", follow_redirects=False).headers["location"] == "/account/two-factor"
    _enrol(client)
    assert client.get("/", follow_redirects=False).status_code == 200


def test_enrolling_with_a_wrong_code_keeps_nothing(officer: TestClient, engine: Any) -> None:
    page = officer.get("/account/two-factor")
    secret = page.text.split('name="secret" value="')[1].split('"')[0]
    refused = officer.post("/account/two-factor", data={"csrf_token": csrf_of(page.text), "secret": secret, "code": "12"})
    assert refused.status_code == 400 and secret in refused.text  # the same key, to try again
    with session_factory(engine)() as session:
        assert users.totp_state(session, "officer") == (None, None)


# -- sessions that end, disabled accounts, roles --

def test_disabling_an_account_ends_its_open_session_and_refuses_sign_in(settings: Any, engine: Any, ids: dict[str, int]) -> None:
    with _client(settings, engine, "198.51.100.1") as officer, _client(settings, engine, "198.51.100.2") as boss:
        sign_in(officer)
        assert officer.get("/", follow_redirects=False).status_code == 200
        sign_in(boss, "boss")
        page = boss.get("/users")
        assert boss.post("/users/disable", data={"csrf_token": csrf_of(page.text), "name": "officer", "disabled": "yes"},
                         follow_redirects=False).status_code == 303
        assert officer.get("/", follow_redirects=False).status_code == 303  # the open session has ended
        officer.cookies.clear()
        assert sign_in(officer).status_code == 400
        assert "sign_in_refused_disabled" in _actions(engine, "officer")
        page = boss.get("/users")
        boss.post("/users/disable", data={"csrf_token": csrf_of(page.text), "name": "officer", "disabled": "no"})
        assert sign_in(officer).status_code == 303


def test_a_password_change_ends_the_other_sessions_of_the_account(settings: Any, engine: Any, ids: dict[str, int]) -> None:
    with _client(settings, engine, "198.51.100.1") as laptop, _client(settings, engine, "198.51.100.2") as phone:
        sign_in(laptop)
        sign_in(phone)
        page = laptop.get("/account")
        laptop.post("/account", data={"csrf_token": csrf_of(page.text), "current_password": PASSWORD,
                                      "new_password": NEW_PASSWORD, "confirm_password": NEW_PASSWORD})
        assert laptop.get("/", follow_redirects=False).status_code == 200  # this one goes on
        assert phone.get("/", follow_redirects=False).status_code == 303  # the other has ended


def test_an_admin_changes_a_role_but_never_removes_the_last_admin(client: TestClient, engine: Any) -> None:
    sign_in(client, "boss")
    page = client.get("/users")
    last = client.post("/users/role", data={"csrf_token": csrf_of(page.text), "name": "boss", "role": "officer"})
    assert last.status_code == 400 and "only admin" in last.text
    assert client.post("/users/role", data={"csrf_token": csrf_of(page.text), "name": "officer", "role": "admin"},
                       follow_redirects=False).status_code == 303
    with session_factory(engine)() as session:
        assert users.find_user(session, "officer")[0].role == "admin"
    with pytest.raises(AccountError):
        with session_factory(engine)() as session:
            accounts.set_disabled(session, "boss", "boss", True)


# -- error pages --

@pytest.mark.parametrize("path", ["/cases/99999999999999999999", "/cases/2147483648", "/cases/abc", "/cases/-1",
                                  "/no/such/page", "/cases/1/attachments/99999999999999999999", "/cases/99999/message.eml"])
def test_unknown_and_out_of_range_addresses_are_a_govuk_404_page(officer: TestClient, path: str) -> None:
    response = officer.get(path)
    assert response.status_code == 404, path
    assert response.headers["content-type"].startswith("text/html")
    assert '<html lang="en"' in response.text and "<title>Page not found" in response.text
    assert "govuk-service-navigation__list" in response.text and "Signed in as officer" in response.text
    assert response.headers["content-security-policy"]


def test_an_unknown_path_is_a_404_page_even_before_signing_in(client: TestClient) -> None:
    response = client.get("/nothing-here")
    assert response.status_code == 404 and "<title>Page not found" in response.text and "Go to the sign-in page" in response.text


def test_a_wrong_method_and_a_bad_query_value_are_govuk_pages(officer: TestClient) -> None:
    response = officer.delete("/reports")
    assert response.status_code == 405 and "<title>This page cannot do that" in response.text
    assert "GET" in response.headers.get("allow", "")
    response = officer.get("/?page=lots")
    assert response.status_code == 400 and "<title>There is a problem with the address" in response.text


def test_a_failure_inside_the_service_is_a_govuk_500_page(settings: Any, engine: Any, ids: dict[str, int]) -> None:
    app = create_app(settings, engine)

    @app.get("/boom")
    def boom() -> None:
        raise RuntimeError("a bug")

    with TestClient(app, base_url="http://127.0.0.1", raise_server_exceptions=False) as client:
        response = client.get("/boom")
        assert response.status_code == 500 and "Sorry, there is a problem with the service" in response.text
        assert "a bug" not in response.text and "frame-ancestors 'none'" in response.headers["content-security-policy"]


# -- history in words --

def test_history_reads_in_words_with_dates_day_first() -> None:
    at = datetime(2026, 11, 3, 10, 0, tzinfo=timezone.utc)
    entries = [
        AuditEntry(at, "officer", "edit", {"changes": [
            {"field": "children.0.date_of_birth", "before": "2016-03-14", "after": "2016-03-15"},
            {"field": "parents_carers.1.phone", "before": None, "after": "07700900123"},
            {"field": "children.0.upn", "before": None, "after": "A123456789012"},
            {"field": "category", "before": "other", "after": "cme_referral"},
            {"field": "urgent", "before": False, "after": True}]}),
        AuditEntry(at, "officer", "edit", {"added": "parents_carers", "index": 1}),
        AuditEntry(at, "officer", "accept", {"before": "new"}),
        AuditEntry(at, "officer", "mark_duplicate", {"before": "new", "duplicate_of": "CME-2026-00012"}),
    ]
    [changed, added, accepted, duplicate] = history.lines(entries)
    assert changed.what == "Changed"
    assert changed.details == ("Child 1 date of birth: 14/03/2016 → 15/03/2016",
                               "Parent or carer 2 phone: (blank) → 07700900123",
                               "Child 1 UPN: (blank) → A123456789012",
                               "Category: Other → CME referral", "Urgent: No → Yes")
    assert added.what == "Added parent or carer 2"
    assert accepted.what == "Accepted" and accepted.details == ("Status before: To review",)
    assert duplicate.what == "Marked as a duplicate of CME-2026-00012"


def test_a_case_viewed_many_times_a_day_shows_one_view_per_person_per_day(officer: TestClient, ids: dict[str, int],
                                                                          engine: Any) -> None:
    for _ in range(5):
        page = officer.get(f"/cases/{ids['plain']}")
    history_html = page.text[page.text.index('id="history-table"'):]
    assert history_html.count(">Viewed") == 1
    assert _actions(engine).count("view") == 1
    older = [AuditEntry(datetime(2026, 11, 3, h, 0, tzinfo=timezone.utc), "officer", "view", {}) for h in (15, 12, 9)]
    older.append(AuditEntry(datetime(2026, 11, 2, 9, 0, tzinfo=timezone.utc), "officer", "view", {}))
    assert [line.at.hour for line in history.lines(older)] == [9, 9]  # rows kept by an older build: one a day


def test_the_view_recorded_is_the_first_of_the_day_in_london(engine: Any, ids: dict[str, int]) -> None:
    with session_factory(engine)() as session:
        late = datetime(2026, 7, 1, 22, 30, tzinfo=timezone.utc)  # 23:30 in London, 1 July
        audit.record_event(session, "officer", "view", late, case_id=ids["plain"])
        audit.record_event(session, "officer", "view", late + timedelta(minutes=20), case_id=ids["plain"])  # 23:50
        audit.record_event(session, "officer", "view", late + timedelta(minutes=40), case_id=ids["plain"])  # 2 July
        audit.record_event(session, "officer", "view", late + timedelta(minutes=45), case_id=ids["plain"])
        audit.record_event(session, "boss", "view", late, case_id=ids["plain"])
        session.commit()
        assert len([e for e in audit.case_history(session, ids["plain"]) if e.action == "view"]) == 3


# -- the admins' activity page, the raw message --

def test_activity_shows_sign_ins_failures_exports_and_account_changes_with_the_address(
        two_clients: tuple[TestClient, TestClient], ids: dict[str, int]) -> None:
    outsider, office = two_clients
    sign_in(outsider, "boss", "a wrong guess here")
    sign_in(office, "boss")
    office.get("/reports/export.csv?start=2026-09-01&end=2026-11-30")
    office.get(f"/cases/{ids['plain']}/message.eml")
    page = office.get("/users")
    office.post("/users", data={"csrf_token": csrf_of(page.text), "name": "newofficer", "role": "officer",
                                "password": "temporary kettle orchard"})
    activity = office.get("/activity").text
    for words in ("Failed sign-in: wrong name or password", "192.0.2.66", "Signed in", "198.51.100.7",
                  "Downloaded a case&#39;s message (.eml)", "Added an account", "Account: newofficer"):
        assert words in activity, words
    assert "Exported the DfE return (CSV)" in activity
    only = office.get("/activity?kind=accounts").text
    assert "Added an account" in only and "Failed sign-in" not in only
    outsider.cookies.clear()
    sign_in(outsider, "officer")
    assert outsider.get("/activity").status_code == 403


def test_the_message_downloads_as_it_arrived_and_the_download_is_in_the_history(officer: TestClient,
                                                                                ids: dict[str, int], engine: Any) -> None:
    page = officer.get(f"/cases/{ids['plain']}")
    assert f'href="/cases/{ids["plain"]}/message.eml"' in page.text
    response = officer.get(f"/cases/{ids['plain']}/message.eml")
    assert response.status_code == 200 and response.headers["content-type"].startswith("message/rfc822")
    assert response.headers["content-disposition"] == 'attachment; filename="CME-2026-00001.eml"'
    assert b"Subject: CME referral - Poppy Quillfeather" in response.content
    assert "download_message" in _actions(engine, "officer")
    assert "Downloaded the message as it arrived (.eml)" in officer.get(f"/cases/{ids['plain']}").text
