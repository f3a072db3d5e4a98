import pytest
from django.core import mail
from django.test import Client

from kb.choices import Marking
from kb.notifications import notify, safe_title
from tests.factories import make_city, make_debrief, make_lesson, make_member

pytestmark = pytest.mark.django_db


def test_a_notification_with_a_key_is_sent_once(django_capture_on_commit_callbacks):
    user = make_member("nice-reviewer", make_city("Nice"), "reviewer")
    with django_capture_on_commit_callbacks(execute=True):
        first = notify(user, "reminder", "Your review is due", "/reviews/", dedupe_key="r:1")
        second = notify(user, "reminder", "Your review is due", "/reviews/", dedupe_key="r:1")
    assert (first, second) == (True, False)
    assert len(mail.outbox) == 1
    assert "Your review is due" in mail.outbox[0].body


def test_safe_title_names_a_page_only_to_those_who_may_see_it():
    nice, oslo = make_city("Nice"), make_city("Oslo")
    lesson = make_lesson(make_debrief(nice, marking=Marking.AMBER_STRICT), title="Secret drill")
    assert safe_title(make_member("n", nice), lesson) == "“Secret drill”"
    assert safe_title(make_member("o", oslo), lesson, "a lesson") == "a lesson"


def test_member_reads_their_notifications_and_marks_them_read():
    user = make_member("nice-owner", make_city("Nice"), "owner")
    notify(user, "action", "An action is overdue", "/actions/1/", email=False)
    client = Client()
    client.force_login(user)
    body = client.get("/notifications/").content.decode()
    assert "An action is overdue" in body and "New" in body
    client.post("/notifications/")
    assert "New</strong>" not in client.get("/notifications/").content.decode()


def test_notifications_page_shows_an_empty_state():
    client = Client()
    client.force_login(make_member("nice-owner", make_city("Nice"), "owner"))
    assert "You have no notifications." in client.get("/notifications/").content.decode()
