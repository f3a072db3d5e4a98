"""kb.access.viewer_key: caches of what a viewer sees are keyed by it, so it must change
whenever what the policy sees of the viewer changes (a move to another city, a read grant),
and two requests of the same viewer must give the same key."""

import pytest

from kb import access
from kb.choices import Marking
from kb.models import Membership
from tests.factories import (
    make_accepted_review,
    make_city,
    make_debrief,
    make_lesson,
    make_review_cast,
    make_review_round,
)

pytestmark = pytest.mark.django_db


def test_the_key_is_stable_and_hashable_for_the_same_viewer():
    cast = make_review_cast()
    assert access.viewer_key(cast.bcn) == access.viewer_key(cast.bcn)
    assert len({access.viewer_key(cast.bcn), access.viewer_key(cast.rtm)}) == 2
    assert access.viewer_key(None) == access.viewer_key(None)


def test_a_move_to_another_city_changes_the_key():
    cast = make_review_cast()
    before = access.viewer_key(cast.bcn)
    membership = Membership.objects.get(user=cast.bcn)
    membership.city = make_city("Berlin")
    membership.save()
    assert access.viewer_key(cast.bcn) != before


def test_a_read_grant_changes_the_key():
    cast = make_review_cast()
    debrief = make_debrief(cast.nice, title="Quayside debrief", marking=Marking.AMBER_STRICT)
    lesson = make_lesson(debrief, title="Quayside lesson")
    before = access.viewer_key(cast.bcn)
    make_accepted_review(make_review_round(lesson, cast.editor), cast.bcn, cast.coordinator)
    after = access.viewer_key(cast.bcn)
    assert after != before
    assert lesson.pk in after[-2]  # the granted pages
