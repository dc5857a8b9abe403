"""Projects in a browser: list, creation form, detail page with its graph, moderation."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from tests.browser.conftest import axe_check, goto, log_in
from turbine.accounts.tests.factories import UserFactory
from turbine.projects import services
from turbine.projects.tests.factories import ProjectFactory

pytestmark = pytest.mark.browser


def test_it_presents_a_project_and_links_it(page: Page, live_server: LiveServer) -> None:
    other = ProjectFactory(title="Composteurs de quartier", commune_codes=["62498"])
    chloe = UserFactory(display_name="Chloé", roles=["citoyen", "porteur de projet"])
    log_in(page, live_server, chloe)
    goto(page, "/projets/")
    expect(page.locator(".result-list > li")).to_have_count(1)
    page.get_by_role("navigation", name="Projets").get_by_role(
        "link", name="Présenter un projet"
    ).click()
    axe_check(page)
    page.get_by_label("Titre du projet").fill("Jardin partagé de la friche")
    page.get_by_label("2 – Projet local collectif ou structurant").check()
    page.get_by_label("Alimentation").check()
    page.locator("#id_communes").fill("beth")  # accents and case aside
    page.get_by_role("option", name="Béthune (62400)").click()
    page.get_by_label("Public", exact=True).check()
    page.locator("#id_financements-0-source").fill("Budget participatif")
    page.locator("#id_financements-0-kind").select_option("citoyen")
    page.locator("#id_financements-0-amount").fill("8000")
    page.locator("#id_impacts-0-indicator").select_option("hectares")
    page.locator("#id_impacts-0-value").fill("0.5")
    page.locator("#id_impacts-0-nature").select_option("estime")
    page.get_by_role("button", name="Enregistrer le projet").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Jardin partagé de la friche")
    expect(page.get_by_role("table", name="Impacts attendus et mesurés")).to_contain_text(
        "hectares renaturés"
    )
    axe_check(page)
    page.get_by_label("Numéro du projet lié").fill(str(other.pk))
    page.locator("#id_kind").select_option("synergie")
    page.get_by_role("button", name="Ajouter le lien").click()
    expect(page.get_by_role("img", name="Graphe des liens")).to_be_visible()
    expect(page.locator("#titre-liens ~ ul")).to_contain_text("Composteurs de quartier")
    axe_check(page)


def test_it_queues_a_report_for_staff(page: Page, live_server: LiveServer) -> None:
    holder = UserFactory()
    project = services.project_create(
        user=holder, title="Projet signalé", scale=1, stage="idee", visibility="public"
    )
    alice = UserFactory(display_name="Alice")
    log_in(page, live_server, alice)
    goto(page, f"/projets/{project.pk}/")
    page.get_by_role("link", name="Signaler ce contenu").click()
    axe_check(page)
    page.get_by_label("Ce qui pose problème").fill("Publicité")
    page.get_by_role("button", name="Envoyer le signalement").click()
    expect(page.get_by_role("status")).to_contain_text("signalement est transmis")
    axe_check(page)
    bruno = UserFactory(roles=["conseiller"], is_staff=True)
    page.context.clear_cookies()
    log_in(page, live_server, bruno)
    goto(page, "/moderation/")
    page.get_by_role("button", name="Masquer Projet signalé").click()
    expect(page.get_by_role("status")).to_contain_text("Le contenu est masqué")
    axe_check(page)


def test_it_posts_news_on_a_project(page: Page, live_server: LiveServer) -> None:
    holder = UserFactory(display_name="Chloé", roles=["citoyen", "porteur de projet"])
    project = services.project_create(
        user=holder, title="Jardin de la friche", scale=1, stage="realisation", visibility="public"
    )
    log_in(page, live_server, holder)
    goto(page, f"/projets/{project.pk}/")
    news = page.get_by_role("region", name="Nouvelles du projet")
    news.get_by_label("La nouvelle").fill("Les **bacs** sont posés, la première récolte en juin.")
    news.get_by_role("button", name="Publier la nouvelle").click()
    expect(page.get_by_role("status")).to_contain_text("La nouvelle est publiée")
    expect(news.locator("strong", has_text="bacs")).to_be_visible()
    axe_check(page)
    goto(page, f"/projets/{project.pk}/nouvelles/")
    expect(page.get_by_role("heading", level=2)).to_contain_text("1 nouvelle")
    axe_check(page)
