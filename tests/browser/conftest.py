"""Real-browser tests: Debian's chromium driven by Playwright against a live server.

Skipped, loudly, when chromium or Playwright is missing. Screenshots of key pages are
kept under test-artifacts/screenshots/ (not committed) for a person to look at.
"""

from __future__ import annotations

import json
import os
import re
import shutil
from pathlib import Path

import pytest

# Playwright's sync API keeps an event loop in the test thread; the ORM calls the tests
# make there (fixtures, assertions) are still synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("KB_CHROMIUM", "/usr/bin/chromium")
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-quic",
    "--no-first-run",
    "--disable-sync",
]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"
AXE = Path(__file__).with_name("vendor") / "axe.min.js"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


def _missing() -> str | None:
    if not Path(CHROMIUM).exists() and not shutil.which(CHROMIUM):
        return f"chromium not found at {CHROMIUM}"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "the playwright package is not installed"
    return None


def pytest_collection_modifyitems(config, items):
    reason = _missing()
    if reason:
        skip = pytest.mark.skip(reason=f"BROWSER TESTS SKIPPED: {reason}")
        for item in items:
            if "tests/browser/" in str(item.fspath).replace(os.sep, "/"):
                item.add_marker(skip)
        config._kb_browser_skipped = reason


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    reason = getattr(config, "_kb_browser_skipped", None)
    if reason:
        terminalreporter.write_sep("!", f"BROWSER TESTS SKIPPED: {reason}", red=True, bold=True)


@pytest.fixture(scope="session")
def browser(django_db_setup):
    """Chromium for the session. Playwright's sync API runs the rest of the session in
    another context, where Django hands this thread a new connection object; it gets the
    serialized snapshot of the seeded database so serialized rollback can restore it."""
    from django.db import connections
    from playwright.sync_api import sync_playwright

    snapshot = getattr(connections["default"], "_test_serialized_contents", None)
    playwright = sync_playwright().start()
    if snapshot is not None:
        connections["default"]._test_serialized_contents = snapshot
    chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
    yield chromium
    chromium.close()
    playwright.stop()


class Visitor:
    """One person in one browser context, with helpers the journeys share."""

    def __init__(self, browser, base_url: str, name: str, viewport=DESKTOP):
        self.context = browser.new_context(viewport=viewport, base_url=base_url)
        self.page = self.context.new_page()
        self.base_url = base_url
        self.folder = SCREENSHOTS / name

    def login(self, username: str, password: str = "demo-pass-2026") -> None:
        page = self.page
        page.goto("/accounts/login/")
        page.fill("#id_username", username)
        page.fill("#id_password", password)
        page.click("main button[type=submit]")
        page.wait_for_load_state()

    def screenshot(self, label: str) -> Path:
        self.folder.mkdir(parents=True, exist_ok=True)
        path = self.folder / f"{re.sub(r'[^a-z0-9-]+', '-', label.lower())}.png"
        self.page.screenshot(path=str(path), full_page=True)
        return path

    def axe_violations(self, impacts=("serious", "critical")) -> list[dict]:
        """Run axe-core on the current page; return the violations of these impacts."""
        self.page.add_script_tag(content=AXE.read_text(encoding="utf-8"))
        result = self.page.evaluate(
            "async () => await axe.run(document, {resultTypes: ['violations']})"
        )
        return [
            {
                "id": v["id"],
                "impact": v["impact"],
                "help": v["help"],
                "nodes": [n["target"] for n in v["nodes"]][:5],
            }
            for v in result["violations"]
            if v["impact"] in impacts
        ]

    def assert_accessible(self) -> None:
        violations = self.axe_violations()
        assert not violations, f"{self.page.url}: {json.dumps(violations, indent=1)}"

    def close(self) -> None:
        self.context.close()


@pytest.fixture
def visitor_factory(browser, live_server, request):
    visitors: list[Visitor] = []

    def make(viewport=DESKTOP, suffix: str = "") -> Visitor:
        visitor = Visitor(browser, live_server.url, request.node.name + suffix, viewport)
        visitors.append(visitor)
        return visitor

    yield make
    for visitor in visitors:
        visitor.close()


@pytest.fixture
def demo_site(browser, transactional_db):
    """The demo data on a fresh search index (a flush empties Django's tables, restored
    from the snapshot by serialized rollback, but not the embedded engine's own)."""
    from kb.demo import load_demo
    from search.engine import rebuild

    load_demo()
    rebuild()
