"""The funding catalogue in a browser: search by commune and theme, an aid, alerts."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from playwright.sync_api import Page, expect

from tests.browser.conftest import axe_check, goto, log_in
from turbine.funding.models import Alert, ProjectFunding
from turbine.funding.services.catalogue import perimeters_load
from turbine.funding.tests.factories import FunderFactory, commune, make_aid, perimeter
from turbine.projects.tests.factories import ProjectFactory

pytestmark = pytest.mark.browser


@pytest.fixture
def catalogue(live_server) -> dict:
    perimeters_load(departments=["62"])
    ademe = FunderFactory(name="ADEME", level="etablissement-public")
    chaleur = make_aid(
        title="Fonds Chaleur (exemple)",
        funders=[ademe],
        themes=["energie"],
        is_call_for_projects=True,
        short_description="Chaleur renouvelable pour les collectivités.",
        description="Géothermie, **biomasse**, solaire thermique.",
        perimeters=[perimeter("country", "FR")],
    )
    funded = ProjectFactory(title="Chaufferie bois de la cité (démo)", commune_codes=["62498"])
    ProjectFunding.objects.create(
        project=funded, source="ADEME", aid=chaleur, kind="public", amount=120_000
    )
    ProjectFactory(title="Chaufferie en brouillon", visibility="draft")
    make_aid(title="Vélo à Béthune", themes=["mobilite"], perimeters=[commune("62119")])
    make_aid(title="Énergie à Lens", themes=["energie"], perimeters=[commune("62498")])
    return {"chaleur": chaleur}


def test_it_searches_aids_by_commune_and_theme_then_opens_one(page: Page, catalogue: dict) -> None:
    goto(page, "/aides/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Aides et appels à projets")
    page.get_by_label("Commune").fill("Béthune")
    page.get_by_role("checkbox", name="Énergie").check()
    page.get_by_role("button", name="Rechercher").click()
    expect(page).to_have_url(re.compile(r"commune=62119"))
    expect(page.locator("#titre-resultats")).to_contain_text("1 aide pour Béthune (62119)")
    axe_check(page)
    goto(page, "/aides/?commune=62119&theme=energie")
    expect(page.locator(".aid-list > li")).to_have_count(1)
    page.get_by_role("link", name="Fonds Chaleur (exemple)").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Fonds Chaleur (exemple)")
    expect(page.locator("strong", has_text="biomasse")).to_be_visible()
    funded = page.get_by_role("region", name="Projets du territoire qui l'ont obtenue")
    expect(funded.get_by_role("listitem")).to_have_count(1)
    axe_check(page)
    funded.get_by_role("link", name="Chaufferie bois de la cité (démo)").click()
    expect(page.get_by_role("link", name="ADEME")).to_have_attribute(
        "href", f"/aides/{catalogue['chaleur'].pk}/"
    )
    axe_check(page)
    goto(page, "/financeurs/")
    goto(page, "/aides/echeances/")
    expect(page.get_by_role("link", name="Fonds Chaleur (exemple)")).to_be_visible()


def test_it_saves_an_alert_confirms_it_and_unsubscribes(page: Page, catalogue: dict) -> None:
    goto(page, "/aides/?commune=62119&theme=energie")
    page.get_by_label("Votre adresse électronique").fill("dora@example.org")
    page.get_by_label("Fréquence").select_option(label="Chaque jour")
    page.get_by_role("button", name="Créer l'alerte").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("confirmez votre alerte")
    axe_check(page)
    alert = Alert.objects.get()
    assert alert.query == "commune=62119&theme=energie" and not alert.is_active
    body = mail.outbox[-1].body
    confirm = re.search(r"http://\S+/confirmer/", body).group(0)
    goto(page, confirm.split("8000", 1)[1])
    page.get_by_role("button", name="Confirmer mon alerte").click()
    expect(page.get_by_text("Votre alerte est confirmée.")).to_be_visible()
    axe_check(page)
    assert Alert.objects.get().is_active
    unsubscribe = re.search(r"http://\S+/desabonner/", body).group(0)
    goto(page, unsubscribe.split("8000", 1)[1])
    page.get_by_role("button", name="Me désabonner").click()
    expect(page.get_by_text("Vous êtes désabonné")).to_be_visible()
    axe_check(page)
    assert Alert.objects.get().unsubscribed_at is not None


def test_it_fits_a_narrow_screen_and_lets_staff_add_a_note(
    open_page,
    live_server,
    catalogue: dict,
    bruno,
) -> None:
    page = open_page(viewport={"width": 320, "height": 800})
    goto(page, "/aides/?commune=62119")
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 320
    log_in(page, live_server, bruno)
    goto(page, f"/aides/{catalogue['chaleur'].pk}/")
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 320
    page.get_by_label("Note (Markdown)").fill("Pour le PMA : contact à la **Région**.")
    page.get_by_label("Visibilité").select_option(label="Équipe de la Turbine seulement")
    page.get_by_role("button", name="Enregistrer la note").click()
    expect(page.get_by_text("Note enregistrée.")).to_be_visible()
    expect(page.locator(".local-note")).to_contain_text("Note interne à l'équipe")
    axe_check(page)


def test_it_publishes_a_partner_search_and_asks_an_introduction(
    open_page,
    live_server,
    catalogue: dict,
    alice,
    chloe,
) -> None:
    aid_url = f"/aides/{catalogue['chaleur'].pk}/"
    page = open_page()
    log_in(page, live_server, chloe)
    goto(page, aid_url)
    page.get_by_label("Votre structure (facultatif)").fill("Association Vélo Béthune (démo)")
    page.get_by_label("Nous voulons répondre et cherchons des partenaires avec…").fill(
        "une commune prête à accueillir une chaufferie bois"
    )
    page.get_by_role("button", name="Publier ma recherche de partenaires").click()
    expect(page.get_by_text("Votre recherche de partenaires est publiée")).to_be_visible()
    axe_check(page)
    other = open_page()
    log_in(other, live_server, alice)
    goto(other, aid_url)
    other.get_by_label("Votre message").fill("La commune de Lens est intéressée.")
    other.get_by_role("button", name="Demander une mise en relation").click()
    expect(other.get_by_text("Mise en relation demandée")).to_be_visible()
    axe_check(other)
