"""The directory in a browser: lists, detail pages, creating an organisation, joining one."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from tests.browser.conftest import axe_check, goto, log_in
from turbine.accounts.tests.factories import UserFactory
from turbine.core.models import Theme
from turbine.directory import services
from turbine.directory.models import Membership
from turbine.directory.tests.factories import NetworkFactory

pytestmark = pytest.mark.browser


def test_it_creates_an_organisation_and_handles_a_request_to_join(
    page: Page, live_server: LiveServer
) -> None:
    NetworkFactory(name="CERDD", slug="cerdd")
    alice = UserFactory(display_name="Alice", commune_code="62498")
    log_in(page, live_server, alice)
    goto(page, "/acteurs/")
    page.get_by_role("link", name="Créer la fiche d'une organisation").first.click()
    axe_check(page)
    page.get_by_label("Nom de l'organisation").fill("Repair café de Lens")
    page.locator("#id_kind").select_option("association")
    page.get_by_label("Ceux qui font").check()
    page.get_by_label("Numéro SIREN").fill("123")
    lens = page.locator("#id_commune option", has_text="Lens").first.get_attribute("value")
    page.locator("#id_commune").select_option(value=lens)
    page.get_by_label("Mobilité").check()
    page.get_by_label("CERDD").check()
    page.get_by_label("Présentation").fill("Un **atelier** de réparation.")
    page.get_by_role("button", name="Créer la fiche").click()
    expect(page.get_by_role("alert")).to_contain_text("Le formulaire contient une erreur")
    axe_check(page)
    page.get_by_label("Numéro SIREN").fill("")
    page.get_by_role("button", name="Créer la fiche").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Repair café de Lens")
    expect(page.locator(".prose strong")).to_have_text("atelier")
    axe_check(page)

    # Chloé asks to join; Alice accepts.
    chloe = UserFactory(display_name="Chloé")
    other = page.context.browser.new_context(base_url=live_server.url, bypass_csp=True)
    try:
        page2 = other.new_page()
        log_in(page2, live_server, chloe)
        page2.goto(page.url)
        page2.get_by_label("Message aux administrateurs").fill("Je répare des vélos.")
        page2.get_by_role("button", name="Demander à rejoindre").click()
        expect(page2.get_by_role("status")).to_contain_text("Votre demande est envoyée")
    finally:
        other.close()
    page.get_by_role("link", name="Gérer les membres").click()
    axe_check(page)
    page.get_by_role("button", name="Accepter Chloé").click()
    expect(page.get_by_role("status")).to_contain_text("Demande acceptée")
    axe_check(page)
    assert Membership.objects.get(user=chloe).status == "active"


def test_it_lists_people_and_networks_accessibly(open_page, live_server: LiveServer) -> None:
    network = NetworkFactory(name="Réseau des ressourceries", slug="ressourceries")
    person = UserFactory(display_name="Gaëlle", is_profile_public=True, commune_code="62119")
    services.profile_update(
        user=person,
        know_how="Compostage collectif",
        can_help_with="Lancer un composteur de quartier",
        themes=Theme.objects.filter(slug="alimentation"),
        networks=[network],
    )
    page = open_page(viewport={"width": 320, "height": 800})
    for path in (
        "/acteurs/personnes/",
        f"/acteurs/personnes/{person.pk}/",
        "/reseaux/",
        "/reseaux/ressourceries/",
    ):
        goto(page, path)
        assert page.evaluate("document.documentElement.scrollWidth <= 320"), path
    goto(page, "/acteurs/personnes/?theme=alimentation")
    expect(page.locator(".result-list > li")).to_have_count(1)


def test_it_imports_a_csv_after_a_preview(page: Page, live_server: LiveServer, tmp_path) -> None:
    bruno = UserFactory(roles=["conseiller"], is_staff=True)
    log_in(page, live_server, bruno)
    bad = tmp_path / "acteurs.csv"
    bad.write_text("nom;type;famille\nRecyclerie;association;font\nSans famille;association;\n")
    goto(page, "/acteurs/import/")
    page.get_by_label("Organisations").check()
    page.get_by_label("Fichier CSV").set_input_files(str(bad))
    page.get_by_role("button", name="Vérifier le fichier").click()
    expect(page.get_by_role("alert")).to_contain_text("Une ligne est à corriger")
    expect(page.get_by_role("table", name="Erreurs")).to_contain_text("3")
    axe_check(page)
    good = tmp_path / "acteurs-ok.csv"
    good.write_text("nom;type;famille\nRecyclerie;association;font\nCollectif;collectif;font\n")
    page.get_by_label("Organisations").check()
    page.get_by_label("Fichier CSV").set_input_files(str(good))
    page.get_by_role("button", name="Vérifier le fichier").click()
    page.get_by_role("button", name="Confirmer l'import de 2 lignes").click()
    expect(page.get_by_role("status")).to_contain_text("2 lignes importées")
    axe_check(page)


def test_it_keeps_the_edit_pages_accessible(page: Page, live_server: LiveServer) -> None:
    from turbine.directory.tests.factories import NeedOfferFactory, OrganisationFactory
    from turbine.projects.tests.factories import ProjectFactory

    alice = UserFactory(display_name="Alice", is_profile_public=True)
    org = OrganisationFactory(admin=alice, theme_slugs=["energie"])
    project = ProjectFactory(holder_user=alice, visibility="draft")
    item = NeedOfferFactory(author=alice)
    log_in(page, live_server, alice)
    for path in (
        "/acteurs/mon-profil/",
        f"/acteurs/{org.pk}/modifier/",
        f"/projets/{project.pk}/modifier/",
        "/projets/mes-projets/",
        f"/besoins-offres/{item.pk}/modifier/",
        "/mises-en-relation/",
    ):
        goto(page, path)
    goto(page, "/acteurs/mon-profil/")
    page.get_by_label("Mon savoir-faire").fill("Animer des ateliers de réparation")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_role("status")).to_contain_text("profil d'annuaire est enregistré")
    axe_check(page)
