"""Accounts in a real browser: sign-up with email verification, login, profile, personal data,
account deletion and API tokens."""

from __future__ import annotations

import json
import re

import pytest
from allauth.account.models import EmailAddress
from django.core.mail import EmailMessage
from django.test import Client
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from tests.browser.conftest import axe_check, goto, log_in
from turbine.accounts.models import User
from turbine.accounts.tests.factories import PASSWORD

pytestmark = pytest.mark.browser

NEW_PASSWORD = "un-vrai-mot-de-passe-2038"


def verification_link(message: EmailMessage) -> str:
    match = re.search(r"https?://\S+/compte/confirm-email/\S+/", message.body)
    assert match, f"no verification link in:\n{message.body}"
    return match.group(0)


def test_it_signs_up_and_verifies_the_email_address(
    page: Page, mailoutbox: list[EmailMessage]
) -> None:
    goto(page, "/")
    page.get_by_role("navigation", name="Mon compte").get_by_role(
        "link", name="Créer un compte"
    ).click()
    expect(page).to_have_url(re.compile(r"/compte/signup/$"))
    axe_check(page)

    # A mismatched confirmation is refused with a message, and the form stays accessible.
    page.locator("#id_email").fill("dora@example.org")
    page.locator("#id_password1").fill(NEW_PASSWORD)
    page.locator("#id_password2").fill(NEW_PASSWORD + "x")
    page.get_by_role("button", name="Création de compte").click()
    expect(page.locator("main")).to_contain_text("deux fois le même mot de passe")
    axe_check(page)
    assert not User.objects.filter(email="dora@example.org").exists()

    page.locator("#id_password1").fill(NEW_PASSWORD)
    page.locator("#id_password2").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Création de compte").click()
    expect(page).to_have_url(re.compile(r"/compte/confirm-email/$"))
    expect(page.locator("main")).to_contain_text("dora@example.org")
    axe_check(page)

    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert message.to == ["dora@example.org"]
    assert message.subject.startswith("[Turbine] ")
    assert not EmailAddress.objects.get(email="dora@example.org").verified

    page.goto(verification_link(message))
    axe_check(page)
    page.get_by_role("button", name="Confirmer").click()
    # Confirming logs the person in and lands on their profile.
    expect(page).to_have_url(re.compile(r"/compte/profil/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Mon profil")
    expect(page.locator("main")).to_contain_text("dora@example.org")
    axe_check(page)
    assert EmailAddress.objects.get(email="dora@example.org").verified
    assert User.objects.get(email="dora@example.org").groups.filter(name="citoyen").exists()


def test_it_logs_in_and_out(page: Page, alice: User) -> None:
    goto(page, "/compte/login/")
    page.get_by_label("Courriel").fill("alice@example.org")
    page.locator("#id_password").fill("pas-le-bon")
    page.get_by_role("button", name="Connexion").click()
    expect(page.locator("main")).to_contain_text("incorrect")
    axe_check(page)

    page.locator("#id_password").fill(PASSWORD)
    page.get_by_role("button", name="Connexion").click()
    expect(page).to_have_url(re.compile(r"/compte/profil/$"))
    expect(page.locator("main")).to_contain_text("alice@example.org")
    axe_check(page)

    page.get_by_role("button", name="Se déconnecter").click()
    expect(page.get_by_role("link", name="Se connecter")).to_be_visible()
    axe_check(page)


def test_it_updates_the_profile(page: Page, live_server: LiveServer, alice: User) -> None:
    log_in(page, live_server, alice)
    goto(page, "/compte/profil/")
    page.get_by_label("Commune de résidence").select_option(label="Béthune (62400)")
    page.get_by_label("Rendre mon profil public").check()
    page.get_by_role("button", name="Enregistrer mon profil").click()
    expect(page.get_by_role("status")).to_contain_text("Votre profil est enregistré.")
    expect(page.get_by_label("Rendre mon profil public")).to_be_checked()
    axe_check(page)

    alice.refresh_from_db()
    assert alice.commune is not None and alice.commune.name == "Béthune"
    assert alice.is_profile_public


def test_it_exports_personal_data(page: Page, live_server: LiveServer, alice: User) -> None:
    log_in(page, live_server, alice)
    goto(page, "/compte/donnees/")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Télécharger toutes mes données (JSON)").click()
    download = download_info.value
    assert re.fullmatch(r"turbine-mes-donnees-\d{4}-\d\d-\d\d\.json", download.suggested_filename)
    with open(download.path(), encoding="utf-8") as file:
        data = json.load(file)
    assert data["format"] == "turbine-personal-data/1"
    assert data["sections"]["account"]["data"]["email"] == "alice@example.org"


def test_it_deletes_the_account(page: Page, live_server: LiveServer, alice: User) -> None:
    log_in(page, live_server, alice)
    goto(page, "/compte/donnees/")
    page.get_by_role("link", name="Supprimer mon compte").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Supprimer mon compte")
    axe_check(page)

    # Without the confirmation box, nothing is deleted and the errors are announced.
    page.get_by_label("Votre mot de passe, pour confirmer").fill(PASSWORD)
    page.get_by_role("button", name="Supprimer définitivement mon compte").click()
    expect(page.get_by_role("alert")).to_contain_text("Le formulaire contient une erreur.")
    axe_check(page)
    assert User.objects.filter(pk=alice.pk).exists()

    page.get_by_label("Votre mot de passe, pour confirmer").fill(PASSWORD)
    page.get_by_label("Je comprends que la suppression est définitive.").check()
    page.get_by_role("button", name="Supprimer définitivement mon compte").click()
    expect(page).to_have_url(re.compile(r"/$"))
    expect(page.get_by_role("status")).to_contain_text("Votre compte et vos données personnelles")
    expect(page.get_by_role("link", name="Se connecter")).to_be_visible()
    axe_check(page)
    assert not User.objects.filter(pk=alice.pk).exists()
    assert not EmailAddress.objects.filter(email="alice@example.org").exists()


def test_it_creates_shows_once_and_revokes_an_api_token(
    page: Page, live_server: LiveServer, alice: User
) -> None:
    log_in(page, live_server, alice)
    goto(page, "/compte/jetons/")
    expect(page.locator("main")).to_contain_text("Vous n'avez encore créé aucun jeton.")

    page.get_by_label("Nom du jeton").fill("Tableau de bord")
    page.get_by_role("button", name="Créer le jeton").click()
    secret = page.locator("code.secret").inner_text().strip()
    assert len(secret) >= 20
    expect(page.get_by_role("alert")).to_contain_text("il ne sera plus jamais affiché")
    axe_check(page)

    api = Client()
    me = api.get("/api/v1/me", headers={"authorization": f"Bearer {secret}"})
    assert me.status_code == 200 and me.json()["email"] == "alice@example.org"

    goto(page, "/compte/jetons/")
    assert secret not in page.content()
    expect(page.get_by_role("row", name=re.compile("Tableau de bord"))).to_be_visible()

    page.get_by_role("button", name="Révoquer le jeton « Tableau de bord »").click()
    expect(page.get_by_role("status")).to_contain_text("Le jeton « Tableau de bord » est révoqué.")
    expect(page.get_by_role("row", name=re.compile("Tableau de bord"))).to_contain_text(
        "révoqué le"
    )
    axe_check(page)
    me = api.get("/api/v1/me", headers={"authorization": f"Bearer {secret}"})
    assert me.status_code == 401
