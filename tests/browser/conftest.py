"""Playwright drives Debian's chromium; never `playwright install` (downloads are blocked)."""

import re
import shutil
import threading
import time
from pathlib import Path

import pytest

from tests.checkers import axe_source, require

ARTIFACTS = Path(__file__).resolve().parents[2] / "artifacts" / "screenshots"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
# Nothing should reach off the machine; if a page tries, it fails fast and is recorded.
EXTERNAL = re.compile(r"^https?://(?!127\.0\.0\.1|localhost)")


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    require(chromium is not None, "chromium is not installed (apt-get install chromium)")
    return {**browser_type_launch_args, "executable_path": chromium, "args": CHROMIUM_ARGS}


class InFlight:
    """Counts the live server's requests in progress, so a test ends only once they have.

    Closing a page fires its `pagehide` handlers (the autosave beacon), which reach the server
    after Playwright has returned; a request still writing when the test's database is flushed
    deadlocks PostgreSQL's TRUNCATE.
    """

    def __init__(self, server):
        self.busy = 0
        self.last = time.monotonic()
        self.changed = threading.Condition()
        handle = server.process_request_thread

        def counted(request, client_address):
            with self.changed:
                self.busy += 1
            try:
                handle(request, client_address)
            finally:
                with self.changed:
                    self.busy -= 1
                    self.last = time.monotonic()
                    self.changed.notify_all()

        server.process_request_thread = counted

    def wait_quiet(self, *, quiet=0.5, timeout=15.0):
        """Wait until no request has run for `quiet` seconds."""
        deadline = time.monotonic() + timeout
        with self.changed:
            while time.monotonic() < deadline:
                idle_for = time.monotonic() - self.last
                if self.busy == 0 and idle_for >= quiet:
                    return
                self.changed.wait(max(quiet - idle_for, 0.05) if self.busy == 0 else 0.5)
        raise AssertionError(f"the live server still had {self.busy} request(s) after {timeout}s")


def in_flight(live_server):
    server = live_server.thread.httpd
    if not isinstance(getattr(server, "in_flight", None), InFlight):
        server.in_flight = InFlight(server)
    return server.in_flight


@pytest.fixture(autouse=True)
def requests_finish_before_the_flush(request):
    """A browser test's database is flushed only once the server has answered everything.

    Set up after the database (asked for here) and before the pages, so torn down after the
    pages have closed and before the flush.
    """
    if "live_server" not in request.fixturenames:
        yield
        return
    request.getfixturevalue("transactional_db")
    requests = in_flight(request.getfixturevalue("live_server"))
    yield
    requests.wait_quiet()


@pytest.fixture
def open_page(browser, live_server):
    """A page at a given viewport width that cannot reach the internet."""
    contexts = []

    def open_page(width, height=800):
        context = browser.new_context(viewport={"width": width, "height": height})
        context.set_default_timeout(10_000)
        context.route(EXTERNAL, lambda route: route.abort())
        contexts.append(context)
        page = context.new_page()
        page.csp_violations = []
        page.console_errors = []
        page.failed_requests = []
        page.on(
            "console",
            lambda message: (
                "Content Security Policy" in message.text
                and page.csp_violations.append(message.text)
            ),
        )
        page.on(
            "console",
            lambda message: message.type == "error" and page.console_errors.append(message.text),
        )
        page.on("pageerror", lambda error: page.console_errors.append(str(error)))
        page.on(
            "requestfailed",
            lambda request: page.failed_requests.append(f"{request.url} ({request.failure})"),
        )
        page.on(
            "response",
            lambda response: (
                response.status >= 400
                and page.failed_requests.append(f"{response.url} ({response.status})")
            ),
        )
        page.base_url = live_server.url
        return page

    yield open_page
    for context in contexts:
        context.close()


@pytest.fixture(scope="session")
def axe():
    source = axe_source()

    def violations(page):
        """axe-core's violations on the page, as "rule: target" strings."""
        # Evaluated through the DevTools protocol: the site's CSP forbids inline script tags.
        page.evaluate(source)
        found = page.evaluate(
            "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
            ".map(v => v.id + ': ' + v.nodes.map(n => n.target.join(' ')).join(', '))"
        )
        return found

    return violations


@pytest.fixture
def screenshot():
    ARTIFACTS.mkdir(parents=True, exist_ok=True)

    def take(page, name):
        page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=False)

    return take


def scrolls_sideways(page):
    return page.evaluate(
        "() => document.documentElement.scrollWidth > document.documentElement.clientWidth"
    )
