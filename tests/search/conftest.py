"""The `backend` fixture: one contract, two engines (the server fixtures live in
tests/conftest.py)."""

from __future__ import annotations

import uuid

import pytest
from django.db import connection

from search.backends import get_backend, reset_backend

BACKENDS = ["embedded", "elasticsearch"]


def use_backend(name: str, settings, request) -> None:
    """Point the project at one backend, with a fresh index of its own for Elasticsearch."""
    if name == "embedded" and connection.vendor != "sqlite":
        pytest.skip("the embedded backend needs SQLite")
    settings.KB_SEARCH_BACKEND = name
    if name == "elasticsearch":
        settings.KB_ELASTICSEARCH_URL = request.getfixturevalue("es_url")
        settings.KB_ELASTICSEARCH_INDEX = f"kb-test-{uuid.uuid4().hex[:12]}"
        settings.KB_ELASTICSEARCH_REFRESH = True
    reset_backend()


def _drop_indices(engine) -> None:
    # By name: clusters refuse wildcard deletes (action.destructive_requires_name).
    try:
        names = engine._concrete()
        if names:
            engine.client.options(ignore_status=404).indices.delete(index=",".join(names))
    except Exception:  # the server may be down after a failed outage test
        pass


@pytest.fixture(params=BACKENDS)
def backend(request, settings):
    use_backend(request.param, settings, request)
    engine = get_backend()
    assert engine.name == request.param
    yield engine
    if request.param == "elasticsearch":
        _drop_indices(engine)
    reset_backend()


@pytest.fixture
def elastic(request, settings):
    use_backend("elasticsearch", settings, request)
    engine = get_backend()
    yield engine
    _drop_indices(engine)
    reset_backend()
