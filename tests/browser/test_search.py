"""The search page, as a plain form and enhanced by htmx."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Locator, Page, expect

from tests.browser.conftest import axe_check, goto

pytestmark = pytest.mark.browser


def results(page: Page) -> Locator:
    return page.locator(".result-list > li")


def commune_link(page: Page, name: str) -> Locator:
    # Not necessarily the first result: PostgreSQL and SQLite rank the Béthune agglomeration
    # (whose text names many "...-lès-Béthune" communes) differently.
    return (
        results(page)
        .filter(has=page.locator(".result-kind", has_text="Communes"))
        .get_by_role("link", name=name, exact=True)
    )


def test_it_finds_a_commune_without_accents_and_filters_by_type(page: Page) -> None:
    goto(page, "/recherche/?q=bethune")
    expect(page.locator("#titre-resultats")).to_contain_text("résultats pour « bethune »")
    expect(commune_link(page, "Béthune")).to_be_visible()

    goto(page, "/recherche/?q=BETHUNE&type=agglomeration")
    expect(page.get_by_role("radio", name="Agglomérations")).to_be_checked()
    expect(results(page)).to_have_count(1)
    expect(results(page).get_by_role("link")).to_have_text("CA de Béthune-Bruay, Artois-Lys Romane")

    goto(page, "/recherche/?q=velo")
    expect(page.get_by_role("heading", level=2)).to_have_text("Aucun résultat pour « velo ».")


def test_it_searches_as_you_type_with_javascript(page: Page) -> None:
    goto(page, "/")
    page.get_by_role("navigation", name="Navigation principale").get_by_role(
        "link", name="Recherche"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Rechercher dans la Turbine")
    axe_check(page)

    # htmx sends the query as it is typed, swaps the results in and updates the address.
    page.get_by_label("Mots recherchés").fill("béthune")
    status = page.locator("#titre-resultats")
    expect(status).to_contain_text("résultats pour « béthune »")
    expect(page).to_have_url(re.compile(r"/recherche/\?q=b%C3%A9thune"))
    expect(commune_link(page, "Béthune")).to_be_visible()
    axe_check(page)

    page.get_by_role("radio", name="Agglomérations").check()
    expect(status).to_have_text("1 résultat pour « béthune »")
    expect(page).to_have_url(re.compile(r"type=agglomeration"))
    expect(results(page)).to_have_count(1)
    axe_check(page)

    page.get_by_role("radio", name="Communes").check()
    expect(results(page).first.get_by_role("link")).to_have_text("Béthune")
    expect(results(page).locator(".result-kind")).to_have_text(["Communes"] * 4)
    axe_check(page)

    # Every commune's description mentions its inhabitants: 150 results, in pages of 20.
    page.get_by_label("Mots recherchés").fill("habitants")
    expect(page).to_have_url(re.compile(r"q=habitants"))
    expect(results(page).locator(".result-kind")).to_have_text(["Communes"] * 20)
    axe_check(page)

    # Results are paged by 20; the next page is a plain link.
    page.get_by_role("link", name="Page suivante").click()
    expect(page.get_by_text("Page 2 sur")).to_be_visible()
    expect(page.get_by_role("radio", name="Communes")).to_be_checked()
    axe_check(page)
