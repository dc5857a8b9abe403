"""The map in a browser: markers from the GeoJSON API, the list in sync, a list without
JavaScript. Tile requests never leave the machine: they are answered with a blank image."""

from __future__ import annotations

import base64

import pytest
from playwright.sync_api import Page, Route, expect
from pytest_django.live_server_helper import LiveServer

from tests.browser.conftest import axe_check, goto, log_in
from turbine.accounts.tests.factories import UserFactory
from turbine.directory.tests.factories import OrganisationFactory
from turbine.projects.tests.factories import ProjectFactory

pytestmark = pytest.mark.browser

BLANK_PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII="
)


def no_tiles(page: Page) -> list[str]:
    """Answer every tile request with a blank image, and record them."""
    requested: list[str] = []

    def fulfil(route: Route) -> None:
        requested.append(route.request.url)
        route.fulfill(status=200, content_type="image/png", body=BLANK_PNG)

    page.route("**/*.tile.openstreetmap.org/**", fulfil)
    return requested


def test_it_shows_markers_and_keeps_the_list_in_sync(page: Page) -> None:
    no_tiles(page)
    OrganisationFactory(name="Repair café de Lens", latitude=50.4319, longitude=2.8315)
    OrganisationFactory(name="Ressourcerie de Béthune", latitude=50.5303, longitude=2.6408)
    OrganisationFactory(name="Sans coordonnées")
    goto(page, "/carte/")
    expect(page.locator("#carte .leaflet-marker-icon").first).to_be_visible()
    expect(page.locator("#compte-carte")).to_contain_text("2 résultats dans la zone affichée")
    expect(page.locator("#elements-carte > li")).to_have_count(2)
    axe_check(page)
    # Zoom on Lens: the list follows the area shown.
    page.get_by_role("button", name="Voir sur la carte : Repair café de Lens").click()
    expect(page.locator(".leaflet-popup-content")).to_contain_text("Repair café de Lens")
    page.evaluate(
        "() => document.getElementById('carte').leafletMap.setView([50.4319, 2.8315], 14)"
    )
    expect(page.locator("#elements-carte > li")).to_have_count(1)
    expect(page.locator("#elements-carte")).to_contain_text("Repair café de Lens")
    axe_check(page)


def test_it_lists_the_map_without_javascript(open_page) -> None:
    for i in range(3):
        ProjectFactory(title=f"Projet localisé {i}", latitude=50.4 + i / 100, longitude=2.8)
    page = open_page(java_script_enabled=False, viewport={"width": 320, "height": 800})
    goto(page, "/carte/?type=projet")
    expect(page.locator("#carte")).to_be_hidden()
    expect(page.locator("#elements-carte > li")).to_have_count(3)
    assert page.evaluate("document.documentElement.scrollWidth <= 320")


def test_it_places_an_organisation_with_a_click(page: Page, live_server: LiveServer) -> None:
    no_tiles(page)
    log_in(page, live_server, UserFactory())
    goto(page, "/acteurs/nouvelle/")
    page.locator(".map-picker-canvas").click(position={"x": 100, "y": 100})
    expect(page.locator("#id_latitude")).not_to_have_value("")
    expect(page.locator("#id_longitude")).not_to_have_value("")
