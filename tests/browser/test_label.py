"""The charter and the label in a real browser: an association signs the charter, applies for
the label with its project, self-assesses criterion by criterion while the score updates,
submits; a committee member declares no conflict and disagrees on one criterion; staff record
the decision; the holder sees the committee's comments and the badge on the registry. Every
page is checked with axe-core."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from tests.browser.conftest import axe_check, goto, log_in
from turbine.accounts.models import User
from turbine.accounts.tests.factories import UserFactory
from turbine.directory.tests.factories import OrganisationFactory
from turbine.label.models import Application, CharterSignature
from turbine.label.services import committee
from turbine.label.tests.factories import CharterVersionFactory, make_referential
from turbine.projects.tests.factories import ProjectFactory

pytestmark = pytest.mark.browser

LEAVES = ("1.1.1", "1.1.2", "1.2.1", "2.1.1", "2.1.2")


def test_sign_apply_review_decide_and_show_the_badge(
    page: Page,
    open_page: Callable[..., Page],
    live_server: LiveServer,
    chloe: User,
    bruno: User,
) -> None:
    CharterVersionFactory(text="## Nos engagements\n\n- **Aller plus haut et plus loin.**")
    make_referential(bruno)
    OrganisationFactory(name="Recyclerie du Lensois", admin=chloe)
    ProjectFactory(title="Atelier de réemploi de Lens", holder_user=chloe)
    dora = UserFactory(email="dora@example.org", display_name="Dora")
    member = committee.committee_member_add(
        actor=bruno, user_id=dora.pk, is_invited=True, quality="Experte climat"
    )

    # The association signs the charter.
    log_in(page, live_server, chloe)
    goto(page, "/charte/")
    expect(page.locator(".charter-text strong")).to_have_text("Aller plus haut et plus loin.")
    page.get_by_label("Je signe pour").select_option(label="Recyclerie du Lensois")
    page.get_by_label("Votre nom et prénom").fill("Chloé Durand")
    page.get_by_label("Votre fonction dans la structure").fill("Présidente")
    page.get_by_label("J'ai lu la charte et ma structure y adhère.").check()
    page.get_by_role("button", name="Signer la charte").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Signataires de la charte")
    expect(page.locator(".messages")).to_contain_text("Recyclerie du Lensois adhère à la charte")
    expect(page.locator("table")).to_contain_text("Chloé Durand, Présidente")
    axe_check(page)
    assert CharterSignature.objects.filter(organisation__name="Recyclerie du Lensois").exists()

    # The project applies: stage 1, the commitments.
    goto(page, "/label/candidatures/")
    page.get_by_label("Qui candidate ?").select_option(label="Projet : Atelier de réemploi de Lens")
    page.get_by_role("button", name="Ouvrir une candidature").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Candidature de Atelier de réemploi de Lens"
    )
    axe_check(page)
    page.get_by_label("Nous signons les engagements du label.").check()
    page.get_by_role("button", name="Signer les engagements").click()
    expect(page.locator(".messages")).to_contain_text("Engagements signés")

    # Stage 2: criterion by criterion, the score follows.
    for leaf in LEAVES:
        form = page.locator(f"form:has(button:text-is('Enregistrer {leaf}'))")
        form.get_by_label("Fait", exact=True).check()
        form.get_by_role("button", name=f"Enregistrer {leaf}").click()
        expect(page.locator(".messages")).to_contain_text("le score est à jour")
    expect(page.locator("#h-score + .score")).to_contain_text("Fait : 100 %")
    axe_check(page)
    page.get_by_role("button", name="Soumettre au comité").click()
    expect(page.locator(".messages")).to_contain_text("Votre auto-évaluation est figée")
    application = Application.objects.get()
    assert application.status == "comite"

    # Staff give the review to Dora.
    staff = open_page()
    log_in(staff, live_server, bruno)
    goto(staff, application.get_absolute_url())
    staff.get_by_label("Confier l'examen à").select_option(label="Dora — Experte climat")
    staff.get_by_role("button", name="Confier").click()
    expect(staff.locator(".messages")).to_contain_text("chargé de l'examen")
    axe_check(staff)

    # Dora declares no conflict, disagrees on 2.1.2 and finishes.
    reviewer = open_page()
    log_in(reviewer, live_server, dora)
    goto(reviewer, "/label/candidatures/")
    reviewer.get_by_role("link", name="Atelier de réemploi de Lens").click()
    axe_check(reviewer)
    reviewer.get_by_label("Je n'ai aucun lien avec ce projet ni avec son porteur").check()
    reviewer.get_by_role("button", name="Enregistrer ma déclaration").click()
    verdict = reviewer.locator("form:has(button:text-is('Enregistrer mon avis sur 2.1.2'))")
    verdict.get_by_label("Pas d'accord", exact=True).check()
    verdict.get_by_label("Si pas d'accord : l'état que je retiendrais").select_option(
        label="Programmé"
    )
    verdict.get_by_label("Commentaire (obligatoire en cas de désaccord)").fill(
        "La réduction n'est pas encore mesurée."
    )
    verdict.get_by_role("button", name="Enregistrer mon avis sur 2.1.2").click()
    expect(reviewer.locator(".messages")).to_contain_text("Avis enregistré")
    expect(reviewer.locator("#examen")).to_contain_text("Fait : 75 %")
    reviewer.get_by_label("Mon avis général pour le comité").fill("Un beau projet.")
    reviewer.get_by_role("button", name="Terminer mon examen").click()
    expect(reviewer.locator(".messages")).to_contain_text("Votre examen est terminé")
    axe_check(reviewer)
    assert member.reviews.get().completed_at is not None

    # Before the decision, the holder does not see the committee's comments.
    page.reload()
    expect(page.locator("main")).not_to_contain_text("La réduction n'est pas encore mesurée.")

    # Staff record the decision: 4 stars (the committee's 75 % would allow 5).
    staff.reload()
    staff.get_by_label("Décision :", exact=True).select_option(label="Label accordé")
    staff.get_by_label("Niveau accordé").select_option(label="4 étoiles")
    staff.get_by_label("Motifs de la décision").fill("Un projet exemplaire ; à mesurer.")
    staff.get_by_role("button", name="Enregistrer la décision").click()
    expect(staff.locator(".messages")).to_contain_text("La décision du comité est enregistrée")
    axe_check(staff)

    # The holder sees the decision, the comments, and the badge on the registry.
    page.reload()
    expect(page.locator("#h-decision + .card")).to_contain_text("Label accordé : 4 étoiles")
    expect(page.locator("main")).to_contain_text("La réduction n'est pas encore mesurée.")
    axe_check(page)
    page.get_by_role("link", name="Voir le label au registre et récupérer le badge").click()
    badge = page.get_by_role("img", name="Label Turbine de l'éco-transition")
    expect(badge).to_be_visible()
    # The badge is drawn once the image has loaded (it may still be on its way).
    page.wait_for_function(
        "() => { const i = document.querySelector('.badge-preview img');"
        " return i && i.complete && i.naturalWidth > 0; }"
    )
    assert page.evaluate("document.querySelector('.badge-preview img').naturalWidth") == 240
    expect(page.get_by_label("Code à copier")).to_have_value(
        f'<a href="{live_server.url}/label/registre/{application.pk}/"><img src="{live_server.url}'
        f'/label/badge/{application.pk}.svg" width="240" height="96" alt="Label Turbine de '
        "l'éco-transition : Atelier de réemploi de Lens, 4 étoiles sur 5, valable jusqu'au "
        f'{application.decisions.get().valid_until:%d/%m/%Y}"></a>'
    )
    axe_check(page)
    svg = page.request.get(f"{live_server.url}/label/badge/{application.pk}.svg")
    assert svg.headers["content-type"].startswith("image/svg+xml")
    assert "4 étoiles sur 5" in svg.text()
    goto(page, "/label/registre/")
    expect(page.locator("table")).to_contain_text("Atelier de réemploi de Lens")


def test_public_pages_of_the_label(page: Page, bruno: User) -> None:
    CharterVersionFactory()
    make_referential(bruno)
    for path in ("/label/", "/label/referentiel/", "/charte-ambition/", "/label/entraide/"):
        goto(page, path)
    expect(page.get_by_role("heading", level=1)).to_have_text("Pôle d'entraide de l'ambition")
    goto(page, "/label/referentiel/")
    expect(page.locator(".referential-tree")).to_contain_text("2.1.1 Bilan carbone")
