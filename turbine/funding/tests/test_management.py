"""A funder's management pages (``/financeurs/<id>/gestion/``) and ``POST/PATCH /api/v1/aids``:
Fanny, of the Fondation du bassin minier (a directory organisation), manages its aids."""

from __future__ import annotations

import datetime
import json

import pytest
from django.utils import timezone

from turbine.accounts.services import api_token_create
from turbine.accounts.tests.factories import UserFactory
from turbine.directory.models import MemberRole, Membership, MembershipStatus
from turbine.directory.tests.factories import OrganisationFactory
from turbine.funding.models import (
    Aid,
    AidChange,
    AidSource,
    AidStatus,
    LocalNote,
)
from turbine.funding.services import management as services
from turbine.funding.tests.factories import FunderFactory, make_aid

pytestmark = pytest.mark.django_db

IN_A_MONTH = (timezone.localdate() + datetime.timedelta(days=30)).isoformat()


@pytest.fixture
def fanny(territory, perimeters):
    return UserFactory(
        email="fanny@example.org", display_name="Fanny", roles=["partenaire financeur"]
    )


@pytest.fixture
def funder(fanny):
    organisation = OrganisationFactory(name="Fondation du bassin minier", family="aident")
    Membership.objects.create(
        organisation=organisation, user=fanny, role=MemberRole.ADMIN, status=MembershipStatus.ACTIVE
    )
    return FunderFactory(
        name="Fondation du bassin minier", level="fondation", organisation=organisation
    )


def form_data(**values):
    data = {
        "title": "Jardins nourriciers 2027",
        "short_description": "Pour les jardins partagés des communes minières.",
        "types": ["subvention"],
        "beneficiaries": ["association", "commune"],
        "themes": ["alimentation"],
        "perimeters": ["epci:246200364"],
        "communes": "",
        "deadline": IN_A_MONTH,
        "recurrence": "ponctuelle",
        "subsidy_rate_max": "80",
    }
    data.update(values)
    return data


def bearer(user) -> dict[str, str]:
    _, secret = api_token_create(user=user, name="test")
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


# --- Pages ------------------------------------------------------------------------------------


def test_it_creates_a_draft_then_publishes_it_with_the_audit_log(client, fanny, funder):
    client.force_login(fanny)
    response = client.post(f"/financeurs/{funder.pk}/gestion/aides/nouvelle/", form_data())
    aid = Aid.objects.get(title="Jardins nourriciers 2027")
    assert response.status_code == 302
    assert response["Location"] == f"/financeurs/{funder.pk}/gestion/aides/{aid.pk}/"
    assert aid.status == AidStatus.DRAFT and list(aid.funders.all()) == [funder]
    assert aid.perimeters.get().code == "246200364"
    client.post(f"/financeurs/{funder.pk}/gestion/aides/{aid.pk}/publier/")
    aid.refresh_from_db()
    assert aid.is_live and aid.published_at is not None
    page = client.get(f"/financeurs/{funder.pk}/gestion/")
    text = page.content.decode()
    assert page.status_code == 200
    assert "Jardins nourriciers 2027" in text and "Publication" in text and "Fanny" in text
    actions = list(AidChange.objects.filter(aid=aid).values_list("action", flat=True))
    assert actions == ["publication", "creation"]


def test_the_form_refuses_what_the_catalogue_refuses(client, fanny, funder):
    client.force_login(fanny)
    url = f"/financeurs/{funder.pk}/gestion/aides/nouvelle/"
    bad = [
        form_data(subsidy_rate_min="90", subsidy_rate_max="20"),
        form_data(start_date=IN_A_MONTH, deadline=timezone.localdate().isoformat()),
        form_data(amount_max="9" * 30),
        form_data(title="Jardins\x00"),
        form_data(communes="Nulle-Part-sur-Mer"),
        form_data(perimeters=["region:99"]),
        form_data(types=["inconnu"]),
    ]
    for data in bad:
        response = client.post(url, data)
        assert response.status_code == 400, data
        assert "Le formulaire contient" in response.content.decode()
    assert not Aid.objects.exists()


def test_publishing_needs_a_perimeter_and_a_deadline_ahead(client, fanny, funder):
    client.force_login(fanny)
    url = f"/financeurs/{funder.pk}/gestion/aides/nouvelle/"
    response = client.post(url, {**form_data(perimeters=[]), "publish": "1"})
    assert response.status_code == 400
    assert "au moins un périmètre" in response.content.decode()
    yesterday = (timezone.localdate() - datetime.timedelta(days=1)).isoformat()
    response = client.post(url, {**form_data(deadline=yesterday), "publish": "1"})
    assert response.status_code == 400 and "est passée" in response.content.decode()
    assert not Aid.objects.exists()


