"""The periodic job computes the committee dashboard's figures ahead of the committee: after
a write that names no city and on a new day, the site then reads what the job left in the
shared cache instead of computing every city again."""

import datetime
from contextlib import contextmanager

import pytest
from django.core.management import call_command
from django.utils import timezone

from kb import dataversion
from kb.models import Theme
from lessons.tracking import dashboard_cache, dashboard_parts
from lessons.tracking.dashboard import dashboard as from_scratch
from lessons.tracking.dashboard import scope_for
from lessons.tracking.dashboard_cache import dashboard
from lessons.tracking.dashboard_warm import warm_all
from tests.lessons.tracking_world import build_world_with_actions

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(client):
    world = build_world_with_actions()
    for member in (world.network, world.committee):
        client.force_login(member)  # seen lately
    return world


@contextmanager
def another_process():
    """What runs inside starts with an empty memory, as `manage.py tick` does; the site's
    memory is back afterwards."""
    with dashboard_cache._local_lock:
        site = dict(dashboard_cache._local)
        dashboard_cache._local.clear()
    try:
        yield
    finally:
        with dashboard_cache._local_lock:
            dashboard_cache._local.clear()
            dashboard_cache._local.update(site)


@pytest.fixture
def computed(monkeypatch):
    """The cities whose figures the site computes."""
    cities = []
    real = dashboard_parts.city_parts

    def counting(user, city_ids, *args, **kwargs):
        cities.extend(city_ids)
        return real(user, city_ids, *args, **kwargs)

    monkeypatch.setattr(dashboard_cache, "city_parts", counting)
    return cities


def test_after_a_write_naming_no_city_the_site_reads_what_the_job_computed(client, world, computed):
    scope = scope_for(world.network)
    dashboard(world.network, scope, {})
    Theme.objects.create(name="Crowd management")  # the vocabulary: names no city
    with another_process():
        assert warm_all() == 2
    computed.clear()
    served = dashboard(world.network, scope, {})
    assert computed == []
    assert served == from_scratch(world.network, scope, {})
    html = client.get("/tracker/dashboard/").content.decode()  # the committee of Nice
    assert 'data-status="proposed">1<' in html
    assert computed == []


def test_the_job_computes_a_new_day_before_the_first_visit(world, computed):
    scope = scope_for(world.committee)
    dashboard(world.committee, scope, {})
    tomorrow = timezone.now() + datetime.timedelta(days=1)
    with another_process():
        warm_all(today=tomorrow.date(), now=tomorrow)
    computed.clear()
    served = dashboard(world.committee, scope, {}, today=tomorrow.date(), now=tomorrow)
    assert computed == []
    assert served == from_scratch(world.committee, scope, {}, today=tomorrow.date(), now=tomorrow)


def test_a_write_the_job_has_not_seen_yet_is_computed_by_the_site(world, computed):
    scope = scope_for(world.network)
    with another_process():
        warm_all()
    dataversion.bump(world.nice.pk)  # after the job's run
    computed.clear()
    served = dashboard(world.network, scope, {})
    assert computed == [world.nice.pk]
    assert served == from_scratch(world.network, scope, {})


def test_only_committee_members_seen_lately_are_served(world, computed):
    old = timezone.now() - datetime.timedelta(days=30)
    type(world.network).objects.filter(pk=world.network.pk).update(last_login=old)
    type(world.reader).objects.filter(pk=world.reader.pk).update(last_login=timezone.now())
    assert warm_all() == 1  # Nice's committee; not the reader, not the network's member
    assert set(computed) == {world.nice.pk}


def test_tick_runs_the_job(world, capsys):
    call_command("tick")
    assert "dashboard figures ready for 2 committee member(s)" in capsys.readouterr().out


def test_a_debrief_moved_has_the_cities_it_left_and_joined_computed_only(world, computed):
    from tests.factories import make_city

    make_city("Lyon")  # a third city, which the move does not touch
    scope = scope_for(world.network)
    dashboard(world.network, scope, {})
    world.lesson.get_parent().specific.move(world.berlin.page, pos="last-child")
    computed.clear()
    served = dashboard(world.network, scope, {})
    assert sorted(computed) == sorted([world.nice.pk, world.berlin.pk])
    assert served == from_scratch(world.network, scope, {})


def test_a_theme_renamed_has_the_cities_of_its_lessons_computed_only(world, computed):
    theme = Theme.objects.create(name="Crowd management")
    world.lesson.themes.add(theme)  # a lesson of Nice
    world.lesson.save()
    scope = scope_for(world.network)
    dashboard(world.network, scope, {})
    theme.name, theme.slug = "Crowd safety", "crowd-safety"
    theme.save()
    computed.clear()
    served = dashboard(world.network, scope, {})
    assert computed == [world.nice.pk]
    assert served == from_scratch(world.network, scope, {})
    assert "crowd-safety" in [row["slug"] for row in served["by_theme"]]
