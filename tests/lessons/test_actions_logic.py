"""The action lifecycle: one function per transition, each refusing clearly."""

import pytest
from wagtail.models import ModelLogEntry

from kb.models import Notification
from lessons.tracking import logic
from lessons.tracking.logic import Evidence, TransitionRefused
from tests.factories import make_action
from tests.lessons.tracking_world import build_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return build_world()


def _refused(call) -> TransitionRefused:
    with pytest.raises(TransitionRefused) as info:
        call()
    return info.value


def test_full_lifecycle_ends_validated_with_audit_log_and_notifications(world):
    action = world.action
    logic.accept(world.owner, action)
    logic.start(world.owner, action)
    assert action.start_date is not None
    logic.implement(world.owner, action, Evidence(note="Talk group configured"))
    assert action.completion_date is not None
    logic.validate(world.committee, action, Evidence(link="https://example.org/exercise"))
    action.refresh_from_db()
    assert action.status == "validated"
    logged = set(
        ModelLogEntry.objects.filter(object_id=str(action.pk)).values_list("action", flat=True)
    )
    assert {
        "kb.action.accepted",
        "kb.action.in_progress",
        "kb.action.implemented",
        "kb.action.validated",
    } <= logged
    assert action.updates.count() == 4
    # The committee heard of the implementation; the owner of the validation.
    assert Notification.objects.filter(recipient=world.committee, kind="action_implemented")
    assert Notification.objects.filter(recipient=world.owner, kind="action_validated")


def test_decline_without_reason_is_refused_naming_the_rule(world):
    error = _refused(lambda: logic.decline(world.owner, world.action, "  "))
    assert error.rule == "reason_required"
    assert "reason is required to decline" in error.message
    world.action.refresh_from_db()
    assert world.action.status == "proposed"


def test_decline_with_reason_records_it(world):
    logic.decline(world.owner, world.action, "No budget this year")
    world.action.refresh_from_db()
    assert world.action.status == "declined"
    assert world.action.status_reason == "No budget this year"


def test_owner_of_another_organisation_is_refused(world):
    error = _refused(lambda: logic.accept(world.other_owner, world.action))
    assert error.rule == "owner_only" and error.forbidden
    assert "Nice Fire" in error.message


def test_implement_without_evidence_is_refused(world):
    logic.accept(world.owner, world.action)
    logic.start(world.owner, world.action)
    error = _refused(lambda: logic.implement(world.owner, world.action, Evidence()))
    assert error.rule == "evidence_required"
    assert "Evidence is required" in error.message


def test_validate_without_evidence_is_refused(world):
    action = make_action(world.lesson, world.fire, status="implemented")
    error = _refused(lambda: logic.validate(world.committee, action, Evidence(note=" ")))
    assert error.rule == "evidence_required"
    assert "Validation needs its evidence" in error.message


@pytest.mark.parametrize("who", ["owner", "reader", "berlin_committee", "network"])
def test_validate_by_anyone_but_the_city_committee_is_refused(world, who):
    action = make_action(world.lesson, world.fire, status="implemented")
    user = getattr(world, who)
    error = _refused(lambda: logic.validate(user, action, Evidence(note="Exercise X")))
    assert error.rule == "committee_only"
    assert "oversight committee of Nice" in error.message
    action.refresh_from_db()
    assert action.status == "implemented"


def test_transition_from_the_wrong_status_is_refused(world):
    error = _refused(lambda: logic.start(world.owner, world.action))
    assert error.rule == "wrong_status"
    assert "Cannot start an action that is proposed" in error.message


def test_reopen_needs_a_reason_and_validated_reopens_only_by_committee(world):
    action = make_action(world.lesson, world.fire, status="validated")
    assert _refused(lambda: logic.reopen(world.committee, action, "")).rule == "reason_required"
    assert _refused(lambda: logic.reopen(world.owner, action, "x")).rule == "committee_only"
    logic.reopen(world.committee, action, "The exercise showed gaps")
    action.refresh_from_db()
    assert action.status == "in_progress" and action.completion_date is None


def test_member_who_may_not_see_the_lesson_is_refused(world):
    action = make_action(world.secret_lesson, world.fire, status="implemented")
    error = _refused(lambda: logic.validate(world.berlin_committee, action, Evidence(note="x")))
    assert error.rule == "not_visible"


def test_bad_evidence_link_is_refused(world):
    error = _refused(
        lambda: logic.post_update(world.owner, world.action, Evidence(link="javascript:alert(1)"))
    )
    assert error.rule == "evidence_link"


def test_progress_update_touches_last_update(world):
    before = world.action.last_update_at
    logic.post_update(world.owner, world.action, Evidence(note="Half done"))
    world.action.refresh_from_db()
    assert world.action.last_update_at > before
    assert world.action.status == "proposed"


def test_create_action_only_by_the_city_committee(world):
    recommendation = world.lesson.recommendations.first()
    with pytest.raises(TransitionRefused) as info:
        logic.create_action(
            world.owner, recommendation, corrective_action="x", responsible_organisation=world.fire
        )
    assert info.value.rule == "committee_only"
    action = logic.create_action(
        world.committee,
        recommendation,
        corrective_action="Train",
        responsible_organisation=world.fire,
    )
    assert action.status == "proposed" and action.capability_element == "equipment"
    assert Notification.objects.filter(recipient=world.owner, kind="action_created")
