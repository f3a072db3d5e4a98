"""Accounts: lockout after repeated wrong passwords (member login and Wagtail admin login),
strong passwords, sessions that end, and CSRF on member forms and the session API."""

from __future__ import annotations

import pytest
from axes.models import AccessAttempt
from django.conf import settings as django_settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.middleware.csrf import get_token
from django.test import Client

from kb.choices import Marking
from lessons.tracking.models import ProgressUpdate
from peer_review.models import Comment
from tests.factories import (
    make_accepted_review,
    make_action,
    make_city,
    make_debrief,
    make_lesson,
    make_member,
    make_organisation,
    make_review_cast,
    make_review_round,
)

pytestmark = pytest.mark.django_db
PASSWORD = "correct-horse-battery-2026"


@pytest.fixture
def axes_on(settings):
    settings.AXES_ENABLED = True
    settings.AXES_FAILURE_LIMIT = 3


@pytest.fixture
def member():
    return make_member("nice-member", make_city("Nice"), password=PASSWORD)


def post_login(client: Client, url: str, username: str, password: str):
    return client.post(url, {"username": username, "password": password})


@pytest.mark.parametrize("login_url", ["/accounts/login/", "/admin/login/"])
def test_repeated_wrong_passwords_lock_the_account_with_a_clear_message(
    axes_on, member, client, login_url
):
    for _ in range(2):
        response = post_login(client, login_url, "nice-member", "wrong-password")
        assert response.status_code == 200  # the form again, with its error
    response = post_login(client, login_url, "nice-member", "wrong-password")
    assert response.status_code == 429
    assert "Too many failed login attempts" in response.text
    assert "locked for 15 minutes after 3 wrong passwords" in response.text

    # Even the right password is refused while the lockout lasts, on both login pages.
    for url in ("/accounts/login/", "/admin/login/"):
        other = Client()
        response = post_login(other, url, "nice-member", PASSWORD)
        assert response.status_code == 429
        assert "_auth_user_id" not in other.session
    assert AccessAttempt.objects.filter(username="nice-member").exists()


def test_a_right_password_before_the_limit_resets_the_count(axes_on, member, client):
    post_login(client, "/accounts/login/", "nice-member", "wrong-password")
    post_login(client, "/accounts/login/", "nice-member", "wrong-password")
    response = post_login(client, "/accounts/login/", "nice-member", PASSWORD)
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(member.pk)
    client.logout()
    response = post_login(client, "/accounts/login/", "nice-member", "wrong-password")
    assert response.status_code == 200


def test_the_lockout_is_configured_in_every_environment_but_tests():
    # Tests opt in (axes_on above); the base settings every deployment starts from lock.
    from kb.settings import base

    assert base.AXES_ENABLED is True
    assert base.AXES_FAILURE_LIMIT == 5
    assert base.AUTHENTICATION_BACKENDS[0] == "axes.backends.AxesStandaloneBackend"
    assert django_settings.AXES_ENABLED is False


@pytest.mark.parametrize(
    "password, problem",
    [
        ("short-2026", "at least 12 characters"),
        ("password1234", "too common"),
        ("123456789012", "entirely numeric"),
        ("nice-member-2026", "too similar"),
    ],
)
def test_weak_passwords_are_refused(member, password, problem):
    with pytest.raises(ValidationError) as refused:
        validate_password(password, member)
    assert any(problem in message for message in refused.value.messages)


def test_a_long_uncommon_password_is_accepted(member):
    validate_password("lantern-harbour-quietly-2026", member)


def test_sessions_end_after_a_working_day_and_with_the_browser(member, client):
    response = post_login(client, "/accounts/login/", "nice-member", PASSWORD)
    cookie = response.cookies[django_settings.SESSION_COOKIE_NAME]
    assert cookie["httponly"]
    assert cookie["samesite"] == "Lax"
    assert not cookie["max-age"]  # a browser-session cookie
    assert client.session.get_expiry_age() == 8 * 60 * 60


def test_a_member_form_post_without_csrf_token_is_refused():
    cast = make_review_cast()
    debrief = make_debrief(cast.nice, marking=Marking.GREEN)
    lesson = make_lesson(debrief, live=False)
    round = make_review_round(lesson, cast.editor)
    make_accepted_review(round, cast.bcn, cast.coordinator)
    url = f"/reviews/rounds/{round.pk}/comments/"
    client = Client(enforce_csrf_checks=True)
    client.force_login(cast.bcn)

    refused = client.post(url, {"body": "Forged comment", "section": "general"})
    assert refused.status_code == 403
    assert "CSRF" in refused.text
    assert not Comment.objects.filter(body__contains="Forged").exists()

    client.get(f"/reviews/rounds/{round.pk}/")
    token = client.cookies[django_settings.CSRF_COOKIE_NAME].value
    accepted = client.post(
        url, {"body": "Real comment", "section": "general", "csrfmiddlewaretoken": token}
    )
    assert accepted.status_code == 302
    assert Comment.objects.filter(body__contains="Real comment").exists()


def test_an_api_session_post_without_csrf_token_is_refused(rf):
    nice = make_city("Nice")
    police = make_organisation("Nice police", nice)
    committee = make_member("nice-committee", nice, "committee", organisation=police)
    lesson = make_lesson(make_debrief(nice, marking=Marking.GREEN))
    action = make_action(lesson, police, status="in_progress")
    url = f"/api/v1/actions/{action.pk}/updates"
    client = Client(enforce_csrf_checks=True)
    client.force_login(committee)

    refused = client.post(url, {"note": "Forged note"}, content_type="application/json")
    assert refused.status_code == 403
    assert "CSRF" in refused.text
    assert not ProgressUpdate.objects.filter(text__contains="Forged").exists()

    client.get("/")  # any page sets the CSRF cookie for the logged-in member
    token = client.cookies.get(django_settings.CSRF_COOKIE_NAME)
    token = token.value if token else get_token(rf.get("/"))
    accepted = client.post(
        url, {"note": "Real note"}, content_type="application/json", headers={"X-CSRFToken": token}
    )
    assert accepted.status_code == 201, accepted.text
    assert ProgressUpdate.objects.filter(text__contains="Real note").exists()
