from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


def test_it_shows_the_territory_in_figures_on_the_home_page(client, territory):
    response = client.get("/")
    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="fr">' in html
    assert "Accompagner les projets de transition" in html
    assert "Un espace de coopération" in html
    assert "150" in html and "642\u202f834" in html
    assert 'href="#contenu"' in html  # skip link


def test_it_renders_the_home_page_in_a_bounded_number_of_queries(
    client, territory, django_assert_max_num_queries
):
    with django_assert_max_num_queries(4):
        client.get("/")


def test_it_links_only_to_pages_that_exist(client, territory):
    import re

    html = client.get("/").content.decode()
    links = set(re.findall(r'href="(/[^"#]*)"', html))
    assert links
    for link in links:
        if link.startswith("/static/"):
            continue
        assert client.get(link).status_code == 200, link


@pytest.mark.parametrize(
    "path",
    [
        "/mentions-legales/",
        "/accessibilite/",
        "/compte/donnees/",
        "/territoire/",
        "/territoire/agglomerations/246200299/",
        "/territoire/communes/62498/",
        "/compte/login/",
        "/compte/signup/",
        "/compte/password/reset/",
        "/api/",
    ],
)
def test_it_serves_public_pages(client, territory, path):
    assert client.get(path).status_code == 200


def test_it_answers_404_for_a_commune_outside_the_territory(client, territory):
    assert client.get("/territoire/communes/75056/").status_code == 404


def test_it_searches_without_javascript(client, territory):
    from turbine.core import search

    search.reindex()
    html = client.get("/recherche/", {"q": "bethune", "type": "commune"}).content.decode()
    assert "Béthune" in html
    assert "résultats pour « bethune »" in html


def test_it_returns_only_the_results_fragment_to_htmx(client, territory):
    from turbine.core import search

    search.reindex()
    response = client.get("/recherche/", {"q": "lens"}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert "<html" not in html
    assert "Lens" in html
    assert "HX-Request" in response["Vary"]


def test_it_handles_bad_search_parameters(client, territory):
    response = client.get("/recherche/", {"q": "x" * 500, "page": "abc"})
    assert response.status_code == 200


def test_it_sends_a_content_security_policy_without_unsafe_inline_scripts(client, territory):
    policy = client.get("/")["Content-Security-Policy"]
    script_src = next(p for p in policy.split(";") if p.strip().startswith("script-src"))
    assert "unsafe-inline" not in script_src


def test_it_lists_the_api_resources_in_french(client):
    html = client.get("/api/").content.decode()
    assert "<code>/api/v1/communes</code>" in html
    assert "Communes du territoire" in html
