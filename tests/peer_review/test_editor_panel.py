"""Authors follow their review from the Wagtail editor: the round, its state, the
reviewers and their comments, sections by their names."""

import datetime

import pytest
from django.test import Client

from peer_review import logic
from tests.factories import make_accepted_review, make_debrief, make_lesson, make_review_round

pytestmark = pytest.mark.django_db
DATES = {"response_due": datetime.date(2099, 5, 1), "review_due": datetime.date(2099, 6, 1)}


def _editor_page(user, page) -> str:
    client = Client()
    client.force_login(user)
    return client.get(f"/admin/pages/{page.pk}/edit/").content.decode()


def test_the_editor_shows_the_round_its_reviewers_and_comments_by_section(cast):
    lesson = make_lesson(make_debrief(cast.nice), title="Radio talk groups")
    round = make_review_round(lesson, cast.editor)
    make_accepted_review(round, cast.bcn, cast.coordinator, **DATES)
    recommendation = lesson.recommendations.first()
    logic.add_comment(round, by=cast.bcn, section="observation", body="Which radios?")
    logic.add_comment(
        round, by=cast.bcn, section=f"recommendation:{recommendation.pk}", body="Costed?"
    )
    page = _editor_page(cast.editor, lesson)
    assert "Round 1: Open" in page
    assert f'href="/reviews/rounds/{round.pk}/"' in page
    assert "bcn-reviewer: Accepted" in page and "due 1 June 2099" in page
    assert "<strong>Observation</strong>, bcn-reviewer" in page and "Which radios?" in page
    assert "<strong>Recommendation 1</strong>" in page
    assert "recommendation:" not in page.split('class="kb-review-panel"')[1].split("</div>")[0]


def test_material_not_yet_submitted_says_so(cast):
    lesson = make_lesson(make_debrief(cast.nice), title="Radio talk groups")
    assert "Not submitted for peer review yet." in _editor_page(cast.editor, lesson)
