"""Finding your way: the unread badge, reading one notice, links per role, /tracker/."""

import pytest
from django.test import Client

from kb.models import Notification
from kb.notifications import describe, notify, register_describer
from tests.factories import make_city, make_member

pytestmark = pytest.mark.django_db


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _nav(page: str) -> str:
    return page[page.index('<nav class="site-nav"') : page.index("</nav>")]


def test_the_header_counts_unread_notices_and_the_count_falls_when_one_is_read():
    user = make_member("nice-owner", make_city("Nice"), "owner")
    for n in range(3):
        notify(user, "action", f"Action {n} is overdue", f"/tracker/actions/{n}/", email=False)
    client = _client(user)
    home = client.get("/").content.decode()
    assert 'data-unread="3">3<span class="visually-hidden"> unread' in home
    first = Notification.objects.filter(recipient=user).last()
    response = client.post(f"/notifications/{first.pk}/read/", {"open": "1"})
    assert response.status_code == 302 and response["Location"] == first.url
    assert 'data-unread="2"' in client.get("/lessons/").content.decode()
    client.post("/notifications/")
    assert "data-unread" not in client.get("/lessons/").content.decode()


def test_nobody_marks_another_members_notice_read():
    nice = make_city("Nice")
    owner, other = make_member("owner", nice, "owner"), make_member("other", nice, "owner")
    notify(owner, "action", "Yours", "/", email=False)
    notice = Notification.objects.get(recipient=owner)
    assert _client(other).post(f"/notifications/{notice.pk}/read/").status_code == 404
    notice.refresh_from_db()
    assert notice.read_at is None


def test_a_registered_describer_rewrites_the_notice_for_its_reader():
    nice = make_city("Nice")
    user = make_member("reader", nice, "")
    register_describer("test_city", lambda city, reader: f"News of {city.name} for {reader}")
    notify(user, "test_city", "Neutral message", "/", email=False, subject=nice)
    notice = Notification.objects.get(recipient=user)
    assert describe(notice, user) == "News of Nice for reader"
    assert "News of Nice for reader" in _client(user).get("/notifications/").content.decode()


@pytest.mark.parametrize(
    "roles, shown, hidden",
    [
        ("", [], ["My actions", "Dashboard", "My reviews"]),
        ("owner", ["My actions"], ["Dashboard", "My reviews"]),
        ("committee", ["My actions", "Dashboard"], ["My reviews"]),
        ("reviewer", ["My reviews"], ["My actions", "Dashboard"]),
    ],
)
def test_the_header_links_only_what_each_role_can_use(roles, shown, hidden):
    member = make_member("m", make_city("Nice"), roles)
    nav = _nav(_client(member).get("/lessons/").content.decode())
    assert all(f">{label}</a>" in nav for label in shown), nav
    assert not any(f">{label}</a>" in nav for label in hidden), nav


def test_tracker_start_sends_each_role_to_its_page():
    nice = make_city("Nice")
    committee = _client(make_member("c", nice, "committee")).get("/tracker/")
    owner = _client(make_member("o", nice, "owner")).get("/tracker/")
    reader = _client(make_member("r", nice, "")).get("/tracker/")
    assert committee["Location"] == "/tracker/dashboard/"
    assert owner["Location"] == "/tracker/actions/"
    assert reader.status_code == 403
    page = reader.content.decode()
    assert "Not available to you" in page and "oversight committees and action owners" in page
    assert 'href="/lessons/"' in page and "/tracker/dashboard/" not in page
