"""The guichet unique in a browser: a newcomer submits a project (without JavaScript and with
it) and sees the aids found with their reasons; an advisor qualifies, assigns and recommends an
aid; the holder marks it done. Every page is checked with axe-core."""

from __future__ import annotations

import importlib
import re
from collections.abc import Callable

import pytest
from django.apps import apps
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from tests.browser.conftest import axe_check, goto, log_in
from turbine.accounts.models import User
from turbine.accounts.tests.factories import PASSWORD, UserFactory
from turbine.funding.services.catalogue import perimeters_load
from turbine.funding.tests.factories import make_aid
from turbine.guichet.models import MentorOffer, SupportRequest
from turbine.guichet.tests.factories import BETHUNE, advisor, make_request
from turbine.projects.tests.factories import ProjectFactory

pytestmark = pytest.mark.browser


@pytest.fixture
def guichet(live_server: LiveServer) -> dict:
    """The live server flushed the data migrations: put back the grids, the procedures and the
    perimeters, then one open aid for associations of Béthune."""
    importlib.import_module("turbine.guichet.migrations.0002_grids_and_procedures").seed(apps, None)
    importlib.import_module("turbine.guichet.migrations.0005_default_triggers").create(apps, None)
    perimeters_load(departments=["62"])
    aid = make_aid(
        title="Alimentation durable (exemple)",
        themes=["alimentation"],
        beneficiaries=["association"],
        deadline_in=20,
    )
    return {"aid": aid}


def _fill_steps(page: Page) -> None:
    page.get_by_label("Association").check()
    page.get_by_role("button", name="Continuer").click()
    axe_check(page)
    page.get_by_label("Titre du projet").fill("Cuisine solidaire du quartier")
    page.get_by_label("Décrivez votre projet").fill("Des repas cuisinés ensemble et vendus.")
    page.get_by_label("Alimentation").check()
    # Without JavaScript, communes are typed as text, by name.
    page.locator("#id_communes").fill("Béthune")
    page.get_by_label("Budget estimé (€)").fill("15000")
    page.get_by_role("button", name="Continuer").click()
    axe_check(page)
    page.get_by_label("Financement").check()
    page.get_by_label("Démarches et autorisations").check()
    page.get_by_label(re.compile("Préparer, vendre ou distribuer des aliments")).check()
    page.get_by_role("button", name="Continuer").click()
    axe_check(page)


def _sees_what_was_found(page: Page) -> None:
    expect(page.get_by_role("heading", name="Ce que la Turbine a trouvé")).to_be_visible()
    aid = page.locator(".found-list > li", has_text="Alimentation durable (exemple)")
    expect(aid).to_contain_text("Thèmes en commun : Alimentation.")
    expect(aid).to_contain_text("Vous y êtes éligible")
    expect(page.locator("main")).to_contain_text("Déclaration sanitaire")
    axe_check(page)


def test_a_newcomer_submits_without_javascript(
    open_page: Callable[..., Page], guichet: dict, chloe: User
) -> None:
    page = open_page(java_script_enabled=False)
    goto(page, "/guichet/")
    _fill_steps(page)
    expect(page.locator("main")).to_contain_text("Cuisine solidaire du quartier")
    page.get_by_role("link", name="J'ai déjà un compte : me connecter").click()
    axe_check(page)
    page.get_by_label("Courriel").fill(chloe.email)
    page.locator("#id_password").fill(PASSWORD)
    page.get_by_role("button", name="Connexion").click()
    expect(page).to_have_url(re.compile(r"/guichet/envoi/$"))
    page.get_by_label(re.compile("J'accepte que la Turbine")).check()
    page.get_by_role("button", name="Envoyer ma demande").click()
    expect(page).to_have_url(re.compile(r"/guichet/mes-demandes/\d+/$"))
    _sees_what_was_found(page)
    assert SupportRequest.objects.get(holder=chloe).project.title == "Cuisine solidaire du quartier"