def test_it_edits_closes_and_duplicates_for_a_new_session(client, fanny, funder):
    aid = make_aid(title="Vergers 2026", funders=[funder], themes=["alimentation"])
    client.force_login(fanny)
    base = f"/financeurs/{funder.pk}/gestion/aides/{aid.pk}/"
    page = client.get(base)
    assert page.status_code == 200 and 'value="Vergers 2026"' in page.content.decode()
    response = client.post(
        base, form_data(title="Vergers 2026", perimeters=["country:FR"], subsidy_rate_max="60")
    )
    assert response.status_code == 302
    aid.refresh_from_db()
    assert aid.subsidy_rate_max == 60
    edited = AidChange.objects.get(aid=aid, action="modification")
    assert "subsidy_rate_max" in edited.fields and "Taux maximal (%)" in edited.field_labels
    client.post(base + "cloturer/")
    aid.refresh_from_db()
    assert aid.status == AidStatus.EXPIRED and not aid.is_live
    # An edit of a closed aid leaves it closed, whatever its deadline.
    client.post(base, form_data(title="Vergers 2026 (clos)", perimeters=["country:FR"]))
    aid.refresh_from_db()
    assert aid.status == AidStatus.EXPIRED
    response = client.post(base + "dupliquer/")
    copy = Aid.objects.exclude(pk=aid.pk).get()
    assert response["Location"] == f"/financeurs/{funder.pk}/gestion/aides/{copy.pk}/"
    assert copy.status == AidStatus.DRAFT and copy.deadline is None
    assert copy.title == aid.title and list(copy.funders.all()) == [funder]
    assert [t.slug for t in copy.themes.all()] == ["alimentation"]
    assert AidChange.objects.get(aid=copy).action == "duplication"


def test_an_imported_aid_is_read_only_but_for_local_notes(client, fanny, funder):
    aid = make_aid(title="Fonds vert", funders=[funder])
    Aid.objects.filter(pk=aid.pk).update(source=AidSource.AIDES_TERRITOIRES, source_id="at-1")
    client.force_login(fanny)
    base = f"/financeurs/{funder.pk}/gestion/aides/{aid.pk}/"
    page = client.get(base).content.decode()
    assert "Ce que dit Aides-territoires" in page and 'name="title"' not in page
    assert client.post(base, form_data()).status_code == 403
    assert client.post(base + "cloturer/").status_code == 403
    response = client.post(base + "notes/", {"text": "Le CD2E aide à monter le dossier."})
    assert response.status_code == 302
    note = LocalNote.objects.get(aid=aid)
    assert note.author == fanny and note.visibility == "public"
    assert client.get(aid.get_absolute_url()).content.decode().count("Le CD2E aide") == 1


def test_others_may_not_manage_the_funder(client, funder, alice):
    other_funder = UserFactory(roles=["partenaire financeur"])
    member_without_role = UserFactory()
    Membership.objects.create(
        organisation=funder.organisation, user=member_without_role, status=MembershipStatus.ACTIVE
    )
    pending = UserFactory(roles=["partenaire financeur"])
    Membership.objects.create(organisation=funder.organisation, user=pending)
    aid = make_aid(funders=[funder])
    for user in (alice, other_funder, member_without_role, pending):
        client.force_login(user)
        assert client.get(f"/financeurs/{funder.pk}/gestion/").status_code == 403
        assert (
            client.post(f"/financeurs/{funder.pk}/gestion/aides/{aid.pk}/cloturer/").status_code
            == 403
        )
    with pytest.raises(services.PermissionDeniedError):
        services.managed_aid_close(actor=other_funder, aid_id=aid.pk)


def test_an_aid_of_another_funder_is_a_404_on_this_funders_pages(client, fanny, funder):
    stranger = make_aid(funders=[FunderFactory()])
    client.force_login(fanny)
    assert client.get(f"/financeurs/{funder.pk}/gestion/aides/{stranger.pk}/").status_code == 404
    assert (
        client.post(f"/financeurs/{funder.pk}/gestion/aides/{stranger.pk}/dupliquer/").status_code
        == 404
    )
    mine = make_aid(funders=[funder])
    assert (
        client.post(f"/financeurs/{funder.pk}/gestion/aides/{mine.pk}/effacer/").status_code == 404
    )


def test_the_management_page_has_flat_queries(client, fanny, funder, django_assert_max_num_queries):
    for n in range(3):
        make_aid(title=f"Aide {n}", funders=[funder])
    client.force_login(fanny)
    with django_assert_max_num_queries(16) as few:
        client.get(f"/financeurs/{funder.pk}/gestion/")
    for n in range(3, 15):
        make_aid(title=f"Aide {n}", funders=[funder])
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(f"/financeurs/{funder.pk}/gestion/")


