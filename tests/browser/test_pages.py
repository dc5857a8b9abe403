"""The public pages: content, accessibility, and the axe-core check itself."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import axe_check, goto

pytestmark = pytest.mark.browser


def test_it_shows_the_home_page(page: Page) -> None:
    goto(page, "/")
    expect(page).to_have_title("Accueil · Turbine de l'éco-transition")
    expect(page.get_by_role("heading", level=1)).to_have_text("La Turbine de l'éco-transition")
    # Each figure reads as one phrase, number first ("150 communes").
    figures = page.locator(".figures > li")
    expect(figures.filter(has_text="agglomérations")).to_have_text("3 agglomérations")
    expect(figures.filter(has_text="communes")).to_have_text("150 communes")
    expect(page.get_by_role("note")).to_contain_text("Site de démonstration")

    # The home page's own search form leads to the results, JavaScript or not.
    page.get_by_role("searchbox", name="Rechercher").fill("Liévin")
    page.get_by_role("search").get_by_role("button", name="Rechercher").click()
    expect(page).to_have_url(re.compile(r"/recherche/\?q=Li%C3%A9vin$"))
    expect(
        page.locator(".result-list").get_by_role("link", name="Liévin", exact=True)
    ).to_be_visible()
    axe_check(page)


@pytest.mark.parametrize(
    "path",
    [
        "/territoire/",
        "/territoire/agglomerations/200072460/",
        "/territoire/communes/62119/",
        "/mentions-legales/",
        "/accessibilite/",
        "/compte/donnees/",
        "/compte/login/",
        "/compte/password/reset/",
        # Not "/api/v1/docs": see NOT_AXE_CHECKED.
    ],
)
def test_it_serves_accessible_public_pages(page: Page, path: str) -> None:
    goto(page, path)
    expect(page.get_by_role("heading", level=1)).to_be_visible()


def test_it_fails_on_a_serious_accessibility_violation(page: Page) -> None:
    """The check is not vacuous: a field without a label, added to a real page, is reported."""
    goto(page, "/")
    page.evaluate(
        "() => document.querySelector('main').insertAdjacentHTML('beforeend', '<input id=x>')"
    )
    with pytest.raises(AssertionError, match=r"(?s)\[critical\] label: .*#x"):
        axe_check(page)
