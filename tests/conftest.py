import os

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.utils import translation

from tests.es_server import NoidaServer


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache: ids are reused after a test's rollback, so an
    entry keyed by them (where a member's page of /lessons/ ended) could describe the data
    of a test before (the committee dashboard's figures kept in this process's memory too)."""
    from lessons.tracking import dashboard_cache

    cache.clear()
    with dashboard_cache._local_lock:
        dashboard_cache._local.clear()


@pytest.fixture(autouse=True)
def _english_to_begin_with():
    """Each test starts in the default language: a request in French (a member's choice)
    leaves French active in the thread, which the next test must not inherit."""
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(scope="session")
def es_server(tmp_path_factory):
    """The NoidaServer, or None when KB_ELASTICSEARCH_URL names a real cluster."""
    if os.environ.get("KB_ELASTICSEARCH_URL"):
        yield None
        return
    server = NoidaServer(tmp_path_factory.mktemp("noida") / "data")
    server.data_dir.mkdir()
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def es_url(es_server) -> str:
    return es_server.url if es_server else os.environ["KB_ELASTICSEARCH_URL"]


@pytest.fixture
def es_outage(es_server):
    """Stop and restart the server mid-test; it is running again after the test."""
    if es_server is None:
        pytest.skip("a real cluster (KB_ELASTICSEARCH_URL) cannot be stopped by the tests")
    yield es_server
    es_server.start()


@pytest.fixture(autouse=True)
def _search_backend_for_database(request, settings):
    """On PostgreSQL the embedded search backend is unavailable: every test then runs
    against Elasticsearch (the session's noida-db server, or KB_ELASTICSEARCH_URL)."""
    if connection.vendor == "sqlite" or "backend" in request.fixturenames:
        yield
        return
    from tests.search.conftest import use_backend

    use_backend("elasticsearch", settings, request)
    yield
    from search.backends import get_backend, reset_backend
    from tests.search.conftest import _drop_indices

    _drop_indices(get_backend())
    reset_backend()
