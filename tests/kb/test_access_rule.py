"""The marking rule is stated once (kb.access.RULE) and read three ways: may_read() on plain
values, marking_q() as a database filter, and the search tokens. Over every marking and
every kind of viewer the three give the same answer."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from hypothesis import given
from hypothesis import strategies as st

from kb import access
from kb.access import Viewer, marking_q, marking_tokens, may_read, viewer_for, viewer_tokens
from kb.choices import Marking
from kb.directory import current_membership
from kb.models import Membership
from lessons.models import DebriefPage
from tests.factories import make_city, make_debrief, make_member

VIEWERS = [
    "anonymous",
    "non_member",
    "owner_city_member",
    "shared_city_member",
    "other_city_member",
    "recipient",
    "recipient_who_left",
    "superuser",
]
EXPECTED = {
    Marking.CLEAR: set(VIEWERS),
    Marking.GREEN: {
        "owner_city_member",
        "shared_city_member",
        "other_city_member",
        "recipient",
        "superuser",
    },
    Marking.AMBER: {"owner_city_member", "shared_city_member", "superuser"},
    Marking.AMBER_STRICT: {"owner_city_member", "superuser"},
    Marking.RED: {"recipient", "superuser"},
}


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        nice, berlin, oslo = make_city("Nice"), make_city("Berlin"), make_city("Oslo")
        users = {
            "non_member": make_member("drifter", None),
            "owner_city_member": make_member("nice-member", nice, "editor"),
            "shared_city_member": make_member("berlin-member", berlin, "committee"),
            "other_city_member": make_member("oslo-member", oslo, "owner"),
            "recipient": make_member("oslo-named", oslo, "committee"),
            "recipient_who_left": make_member("oslo-gone", oslo, "committee"),
        }
        Membership.objects.filter(user=users["recipient_who_left"]).update(
            ended_on=datetime.date.today() - datetime.timedelta(days=1)
        )
        users["superuser"] = get_user_model().objects.create_superuser("root", "r@x.org", "pw")
        named = [users["recipient"], users["recipient_who_left"]]
        items = {}
        for marking in Marking:
            sharing = {}
            if marking == Marking.AMBER:
                sharing["shared_with"] = [berlin]
            if marking == Marking.RED:
                sharing["recipients"] = named
            title = f"Debrief {marking}"
            items[marking] = make_debrief(nice, title=title, marking=marking, **sharing)
        yield {"users": users, "items": items}
        transaction.set_rollback(True)


def _user(world, who):
    if who == "anonymous":
        return None
    return get_user_model().objects.get(pk=world["users"][who].pk)


@pytest.mark.parametrize("who", VIEWERS)
@pytest.mark.parametrize("marking", list(Marking))
def test_may_read_the_filter_and_the_tokens_agree_on_every_cell(world, db, marking, who):
    item = world["items"][marking]
    user = _user(world, who)
    viewer = viewer_for(user)
    shared = [city.pk for city in item.shared_with.all()]
    recipients = [person.pk for person in item.recipients.all()]

    by_rule = may_read(item.marking, item.owner_city_id, shared, recipients, viewer)
    by_filter = DebriefPage.objects.filter(marking_q(viewer, DebriefPage), pk=item.pk).exists()
    held = viewer_tokens(user)
    tokens = marking_tokens(item.marking, item.owner_city_id, shared, recipients)
    by_tokens = held is None or bool(set(held) & set(tokens))

    assert by_rule == by_filter == by_tokens == (who in EXPECTED[marking])


ids = st.integers(min_value=1, max_value=6)
viewers = st.builds(
    Viewer,
    user_id=st.none() | ids,
    city_id=st.none() | ids,
    is_member=st.booleans(),
    is_superuser=st.booleans(),
).filter(lambda v: v.is_member <= (v.user_id is not None and v.city_id is not None))


def _tokens_of(viewer: Viewer) -> list[str] | None:
    if viewer.is_superuser:
        return None
    return [a.viewer_token(viewer) for a in access.AUDIENCES if a.reaches(viewer)]


@given(
    marking=st.sampled_from(list(Marking)),
    owner=ids,
    shared=st.frozensets(ids, max_size=3),
    recipients=st.frozensets(ids, max_size=3),
    viewer=viewers,
)
def test_may_read_and_the_tokens_agree_on_any_values(marking, owner, shared, recipients, viewer):
    held = _tokens_of(viewer)
    tokens = marking_tokens(marking, owner, shared, recipients)
    by_tokens = held is None or bool(set(held) & set(tokens))
    assert may_read(marking, owner, shared, recipients, viewer) == by_tokens


def test_a_grant_never_opens_red_to_someone_it_does_not_name():
    assert access.grant_allowed(Marking.AMBER_STRICT, [], 7)
    assert not access.grant_allowed(Marking.RED, [3], 7)
    assert access.grant_allowed(Marking.RED, [3, 7], 7)


def test_ending_a_membership_is_seen_at_once_by_the_same_user_object(world, db):
    user = _user(world, "owner_city_member")
    assert viewer_for(user).is_member and current_membership(user) is not None
    membership = Membership.objects.get(user=user, ended_on__isnull=True)
    membership.ended_on = datetime.date.today() - datetime.timedelta(days=1)
    membership.save()
    assert current_membership(user) is None
    assert not viewer_for(user).is_member
    assert not access.can_view(user, world["items"][Marking.AMBER_STRICT])


def test_the_membership_is_looked_up_once_per_user_object(world, db):
    user = _user(world, "shared_city_member")
    with CaptureQueriesContext(connection) as queries:
        current_membership(user)
        current_membership(user)
        viewer_for(user)
    lookups = [q for q in queries.captured_queries if '"kb_membership"' in q["sql"]]
    assert len(lookups) == 1
