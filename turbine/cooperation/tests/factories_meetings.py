"""Factories of meetings (kept apart from the panels' factories)."""

from __future__ import annotations

from datetime import timedelta

import factory
from django.utils import timezone

from turbine.cooperation.models import Event, EventFormat, Modality, RegistrationMode, TimeSlot
from turbine.territory.models import Commune


class EventFactory(factory.django.DjangoModelFactory):
    """An in-person workshop in Lens in ten days, 10 places, registration on the platform."""

    class Meta:
        model = Event

    title = factory.Sequence(lambda n: f"Atelier numéro {n}")
    description = "On répare, on apprend, on repart avec."
    format = EventFormat.WORKSHOP
    modality = Modality.IN_PERSON
    start = factory.LazyFunction(lambda: timezone.now() + timedelta(days=10))
    end = factory.LazyAttribute(lambda o: o.start + timedelta(hours=2))
    time_slot = TimeSlot.WEEKDAY
    registration_mode = RegistrationMode.PLATFORM
    capacity = 10
    address = "3 place Jean-Jaurès"

    class Params:
        commune_code: str | None = "62498"

    @factory.lazy_attribute
    def commune(self) -> Commune | None:
        return Commune.objects.get(code=self.commune_code) if self.commune_code else None
