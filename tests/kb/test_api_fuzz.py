"""Property-based run of every GET operation of the OpenAPI schema (with schemathesis,
when it is installed): whatever the query string or path, the API never answers 5xx."""

import pytest

schemathesis = pytest.importorskip("schemathesis")

from django.core import signals  # noqa: E402
from django.core.handlers.wsgi import WSGIHandler  # noqa: E402
from django.db import close_old_connections  # noqa: E402
from hypothesis import HealthCheck, settings  # noqa: E402
from schemathesis.checks import not_a_server_error  # noqa: E402
from wagtail.models import APIToken  # noqa: E402

from kb.choices import Marking  # noqa: E402
from tests.factories import make_city, make_debrief, make_lesson, make_member  # noqa: E402


@pytest.fixture
def keep_test_connection():
    """Requests go through the real WSGI handler, which would close the connection
    holding the test's transaction at the end of each request (Django's test client
    avoids this the same way)."""
    for signal in (signals.request_started, signals.request_finished):
        signal.disconnect(close_old_connections)
    yield
    for signal in (signals.request_started, signals.request_finished):
        signal.connect(close_old_connections)


@pytest.fixture
def member_headers(db, keep_test_connection):
    nice = make_city("Nice", "FR")
    member = make_member("nice-editor", nice, "editor")
    for marking in (Marking.CLEAR, Marking.AMBER_STRICT):
        make_lesson(make_debrief(nice, marking=marking))
    token = APIToken.create_token(user=member, name="fuzz")[1]
    return {"Authorization": f"Token {token}"}


# Loaded at collection: the schema view reads no database.
schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", WSGIHandler())


@schema.include(method="GET").parametrize()
@settings(
    max_examples=40,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_get_operations_never_answer_a_server_error(case, member_headers):
    case.call_and_validate(headers=member_headers, checks=[not_a_server_error])
    case.call_and_validate(checks=[not_a_server_error])
