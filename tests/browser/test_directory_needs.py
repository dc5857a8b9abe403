"""Needs and offers in a browser: post a need, see a suggestion, ask for an introduction."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from tests.browser.conftest import axe_check, goto, log_in
from turbine.accounts.tests.factories import UserFactory
from turbine.directory.models import Introduction
from turbine.directory.tests.factories import NeedOfferFactory

pytestmark = pytest.mark.browser


def test_it_posts_a_need_sees_a_suggestion_and_asks_an_introduction(
    page: Page, live_server: LiveServer
) -> None:
    chloe = UserFactory(display_name="Chloé")
    NeedOfferFactory(
        direction="offre",
        kind="materiel",
        title="Prête une broyeuse à végétaux",
        author=chloe,
        commune_codes=["62498"],
        theme_slugs=["dechets-economie-circulaire"],
    )
    alice = UserFactory(display_name="Alice", commune_code="62498")
    log_in(page, live_server, alice)
    goto(page, "/besoins-offres/")
    expect(page.locator(".result-list > li")).to_have_count(1)
    page.get_by_role("link", name="Publier un besoin ou une offre").click()
    axe_check(page)
    page.get_by_label("Je cherche").check()
    page.locator("#id_kind").select_option("materiel")
    page.get_by_label("Titre de l'annonce").fill("Cherche une broyeuse pour le jardin partagé")
    page.get_by_label("Déchets et économie circulaire").check()
    page.locator("#id_communes").fill("Lens")
    page.get_by_role("option", name="Lens (62300)").click()
    page.get_by_role("button", name="Publier").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Cherche une broyeuse")
    suggestions = page.locator("#titre-suggestions ~ ol > li")
    expect(suggestions).to_have_count(1)
    expect(suggestions.first).to_contain_text("Prête une broyeuse à végétaux")
    expect(suggestions.first).to_contain_text("Même commune : Lens.")
    axe_check(page)
    suggestions.first.locator("summary").click()
    suggestions.first.get_by_label("Votre message").fill("Bonjour, pourriez-vous nous la prêter ?")
    suggestions.first.get_by_role("button", name="Envoyer la demande").click()
    expect(page.get_by_role("status")).to_contain_text("Votre demande est envoyée")
    expect(page.get_by_text("Mise en relation demandée")).to_be_visible()
    axe_check(page)
    introduction = Introduction.objects.get()
    assert introduction.recipient == chloe and introduction.subject_kind == "besoin-offre"

    page.context.clear_cookies()
    log_in(page, live_server, chloe)
    goto(page, "/mises-en-relation/")
    page.get_by_role("button", name="Accepter et partager mon adresse").click()
    expect(page.get_by_role("status")).to_contain_text("vos adresses sont échangées")
    expect(page.get_by_role("link", name=alice.email)).to_be_visible()
    axe_check(page)
