"""The table of the peer review's moves is what the log, the forms and the round page read."""

from __future__ import annotations

import pytest
from wagtail.log_actions import registry

from kb.choices import Marking
from peer_review import transitions, views
from peer_review.forms import DecisionForm, RecommendationForm
from peer_review.models import ENDORSING, AssignmentState, Recommendation, RoundState
from tests.factories import make_accepted_review, make_debrief, make_lesson, make_review_round

pytestmark = pytest.mark.django_db


@pytest.fixture
def round(cast):
    lesson = make_lesson(make_debrief(cast.nice, marking=Marking.GREEN), live=False)
    return make_review_round(lesson, cast.editor)


def test_every_move_runs_between_known_states_and_logs_a_registered_action():
    moves = [*transitions.ROUND_MOVES.values(), *transitions.ASSIGNMENT_MOVES.values()]
    for move in moves:
        states = RoundState if move in transitions.ROUND_MOVES.values() else AssignmentState
        assert set(move.sources) <= set(states.values) and move.target in states.values
        assert move.log_action in transitions.LOG_ACTIONS
    for action, (label, _message) in transitions.LOG_ACTIONS.items():
        assert registry.action_exists(action)
        assert registry.get_action_label(action) == str(label)


def test_the_forms_offer_the_table_s_decisions_and_endorsing_ones_publish():
    values = list(transitions.DECISIONS)
    assert values == list(Recommendation.values)
    for form in (DecisionForm(), RecommendationForm()):
        field = "decision" if isinstance(form, DecisionForm) else "recommendation"
        assert [value for value, _ in form.fields[field].choices] == values
    assert {d.value for d in transitions.DECISIONS.values() if d.endorses} == set(ENDORSING)


def test_the_site_offers_only_the_table_s_assignment_moves():
    assert set(views._ASSIGNMENT_STEPS) <= set(transitions.ASSIGNMENT_MOVES)


def test_the_coordinator_sees_the_moves_verbs_on_the_round_page(round, cast, as_user):
    make_accepted_review(round, cast.bcn, cast.coordinator)
    page = as_user(cast.coordinator).get(f"/reviews/rounds/{round.pk}/").content.decode()
    assert "Withdraw (re-assign)</button>" in page
    assert "Record the decision</button>" in page
    assert "Invite</button>" in page


def test_a_refused_move_names_its_rule_from_the_table(round, cast):
    assignment = make_accepted_review(round, cast.bcn, cast.coordinator)
    with pytest.raises(transitions.rules.Refused) as refused:
        transitions.WITHDRAW.check_who(cast.bcn, assignment)
    assert refused.value.rule == "coordinator_only"
    assert str(refused.value) == "Only a review coordinator withdraws assignments."
