"""The table of an action's moves is what the log, the forms, the API and the pages read."""

import pytest
from wagtail.log_actions import registry
from wagtail.models import ModelLogEntry

from kb.choices import ActionStatus
from lessons.tracking import logic, transitions
from lessons.tracking.forms import TransitionForm
from tests.factories import make_action
from tests.lessons.tracking_world import build_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return build_world()


def test_every_move_runs_between_known_statuses_and_every_status_has_a_way_on():
    statuses = set(ActionStatus.values)
    for move in transitions.MOVES:
        assert set(move.sources) <= statuses and move.target in statuses
        assert {target for _, target in move.returns_to} <= statuses
    left = {source for move in transitions.MOVES for source in move.sources}
    assert left == statuses  # a validated action too: the committee may reopen it


def test_every_log_action_of_the_table_is_registered_with_wagtail():
    for action, label in transitions.LOG_ACTIONS.items():
        assert registry.action_exists(action)
        assert registry.get_action_label(action) == str(label)


def test_the_form_and_the_api_offer_exactly_the_table_s_moves(client):
    assert [name for name, _ in TransitionForm().fields["transition"].choices] == list(
        transitions.NAMES
    )
    schema = client.get("/api/v1/openapi.json").json()["components"]["schemas"]
    assert schema["TransitionIn"]["properties"]["transition"]["enum"] == list(transitions.NAMES)


def test_buttons_show_the_verbs_of_the_moves_the_user_may_make(client, world):
    client.force_login(world.owner)
    page = client.get(f"/tracker/actions/{world.action.pk}/").content.decode()
    assert 'value="accept" required> Accept</label>' in page
    assert 'value="decline" required> Decline</label>' in page
    assert 'value="validate"' not in page
    assert "Reason (required to decline or reopen)" in page


def test_reopening_a_declined_action_proposes_it_again_with_the_reason_logged(world):
    action = make_action(world.lesson, world.fire, status="declined")
    logic.reopen(world.owner, action, "The budget came through")
    action.refresh_from_db()
    assert action.status == "proposed" and action.status_reason == "The budget came through"
    entry = ModelLogEntry.objects.filter(object_id=str(action.pk)).latest("timestamp")
    assert entry.action == "kb.action.reopened"
    assert entry.data["from"] == "declined" and entry.data["to"] == "proposed"
    assert entry.data["reason"] == "The budget came through"


def test_an_unknown_move_is_refused_by_name(world):
    with pytest.raises(logic.TransitionRefused) as refused:
        logic.apply("promote", world.owner, world.action)
    assert refused.value.rule == "unknown_transition"
