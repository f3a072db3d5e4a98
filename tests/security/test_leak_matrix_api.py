"""Leak matrix, API, tracker, peer review, e-mails and notifications: every marking x kind
of user x endpoint that lists or shows lessons, debriefs, actions or review rounds."""

import pytest

from kb.models import Notification
from tests.security import leak_checks
from tests.security.leak_checks import Matrix
from tests.security.leak_world import USERS

pytestmark = pytest.mark.django_db
world = leak_checks.world


@pytest.mark.parametrize("who", USERS)
def test_api_lists_and_details_answer_only_what_the_user_may_see(world, who):
    m = Matrix(world, who)
    lessons, debriefs = m.visible(world.lessons), m.visible(world.debriefs)
    m.get("/api/v1/lessons", "/api/v1/lessons", {"page_size": 100}, lists=lessons, status=200)
    m.get("/api/v1/debriefs", "/api/v1/debriefs", {"page_size": 100}, lists=debriefs, status=200)
    m.get("/api/v1/cities", "/api/v1/cities")
    for item in world.items:
        allowed = m.may_see(item)
        m.get(
            f"/api/v1/{item.kind}s/{{id}} {item.key}",
            f"/api/v1/{item.kind}s/{item.page.pk}",
            lists=[item] if allowed else [],
            shows_text=[item] if allowed else [],
            status=200 if allowed else 404,
        )
    m.assert_clean()


@pytest.mark.parametrize("who", USERS)
def test_actions_and_exports_carry_only_visible_lessons(world, who):
    m = Matrix(world, who)
    lessons = m.visible(world.lessons)
    # Actions are for logged-in users; the public reads lessons, not the tracker.
    signed_in = who not in ("anonymous", "inactive")
    listed = lessons if signed_in else []
    m.get("/api/v1/actions", "/api/v1/actions", {"page_size": 100}, lists=listed)
    for action in world.actions:
        item = next(i for i in world.lessons if i.page.pk == action.recommendation.lesson_id)
        allowed = m.may_see(item) and signed_in
        ok = 200 if allowed else (401, 403, 404)
        m.get(
            "/api/v1/actions/{id}",
            f"/api/v1/actions/{action.pk}",
            status=ok,
            lists=[item] if allowed else [],
        )
        m.get("/api/v1/actions/{id}/updates", f"/api/v1/actions/{action.pk}/updates")
        m.get(
            "tracker action page",
            f"/tracker/actions/{action.pk}/",
            status=(200,) if allowed else (302, 403, 404),
        )
    for url in ["/tracker/actions/", "/tracker/actions/all/", "/tracker/dashboard/"]:
        m.get(url, url)
    m.get("improvement plan CSV", "/tracker/improvement-plan.csv")
    m.get("improvement plan XLSX", "/tracker/improvement-plan.xlsx")
    if who == "owner_member":  # the owning city's committee: the export lists what it sees
        m.get(
            "improvement plan CSV (committee)",
            "/tracker/improvement-plan.csv",
            lists=lessons,
            status=200,
        )
    m.assert_clean()


@pytest.mark.parametrize("who", USERS)
def test_peer_review_pages_and_api_name_only_visible_material(world, who):
    m = Matrix(world, who)
    m.get("/api/v1/reviews/rounds", "/api/v1/reviews/rounds")
    m.get("/api/v1/reviews/assignments", "/api/v1/reviews/assignments")
    m.get("reviewer workspace", "/reviews/")
    m.get("coordinator page", "/reviews/coordinator/")
    for key, round in world.rounds.items():
        m.get(f"/api/v1/reviews/rounds/{{id}} {key}", f"/api/v1/reviews/rounds/{round.pk}")
        m.get(f"round page {key}", f"/reviews/rounds/{round.pk}/")
    m.assert_clean()


@pytest.mark.parametrize("who", [w for w in USERS if w != "anonymous"])
def test_notifications_and_emails_name_only_visible_material(world, who):
    """Messages are judged by what the recipient could see when they were sent (a reviewer
    is told the title while the round is open); the notifications page of someone who is no
    longer a member shows nothing restricted any more."""
    m = Matrix(world, who)
    user = world.users[who]

    def when_sent(item):
        return who in item.notified_to

    stored = " ".join(f"{n.message} {n.url}" for n in Notification.objects.filter(recipient=user))
    m.check("in-site notifications (stored)", stored, may_see=when_sent)
    member_now = who not in ("former_member", "inactive", "no_membership")
    page = m.client.get("/notifications/")
    m.check("notifications page", page.content.decode(), may_see=when_sent if member_now else None)
    mails = [
        f"{message.subject} {message.body} {getattr(message, 'alternatives', '')}"
        for message in world.mail
        if user.email in message.to + message.cc + message.bcc
    ]
    m.check("e-mails", " ".join(mails), may_see=when_sent)
    m.assert_clean()


def test_the_world_sent_notifications_to_check(world):
    """The e-mail and notification cells above are empty checks unless mail was sent."""
    recipients = {address for message in world.mail for address in message.to}
    assert world.users["other_member"].email in recipients  # point of contact, overdue
    assert world.users["owner_member"].email in recipients  # the city's committee
    assert world.users["reviewer_open"].email in recipients  # invited reviewer
