"""Wagtail documents have no marking: only their managers may download them."""

import pytest
from django.core.files.base import ContentFile
from wagtail.documents.models import Document

from tests.factories import make_city, make_member

pytestmark = pytest.mark.django_db


@pytest.fixture
def document(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    doc = Document(title="Cordon plan")
    doc.file.save("cordon-plan.txt", ContentFile(b"sentinel-cordon-plan"), save=True)
    return doc


def test_a_member_and_an_anonymous_visitor_cannot_download_a_document(client, document):
    city = make_city("Nice", "FR")
    member = make_member("nice-editor", city, "editor")
    anonymous = client.get(document.url)
    assert anonymous.status_code == 302 and "/accounts/login/" in anonymous["Location"]
    client.force_login(member)
    response = client.get(document.url)
    assert response.status_code == 404
    assert b"sentinel-cordon-plan" not in response.content


def test_a_platform_administrator_downloads_the_document(client, document, django_user_model):
    admin = django_user_model.objects.create_superuser("root", "root@example.org", "x" * 16)
    client.force_login(admin)
    response = client.get(document.url)
    assert response.status_code == 200
    assert b"sentinel-cordon-plan" in b"".join(response.streaming_content)
