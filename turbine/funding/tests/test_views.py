from __future__ import annotations

import csv
import io

import pytest
from django.test import Client

from turbine.core.models import Theme
from turbine.funding.models import LocalNote, NoteVisibility, Scale
from turbine.funding.tests.factories import FunderFactory, commune, make_aid, perimeter

pytestmark = pytest.mark.usefixtures("perimeters")


@pytest.fixture
def catalogue(db: None) -> dict:
    ademe = FunderFactory(name="ADEME", level="etablissement-public")
    region = FunderFactory(name="Région Hauts-de-France", level="region")
    aids = {
        "chaleur": make_aid(
            title="Fonds Chaleur (exemple)",
            funders=[ademe],
            themes=["energie"],
            is_call_for_projects=True,
            short_description="Chaleur renouvelable.",
            description="**Géothermie** <script>alert(1)</script>",
        ),
        "velo": make_aid(
            title="Pistes cyclables",
            funders=[region],
            themes=["mobilite"],
            perimeters=[perimeter(Scale.REGION, "32")],
            deadline_in=None,
            recurrence="permanente",
        ),
        "lens": make_aid(title="Lens seulement", perimeters=[commune("62498")]),
    }
    for i in range(25):
        make_aid(title=f"Aide nationale {i:02}", funders=[ademe, region], themes=["eau"])
    return {"ademe": ademe, "region": region, **aids}


def test_it_searches_aids_by_commune_and_theme(
    client: Client, catalogue: dict, django_assert_max_num_queries
) -> None:
    with django_assert_max_num_queries(12):
        response = client.get("/aides/?commune=62119&theme=energie")
    body = response.content.decode()
    assert response.status_code == 200
    assert "1 aide" in body and "pour Béthune (62119)" in body
    assert "Fonds Chaleur (exemple)" in body
    with django_assert_max_num_queries(12):
        response = client.get("/aides/?commune=62119")
    body = response.content.decode()
    assert "27 aides" in body and "Lens seulement" not in body
    assert "Page 1 sur 2" in body


def test_it_redirects_a_commune_name_to_its_code(client: Client, catalogue: dict) -> None:
    response = client.get("/aides/?commune=bethune&theme=energie")
    assert response.status_code == 302
    assert response["Location"] == "/aides/?commune=62119&theme=energie"
    body = client.get("/aides/?commune=62119").content.decode()
    assert 'value="Béthune (62119)"' in body
    assert client.get("/aides/?commune=Béthune+(62119)").status_code == 302
    response = client.get("/aides/?commune=Nullepart")
    assert "Aucune commune française" in response.content.decode()


def test_it_shows_an_aid_with_sanitised_markdown_and_notes(
    client: Client,
    catalogue: dict,
    bruno,
    alice,
) -> None:
    aid = catalogue["chaleur"]
    LocalNote.objects.create(aid=aid, author=bruno, text="Cumulable ici.", visibility="public")
    LocalNote.objects.create(aid=aid, author=bruno, text="Interne", visibility="equipe")
    body = client.get(f"/aides/{aid.pk}/").content.decode()
    assert "<strong>Géothermie</strong>" in body and "<script>" not in body
    assert "Cumulable ici." in body and "Interne" not in body
    assert "Ajouter une note locale" not in body
    client.force_login(alice)
    assert (
        client.post(f"/aides/{aid.pk}/notes/", {"text": "x", "visibility": "public"}).status_code
        == 403
    )
    client.force_login(bruno)
    body = client.get(f"/aides/{aid.pk}/").content.decode()
    assert "Interne" in body
    response = client.post(
        f"/aides/{aid.pk}/notes/",
        {"text": "Contact : la Région.", "visibility": NoteVisibility.STAFF},
    )
    assert response.status_code == 302
    assert LocalNote.objects.filter(aid=aid, visibility="equipe").count() == 2
    response = client.post(f"/aides/{aid.pk}/notes/", {"text": "", "visibility": "public"})
    assert response.status_code == 400


def test_it_hides_drafts_from_the_public(client: Client, bruno) -> None:
    draft = make_aid(title="Brouillon", status="brouillon")
    assert client.get(f"/aides/{draft.pk}/").status_code == 404
    client.force_login(bruno)
    assert client.get(f"/aides/{draft.pk}/").status_code == 200


def test_it_lists_funders_and_deadlines(
    client: Client, catalogue: dict, django_assert_max_num_queries
) -> None:
    with django_assert_max_num_queries(6):
        body = client.get("/financeurs/").content.decode()
    assert "ADEME" in body and "Région Hauts-de-France" in body
    with django_assert_max_num_queries(12):
        body = client.get("/aides/echeances/?theme=energie").content.decode()
    assert "Fonds Chaleur (exemple)" in body and "Pistes cyclables" not in body


