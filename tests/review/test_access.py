"""Sign-in, sessions, CSRF, lock-out and the security headers, through the real app in-process."""
from __future__ import annotations

from datetime import timedelta
from typing import Any

from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from sqlmodel import select

from config.settings import load_settings
from review import accounts
from review.app import ROUTERS, create_app
from review.errors import AccountError, SignInRefused
from review.session import secure_cookies
from store.db import session_factory
from store.tables import AuditRow, CaseRow
from tests.review.conftest import csrf_of, sign_in
from tests.review.seed import PASSWORD

import pytest




def _path(route: APIRoute) -> str:
    return route.path.replace("{case_id}", "1").replace("{index}", "0")


def test_every_page_but_sign_in_needs_a_session(client: TestClient) -> None:
    routes = [r for router in ROUTERS for r in router.routes if isinstance(r, APIRoute)]
    assert len(routes) >= 12
    for route in routes:
        if route.path.startswith("/sign-in"):  # the sign-in pages, password and code
            continue
        for method in route.methods - {"HEAD"}:
            response = client.request(method, _path(route), follow_redirects=False)
            if method == "GET":
                assert response.status_code == 303, route.path
                assert response.headers["location"].startswith("/sign-in?next="), route.path
            else:
                assert response.status_code in (401, 403), route.path


def test_sign_in_page_and_static_assets_are_open(client: TestClient) -> None:
    assert client.get("/sign-in").status_code == 200
    assert client.get("/static/govuk/govuk-frontend.min.css").status_code == 200
    assert client.get("/static/review.js").status_code == 200
    assert client.get("/assets/images/favicon.ico").status_code == 200


def test_wrong_password_is_refused_then_right_one_signs_in(client: TestClient) -> None:
    refused = sign_in(client, password="not the password")
    assert refused.status_code == 400
    assert "is not right" in refused.text
    assert client.get("/", follow_redirects=False).status_code == 303
    assert sign_in(client).status_code == 303
    page = client.get("/")
    assert page.status_code == 200 and "Signed in as officer" in page.text


def test_sign_in_returns_to_the_page_asked_for_but_never_off_site(client: TestClient, ids: dict[str, int]) -> None:
    page = client.get(f"/cases/{ids['plain']}", follow_redirects=True)
    form = {"name": "officer", "password": PASSWORD, "csrf_token": csrf_of(page.text), "next": f"/cases/{ids['plain']}"}
    assert client.post("/sign-in", data=form, follow_redirects=False).headers["location"] == f"/cases/{ids['plain']}"
    client.cookies.clear()
    page = client.get("/sign-in")
    for target in ("//evil.example.com/x", "/\t/evil.example.com", "/\\evil.example.com", "https://evil.example.com"):
        client.cookies.clear()
        page = client.get("/sign-in")
        form = {**form, "csrf_token": csrf_of(page.text), "next": target}
        assert client.post("/sign-in", data=form, follow_redirects=False).headers["location"] == "/", target


def test_repeated_failures_make_the_address_wait_instead_of_locking_the_account(client: TestClient, engine: Any) -> None:
    for _ in range(5):
        assert sign_in(client, password="wrong wrong wrong").status_code == 400
    waiting = sign_in(client)  # the account from this address now waits a few seconds: the password is not checked
    assert waiting.status_code == 429 and "Wait" in waiting.text
    with session_factory(engine)() as session:
        actions = [r.action for r in session.exec(select(AuditRow).where(AuditRow.actor == "officer")).all()]
        assert actions.count("sign_in_failed") == 5 and "sign_in_throttled" in actions
        later = accounts.utcnow() + timedelta(minutes=1)
        assert accounts.sign_in(session, "officer", PASSWORD, later, "testclient").name == "officer"


def test_unknown_user_and_blank_password_are_refused(engine: Any, ids: dict[str, int]) -> None:
    with session_factory(engine)() as session:
        for name, password in (("nobody", PASSWORD), ("officer", ""), ("", "")):
            with pytest.raises(SignInRefused):
                accounts.sign_in(session, name, password, accounts.utcnow())


def test_post_without_or_with_wrong_csrf_token_is_refused(officer: TestClient, ids: dict[str, int], engine: Any) -> None:
    case_id = ids["plain"]
    page = officer.get(f"/cases/{case_id}")
    version = page.text.split('name="version" value="')[1].split('"')[0]
    form = {"version": version, "children.0.first_name": "Changed"}
    assert officer.post(f"/cases/{case_id}/edit", data=form).status_code == 403
    assert officer.post(f"/cases/{case_id}/edit", data={**form, "csrf_token": "x" * 43}).status_code == 403
    cross = officer.post(f"/cases/{case_id}/edit", data={**form, "csrf_token": csrf_of(page.text)},
                         headers={"Origin": "http://evil.example.com"})
    assert cross.status_code == 403
    assert officer.post(f"/cases/{case_id}/decision", data={"action": "accept"}).status_code == 403
    with session_factory(engine)() as session:
        row = session.get(CaseRow, case_id)
        assert row.status == "new" and "Changed" not in row.record


