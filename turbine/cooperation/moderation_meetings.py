"""Events are reportable content (see ``turbine.directory.moderation``): a report reaches the
staff queue, and hiding an event takes it off the lists, the map, the search and the API."""

from __future__ import annotations

from turbine.cooperation.models import Event
from turbine.cooperation.search_meetings import index_events
from turbine.directory import moderation


def _describe(object_id: str) -> tuple[str, str] | None:
    if not object_id.isdigit():
        return None
    event = Event.objects.public().filter(pk=int(object_id)).first()
    return (event.title, event.get_absolute_url()) if event else None


def _set_hidden(object_id: str, hidden: bool) -> None:
    Event.objects.filter(pk=int(object_id)).update(is_hidden=hidden)
    index_events(ids=[int(object_id)])


moderation.register(kind="rencontre", label="Rencontre", describe=_describe, set_hidden=_set_hidden)
