"""What meetings put in the site's search index: public events, past ones included."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from django.db.models import QuerySet
from django.utils import formats, timezone

from turbine.cooperation.models import Event
from turbine.core import search

KIND = "rencontre"


def _queryset() -> QuerySet[Event]:
    return Event.objects.public().select_related("commune").prefetch_related("themes")


def event_document(event: Event) -> search.Document:
    when = formats.date_format(timezone.localtime(event.start), "DATETIME_FORMAT")
    where = event.commune.name if event.commune_id else "en ligne"
    return search.Document(
        kind=KIND,
        object_id=str(event.pk),
        title=event.title,
        body=f"{event.get_format_display()} — {when}, {where}. {event.description}",
        url=event.get_absolute_url(),
        themes=[t.slug for t in event.themes.all()],
        communes=[event.commune.code] if event.commune_id else [],
    )


def event_documents(events: Iterable[Event] | None = None) -> Iterator[search.Document]:
    for event in events if events is not None else _queryset().iterator(chunk_size=500):
        yield event_document(event)


def index_events(*, ids: Iterable[int]) -> None:
    """(Re)index these events; hidden ones leave the index."""
    ids = list(ids)
    public = list(_queryset().filter(pk__in=ids))
    search.index(event_documents(public))
    gone = set(ids) - {e.pk for e in public}
    if gone:
        search.unindex(kind=KIND, object_ids=[str(i) for i in gone])


search.register(kind=KIND, label="Rencontres", documents=event_documents)
