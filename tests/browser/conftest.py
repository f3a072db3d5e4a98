"""Real-browser tests: Debian's chromium driven by Playwright against a live server.

Skipped, loudly, when chromium or Playwright is missing. Screenshots of key pages are
kept under test-artifacts/screenshots/ (not committed) for a person to look at.

Speed: the demo data take ~20 s to load, so the whole package shares ONE world (the demo
plus a few peer-reviewed lessons, see world.py), one live server and one chromium. Each
test runs inside a savepoint rolled back after it (pytest-django's `django_db`) within the
package's own transaction, rolled back at the end: the live server shares the in-memory
SQLite connection, so it sees both, and nothing is left behind for the other tests.
"""

from __future__ import annotations

import functools
import json
import os
import re
import shutil
import warnings
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
PASSWORD = "demo-pass-2026"


def _missing() -> str | None:
    if not Path(CHROMIUM).exists() and not shutil.which(CHROMIUM):
        return f"chromium not found at {CHROMIUM} (apt-get install chromium)"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "the playwright package is not installed"
    return None


def pytest_collection_modifyitems(config, items):
    reason = _missing()
    if not reason:
        return
    skip = pytest.mark.skip(reason=f"BROWSER TESTS SKIPPED: {reason}")
    skipped = 0
    for item in items:
        if "tests/browser/" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(skip)
            skipped += 1
    if skipped:
        config._kb_browser_skipped = f"{skipped} tests: {reason}"
        warnings.warn(pytest.PytestWarning(f"BROWSER TESTS SKIPPED: {reason}"), stacklevel=1)


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    reason = getattr(config, "_kb_browser_skipped", None)
    if reason:
        terminalreporter.write_sep("!", f"BROWSER TESTS SKIPPED: {reason}", red=True, bold=True)


@pytest.fixture(scope="session")
def browser(django_db_setup):
    """Chromium for the session. Playwright's sync API runs the rest of the session in
    another context, where Django hands this thread a new connection object; it gets the
    serialized snapshot of the seeded database, should a test ask for serialized rollback."""
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


class LiveServer:
    """Django's live-server thread, shared by the package (pytest-django's would flush the
    database after every test)."""

    def __init__(self) -> None:
        from django.contrib.staticfiles.handlers import StaticFilesHandler
        from django.db import connections
        from django.test.testcases import LiveServerThread

        override = {
            c.alias: c for c in connections.all() if c.vendor == "sqlite" and c.is_in_memory_db()
        }
        self.thread = LiveServerThread(
            "127.0.0.1", static_handler=StaticFilesHandler, connections_override=override
        )
        self.thread.daemon = True
        for conn in override.values():
            conn.inc_thread_sharing()
        self.thread.start()
        self.thread.is_ready.wait()
        if self.thread.error:
            raise self.thread.error
        self.url = f"http://127.0.0.1:{self.thread.port}"

    def stop(self) -> None:
        self.thread.terminate()
        for conn in self.thread.connections_override.values():
            conn.dec_thread_sharing()


@pytest.fixture(scope="package")
def site(browser, django_db_blocker):
    """The shared world on a live server: the demo data, a fresh search index and the
    peer-reviewed showcase of world.py. Yields a namespace with `url` and the world."""
    from django.db import connection, transaction
    from django.test.utils import modify_settings

    if connection.vendor != "sqlite":
        pytest.skip("the browser tests run on SQLite with the embedded search engine")
    from project.demo import load_demo
    from search.engine import rebuild
    from tests.browser.world import build_world

    with django_db_blocker.unblock(), transaction.atomic():
        load_demo()
        world = build_world()
        rebuild()
        allowed = modify_settings(ALLOWED_HOSTS={"append": "127.0.0.1"})
        allowed.enable()
        server = LiveServer()
        world.url = server.url
        yield world
        server.stop()
        allowed.disable()
        transaction.set_rollback(True)  # the embedded index lives in the same database


@functools.cache
def _axe_source() -> str:
    return AXE.read_text(encoding="utf-8")


class Visitor:
    """One person in one browser context, with helpers the journeys share."""

    def __init__(
        self,
        browser,
        site,
        folder: str,
        viewport=DESKTOP,
        javascript: bool = True,
        states=None,
        bypass_csp: bool = True,
    ):
        # bypass_csp: axe-core is injected as a script, which the site's CSP forbids; the
        # site's own scripts are tested with it off (bypass_csp=False).
        self.context = browser.new_context(
            viewport=viewport,
            base_url=site.url,
            java_script_enabled=javascript,
            bypass_csp=bypass_csp,
        )
        self.context.set_default_timeout(10_000)  # fail fast: every page here is local
        self.page = self.context.new_page()
        self.site = site
        self.states = {} if states is None else states
        self.folder = SCREENSHOTS / folder

    def login(self, username: str, password: str = PASSWORD) -> None:
        """Log in through the login page (once per user and test: later visitors reuse the
        session cookie; sessions do not outlive the test's transaction)."""
        state = self.states.get(username)
        if state is not None:
            self.context.add_cookies(state["cookies"])
            return
        page = self.page
        page.goto("/accounts/login/")
        page.fill("#id_username", username)
        page.fill("#id_password", password)
        page.click("main button[type=submit]")
        page.wait_for_load_state()
        assert "/accounts/login/" not in page.url, f"{username} could not log in"
        self.states[username] = self.context.storage_state()

    def goto(self, url: str, status: int = 200):
        response = self.page.goto(url)
        assert response.status == status, f"{url}: {response.status}"
        return response

    def screenshot(self, label: str) -> Path:
        self.folder.mkdir(parents=True, exist_ok=True)
        path = self.folder / f"{re.sub(r'[^a-z0-9-]+', '-', label.lower())}.png"
        self.page.screenshot(path=str(path), full_page=True)
        return path

    def axe_violations(self, impacts=("serious", "critical"), exclude=()) -> list[dict]:
        """Run axe-core on the current page; return the violations of these impacts, less
        the (rule, selector) pairs in `exclude`."""
        if not self.page.evaluate("() => typeof window.axe !== 'undefined'"):
            self.page.add_script_tag(content=_axe_source())
        result = self.page.evaluate(
            "async () => await axe.run(document, {resultTypes: ['violations']})"
        )
        found = []
        for v in result["violations"]:
            if v["impact"] not in impacts:
                continue
            nodes = [
                n["target"]
                for n in v["nodes"]
                if not any(
                    v["id"] == rule and sel in " ".join(n["target"]) for rule, sel in exclude
                )
            ]
            if nodes:
                found.append(
                    {"id": v["id"], "impact": v["impact"], "help": v["help"], "nodes": nodes[:5]}
                )
        return found

    def assert_accessible(self, exclude=()) -> None:
        violations = self.axe_violations(exclude=exclude)
        assert not violations, f"{self.page.url}: {json.dumps(violations, indent=1)}"

    def close(self) -> None:
        self.context.close()


@pytest.fixture
def visitor_factory(browser, site, request):
    visitors: list[Visitor] = []
    states: dict = {}  # username -> Playwright storage state (a logged-in session)

    def make(
        viewport=DESKTOP, suffix: str = "", javascript: bool = True, bypass_csp: bool = True
    ) -> Visitor:
        folder = request.node.name + suffix
        visitor = Visitor(browser, site, folder, viewport, javascript, states, bypass_csp)
        visitors.append(visitor)
        return visitor

    yield make
    for visitor in visitors:
        visitor.close()
