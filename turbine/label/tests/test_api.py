"""The label's public API."""

from __future__ import annotations

import pytest
from django.test import Client
from django.utils import timezone

from turbine.accounts.models import User
from turbine.directory.models import Family
from turbine.directory.tests.factories import OrganisationFactory
from turbine.label.services import applications as services
from turbine.label.services import committee
from turbine.label.tests.factories import (
    CharterSignatureFactory,
    CharterVersionFactory,
    make_referential,
)
from turbine.projects.tests.factories import ProjectFactory

pytestmark = pytest.mark.django_db


def test_referential_api(client: Client, bruno: User) -> None:
    assert client.get("/api/v1/label/referential").status_code == 404
    make_referential(bruno)
    body = client.get("/api/v1/label/referential").json()
    assert body["points_total"] == 200
    assert [lv["part_fait_minimale"] for lv in body["niveaux"]] == [0, 0.35, 0.5, 0.65, 0.75]
    leaf = next(n for n in body["noeuds"] if n["numero"] == "2.1.1")
    assert leaf == {
        "numero": "2.1.1",
        "parent": "2.1",
        "niveau": "sous-critere",
        "intitule": "Bilan carbone",
        "points": 50.0,
        "categorie": "effets",
        "preuves_attendues": "Bilan",
        "description": "",
    }
    assert client.get("/api/v1/label/referential", {"version": "abc"}).status_code == 422
    assert client.get("/api/v1/label/referential", {"version": "99999"}).status_code == 404


def test_registry_api(client: Client, bruno: User, chloe: User) -> None:
    referential = make_referential(bruno)
    project = ProjectFactory(title="Ferme solaire de Liévin", holder_user=chloe)
    application = services.application_create(actor=chloe, project_id=project.pk)
    services.application_sign_commitments(actor=chloe, application_id=application.pk, accepted=True)
    for node in referential.nodes.filter(children__isnull=True):
        services.assessment_set(
            actor=chloe, application_id=application.pk, node_id=node.pk, status="fait"
        )
    services.application_submit(actor=chloe, application_id=application.pk)
    committee.application_decide(
        actor=bruno,
        application_id=application.pk,
        outcome="accorde",
        level_id=referential.levels.get(stars=5).pk,
        reasons="Exemplaire.",
        meeting_date=timezone.localdate(),
    )
    body = client.get("/api/v1/label/registry").json()
    assert body["count"] == 1
    item = body["items"][0]
    assert item["nom"] == "Ferme solaire de Liévin"
    assert item["etoiles"] == 5 and item["part_fait"] == 1.0 and item["type"] == "projet"
    assert item["badge"].endswith(f"/label/badge/{application.pk}.svg")
    assert client.get("/api/v1/label/registry", {"etoiles": 3}).json()["count"] == 0
    assert client.get("/api/v1/label/registry", {"etoiles": 9}).status_code == 422
    assert client.get("/api/v1/label/registry", {"type": "x"}).status_code == 422


def test_signatories_api(client: Client) -> None:
    assert client.get("/api/v1/charter/signatories").json() == {"count": 0, "items": []}
    version = CharterVersionFactory()
    CharterSignatureFactory(
        version=version,
        organisation=OrganisationFactory(name="Ressourcerie", family=Family.HELPERS),
    )
    CharterSignatureFactory(version=version)
    body = client.get("/api/v1/charter/signatories", {"famille": "aident"}).json()
    assert body["count"] == 1
    assert body["items"][0]["nom"] == "Ressourcerie"
    assert body["items"][0]["commune"] == "62498"
    response = client.get("/api/v1/charter/signatories", {"agglomeration": "12\x00"})
    assert response.status_code == 422
    assert "detail" in response.json()
    assert client.get("/api/v1/charter/signatories", {"page_size": 1000}).status_code == 422
