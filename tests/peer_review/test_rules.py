"""The rules of comments, the workflow wiring, the API writes and the admin listings."""

import datetime
from unittest import mock

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone
from wagtail.models import GroupApprovalTask, Workflow, WorkflowState, WorkflowTask

from kb.choices import Marking
from peer_review import logic
from peer_review.models import WORKFLOW_NAME, ReviewRound
from tests.factories import make_accepted_review, make_debrief, make_lesson, make_review_round

pytestmark = pytest.mark.django_db


@pytest.fixture
def round(cast):
    lesson = make_lesson(make_debrief(cast.nice, marking=Marking.GREEN), live=False)
    round = make_review_round(lesson, cast.editor)
    make_accepted_review(round, cast.bcn, cast.coordinator)
    return round


def test_every_debrief_and_lesson_uses_the_peer_review_workflow(cast):
    lesson = make_lesson(make_debrief(cast.nice), live=False)
    assert lesson.get_workflow().name == WORKFLOW_NAME


def test_submitting_in_the_wagtail_admin_opens_a_round(cast):
    lesson = make_lesson(make_debrief(cast.nice), live=False)
    lesson.save_revision(user=cast.editor)
    lesson.get_workflow().start(lesson, cast.editor)  # what the admin's "Submit" button does
    round = ReviewRound.objects.get(page_id=lesson.pk)
    assert round.number == 1 and round.submitted_by == cast.editor
    assert WorkflowState.objects.for_instance(lesson).get().current_task_state == round.task_state


def test_a_workflow_of_another_task_opens_no_round(cast):
    lesson = make_lesson(make_debrief(cast.nice), live=False)
    lesson.save_revision(user=cast.editor)
    sign_off = Workflow.objects.create(name="Sign-off")
    WorkflowTask.objects.create(
        workflow=sign_off, task=GroupApprovalTask.objects.create(name="Sign-off"), sort_order=0
    )
    sign_off.start(lesson, cast.editor)
    assert not ReviewRound.objects.filter(page_id=lesson.pk).exists()


def test_a_comment_is_editable_by_its_author_for_15_minutes_only(round, cast):
    comment = logic.add_comment(round, by=cast.bcn, body="Frist draft")
    logic.edit_comment(comment, by=cast.bcn, body="First draft")
    with pytest.raises(PermissionDenied):
        logic.edit_comment(comment, by=cast.editor, body="Not mine")
    later = comment.created_at + datetime.timedelta(minutes=16)
    with mock.patch.object(timezone, "now", return_value=later), pytest.raises(PermissionDenied):
        logic.edit_comment(comment, by=cast.bcn, body="Too late")
    comment.refresh_from_db()
    assert comment.body == "First draft" and comment.edited_at is not None


def test_threads_are_resolved_and_reopened_through_the_site(round, cast, as_user):
    comment = logic.add_comment(round, by=cast.bcn, body="Check figures", section="discussion")
    reply = logic.add_comment(round, by=cast.editor, body="Done", parent=comment)
    client = as_user(cast.editor)
    client.post(f"/reviews/comments/{reply.pk}/resolve/", {"resolved": "1"})
    comment.refresh_from_db()
    assert comment.resolved and comment.resolved_by == cast.editor
    client.post(f"/reviews/comments/{comment.pk}/resolve/", {"resolved": "0"})
    comment.refresh_from_db()
    assert not comment.resolved


def test_a_comment_needs_a_known_section(round, cast):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        logic.add_comment(round, by=cast.bcn, body="x", section="recommendation:999999")


def test_reviewers_comment_and_recommend_through_the_api(round, cast, as_user):
    client = as_user(cast.bcn)
    posted = client.post(
        f"/api/v1/reviews/rounds/{round.pk}/comments",
        {"body": "<b>ok</b><script>x</script>", "section": "observation"},
        content_type="application/json",
    )
    assert posted.status_code == 201 and posted.json()["body"] == "<b>ok</b>x"
    assignment = round.assignments.get(reviewer=cast.bcn)
    url = f"/api/v1/reviews/assignments/{assignment.pk}/recommendation"
    bad = client.post(
        url, {"recommendation": "maybe", "summary": "x"}, content_type="application/json"
    )
    assert bad.status_code == 422
    good = client.post(
        url, {"recommendation": "endorse", "summary": "Fine"}, content_type="application/json"
    )
    assert good.status_code == 200 and good.json()["state"] == "submitted"
    again = client.post(
        url, {"recommendation": "revise", "summary": "Hmm"}, content_type="application/json"
    )
    assert again.status_code == 403
    assert [a["id"] for a in client.get("/api/v1/reviews/assignments").json()] == [assignment.pk]


def test_only_a_coordinator_decides(round, cast):
    assignment = round.assignments.get()
    logic.submit_recommendation(assignment, by=cast.bcn, recommendation="endorse", summary="ok")
    for user in (cast.bcn, cast.editor):
        with pytest.raises(PermissionDenied):
            logic.decide(round, by=user, decision="endorse", rationale="mine")


def test_coordinators_see_open_rounds_and_export_assignments_in_the_admin(round, cast, as_user):
    from django.contrib.auth import get_user_model

    admin = get_user_model().objects.create_superuser("root", "root@example.org", "pw")
    client = as_user(admin)
    assert "bcn-reviewer" in client.get("/admin/review_assignments/").content.decode()
    csv = client.get("/admin/review_assignments/?export=csv")
    assert csv.status_code == 200 and b"bcn-reviewer" in b"".join(csv.streaming_content)
    assert client.get("/admin/review_rounds/?state=open").status_code == 200
    page = as_user(cast.coordinator).get("/reviews/coordinator/").content.decode()
    assert round.page.title in page and "Accepted" in page
