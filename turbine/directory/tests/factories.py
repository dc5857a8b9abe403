from __future__ import annotations

from datetime import timedelta
from typing import Any

import factory
from django.utils import timezone

from turbine.directory.models import (
    Family,
    MemberRole,
    Membership,
    MembershipStatus,
    NeedOffer,
    Network,
    Organisation,
    OrganisationKind,
    PersonProfile,
)
from turbine.territory.models import Commune


class NetworkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Network

    name = factory.Sequence(lambda n: f"Réseau {n}")
    slug = factory.Sequence(lambda n: f"reseau-{n}")


class OrganisationFactory(factory.django.DjangoModelFactory):
    """A public organisation; ``commune_code`` picks its commune, ``admin`` gives it an
    administrator, ``theme_slugs`` its themes."""

    class Meta:
        model = Organisation
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Association numéro {n}")
    kind = OrganisationKind.ASSOCIATION
    family = Family.DOERS

    class Params:
        commune_code: str | None = "62498"

    @factory.lazy_attribute
    def commune(self) -> Commune | None:
        return Commune.objects.get(code=self.commune_code) if self.commune_code else None

    @factory.post_generation
    def admin(self, create: bool, extracted: Any, **kwargs: Any) -> None:
        if create and extracted is not None:
            Membership.objects.create(
                organisation=self,
                user=extracted,
                role=MemberRole.ADMIN,
                status=MembershipStatus.ACTIVE,
            )

    @factory.post_generation
    def theme_slugs(self, create: bool, extracted: list[str] | None, **kwargs: Any) -> None:
        if create and extracted:
            from turbine.core.models import Theme

            self.themes.set(Theme.objects.filter(slug__in=extracted))


class PersonProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PersonProfile

    know_how = "Réparer des vélos et animer des ateliers."
    can_help_with = "Monter un atelier de réparation."


class NeedOfferFactory(factory.django.DjangoModelFactory):
    """An open need (or offer, with ``direction="offre"``) expiring in two months."""

    class Meta:
        model = NeedOffer
        skip_postgeneration_save = True

    direction = "besoin"
    kind = "competence"
    title = factory.Sequence(lambda n: f"Annonce {n}")
    author = factory.SubFactory("turbine.accounts.tests.factories.UserFactory")
    expires_on = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=60))

    @factory.post_generation
    def commune_codes(self, create: bool, extracted: list[str] | None, **kwargs: Any) -> None:
        if create and extracted:
            self.communes.set(Commune.objects.filter(code__in=extracted))

    @factory.post_generation
    def theme_slugs(self, create: bool, extracted: list[str] | None, **kwargs: Any) -> None:
        if create and extracted:
            from turbine.core.models import Theme

            self.themes.set(Theme.objects.filter(slug__in=extracted))
