"""Playwright drives Debian's chromium; never `playwright install` (downloads are blocked)."""

import re
import shutil
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
