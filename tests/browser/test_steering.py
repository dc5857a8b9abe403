"""Steering in a real browser: objectives and an indicator with its chart and table, the
portfolio, staff scoring and the CSV import, an official's ranked vote with the keyboard, the
published count and the yearly report — every page checked by axe-core."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from tests.browser.conftest import axe_check, goto, log_in
from turbine.accounts.models import User
from turbine.projects.models import ProjectImpact
from turbine.projects.tests.factories import ProjectFactory
from turbine.steering import services
from turbine.steering.models import CRITERIA, IndicatorValue, MandateBallot, ProjectObjective
from turbine.steering.tests.factories import add_values, elected, make_indicator, make_mandate

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
) -> None:  # noqa: ANN001
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
