"""Browser-test harness: Debian's Chromium driven by Playwright against Django's live server.

Never downloads a browser: Chromium comes from Debian's package (installed by `make test`).
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from django.conf import settings

# Playwright's sync API runs an event loop in this thread; the ORM calls our tests make for
# set-up happen outside it, so Django's async-safety guard does not apply here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

from playwright.sync_api import (  # noqa: E402
    Browser,
    BrowserContext,
    ConsoleMessage,
    Error,
    Page,
    sync_playwright,
)

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
ARTIFACTS = Path(settings.BASE_DIR) / "test-artifacts"


def chromium_path() -> str:
    path = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
    if not Path(path).exists():
        pytest.fail(
            "Chromium is missing: `make test` installs Debian's chromium package. "
            "Set CHROMIUM_PATH to use another Chromium.",
            pytrace=False,
        )
    return path


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/browser" in str(item.path):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium_path(), headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]):
    report = yield
    if report.when == "call":
        item.user_properties.append(("failed", report.failed))
    return report


def track_console_errors(page: Page) -> None:
    """Collect console errors (CSP violations among them) and uncaught exceptions in
    `page.console_errors`, for tests to assert on."""
    errors: list[str] = []

    def record(message: ConsoleMessage) -> None:
        if message.type != "error":
            return
        if message.text.startswith("htmx:sendAbort"):
            # The browser aborted a request in flight because the test moved to another page
            # while a polling page was asking for news: htmx logs that (and the afterRequest
            # just before it) as an error, but nothing on the page went wrong. Failed requests
            # log htmx:responseError or htmx:sendError, which still count.
            if errors and errors[-1].startswith("htmx:afterRequest"):
                errors.pop()
            return
        errors.append(message.text)

    def record_exception(error: Error) -> None:
        errors.append(f"uncaught: {error}")

    page.on("console", record)
    page.on("pageerror", record_exception)
    page.console_errors = errors  # type: ignore[attr-defined]


@pytest.fixture
def new_page(browser: Browser) -> Iterator[Callable[[], Page]]:
    """Open more pages, each in its own browser context (another person); all are closed
    before the live server stops."""
    contexts: list[BrowserContext] = []

    def open_page() -> Page:
        context = browser.new_context(locale="nl-NL", viewport={"width": 1280, "height": 900})
        contexts.append(context)
        page = context.new_page()
        track_console_errors(page)
        page.set_default_timeout(10_000)
        return page

    yield open_page
    for context in contexts:
        context.close()


@pytest.fixture
def demo(transactional_db: None) -> None:
    """The demo region, its people and the demo persona, visible to the live server."""
    from zio.demo.services import demo_seed

    demo_seed()


@pytest.fixture
def page(browser: Browser, request: pytest.FixtureRequest) -> Iterator[Page]:
    context = browser.new_context(locale="nl-NL", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    track_console_errors(page)
    page.set_default_timeout(10_000)
    yield page
    if dict(request.node.user_properties).get("failed"):
        ARTIFACTS.mkdir(exist_ok=True)
        name = re.sub(r"[^\w.-]+", "_", request.node.nodeid)
        page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
    context.close()
