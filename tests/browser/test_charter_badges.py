"""The charter and the label where actors and projects are seen, in a real browser: an
association leader creates her organisation's page, adheres to the charter in the same form,
and sees the « Signataire de la charte » badge on the page, in the directory (filtered) and on
the signatories' page; a labelled project shows its badge on the project list, its page and
the map's popup, each linking to the label's public page. Every page is checked with axe-core."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from tests.browser.conftest import axe_check, goto, log_in
from tests.browser.test_directory_map import no_tiles
from turbine.accounts.models import User
from turbine.directory.models import Organisation
from turbine.label.models import CharterSignature
from turbine.label.tests.factories import CharterVersionFactory, grant_label, make_referential
from turbine.projects.tests.factories import ProjectFactory

pytestmark = pytest.mark.browser

NAME = "Les Incroyables Comestibles de Liévin"


def test_an_association_joins_adheres_and_sees_the_badges(
    page: Page, live_server: LiveServer, chloe: User, bruno: User
) -> None:
    no_tiles(page)
    CharterVersionFactory(number=1, text="## Nos engagements\n\n- Coopérer, pas concurrencer.")
    referential = make_referential(bruno)
    project = ProjectFactory(
        title="Atelier de réemploi de Lens", latitude=50.4319, longitude=2.8315, holder_user=chloe
    )
    application = grant_label(referential, project=project, stars=3)

    # Chloé creates her association's page: the form asks for the charter.
    log_in(page, live_server, chloe)
    goto(page, "/acteurs/")
    page.get_by_role("link", name="Créer la fiche d'une organisation").first.click()
    expect(page.get_by_role("group", name="Adhérer à la charte de la Turbine")).to_be_visible()
    axe_check(page)
    page.get_by_label("Nom de l'organisation").fill(NAME)
    page.locator("#id_kind").select_option("association")
    page.get_by_label("Ceux qui font").check()
    lievin = page.locator("#id_commune option", has_text="Liévin").first.get_attribute("value")
    page.locator("#id_commune").select_option(value=lievin)
    page.get_by_label("Votre nom et prénom").fill("Chloé Durand")
    page.get_by_label("Votre fonction dans la structure").fill("Présidente")
    page.get_by_role("button", name="Créer la fiche").click()
    # Not adhered: nothing is created, the charter step says why.
    expect(page.locator(".join-charter [role=alert]")).to_contain_text("Cochez la case")
    axe_check(page)
    assert not Organisation.objects.filter(name=NAME).exists()
    accept = "J'ai lu la charte de la Turbine (version 1) et ma structure y adhère."
    page.get_by_label(accept).check()
    page.get_by_role("button", name="Créer la fiche").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(NAME)
    badge = page.locator("main .mark-list").get_by_role("link", name="Signataire de la charte · v1")
    expect(badge).to_be_visible()
    expect(page.locator("#titre-charte-organisation + p")).to_contain_text(
        "adhère à la charte de la Turbine"
    )
    axe_check(page)
    signature = CharterSignature.objects.get(organisation__name=NAME)
    assert (signature.signed_by, signature.signer_role) == (chloe, "Présidente")

    # The badge links to the organisation's adherences.
    badge.click()
    expect(page.locator("main")).to_contain_text("Chloé Durand")
    axe_check(page)

    # The directory, filtered on the signatories.
    goto(page, "/acteurs/")
    page.get_by_label("Seulement les signataires de la charte").check()
    page.get_by_role("button", name="Appliquer").click()
    expect(page.locator(".result-list > li")).to_have_count(1)
    expect(page.locator(".result-list")).to_contain_text("Signataire de la charte · v1")
    axe_check(page)

    # A labelled project: its badge on the list and on its page, linking to the registry.
    goto(page, "/projets/")
    label = page.locator(".result-list").get_by_role("link", name="Label Turbine · 3 étoiles sur 5")
    expect(label).to_have_attribute("href", f"/label/registre/{application.pk}/")
    goto(page, f"/projets/{project.pk}/")
    page.locator("main .mark-list").get_by_role("link", name="Label Turbine").click()
    expect(page).to_have_url(f"{live_server.url}/label/registre/{application.pk}/")
    axe_check(page)

    # The map's popup carries it too.
    goto(page, "/carte/?type=projet")
    page.get_by_role("button", name="Voir sur la carte : Atelier de réemploi de Lens").click()
    popup = page.locator(".leaflet-popup-content")
    expect(popup.get_by_role("link", name="Label Turbine · 3 étoiles sur 5")).to_have_attribute(
        "href", f"/label/registre/{application.pk}/"
    )
    axe_check(page)


def test_a_partner_embeds_the_labelled_projects_with_their_badges(
    page: Page, live_server: LiveServer, bruno: User
) -> None:
    no_tiles(page)
    referential = make_referential(bruno)
    labelled = ProjectFactory(
        title="Atelier de réemploi de Lens", latitude=50.4319, longitude=2.8315
    )
    application = grant_label(referential, project=labelled, stars=3)
    ProjectFactory(title="Vélo-école de Liévin", latitude=50.42, longitude=2.78)

    # The code page offers « only labelled projects »; the snippet carries it.
    goto(page, "/embed/")
    page.get_by_label("Seulement les projets labellisés").check()
    page.get_by_role("button", name="Mettre à jour le code").click()
    axe_check(page)
    code = page.get_by_label("Code à copier dans votre page").first.input_value()
    assert "label=on" in code
    goto(page, "/embed/projets/?label=on")
    cards = page.locator(".embed-cards")
    expect(cards).to_contain_text("Atelier de réemploi de Lens")
    expect(cards).not_to_contain_text("Vélo-école de Liévin")
    badge = cards.get_by_role("link", name="Label Turbine · 3 étoiles sur 5")
    expect(badge).to_have_attribute("href", f"/label/registre/{application.pk}/")
    axe_check(page)
    goto(page, "/embed/carte/?type=projet&label=on")
    expect(page.locator("#carte .leaflet-marker-icon, #carte .marker-cluster")).to_have_count(1)
    axe_check(page)
