"""An action's own fields: its dates keep their order and a new one is not due in the past;
its point of contact is a member who may see it. Refusals name the field, on every channel."""

import datetime

import pytest
from django.test import Client
from django.utils import timezone

from lessons.tracking import logic
from lessons.tracking.logic import TransitionRefused
from lessons.tracking.models import Action
from tests.factories import make_action, make_member
from tests.lessons.tracking_world import build_world

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)


@pytest.fixture
def world():
    return build_world()


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _propose(world, **fields):
    recommendation = world.lesson.recommendations.first()
    data = {
        "corrective_action": "Buy interoperable radios",
        "responsible_organisation": world.fire.pk,
        "priority": "medium",
        **fields,
    }
    url = f"/tracker/recommendations/{recommendation.pk}/actions/new/"
    return _client(world.committee).post(url, data)


def _field_errors(response, name: str) -> str:
    return " ".join(response.context["form"].errors.get(name, []))


def test_a_new_action_due_in_the_past_is_refused_with_the_field_named(world):
    response = _propose(world, due_date="2020-01-01")
    assert response.status_code == 200
    assert "Due date:" in _field_errors(response, "due_date")
    assert "in the past" in response.content.decode()
    assert not Action.objects.filter(corrective_action="Buy interoperable radios").exists()


def test_a_start_after_the_due_date_is_refused_with_the_field_named(world):
    today = timezone.localdate()
    response = _propose(world, start_date=str(today + 30 * DAY), due_date=str(today + 10 * DAY))
    assert "Start date:" in _field_errors(response, "start_date")
    assert "is after the due date" in _field_errors(response, "start_date")
    assert not Action.objects.filter(corrective_action="Buy interoperable radios").exists()


def test_sound_dates_are_accepted(world):
    today = timezone.localdate()
    response = _propose(world, start_date=str(today), due_date=str(today + 10 * DAY))
    assert response.status_code == 302
    assert Action.objects.get(corrective_action="Buy interoperable radios").due_date


def test_the_logic_refuses_the_same_dates_for_every_other_caller(world):
    recommendation = world.lesson.recommendations.first()
    today = timezone.localdate()
    with pytest.raises(TransitionRefused) as refused:
        logic.create_action(
            world.committee,
            recommendation,
            corrective_action="x",
            responsible_organisation=world.fire,
            due_date=today - DAY,
        )
    assert refused.value.field == "due_date"
    with pytest.raises(TransitionRefused) as refused:
        logic.create_action(
            world.committee,
            recommendation,
            corrective_action="x",
            responsible_organisation=world.fire,
            start_date=today + 5 * DAY,
            due_date=today + DAY,
        )
    assert refused.value.field == "start_date"


def test_a_completion_before_the_start_is_refused_through_the_api(world):
    today = timezone.localdate()
    action = make_action(
        world.lesson,
        world.fire,
        status="in_progress",
        start_date=today + 20 * DAY,
        due_date=today + 40 * DAY,
    )
    client = _client(world.owner)
    response = client.post(
        f"/api/v1/actions/{action.pk}/transition",
        {"transition": "implement", "note": "Done early"},
        content_type="application/json",
    )
    assert response.status_code == 422
    body = response.json()
    assert body["field"] == "completion_date" and "before the start date" in body["detail"]
    action.refresh_from_db()
    assert action.status == "in_progress" and action.completion_date is None


def test_an_existing_overdue_action_may_still_be_started(world):
    action = make_action(
        world.lesson, world.fire, status="accepted", due_date=datetime.date(2020, 1, 1)
    )
    logic.start(world.owner, action)
    assert Action.objects.get(pk=action.pk).status == "in_progress"


def test_the_point_of_contact_offers_only_members_who_may_see_the_action(world, django_user_model):
    django_user_model.objects.create_superuser("platform-admin", "a@example.org", "pw")
    make_member("loose-account", None)
    recommendation = world.lesson.recommendations.first()
    page = _client(world.committee).get(
        f"/tracker/recommendations/{recommendation.pk}/actions/new/"
    )
    offered = {user.username for user in page.context["form"].fields["point_of_contact"].queryset}
    assert {"fire-owner", "nice-committee", "berlin-committee"} <= offered  # GREEN lesson
    assert "platform-admin" not in offered and "loose-account" not in offered


def test_a_contact_who_may_not_see_the_action_is_refused_with_the_field_named(world):
    secret = world.secret_lesson.recommendations.first()
    url = f"/tracker/recommendations/{secret.pk}/actions/new/"
    client = _client(world.committee)
    offered = client.get(url).context["form"].fields["point_of_contact"].queryset
    assert not offered.filter(pk=world.berlin_committee.pk).exists()  # AMBER+STRICT, Nice
    response = client.post(
        url,
        {
            "corrective_action": "Strict drill",
            "responsible_organisation": world.fire.pk,
            "priority": "medium",
            "point_of_contact": world.berlin_committee.pk,
        },
    )
    assert "Point of contact:" in _field_errors(response, "point_of_contact")
    assert not Action.objects.filter(corrective_action="Strict drill").exists()
    with pytest.raises(TransitionRefused) as refused:
        logic.create_action(
            world.committee,
            secret,
            corrective_action="Strict drill",
            responsible_organisation=world.fire,
            point_of_contact=world.berlin_committee,
        )
    assert refused.value.field == "point_of_contact"


def test_the_new_action_form_labels_every_field_in_the_readers_language(world):
    """Found walking the demo: the labels after the first were English on the German form."""
    recommendation = world.lesson.recommendations.first()
    url = f"/tracker/recommendations/{recommendation.pk}/actions/new/"
    page = _client(world.committee).get(url, HTTP_ACCEPT_LANGUAGE="de").content.decode()
    for label in ("Verantwortliche Organisation", "Ansprechperson", "Beginn", "Fälligkeit"):
        assert f">{label}:</label>" in page or f">{label}</label>" in page, label
    assert "Priorität" in page
    for english in ("Responsible organisation", "Point of contact", "Start date", "Due date"):
        assert english not in page
