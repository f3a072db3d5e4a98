"""A session left idle ends at the next page load; a form sent after long typing does not
lose what was written."""

import time

import pytest
from django.test import Client

from kb.models import Notification
from kb.security.idle import LAST_SEEN
from tests.factories import make_city, make_member

pytestmark = pytest.mark.django_db
IDLE_NOTE = "You were logged out after a time without activity."


@pytest.fixture
def member_client(settings):
    settings.KB_IDLE_MINUTES = 30
    member = make_member("nice-reader", make_city("Nice"), "")
    client = Client()
    client.force_login(member)
    assert client.get("/notifications/").status_code == 200  # the session's first page
    client.member = member
    return client


def _idle_for(client: Client, minutes: float) -> None:
    session = client.session
    session[LAST_SEEN] = time.time() - minutes * 60
    session.save()


def test_a_page_opened_after_the_idle_limit_asks_to_log_in_again_and_returns(member_client):
    _idle_for(member_client, 31)
    response = member_client.get("/notifications/?page=1")
    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/?next=%2Fnotifications%2F%3Fpage%3D1")
    login_page = member_client.get(response.url).content.decode()
    assert IDLE_NOTE in login_page
    # Logged out for good: the next members' page asks for the login again, without the note.
    again = member_client.get("/notifications/")
    assert again.status_code == 302 and "idle=1" not in again.url


def test_a_reader_active_within_the_limit_stays_logged_in(member_client):
    _idle_for(member_client, 29)
    assert member_client.get("/notifications/").status_code == 200
    assert time.time() - member_client.session[LAST_SEEN] < 5  # the clock starts again


def test_a_form_sent_after_the_limit_is_not_lost(member_client):
    Notification.objects.create(recipient=member_client.member, kind="test", message="Hello")
    _idle_for(member_client, 45)
    response = member_client.post("/notifications/")
    assert response.status_code == 302 and response.url == "/notifications/"
    assert Notification.objects.get().read_at is not None


def test_an_api_call_on_an_idle_session_is_told_to_log_in_again(member_client):
    _idle_for(member_client, 31)
    response = member_client.get("/api/v1/actions")
    assert response.status_code == 401
    assert "without activity" in response.json()["detail"]


def test_no_limit_when_turned_off(member_client, settings):
    settings.KB_IDLE_MINUTES = 0
    _idle_for(member_client, 600)
    assert member_client.get("/notifications/").status_code == 200
