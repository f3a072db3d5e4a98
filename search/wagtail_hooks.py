"""Admin wiring of search: the live similar-cases panel's URL and script."""

from django.templatetags.static import static
from django.urls import path
from django.utils.html import format_html
from wagtail import hooks

from search.live_panel import similar_for_draft


@hooks.register("register_admin_urls")
def similar_lessons_urls():
    return [
        path("similar-lessons/<int:lesson_id>/", similar_for_draft, name="similar_lessons_live")
    ]


@hooks.register("insert_editor_js")
def similar_panel_script():
    return format_html('<script src="{}" defer></script>', static("js/similar_panel.js"))
