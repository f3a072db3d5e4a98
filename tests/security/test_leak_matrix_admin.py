"""Leak matrix, Wagtail admin and the Wagtail API: the explorer, admin search, the page
chooser, page views (edit, history, preview), reports and the admin listings, for every kind
of user (editors of the owning city reach the admin; the others must be kept out of it)."""

import pytest

from tests.security import leak_checks
from tests.security.leak_checks import Matrix
from tests.security.leak_world import USERS

pytestmark = pytest.mark.django_db
world = leak_checks.world

REPORTS = [
    "/admin/",
    "/admin/reports/locked/",
    "/admin/reports/workflow/",
    "/admin/reports/workflow_tasks/",
    "/admin/reports/site-history/",
    "/admin/reports/aging-pages/",
    "/admin/actions/",
    "/admin/review_rounds/",
    "/admin/review_assignments/",
    "/admin/workflows/list/",
]


@pytest.mark.parametrize("who", USERS)
def test_admin_explorer_search_and_chooser_list_only_visible_pages(world, who):
    m = Matrix(world, who)
    editor = who == "owner_member"  # the owning city's editor works in the admin
    lessons, debriefs = m.visible(world.lessons), m.visible(world.debriefs)
    nice = world.nice.page
    m.get("explorer root", "/admin/pages/")
    m.get("explorer: city page", f"/admin/pages/{nice.pk}/", lists=debriefs if editor else [])
    m.get("explorer: home page", f"/admin/pages/{nice.get_parent().pk}/")
    for item in world.debriefs:
        children = [i for i in lessons if i.key == item.key] if editor else []
        m.get(f"explorer: debrief {item.key}", f"/admin/pages/{item.page.pk}/", lists=children)
    for q in ("interoperability", "lesson", "debrief"):
        # The admin search matches titles: "lesson" and "debrief" find them all.
        wanted = {"lesson": lessons, "debrief": debriefs}.get(q, []) if editor else []
        m.get(f"admin search {q!r}", "/admin/pages/search/", {"q": q}, lists=wanted)
        m.get(f"admin search results {q!r}", "/admin/pages/search/results/", {"q": q}, lists=wanted)
        m.get(f"chooser search {q!r}", "/admin/choose-page/search/", {"q": q}, lists=wanted)
    m.get("chooser root", "/admin/choose-page/")
    m.get("chooser: home page", f"/admin/choose-page/{nice.get_parent().pk}/")
    m.get("chooser: city page", f"/admin/choose-page/{nice.pk}/", lists=debriefs if editor else [])
    for item in world.debriefs:
        m.get(f"chooser: debrief {item.key}", f"/admin/choose-page/{item.page.pk}/")
    m.assert_clean()


@pytest.mark.parametrize("who", USERS)
def test_admin_page_views_open_only_for_visible_pages(world, who):
    m = Matrix(world, who)
    for item in world.items:
        pk = item.page.pk
        allowed = m.may_see(item) and who == "owner_member"
        mine = [item] if allowed else []
        m.get(
            f"admin edit {item.kind} {item.key}",
            f"/admin/pages/{pk}/edit/",
            lists=mine,
            shows_text=mine,
        )
        for view in ("history/", "view_draft/", "usage/", "workflow_history/", "revisions/"):
            m.get(f"admin {view} {item.kind} {item.key}", f"/admin/pages/{pk}/{view}")
        m.get(f"admin page data {item.kind} {item.key}", f"/admin/api/main/pages/{pk}/")
    m.get("admin page listing API", "/admin/api/main/pages/", {"child_of": world.nice.page.pk})
    m.get("admin page listing API search", "/admin/api/main/pages/", {"search": "lesson"})
    m.assert_clean()


@pytest.mark.parametrize("who", USERS)
def test_admin_reports_and_listings_name_only_visible_pages(world, who):
    m = Matrix(world, who)
    for url in REPORTS:
        m.get(url, url)
    for url in ("/admin/actions/", "/admin/review_rounds/", "/admin/reports/site-history/"):
        m.get(f"{url} CSV export", url, {"export": "csv"})
    m.assert_clean()


@pytest.mark.parametrize("who", USERS)
def test_the_wagtail_api_is_not_mounted(world, who):
    m = Matrix(world, who)
    for url in ("/api/v2/pages/", "/api/v2/pages/?search=lesson", "/api/v2/"):
        m.get(f"Wagtail API {url}", url, status=m.hidden_status())
    m.assert_clean()
