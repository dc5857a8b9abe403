"""Factories of the label app."""

from __future__ import annotations

import factory
from django.utils import timezone

from turbine.label.models import CharterSignature, CharterVersion


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
