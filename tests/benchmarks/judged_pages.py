"""The multilingual judged sets (the "items" format of tests/benchmarks/eval_multilingual.py)
written as real pages for the benchmarks that measure them through the product: one city
per author, one debrief per city, attack type and language, a reader of the network's
secretariat who may read them all."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from django.db import transaction
from django.test import override_settings

from kb.choices import ATTACK_TYPES, THEMES
from search.backends import reset_backend
from search.models import OutboxEntry
from tests.benchmarks.eval_multilingual import load
from tests.factories import make_city, make_debrief, make_lesson, make_member

HERE = Path(__file__).parent
SETS = {
    "multilingual": HERE / "judged_multilingual.json",
    "paraphrase-en": HERE / "judged_english.json",
    "paraphrase-xl": HERE / "judged_paraphrase_multilingual.json",
    "english": HERE / "judged_set.json",
}


@contextmanager
def judged_pages(name: str, django_db_blocker) -> Iterator[tuple[list, list, object]]:
    """(items, their pages, a reader) of the set `name`, rolled back on leaving. Nothing is
    indexed: each benchmark indexes the set itself, on the backend it measures."""
    items = [
        it
        for it in load(SETS[name])
        if set(it["attack_types"]) <= set(ATTACK_TYPES) and set(it["themes"]) <= set(THEMES)
    ]
    with django_db_blocker.unblock(), override_settings(KB_SEARCH_BACKEND="embedded"):
        reset_backend()
        with transaction.atomic():
            cities, debriefs, pages = {}, {}, []
            for n, it in enumerate(items):
                city = cities.get(it["city"]) or cities.setdefault(
                    it["city"], make_city(it["city"])
                )
                key = (it["city"], it["attack_types"][0], it["language"])
                if key not in debriefs:
                    debriefs[key] = make_debrief(
                        city,
                        title=f"{it['city']} incident {n}",
                        attack_types=it["attack_types"],
                        language=it["language"],
                    )
                pages.append(
                    make_lesson(
                        debriefs[key],
                        title=it["title"],
                        themes=it["themes"],
                        observation=it["observation"],
                        discussion=it["discussion"],
                        lesson_identified=it["lesson_identified"],
                        recommendations=(),
                        language=it["language"],
                    )
                )
            OutboxEntry.objects.all().delete()
            reader = make_member("bench-multilingual-reader", make_city("Network Secretariat"))
            yield items, pages, reader
            transaction.set_rollback(True)
        reset_backend()
