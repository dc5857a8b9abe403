from __future__ import annotations

from typing import Any

import factory

from turbine.projects.models import Project


class ProjectFactory(factory.django.DjangoModelFactory):
    """A public project; ``commune_codes`` and ``theme_slugs`` set its communes and themes."""

    class Meta:
        model = Project
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Projet {n:03d}")
    summary = "Un projet de transition."
    scale = 1
    stage = "realisation"
    visibility = "public"

    @factory.post_generation
    def commune_codes(self, create: bool, extracted: list[str] | None, **kwargs: Any) -> None:
        if create and extracted:
            from turbine.territory.models import Commune

            self.communes.set(Commune.objects.filter(code__in=extracted))

    @factory.post_generation
    def theme_slugs(self, create: bool, extracted: list[str] | None, **kwargs: Any) -> None:
        if create and extracted:
            from turbine.core.models import Theme

            self.themes.set(Theme.objects.filter(slug__in=extracted))