# --- API --------------------------------------------------------------------------------------


def api_body(**values):
    body = {
        "funder": None,
        "title": "Mobilités douces 2027",
        "types": ["subvention"],
        "beneficiaries": ["commune"],
        "perimeters": ["department:62"],
        "communes": ["62498"],
        "deadline": IN_A_MONTH,
    }
    body.update(values)
    return body


def test_the_api_creates_and_patches_the_funders_own_aids(client, fanny, funder):
    headers = bearer(fanny)
    response = client.post(
        "/api/v1/aids",
        api_body(funder=funder.pk, status="publiee"),
        content_type="application/json",
        **headers,
    )
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["status"] == "publiee" and data["funders"] == [
        {"id": funder.pk, "name": funder.name}
    ]
    assert {p["code"] for p in data["perimeters"]} == {"62", "62498"}
    aid_id = data["id"]
    response = client.patch(
        f"/api/v1/aids/{aid_id}",
        {"subsidy_rate_max": 50},
        content_type="application/json",
        **headers,
    )
    assert response.status_code == 200 and response.json()["subsidy_rate_max"] == 50
    assert response.json()["title"] == "Mobilités douces 2027"
    response = client.patch(
        f"/api/v1/aids/{aid_id}", {"status": "expiree"}, content_type="application/json", **headers
    )
    assert response.json()["status"] == "expiree"
    actions = list(AidChange.objects.filter(aid_id=aid_id).values_list("action", flat=True))
    assert actions == ["cloture", "modification", "publication", "creation"]


@pytest.mark.parametrize(
    "body, field",
    [
        ({"subsidy_rate_min": 90, "subsidy_rate_max": 10}, "subsidy_rate_min"),
        ({"amount_max": 10**40}, "amount_max"),
        ({"title": "\x00"}, "title"),
        ({"title": ""}, "title"),
        ({"perimeters": ["nowhere"]}, "perimeters"),
        ({"communes": ["99999"]}, "communes"),
        ({"themes": ["inconnu"]}, "themes"),
        ({"origin_url": "javascript:alert(1)"}, "origin_url"),
    ],
)
def test_the_api_refuses_bad_input_in_french(client, fanny, funder, body, field):
    response = client.post(
        "/api/v1/aids",
        api_body(funder=funder.pk, **body),
        content_type="application/json",
        **bearer(fanny),
    )
    assert response.status_code == 422, response.content
    assert response.json()["detail"].startswith("Requête invalide")
    assert not Aid.objects.exists()


def test_the_api_refuses_garbage_and_oversized_bodies(client, fanny, funder):
    headers = bearer(fanny)
    assert client.post(
        "/api/v1/aids", "{not json", content_type="application/json", **headers
    ).status_code in (400, 422)
    assert (
        client.post(
            "/api/v1/aids", api_body(), content_type="application/json", **headers
        ).status_code
        == 422
    )
    huge = json.dumps(api_body(funder=funder.pk, description="x" * 3_000_000))
    response = client.post("/api/v1/aids", huge, content_type="application/json", **headers)
    assert 400 <= response.status_code < 500
    assert not Aid.objects.exists()


def test_the_api_writes_only_the_funders_own_aids(client, fanny, funder, alice):
    other = FunderFactory()
    theirs = make_aid(funders=[other])
    imported = make_aid(funders=[funder])
    Aid.objects.filter(pk=imported.pk).update(source=AidSource.AIDES_TERRITOIRES, source_id="at-2")
    headers = bearer(fanny)
    assert (
        client.post(
            "/api/v1/aids", api_body(funder=other.pk), content_type="application/json", **headers
        ).status_code
        == 403
    )
    assert (
        client.patch(
            f"/api/v1/aids/{theirs.pk}",
            {"title": "À moi"},
            content_type="application/json",
            **headers,
        ).status_code
        == 403
    )
    response = client.patch(
        f"/api/v1/aids/{imported.pk}",
        {"title": "À moi"},
        content_type="application/json",
        **headers,
    )
    assert response.status_code == 403 and "Aides-territoires" in response.json()["detail"]
    assert (
        client.post(
            "/api/v1/aids", api_body(funder=funder.pk), content_type="application/json"
        ).status_code
        == 401
    )
    assert (
        client.post(
            "/api/v1/aids",
            api_body(funder=funder.pk),
            content_type="application/json",
            **bearer(alice),
        ).status_code
        == 403
    )
    assert (
        client.patch(
            "/api/v1/aids/999999", {"title": "x"}, content_type="application/json", **headers
        ).status_code
        == 404
    )
