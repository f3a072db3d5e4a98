"""The committee dashboard's cached figures stay exact: a write, the clock and who is
asking each give the figures a fresh computation."""

import datetime

import pytest
from django.utils import timezone

from kb import dataversion
from lessons.tracking import logic
from lessons.tracking.dashboard import scope_for
from lessons.tracking.dashboard_cache import dashboard
from lessons.tracking.models import Action
from tests.factories import make_action
from tests.lessons.tracking_world import build_world_with_actions

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return build_world_with_actions()


def test_a_transition_after_the_page_was_seen_shows_at_once(client, world):
    client.force_login(world.committee)
    before = client.get("/tracker/dashboard/").content.decode()
    assert 'data-status="proposed">1<' in before and 'data-status="accepted">0<' in before
    logic.accept(world.owner, world.action)
    after = client.get("/tracker/dashboard/").content.decode()
    assert 'data-status="proposed">0<' in after and 'data-status="accepted">1<' in after


def test_an_action_saved_outside_the_tracker_shows_its_new_wording(client, world):
    client.force_login(world.committee)
    assert "Late drill" in client.get("/tracker/dashboard/").content.decode()
    late = Action.objects.get(corrective_action="Late drill")
    late.corrective_action = "Evacuation drill, rescheduled"
    late.save()
    html = client.get("/tracker/dashboard/").content.decode()
    assert "Evacuation drill, rescheduled" in html and "Late drill" not in html


def test_the_same_figures_differ_for_who_may_see_the_strict_lesson(client, world):
    client.force_login(world.network)
    html = client.get("/tracker/dashboard/?city=Nice").content.decode()
    assert "Strict action" not in html
    client.force_login(world.committee)  # Nice's own committee meets AMBER+STRICT
    assert "Strict action" in client.get("/tracker/dashboard/?city=Nice").content.decode()


def test_an_action_turns_stale_when_the_clock_passes_its_threshold(
    world, django_assert_max_num_queries
):
    quiet = make_action(world.lesson, world.fire, corrective_action="Quiet action")
    now = timezone.now()
    nearly = now - datetime.timedelta(days=59, hours=23)
    type(quiet).objects.filter(pk=quiet.pk).update(last_update_at=nearly)
    dataversion.bump()  # as every bulk write does
    scope = scope_for(world.committee)
    first = dashboard(world.committee, scope, {}, now=now)
    assert "Quiet action" not in [action.corrective_action for action in first["stale"]]
    with django_assert_max_num_queries(2):  # the data version and the membership
        assert (
            dashboard(world.committee, scope, {}, now=now + datetime.timedelta(minutes=59)) == first
        )
    later = dashboard(world.committee, scope, {}, now=now + datetime.timedelta(hours=2))
    assert "Quiet action" in [action.corrective_action for action in later["stale"]]
    assert later["stale_count"] == first["stale_count"] + 1


def test_a_review_comment_keeps_the_cached_figures(world, django_assert_max_num_queries):
    from peer_review.models import Comment, ReviewRound

    scope = scope_for(world.committee)
    first = dashboard(world.committee, scope, {})
    round = ReviewRound.objects.create(page=world.lesson)
    Comment.objects.create(round=round, author=world.committee, body="<p>Looks right.</p>")
    with django_assert_max_num_queries(2):  # the data version and the membership
        assert dashboard(world.committee, scope, {}) == first
