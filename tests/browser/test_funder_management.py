"""A funder in a real browser: Fanny publishes an aid from her management page, a guichet
request then matches it, and she sees that request counted on the demand page; the pages pass
axe-core and fit a 320 px screen."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from tests.browser.conftest import axe_check, goto, log_in
from tests.browser.test_small_screen import WIDTH, assert_no_horizontal_scroll
from turbine.accounts.tests.factories import UserFactory
from turbine.directory.models import Membership, MembershipStatus
from turbine.directory.tests.factories import OrganisationFactory
from turbine.funding.models import Aid, Funder
from turbine.funding.tests.conftest import _ensure as ensure_perimeters
from turbine.funding.tests.factories import FunderFactory, make_aid
from turbine.guichet.tests.factories import make_request

pytestmark = pytest.mark.browser

LENS = "62498"


def _funder(fanny: object) -> Funder:
    ensure_perimeters()
    organisation = OrganisationFactory(
        name="Fondation des jardins du bassin minier", family="aident"
    )
    Membership.objects.create(organisation=organisation, user=fanny, status=MembershipStatus.ACTIVE)
    return FunderFactory(name="Fondation des jardins du bassin minier", organisation=organisation)


def test_a_funder_publishes_an_aid_and_sees_the_demand(
    page: Page, live_server: LiveServer, territory: object
) -> None:
    fanny = UserFactory(
        email="fanny@example.org", display_name="Fanny", roles=["partenaire financeur"]
    )
    funder = _funder(fanny)
    log_in(page, live_server, fanny)
    goto(page, "/")
    page.get_by_role("link", name="Mes aides").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(
        "Les aides de Fondation des jardins"
    )
    axe_check(page)
    page.get_by_role("link", name="Créer une aide").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Nouvelle aide")
    axe_check(page)
    page.get_by_label("Titre").fill("Jardin partagé et potager")
    page.get_by_label("Description courte").fill("Pour les jardins partagés et nourriciers.")
    page.get_by_label("Subvention").check()
    page.get_by_label("Associations").check()
    page.get_by_label("Alimentation").check()
    page.get_by_label("CA de Lens - Liévin (Intercommunalité)").check()
    page.get_by_role("button", name="Enregistrer et publier").click()
    expect(page.locator(".messages")).to_contain_text("Aide publiée")
    axe_check(page)
    aid = Aid.objects.get(title="Jardin partagé et potager")
    assert aid.is_live and list(aid.funders.all()) == [funder]

    request = make_request(
        holder=UserFactory(commune_code=LENS), commune=LENS, title="Jardin partagé de la cité"
    )
    assert aid.pk in [row["id"] for row in request.found["aids"]]

    page.get_by_role("link", name="La demande").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("La demande autour des aides")
    row = page.get_by_role("row").filter(has_text="Jardin partagé et potager")
    expect(row.get_by_role("cell").first).to_have_text("1")
    expect(page.locator("main")).not_to_contain_text("Jardin partagé de la cité")
    axe_check(page)


def test_the_funder_pages_fit_a_320px_screen(
    open_page: Callable[..., Page], live_server: LiveServer, territory: object
) -> None:
    fanny = UserFactory(roles=["partenaire financeur"])
    funder = _funder(fanny)
    aid = make_aid(title="Vergers partagés", funders=[funder])
    page = open_page(viewport={"width": WIDTH, "height": 640})
    log_in(page, live_server, fanny)
    for path in (
        f"/financeurs/{funder.pk}/gestion/",
        f"/financeurs/{funder.pk}/gestion/aides/nouvelle/",
        f"/financeurs/{funder.pk}/gestion/aides/{aid.pk}/",
        f"/financeurs/{funder.pk}/demande/",
    ):
        goto(page, path)
        assert_no_horizontal_scroll(page)
