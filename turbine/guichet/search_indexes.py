"""The catalogue of administrative procedures in the site's search (kind "demarche")."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from django.urls import reverse

from turbine.core import search
from turbine.guichet.models import Procedure

PROCEDURE = "demarche"


def procedure_documents(ids: Iterable[int] | None = None) -> Iterator[search.Document]:
    qs = Procedure.objects.filter(is_active=True).prefetch_related("themes").order_by("pk")
    if ids is not None:
        qs = qs.filter(pk__in=list(ids))
    base = reverse("guichet:procedures")
    for procedure in qs:
        yield search.Document(
            kind=PROCEDURE,
            object_id=str(procedure.pk),
            title=procedure.title,
            url=f"{base}#demarche-{procedure.pk}",
            body=f"{procedure.what_to_do} {procedure.whom_to_ask} {procedure.keywords}",
            themes=[t.slug for t in procedure.themes.all()],
        )


def index_procedures(ids: Iterable[int]) -> None:
    """Re-index these procedures; inactive ones leave the index."""
    ids = list(ids)
    documents = list(procedure_documents(ids))
    search.index(documents)
    kept = {d.object_id for d in documents}
    search.unindex(kind=PROCEDURE, object_ids=[str(i) for i in ids if str(i) not in kept])


search.register(kind=PROCEDURE, label="Démarches administratives", documents=procedure_documents)