def test_a_newcomer_submits_with_javascript(
    page: Page, live_server: LiveServer, guichet: dict, chloe: User
) -> None:
    log_in(page, live_server, chloe)
    goto(page, "/guichet/")
    _fill_steps(page)
    page.get_by_label(re.compile("J'accepte que la Turbine")).check()
    page.get_by_role("button", name="Envoyer ma demande").click()
    _sees_what_was_found(page)
    page.get_by_role("link", name="Mes demandes").click()
    expect(page.get_by_role("table", name="Mes demandes")).to_contain_text("Cuisine solidaire")
    axe_check(page)
    goto(page, "/guichet/demarches/")
    goto(page, "/guichet/chiffres/")
    expect(page.get_by_role("table", name="Demandes par statut")).to_contain_text("Nouvelle")


def test_an_advisor_follows_a_request_and_the_holder_acts(
    page: Page, live_server: LiveServer, guichet: dict, chloe: User
) -> None:
    support_request = make_request(holder=chloe, title="Jardin nourricier")
    local = advisor(agglomeration_of=BETHUNE, themes=["alimentation"], display_name="Zoé")
    log_in(page, live_server, local)
    goto(page, "/guichet/suivi/?band=basse&status=nouvelle")
    goto(page, "/guichet/suivi/")
    page.get_by_role("link", name="Jardin nourricier").click()
    axe_check(page)
    expect(page.locator("main")).to_contain_text("Urgence :")
    page.get_by_label("2 – Projet collectif ou structurant : accompagnement").check()
    page.get_by_role("button", name="Confirmer l'échelle").click()
    expect(page.get_by_role("status")).to_contain_text("C'est enregistré")
    page.get_by_label("Confier à").select_option(label="Zoé")
    page.get_by_role("button", name="Attribuer").click()
    page.get_by_label("Aide du catalogue").fill("Alimentation durable (exemple)")
    page.get_by_role("button", name="Ajouter la recommandation").click()
    expect(page.locator("#titre-recommandations ~ ul")).to_contain_text(
        "Alimentation durable (exemple)"
    )
    axe_check(page)
    support_request.refresh_from_db()
    assert support_request.confirmed_scale == 2 and support_request.advisor == local

    mentor = UserFactory(display_name="Marc")
    done = ProjectFactory(
        title="Potager de la gare", stage="realise", holder_user=mentor,
        commune_codes=[BETHUNE], theme_slugs=["alimentation"],
    )  # fmt: skip
    MentorOffer.objects.create(user=mentor, project=done, message="Je raconte tout.")
    page.context.clear_cookies()
    log_in(page, live_server, chloe)
    goto(page, f"/guichet/mes-demandes/{support_request.pk}/")
    # Results are stored with the request: the mentor who volunteered since shows once asked.
    page.get_by_role("button", name="Chercher à nouveau").click()
    expect(page.get_by_role("status")).to_contain_text("Les résultats sont à jour")
    page.get_by_text("Demander une mise en relation").click()
    page.locator("#message-parrain-" + str(done.guichet_mentor_offer.pk)).fill("Bonjour !")
    page.get_by_role("button", name="Envoyer la demande").click()
    expect(page.get_by_role("status")).to_contain_text("Votre demande est envoyée")
    axe_check(page)
    item = page.locator("#titre-recommandations ~ ul > li").first
    item.get_by_label("Où en êtes-vous ?").select_option(label="Faite")
    item.get_by_role("button", name="Mettre à jour").click()
    expect(page.locator("#titre-recommandations ~ ul > li").first).to_contain_text("Faite")
    axe_check(page)
    assert support_request.recommendations.get().status == "faite"


def test_the_guichet_pages_fit_a_320px_screen(
    open_page: Callable[..., Page], live_server: LiveServer, guichet: dict, chloe: User
) -> None:
    from tests.browser.test_small_screen import WIDTH, assert_no_horizontal_scroll

    support_request = make_request(holder=chloe, title="Jardin nourricier")
    local = advisor(agglomeration_of=BETHUNE, themes=["alimentation"])
    page = open_page(viewport={"width": WIDTH, "height": 640})
    log_in(page, live_server, chloe)
    for path in [
        "/guichet/",
        "/guichet/demarches/",
        "/guichet/chiffres/",
        "/guichet/mes-demandes/",
        f"/guichet/mes-demandes/{support_request.pk}/",
    ]:
        goto(page, path)
        assert_no_horizontal_scroll(page)
    page.context.clear_cookies()
    log_in(page, live_server, local)
    for path in ["/guichet/suivi/", f"/guichet/suivi/{support_request.pk}/"]:
        goto(page, path)
        assert_no_horizontal_scroll(page)


