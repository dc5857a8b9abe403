"""The participatory budget in a real browser: submit an idea, staff declare it admissible, vote
with the keyboard only, change the vote, vote without JavaScript on a phone, read the results."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from tests.browser.conftest import axe_check, goto, log_in
from turbine.accounts.models import User
from turbine.budget.models import Ballot, PendingBallot, Proposal, ProposalStatus, VoterRecord
from turbine.budget.services import campaign_results_publish
from turbine.budget.tests.factories import (
    flush_ballots,
    make_ballots,
    make_campaign,
    make_proposal,
)

pytestmark = pytest.mark.browser

# A 2x2 PNG, enough for Pillow to re-encode.
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000002000000020802000000fdd49a73000000164944415478"
    "9c633c318d818181818981818181810100115a01625b95d63c0000000049454e44ae426082"
)


def test_it_submits_an_idea_that_staff_declare_admissible(
    page: Page, open_page, live_server: LiveServer, alice: User, bruno: User
) -> None:
    campaign = make_campaign(phase="depot", slug="bp-depot")
    log_in(page, live_server, alice)
    goto(page, "/budget-participatif/")
    page.get_by_role("link", name=campaign.title).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(campaign.title)
    expect(page.locator('[aria-current="step"]')).to_contain_text("Dépôt des idées")
    axe_check(page)

    page.get_by_role("link", name="Déposer une idée").click()
    axe_check(page)
    page.get_by_role("button", name="Déposer mon idée").click()  # empty: errors, still accessible
    expect(page.locator(".form-errors")).to_be_visible()
    axe_check(page)
    page.get_by_label("Titre de votre idée").fill("Ruches au jardin public")
    page.get_by_label("Description", exact=True).fill(
        "Installer **trois ruches** et former des bénévoles."
    )
    page.get_by_label("Commune").select_option(label="Lens (62300)")
    page.get_by_label("Biodiversité et renaturation").check()
    page.get_by_label("Coût estimé (€)").fill("4500")
    page.get_by_label("Image (facultatif)").set_input_files(
        files=[{"name": "ruches.png", "mimeType": "image/png", "buffer": PNG}]
    )
    page.get_by_label("Description de l'image").fill("Trois ruches au fond d'un jardin")
    page.get_by_role("button", name="Déposer mon idée").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Ruches au jardin public")
    expect(page.get_by_role("img", name="Trois ruches au fond d'un jardin")).to_be_visible()
    expect(page.locator("main")).to_contain_text("Déposée, en cours d'étude")
    axe_check(page)

    staff = open_page()
    log_in(staff, live_server, bruno)
    goto(staff, f"/budget-participatif/{campaign.slug}/")
    staff.get_by_role("link", name="Étude de faisabilité (équipe)").click()
    axe_check(staff)
    staff.get_by_role("link", name="Étudier « Ruches au jardin public »").click()
    axe_check(staff)
    staff.get_by_label("Recevable : soumise au vote").check()
    staff.get_by_label("Coût révisé (€)").fill("5200")
    staff.get_by_role("button", name="Enregistrer la décision").click()
    expect(staff.locator(".messages")).to_contain_text("Décision enregistrée")
    expect(staff.locator("main table").first).to_contain_text("Recevable, soumise au vote")
    axe_check(staff)
    proposal = Proposal.objects.get()
    assert proposal.status == ProposalStatus.ADMISSIBLE and proposal.revised_cost == 5200


def test_it_votes_with_the_keyboard_only_and_changes_the_vote(
    page: Page, live_server: LiveServer, alice: User
) -> None:
    campaign = make_campaign(
        phase="vote", slug="bp-vote", ballot_type="knapsack", total_budget=50_000
    )
    a = make_proposal(campaign, title="Abris à vélos", cost=30_000)
    b = make_proposal(campaign, title="Bancs ombragés", cost=15_000)
    make_proposal(campaign, title="Composteurs", cost=25_000)
    log_in(page, live_server, alice)
    goto(page, f"/budget-participatif/{campaign.slug}/vote/")
    page.get_by_role("link", name="Bulletin « Enveloppe unique »").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Bulletin")
    axe_check(page)
    status = page.locator("#etat-bulletin")
    expect(status).to_contain_text("50\u202f000")

    page.get_by_label("Abris à vélos").focus()
    page.keyboard.press("Space")
    expect(status).to_contain_text("Reste dans l'enveloppe : 20\u202f000")
    page.keyboard.press("Tab")  # "En savoir plus"
    page.keyboard.press("Tab")
    page.keyboard.press("Space")  # Bancs ombragés
    expect(status).to_contain_text("5\u202f000")
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    page.keyboard.press("Space")  # Composteurs: over the envelope, shown at once
    expect(status).to_have_class(re.compile("ballot-status-over"))
    page.keyboard.press("Space")
    for _ in range(5):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "id_age_declared":
            break
    page.keyboard.press("Space")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent").strip() == "Vérifier mon bulletin"
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Confirmer mon vote")
    axe_check(page)
    assert not Ballot.objects.exists()
    page.get_by_role("button", name="Confirmer mon vote").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Votre vote est enregistré")
    expect(page.locator(".receipt .secret")).to_have_text(re.compile(r"^[0-9A-F]{12}$"))
    axe_check(page)
    # The ballot waits, sealed, for a shuffled batch (not in the voter's transaction).
    assert not Ballot.objects.exists()
    flush_ballots(campaign)
    assert Ballot.objects.get().choices == sorted([a.pk, b.pk])

    page.get_by_role("link", name="Modifier mon bulletin").focus()
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_contain_text("Vous avez déjà voté")
    expect(page.get_by_label("Abris à vélos")).to_be_checked()
    axe_check(page)
    page.get_by_label("Abris à vélos").focus()
    page.keyboard.press("Space")
    page.get_by_label("Je déclare avoir au moins").focus()
    page.keyboard.press("Space")
    page.keyboard.press("Enter")
    page.get_by_role("button", name="Confirmer mon vote").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Votre bulletin est modifié")
    axe_check(page)
    flush_ballots(campaign)
    assert Ballot.objects.get().choices == [b.pk]
    assert VoterRecord.objects.get().changes == 1


def test_it_votes_without_javascript_on_a_narrow_screen(
    open_page, live_server: LiveServer, alice: User
) -> None:
    campaign = make_campaign(
        phase="vote", slug="bp-mobile", ballot_type="knapsack", total_budget=50_000
    )
    make_proposal(campaign, title="Abris à vélos sécurisés près de la gare", cost=30_000)
    make_proposal(campaign, title="Bancs ombragés", cost=15_000)
    page = open_page(java_script_enabled=False, viewport={"width": 320, "height": 640})
    log_in(page, live_server, alice)
    envelope = campaign.envelopes.get()
    goto(page, f"/budget-participatif/{campaign.slug}/vote/{envelope.pk}/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    page.get_by_label("Abris à vélos sécurisés près de la gare").check()
    page.get_by_role("button", name="Recalculer le total").click()
    expect(page.locator("#etat-bulletin")).to_contain_text("20\u202f000")
    axe_check(page)
    page.get_by_label("Je déclare avoir au moins").check()
    page.get_by_role("button", name="Vérifier mon bulletin").click()
    axe_check(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    page.get_by_role("button", name="Confirmer mon vote").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Votre vote est enregistré")
    axe_check(page)
    assert PendingBallot.objects.count() == 1


def test_it_shows_the_results_with_charts_and_tables(page: Page) -> None:
    campaign = make_campaign(phase="resultats", slug="bp-resultats")
    a = make_proposal(campaign, title="Abris à vélos", cost=60_000)
    b = make_proposal(campaign, title="Bancs ombragés", cost=40_000, commune_code="62119")
    c = make_proposal(campaign, title="Composteurs", cost=40_000, commune_code=None)
    make_ballots(campaign, [[a.pk]] * 6 + [[b.pk, c.pk]] * 4)
    campaign_results_publish(campaign_id=campaign.pk)
    goto(page, f"/budget-participatif/{campaign.slug}/resultats/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Résultats")
    funded = page.get_by_role("list", name="Projets financés, dans l'ordre de sélection")
    expect(funded.get_by_role("listitem").first).to_contain_text("Abris à vélos")
    # Each explanation folds away until asked for.
    why = funded.get_by_role("listitem").first.locator("details")
    expect(why.get_by_text(re.compile("Financé à l.étape"))).to_be_hidden()
    why.get_by_text("Pourquoi ce projet est financé").click()
    expect(why.get_by_text(re.compile("Financé à l.étape"))).to_be_visible()
    # Chart.js drew the chart from the json_script data.
    page.wait_for_function("() => window.Chart && Chart.getChart(document.querySelector('canvas'))")
    expect(page.get_by_role("table", name=re.compile("Indicateurs d'équité"))).to_be_visible()
    axe_check(page)


def test_it_fits_the_campaign_and_results_pages_on_a_phone(open_page) -> None:
    campaign = make_campaign(phase="resultats", slug="bp-telephone")
    a = make_proposal(campaign, title="Abris à vélos sécurisés près de la gare", cost=60_000)
    b = make_proposal(campaign, title="Bancs ombragés", cost=40_000, commune_code="62119")
    make_ballots(campaign, [[a.pk]] * 3 + [[b.pk]] * 2)
    campaign_results_publish(campaign_id=campaign.pk)
    page = open_page(viewport={"width": 320, "height": 640})
    for path in (
        "/budget-participatif/",
        f"/budget-participatif/{campaign.slug}/",
        f"/budget-participatif/{campaign.slug}/resultats/",
        f"/budget-participatif/{campaign.slug}/propositions/{a.pk}/",
    ):
        goto(page, path)
        assert page.evaluate("document.documentElement.scrollWidth") <= 320, path


def test_it_filters_proposals_as_you_choose_with_javascript(page: Page) -> None:
    campaign = make_campaign(phase="vote", slug="bp-filtres")
    make_proposal(campaign, title="Abris à vélos")
    make_proposal(campaign, title="Projet refusé", status=ProposalStatus.INADMISSIBLE)
    goto(page, f"/budget-participatif/{campaign.slug}/")
    expect(page.locator("#compte-propositions")).to_have_text("2 propositions")
    page.get_by_label("Statut").select_option(label="Non recevable")
    expect(page.locator("#compte-propositions")).to_have_text("1 proposition")
    expect(page.locator("#liste-propositions")).not_to_contain_text("Abris à vélos")
    expect(page).to_have_url(re.compile(r"statut=non_recevable"))
    # The live region is the same node, only its text changed: screen readers announce it.
    assert page.evaluate("document.querySelectorAll('#compte-propositions').length") == 1
    axe_check(page)


def test_it_lets_staff_create_and_edit_a_campaign(
    page: Page, live_server: LiveServer, bruno: User
) -> None:
    log_in(page, live_server, bruno)
    goto(page, "/budget-participatif/")
    page.get_by_role("link", name="Créer une campagne (équipe)").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Nouvelle campagne de budget participatif"
    )
    axe_check(page)
    page.get_by_label("Identifiant (adresse de la campagne)").fill("bp-2029")
    page.get_by_label("Titre", exact=True).fill("Budget participatif 2029")
    page.get_by_label("Année").fill("2029")
    page.get_by_label("Budget total (€)").fill("500000")
    dates = ["2029-01-01", "2029-02-01", "2029-03-01", "2029-03-01", "2029-04-01"]
    dates += ["2029-04-10", "2029-06-01"]
    for field, day in zip(
        ["Début du dépôt", "Fin du dépôt", "Fin de l'étude", "Ouverture du vote",
         "Clôture du vote", "Publication des résultats", "Début de la réalisation"],
        dates,
        strict=True,
    ):  # fmt: skip
        page.get_by_label(field).fill(day)
    page.get_by_role("button", name="Enregistrer la campagne").click()
    expect(page.get_by_role("alert")).to_contain_text("Le formulaire contient une erreur")
    expect(page.locator("#id_vote_start_error")).to_contain_text("strictement après")
    axe_check(page)
    page.get_by_label("Ouverture du vote").fill("2029-03-02")
    page.get_by_role("button", name="Enregistrer la campagne").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Budget participatif 2029")
    axe_check(page)
    page.get_by_role("link", name="Modifier la campagne (équipe)").click()
    axe_check(page)
    page.locator("#id_enveloppes-0-name").fill("Toute l'enveloppe")
    page.get_by_role("button", name="Enregistrer la campagne").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Budget participatif 2029")
    expect(page.get_by_text("Toute l'enveloppe")).to_be_visible()
    axe_check(page)


def test_it_votes_with_a_code_in_a_campaign_with_a_list_of_voters(
    page: Page, open_page, live_server: LiveServer, alice: User, bruno: User
) -> None:
    campaign = make_campaign(phase="vote", slug="bp-liste")
    a = make_proposal(campaign, title="Abris à vélos", cost=30_000)
    # Staff reserve the vote to a list and import it: each address receives its code.
    staff = open_page()
    log_in(staff, live_server, bruno)
    goto(staff, f"/budget-participatif/{campaign.slug}/")
    staff.get_by_role("link", name="Contrôle des votants (équipe)").click()
    expect(staff.get_by_role("heading", level=1)).to_have_text("Contrôle des votants")
    axe_check(staff)
    staff.get_by_label("Liste des votants importée par l'équipe").check()
    staff.get_by_role("button", name="Enregistrer le contrôle").click()
    expect(staff.locator(".messages")).to_contain_text("Le contrôle des votants est enregistré")
    staff.get_by_label("Fichier CSV des adresses").set_input_files(
        files=[
            {
                "name": "votants.csv",
                "mimeType": "text/csv",
                "buffer": b"courriel\nalice@example.org\nsam@example.net\n",
            }
        ]
    )
    staff.get_by_role("button", name="Importer et envoyer les codes").click()
    expect(staff.locator(".messages")).to_contain_text("2 adresse(s) ajoutée(s)")
    axe_check(staff)
    message = next(m for m in mail.outbox if m.to == ["alice@example.org"])
    code = re.search(r"\b([A-Z2-9]{5}-[A-Z2-9]{5})\b", message.body).group(1)

    log_in(page, live_server, alice)
    goto(page, f"/budget-participatif/{campaign.slug}/vote/")
    expect(page.locator("main")).to_contain_text("Chaque personne ne vote qu'une fois")
    expect(page.get_by_role("heading", name="Saisir mon code personnel")).to_be_visible()
    axe_check(page)
    page.get_by_label("Code reçu par courriel").fill("ABCDE-FGHJK")
    page.get_by_role("button", name="Valider mon code").click()
    expect(page.locator(".errorlist")).to_contain_text("Ce code n'est pas valable")
    axe_check(page)
    page.get_by_label("Code reçu par courriel").fill(code)
    page.get_by_role("button", name="Valider mon code").click()
    expect(page.locator(".messages")).to_contain_text("Votre code est validé")
    axe_check(page)
    page.get_by_role("link", name="Bulletin « Enveloppe unique »").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Bulletin")
    axe_check(page)
    page.get_by_label("Abris à vélos").check()
    page.get_by_label("Je déclare avoir au moins").check()
    page.get_by_role("button", name="Vérifier mon bulletin").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Confirmer mon vote")
    axe_check(page)
    page.get_by_role("button", name="Confirmer mon vote").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Votre vote est enregistré")
    axe_check(page)
    flush_ballots(campaign)
    assert Ballot.objects.get().choices == [a.pk]
