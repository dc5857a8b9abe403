"""Browser tests: Playwright drives Debian's Chromium against pytest-django's live server.

One Chromium per test session (per xdist worker), one fresh browser context per test. Every page
a test lands on is checked with axe-core (vendored in ``vendor/``): a test that reaches a page
and does not check it fails at teardown, and so does a test during which the browser logged an
error (a Content-Security-Policy violation, a failed resource, a JavaScript exception), the
server answered 5xx, or a request left for another server than the live server (map tiles are
answered with a blank tile: the tests never touch the network). Each test leaves a full-page
screenshot in ``var/screenshots/<test name>.png``, failing tests included.

The pages are tested with their Content-Security-Policy enforced (``script-src 'self'``, no
inline scripts): rather than adding axe-core as an inline script tag, which CSP blocks, and
turning CSP off for the context (``bypass_csp``), axe-core's source is evaluated through the
DevTools protocol, which CSP does not govern. ``test_csp.py`` checks on its own that the pages
trigger no CSP violation, with a control proving that a violation would be seen.
"""

from __future__ import annotations

import base64
import os
import re
import weakref
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import (
    Browser,
    BrowserContext,
    ConsoleMessage,
    Frame,
    Page,
    Request,
    Response,
    expect,
    sync_playwright,
)
from playwright.sync_api import (
    Error as PlaywrightError,
)
from pytest_django.live_server_helper import LiveServer

from turbine.accounts.models import User
from turbine.territory.testing import ensure_base_data

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
AXE_SCRIPT = Path(__file__).parent / "vendor" / "axe-core-4.14.1.min.js"
SCREENSHOT_DIR = Path(settings.BASE_DIR) / "var" / "screenshots"
# Impacts that fail a test; "minor" and "moderate" findings are printed but tolerated.
BLOCKING_IMPACTS = {"serious", "critical"}
# Generous, for loaded CI machines; a passing test never waits for it.
TIMEOUT_MS = 15_000
expect.set_options(timeout=TIMEOUT_MS)
# The only other origin the CSP lets pages reach: Leaflet's map tiles. Tests never touch the
# network, so tile requests get a transparent tile.
MAP_TILES = re.compile(r"^https://[a-c]\.tile\.openstreetmap\.org/")
BLANK_TILE = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII="
)
# Pages that are not Turbine's own HTML and fail axe-core; a test may visit them unchecked.
NOT_AXE_CHECKED = {
    "/api/v1/docs": "django-ninja's Swagger UI: colour contrast, nested interactive controls, "
    "no lang attribute (serious violations in the vendored Swagger UI)",
}


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    # Playwright's sync API keeps an asyncio loop running in the test thread for the rest of the
    # session; Django would then refuse ORM calls from that thread (SynchronousOnlyOperation),
    # in browser tests and in every later test of this worker.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture(autouse=True)
def _base_data(live_server: LiveServer) -> None:
    """Live-server tests flush the database after each test, data migrations included; this runs
    before the test's other fixtures (the personas need the communes). The flush cannot take the
    session's base data away from the other tests: pytest-django runs transactional tests after
    the tests that use ``db``."""
    ensure_base_data()


@dataclass
class PageWatch:
    """What a page did during a test: where it went, what axe checked, what went wrong."""

    javascript: bool
    navigated: list[str] = field(default_factory=list)
    checked: set[str] = field(default_factory=set)
    errors: list[str] = field(default_factory=list)
    console: list[ConsoleMessage] = field(default_factory=list)


_watches: weakref.WeakKeyDictionary[Page, PageWatch] = weakref.WeakKeyDictionary()


def _without_fragment(url: str) -> str:
    return url.split("#", 1)[0]


def _watch(page: Page, *, javascript: bool) -> PageWatch:
    watch = PageWatch(javascript=javascript)

    def on_navigated(frame: Frame) -> None:
        # Same-document navigations (htmx's pushState, a skip link) count too.
        if frame == page.main_frame and frame.url != "about:blank":
            watch.navigated.append(_without_fragment(frame.url))

    def on_console(message: ConsoleMessage) -> None:
        watch.console.append(message)
        if message.type == "error":
            watch.errors.append(f"console: {message.text} ({message.location.get('url')})")

    def on_response(response: Response) -> None:
        if response.status >= 500:
            watch.errors.append(f"HTTP {response.status}: {response.url}")

    page.on("framenavigated", on_navigated)
    page.on("console", on_console)
    page.on("pageerror", lambda error: watch.errors.append(f"page error: {error}"))
    page.on("response", on_response)
    return watch


