"""Reflow (WCAG 1.4.10): at 320 CSS pixels wide, pages do not scroll sideways."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from tests.browser.conftest import axe_check, goto, log_in
from turbine.accounts.models import User

pytestmark = pytest.mark.browser

WIDTH = 320


def assert_no_horizontal_scroll(page: Page) -> None:
    scroll_width = page.evaluate("() => document.documentElement.scrollWidth")
    if scroll_width > WIDTH:
        wide = page.evaluate(
            """width => [...document.querySelectorAll('body *')]
                .filter(e => !e.closest('table') && e.getBoundingClientRect().right > width)
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


def test_it_folds_the_menu_behind_a_button_on_a_phone(open_page: Callable[..., Page]) -> None:
    page = open_page(viewport={"width": 375, "height": 800})
    goto(page, "/aides/")
    menu = page.get_by_role("button", name="Menu")
    expect(menu).to_have_attribute("aria-expanded", "false")
    nav = page.get_by_role("navigation", name="Navigation principale")
    expect(nav).to_be_hidden()
    # The page's own heading is near the top, not a third of the screen down.
    assert page.get_by_role("heading", level=1).bounding_box()["y"] < 300

    menu.click()
    expect(menu).to_have_attribute("aria-expanded", "true")
    expect(nav.get_by_role("link", name="Acteurs")).to_be_visible()
    axe_check(page)
    page.keyboard.press("Escape")
    expect(nav).to_be_hidden()
    expect(menu).to_be_focused()


def test_it_puts_results_before_the_filters_on_a_phone(open_page: Callable[..., Page]) -> None:
    page = open_page(viewport={"width": 375, "height": 800})
    goto(page, "/aides/?q=velo")
    toggle = page.get_by_role("button", name=re.compile(r"^Filtrer les aides \(1\)$"))
    expect(toggle).to_have_attribute("aria-expanded", "false")
    form = page.get_by_role("search", name="Filtres des aides")
    expect(form).to_be_hidden()
    toggle.click()
    expect(form).to_be_visible()
    expect(form.get_by_label("Mots recherchés")).to_be_focused()
    expect(form.get_by_label("Mots recherchés")).to_have_value("velo")
    axe_check(page)


def test_it_shows_the_whole_menu_and_filters_without_javascript(
    open_page: Callable[..., Page],
) -> None:
    page = open_page(viewport={"width": 375, "height": 800}, java_script_enabled=False)
    goto(page, "/aides/")
    expect(
        page.get_by_role("navigation", name="Navigation principale").get_by_role(
            "link", name="Acteurs"
        )
    ).to_be_visible()
    expect(page.get_by_role("button", name="Menu")).to_be_hidden()
    expect(
        page.get_by_role("search", name="Filtres des aides").get_by_label("Mots recherchés")
    ).to_be_visible()


def test_it_keeps_the_desktop_header_on_two_lines(page: Page) -> None:
    goto(page, "/")
    expect(page.get_by_role("button", name="Menu")).to_be_hidden()
    brand = page.locator(".brand").bounding_box()
    login = page.get_by_role("navigation", name="Mon compte").bounding_box()
    nav = page.get_by_role("navigation", name="Navigation principale").bounding_box()
    assert abs(login["y"] - brand["y"]) < 20  # account links on the brand's line
    assert nav["y"] > brand["y"] + 20  # the sections on the line below
