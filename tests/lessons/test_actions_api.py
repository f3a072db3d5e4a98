"""Actions in the API: readable by who may see them, progress writable under the same rules."""

import pytest
from wagtail.models import APIToken

from tests.factories import make_action
from tests.lessons.tracking_world import build_world

pytestmark = pytest.mark.django_db
API = "/api/v1"


@pytest.fixture
def world():
    return build_world()


def _headers(user) -> dict:
    return {"Authorization": f"Token {APIToken.create_token(user=user, name='t')[1]}"}


def _post(client, user, path, body):
    return client.post(
        f"{API}{path}", body, content_type="application/json", headers=_headers(user)
    )


def test_actions_are_listed_only_when_their_lesson_is_visible(client, world):
    secret = make_action(world.secret_lesson, world.fire, corrective_action="Strict action")
    mine = client.get(f"{API}/actions", headers=_headers(world.committee)).json()
    assert {row["id"] for row in mine["results"]} == {world.action.pk, secret.pk}
    theirs = client.get(f"{API}/actions", headers=_headers(world.network)).json()
    assert [row["id"] for row in theirs["results"]] == [world.action.pk]
    assert "Secret strict lesson title" not in str(theirs)
    response = client.get(f"{API}/actions/{secret.pk}", headers=_headers(world.network))
    assert response.status_code == 404
    assert client.get(f"{API}/actions").status_code == 401


def test_transition_refusals_name_the_rule(client, world):
    path = f"/actions/{world.action.pk}/transition"
    response = _post(client, world.owner, path, {"transition": "decline"})
    assert response.status_code == 422
    assert response.json()["rule"] == "reason_required"
    assert "reason is required to decline" in response.json()["detail"]
    response = _post(client, world.other_owner, path, {"transition": "accept"})
    assert response.status_code == 403
    assert "Only an action owner" in response.json()["detail"]
    implemented = make_action(world.lesson, world.fire, status="implemented")
    path = f"/actions/{implemented.pk}/transition"
    response = _post(client, world.committee, path, {"transition": "validate"})
    assert response.status_code == 422 and response.json()["rule"] == "evidence_required"
    response = _post(client, world.owner, path, {"transition": "validate", "note": "Exercise"})
    assert response.status_code == 403 and response.json()["rule"] == "committee_only"
    response = _post(
        client, world.committee, path, {"transition": "validate", "note": "Exercise Baie 2024"}
    )
    assert response.status_code == 200 and response.json()["status"] == "validated"


def test_progress_update_is_posted_and_sanitised(client, world):
    path = f"/actions/{world.action.pk}/updates"
    response = _post(client, world.owner, path, {"note": "<script>x</script>Done half"})
    assert response.status_code == 201
    assert "<script" not in response.json()["text"]
    history = client.get(f"{API}{path}", headers=_headers(world.reader)).json()
    assert len(history) == 1
    response = _post(client, world.reader, path, {"note": "hi"})
    assert response.status_code == 403


def test_writes_need_a_credential(client, world):
    response = client.post(
        f"{API}/actions/{world.action.pk}/updates", {"note": "x"}, content_type="application/json"
    )
    assert response.status_code == 401
