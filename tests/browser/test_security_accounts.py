"""In chromium, with the site's Content-Security-Policy enforced: the lockout after
repeated wrong passwords, and TOTP enrolment then login with a code."""

from __future__ import annotations

import re
import time
from base64 import b32decode
from types import SimpleNamespace

import pytest
from django.db import connection
from django.test.utils import modify_settings

from tests.browser.conftest import SCREENSHOTS, LiveServer, _missing
from tests.factories import make_city, make_member

pytestmark = [
    pytest.mark.browser,
    # Migrations seed the page tree; restore it after each test's flush.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]
PASSWORD = "correct-horse-battery-2026"
if _missing():
    pytest.skip(f"BROWSER TESTS SKIPPED: {_missing()}", allow_module_level=True)


@pytest.fixture(scope="module")
def accounts_site(browser, django_db_blocker):
    """A live server (the tests create their two accounts; no demo data needed here)."""
    if connection.vendor != "sqlite":
        pytest.skip("the browser tests run on SQLite")
    with django_db_blocker.unblock():
        allowed = modify_settings(ALLOWED_HOSTS={"append": "127.0.0.1"})
        allowed.enable()
        server = LiveServer()
        yield SimpleNamespace(url=server.url)
        server.stop()
        allowed.disable()


@pytest.fixture
def page(browser, accounts_site, settings, request):
    """A browser tab with the CSP enforced (no bypass); CSP violations are collected."""
    from axes.models import AccessAttempt

    settings.AXES_ENABLED = True
    settings.AXES_FAILURE_LIMIT = 3
    settings.KB_REQUIRE_2FA = True
    nice = make_city("Nice")
    make_member("nice-member", nice, password=PASSWORD)
    make_member("nice-coordinator", nice, "coordinator", password=PASSWORD)
    assert not AccessAttempt.objects.exists()
    context = browser.new_context(base_url=accounts_site.url)
    tab = context.new_page()
    tab.csp_violations = []
    tab.on(
        "console",
        lambda message: (
            tab.csp_violations.append(message.text)
            if "Content Security Policy" in message.text
            else None
        ),
    )
    tab.shots = SCREENSHOTS / request.node.name
    tab.shots.mkdir(parents=True, exist_ok=True)
    yield tab
    context.close()


def log_in(tab, username: str, password: str) -> None:
    tab.goto("/accounts/login/")
    tab.fill("#id_username", username)
    tab.fill("#id_password", password)
    tab.click("main button[type=submit]")
    tab.wait_for_load_state()


def code_from(secret: str, steps_ahead: int = 0) -> str:
    from django_otp.oath import TOTP

    totp = TOTP(b32decode(secret))
    totp.time = time.time() + 30 * steps_ahead
    return f"{totp.token():06d}"


def test_three_wrong_passwords_lock_the_account_with_a_clear_message(page):
    for attempt in range(2):
        log_in(page, "nice-member", f"wrong-{attempt}")
        assert page.locator("#login-error").is_visible()
    log_in(page, "nice-member", "wrong-again")
    alert = page.locator("#lockout")
    assert alert.is_visible()
    assert "Too many failed login attempts" in alert.inner_text()
    assert "locked for 15 minutes after 3 wrong passwords" in alert.inner_text()
    page.screenshot(path=str(page.shots / "locked-out.png"), full_page=True)

    log_in(page, "nice-member", PASSWORD)  # even the right password, while locked
    assert page.locator("#lockout").is_visible()
    page.goto("/lessons/")
    assert page.locator(".site-account__login").is_visible()  # still anonymous
    assert page.csp_violations == []


def test_a_coordinator_sets_up_totp_then_logs_in_with_a_code(page):
    log_in(page, "nice-coordinator", PASSWORD)
    page.goto("/reviews/coordinator/")
    assert "/accounts/two-factor/" in page.url
    assert page.get_by_text("Your role (review coordinator or administrator) requires").is_visible()
    assert page.locator(".qr-code svg").is_visible()
    secret = page.locator("#totp-secret").inner_text()
    assert re.fullmatch(r"[A-Z2-7]{32,}", secret)
    page.screenshot(path=str(page.shots / "setup.png"), full_page=True)

    page.fill("#id_code", code_from(secret))
    page.click("main button[type=submit]")
    page.wait_for_load_state()
    assert page.url.endswith("/reviews/coordinator/")

    page.click(".site-account__logout button")
    page.wait_for_load_state()
    log_in(page, "nice-coordinator", PASSWORD)
    page.goto("/reviews/coordinator/")
    assert "/accounts/two-factor/verify/" in page.url
    assert page.get_by_role("heading", name="Enter your two-factor code").is_visible()
    page.screenshot(path=str(page.shots / "verify.png"), full_page=True)
    page.fill("#id_code", "000000" if code_from(secret, 1) != "000000" else "111111")
    page.click("main button[type=submit]")
    assert page.locator("#code-error").is_visible()
    time.sleep(1.1)  # django-otp's throttle after one wrong code
    page.fill("#id_code", code_from(secret, 1))  # the next step: a code is accepted once
    page.click("main button[type=submit]")
    page.wait_for_load_state()
    assert page.url.endswith("/reviews/coordinator/")
    assert page.csp_violations == []
