"""Citizen panels and common challenges in a real browser: a citizen registers as a volunteer,
staff set quotas and draw, a selected person sees their probability; pledge to a challenge and
report progress; axe-core clean."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from tests.browser.conftest import axe_check, goto, log_in
from turbine.accounts.models import User
from turbine.accounts.tests.factories import UserFactory
from turbine.cooperation.models import PanelMember, PledgeReport, Volunteer
from turbine.cooperation.services import challenges as challenge_services
from turbine.cooperation.services import panels as services
from turbine.cooperation.tests.test_panels_services import QUOTAS

pytestmark = pytest.mark.browser

SHOTS = Path("/tmp/shots/panels2")


def _shots(page: Page, name: str) -> None:
    """Screenshots of the current page at 1280 and 375 px, for review."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    for width in (1280, 375):
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=SHOTS / f"{name}-{width}.png", full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})


def test_register_set_quotas_draw_and_see_ones_probability(
    page: Page,
    open_page: Callable[..., Page],
    live_server: LiveServer,
    alice: User,
    bruno: User,
) -> None:
    panel = services.panel_create(
        actor=bruno,
        title="Panel mobilité",
        purpose="Examiner les projets",
        size=4,
        duration="6 mois",
    )
    services.quotas_set(actor=bruno, panel_id=panel.pk, rows=QUOTAS)
    services.panel_set_status(actor=bruno, panel_id=panel.pk, status="inscriptions")
    for n in range(9):
        services.volunteer_register(
            user=UserFactory(),
            panel_id=panel.pk,
            features={"Genre": "Femme" if n % 2 else "Homme", "Âge": "Jeune" if n % 3 else "Âgé"},
            consent_draw=True,
            consent_contact=True,
        )
    log_in(page, live_server, alice)
    goto(page, f"/panels/{panel.pk}/")
    page.get_by_role("link", name="Me porter volontaire").click()
    axe_check(page)
    page.get_by_label("Genre").select_option("Femme")
    page.get_by_label("Âge").select_option("Âgé")
    page.get_by_role("button", name="Entrer dans le vivier").click()
    expect(page.locator(".form-errors")).to_be_visible()  # consents missing
    axe_check(page)
    page.get_by_label("J'accepte que ces réponses servent au tirage").check()
    page.get_by_label("J'accepte d'être contacté·e").check()
    page.get_by_role("button", name="Entrer dans le vivier").click()
    expect(page.locator(".messages")).to_contain_text("Vous êtes dans le vivier")
    assert Volunteer.objects.filter(user=alice).exists()

    staff = open_page()
    log_in(staff, live_server, bruno)
    staff.goto(f"/panels/{panel.pk}/quotas/")
    axe_check(staff)
    staff.get_by_label("Minimum pour Genre : Femme").fill("2")
    staff.get_by_role("button", name="Enregistrer les quotas").click()
    expect(staff.locator(".messages")).to_contain_text("quotas sont enregistrés")
    staff.get_by_role("link", name="Aller au tirage au sort").click()
    expect(staff.locator("main")).to_contain_text("Les quotas peuvent être respectés")
    axe_check(staff)
    staff.get_by_role("button", name="Calculer la loterie").click()
    expect(staff.locator("main")).to_contain_text("Loterie publiée")
    axe_check(staff)
    staff.get_by_label("Graine tirée en public").fill("4 2 6 1 3")
    staff.get_by_role("button", name="Tirer le panel avec cette graine").click()
    expect(staff.locator("main")).to_contain_text("Résultat publié")
    expect(staff.locator("main")).to_contain_text("« 4 2 6 1 3 »")
    # Small groups are published without their answers, and the page says why.
    expect(staff.locator("main")).to_contain_text("Réponses non publiées")
    staff.get_by_text("Ce que le registre publie, et ce qu'il tait").click()
    expect(staff.locator("#registre")).to_contain_text("pseudonymes")
    axe_check(staff)
    _shots(staff, "tirage")

    goto(page, f"/panels/{panel.pk}/tirage/")
    expect(page.locator(".my-probability")).to_contain_text("Votre probabilité d'être tiré·e")
    member = PanelMember.objects.filter(volunteer__user=alice).first()
    goto(page, f"/panels/{panel.pk}/")
    if member is not None:
        page.get_by_role("button", name="J'accepte de participer").click()
        expect(page.locator(".messages")).to_contain_text("réponse est enregistrée")
        axe_check(page)


