"""Without JavaScript, searching and reading results work: the form is a plain GET form."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import axe_check, goto

pytestmark = pytest.mark.browser


def test_it_searches_without_javascript(open_page: Callable[..., Page]) -> None:
    page = open_page(java_script_enabled=False)
    goto(page, "/")
    page.get_by_role("navigation", name="Navigation principale").get_by_role(
        "link", name="Recherche"
    ).click()
    axe_check(page)

    page.get_by_label("Mots recherchés").fill("bethune")
    page.get_by_role("radio", name="Communes").check()
    page.get_by_role("button", name="Rechercher", exact=True).click()
    expect(page).to_have_url(re.compile(r"/recherche/\?q=bethune&type=commune$"))
    axe_check(page)
    # Béthune and the three communes "…-lès-Béthune".
    expect(page.locator("#titre-resultats")).to_contain_text("4 résultats pour « bethune »")
    first = page.locator(".result-list > li").first
    expect(first.get_by_role("link")).to_have_text("Béthune")
    expect(first).to_contain_text("25 224 habitants")
    expect(page.locator(".result-list .result-kind")).to_have_text(["Communes"] * 4)

    # Following a result works too.
    first.get_by_role("link").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Béthune")
    axe_check(page)
