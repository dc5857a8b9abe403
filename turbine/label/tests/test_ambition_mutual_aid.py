"""Ambition charters of local authorities, and the pôle d'entraide de l'ambition."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.utils import timezone

from turbine.accounts.models import User
from turbine.accounts.tests.factories import UserFactory
from turbine.core.exceptions import PermissionDeniedError, TurbineError
from turbine.directory.models import OrganisationKind
from turbine.directory.tests.factories import OrganisationFactory
from turbine.label.models import AmbitionReview, PeerRequestStatus
from turbine.label.services import ambition, committee, mutual_aid
from turbine.label.services import applications as services
from turbine.label.tests.factories import make_referential
from turbine.projects.tests.factories import ProjectFactory
from turbine.territory.models import Commune

pytestmark = pytest.mark.django_db


@pytest.fixture
def lievin_charter(chloe: User) -> object:
    OrganisationFactory(
        name="Mairie de Liévin", kind=OrganisationKind.COMMUNE, commune_code="62510", admin=chloe
    )
    charter = ambition.ambition_charter_create(
        actor=chloe,
        commune_id=Commune.objects.get(code="62510").pk,
        deliberation_date=datetime.date(2025, 3, 12),
        summary="Une ville qui sort du carbone.",
    )
    return charter


def test_a_representative_adopts_a_charter_and_a_stranger_cannot(
    lievin_charter: object, alice: User
) -> None:
    with pytest.raises(PermissionDeniedError):
        ambition.ambition_charter_create(
            actor=alice,
            commune_id=Commune.objects.get(code="62498").pk,
            deliberation_date=datetime.date(2025, 1, 1),
        )
    with pytest.raises(PermissionDeniedError):
        ambition.commitment_add(
            actor=alice,
            charter_id=lievin_charter.pk,
            title="x",
            indicator="y",
            unit="z",
            target_value="1",
            target_year="2030",
        )


def test_commitments_and_yearly_review(lievin_charter: object, chloe: User) -> None:
    pv = ambition.commitment_add(
        actor=chloe,
        charter_id=lievin_charter.pk,
        title="Solariser les toits publics",
        indicator="Puissance photovoltaïque installée",
        unit="kWc",
        baseline_value="120",
        baseline_year="2024",
        target_value="2 000",
        target_year="2030",
    )
    assert str(pv.target_value) == "2000.00"
    trees = ambition.commitment_add(
        actor=chloe,
        charter_id=lievin_charter.pk,
        title="Planter des arbres",
        indicator="Arbres plantés",
        unit="arbres",
        target_value="5000",
        target_year="2030",
    )
    with pytest.raises(TurbineError, match="nombre"):
        ambition.commitment_add(
            actor=chloe,
            charter_id=lievin_charter.pk,
            title="a",
            indicator="b",
            unit="c",
            target_value="1e99999",
            target_year="2030",
        )
    entries = [
        ambition.EntryInput(pv.pk, "en-bonne-voie", "640"),
        ambition.EntryInput(trees.pk, "abandonne", ""),
    ]
    with pytest.raises(TurbineError, match="dites pourquoi"):
        ambition.ambition_review_record(
            actor=chloe,
            charter_id=lievin_charter.pk,
            year=2025,
            reviewed_on=timezone.localdate(),
            summary="",
            entries=entries,
        )
    assert not AmbitionReview.objects.exists()  # nothing half-saved
    with pytest.raises(TurbineError, match="chaque engagement"):
        ambition.ambition_review_record(
            actor=chloe,
            charter_id=lievin_charter.pk,
            year=2025,
            reviewed_on=timezone.localdate(),
            summary="",
            entries=entries[:1],
        )
    entries[1] = ambition.EntryInput(trees.pk, "abandonne", "", "Foncier indisponible.")
    review = ambition.ambition_review_record(
        actor=chloe,
        charter_id=lievin_charter.pk,
        year=2025,
        reviewed_on=timezone.localdate(),
        summary="Une année de lancement.",
        entries=entries,
    )
    assert review.entries.count() == 2
    with pytest.raises(TurbineError, match="déjà enregistré"):
        ambition.ambition_review_record(
            actor=chloe,
            charter_id=lievin_charter.pk,
            year=2025,
            reviewed_on=timezone.localdate(),
            summary="",
            entries=entries,
        )


def test_ambition_pages(client: Client, lievin_charter: object, chloe: User) -> None:
    ambition.commitment_add(
        actor=chloe,
        charter_id=lievin_charter.pk,
        title="Solariser les toits publics",
        indicator="Puissance",
        unit="kWc",
        target_value="2000",
        target_year="2030",
    )
    assert "Liévin" in client.get("/charte-ambition/").content.decode()
    page = client.get(f"/charte-ambition/{lievin_charter.pk}/").content.decode()
    assert "Solariser les toits publics" in page and "Ajouter un engagement" not in page
    client.force_login(chloe)
    assert (
        "Ajouter un engagement"
        in client.get(f"/charte-ambition/{lievin_charter.pk}/").content.decode()
    )


def _labelled(bruno: User, holder: User, title: str) -> object:
    project = ProjectFactory(title=title, holder_user=holder)
    application = services.application_create(actor=holder, project_id=project.pk)
    services.application_sign_commitments(
        actor=holder, application_id=application.pk, accepted=True
    )
    for node in application.referential.nodes.filter(children__isnull=True):
        services.assessment_set(
            actor=holder, application_id=application.pk, node_id=node.pk, status="fait"
        )
    services.application_submit(actor=holder, application_id=application.pk)
    committee.application_decide(
        actor=bruno,
        application_id=application.pk,
        outcome="accorde",
        level_id=application.referential.levels.get(stars=4).pk,
        reasons="Bien.",
        meeting_date=timezone.localdate(),
    )
    return application


def test_peer_review_journey(client: Client, bruno: User, chloe: User, alice: User) -> None:
    make_referential(bruno)
    asking = _labelled(bruno, chloe, "Recyclerie de Béthune")
    peer_user = UserFactory(email="fanny@example.org", display_name="Fanny")
    project = ProjectFactory(title="Ferme urbaine", holder_user=peer_user)
    other = services.application_create(actor=peer_user, project_id=project.pk)
    services.application_sign_commitments(actor=peer_user, application_id=other.pk, accepted=True)
    for node in other.referential.nodes.filter(children__isnull=True):
        services.assessment_set(
            actor=peer_user, application_id=other.pk, node_id=node.pk, status="fait"
        )
    services.application_submit(actor=peer_user, application_id=other.pk)
    committee.application_decide(
        actor=bruno,
        application_id=other.pk,
        outcome="accorde",
        level_id=other.referential.levels.get(stars=3).pk,
        reasons="Bien.",
        meeting_date=timezone.localdate(),
    )
    with pytest.raises(PermissionDeniedError):
        mutual_aid.peer_request_create(
            actor=alice, application_id=asking.pk, question="?", public=True
        )
    request = mutual_aid.peer_request_create(
        actor=chloe,
        application_id=asking.pk,
        question="Le budget baisse de 30 % : comment garder le réemploi ?",
        public=True,
    )
    with pytest.raises(PermissionDeniedError):
        mutual_aid.peer_volunteer(actor=alice, request_id=request.pk)
    with pytest.raises(TurbineError, match="Aucun pair"):
        mutual_aid.peer_close(
            actor=chloe, request_id=request.pk, outcome="maintenue", reasons="", public=True
        )
    mutual_aid.peer_volunteer(actor=peer_user, request_id=request.pk)
    with pytest.raises(PermissionDeniedError):
        mutual_aid.peer_message_post(
            actor=alice, request_id=request.pk, kind="question", body="Hop"
        )
    mutual_aid.peer_message_post(
        actor=peer_user, request_id=request.pk, kind="question", body="Quel poste coûte le plus ?"
    )
    mutual_aid.peer_message_post(
        actor=chloe, request_id=request.pk, kind="reponse", body="Le local."
    )
    with pytest.raises(TurbineError, match="Les raisons"):
        mutual_aid.peer_close(
            actor=chloe, request_id=request.pk, outcome="revue-a-la-baisse", reasons="", public=True
        )
    mutual_aid.peer_close(
        actor=chloe,
        request_id=request.pk,
        outcome="relevee",
        reasons="Un local mutualisé avec la ferme urbaine.",
        public=True,
    )
    request.refresh_from_db()
    assert request.status == PeerRequestStatus.CLOSED
    page = client.get(f"/label/registre/{asking.pk}/").content.decode()
    assert "Ambition relevée" in page and "Un local mutualisé" in page
    # The thread is for participants only.
    detail = client.get(f"/label/entraide/{request.pk}/").content.decode()
    assert "Quel poste coûte le plus" not in detail and "Ambition relevée" in detail
    client.force_login(peer_user)
    assert (
        "Quel poste coûte le plus" in client.get(f"/label/entraide/{request.pk}/").content.decode()
    )