def test_sign_out_ends_the_session_cookie_for_good(officer: TestClient) -> None:
    old_cookie = officer.cookies.get("cme_session")
    page = officer.get("/")
    assert officer.post("/sign-out", data={"csrf_token": csrf_of(page.text)}, follow_redirects=False).status_code == 303
    assert officer.get("/", follow_redirects=False).status_code == 303
    officer.cookies.set("cme_session", old_cookie)
    assert officer.get("/", follow_redirects=False).status_code == 303


def test_forged_cookie_is_not_a_session(client: TestClient) -> None:
    client.cookies.set("cme_session", "eyJ1Ijoib2ZmaWNlciJ9.forged.signature")
    assert client.get("/", follow_redirects=False).status_code == 303


def test_security_headers_and_cookie_flags(client: TestClient) -> None:
    response = client.get("/sign-in")
    csp = response.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "frame-ancestors 'none'" in csp and "unsafe-inline" not in csp
    assert response.headers["x-content-type-options"] == "nosniff"
    cookie = response.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=lax" in cookie and "secure" not in cookie
    assert "<script>" not in response.text and "<script " not in response.text.replace('<script type="module" src="/static/review.js">', "")


def test_secure_cookie_setting(tmp_path: Any, engine: Any) -> None:
    assert secure_cookies("auto", "127.0.0.1") is False and secure_cookies("auto", "0.0.0.0") is True
    assert secure_cookies("auto", "cme.example.org") is True and secure_cookies("false", "10.0.0.1") is False
    settings = load_settings({"CME_DATA_DIR": str(tmp_path), "CME_SECURE_COOKIES": "true"})
    with TestClient(create_app(settings, engine), base_url="https://127.0.0.1") as c:
        cookie = c.get("/sign-in").headers["set-cookie"]
        assert cookie.startswith("__Host-cme_session=") and "secure" in cookie.lower() and "Path=/" in cookie


def test_access_log_never_shows_a_search(client: TestClient) -> None:
    import logging

    record = logging.LogRecord("uvicorn.access", logging.INFO, __file__, 1, '%s - "%s %s HTTP/%s" %d',
                               ("127.0.0.1:5000", "GET", "/?q=Poppy+Quillfeather&status=any", "1.1", 200), None)
    for f in logging.getLogger("uvicorn.access").filters:
        f.filter(record)
    assert "Quillfeather" not in record.getMessage() and '"GET /?… HTTP/1.1" 200' in record.getMessage()


def test_first_admin_is_created_once_and_can_sign_in(engine: Any, tmp_path: Any) -> None:
    factory = session_factory(engine)
    password = accounts.ensure_first_admin(factory)
    assert password and len(password) >= 16
    assert accounts.ensure_first_admin(factory) is None
    with factory() as session:
        assert accounts.sign_in(session, "admin", password, accounts.utcnow()).role == "admin"


def test_add_user_refuses_bad_role_short_password_and_duplicates(engine: Any, ids: dict[str, int]) -> None:
    with session_factory(engine)() as session:
        for name, role, password in (("newbie", "boss", PASSWORD), ("newbie", "officer", "short"),
                                     ("officer", "officer", PASSWORD), ("bad name!", "officer", PASSWORD)):
            with pytest.raises(AccountError):
                accounts.add_user(session, name, role, password)


def test_only_an_admin_manages_accounts(client: TestClient) -> None:
    sign_in(client, "officer")
    assert client.get("/users").status_code == 403
    client.cookies.clear()
    sign_in(client, "boss")
    page = client.get("/users")
    assert page.status_code == 200
    added = client.post("/users", data={"csrf_token": csrf_of(page.text), "name": "newofficer", "role": "officer",
                                        "password": "a long enough password"}, follow_redirects=False)
    assert added.status_code == 303
    assert "newofficer" in client.get("/users").text


def test_changing_ones_password(officer: TestClient) -> None:
    page = officer.get("/account")
    form = {"csrf_token": csrf_of(page.text), "current_password": "wrong", "new_password": "a new long password",
            "confirm_password": "a new long password"}
    assert officer.post("/account", data=form).status_code == 400
    response = officer.post("/account", data={**form, "current_password": PASSWORD})
    assert response.status_code == 200 and "Password changed" in response.text  # still signed in
    officer.cookies.clear()
    assert sign_in(officer, password=PASSWORD).status_code == 400
    assert sign_in(officer, password="a new long password").status_code == 303


def test_an_admin_forgets_an_accounts_failed_sign_ins(client: TestClient) -> None:
    for _ in range(5):
        sign_in(client, password="wrong wrong wrong")
    assert sign_in(client).status_code == 429
    sign_in(client, "boss")
    page = client.get("/users")
    assert "Forget failed sign-ins" in page.text
    assert client.post("/users/unlock", data={"csrf_token": csrf_of(page.text), "name": "officer"},
                       follow_redirects=False).status_code == 303
    client.cookies.clear()
    assert sign_in(client).status_code == 303


def test_session_key_is_generated_once_and_kept_private(tmp_path: Any, engine: Any) -> None:
    from review.app import secret_key

    settings = load_settings({"CME_DATA_DIR": str(tmp_path / "data")})
    key = secret_key(settings)
    assert len(key) >= 40 and secret_key(settings) == key
    assert (tmp_path / "data" / "review-secret-key").stat().st_mode & 0o077 == 0
    assert secret_key(load_settings({"CME_DATA_DIR": str(tmp_path), "CME_SECRET_KEY": "given"})) == "given"
