"""What the territory puts in the search index: communes and agglomerations."""

from __future__ import annotations

from collections.abc import Iterator

from django.urls import reverse

from turbine.core import search
from turbine.territory.models import Agglomeration, Commune


def _format_population(n: int) -> str:
    return f"{n:,}".replace(",", "\u202f")


def commune_documents() -> Iterator[search.Document]:
    qs = Commune.objects.filter(agglomeration__territory__isnull=False).select_related(
        "agglomeration"
    )
    for commune in qs.iterator(chunk_size=2000):
        yield search.Document(
            kind="commune",
            object_id=commune.code,
            title=commune.name,
            # The agglomeration's name stays out of the text: a search for "Liévin" must not
            # return the 36 communes of the CA de Lens - Liévin.
            body=(
                f"Commune de {_format_population(commune.population)} habitants "
                f"(code postal {', '.join(commune.postal_codes)})."
            ),
            url=reverse("portal:commune", args=[commune.code]),
            communes=[commune.code],
        )


def agglomeration_documents() -> Iterator[search.Document]:
    qs = Agglomeration.objects.filter(territory__isnull=False).prefetch_related("communes")
    for agglomeration in qs:
        names = ", ".join(c.name for c in agglomeration.communes.all())
        yield search.Document(
            kind="agglomeration",
            object_id=agglomeration.siren,
            title=agglomeration.name,
            body=(
                f"Agglomération de {_format_population(agglomeration.population)} habitants. "
                f"Communes : {names}."
            ),
            url=reverse("portal:agglomeration", args=[agglomeration.siren]),
            communes=[c.code for c in agglomeration.communes.all()],
        )


search.register(kind="commune", label="Communes", documents=commune_documents)
search.register(kind="agglomeration", label="Agglomérations", documents=agglomeration_documents)
