"""What the showcase puts in the site's search index: published stories and public visits."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from django.db import transaction

from turbine.core import search
from turbine.core.markdown import markdown_to_text
from turbine.showcase.models import Story, VisitOffer

STORY = "recit"
VISIT = "visite"


def story_documents(stories: Iterable[Story] | None = None) -> Iterator[search.Document]:
    qs = Story.objects.public().prefetch_related("themes", "communes")
    for story in stories if stories is not None else qs.iterator(chunk_size=500):
        yield search.Document(
            kind=STORY,
            object_id=str(story.pk),
            title=story.title,
            body=f"{story.summary} {markdown_to_text(story.body)} {story.policy}",
            url=story.get_absolute_url(),
            themes=[t.slug for t in story.themes.all()],
            communes=[c.code for c in story.communes.all()],
        )


def visit_documents(offers: Iterable[VisitOffer] | None = None) -> Iterator[search.Document]:
    qs = VisitOffer.objects.public().select_related("host", "commune").prefetch_related("themes")
    for offer in offers if offers is not None else qs.iterator(chunk_size=500):
        yield search.Document(
            kind=VISIT,
            object_id=str(offer.pk),
            title=offer.title,
            body=f"{offer.host.name}. {offer.learnings} {offer.description}",
            url=offer.get_absolute_url(),
            themes=[t.slug for t in offer.themes.all()],
            communes=[offer.commune.code],
        )


def _reindex(kind: str, ids: list[int]) -> None:
    if kind == STORY:
        found = list(
            Story.objects.public().filter(pk__in=ids).prefetch_related("themes", "communes")
        )
        search.index(story_documents(found))
    else:
        found = list(
            VisitOffer.objects.public()
            .filter(pk__in=ids)
            .select_related("host", "commune")
            .prefetch_related("themes")
        )
        search.index(visit_documents(found))
    gone = set(ids) - {o.pk for o in found}
    if gone:
        search.unindex(kind=kind, object_ids=[str(i) for i in gone])


def reindex_after_commit(*, kind: str, ids: list[int]) -> None:
    """(Re)index these stories or visits once the transaction commits; the ones no longer
    public leave the index."""
    transaction.on_commit(lambda: _reindex(kind, ids))


search.register(kind=STORY, label="Récits", documents=story_documents)
search.register(kind=VISIT, label="Visites apprenantes", documents=visit_documents)
