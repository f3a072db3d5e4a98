"""The editor's similar-cases panel follows the draft without saving it."""

import pytest
from django.test import Client

from search.sync import drain
from tests.factories import make_city, make_debrief, make_lesson, make_member

pytestmark = pytest.mark.django_db

OTHER = dict(
    title="Stewards had no keys to the locked stadium exit gates",
    observation="Spectators were crushed against locked exit gates; stewards had no keys.",
    lesson_identified="Unlock and staff every stadium exit gate before spectators leave.",
)


WORDS = ("gates", "stewards", "stadium", "unlock", "crushed")


def _reasons(panel: str, title: str) -> str:
    """The reasons given for one match ("" when it is not shown)."""
    if title not in panel:
        return ""
    rest = panel[panel.index(title) :]
    return rest[rest.index("</a>") : rest.index("</li>")]


@pytest.fixture
def world():
    nice, paris = make_city("Nice"), make_city("Paris")
    other = make_lesson(make_debrief(paris), **OTHER)
    mine = make_lesson(
        make_debrief(nice),
        title="Bus timetable",
        observation="The night buses ran late.",
        lesson_identified="Publish the night timetable.",
    )
    drain()
    client = Client()
    client.force_login(make_member("nice-editor", nice, "editor"))
    return dict(other=other, mine=mine, client=client, paris=paris)


def test_the_panel_shows_matches_for_the_typed_text_and_saves_nothing(world):
    mine, other = world["mine"], world["other"]
    revisions = mine.revisions.count()
    url = f"/admin/similar-lessons/{mine.pk}/"
    before = world["client"].post(url, {"observation": mine.observation}).content.decode()
    assert not any(word in _reasons(before, other.title) for word in WORDS)
    typed = {
        "observation": "Fans were crushed at the locked stadium exit gates; stewards had no keys.",
        "lesson_identified": "Staff and unlock every exit gate before the crowd leaves.",
    }
    after = world["client"].post(url, typed)
    answer = after.content.decode()
    assert after.status_code == 200 and other.title in answer
    assert any(word in _reasons(answer, other.title) for word in WORDS), answer
    mine.refresh_from_db()
    assert mine.observation == "The night buses ran late." and mine.revisions.count() == revisions


def test_an_editor_of_another_city_may_not_ask_about_a_draft(world):
    client = Client()
    client.force_login(make_member("paris-editor", world["paris"], "editor"))
    response = client.post(f"/admin/similar-lessons/{world['mine'].pk}/", {"observation": "x"})
    assert response.status_code in (403, 302)


def test_the_editor_page_carries_the_panels_live_address_and_script(world):
    page = world["client"].get(f"/admin/pages/{world['mine'].pk}/edit/").content.decode()
    assert f'data-similar-url="/admin/similar-lessons/{world["mine"].pk}/"' in page
    assert "js/similar_panel.js" in page
