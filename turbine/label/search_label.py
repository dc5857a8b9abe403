"""What the label puts in the site's search index: the labels in force, so that a search finds
the labelled projects and structures with their level."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from django.urls import reverse

from turbine.core import search
from turbine.label.selectors.label import RegistryEntry, current_label, registry

KIND = "label"


def label_document(entry: RegistryEntry) -> search.Document:
    application, decision = entry.application, entry.decision
    holder = "Projet" if application.project_id else "Structure"
    communes: list[str] = []
    organisation = application.organisation
    if organisation is not None and organisation.commune is not None:
        communes = [organisation.commune.code]
    level = decision.level
    assert level is not None  # a label in force has its level (decision_granted_has_level)
    return search.Document(
        kind=KIND,
        object_id=str(application.pk),
        title=f"{application.holder_name} — label {level.name}",
        body=(
            f"{holder} labellisé par la Turbine de l'éco-transition : {level.name}, "
            f"valable jusqu'au {decision.valid_until:%d/%m/%Y}. {decision.reasons}"
        ),
        url=reverse("label:registry_detail", args=[application.pk]),
        communes=communes,
    )


def label_documents(entries: Iterable[RegistryEntry] | None = None) -> Iterator[search.Document]:
    for entry in entries if entries is not None else registry():
        yield label_document(entry)


def index_label(*, application_id: int) -> None:
    """(Re)index one application's label; one no longer in force leaves the index."""
    entry = current_label(application_id=application_id)
    if entry is None:
        search.unindex(kind=KIND, object_ids=[str(application_id)])
    else:
        search.index([label_document(entry)])


search.register(kind=KIND, label="Labellisés", documents=label_documents)
