"""50 people registering at the same instant for 10 places, on PostgreSQL, with real threads
and their own connections: exactly 10 registered and 40 waiting in order; each cancellation
promotes exactly one, the oldest; racing cancellations never promote twice."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection, connections

from turbine.accounts.tests.factories import UserFactory
from turbine.cooperation.models import Registration, RegistrationStatus
from turbine.cooperation.services import meetings as services
from turbine.cooperation.tests.factories_meetings import EventFactory
from turbine.territory.testing import ensure_base_data

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="row locks and concurrency need PostgreSQL"
    ),
]

PEOPLE = 50
PLACES = 10


def _parallel(jobs: list, work) -> list:
    barrier = threading.Barrier(len(jobs))

    def run(job):
        try:
            barrier.wait(timeout=30)  # everybody starts at the same instant
            return work(job)
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=len(jobs)) as pool:
        return list(pool.map(run, jobs))


def test_it_never_overbooks_and_promotes_each_freed_place_once() -> None:
    ensure_base_data()
    event = EventFactory(capacity=PLACES)
    people = [UserFactory() for _ in range(PEOPLE)]

    results = _parallel(
        people, lambda p: services.registration_create(event_id=event.pk, user=p).status
    )

    assert results.count(RegistrationStatus.REGISTERED) == PLACES
    assert results.count(RegistrationStatus.WAITING) == PEOPLE - PLACES
    registered = list(event.registrations.filter(status="inscrit").order_by("id"))
    waiting = list(event.registrations.filter(status="attente").order_by("queued_at", "id"))
    assert len(registered) == PLACES and len(waiting) == PEOPLE - PLACES
    # Places and ranks follow the order in which the lock was obtained: every registered entry
    # was written before every waiting one, and the waiting list is in that order too.
    assert max(r.pk for r in registered) < min(w.pk for w in waiting)
    assert [w.pk for w in waiting] == sorted(w.pk for w in waiting)
    assert [services.waiting_rank(w) for w in waiting] == list(range(1, PEOPLE - PLACES + 1))

    # Five registered people cancel at the same instant: exactly the five oldest waiting
    # entries are promoted, once each.
    leaving = [r.user for r in registered[:5]]
    _parallel(leaving, lambda u: services.registration_cancel(user=u, event_id=event.pk))
    now_registered = set(event.registrations.filter(status="inscrit").values_list("pk", flat=True))
    assert len(now_registered) == PLACES
    assert {w.pk for w in waiting[:5]} <= now_registered
    assert event.registrations.filter(status="attente").count() == PEOPLE - PLACES - 5
    promoted = Registration.objects.filter(event=event, promoted_at__isnull=False)
    assert sorted(promoted.values_list("pk", flat=True)) == [w.pk for w in waiting[:5]]

    # One cancellation, one promotion, in order.
    services.registration_cancel(user=registered[5].user, event_id=event.pk)
    assert Registration.objects.get(pk=waiting[5].pk).status == RegistrationStatus.REGISTERED
    assert event.registrations.filter(status="inscrit").count() == PLACES
