"""A city editor writes a debrief with two lessons in the Wagtail admin, reads what other
cities learned while drafting, and submits the lessons for peer review."""

import re

import pytest

from kb.models import City
from lessons.models import DebriefPage, LessonPage
from peer_review.models import ReviewRound

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

LESSONS = [
    {
        "title": "Handheld radios of police and fire could not share a talk group",
        "observation": "Police and fire radio users could not talk to each other at the "
        "cordon; messages went through runners for forty minutes.",
        "lesson_identified": "Radio interoperability between police and fire needs a shared "
        "talk group, tested in every exercise.",
        "recommendation": ("Configure a shared police and fire talk group", "equipment"),
    },
    {
        "title": "Evacuation messages reached visitors in one language only",
        "observation": "Evacuation announcements at the riverside venue were in English only; "
        "many visitors did not understand them.",
        "lesson_identified": "Public warnings need pre-translated messages in the main "
        "languages of visitors.",
        "recommendation": ("Prepare warning templates in five languages", "planning"),
    },
]


def _save_draft(page) -> None:
    page.get_by_role("button", name="Save draft").click()
    page.wait_for_load_state()
    assert page.locator(".messages .success, .w-message--success, [class*=success]").count(), (
        page.locator(".messages, .error-message, .w-field__errors").all_inner_texts()
    )


def _write_lesson(page, debrief_id: int, lesson: dict) -> None:
    page.goto(f"/admin/pages/{debrief_id}/")
    page.get_by_role("link", name="Add child page").first.click()
    page.wait_for_url(re.compile(r"/admin/pages/add/lessons/lessonpage/"))
    page.fill("#id_title", lesson["title"])
    page.select_option("#id_marking", "TLP:GREEN")
    page.select_option("#id_phase", "respond")
    page.fill("#id_observation", lesson["observation"])
    page.fill("#id_lesson_identified", lesson["lesson_identified"])
    page.get_by_role("button", name="Add recommendation").click()
    text, element = lesson["recommendation"]
    page.fill("#id_recommendations-0-text", text)
    page.select_option("#id_recommendations-0-capability_element", element)
    _save_draft(page)


def test_city_editor_writes_a_debrief_with_two_lessons_sees_similar_ones_and_submits_them(
    site, visitor_factory
):
    editor = visitor_factory()
    page = editor.page
    editor.login("london-editor")
    london = City.objects.get(name="London")

    page.goto(f"/admin/pages/{london.page.pk}/")
    page.get_by_role("link", name="Add child page").first.click()
    page.wait_for_url(re.compile(r"/admin/pages/add/lessons/debriefpage/"))
    page.fill("#id_title", "Exercise Tower Bridge: marauding attack on a riverside venue")
    page.select_option("#id_marking", "TLP:GREEN")
    page.select_option("#id_incident_type", "exercise")
    page.fill("#id_incident_date", "2026-03-14")
    page.keyboard.press("Escape")
    page.fill("#id_agencies", "Metropolitan Police\nLondon Fire Brigade\nLondon Ambulance")
    summary = page.locator("[data-contentpath=summary] [contenteditable=true]").first
    summary.click()
    summary.type("A joint exercise of police, fire and ambulance at a riverside venue.")
    editor.screenshot("debrief-form")
    _save_draft(page)
    debrief = DebriefPage.objects.get(title__startswith="Exercise Tower Bridge")
    assert debrief.owner_city == london and not debrief.live

    for lesson in LESSONS:
        _write_lesson(page, debrief.pk, lesson)

    # While drafting, the editor sees what other cities learned about the same problem.
    panel = page.locator(".kb-similar-panel")
    panel.scroll_into_view_if_needed()
    assert "Other cities learned this already" in panel.inner_text()
    similar = panel.locator("li")
    assert similar.count() >= 1
    assert "London" not in similar.all_inner_texts()[0]
    editor.screenshot("lesson-form-with-similar-lessons")

    # Editors cannot publish directly: the only way out is peer review.
    page.get_by_role("button", name="More actions").click()
    assert page.locator("button[name=action-publish]").count() == 0
    page.locator("button[name=action-submit]").click()
    page.wait_for_load_state()
    lessons = LessonPage.objects.filter(debrief=debrief)
    assert lessons.count() == 2
    second = lessons.get(title=LESSONS[1]["title"])
    assert ReviewRound.objects.filter(page_id=second.pk, state="open").exists()

    first = lessons.get(title=LESSONS[0]["title"])
    page.goto(f"/admin/pages/{first.pk}/edit/")
    page.get_by_role("button", name="More actions").click()
    page.locator("button[name=action-submit]").click()
    page.wait_for_load_state()
    assert ReviewRound.objects.filter(page_id__in=[first.pk, second.pk], state="open").count() == 2
    assert not LessonPage.objects.filter(debrief=debrief, live=True).exists()

    # The editor finds both rounds in "My reviews", under the city's material.
    page.goto("/reviews/")
    mine = page.locator("#author-heading + ul").inner_text()
    assert LESSONS[0]["title"] in mine and LESSONS[1]["title"] in mine
    editor.screenshot("my-reviews-after-submitting")
