"""Factories of the showcase."""

from __future__ import annotations

from datetime import timedelta

import factory
from django.utils import timezone

from turbine.directory.tests.factories import OrganisationFactory
from turbine.showcase.models import (
    ActorKind,
    AdvocacyFile,
    BlockerReport,
    Commitment,
    Consent,
    Portrait,
    PortraitStatus,
    Relation,
    Story,
    StoryStatus,
    StrategicActor,
    VisitOffer,
    VisitSlot,
)
from turbine.territory.models import Commune


class PortraitFactory(factory.django.DjangoModelFactory):
    """A published portrait with consent (a person without an account)."""

    class Meta:
        model = Portrait

    name = factory.Sequence(lambda n: f"Personne portraiturée {n}")
    role = "Maraîchère en agroécologie"
    family = "font"
    know_how = "Cultiver sur sol de friche minière."
    consent = Consent.GIVEN
    consent_record = "Accord écrit"
    status = PortraitStatus.PUBLISHED
    published_at = factory.LazyFunction(timezone.now)


class StoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Story

    title = factory.Sequence(lambda n: f"Récit {n:03d}")
    summary = "Comment une friche est devenue un jardin."
    body = "Un **récit** de la transition."
    status = StoryStatus.PUBLISHED
    published_at = factory.LazyFunction(timezone.now)


class VisitOfferFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = VisitOffer

    title = factory.Sequence(lambda n: f"Visite {n:03d}")
    host = factory.SubFactory(OrganisationFactory)
    commune = factory.LazyFunction(lambda: Commune.objects.get(code="62510"))
    meeting_point = "Devant la mairie"
    description = "On fait le tour du site."
    learnings = "Comment réhabiliter une friche."
    languages = factory.LazyFunction(lambda: ["fr", "en"])


class VisitSlotFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = VisitSlot

    offer = factory.SubFactory(VisitOfferFactory)
    start = factory.LazyFunction(lambda: timezone.now() + timedelta(days=10))
    capacity = 20


class AdvocacyFileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AdvocacyFile

    title = factory.Sequence(lambda n: f"Dossier {n}")
    summary = "Simplifier la procédure."
    rule = "Code de l'urbanisme"
    level = "national"
    opened_on = factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=30))


class BlockerReportFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BlockerReport

    title = factory.Sequence(lambda n: f"Blocage {n}")
    description = "Le dossier a attendu huit mois."
    rule = "Autorisation environnementale"
    level = "departement"


class StrategicActorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StrategicActor

    name = factory.Sequence(lambda n: f"Acteur {n}")
    kind = ActorKind.INDUSTRY
    mission = "Produire."
    relation = Relation.MET


class CommitmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Commitment

    actor = factory.SubFactory(StrategicActorFactory)
    title = "Réduire ses émissions de 40 % d'ici 2030"
    announced_on = factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=400))
