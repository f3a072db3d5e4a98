"""Whatever a reviewer writes is stored and shown harmless."""

import pytest

from kb.choices import Marking
from peer_review import logic
from peer_review.models import Comment
from tests.factories import make_accepted_review, make_debrief, make_lesson, make_review_round

pytestmark = pytest.mark.django_db

PAYLOADS = [
    "<script>alert('xss')</script>",
    "<img src=x onerror=alert(1)>",
    "<b onclick=alert(1)>bold</b>",
    '<a href="javascript:alert(1)">click</a>',
    '<a href="JaVaScRiPt:alert(1)">click</a>',
    '<a href="&#106;avascript:alert(1)">click</a>',
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">data</a>',
    "<svg onload=alert(1)><script>alert(1)</script></svg>",
    "<iframe src=https://evil.example></iframe>",
    "<p>unclosed <i>tags <a href='https://x.example' onmouseover=alert(1)>x",
    "<style>body{display:none}</style>",
    '"><script>alert(1)</script>',
    "<math><mi xlink:href=javascript:alert(1)>x</mi></math>",
    "<!-- <script>alert(1)</script> -->",
]

DANGER = (
    "<script",
    "onerror",
    "onclick",
    "onload",
    "onmouseover",
    "javascript:",
    "<iframe",
    "<svg",
    "<style",
    "data:text",
    "<img",
    "<math",
)


def _harmless(html: str) -> bool:
    lowered = html.lower()
    return not any(marker in lowered for marker in DANGER)


@pytest.fixture
def open_round(cast):
    lesson = make_lesson(make_debrief(cast.nice, marking=Marking.GREEN), live=False)
    round = make_review_round(lesson, cast.editor)
    make_accepted_review(round, cast.bcn, cast.coordinator)
    return round


@pytest.mark.parametrize("payload", PAYLOADS)
def test_a_hostile_comment_is_stored_and_shown_harmless(open_round, cast, as_user, payload):
    client = as_user(cast.bcn)
    client.post(
        f"/reviews/rounds/{open_round.pk}/comments/",
        {"section": "general", "body": f"Note {payload} end"},
    )
    comment = Comment.objects.get(round=open_round)
    assert _harmless(comment.body)
    page = as_user(cast.editor).get(f"/reviews/rounds/{open_round.pk}/").content.decode()
    start = page.index(f'id="comment-{comment.pk}"')
    assert _harmless(page[start : page.index("</li>", start)])
    api = client.get(f"/api/v1/reviews/rounds/{open_round.pk}").json()
    assert _harmless(api["comments"][0]["body"])


def test_allowed_formatting_and_links_survive_with_safe_rel(open_round, cast):
    comment = logic.add_comment(
        open_round,
        by=cast.bcn,
        body="<p><strong>See</strong> https://example.org and <code>x</code></p>",
    )
    assert "<strong>See</strong>" in comment.body and "<code>x</code>" in comment.body
    assert 'href="https://example.org" rel="nofollow noopener"' in comment.body


def test_recommendation_summary_and_rationale_are_plain_text(open_round, cast, as_user):
    assignment = open_round.assignments.get()
    logic.submit_recommendation(
        assignment, by=cast.bcn, recommendation="endorse", summary="<script>x()</script>Good"
    )
    logic.decide(
        open_round,
        by=cast.coordinator,
        decision="endorse",
        rationale="<img src=x onerror=alert(1)>Fine",
    )
    page = as_user(cast.editor).get(f"/reviews/rounds/{open_round.pk}/").content.decode()
    assert "<script>x()" not in page and "onerror" not in page


def test_comments_are_never_hard_deleted(open_round, cast):
    comment = logic.add_comment(open_round, by=cast.bcn, body="Keep me")
    Comment.objects.filter(pk=comment.pk).delete()
    comment.delete()
    comment.refresh_from_db()
    assert comment.deleted_at is not None and Comment.objects.filter(pk=comment.pk).exists()
