"""The oversight tracker: the committee turns recommendations into actions, the owner reports
progress with evidence, the committee validates, and the dashboard follows."""

import pytest

from kb.choices import Marking
from kb.models import City
from lessons.tracking.models import Action
from tests.factories import make_debrief, make_lesson

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

RECOMMENDATIONS = (
    ("Move the casualty clearing station out of vehicle routes", "planning"),
    ("Train fire crews to site clearing stations behind barriers", "training"),
)


def _figures(page) -> dict[str, int]:
    page.goto("/tracker/dashboard/")
    # The status table may sit in a closed <details>: read its text, shown or not.
    return {
        "total": int(page.locator("[data-figure=total]").text_content()),
        "validated": int(page.locator("td[data-status=validated]").text_content()),
        "in_progress": int(page.locator("td[data-status=in_progress]").text_content()),
    }


def _transition(page, name: str, note: str = "") -> None:
    page.get_by_label(name, exact=True).check()
    if note:
        page.fill("#t-note", note)
    page.get_by_role("button", name="Apply").click()
    page.wait_for_load_state()
    assert page.locator(".message--success").count(), page.inner_text("main")


def test_committee_creates_actions_owner_reports_evidence_committee_validates_dashboard_follows(
    site, visitor_factory, tmp_path
):
    nice = City.objects.get(name="Nice")
    debrief = make_debrief(nice, title="Harbour festival exercise", marking=Marking.GREEN)
    lesson = make_lesson(
        debrief,
        title="Casualty clearing station sited on the vehicle route",
        recommendations=RECOMMENDATIONS,
    )

    committee = visitor_factory(suffix="-committee")
    page = committee.page
    committee.login("nice-committee")
    before = _figures(page)
    for recommendation in lesson.recommendations.all():
        text = recommendation.text
        page.goto(lesson.url)
        page.locator(
            f".tracker-actions a[href$='/recommendations/{recommendation.pk}/actions/new/']"
        ).click()
        page.fill("#id_corrective_action", f"Action: {text.lower()}.")
        fire = page.locator("#id_responsible_organisation option", has_text="Nice Fire and Rescue")
        page.select_option("#id_responsible_organisation", fire.get_attribute("value"))
        page.fill("#id_due_date", "2099-06-30")
        page.get_by_role("button", name="Propose").click()
        page.wait_for_load_state()
        assert "Action proposed." in page.inner_text("main")
    actions = Action.objects.filter(recommendation__lesson=lesson)
    assert actions.count() == 2
    first = actions.get(recommendation__text=RECOMMENDATIONS[0][0])

    owner = visitor_factory(suffix="-owner")
    owner.login("nice-owner")
    owner.page.goto("/tracker/actions/")
    owner.page.get_by_role("link", name=first.corrective_action[:40]).first.click()
    owner.page.wait_for_url(f"**/tracker/actions/{first.pk}/")
    _transition(owner.page, "Accept")
    _transition(owner.page, "Start")
    evidence = tmp_path / "exercise-report.pdf"
    evidence.write_bytes(b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n")
    owner.page.fill("#id_note", "The clearing station moved behind the barriers in the May drill.")
    owner.page.set_input_files("#id_file", str(evidence))
    owner.page.get_by_role("button", name="Post update").click()
    owner.page.wait_for_load_state()
    history = owner.page.inner_text("#history-heading + ol")
    assert "moved behind the barriers" in history and "exercise-report.pdf" in history
    _transition(owner.page, "Implement", note="Done: see the exercise report.")
    owner.screenshot("action-implemented")

    page.goto(f"/tracker/actions/{first.pk}/")
    _transition(page, "Validate", note="Validated at the harbour exercise of June.")
    assert "Validated" in page.inner_text(".facts")
    committee.screenshot("action-validated")

    after = _figures(page)
    assert after["total"] == before["total"] + 2
    assert after["validated"] == before["validated"] + 1
    assert after["in_progress"] == before["in_progress"]
    committee.screenshot("dashboard-after")
