from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.test import Client, RequestFactory
from django.views import defaults


def assert_in_the_site_layout(html: str, title: str) -> None:
    assert f"<title>{title} · Turbine de l'éco-transition</title>" in html
    assert f"<h1>{title}</h1>" in html
    assert 'href="#contenu"' in html and 'class="site-header"' in html
    assert "Revenir à l'accueil" in html
    for english in ("Not Found", "Forbidden", "Server Error", "Bad Request", "The requested"):
        assert english not in html


@pytest.mark.django_db
def test_it_shows_a_french_404_in_the_site_layout(client: Client) -> None:
    response = client.get("/cette-page-n-existe-pas/")
    assert response.status_code == 404
    assert_in_the_site_layout(response.content.decode(), "Page introuvable")


@pytest.mark.django_db
def test_it_shows_a_french_403_offering_to_log_in(rf: RequestFactory) -> None:
    request = rf.get("/reserve/")
    request.user = AnonymousUser()
    response = defaults.permission_denied(request, PermissionDenied())
    html = response.content.decode()
    assert response.status_code == 403
    assert_in_the_site_layout(html, "Accès refusé")
    assert "?next=/reserve/" in html and "Se connecter</a>" in html


@pytest.mark.django_db
def test_it_explains_a_refused_form_in_french() -> None:
    client = Client(enforce_csrf_checks=True)
    response = client.post("/aides/alertes/", {"email": "a@example.org"})
    assert response.status_code == 403
    html = response.content.decode()
    assert_in_the_site_layout(html, "Le formulaire n'a pas pu être envoyé")
    assert "CSRF" not in html


@pytest.mark.django_db
def test_it_shows_a_french_400_for_a_bad_request(client: Client) -> None:
    response = client.get("/", HTTP_HOST="mauvais.example")
    assert response.status_code == 400
    assert_in_the_site_layout(response.content.decode(), "Demande incorrecte")


@pytest.mark.urls("turbine.core.tests.error_urls")
@pytest.mark.django_db
def test_it_shows_a_french_500_when_a_page_crashes() -> None:
    client = Client(raise_request_exception=False)
    response = client.get("/plantage/")
    assert response.status_code == 500
    assert_in_the_site_layout(response.content.decode(), "Une erreur est survenue")


def test_it_renders_the_500_page_without_the_database(rf: RequestFactory) -> None:
    # No django_db mark: pytest-django makes any query fail, as a database that is down would.
    response = defaults.server_error(rf.get("/"))
    assert response.status_code == 500
    assert_in_the_site_layout(response.content.decode(), "Une erreur est survenue")
