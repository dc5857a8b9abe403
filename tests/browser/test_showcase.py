"""The showcase in a real browser: the living showcase by family, a story proposed then
published after review, a study visit requested without an account (in English too) and
confirmed by its host, the widgets inside an iframe of a page from another origin, the register
of blockers from report to publication, the strategies; 320 px; axe-core on every page."""

from __future__ import annotations

import threading
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect
from pytest_django.live_server_helper import LiveServer

from tests.browser.conftest import axe_check, goto, log_in, take_console_messages
from tests.browser.test_small_screen import WIDTH, assert_no_horizontal_scroll
from turbine.accounts.models import User
from turbine.directory.tests.factories import OrganisationFactory
from turbine.projects.tests.factories import ProjectFactory
from turbine.showcase.models import (
    AdvocacyStatus,
    BlockerReport,
    Consent,
    Qualification,
    VisitRequest,
    VisitRequestStatus,
)
from turbine.showcase.tests.factories import (
    AdvocacyFileFactory,
    CommitmentFactory,
    PortraitFactory,
    StoryFactory,
    StrategicActorFactory,
    VisitSlotFactory,
)
from turbine.steering.tests.factories import add_values, make_indicator
from turbine.territory.models import Commune

pytestmark = pytest.mark.browser


def test_the_showcase_shows_people_by_family_with_filters(page: Page, alice: User) -> None:
    lens = Commune.objects.get(code="62498")
    PortraitFactory(name="Nadia Haddou", family="font", commune=lens, know_how="Maraîchage.")
    PortraitFactory(name="Grégory Lemaire", family="font", know_how="Rénover les cités.")
    PortraitFactory(name="Refus", family="font", consent=Consent.WITHDRAWN)
    PortraitFactory(name="Claire Dubois", family="diffusent", person=alice)
    alice.is_profile_public = True
    alice.save(update_fields=["is_profile_public"])
    goto(page, "/vitrine/")
    expect(page.locator("main")).to_contain_text("Nadia Haddou")
    expect(page.locator("main")).not_to_contain_text("Refus")
    page.get_by_role("link", name="Ceux qui font", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Ceux qui font")
    axe_check(page)
    page.get_by_label("Commune").select_option(label="Lens")
    page.get_by_role("button", name="Appliquer").click()
    expect(page.get_by_role("heading", name="1 portrait")).to_be_visible()
    expect(page.locator(".card-grid")).to_contain_text("Nadia Haddou")
    expect(page.locator(".card-grid")).not_to_contain_text("Grégory Lemaire")
    axe_check(page)
    goto(page, "/vitrine/familles/diffusent/")
    page.get_by_role("link", name="Demander une mise en relation avec Claire Dubois").click()
    expect(page).to_have_url(f"{page.url.split('/acteurs/')[0]}/acteurs/personnes/{alice.pk}/")
    axe_check(page)


def test_an_actor_proposes_a_story_that_staff_publish(
    page: Page, open_page: Callable[..., Page], live_server: LiveServer, chloe: User, bruno: User
) -> None:
    project = ProjectFactory(title="Jardin de la friche")
    log_in(page, live_server, chloe)
    goto(page, "/recits/")
    page.get_by_role("link", name="Proposer un récit").click()
    axe_check(page)
    page.get_by_label("Titre", exact=True).fill("Une saison au jardin")
    page.get_by_label("Chapeau (une ou deux phrases)").fill("Quarante familles ont jardiné.")
    page.get_by_label("Texte").fill("**Tout** a commencé en mars.")
    page.get_by_label("Récit global").check()
    page.get_by_role("button", name="Proposer à la relecture").click()
    expect(page.locator(".form-errors")).to_be_visible()
    expect(page.locator("main")).to_contain_text("Un récit global dit quelle politique")
    axe_check(page)
    page.get_by_label("Récit local").check()
    page.get_by_label("Numéros des initiatives liées").fill(str(project.pk))
    page.get_by_role("button", name="Proposer à la relecture").click()
    expect(page.locator(".messages")).to_contain_text("l'équipe de la Turbine va le relire")
    expect(page.locator("main")).to_contain_text("Proposé, en relecture")
    axe_check(page)
    story_url = page.url

    staff = open_page()
    log_in(staff, live_server, bruno)
    goto(staff, "/recits/relecture/")
    staff.get_by_role("link", name="Une saison au jardin").click()
    axe_check(staff)
    staff.get_by_label("Publier").check()
    staff.get_by_role("button", name="Valider la relecture").click()
    expect(staff.locator(".messages")).to_contain_text("Récit publié")
    axe_check(staff)

    visitor = open_page()
    goto(visitor, "/recits/")
    visitor.get_by_role("link", name="Une saison au jardin").click()
    expect(visitor.locator("main")).to_contain_text("Jardin de la friche")
    expect(visitor.locator(".story-body strong")).to_have_text("Tout")
    assert visitor.url == story_url
    axe_check(visitor)


def test_a_delegation_requests_a_visit_in_english_and_the_host_confirms(
    page: Page, open_page: Callable[..., Page], live_server: LiveServer, chloe: User
) -> None:
    host = OrganisationFactory(name="Coopérative solaire de Loos", admin=chloe)
    slot = VisitSlotFactory(offer__host=host, offer__title="Toits solaires citoyens", capacity=12)
    goto(page, "/visites/")
    page.get_by_role("link", name="English version").click()
    axe_check(page)
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    expect(page.locator("main > div")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", level=1)).to_have_text("Study visits")
    page.get_by_role("link", name="Toits solaires citoyens").click()
    axe_check(page)
    expect(page.get_by_role("heading", name="Request a visit")).to_be_visible()
    page.get_by_label("Date").select_option(index=0)
    page.get_by_label("Group or organisation").fill("Gemeente Kortrijk")
    page.get_by_label("The group comes from").select_option("etranger")
    page.get_by_label("Country").fill("Belgique")
    page.get_by_label("Number of people").fill("13")
    page.get_by_label("Preferred language").select_option("en")
    page.get_by_label("Your name").fill("Anke Vermeulen")
    page.get_by_label("Your email address").fill("anke@example.be")
    page.get_by_role("button", name="Send the request").click()
    expect(page.locator(".form-errors")).to_contain_text("The form contains an error.")
    axe_check(page)
    page.get_by_label("Number of people").fill("8")
    page.get_by_role("button", name="Send the request").click()
    expect(page.locator("#statut-demande")).to_have_text("Awaiting an answer")
    expect(page.locator(".messages")).to_contain_text("Your request is sent")
    assert "lang=en" in page.url
    axe_check(page)
    personal_url = page.url

    host_page = open_page()
    log_in(host_page, live_server, chloe)
    goto(host_page, f"/visites/{slot.offer_id}/gerer/")
    expect(host_page.locator("main")).to_contain_text("anke@example.be")
    host_page.get_by_label("Message au groupe (facultatif)").fill("Welcome!")
    host_page.get_by_role("button", name="Confirmer").click()
    expect(host_page.locator(".messages")).to_contain_text("Réponse envoyée au groupe")
    axe_check(host_page)
    assert VisitRequest.objects.get().status == VisitRequestStatus.CONFIRMED

    page.goto(personal_url)
    expect(page.locator("#statut-demande")).to_have_text("Confirmed")
    expect(page.locator("main")).to_contain_text("Welcome!")
    axe_check(page)


def test_the_widgets_work_inside_an_iframe_of_another_site(
    page: Page, browser: Browser, live_server: LiveServer
) -> None:
    ProjectFactory(
        title="Recyclerie de Liévin", commune_codes=["62510"], latitude=50.42, longitude=2.78
    )
    ProjectFactory(title="Vélo-école de Lens", commune_codes=["62498"])
    goto(page, "/embed/?commune=62510")
    axe_check(page)
    code = page.get_by_label("Code à copier dans votre page").first.input_value()
    assert "/embed/projets/?" in code and "commune=62510" in code
    goto(page, "/embed/projets/?commune=62510")
    expect(page.locator(".embed-cards")).to_contain_text("Recyclerie de Liévin")
    expect(page.locator(".embed-cards")).not_to_contain_text("Vélo-école de Lens")
    goto(page, "/embed/carte/?type=projet&commune=62510")
    expect(page.locator("#carte")).to_be_visible()

    # A partner's page on another origin of the loopback (its own little HTTP server).
    html = (
        "<!DOCTYPE html><html lang='fr'><head><title>Partenaire</title></head><body>"
        f"<iframe title='Projets' src='{live_server.url}/embed/projets/?commune=62510'"
        " width='600' height='400'></iframe>"
        f"<iframe title='Carte' src='{live_server.url}/embed/carte/?type=projet'"
        " width='600' height='500'></iframe>"
        f"<iframe title='Vitrine' src='{live_server.url}/vitrine/' width='600'"
        " height='300'></iframe></body></html>"
    ).encode()

    class PartnerPage(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.end_headers()
            self.wfile.write(html)

        def log_message(self, *args: object) -> None:
            return

    server = ThreadingHTTPServer(("127.0.0.1", 0), PartnerPage)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    partner = f"http://127.0.0.1:{server.server_port}"
    context = browser.new_context()
    try:
        context.route(
            "https://*.tile.openstreetmap.org/**",
            lambda route: route.fulfill(status=204, body=b""),
        )
        outside = context.new_page()
        outside.goto(f"{partner}/")
        cards = outside.frame_locator("iframe[title='Projets']")
        link = cards.get_by_role("link", name="Recyclerie de Liévin")
        expect(link).to_be_visible()
        # Links leave the frame for a new tab: the Turbine's other pages refuse to be framed.
        assert link.evaluate("a => document.querySelector('base').target") == "_blank"
        expect(
            outside.frame_locator("iframe[title='Carte']").locator(".leaflet-container")
        ).to_be_visible()
        # The showcase itself is not embeddable (frame-ancestors 'none', X-Frame-Options DENY).
        framed = outside.frame_locator("iframe[title='Vitrine']")
        expect(framed.locator("body")).not_to_contain_text("La vitrine vivante")
        assert any(f.url.startswith("chrome-error:") for f in outside.frames)
    finally:
        context.close()
        server.shutdown()


def test_a_blocker_goes_from_report_to_public_register(
    page: Page, open_page: Callable[..., Page], live_server: LiveServer, chloe: User, bruno: User
) -> None:
    ProjectFactory(title="Centrale solaire du lycée", holder_user=chloe)
    file = AdvocacyFileFactory(title="Raccorder plus vite les petites installations")
    log_in(page, live_server, chloe)
    goto(page, "/blocages/")
    page.get_by_role("link", name="Signaler un blocage").click()
    axe_check(page)
    page.get_by_label("Le blocage en une phrase").fill("Quatorze mois pour un raccordement")
    page.get_by_label("Ce qui a bloqué").fill("Le projet a perdu une subvention.")
    page.get_by_label("Règle ou procédure en cause").fill("Procédure de raccordement")
    page.get_by_label("Qui décide de cette règle ?").select_option("national")
    page.get_by_label("Centrale solaire du lycée").check()
    page.get_by_role("button", name="Envoyer le signalement").click()
    expect(page.locator(".status-line")).to_contain_text("Privé")
    axe_check(page)
    report_url = page.url

    anonymous = open_page()
    goto(anonymous, report_url.replace(live_server.url, ""), status=404)
    assert any("404" in m.text for m in take_console_messages(anonymous))  # expected here
    goto(anonymous, "/blocages/")
    expect(anonymous.locator("main")).to_contain_text("1 blocage signalé")
    expect(anonymous.locator("main")).not_to_contain_text("Quatorze mois")

    staff = open_page()
    log_in(staff, live_server, bruno)
    goto(staff, "/blocages/equipe/")
    report = BlockerReport.objects.get()
    staff.locator(f"#q-{report.pk}").select_option(Qualification.QUALIFIED)
    staff.locator(f"#f-{report.pk}").select_option(str(file.pk))
    staff.get_by_role("button", name="Enregistrer").click()
    expect(staff.locator(".messages")).to_contain_text("Signalement qualifié")
    axe_check(staff)
    goto(staff, file.get_absolute_url())
    staff.get_by_label("Date").fill(timezone.localdate().isoformat())
    staff.get_by_label("Instance", exact=True).fill("Ministère de la Transition écologique")
    staff.get_by_label("Ce qui s'est passé").fill("Courrier envoyé avec six cas.")
    staff.get_by_label("Nouveau statut du dossier").select_option(AdvocacyStatus.CARRIED)
    staff.get_by_role("button", name="Ajouter l'étape").click()
    expect(staff.locator(".status-line")).to_have_text("Porté auprès de l'instance")
    axe_check(staff)

    page.goto(report_url)
    page.get_by_role("button", name="J'accepte que ce signalement soit public").click()
    expect(page.locator(".status-line")).to_contain_text("Public")
    axe_check(page)
    goto(anonymous, "/blocages/")
    anonymous.get_by_role("link", name="Quatorze mois pour un raccordement").click()
    expect(anonymous.locator("main")).to_contain_text("Raccorder plus vite")
    axe_check(anonymous)


def test_strategies_show_actors_commitments_and_briefs(
    page: Page, live_server: LiveServer, bruno: User
) -> None:
    CommitmentFactory(
        actor__name="Verrerie de l'Artois (démo)", status="en-retard", title="Chaleur fatale"
    )
    StrategicActorFactory(name="CERDD", kind="pedagogique", relation="partenaire")
    goto(page, "/strategies/")
    expect(page.locator("main")).to_contain_text("Chaleur fatale")
    expect(page.locator("main")).to_contain_text("En retard")
    log_in(page, live_server, bruno)
    goto(page, "/strategies/equipe/")
    page.get_by_label("Acteur pédagogique").select_option(label="CERDD")
    page.get_by_label("Titre", exact=True).fill("Sobriété : trois leviers")
    page.get_by_label("Le message en une phrase").fill("Agir sur les usages.")
    page.locator("#id_note-body").fill("Texte de la note.")
    page.get_by_role("button", name="Enregistrer la note").click()
    expect(page.locator(".messages")).to_contain_text("publiez-la")
    page.get_by_role("button", name="Publier et envoyer aux élus").click()
    expect(page.locator(".messages")).to_contain_text("Note publiée")
    axe_check(page)
    goto(page, "/strategies/")
    page.get_by_role("link", name="Sobriété : trois leviers").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sobriété : trois leviers")
    axe_check(page)


def test_showcase_pages_fit_a_320px_screen(open_page: Callable[..., Page], chloe: User) -> None:
    PortraitFactory(name="Nadia Haddou")
    StoryFactory(title="Un récit au titre assez long pour passer à la ligne sur un téléphone")
    slot = VisitSlotFactory()
    CommitmentFactory()
    page = open_page(viewport={"width": WIDTH, "height": 640})
    for path in [
        "/vitrine/",
        "/vitrine/familles/font/",
        "/recits/",
        "/visites/",
        f"/visites/{slot.offer_id}/",
        "/blocages/",
        "/strategies/",
        "/embed/",
        "/embed/projets/",
        "/embed/carte/",
    ]:
        goto(page, path)
        assert_no_horizontal_scroll(page)


def test_a_host_edits_hides_and_reopens_its_visit(
    page: Page, open_page: Callable[..., Page], live_server: LiveServer, chloe: User
) -> None:
    """Issue 17: the host's edit form, hiding and reopening; the public page goes and comes."""
    host = OrganisationFactory(name="Recyclerie de Liévin", admin=chloe)
    slot = VisitSlotFactory(offer__host=host, offer__title="Atelier de réemploi")
    log_in(page, live_server, chloe)
    goto(page, f"/visites/{slot.offer_id}/gerer/")
    page.get_by_role("link", name="Modifier l'offre").click()
    axe_check(page)
    page.get_by_label("Titre de la visite").fill("Atelier de réemploi et de réparation")
    page.get_by_role("button", name="Enregistrer la visite").click()
    expect(page.locator(".messages")).to_contain_text("Visite modifiée")
    page.get_by_role("button", name="Masquer la visite").click()
    expect(page.locator(".messages")).to_contain_text("La visite est masquée")
    axe_check(page)
    visitor = open_page()
    response = visitor.goto(f"/visites/{slot.offer_id}/")
    assert response is not None and response.status == 404
    assert any("404" in m.text for m in take_console_messages(visitor))  # expected here
    page.get_by_role("button", name="Rouvrir la visite aux demandes").click()
    expect(page.locator(".messages")).to_contain_text("de nouveau ouverte")
    goto(visitor, f"/visites/{slot.offer_id}/")
    expect(visitor.get_by_role("heading", level=1)).to_contain_text("réparation")
    # The honeypot is neither seen nor reached with the keyboard.
    expect(visitor.locator("#id_website")).not_to_be_in_viewport()
    expect(visitor.locator("#id_website")).to_have_attribute("tabindex", "-1")


def test_a_story_says_which_objective_moved(page: Page, alice: User) -> None:
    """Issue 17: a story citing an indicator, and the objective's page listing it."""
    indicator = make_indicator()
    add_values(indicator, {2020: 850.0})
    story = StoryFactory(title="Le réseau de chaleur de Liévin")
    story.steering_indicators.set([indicator])
    story.steering_objectives.set([indicator.objective])
    goto(page, f"/recits/{story.pk}/")
    expect(
        page.get_by_role("heading", name="Les objectifs du territoire que ce récit fait bouger")
    ).to_be_visible()
    expect(page.locator("main")).to_contain_text("dans la trajectoire")
    page.get_by_role("link", name="Moins de gaz à effet de serre").click()
    axe_check(page)
    expect(
        page.get_by_role("heading", name="Les récits qui racontent cet objectif")
    ).to_be_visible()
    page.get_by_role("link", name="Émissions de GES").first.click()
    axe_check(page)
    expect(page.get_by_role("link", name="Le réseau de chaleur de Liévin")).to_be_visible()
