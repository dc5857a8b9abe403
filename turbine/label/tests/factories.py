"""Factories of the label app."""

from __future__ import annotations

import datetime

import factory
from django.utils import timezone

from turbine.label.models import (
    Application,
    ApplicationStatus,
    CharterSignature,
    CharterVersion,
    Decision,
)
from turbine.label.services.referential import referential_import


class CharterVersionFactory(factory.django.DjangoModelFactory):
    """A published version of the charter."""

    class Meta:
        model = CharterVersion

    number = factory.Sequence(lambda n: n + 1)
    title = "Charte de la Turbine de l'éco-transition"
    text = "## Nos engagements\n\n- Coopérer plutôt que concurrencer.\n- Rendre compte des effets."
    published_at = factory.LazyFunction(timezone.now)


class CharterSignatureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CharterSignature

    version = factory.SubFactory(CharterVersionFactory)
    organisation = factory.SubFactory("turbine.directory.tests.factories.OrganisationFactory")
    signer_name = "Camille Martin"
    signer_role = "Présidente"
    signed_at = factory.LazyFunction(timezone.now)


SMALL_CSV = """numero;intitule;points;categorie;preuves_attendues;description
1;Gouvernance et coopération;100;;;
1.1;Associer les habitants;60;;;
1.1.1;Instance de participation;30;bases;Compte rendu de réunion;
1.1.2;Budget co-décidé;30;mise en oeuvre;Délibération;
1.2;Coopérer entre réseaux;40;;;
1.2.1;Partenaires d'au moins deux réseaux;40;bases;Convention;
2;Effets sur le climat;100;;;
2.1;Émissions évitées;100;;;
2.1.1;Bilan carbone;50;effets;Bilan;
2.1.2;Réduction mesurée;50;effets;Mesures;
"""


def make_referential(actor: object, *, csv_text: str = SMALL_CSV) -> object:
    return referential_import(
        actor=actor,
        name="Référentiel de la Turbine",
        version="2027",
        data=csv_text.encode(),
        commitments="Nous nous engageons à **rendre compte** des effets.",
        make_current=True,
    )


SCORE = {
    "potentiel": 200.0,
    "part_fait": 0.6,
    "part_programme": 0.2,
    "part_pas_fait": 0.1,
    "part_non_renseigne": 0.1,
}


def grant_label(
    referential: object,
    *,
    project: object = None,
    organisation: object = None,
    stars: int = 3,
    valid_until: object = None,
    outcome: str = "accorde",
) -> object:
    """An application granted a label (or refused), without going through the stages."""
    today = timezone.localdate()
    application = Application.objects.create(
        referential=referential,
        project=project,
        organisation=organisation,
        status=ApplicationStatus.GRANTED if outcome == "accorde" else ApplicationStatus.REFUSED,
    )
    Decision.objects.create(
        application=application,
        outcome=outcome,
        level=referential.levels.get(stars=stars) if outcome == "accorde" else None,  # type: ignore[attr-defined]
        reasons="Un projet qui va plus haut et plus loin.",
        meeting_date=today,
        valid_from=today,
        valid_until=valid_until or today + datetime.timedelta(days=4 * 365),
        applicant_score={"total": SCORE},
        committee_score={"total": SCORE},
    )
    return application
