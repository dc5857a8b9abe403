"""Meetings in the demo data set, the site's search and the map."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from turbine.cooperation.models import Event, EventFormat, Modality, TimeSlot
from turbine.cooperation.search_meetings import index_events
from turbine.cooperation.tests.factories_meetings import EventFactory
from turbine.core import search

pytestmark = pytest.mark.django_db


def test_the_demo_covers_every_format_modality_and_slot(territory) -> None:
    from turbine.accounts.demo import load_people
    from turbine.cooperation.demo_meetings import load_meetings
    from turbine.directory.demo import load_directory

    load_people()
    load_directory()
    summary = load_meetings()
    assert "21 rencontres" in summary
    events = Event.objects.all()
    assert set(events.values_list("format", flat=True)) == set(EventFormat.values)
    assert set(events.values_list("modality", flat=True)) == set(Modality.values)
    assert set(events.values_list("time_slot", flat=True)) == set(TimeSlot.values)
    assert all(e.is_demo and "(démo)" in e.title for e in events)
    assert events.filter(registrations__status="attente").exists()  # some are full
    assert events.filter(end__lt=timezone.now()).exclude(minutes="").exists()
    assert search.search("réparation vélos", kinds=["rencontre"]).count >= 1


def test_events_are_searchable_and_leave_the_index_when_hidden(territory) -> None:
    event = EventFactory(title="Grainothèque participative")
    index_events(ids=[event.pk])
    hits = search.search("grainotheque", kinds=["rencontre"]).hits
    assert [h.url for h in hits] == [event.get_absolute_url()]
    event.is_hidden = True
    event.save()
    index_events(ids=[event.pk])
    assert search.search("grainotheque").count == 0


def test_upcoming_located_events_are_on_the_map(territory, client) -> None:
    EventFactory(title="Sur la carte", latitude=50.43, longitude=2.83)
    EventFactory(
        title="Passée", latitude=50.43, longitude=2.83, start=timezone.now() - timedelta(days=2)
    )
    EventFactory(title="Sans coordonnées")
    body = client.get("/api/v1/map.geojson?bbox=2.7,50.3,2.9,50.5").json()
    names = [
        f["properties"]["name"] for f in body["features"] if f["properties"]["type"] == "rencontre"
    ]
    assert names == ["Sur la carte"]
    page = client.get("/carte/?type=rencontre")
    assert page.status_code == 200 and "Sur la carte" in page.content.decode()
