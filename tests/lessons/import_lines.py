"""Import lines and a small world shared by the importer tests."""

import json

from taggit.models import Tag
from wagtail.models import Page, PageLogEntry, Revision

from kb.models import AttackType, Theme
from lessons.importer import import_debriefs
from lessons.models import Recommendation
from tests.factories import make_city, make_member

DELETE = object()


def import_world() -> dict:
    berlin, paris = make_city("Berlin", "DE"), make_city("Paris", "FR")
    return {
        "berlin": berlin,
        "paris": paris,
        "anna": make_member("anna", berlin, "editor"),
        "pierre": make_member("pierre", paris, "reviewer"),
    }


def lesson_line(external_id="l-1", **overrides):
    line = {
        "external_id": external_id,
        "title": "Radios failed between agencies",
        "observation": "Police and fire radios could not talk.",
        "discussion": "No shared talk group.",
        "lesson_identified": "Agree shared talk groups before events.",
        "themes": ["information-sharing", "strategic-coordination"],
        "phase": "respond",
        "marking": "TLP:GREEN",
        "recommendations": [
            {"text": "Create a shared talk group", "capability_element": "planning"},
            {"text": "Train radio operators together", "capability_element": "training"},
        ],
    }
    return {**line, **overrides}


def debrief_line(external_id="d-1", lessons=None, **overrides):
    line = {
        "external_id": external_id,
        "city": "Berlin",
        "title": f"Christmas market ramming {external_id}",
        "incident_type": "attack",
        "date": "2016-12-19",
        "attack_types": ["vehicle-ramming", "marauding-firearms"],
        "summary": "A truck drove into the market.\n\nAgencies met <twice> & agreed.",
        "marking": "TLP:GREEN",
        "shared_with": [],
        "recipients": [],
        "agencies": ["Police", "Fire brigade"],
        "keywords": ["Christmas market"],
        "lessons": [lesson_line(f"l-{external_id}")] if lessons is None else lessons,
        "an_unknown_key": "is ignored",
    }
    return {**line, **overrides}


def write_jsonl(tmp_path, *lines, name="debriefs.jsonl"):
    path = tmp_path / name
    text = "\n".join(line if isinstance(line, str) else json.dumps(line) for line in lines)
    path.write_text(text + "\n", encoding="utf-8")
    return path


def run(path):
    return import_debriefs(path.read_text(encoding="utf-8").splitlines())


def snapshot():
    models = [Page, Revision, PageLogEntry, Recommendation, Tag, AttackType, Theme]
    titles = list(Page.objects.order_by("pk").values_list("title", "live"))
    return [model.objects.count() for model in models], titles
