"""Two-factor authentication (TOTP): enrolment, the code after the password, and the
requirement for coordinators and platform administrators."""

from __future__ import annotations

import re
import time
from base64 import b32encode

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from wagtail.models import APIToken

from tests.factories import make_city, make_member

pytestmark = pytest.mark.django_db
PASSWORD = "correct-horse-battery-2026"


def code_for(device: TOTPDevice, steps_ahead: int = 0) -> str:
    """What the user's phone shows (a later step: a code is accepted once only)."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + steps_ahead * device.step
    return f"{totp.token():06d}"


def log_in(username: str) -> Client:
    client = Client()
    response = client.post("/accounts/login/", {"username": username, "password": PASSWORD})
    assert response.status_code == 302
    return client


@pytest.fixture
def member():
    return make_member("nice-member", make_city("Nice"), password=PASSWORD)


@pytest.fixture
def coordinator():
    return make_member("nice-coordinator", make_city("Nice"), "coordinator", password=PASSWORD)


def test_the_setup_page_shows_a_local_qr_code_and_the_secret_as_text(member):
    client = log_in("nice-member")
    page = client.get("/accounts/two-factor/")
    assert page.status_code == 200
    assert "<svg" in page.text and "<path" in page.text  # drawn here, no external image
    assert "http" not in re.search(r"<svg.*?</svg>", page.text, re.S).group(0).replace(
        "http://www.w3.org/2000/svg", ""
    )
    device = TOTPDevice.objects.get(user=member, confirmed=False)
    assert f'<code id="totp-secret">{b32encode(device.bin_key).decode()}</code>' in page.text


def test_a_wrong_code_does_not_turn_two_factor_on(member):
    client = log_in("nice-member")
    client.get("/accounts/two-factor/")
    device = TOTPDevice.objects.get(user=member)
    wrong = f"{(int(code_for(device)) + 1) % 1_000_000:06d}"
    response = client.post("/accounts/two-factor/", {"code": wrong})
    assert response.status_code == 200
    assert "That code is not right" in response.text
    assert not TOTPDevice.objects.filter(user=member, confirmed=True).exists()


def test_after_enrolment_every_login_asks_for_a_code(member):
    client = log_in("nice-member")
    client.get("/accounts/two-factor/")
    device = TOTPDevice.objects.get(user=member)
    first_code = code_for(device)
    response = client.post("/accounts/two-factor/", {"code": first_code, "next": "/lessons/"})
    assert response.status_code == 302 and response.url == "/lessons/"
    assert client.get("/lessons/").status_code == 200  # this session is verified

    later = log_in("nice-member")
    response = later.get("/lessons/")
    assert response.status_code == 302
    assert response.url == "/accounts/two-factor/verify/?next=%2Flessons%2F"
    assert later.get("/api/v1/lessons").status_code == 403
    page = later.get(response.url)
    assert "Enter your two-factor code" in page.text

    device.refresh_from_db()
    # The same code again (not the phone's current one: the 30 s step may have turned).
    reused = later.post(response.url, {"code": first_code, "next": "/lessons/"})
    assert "That code is not right" in reused.text  # a code works once only
    # django-otp throttles guessing: after one wrong code the next waits a second.
    throttled = later.post(response.url, {"code": code_for(device, 1), "next": "/lessons/"})
    assert "Too many wrong codes" in throttled.text
    time.sleep(1.1)
    accepted = later.post(response.url, {"code": code_for(device, 1), "next": "/lessons/"})
    assert accepted.status_code == 302 and accepted.url == "/lessons/"
    assert later.get("/lessons/").status_code == 200


def test_without_the_requirement_a_coordinator_needs_no_second_factor(coordinator):
    client = log_in("nice-coordinator")
    assert client.get("/reviews/coordinator/").status_code == 200


@pytest.mark.parametrize("path", ["/reviews/coordinator/", "/admin/", "/reviews/"])
def test_a_coordinator_without_a_device_is_sent_to_set_one_up(settings, coordinator, path):
    settings.KB_REQUIRE_2FA = True
    client = log_in("nice-coordinator")
    response = client.get(path)
    assert response.status_code == 302
    assert response.url.startswith("/accounts/two-factor/?next=")
    page = client.get(response.url)
    assert "Your role (review coordinator or administrator) requires" in page.text

    device = TOTPDevice.objects.get(user=coordinator)
    client.post("/accounts/two-factor/", {"code": code_for(device)})
    assert client.get("/reviews/coordinator/").status_code == 200


def test_an_administrator_without_a_device_cannot_reach_the_admin(settings):
    settings.KB_REQUIRE_2FA = True
    get_user_model().objects.create_superuser("root", "root@example.org", PASSWORD)
    client = log_in("root")
    response = client.get("/admin/pages/")
    assert response.status_code == 302
    assert response.url.startswith("/accounts/two-factor/")


def test_the_session_api_refuses_an_unverified_coordinator_but_a_token_is_its_own_channel(
    settings, coordinator
):
    settings.KB_REQUIRE_2FA = True
    client = log_in("nice-coordinator")
    refused = client.get("/api/v1/lessons")
    assert refused.status_code == 403
    assert "Set up two-factor authentication first" in refused.json()["detail"]

    token = APIToken.create_token(user=coordinator, name="script")[1]
    answered = client.get("/api/v1/lessons", headers={"Authorization": f"Token {token}"})
    assert answered.status_code == 200


def test_a_member_without_a_role_is_not_required_to_use_two_factor(settings, member):
    settings.KB_REQUIRE_2FA = True
    client = log_in("nice-member")
    assert client.get("/lessons/").status_code == 200
