"""Submitting from the Wagtail admin obeys the member site's rule red_recipients_only: an
editor of the owning city who is not a named recipient of TLP:RED material cannot start its
peer review from the page editor."""

from __future__ import annotations

import pytest
from django.test import Client
from wagtail.models import WorkflowState

from kb.choices import Marking
from peer_review.models import ReviewRound
from tests.factories import make_debrief, make_member
from tests.security.test_concurrency import open_editor

pytestmark = pytest.mark.django_db

REFUSAL = "Not submitted: TLP:RED material is submitted for peer review by one of its named"


def submit(client: Client, page, fields: dict[str, list[str]]):
    return client.post(
        f"/admin/pages/{page.pk}/edit/", {**fields, "action-submit": ["Submit"]}, follow=True
    )


@pytest.fixture
def editors(cast):
    return cast.editor, make_member("nice-editor-2", cast.nice, "editor")


def draft(city, marking: str, recipients=()):
    debrief = make_debrief(city, marking=marking, recipients=recipients, live=False)
    debrief.save_revision()  # a draft, as an editor leaves it
    return debrief


def test_an_editor_cannot_mark_material_red_for_others_and_submit_it(cast, editors, as_user):
    # The edit view already refuses TLP:RED pages to editors who are not recipients; the way
    # round it is marking a draft RED for someone else and submitting in the same request.
    recipient, outsider = editors
    debrief = draft(cast.nice, Marking.GREEN)
    client = as_user(outsider)
    fields = open_editor(client, debrief)
    fields.update(marking=[Marking.RED], recipients=[str(recipient.pk)])

    response = submit(client, debrief, fields)

    assert REFUSAL in response.content.decode()
    assert not ReviewRound.objects.filter(page_id=debrief.pk).exists()
    assert not WorkflowState.objects.for_instance(debrief).exists()
    stored = type(debrief).objects.get(pk=debrief.pk).get_latest_revision().as_object()
    assert stored.marking == Marking.GREEN


def test_a_named_recipient_submits_red_material_from_the_admin(cast, editors, as_user):
    recipient, _ = editors
    debrief = draft(cast.nice, Marking.RED, recipients=[recipient])
    client = as_user(recipient)

    response = submit(client, debrief, open_editor(client, debrief))

    assert REFUSAL not in response.content.decode()
    assert ReviewRound.objects.filter(page_id=debrief.pk, submitted_by=recipient).exists()
