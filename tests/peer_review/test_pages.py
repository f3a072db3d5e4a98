"""The member-site pages around a round: workspace groups, debrief rounds, the publish gate."""

import datetime

import pytest
from django.test import RequestFactory

from kb.choices import Marking
from peer_review import logic
from peer_review.wagtail_hooks import refuse_publishing_material_sent_back_for_revision
from tests.factories import make_accepted_review, make_debrief, make_lesson, make_review_round

pytestmark = pytest.mark.django_db


def test_invitation_shows_title_attack_types_and_due_date_only(cast, as_user):
    debrief = make_debrief(
        cast.nice,
        title="Market attack",
        attack_types=["marauding-bladed"],
        marking=Marking.AMBER_STRICT,
    )
    lesson = make_lesson(debrief, title="Triage at the market", observation="Secret detail")
    round = make_review_round(lesson, cast.editor)
    logic.invite(
        round,
        cast.bcn,
        by=cast.coordinator,
        response_due=datetime.date(2099, 5, 1),
        review_due=datetime.date(2099, 6, 1),
        confirm_widening=True,
    )
    page = as_user(cast.bcn).get("/reviews/").content.decode()
    assert "Triage at the market" in page and "Marauding bladed weapon" in page
    assert "1 May 2099" in page and "Secret detail" not in page


def test_the_invitations_attack_types_are_named_in_the_reviewers_language(cast, as_user):
    """Found walking the demo: Berlin's reviewer read the attack types in English."""
    debrief = make_debrief(cast.nice, title="Market attack", attack_types=["marauding-bladed"])
    lesson = make_lesson(debrief, title="Triage at the market")
    logic.invite(make_review_round(lesson, cast.editor), cast.bcn, by=cast.coordinator)
    page = as_user(cast.bcn).get("/reviews/", HTTP_ACCEPT_LANGUAGE="de").content.decode()
    assert '<span class="tag tag--attack">Mobiler Angriff mit Hieb- und Stichwaffen</span>' in page
    assert "Marauding bladed" not in page


def test_workspace_sorts_reviews_into_due_soon_overdue_and_done(cast, as_user):
    today = datetime.date.today()
    rounds = []
    for n in range(3):
        lesson = make_lesson(make_debrief(cast.nice), title=f"Lesson {n}", live=False)
        rounds.append(make_review_round(lesson, cast.editor))
    make_accepted_review(
        rounds[0],
        cast.bcn,
        cast.coordinator,
        response_due=today,
        review_due=today + datetime.timedelta(days=1),
    )
    late = make_accepted_review(
        rounds[1], cast.bcn, cast.coordinator, response_due=today, review_due=today
    )
    late.__class__.objects.filter(pk=late.pk).update(review_due=today - datetime.timedelta(1))
    done = make_accepted_review(rounds[2], cast.bcn, cast.coordinator)
    logic.submit_recommendation(done, by=cast.bcn, recommendation="endorse", summary="ok")
    page = as_user(cast.bcn).get("/reviews/").content.decode()
    overdue, soon, pending, finished = (
        page.index(h) for h in ("<h3>Overdue", "<h3>Due soon", "<h3>Pending", "<h3>Done")
    )
    assert overdue < page.index("Lesson 1") < soon < page.index("Lesson 0") < pending
    assert finished < page.index("Lesson 2")


def test_a_debrief_is_reviewed_on_its_summary(cast, as_user):
    debrief = make_debrief(cast.nice, summary="<p>Joint summary text</p>", live=False)
    round = make_review_round(debrief, cast.editor)
    make_accepted_review(round, cast.rtm, cast.coordinator)
    client = as_user(cast.rtm)
    client.post(f"/reviews/rounds/{round.pk}/comments/", {"section": "summary", "body": "Hm"})
    page = client.get(f"/reviews/rounds/{round.pk}/").content.decode()
    assert "Joint summary text" in page and "Hm" in page


def test_material_sent_back_for_revision_cannot_be_published_from_the_admin(cast):
    lesson = make_lesson(make_debrief(cast.nice), live=False)
    round = make_review_round(lesson, cast.editor)
    assignment = make_accepted_review(round, cast.bcn, cast.coordinator)
    logic.submit_recommendation(assignment, by=cast.bcn, recommendation="revise", summary="x")
    logic.decide(round, by=cast.coordinator, decision="revise", rationale="More evidence")
    request = RequestFactory().post("/admin/", {"action-publish": "1"})
    request.user = cast.editor
    request._messages = type("M", (), {"add": lambda *a, **k: None})()
    response = refuse_publishing_material_sent_back_for_revision(request, lesson)
    assert response is not None and response.status_code == 302
    request = RequestFactory().post("/admin/", {"action-submit": "1"})
    request.user = cast.editor
    assert refuse_publishing_material_sent_back_for_revision(request, lesson) is None


def test_workspaces_say_what_each_role_has_to_do(cast, as_user):
    from tests.factories import make_city, make_member

    lesson = make_lesson(make_debrief(cast.nice), title="Stewards lesson", live=False)
    round = make_review_round(lesson, cast.editor)
    invitation = logic.invite(round, cast.bcn, by=cast.coordinator, confirm_widening=True)
    logic.decline(invitation, by=cast.bcn, reason="On leave")
    reviewer = as_user(cast.bcn).get("/reviews/").content.decode()
    assert "of an item you no longer review" in reviewer
    assert f"/reviews/rounds/{round.pk}/" not in reviewer  # a declined round stays closed
    coordinator = as_user(cast.coordinator).get("/reviews/").content.decode()
    assert "1 open round for you to follow (1 coordinated by you)" in coordinator
    assert "1 still needs reviewers" in coordinator
    assert "Invitations" not in coordinator  # not a reviewer: no empty reviewer lists
    plain = as_user(make_member("oslo-reader", make_city("Oslo"))).get("/reviews/")
    assert "you have none of these roles" in plain.content.decode()
    page = as_user(cast.coordinator).get("/reviews/coordinator/").content.decode()
    assert "Stewards lesson" in page and "Needs reviewers" in page


def test_a_comment_offers_editing_only_within_its_15_minutes(cast, as_user):
    from peer_review.models import Comment

    round = make_review_round(make_lesson(make_debrief(cast.nice), live=False), cast.editor)
    make_accepted_review(round, cast.bcn, cast.coordinator)
    comment = logic.add_comment(round, by=cast.bcn, body="Fresh remark")
    client = as_user(cast.bcn)
    assert "Edit (within 15 minutes)" in client.get(f"/reviews/rounds/{round.pk}/").content.decode()
    Comment.objects.filter(pk=comment.pk).update(
        created_at=comment.created_at - datetime.timedelta(minutes=16)
    )
    assert "Edit (within" not in client.get(f"/reviews/rounds/{round.pk}/").content.decode()


def test_the_editors_rounds_give_state_and_decision_as_french_writes_them(cast, as_user):
    """Found walking the demo: "Clos: Approuver" on Nice's French workspace."""
    lesson = make_lesson(make_debrief(cast.nice), title="Stewards lesson", live=False)
    round = make_review_round(lesson, cast.editor)
    assignment = make_accepted_review(round, cast.bcn, cast.coordinator)
    logic.submit_recommendation(assignment, by=cast.bcn, recommendation="revise", summary="Redo")
    logic.decide(round, by=cast.coordinator, decision="revise", rationale="Redo it")
    page = as_user(cast.editor).get("/reviews/", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert '<span class="muted">Clos : Réviser et soumettre à nouveau</span>' in page
