"""City-to-city peer review on the member site: the coordinator assigns reviewers of other
cities, a reviewer comments and recommends, the author replies, the coordinator decides and
the lesson appears with its endorsement badge."""

import pytest

from kb.choices import Marking
from kb.models import City
from peer_review.models import ReviewAssignment, ReviewRound
from tests.browser.world import user
from tests.factories import make_debrief, make_lesson, make_review_round

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

TITLE = "Ferry terminal staff had no drill for a marauding attack"


def _invite(page, reviewer: str) -> None:
    page.get_by_label(reviewer, exact=True).check()
    widening = page.locator("#invite-confirm-widening")
    if widening.count():  # the material's marking leaves the reviewer out: confirm it
        widening.check()
    with page.expect_navigation():
        page.get_by_role("button", name="Invite", exact=True).click()


def _accept_comment_and_recommend(visitor, round, section: str, comment: str, choice: str):
    page = visitor.page
    page.goto("/reviews/")
    invitation = page.locator(".item", has_text=TITLE)
    invitation.get_by_role("button", name="Accept").click()
    page.wait_for_url(f"**/reviews/rounds/{round.pk}/")
    page.fill(f"#c-{section}", comment)
    page.locator(f"#section-{section}").get_by_role("button", name="Comment").click()
    page.wait_for_load_state()
    assert comment in page.locator(f"#section-{section} .comments").inner_text()
    page.get_by_label(choice, exact=True).check()
    page.fill("#id_summary", f"{choice}: a lesson other ports can use.")
    page.get_by_role("button", name="Submit recommendation").click()
    page.wait_for_load_state()
    assert page.inner_text("h1") == "Check your recommendation"  # sent only once confirmed
    assert choice in page.inner_text("main")
    visitor.assert_accessible()
    page.get_by_role("button", name="Confirm and submit the recommendation").click()
    page.wait_for_load_state()
    assert "Your recommendation is submitted." in page.inner_text("main")


def test_coordinator_assigns_reviewers_who_recommend_and_the_lesson_shows_its_badge(
    site, visitor_factory
):
    oslo = City.objects.get(name="Oslo")
    debrief = make_debrief(oslo, title="Ferry terminal exercise", marking=Marking.GREEN)
    lesson = make_lesson(
        debrief,
        title=TITLE,
        observation="Terminal staff did not know where to lock down passengers.",
        live=False,
    )
    round = make_review_round(lesson, user("oslo-editor"))

    coordinator = visitor_factory(suffix="-coordinator")
    page = coordinator.page
    coordinator.login("barcelona-coordinator")
    page.goto("/reviews/coordinator/")
    page.get_by_role("link", name=TITLE).click()
    page.wait_for_url(f"**/reviews/rounds/{round.pk}/")
    assert "(author city)" in page.locator("tr", has_text="oslo-reviewer").inner_text()
    _invite(page, "oslo-reviewer")  # no reason given: the conflict rule refuses
    assert "author city" in page.locator("main :is([role=status], [role=alert])").first.inner_text()
    assert not ReviewAssignment.objects.filter(round=round, reviewer__username="oslo-reviewer")
    _invite(page, "barcelona-reviewer")
    _invite(page, "rotterdam-reviewer")
    assert set(round.assignments.values_list("reviewer__username", flat=True)) == {
        "barcelona-reviewer",
        "rotterdam-reviewer",
    }
    coordinator.screenshot("coordinator-round")

    barcelona = visitor_factory(suffix="-barcelona")
    barcelona.login("barcelona-reviewer")
    _accept_comment_and_recommend(
        barcelona, round, "observation", "Was a lockdown plan written before?", "Endorse"
    )
    barcelona.screenshot("reviewer-round")
    rotterdam = visitor_factory(suffix="-rotterdam")
    rotterdam.login("rotterdam-reviewer")
    _accept_comment_and_recommend(
        rotterdam, round, "general", "Add the drill schedule.", "Endorse with changes"
    )

    author = visitor_factory(suffix="-author")
    author.login("oslo-editor")
    author.page.goto(f"/reviews/rounds/{round.pk}/")
    thread = author.page.locator("#section-observation .comment").first
    thread.locator("summary", has_text="Reply").click()
    thread.get_by_label("Reply").fill("There was none; it is written now.")
    thread.get_by_role("button", name="Reply").click()
    author.page.wait_for_load_state()
    assert "There was none; it is written now." in author.page.inner_text("#section-observation")

    page.goto(f"/reviews/rounds/{round.pk}/")
    assert "There was none; it is written now." in page.inner_text("#section-observation")
    page.get_by_label("Endorse", exact=True).check()
    page.fill("#id_rationale", "Both reviewers endorse; the drill answers the comment.")
    page.get_by_role("button", name="Record the decision").click()
    page.wait_for_load_state()
    assert ReviewRound.objects.get(pk=round.pk).decision == "endorse"

    reader = visitor_factory(suffix="-reader")
    reader.login("london-reader")
    reader.goto(lesson.url)
    badge = reader.page.locator(".endorsement")
    assert "Endorsed by peer review (Barcelona, Rotterdam)" in badge.inner_text()
    assert "the drill answers the comment" in badge.inner_text()
    reader.screenshot("lesson-with-badge")