BIKE_WORDS = re.compile(r"vélo|réparation|mobilit", re.IGNORECASE)


def test_the_bike_repair_association_in_lens_sees_mobility_and_repair_aids_before_signing_up(
    page: Page, live_server: LiveServer, guichet: dict, chloe: User
) -> None:
    from turbine.funding.demo import load_catalogue

    load_catalogue()
    goto(page, "/guichet/")
    page.get_by_label("Association").check()
    page.get_by_label("Nom de votre structure").fill("Vélo Cité Lens (démo)")
    page.get_by_role("button", name="Continuer").click()
    axe_check(page)
    page.get_by_label("Titre du projet").fill("Atelier vélo solidaire")
    page.get_by_label("Décrivez votre projet").fill(
        "Un atelier de réparation de vélos où les habitants apprennent à réparer leur vélo "
        "avec des bénévoles."
    )
    for theme in ["Mobilité", "Déchets et économie circulaire", "Solidarité et justice sociale"]:
        page.get_by_label(theme).check()
    # The communes' field offers names as one types; keyboard only.
    communes = page.get_by_role("combobox", name="Communes concernées")
    communes.press_sequentially("lens")
    expect(page.get_by_role("option", name="Lens (62300)")).to_be_visible()
    communes.press("ArrowDown")
    communes.press("Enter")
    expect(communes).to_have_value("Lens (62300), ")
    page.get_by_label("Budget estimé (€)").fill("15000")
    page.get_by_role("button", name="Continuer").click()
    expect(page.locator("main")).not_to_contain_text("Créer une association pour porter")
    axe_check(page)
    page.get_by_label("Financement").check()
    page.get_by_role("button", name="Continuer").click()

    # Anonymous: what Turbine found is there before any account.
    expect(page.locator("main").get_by_role("link", name="Créer un compte")).to_be_visible()
    expect(page.get_by_role("heading", name="Ce que la Turbine a trouvé")).to_be_visible()
    first_five = page.locator(".found-list").first.locator("> li")
    count = min(first_five.count(), 5)
    assert count == 5
    about_bikes = 0
    for n in range(count):
        card = first_five.nth(n)
        text = card.inner_text()
        assert "Vous y êtes éligible : elle est ouverte aux associations et couvre Lens" in text
        assert "Mots en commun avec votre projet" in text or "Thèmes en commun" in text
        about_bikes += bool(BIKE_WORDS.search(card.locator("h4").inner_text()))
    assert about_bikes >= 3
    expect(first_five.first).to_contain_text(re.compile(r"«\svélo"))
    expect(page.locator("main")).not_to_contain_text("Pertinence")
    axe_check(page)

    # Signed in, the holder sends the request, then sets an aid aside.
    page.get_by_role("link", name="J'ai déjà un compte : me connecter").click()
    axe_check(page)
    page.get_by_label("Courriel").fill(chloe.email)
    page.locator("#id_password").fill(PASSWORD)
    page.get_by_role("button", name="Connexion").click()
    axe_check(page)
    page.get_by_label(re.compile("J'accepte que la Turbine")).check()
    page.get_by_role("button", name="Envoyer ma demande").click()
    expect(page).to_have_url(re.compile(r"/guichet/mes-demandes/\d+/$"))
    expect(page.locator("main")).to_contain_text("Vélo Cité Lens (démo) (association)")
    card = page.locator(".found-list").first.locator("> li").first
    title = card.locator("h4 a").inner_text()
    card.get_by_text("Pas pour moi").click()
    card.get_by_label("Pourquoi ? (facultatif)").fill("Nous avons déjà ce financement")
    card.get_by_role("button", name="Écarter cette aide").click()
    expect(page.get_by_role("status")).to_contain_text("ne vous sera plus proposée")
    expect(page.locator(".found-list").first).not_to_contain_text(title)
    expect(page.locator("main")).to_contain_text("Nous avons déjà ce financement")
    axe_check(page)