def test_it_serves_icalendar_atom_and_csv_for_a_search(client: Client, catalogue: dict) -> None:
    ics = client.get("/aides/echeances.ics?commune=62119&theme=energie")
    assert ics["Content-Type"].startswith("text/calendar")
    text = ics.content.decode()
    assert text.startswith("BEGIN:VCALENDAR\r\n") and text.endswith("END:VCALENDAR\r\n")
    assert text.count("BEGIN:VEVENT") == 1
    assert "SUMMARY:Date limite : Fonds Chaleur (exemple)" in text
    assert all(len(line.encode()) <= 75 for line in text.split("\r\n"))

    atom = client.get("/aides/flux.atom?theme=mobilite")
    assert atom["Content-Type"].startswith("application/atom+xml")
    assert b"Pistes cyclables" in atom.content and b"Fonds Chaleur" not in atom.content

    export = client.get("/aides/export.csv?commune=62119")
    rows = list(csv.reader(io.StringIO(b"".join(export.streaming_content).decode())))
    assert rows[0][:2] == ["id", "titre"]
    assert len(rows) == 1 + 27
    assert client.get("/aides/export.csv?closing_within=abc").status_code == 400


def test_it_serves_the_api_with_the_same_filters(
    client: Client, catalogue: dict, django_assert_max_num_queries
) -> None:
    with django_assert_max_num_queries(10):
        data = client.get("/api/v1/aids?commune=62119&theme=energie&call_for_projects=true").json()
    assert data["count"] == 1
    item = data["items"][0]
    assert item["title"] == "Fonds Chaleur (exemple)"
    assert item["perimeters"] == [{"scale": "country", "code": "FR", "name": "France"}]
    assert item["funders"] == [{"id": catalogue["ademe"].pk, "name": "ADEME"}]
    assert item["themes"] == ["energie"] and item["types"] == ["subvention"]
    assert item["status"] == "publiee" and item["url"].endswith(f"/aides/{item['id']}/")
    for key in ("beneficiaries", "is_call_for_projects", "start_date", "deadline", "recurrence"):
        assert key in item
    with django_assert_max_num_queries(10):
        page = client.get("/api/v1/aids?page_size=100").json()
    assert page["count"] == 28
    detail = client.get(f"/api/v1/aids/{item['id']}").json()
    assert "Géothermie" in detail["description"]
    assert client.get("/api/v1/aids?type=don").status_code == 400
    funders = client.get("/api/v1/funders").json()
    assert {f["name"]: f["live_aids"] for f in funders["items"]} == {
        "ADEME": 26,
        "Région Hauts-de-France": 26,
    }
    assert client.get("/api/v1/aids/deadlines").json()["count"] == 27


def test_it_records_staff_edits_made_in_the_back_office(client: Client, catalogue: dict) -> None:
    from turbine.accounts.tests.factories import UserFactory

    admin_user = UserFactory(email="admin@example.org", is_staff=True, is_superuser=True)
    client.force_login(admin_user)
    aid = catalogue["lens"]
    assert client.get(f"/admin/funding/aid/{aid.pk}/change/").status_code == 200
    assert client.get("/admin/funding/aid/").status_code == 200


def test_it_shows_an_aid_page_in_a_bounded_number_of_queries(
    client: Client,
    catalogue: dict,
    bruno,
    django_assert_max_num_queries,
) -> None:
    aid = catalogue["chaleur"]
    for i in range(5):
        LocalNote.objects.create(aid=aid, author=bruno, text=f"Note {i}", visibility="public")
    client.force_login(bruno)
    with django_assert_max_num_queries(20):
        response = client.get(f"/aides/{aid.pk}/")
    assert response.status_code == 200
    data = client.get("/api/v1/aids?theme=energie&theme=eau").json()
    assert data["count"] == 0
    assert client.get("/api/v1/aids?theme=eau").json()["count"] == 25


def test_it_filters_a_repeated_theme_with_one_subquery(
    client: Client, catalogue: dict, django_assert_max_num_queries
) -> None:
    # One JOIN per repeated value took seconds on PostgreSQL and failed past 35 on SQLite.
    query = "&".join(["theme=mobilite"] * 60)
    with django_assert_max_num_queries(12):
        page = client.get(f"/aides/?{query}")
    assert page.status_code == 200
    assert "Pistes cyclables" in page.content.decode()
    assert client.get(f"/aides/flux.atom?{query}").status_code == 200
    assert client.get(f"/aides/echeances.ics?{query}").status_code == 200
    api = client.get(f"/api/v1/aids?{'&'.join(['theme=mobilite'] * 19)}&theme=energie").json()
    assert api["count"] == 0  # every theme is required
    data = client.get(f"/api/v1/aids?{'&'.join(['theme=mobilite'] * 20)}").json()
    assert [item["title"] for item in data["items"]] == ["Pistes cyclables"]


def test_it_refuses_more_themes_than_the_cap(client: Client, catalogue: dict) -> None:
    response = client.get(f"/api/v1/aids?{'&'.join(['theme=mobilite'] * 21)}")
    assert response.status_code == 422
    assert response.json()["errors"] == [{"field": "theme", "message": "20 valeurs au plus"}]
    slugs = [f"theme-{i:02}" for i in range(21)]
    for i, slug in enumerate(slugs):
        Theme.objects.create(slug=slug, name=f"Thème {i:02}", position=100 + i)
    query = "&".join(f"theme={slug}" for slug in slugs)
    page = client.get(f"/aides/?{query}")
    assert "Choisissez au plus 20 thèmes." in page.content.decode()
    assert client.get(f"/aides/flux.atom?{query}").status_code == 400
