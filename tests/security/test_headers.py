"""Security headers and the Content-Security-Policy: strict on the member site (no inline
script or style anywhere), relaxed only under the Wagtail admin."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model

from kb.choices import Marking
from tests.factories import make_city, make_debrief, make_lesson, make_member

pytestmark = pytest.mark.django_db
TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
INLINE = re.compile(
    r"<script(?![^>]*\bsrc=)(?![^>]*application/(?:ld\+)?json)[^>]*>|\son[a-z]+\s*=|\sstyle\s*=|<style",
    re.I,
)


def directives(response) -> dict[str, list[str]]:
    policy = response.headers["Content-Security-Policy"]
    return {
        name: values
        for name, *values in (part.split() for part in policy.split(";") if part.strip())
    }


@pytest.fixture
def member_client(client):
    nice = make_city("Nice")
    make_lesson(make_debrief(nice, marking=Marking.GREEN), title="Header lesson")
    client.force_login(make_member("nice-member", nice))
    return client


@pytest.mark.parametrize("path", ["/", "/lessons/", "/search/?q=radio", "/accounts/login/"])
def test_member_pages_carry_the_security_headers(member_client, path):
    response = member_client.get(path)
    assert response.status_code == 200
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["Cross-Origin-Opener-Policy"] == "same-origin"
    policy = directives(response)
    assert policy["script-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'"]
    assert policy["default-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert "unsafe-inline" not in response.headers["Content-Security-Policy"]


def test_the_api_and_error_pages_carry_the_policy_too(member_client):
    assert directives(member_client.get("/api/v1/lessons"))["script-src"] == ["'self'"]
    missing = member_client.get("/no-such-page/")
    assert missing.status_code == 404
    assert directives(missing)["script-src"] == ["'self'"]


def test_only_the_wagtail_admin_allows_inline_script_and_style(client):
    admin = get_user_model().objects.create_superuser("root", "root@example.org", "pw")
    client.force_login(admin)
    response = client.get("/admin/pages/")
    assert response.status_code == 200
    policy = directives(response)
    assert policy["script-src"] == ["'self'", "'unsafe-inline'"]
    assert policy["style-src"] == ["'self'", "'unsafe-inline'"]
    assert policy["frame-ancestors"] == ["'self'"]  # the page preview is an iframe
    assert policy["object-src"] == ["'none'"]
    assert "unsafe-eval" not in response.headers["Content-Security-Policy"]


def test_no_member_site_template_has_inline_script_handlers_or_style_attributes():
    offenders = []
    for template in TEMPLATES.rglob("*.html"):
        for number, line in enumerate(template.read_text().splitlines(), 1):
            if INLINE.search(line):
                offenders.append(f"{template.relative_to(TEMPLATES)}:{number}: {line.strip()}")
    assert offenders == []


def test_the_inline_pattern_catches_what_the_policy_would_block():
    # The scan above must be able to fail.
    for bad in ("<script>alert(1)</script>", '<a onclick="x()">', '<p style="color:red">'):
        assert INLINE.search(bad)
    for good in (
        '<script src="/static/js/site.js" defer></script>',
        '<script type="application/json" id="data">',
    ):
        assert not INLINE.search(good)