def _screenshot(page: Page, name: str) -> None:
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    try:
        page.screenshot(path=SCREENSHOT_DIR / f"{name}.png", full_page=True)
    except Exception as exc:  # a closed or crashed page must not hide the test's own result
        print(f"no screenshot {name}: {exc}")


_page_count = pytest.StashKey[int]()


def _new_context(browser: Browser, **options: Any) -> BrowserContext:
    context = browser.new_context(locale="fr-FR", **options)
    context.set_default_timeout(TIMEOUT_MS)
    context.route(MAP_TILES, lambda route: route.fulfill(content_type="image/png", body=BLANK_TILE))
    return context


@contextmanager
def _open_page(
    request: pytest.FixtureRequest, browser: Browser, live_server: LiveServer, **options: Any
) -> Iterator[Page]:
    context = _new_context(browser, base_url=live_server.url, **options)
    page = context.new_page()
    watch = _watches[page] = _watch(page, javascript=options.get("java_script_enabled", True))
    # Any other request leaving the machine is a bug (CSP would normally block it first).
    local = re.compile(rf"^({re.escape(live_server.url)}/|data:|blob:)")

    def on_request(outgoing: Request) -> None:
        if not local.match(outgoing.url) and not MAP_TILES.match(outgoing.url):
            watch.errors.append(f"request outside the test server: {outgoing.url}")

    page.on("request", on_request)
    # The first page of a test is named after it, the next ones get a number.
    number = request.node.stash[_page_count] = request.node.stash.get(_page_count, 0) + 1
    name = re.sub(r"[^\w.-]+", "_", request.node.name) + (f"-{number}" if number > 1 else "")
    try:
        yield page
    finally:
        _screenshot(page, name)
        context.close()
    if not getattr(request.node, "rep_call_failed", False):
        unchecked = sorted(
            {
                url
                for url in watch.navigated
                if url not in watch.checked and urlsplit(url).path not in NOT_AXE_CHECKED
            }
        )
        assert not unchecked, f"pages reached without an accessibility check: {unchecked}"
        assert not watch.errors, "errors in the browser:\n" + "\n".join(watch.errors)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Any:
    report = yield
    if report.when == "call" and report.failed:
        item.rep_call_failed = True  # type: ignore[attr-defined]  # teardown checks skip then
    return report


@pytest.fixture
def page(
    request: pytest.FixtureRequest, browser: Browser, live_server: LiveServer
) -> Iterator[Page]:
    """A page in a fresh browser context (no cookies), 1280 x 720, French."""
    with _open_page(request, browser, live_server) as page:
        yield page


@pytest.fixture
def open_page(
    request: pytest.FixtureRequest, browser: Browser, live_server: LiveServer
) -> Iterator[Callable[..., Page]]:
    """Opens a page in a fresh context with the given options (``viewport``,
    ``java_script_enabled``...), closed and checked like ``page`` at the end of the test."""
    with ExitStack() as stack:

        def make(**options: Any) -> Page:
            return stack.enter_context(_open_page(request, browser, live_server, **options))

        yield make


@cache
def _axe_source() -> str:
    return AXE_SCRIPT.read_text(encoding="utf-8")


# What Chromium says when a script runs in a document that a click has just replaced.
_NAVIGATING = ("Execution context was destroyed", "reading 'documentElement'")


def _axe_violations(page: Page) -> list[dict[str, Any]]:
    """axe-core's violations on the page, once the page a click has led to is loaded.

    A click on a link returns as soon as the navigation has started: the script could run in
    the document being left. The check waits for the new one, and starts again if the switch
    happens while it runs."""
    for attempt in range(3):
        page.wait_for_load_state("load")
        try:
            if page.evaluate("() => typeof window.axe === 'undefined'"):
                page.evaluate(_axe_source())
            results = page.evaluate(
                "async () => await axe.run(document, {resultTypes: ['violations']})"
            )
        except PlaywrightError as error:
            if attempt == 2 or not any(sign in error.message for sign in _NAVIGATING):
                raise
            continue
        return results["violations"]
    raise AssertionError("unreachable")


