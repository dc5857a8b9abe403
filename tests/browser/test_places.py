"""An elected official in a real browser: she follows Lens from its dashboard, finds it in her
account menu, reads the briefing and downloads it as a PDF; the dashboard reflows at 320 px."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from tests.browser.conftest import axe_check, goto, log_in
from tests.browser.test_small_screen import WIDTH, assert_no_horizontal_scroll
from turbine.accounts.tests.factories import UserFactory
from turbine.portal.models import PlaceFollow
from turbine.projects.tests.factories import ProjectFactory
from turbine.territory.models import Commune

pytestmark = pytest.mark.browser

LENS = "62498"


def test_an_official_follows_lens_and_downloads_its_briefing(
    page: Page, live_server: LiveServer, territory: object
) -> None:
    ProjectFactory(title="Atelier vélo solidaire", commune_codes=[LENS], theme_slugs=["mobilite"])
    elise = UserFactory(email="elise@example.org", roles=["élu"])
    log_in(page, live_server, elise)
    goto(page, f"/territoire/communes/{LENS}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Lens")
    expect(page.locator("main")).to_contain_text("Atelier vélo solidaire")
    page.get_by_role("button", name="Suivre ce lieu").click()
    expect(page.locator(".messages")).to_contain_text("Vous suivez ce lieu")
    axe_check(page)
    assert PlaceFollow.objects.filter(user=elise, commune__code=LENS).exists()

    page.get_by_role("link", name="Mes communes").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mes lieux suivis")
    axe_check(page)
    page.get_by_role("link", name="La note sur Lens").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Note pour les élus : Lens")
    axe_check(page)
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Télécharger la note en PDF").click()
    download = download_info.value
    assert download.suggested_filename == "note-elus-lens.pdf"
    with open(download.path(), "rb") as pdf:
        assert pdf.read(5) == b"%PDF-"


def test_the_dashboards_fit_a_320px_screen(
    open_page: Callable[..., Page], territory: object
) -> None:
    ProjectFactory(title="Atelier vélo solidaire", commune_codes=[LENS], theme_slugs=["mobilite"])
    page = open_page(viewport={"width": WIDTH, "height": 640})
    siren = Commune.objects.get(code=LENS).agglomeration.siren
    paths = [
        f"/territoire/communes/{LENS}/",
        f"/territoire/communes/{LENS}/briefing/",
        f"/territoire/agglomerations/{siren}/",
        "/financeurs/",
    ]
    for path in paths:
        goto(page, path)
        assert_no_horizontal_scroll(page)
