"""The endorsement shows where readers meet the material: the lesson and debrief pages
(badge with cities, date and rationale) and the /lessons/ listing (a short mark)."""

import pytest

from peer_review import logic
from tests.factories import (
    make_accepted_review,
    make_city,
    make_debrief,
    make_lesson,
    make_member,
    make_review_round,
)

pytestmark = pytest.mark.django_db


def _review(page, cast, decision: str):
    round = make_review_round(page, cast.editor)
    for reviewer in (cast.bcn, cast.rtm):
        assignment = make_accepted_review(round, reviewer, cast.coordinator)
        logic.submit_recommendation(assignment, by=reviewer, recommendation=decision, summary="s")
    return logic.decide(round, by=cast.coordinator, decision=decision, rationale="Well argued.")


@pytest.fixture
def reader(cast, as_user):
    return as_user(make_member("oslo-reader", make_city("Oslo")))


def test_an_endorsed_debrief_shows_its_badge(cast, reader):
    debrief = make_debrief(cast.nice, title="Promenade debrief", live=False)
    _review(debrief, cast, "endorse")
    debrief.refresh_from_db()
    page = reader.get(debrief.url).content.decode()
    assert "Endorsed by peer review (Barcelona, Rotterdam)" in page
    assert "Well argued." in page


def test_the_lessons_listing_marks_endorsed_lessons_only(cast, reader):
    debrief = make_debrief(cast.nice)
    endorsed = make_lesson(debrief, title="Endorsed bollards", live=False)
    revised = make_lesson(debrief, title="Revised cordon", live=True)
    make_lesson(debrief, title="Never reviewed")
    _review(endorsed, cast, "endorse")
    _review(revised, cast, "revise")
    listing = reader.get("/lessons/").content.decode()
    items = {
        title: listing[listing.index(title) :].split("</li>")[0]
        for title in ("Endorsed bollards", "Revised cordon", "Never reviewed")
    }
    assert "Endorsed by peer review" in items["Endorsed bollards"]
    assert "Endorsed by peer review" not in items["Revised cordon"]
    assert "Endorsed by peer review" not in items["Never reviewed"]
    debrief_page = reader.get(debrief.url).content.decode()
    assert debrief_page.count("Endorsed by peer review") == 1  # the lesson's mark only