def axe_check(page: Page) -> None:
    """Run axe-core on the page as it is now; fail on any serious or critical violation.

    axe-core cannot run where JavaScript is off (it would wait for its timers forever): the
    same address is then checked in a page of its own, with JavaScript and the same cookies,
    which receives the same server-rendered HTML."""
    watch = _watches[page]
    page.wait_for_load_state("load")
    url = _without_fragment(page.url)
    if watch.javascript:
        violations = _axe_violations(page)
    else:
        context = _new_context(page.context.browser)  # type: ignore[arg-type]
        try:
            context.add_cookies(page.context.cookies())
            twin = context.new_page()
            response = twin.goto(url)
            assert response is not None and response.ok, (
                f"{url}: HTTP {response and response.status}"
            )
            violations = _axe_violations(twin)
        finally:
            context.close()
    watch.checked.add(url)
    _check_head_and_skip_link(page if watch.javascript else None, url)
    _screenshot_widths(page, url)
    for v in violations:
        if v["impact"] not in BLOCKING_IMPACTS:
            print(f"axe ({v['impact']}) on {url}: {v['id']}, {[n['target'] for n in v['nodes']]}")
    blocking = [v for v in violations if v["impact"] in BLOCKING_IMPACTS]
    assert not blocking, f"accessibility violations on {url}:\n" + "\n".join(
        f"- [{v['impact']}] {v['id']}: {v['help']} ({v['helpUrl']})\n"
        + "\n".join(f"    {node['target']}: {node['failureSummary']}" for node in v["nodes"])
        for v in blocking
    )


# The structure every page shares: a plain-text <title> (a form once rendered inside it passed
# every other check), and nothing a reader meets before the skip link but the skip link.
_HEAD_AND_SKIP_LINK = """() => {
    const skip = document.querySelector('a.skip-link');
    const before = skip ? [...document.querySelectorAll('body form, body h1, body h2, body h3,'
        + ' body input, body button')].filter(e => e.compareDocumentPosition(skip)
        & Node.DOCUMENT_POSITION_FOLLOWING).map(e => e.outerHTML.slice(0, 80)) : null;
    return {title: document.title, skip: !!skip, before: before};
}"""


def _check_head_and_skip_link(page: Page | None, url: str) -> None:
    if page is None:  # JavaScript off: the twin page already had the same HTML checked by axe
        return
    found = page.evaluate(_HEAD_AND_SKIP_LINK)
    assert found["title"].strip(), f"{url}: empty <title>"
    assert "<" not in found["title"] and ">" not in found["title"], (
        f"{url}: the <title> holds markup: {found['title'][:120]!r}"
    )
    assert found["skip"], f"{url}: no skip link"
    assert not found["before"], f"{url}: before the skip link: {found['before']}"


_screenshotted: set[str] = set()
SCREENSHOT_WIDTHS = (1280, 375)
# Once per CI run is enough: the Makefile turns them off for the PostgreSQL pass.
PAGE_SCREENSHOTS = os.environ.get("TURBINE_PAGE_SCREENSHOTS", "1") != "0"


def _screenshot_widths(page: Page, url: str) -> None:
    """One screenshot per page address at each reviewed width, in ``var/screenshots/pages/``, so
    that a reviewer can look at every page the browser tests reached. They are taken in a page of
    their own with the same cookies (resizing the test's page would change what it tests)."""
    path = urlsplit(url).path
    if path in _screenshotted or not _watches[page].javascript or not PAGE_SCREENSHOTS:
        return
    _screenshotted.add(path)
    folder = SCREENSHOT_DIR / "pages"
    folder.mkdir(parents=True, exist_ok=True)
    slug = re.sub(r"[^\w.-]+", "_", path.strip("/")) or "accueil"
    context = _new_context(page.context.browser)  # type: ignore[arg-type]
    try:
        context.add_cookies(page.context.cookies())
        twin = context.new_page()
        twin.set_viewport_size({"width": SCREENSHOT_WIDTHS[0], "height": 900})
        twin.goto(url)
        for width in SCREENSHOT_WIDTHS:
            twin.set_viewport_size({"width": width, "height": 900})
            twin.screenshot(path=folder / f"{slug}-{width}.png")
    except Exception as exc:  # a review aid: never the cause of a failure
        print(f"no screenshots of {path}: {exc}")
    finally:
        context.close()


def take_console_messages(page: Page) -> list[ConsoleMessage]:
    """The console messages logged so far, forgotten by the end-of-test check: for a test that
    expects errors."""
    watch = _watches[page]
    messages, watch.console, watch.errors = watch.console, [], []
    return messages


def goto(page: Page, path: str, *, status: int = 200) -> None:
    """Open ``path``, check the HTTP status and the page's accessibility."""
    response = page.goto(path)
    assert response is not None and response.status == status, (
        f"{path}: HTTP {response.status if response else '?'}"
    )
    axe_check(page)


def log_in(page: Page, live_server: LiveServer, user: User) -> None:
    """Give the page's context a session for ``user`` without going through the login form."""
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie.value, "url": live_server.url}]
    )
