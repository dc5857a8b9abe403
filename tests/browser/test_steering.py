"""Steering in a real browser: objectives and an indicator with its chart and table, the
portfolio, staff scoring and the CSV import, an official's ranked vote with the keyboard, the
published count and the yearly report — every page checked by axe-core."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from tests.browser.conftest import axe_check, goto, log_in
from turbine.accounts.models import User
from turbine.directory.tests.factories import OrganisationFactory
from turbine.funding.models import Aid, Funder
from turbine.projects.models import ProjectImpact
from turbine.projects.tests.factories import ProjectFactory
from turbine.steering import services
from turbine.steering.models import CRITERIA, IndicatorValue, MandateBallot, ProjectObjective
from turbine.steering.tests.factories import add_values, elected, make_indicator, make_mandate
from turbine.territory.models import Commune

pytestmark = pytest.mark.browser


def test_it_reads_objectives_an_indicator_and_the_portfolio(
    page: Page, live_server: LiveServer, bruno: User
) -> None:
    indicator = make_indicator()
    add_values(indicator, {2015: 1000, 2020: 930, 2025: 860})
    project = ProjectFactory(title="Isolation des écoles de Lens")
    ProjectImpact.objects.create(project=project, indicator="co2", value=120, nature="estime")
    ProjectObjective.objects.create(
        project=project, objective=indicator.objective, indicator=indicator, from_year=2021
    )
    services.project_scores_set(
        user=bruno, project=project, scores=dict.fromkeys(CRITERIA, (4, "Vu en comité"))
    )

    page.goto(live_server.url + "/pilotage/objectifs/")
    axe_check(page)
    expect(page.get_by_text("en retard").first).to_be_visible()
    page.get_by_role("link", name="Moins de gaz à effet de serre").click()
    axe_check(page)
    expect(page.get_by_role("link", name="Isolation des écoles de Lens").first).to_be_visible()
    page.get_by_role("link", name="Émissions de GES").click()
    axe_check(page)
    expect(page.locator("svg.line-chart")).to_be_visible()
    table = page.get_by_role("table").first
    expect(table).to_contain_text("2025")
    expect(table).to_contain_text("860")
    expect(page.get_by_role("table", name="Les dix plus fortes contributions")).to_contain_text(
        "Isolation des écoles de Lens"
    )

    page.goto(live_server.url + "/pilotage/portefeuille/")
    axe_check(page)
    expect(page.get_by_role("table", name="Classement", exact=True)).to_contain_text("Isolation")


def test_staff_score_a_project_and_import_values(
    page: Page, live_server: LiveServer, bruno: User, tmp_path
) -> None:
    indicator = make_indicator()
    ProjectFactory(title="Ressourcerie de Liévin")
    log_in(page, live_server, bruno)
    page.goto(live_server.url + "/pilotage/portefeuille/")
    axe_check(page)
    page.get_by_role("link", name="Noter les projets").click()
    axe_check(page)
    page.get_by_role("link", name="Ressourcerie de Liévin").click()
    page.get_by_role("button", name="Enregistrer les notes").click()  # empty: errors
    expect(page.locator(".form-errors")).to_be_visible()
    axe_check(page)
    for code in CRITERIA:
        page.locator(f"#id_{code}_score").select_option("4")
        page.locator(f"#id_{code}_why").fill("Examiné en comité technique")
    page.get_by_role("button", name="Enregistrer les notes").click()
    expect(page.get_by_role("table", name="Classement", exact=True)).to_contain_text("Ressourcerie")
    axe_check(page)

    page.goto(live_server.url + "/pilotage/portefeuille/poids/")
    axe_check(page)

    bad = tmp_path / "valeurs.csv"
    bad.write_text(
        f"indicateur;annee;valeur;nature;source;territoire\n{indicator.pk};2020;NaN;;;\n"
    )
    goto(page, live_server.url + "/pilotage/indicateurs/import/")
    page.get_by_label("Fichier CSV des valeurs").set_input_files(str(bad))
    page.get_by_role("button", name="Vérifier le fichier").click()
    expect(page.locator("#erreurs-import")).to_contain_text("Ligne 2")
    axe_check(page)
    good = tmp_path / "bonnes.csv"
    good.write_text(
        f"indicateur;annee;valeur;nature;source;territoire\n{indicator.pk};2020;930;;Atmo;\n"
    )
    page.get_by_label("Fichier CSV des valeurs").set_input_files(str(good))
    page.get_by_role("button", name="Vérifier le fichier").click()
    expect(page.get_by_text("Rien n'est encore enregistré")).to_be_visible()
    axe_check(page)
    assert not IndicatorValue.objects.exists()
    page.get_by_role("button", name="Confirmer et enregistrer").click()
    expect(page.get_by_text("1 valeur enregistrée")).to_be_visible()
    axe_check(page)
    assert IndicatorValue.objects.get().value == 930


def test_an_official_ranks_the_works_with_the_keyboard_and_reads_the_count(
    page: Page, live_server: LiveServer, bruno: User
) -> None:
    mandate = make_mandate(candidates=4)
    ids = list(mandate.candidates.values_list("pk", flat=True))
    for n in range(1, 8):
        services.mandate_ballot_cast(
            user=elected(n), mandate_id=mandate.pk, ranking_ids=ids[n % 4 :] + ids[: n % 4]
        )
    official = elected(0)
    log_in(page, live_server, official)
    page.goto(live_server.url + "/pilotage/mandature/")
    axe_check(page)
    page.get_by_role("link", name="Classer les chantiers").click()
    axe_check(page)
    page.get_by_label("Chantier 2").focus()
    page.keyboard.press("Home")  # « non classé » first, then the ranks
    page.get_by_label("Chantier 2").select_option("1")
    page.get_by_label("Chantier 4").select_option("2")
    page.get_by_role("button", name="Enregistrer mon classement").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_text("Votre classement est enregistré")).to_be_visible()
    expect(page.get_by_text("Vous avez voté pour cette mandature.")).to_be_visible()
    assert MandateBallot.objects.filter(mandate=mandate).count() == 8

    services.mandate_results_publish(user=bruno, mandate_id=mandate.pk)
    page.reload()
    axe_check(page)
    expect(page.get_by_role("heading", name="Le dépouillement, tour par tour")).to_be_visible()
    expect(page.get_by_role("table", name="Voix de chaque chantier")).to_contain_text(
        "Premier décompte"
    )
    goto(page, live_server.url + "/rapport/2026/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("rapport 2026")


def test_staff_link_projects_to_an_objective_and_answer_a_call_together(
    page: Page, live_server: LiveServer, bruno: User
) -> None:
    """Issue 15: the objective's project links, and a joint response from its opening to its
    submission, then its public page — axe-core on each page, at 1280 and 375 px."""
    indicator = make_indicator()
    project = ProjectFactory(title="Chaufferie bois de Liévin")
    call = Aid.objects.create(
        title="Appel à projets Renaturation des friches",
        is_call_for_projects=True,
        status="publiee",
        deadline=timezone.localdate() + timedelta(days=60),
    )
    call.funders.set([Funder.objects.create(name="Région Hauts-de-France", level="region")])
    lens = OrganisationFactory(
        name="CPIE Chaîne des terrils", commune=Commune.objects.get(code="62498")
    )
    bethune = OrganisationFactory(
        name="Maison de la nature de Béthune", commune=Commune.objects.get(code="62119")
    )
    log_in(page, live_server, bruno)

    goto(page, f"/pilotage/objectifs/{indicator.objective_id}/")
    page.get_by_role("link", name="Relier des projets à cet objectif").click()
    axe_check(page)
    page.get_by_role("button", name="Enregistrer le lien").click()
    expect(page.locator(".form-errors")).to_be_visible()
    axe_check(page)
    page.get_by_label("Numéro du projet").fill(str(project.pk))
    page.get_by_label("Indicateur qui reçoit l'effet du projet").select_option(str(indicator.pk))
    page.get_by_label("Effet à partir de l'année").fill("2024")
    page.get_by_role("button", name="Enregistrer le lien").click()
    expect(page.get_by_role("table", name="Projets reliés à cet objectif")).to_contain_text(
        "Chaufferie bois de Liévin"
    )
    axe_check(page)

    goto(page, "/pilotage/appels/")
    page.get_by_label("Appel à projets ou AMI").select_option(str(call.pk))
    page.get_by_label("Titre de la réponse commune").fill("Trame verte des terrils")
    page.get_by_label("Ce que la réponse propose").fill("Six terrils renaturés et reliés.")
    page.get_by_role("button", name="Ouvrir la réponse").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Gérer la réponse commune")
    axe_check(page)
    for org, role in ((lens, "chef-de-file"), (bethune, "partenaire")):
        page.get_by_label("Numéro de la structure dans l'annuaire").fill(str(org.pk))
        page.get_by_label("Rôle dans le groupement").select_option(role)
        page.get_by_role("button", name="Ajouter au groupement").click()
        expect(page.locator(".messages")).to_contain_text("Structure ajoutée")
    page.get_by_label("Numéro du projet").fill(str(project.pk))
    page.get_by_role("button", name="Ajouter le projet").click()
    page.get_by_label("Nouvel état").select_option("deposee")
    page.get_by_role("button", name="Changer l'état").click()
    expect(page.locator(".messages")).to_contain_text("État de la réponse mis à jour")
    axe_check(page)
    page.get_by_role("link", name="Trame verte des terrils").click()
    expect(page.locator("main")).to_contain_text("Déposée")
    expect(page.get_by_role("table", name="Les structures et leur rôle")).to_contain_text(
        "Chef de file"
    )
    axe_check(page)
