from __future__ import annotations

import html
import json
import re

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group
from django.core import mail

from turbine.accounts.models import ApiToken, User
from turbine.accounts.services import api_token_authenticate
from turbine.accounts.tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def test_it_creates_the_roles_as_groups():
    assert set(Group.objects.values_list("name", flat=True)) >= {
        "citoyen",
        "porteur de projet",
        "conseiller",
        "élu",
        "partenaire financeur",
        "administrateur",
    }


def test_it_signs_up_verifies_the_email_and_logs_in(
    client, territory, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/compte/signup/",
            {
                "email": "dora@example.org",
                "password1": "Un-mot-de-passe-solide-7",
                "password2": "Un-mot-de-passe-solide-7",
            },
        )
    assert response.status_code == 302
    user = User.objects.get(email="dora@example.org")
    assert list(user.groups.values_list("name", flat=True)) == ["citoyen"]
    assert not EmailAddress.objects.get(user=user).verified
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["dora@example.org"]
    assert message.subject == "[Turbine] Confirmez votre adresse électronique"
    assert "Pour confirmer qu'il s'agit bien de vous" in message.body
    assert message.alternatives[0][1] == "text/html"
    link = re.search(r"http://testserver(/compte/confirm-email/\S+/)", message.body).group(1)
    # A login before verification is refused.
    client.logout()
    client.post(
        "/compte/login/", {"login": "dora@example.org", "password": "Un-mot-de-passe-solide-7"}
    )
    assert "_auth_user_id" not in client.session
    client.post(link)
    assert EmailAddress.objects.get(user=user).verified
    client.logout()
    response = client.post(
        "/compte/login/", {"login": "dora@example.org", "password": "Un-mot-de-passe-solide-7"}
    )
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)


def test_it_refuses_a_bad_sign_up_in_french(client, territory):
    response = client.post(
        "/compte/signup/", {"email": "pas-une-adresse", "password1": "a", "password2": "b"}
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Saisissez une adresse" in page or "adresse e-mail valide" in page
    assert not User.objects.filter(email="pas-une-adresse").exists()


def test_it_sends_a_password_reset_email(client, alice, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/compte/password/reset/", {"email": "alice@example.org"})
    assert len(mail.outbox) == 1
    assert "/compte/password/reset/key/" in mail.outbox[0].body


def test_it_locks_out_after_five_failed_logins(client, alice):
    for _ in range(5):
        client.post("/compte/login/", {"login": "alice@example.org", "password": "faux"})
    response = client.post("/compte/login/", {"login": "alice@example.org", "password": PASSWORD})
    assert response.status_code == 429
    assert "Connexion temporairement bloquée" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_it_updates_the_profile(client, alice, territory):
    client.force_login(alice)
    response = client.post(
        "/compte/profil/",
        {
            "display_name": "Alice M.",
            "commune": territory.agglomerations.get(siren="246200299")
            .communes.get(code="62215")
            .pk,
            "bio": "Cycliste.",
            "self_roles": ["citoyen", "porteur de projet"],
            "is_profile_public": "on",
        },
    )
    assert response.status_code == 302
    alice.refresh_from_db()
    assert alice.commune.name == "Carvin"
    assert alice.is_profile_public
    assert set(alice.groups.values_list("name", flat=True)) == {"citoyen", "porteur de projet"}


def test_it_refuses_a_public_profile_without_a_name(client, alice):
    client.force_login(alice)
    response = client.post("/compte/profil/", {"display_name": " ", "is_profile_public": "on"})
    assert response.status_code == 200
    assert "Indiquez un nom affiché" in response.content.decode()
    alice.refresh_from_db()
    assert not alice.is_profile_public
    assert alice.display_name == "Alice"


def test_it_refuses_a_role_one_cannot_give_oneself(client, alice):
    client.force_login(alice)
    response = client.post("/compte/profil/", {"display_name": "A", "self_roles": ["conseiller"]})
    assert response.status_code == 200
    assert not alice.groups.filter(name="conseiller").exists()


def test_it_refuses_a_commune_outside_the_territory(client, alice):
    client.force_login(alice)
    response = client.post("/compte/profil/", {"display_name": "A", "commune": "999999"})
    assert response.status_code == 200
    assert "Sélectionnez un choix valide" in response.content.decode()


def test_it_exports_everything_about_the_person(client, alice):
    client.force_login(alice)
    client.post("/compte/jetons/", {"name": "Mon script"})
    response = client.get("/compte/donnees/export.json")
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    data = json.loads(response.content)
    sections = data["sections"]
    assert sections["account"]["data"]["email"] == "alice@example.org"
    assert sections["account"]["data"]["commune"] == {"code": "62498", "name": "Lens"}
    assert sections["api_tokens"]["data"][0]["name"] == "Mon script"
    assert "digest" not in json.dumps(sections["api_tokens"])


def test_it_describes_what_deletion_removes_and_anonymises(client):
    page = client.get("/compte/donnees/").content.decode()
    assert "À la suppression du compte" in page
    assert "Anonymiser veut dire" in page


def test_it_deletes_the_account_with_the_password(client, alice):
    client.force_login(alice)
    response = client.post("/compte/supprimer/", {"password": "faux", "confirm": "on"})
    assert response.status_code == 200
    assert "Mot de passe incorrect" in response.content.decode()
    assert User.objects.filter(pk=alice.pk).exists()
    response = client.post("/compte/supprimer/", {"password": PASSWORD, "confirm": "on"})
    assert response.status_code == 302
    assert not User.objects.filter(pk=alice.pk).exists()
    assert not EmailAddress.objects.filter(email="alice@example.org").exists()
    assert "_auth_user_id" not in client.session


def test_it_creates_uses_and_revokes_an_api_token(client, alice):
    client.force_login(alice)
    response = client.post("/compte/jetons/", {"name": "Tableau de bord"})
    page = response.content.decode()
    secret = re.search(r'<code class="secret">(tbn_[^<]+)</code>', page).group(1)
    token = ApiToken.objects.get(user=alice)
    assert secret not in token.digest and token.digest != secret  # stored hashed
    assert token.prefix == secret[:12]
    api = client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert api.status_code == 200
    assert api.json()["email"] == "alice@example.org"
    # The secret is shown once: the list no longer holds it.
    assert secret not in client.get("/compte/jetons/").content.decode()
    client.post(f"/compte/jetons/{token.pk}/revoquer/")
    assert client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {secret}").status_code == 401
    assert api_token_authenticate(secret) is None


def test_it_refuses_an_unnamed_token_and_another_persons_token(client, alice, chloe):
    client.force_login(alice)
    response = client.post("/compte/jetons/", {"name": "  "})
    assert "Ce champ est obligatoire" in response.content.decode()
    assert not ApiToken.objects.exists()
    client.force_login(chloe)
    client.post("/compte/jetons/", {"name": "Chloé"})
    token = ApiToken.objects.get(user=chloe)
    client.force_login(alice)
    response = client.post(f"/compte/jetons/{token.pk}/revoquer/", follow=True)
    assert "Ce jeton n'existe pas" in html.unescape(response.content.decode())
    token.refresh_from_db()
    assert token.is_active


def test_it_requires_login_for_personal_pages(client):
    for path in (
        "/compte/profil/",
        "/compte/jetons/",
        "/compte/donnees/export.json",
        "/compte/supprimer/",
    ):
        response = client.get(path)
        assert response.status_code == 302
        assert response["Location"].startswith("/compte/login/")
