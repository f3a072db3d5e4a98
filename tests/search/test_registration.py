"""search plugs into the layers below it without their naming it: its panel fills the
lesson editor's slot, its receivers listen to the models they concern, and its outbox is
bookkeeping that the data version (kb.dataversion) does not track."""

import pytest
from django.db.models.deletion import Collector
from django.db.models.signals import post_delete, post_save
from wagtail.admin.panels import FieldPanel

from kb.models import DataChange
from lessons.models import LessonPage
from search.models import OutboxEntry
from search.panels import SimilarLessonsPanel
from search.sync import drain, enqueue
from tests.factories import make_city, make_lesson
from tests.search.contract_helpers import debrief_on

pytestmark = pytest.mark.django_db


def _flat(panel) -> list:
    children = getattr(panel, "children", [])
    return [panel, *[p for child in children for p in _flat(child)]]


def test_the_similar_lessons_panel_sits_below_the_lesson_text_in_the_editor():
    panels = _flat(LessonPage.get_edit_handler())
    similar = [i for i, panel in enumerate(panels) if isinstance(panel, SimilarLessonsPanel)]
    (text,) = [
        i
        for i, panel in enumerate(panels)
        if isinstance(panel, FieldPanel) and panel.field_name == "lesson_identified"
    ]
    assert similar == [text + 1]
    assert panels[text + 1].heading == "Similar lessons from other cities"


def test_draining_the_outbox_writes_no_data_change(backend):
    debrief = debrief_on(make_city("Nice"), "2020-01-01", "vehicle-ramming")
    lesson = make_lesson(debrief, title="Zqoutbox lesson")
    drain()
    before = DataChange.objects.count()
    enqueue([lesson.pk], now=True)
    drain()
    assert OutboxEntry.objects.count() == 0
    assert DataChange.objects.count() == before


def test_emptying_the_outbox_is_a_fast_delete():
    assert Collector(using="default").can_fast_delete(OutboxEntry.objects.all())


def test_search_listens_to_no_bookkeeping_model():
    for signal in (post_save, post_delete):
        assert not signal.has_listeners(OutboxEntry)
    assert post_save.has_listeners(LessonPage)
