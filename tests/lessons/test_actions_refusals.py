"""Every illegal transition of the issue's "Must show" list is refused with the same clear
message on the site and in the API, and leaves the action unchanged."""

import html

import pytest
from wagtail.models import APIToken

from tests.factories import make_action
from tests.lessons.tracking_world import build_world

pytestmark = pytest.mark.django_db

CASES = [
    # (who, status before, transition, form fields, rule, HTTP status, message)
    (
        "committee",
        "implemented",
        "validate",
        {},
        "evidence_required",
        422,
        "Validation needs its evidence (e.g. the exercise that tested it)",
    ),
    (
        "owner",
        "proposed",
        "decline",
        {"reason": "  "},
        "reason_required",
        422,
        "A reason is required to decline an action (the organisation's formal non-concurrence).",
    ),
    (
        "other_owner",
        "proposed",
        "accept",
        {},
        "owner_only",
        403,
        "Only an action owner of the responsible organisation (Nice Fire) may change this action.",
    ),
    (
        "owner",
        "implemented",
        "validate",
        {"note": "Exercise Baie 2024"},
        "committee_only",
        403,
        "Only the oversight committee of Nice may validate an action.",
    ),
    (
        "owner",
        "in_progress",
        "implement",
        {},
        "evidence_required",
        422,
        "Evidence is required to mark an action implemented (a note, a link or a file).",
    ),
    (
        "owner",
        "proposed",
        "implement",
        {"note": "Done"},
        "wrong_status",
        422,
        "Cannot implement an action that is proposed; only from: in progress.",
    ),
]


@pytest.fixture
def world():
    return build_world()


@pytest.mark.parametrize("who, before, name, fields, rule, status, message", CASES)
def test_refused_alike_on_the_site_and_in_the_api(
    client, world, who, before, name, fields, rule, status, message
):
    user = getattr(world, who)
    action = make_action(world.lesson, world.fire, status=before)
    client.force_login(user)
    response = client.post(
        f"/tracker/actions/{action.pk}/transition/", {"transition": name, **fields}
    )
    assert response.status_code == status
    assert message in html.unescape(response.content.decode())
    client.logout()
    token = APIToken.create_token(user=user, name="t")[1]
    response = client.post(
        f"/api/v1/actions/{action.pk}/transition",
        {"transition": name, **fields},
        content_type="application/json",
        headers={"Authorization": f"Token {token}"},
    )
    assert response.status_code == status
    assert response.json()["rule"] == rule
    assert message in response.json()["detail"]
    action.refresh_from_db()
    assert action.status == before and not action.updates.exists()
