"""Reflow (WCAG 1.4.10): at 320 CSS pixels wide, pages do not scroll sideways."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from playwright.sync_api import Page
from pytest_django.live_server_helper import LiveServer

from tests.browser.conftest import goto, log_in
from turbine.accounts.models import User

pytestmark = pytest.mark.browser

WIDTH = 320


def assert_no_horizontal_scroll(page: Page) -> None:
    scroll_width = page.evaluate("() => document.documentElement.scrollWidth")
    if scroll_width > WIDTH:
        wide = page.evaluate(
            """width => [...document.querySelectorAll('body *')]
                .filter(e => e.getBoundingClientRect().right > width)
                .slice(0, 10)
                .map(e => `${e.tagName.toLowerCase()}.${e.className}: `
                    + `${Math.round(e.getBoundingClientRect().right)}px`)""",
            WIDTH,
        )
        raise AssertionError(f"{page.url} is {scroll_width}px wide; widest elements: {wide}")


def test_it_fits_a_320px_screen(
    open_page: Callable[..., Page], live_server: LiveServer, alice: User
) -> None:
    page = open_page(viewport={"width": WIDTH, "height": 640})
    for path in ["/", "/recherche/?q=bethune"]:
        goto(page, path)
        assert_no_horizontal_scroll(page)

    log_in(page, live_server, alice)
    for path in ["/compte/profil/", "/compte/jetons/", "/compte/donnees/"]:
        goto(page, path)
        assert_no_horizontal_scroll(page)
