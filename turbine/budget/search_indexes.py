"""What the participatory budget puts in the site's search index: its proposals."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from django.db.models import QuerySet

from turbine.budget.models import Proposal
from turbine.core import search

KIND = "budget_proposal"


def _queryset() -> QuerySet[Proposal]:
    return Proposal.objects.select_related("campaign", "commune").prefetch_related("themes")


def proposal_document(proposal: Proposal) -> search.Document:
    return search.Document(
        kind=KIND,
        object_id=str(proposal.pk),
        title=proposal.title,
        body=(
            f"{proposal.campaign.title} — {proposal.get_status_display()}. {proposal.description}"
        ),
        url=proposal.get_absolute_url(),
        themes=[t.slug for t in proposal.themes.all()],
        communes=[proposal.commune.code] if proposal.commune else [],
    )


def proposal_documents(proposals: Iterable[Proposal] | None = None) -> Iterator[search.Document]:
    for proposal in proposals if proposals is not None else _queryset().iterator(chunk_size=500):
        yield proposal_document(proposal)


def index_proposals(*, ids: Iterable[int]) -> None:
    """(Re)index these proposals; call after a write that changes what the index shows."""
    search.index(proposal_documents(_queryset().filter(pk__in=list(ids))))


search.register(
    kind=KIND, label="Propositions du budget participatif", documents=proposal_documents
)
