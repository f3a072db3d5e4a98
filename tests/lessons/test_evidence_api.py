"""Evidence files through the API: multipart uploads go through the same transition
functions and file checks as the site, and come back only to who may see the action."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from wagtail.models import APIToken

from tests.factories import make_action
from tests.lessons.tracking_world import build_world

API = "/api/v1"
PDF = b"%PDF-1.4\n% exercise report\n"


@pytest.fixture
def world(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return build_world()


def _headers(user) -> dict:
    return {"Authorization": f"Token {APIToken.create_token(user=user, name='t')[1]}"}


def _file(name: str = "report.pdf", data: bytes = PDF) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/pdf")


def _upload(client, user, path, **fields):
    return client.post(f"{API}{path}", fields, headers=_headers(user) if user else {})


def test_owner_uploads_evidence_with_a_progress_update_and_reads_it_back(client, world):
    path = f"/actions/{world.action.pk}/updates/upload"
    response = _upload(client, world.owner, path, note="Drill report", file=_file("../r.pdf"))
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["has_file"] is True and body["file_name"] == "r.pdf"
    assert body["text"] == "<p>Drill report</p>"
    url = body["file_url"]
    assert url == f"{API}/actions/{world.action.pk}/updates/{body['id']}/file"
    download = client.get(url, headers=_headers(world.reader))
    assert download.status_code == 200
    assert download["Content-Disposition"] == 'attachment; filename="r.pdf"'
    assert download["Content-Type"] == "application/pdf"
    assert download["X-Content-Type-Options"] == "nosniff"
    assert download["Content-Security-Policy"] == "default-src 'none'; sandbox"
    assert b"".join(download.streaming_content) == PDF
    history = client.get(f"{API}/actions/{world.action.pk}/updates", headers=_headers(world.owner))
    assert history.json()[0]["file_url"] == url


def test_implement_with_only_a_file_as_evidence(client, world):
    action = make_action(world.lesson, world.fire, status="in_progress")
    path = f"/actions/{action.pk}/transition/upload"
    response = _upload(client, world.owner, path, transition="implement", file=_file())
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "implemented"
    assert action.updates.get().file_name == "report.pdf"


def test_refused_file_names_the_rule_and_the_field(client, world):
    path = f"/actions/{world.action.pk}/updates/upload"
    response = _upload(client, world.owner, path, file=_file("x.svg", b"<svg onload=x>"))
    assert response.status_code == 422
    assert response.json() == {
        "detail": "Evidence file: .svg is not accepted; use one of PDF, PNG, JPG, JPEG, "
        "TXT, CSV, DOCX, XLSX, ODT.",
        "rule": "evidence_file",
        "field": "file",
    }
    response = _upload(client, world.owner, path, file=_file("x.pdf", b"<html>"))
    assert (
        response.status_code == 422 and "its content is not a PDF file" in response.json()["detail"]
    )
    assert not world.action.updates.exists()


def test_same_lifecycle_rules_apply_to_uploads(client, world):
    path = f"/actions/{world.action.pk}/transition/upload"
    response = _upload(client, world.other_owner, path, transition="accept", file=_file())
    assert response.status_code == 403 and response.json()["rule"] == "owner_only"
    implemented = make_action(world.lesson, world.fire, status="implemented")
    path = f"/actions/{implemented.pk}/transition/upload"
    response = _upload(client, world.owner, path, transition="validate", file=_file())
    assert response.status_code == 403 and response.json()["rule"] == "committee_only"
    response = _upload(client, world.committee, path, transition="decline", file=_file())
    assert response.status_code == 403 and response.json()["rule"] == "owner_only"
    response = _upload(client, world.committee, path, transition="validate", file=_file())
    assert response.status_code == 200 and response.json()["status"] == "validated"
    updates = f"/actions/{world.action.pk}/updates/upload"
    assert _upload(client, world.reader, updates, file=_file()).status_code == 403
    assert _upload(client, None, updates, file=_file()).status_code == 401


def test_evidence_of_a_restricted_lesson_is_404_to_other_cities(client, world):
    action = make_action(world.secret_lesson, world.fire)
    path = f"/actions/{action.pk}/updates/upload"
    assert _upload(client, world.berlin_committee, path, file=_file()).status_code == 404
    response = _upload(client, world.owner, path, file=_file())
    url = response.json()["file_url"]
    assert client.get(url, headers=_headers(world.committee)).status_code == 200
    assert client.get(url, headers=_headers(world.berlin_committee)).status_code == 404
    assert client.get(url, headers=_headers(world.network)).status_code == 404
    assert client.get(url).status_code == 401
