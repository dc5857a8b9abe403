"""Cross-agglomeration calls: staff open a joint response to a call of the funding catalogue,
compose a grouping of actors from several agglomerations with their roles, bundle projects and
carry it through its states; everyone reads the list and the response's page."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from turbine.core import demo
from turbine.core.exceptions import PermissionDeniedError
from turbine.directory.tests.factories import OrganisationFactory
from turbine.funding.models import Aid, AidStatus, Funder, PartnerSearch
from turbine.projects.tests.factories import ProjectFactory
from turbine.steering import services
from turbine.steering.models import (
    JointResponse,
    JointResponseMember,
    JointResponseProject,
    JointResponseStatus,
)
from turbine.steering.tests.factories import elected
from turbine.territory.models import Commune

pytestmark = pytest.mark.django_db

LENS, BETHUNE = "62498", "62119"  # CA Lens-Liévin, CA Béthune-Bruay


def _client(user=None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def _call(**kwargs: object) -> Aid:
    defaults: dict[str, object] = {
        "title": "Appel à projets Renaturation des friches",
        "is_call_for_projects": True,
        "status": AidStatus.PUBLISHED,
        "deadline": timezone.localdate() + timedelta(days=60),
    }
    defaults.update(kwargs)
    call = Aid.objects.create(**defaults)
    call.funders.set(
        [Funder.objects.get_or_create(name="Région Hauts-de-France", level="region")[0]]
    )
    return call


def _org(code: str, name: str):
    return OrganisationFactory(name=name, commune=Commune.objects.get(code=code))


def _response(bruno, call: Aid | None = None) -> JointResponse:
    return services.joint_response_save(
        user=bruno,
        call_id=(call or _call()).pk,
        title="Trame verte des terrils",
        summary="Six terrils renaturés et reliés.",
    )


def test_staff_open_compose_and_submit_a_joint_response(bruno, territory) -> None:
    call = _call()
    page = _client(bruno).get("/pilotage/appels/").content.decode()
    assert "Ouvrir une réponse commune" in page and call.title in page
    created = _client(bruno).post(
        "/pilotage/appels/",
        {
            "call": call.pk,
            "title": "Trame verte des terrils",
            "summary": "Six terrils.",
            "amount": 3_200_000,
        },
    )
    assert created.status_code == 302
    response = JointResponse.objects.get()
    manage = f"/pilotage/appels/{response.pk}/gerer/"
    assert created["Location"] == manage
    lens = _org(LENS, "CPIE Chaîne des terrils")
    bethune = _org(BETHUNE, "Maison de la nature de Béthune")
    project = ProjectFactory(title="Terril 75 renaturé")
    client = _client(bruno)
    assert (
        client.post(
            manage, {"action": "ajouter-membre", "organisation": lens.pk, "role": "chef-de-file"}
        ).status_code
        == 302
    )
    # One agglomeration is not yet a joint answer.
    client.post(manage, {"action": "ajouter-projet", "project": project.pk})
    refused = client.post(manage, {"action": "etat", "status": "deposee"})
    assert "Une réponse commune réunit des acteurs" in refused.content.decode()
    client.post(
        manage,
        {
            "action": "ajouter-membre",
            "organisation": bethune.pk,
            "role": "partenaire",
            "contribution": "Animations",
        },
    )
    assert client.post(manage, {"action": "etat", "status": "deposee"}).status_code == 302
    response.refresh_from_db()
    assert response.status == JointResponseStatus.SUBMITTED
    assert response.submitted_on == timezone.localdate()
    assert client.post(manage, {"action": "etat", "status": "retenue"}).status_code == 302
    response.refresh_from_db()
    assert response.status == JointResponseStatus.WON and response.decided_on

    detail = _client().get(f"/pilotage/appels/{response.pk}/").content.decode()
    for text in (
        "Trame verte des terrils",
        "Retenue",
        "Région Hauts-de-France",
        "CA de Lens",
        "Chef de file",
        "Maison de la nature de Béthune",
        "Terril 75 renaturé",
        "Animations",
    ):
        assert text in detail, text
    listing = _client().get("/pilotage/appels/").content.decode()
    assert "Trame verte des terrils" in listing and "Ouvrir une réponse" not in listing
    assert "Trame verte" in _client().get("/pilotage/appels/?etat=retenue").content.decode()
    assert "Trame verte" not in _client().get("/pilotage/appels/?etat=deposee").content.decode()
    assert _client().get("/pilotage/appels/?etat=\x00").status_code == 200


def test_the_response_page_shows_the_calls_partner_searches(bruno, alice) -> None:
    call = _call()
    PartnerSearch.objects.create(aid=call, author=alice, looking_for="Une association de Liévin")
    response = _response(bruno, call)
    page = _client().get(f"/pilotage/appels/{response.pk}/").content.decode()
    assert "Une association de Liévin" in page
    assert f"/aides/{call.pk}/#partenaires" in page


def test_the_submission_rules(bruno, territory) -> None:
    response = _response(bruno)
    lens = _org(LENS, "A")
    bethune = _org(BETHUNE, "B")
    services.joint_member_add(
        user=bruno, response_id=response.pk, organisation_id=lens.pk, role="partenaire"
    )
    services.joint_member_add(
        user=bruno, response_id=response.pk, organisation_id=bethune.pk, role="partenaire"
    )
    with pytest.raises(services.SteeringError, match="chef de file"):
        services.joint_response_step(user=bruno, response_id=response.pk, status="deposee")
    JointResponseMember.objects.filter(organisation=lens).update(role="chef-de-file")
    with pytest.raises(services.SteeringError, match="au moins un projet"):
        services.joint_response_step(user=bruno, response_id=response.pk, status="deposee")
    with pytest.raises(services.SteeringError, match="ne peut pas passer"):
        services.joint_response_step(user=bruno, response_id=response.pk, status="retenue")
    with pytest.raises(services.SteeringError, match="chef de file"):
        services.joint_member_add(
            user=bruno,
            response_id=response.pk,
            organisation_id=_org(LENS, "C").pk,
            role="chef-de-file",
        )
    with pytest.raises(services.SteeringError, match="déjà partie"):
        services.joint_member_add(
            user=bruno, response_id=response.pk, organisation_id=lens.pk, role="associe"
        )


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            {"action": "ajouter-membre", "organisation": "999999", "role": "partenaire"},
            "Aucune structure",
        ),
        (
            {"action": "ajouter-membre", "organisation": "1", "role": "roi"},
            "Sélectionnez un choix valide",
        ),
        (
            {"action": "ajouter-membre", "organisation": str(10**30), "role": "partenaire"},
            "inférieure ou égale",
        ),
        ({"action": "ajouter-projet", "project": "999999"}, "Aucun projet public"),
        ({"action": "ajouter-projet", "project": "abc"}, "Saisissez un nombre entier"),
        ({"action": "etat", "status": "gagnee"}, "Sélectionnez un choix valide"),
        (
            {"action": "modifier", "call": "1", "title": "a\x00", "summary": "b"},
            "caractère interdit",
        ),
        (
            {"action": "modifier", "call": "999999", "title": "a", "summary": "b"},
            "Sélectionnez un choix valide",
        ),
        ({"action": "retirer-membre", "item": "999999"}, "ne fait plus partie"),
        ({"action": "retirer-projet", "item": "x"}, "Élément invalide"),
        ({"action": "\x00"}, "Action inconnue"),
    ],
)
def test_bad_input_is_refused_in_french_and_nothing_saved(bruno, territory, data, message) -> None:
    response = _response(bruno)
    reply = _client(bruno).post(f"/pilotage/appels/{response.pk}/gerer/", data)
    assert reply.status_code in (200, 400)
    assert message in reply.content.decode()
    assert not JointResponseMember.objects.exists() and not JointResponseProject.objects.exists()
    stored = JointResponse.objects.get()
    assert (stored.title, stored.status) == ("Trame verte des terrils", "preparation")


def test_a_past_or_non_call_aid_cannot_be_answered(bruno) -> None:
    past = _call(deadline=timezone.localdate() - timedelta(days=1), status=AidStatus.PUBLISHED)
    with pytest.raises(services.SteeringError, match="date limite"):
        services.joint_response_save(user=bruno, call_id=past.pk, title="T", summary="S")
    plain = _call(is_call_for_projects=False)
    with pytest.raises(services.SteeringError, match="appel à projets"):
        services.joint_response_save(user=bruno, call_id=plain.pk, title="T", summary="S")
    refused = _client(bruno).post(
        "/pilotage/appels/", {"call": past.pk, "title": "T", "summary": "S"}
    )
    assert refused.status_code == 200 and not JointResponse.objects.exists()


def test_only_staff_manage(alice, chloe, bruno) -> None:
    response = _response(bruno)
    manage = f"/pilotage/appels/{response.pk}/gerer/"
    for user in (alice, chloe, elected()):
        assert _client(user).get(manage).status_code == 403
        assert (
            _client(user).post(manage, {"action": "etat", "status": "deposee"}).status_code == 403
        )
        assert (
            _client(user)
            .post("/pilotage/appels/", {"call": response.call_id, "title": "T", "summary": "S"})
            .status_code
            == 403
        )
        with pytest.raises(PermissionDeniedError):
            services.joint_response_step(user=user, response_id=response.pk, status="deposee")
    assert _client().get(manage).status_code == 302
    assert _client().get(f"/pilotage/appels/{response.pk}/").status_code == 200
    assert _client().get("/pilotage/appels/999999/").status_code == 404
    assert _client(bruno).get("/pilotage/appels/999999/gerer/").status_code == 404
    assert JointResponse.objects.get().status == "preparation"


def _grouped_responses(bruno, count: int) -> JointResponse:
    """``count`` responses to one call, each led by an actor of Lens with a partner of Béthune
    and one project (« P0 »...); returns the last."""
    call = _call()
    for i in range(count):
        response = _response(bruno, call)
        for code, name, role in (
            (LENS, "Lens", "chef-de-file"),
            (BETHUNE, "Béthune", "partenaire"),
        ):
            services.joint_member_add(
                user=bruno,
                response_id=response.pk,
                organisation_id=_org(code, f"{name} {i}").pk,
                role=role,
            )
        services.joint_project_add(
            user=bruno, response_id=response.pk, project_id=ProjectFactory(title=f"P{i}").pk
        )
    return response


def test_the_list_keeps_its_queries_bounded(
    bruno, territory, django_assert_max_num_queries
) -> None:
    _grouped_responses(bruno, 8)
    with django_assert_max_num_queries(12):
        page = _client().get("/pilotage/appels/")
    assert page.content.decode().count("CA de Lens") == 8


def test_the_demo_has_joint_responses(territory) -> None:
    report = dict(demo.seed(only=["comptes", "annuaire", "projets", "financements", "pilotage"]))
    assert "réponses communes" in report["pilotage"]
    response = JointResponse.objects.filter(is_demo=True).first()
    assert response is not None
    page = _client().get(f"/pilotage/appels/{response.pk}/")
    assert page.status_code == 200 and "démo" in page.content.decode()


def test_the_api_lists_the_joint_responses_with_their_grouping(
    bruno, territory, django_assert_max_num_queries
) -> None:
    response = _grouped_responses(bruno, 3)
    with django_assert_max_num_queries(8):  # not one per response
        body = _client().get("/api/v1/joint-responses").json()
    assert body["count"] == 3
    first = body["items"][0]
    assert first["id"] == response.pk and first["status"] == "preparation"
    assert first["status_label"] == "En préparation"
    assert first["call"]["title"] == "Appel à projets Renaturation des friches"
    assert first["call"]["funders"] == ["Région Hauts-de-France"]
    assert [m["role"] for m in first["members"]] == ["chef-de-file", "partenaire"]
    assert first["members"][0]["name"] == "Lens 2"
    assert first["agglomerations"] == sorted(m["agglomeration"] for m in first["members"])
    assert all(first["agglomerations"]) and first["projects"][0]["title"] == "P2"
    assert first["url"] == f"/pilotage/appels/{response.pk}/"
    page = _client().get("/api/v1/joint-responses", {"page_size": 2, "page": 2}).json()
    assert page["count"] == 3 and len(page["items"]) == 1
    one = _client().get(f"/api/v1/joint-responses/{response.pk}").json()
    assert one == first
    assert _client().get("/api/v1/joint-responses", {"status": "retenue"}).json()["count"] == 0
    # Bad input: a JSON error in French, never a 500.
    for query in ({"status": "gagnee"}, {"status": "\x00"}, {"page": "10000000000"}):
        refused = _client().get("/api/v1/joint-responses", query)
        assert refused.status_code == 422 and "Requête invalide" in refused.json()["detail"]
    missing = _client().get("/api/v1/joint-responses/999999")
    assert missing.status_code == 404 and missing["Content-Type"].startswith("application/json")
    assert _client().get("/api/v1/joint-responses/99999999999999999999999").status_code in (
        404,
        422,
    )
