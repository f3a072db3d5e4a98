"""The committee dashboard's cached figures never drift from a computation from scratch:
after a write through every path, what a city's committee and a network-wide member are
shown equals figures computed from scratch (lessons.tracking.dashboard_check)."""

import datetime

import pytest
from django.db import connection
from django.utils import timezone
from wagtail.models import APIToken

from kb import dataversion
from kb.choices import Marking
from kb.models import Theme
from lessons.tracking import logic
from lessons.tracking.dashboard import scope_for
from lessons.tracking.dashboard_cache import drift
from lessons.tracking.dashboard_check import check_all
from lessons.tracking.importer import import_updates
from lessons.tracking.models import Action
from tests.lessons.tracking_world import build_world_with_actions

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return build_world_with_actions()


def _seen(client, world) -> None:
    """Both committees' dashboards rendered: their figures are in the cache."""
    for user in (world.committee, world.network, world.berlin_committee):
        client.force_login(user)
        assert client.get("/tracker/dashboard/").status_code == 200
    client.force_login(world.network)
    assert client.get("/tracker/dashboard/?city=Nice").status_code == 200


def _late(world) -> Action:
    return Action.objects.get(corrective_action="Late drill")


def _transition(client, world):
    logic.accept(world.owner, world.action)


def _progress_update(client, world):
    logic.post_update(world.owner, _late(world), logic.Evidence(note="Drill booked"))


def _csv_import(client, world):
    result = import_updates(world.owner, f"action_id,transition\n{world.action.pk},accept\n", False)
    assert not result.errors


def _api_transition(client, world):
    token = APIToken.create_token(user=world.owner, name="t")[1]
    response = client.post(
        f"/api/v1/actions/{world.action.pk}/transition",
        {"transition": "accept"},
        content_type="application/json",
        headers={"Authorization": f"Token {token}"},
    )
    assert response.status_code == 200


def _bulk_page(client, world):
    client.force_login(world.owner)
    client.post("/tracker/actions/bulk/", {f"transition-{world.action.pk}": "accept"})
    assert Action.objects.get(pk=world.action.pk).status == "accepted"


def _saved_as_the_admin_does(client, world):
    late = _late(world)
    late.due_date = timezone.localdate() + datetime.timedelta(days=3)
    late.save()


def _bulk_update(client, world):
    Action.objects.filter(pk=world.action.pk).update(status="in_progress")
    dataversion.bump()  # as every bulk write does


def _created(client, world):
    recommendation = world.lesson.recommendations.first()
    logic.create_action(
        world.committee,
        recommendation,
        corrective_action="New drill",
        responsible_organisation=world.fire,
    )


def _deleted(client, world):
    _late(world).delete()


def _lesson_remarked(client, world):
    world.lesson.marking = Marking.AMBER_STRICT
    world.lesson.save()


def _lesson_themes(client, world):
    world.lesson.themes.set([Theme.objects.exclude(slug="information-sharing").first()])
    world.lesson.save()


def _debrief_moved(client, world):
    world.lesson.get_parent().specific.move(world.berlin.page, pos="last-child")


def _membership_ended(client, world):
    membership = world.committee.memberships.get()
    membership.ended_on = timezone.localdate()
    membership.save()


WRITES = [
    _transition,
    _progress_update,
    _csv_import,
    _api_transition,
    _bulk_page,
    _saved_as_the_admin_does,
    _bulk_update,
    _created,
    _deleted,
    _lesson_remarked,
    _lesson_themes,
    _debrief_moved,
    _membership_ended,
]


@pytest.mark.parametrize("write", WRITES, ids=[write.__name__.strip("_") for write in WRITES])
def test_every_write_path_leaves_no_drift(client, world, write):
    _seen(client, world)
    write(client, world)
    assert check_all() == []
    network = scope_for(world.network)
    assert drift(world.network, network) == []
    nice = scope_for(world.network, "Nice")
    assert drift(world.network, nice) == []


def test_a_write_that_tells_no_one_is_found_and_its_figures_dropped(client, world):
    _seen(client, world)
    client.force_login(world.committee)
    assert 'data-status="proposed">1<' in client.get("/tracker/dashboard/").content.decode()
    # A bulk write that forgets kb.dataversion.bump(): the cache cannot know of it.
    Action.objects.filter(pk=world.action.pk).update(status="accepted")
    assert 'data-status="proposed">1<' in client.get("/tracker/dashboard/").content.decode()
    found = dict(check_all())
    assert "statuses" in found[world.committee.username]
    html = client.get("/tracker/dashboard/").content.decode()
    assert 'data-status="proposed">0<' in html and 'data-status="accepted">1<' in html
    assert check_all() == []


def test_a_write_to_one_city_has_the_network_figures_read_that_city_only(client, world):
    _seen(client, world)
    logic.accept(world.owner, world.action)  # a Nice action
    client.force_login(world.network)
    statements = []

    def record(run, sql, params, *rest):
        statements.append((sql, params))
        return run(sql, params, *rest)

    with connection.execute_wrapper(record):
        html = client.get("/tracker/dashboard/").content.decode()
    assert 'data-status="accepted">1<' in html
    # The parts' queries read one city (Nice: its id among their parameters), not two.
    one = [params for sql, params in statements if 'owner_city_id" IN (%s)' in sql]
    assert one and all(world.nice.pk in params for params in one)
    assert not [sql for sql, _params in statements if 'owner_city_id" IN (%s, %s' in sql]


def test_a_renamed_organisation_shows_at_once_and_no_city_is_computed_again(client, world):
    """The late lists name organisations, read afresh at every render: a write to the
    directory changes no city's kept part."""
    _seen(client, world)
    world.fire.name = "Nice Fire Brigade"
    world.fire.save()
    client.force_login(world.network)
    statements = []
    with connection.execute_wrapper(
        lambda run, sql, *rest: statements.append(sql) or run(sql, *rest)
    ):
        html = client.get("/tracker/dashboard/").content.decode()
    assert "Nice Fire Brigade" in html  # the overdue "Late drill" of Nice Fire
    assert not [sql for sql in statements if "GROUP BY" in sql]  # no part computed
    assert check_all() == []