def test_pledge_to_a_challenge_and_report_progress(
    page: Page, live_server: LiveServer, alice: User, bruno: User, settings, tmp_path
) -> None:
    settings.MEDIA_ROOT = tmp_path
    challenge = challenge_services.challenge_propose(
        user=alice,
        title="Rendre cyclable le territoire",
        description="Des arceaux partout.",
        indicator="arceaux vélo installés",
        unit="arceaux",
        baseline=Decimal("0"),
        target=Decimal("100"),
        deadline=timezone.localdate() + datetime.timedelta(days=400),
        scope="PMA",
    )
    challenge_services.challenge_decide(actor=bruno, challenge_id=challenge.pk, chosen=True)
    log_in(page, live_server, alice)
    goto(page, "/defis/")
    page.get_by_role("link", name="Rendre cyclable le territoire").click()
    axe_check(page)
    page.get_by_role("link", name="M'engager sur ce défi").click()
    axe_check(page)
    page.get_by_label("Quantité promise").fill("20")
    page.get_by_label("Votre engagement en une phrase").fill("20 arceaux devant nos commerces")
    due = (timezone.localdate() + datetime.timedelta(days=60)).isoformat()
    page.get_by_label("D'ici le").fill(due)
    page.get_by_label("Commune").select_option(label="Lens")
    page.get_by_role("button", name="Je m'engage").click()
    expect(page.locator(".messages")).to_contain_text("Votre engagement est enregistré")
    axe_check(page)
    page.get_by_role("link", name="Rendre compte de l'avancement").click()
    axe_check(page)
    page.get_by_label("Quantité réalisée depuis le dernier point").fill("5")
    page.locator("#id_date").fill(timezone.localdate().isoformat())
    page.get_by_label("Lien vers une preuve").fill("https://example.org/photo")
    page.get_by_role("button", name="Enregistrer l'avancement").click()
    expect(page.locator(".messages")).to_contain_text("avancement est enregistré")
    expect(page.locator("main")).to_contain_text("5 arceaux sur 100 visés")
    axe_check(page)
    assert PledgeReport.objects.get().value == Decimal("5")
    # A second report with a document as evidence; a wrong type is refused first.
    page.get_by_role("link", name="Rendre compte de l'avancement").click()
    page.get_by_label("Quantité réalisée depuis le dernier point").fill("3")
    page.locator("#id_date").fill(timezone.localdate().isoformat())
    upload = page.get_by_label("Ou un document de preuve")
    upload.set_input_files(
        {"name": "page.html", "mimeType": "text/html", "buffer": b"<html></html>"}
    )
    page.get_by_role("button", name="Enregistrer l'avancement").click()
    expect(page.locator("main")).to_contain_text("type de fichier")
    axe_check(page)
    _shots(page, "avancement-erreur")
    page.get_by_label("Quantité réalisée depuis le dernier point").fill("3")
    page.locator("#id_date").fill(timezone.localdate().isoformat())
    page.get_by_label("Ou un document de preuve").set_input_files(
        {"name": "facture.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4\n%%EOF\n"}
    )
    page.get_by_role("button", name="Enregistrer l'avancement").click()
    expect(page.locator(".messages")).to_contain_text("avancement est enregistré")
    expect(page.locator("#avancements")).to_contain_text("Document PDF")
    axe_check(page)
    _shots(page, "defi")
    assert PledgeReport.objects.exclude(evidence_file="").count() == 1
