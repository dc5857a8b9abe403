"""Study visits: seats held atomically, the host's answers, the visitor's link, reminders."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from django.core import mail
from django.db import connection
from django.utils import timezone

from turbine.core.exceptions import NotFoundError, PermissionDeniedError, TurbineError
from turbine.directory.tests.factories import OrganisationFactory
from turbine.showcase.models import VisitRequest, VisitRequestStatus, VisitSlot
from turbine.showcase.services import visits as services
from turbine.showcase.tests.factories import VisitSlotFactory


def _ask(slot: VisitSlot, size: int = 5, **kwargs: object) -> VisitRequest:
    data = {
        "slot_id": slot.pk,
        "contact_name": "Ana",
        "email": "ana@example.org",
        "group_name": "Groupe",
        "origin": "scolaire",
        "group_size": size,
        "language": "fr",
        **kwargs,
    }
    return services.visit_request_create(
        offer_id=slot.offer_id,
        data=services.VisitRequestData(**data),  # type: ignore[arg-type]
    )


@pytest.mark.django_db
def test_seats_are_held_released_and_moved_to_another_date(chloe, bruno, alice) -> None:
    host = OrganisationFactory(admin=chloe)
    slot = VisitSlotFactory(offer__host=host, capacity=10)
    other = VisitSlotFactory(offer=slot.offer, capacity=6, start=slot.start + timedelta(days=7))
    first = _ask(slot, 6)
    with pytest.raises(TurbineError, match="Il ne reste que 4"):
        _ask(slot, 5)
    with pytest.raises(PermissionDeniedError):
        services.visit_request_decide(actor=alice, request_id=first.pk, action="confirm")
    services.visit_request_decide(
        actor=chloe, request_id=first.pk, action="propose", proposed_slot_id=other.pk
    )
    slot.refresh_from_db()
    assert slot.reserved == 0
    token = services.request_token(first)
    accepted = services.visit_request_answer_proposal(token=token, accept=True)
    assert accepted.status == VisitRequestStatus.CONFIRMED and accepted.slot_id == other.pk
    other.refresh_from_db()
    assert other.reserved == 6
    with pytest.raises(TurbineError):
        services.visit_request_answer_proposal(token=token, accept=True)
    services.visit_request_cancel(token=token)
    other.refresh_from_db()
    assert other.reserved == 0


@pytest.mark.django_db
def test_a_visitor_link_is_signed_and_feedback_comes_after_the_visit(chloe) -> None:
    slot = VisitSlotFactory()
    request = _ask(slot)
    with pytest.raises(NotFoundError):
        services.get_request_by_token(token=services.request_token(request) + "x")
    VisitRequest.objects.filter(pk=request.pk).update(status=VisitRequestStatus.CONFIRMED)
    token = services.request_token(request)
    with pytest.raises(TurbineError, match="après la visite"):
        services.visit_feedback_give(token=token, rating=5, learned="Bien")
    VisitSlot.objects.filter(pk=slot.pk).update(start=timezone.now() - timedelta(hours=3))
    services.visit_feedback_give(token=token, rating=5, learned="Bien")
    with pytest.raises(TurbineError, match="déjà"):
        services.visit_feedback_give(token=token, rating=4, learned="Encore")


@pytest.mark.django_db
def test_reminders_and_feedback_requests_are_sent_once(django_capture_on_commit_callbacks) -> None:
    soon = VisitSlotFactory(start=timezone.now() + timedelta(hours=30))
    past = VisitSlotFactory(start=timezone.now() + timedelta(days=3))
    for slot in (soon, past):
        VisitRequest.objects.filter(pk=_ask(slot).pk).update(status=VisitRequestStatus.CONFIRMED)
    VisitSlot.objects.filter(pk=past.pk).update(start=timezone.now() - timedelta(days=1))
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert services.visit_reminders_send() == (1, 1)
        assert services.visit_reminders_send() == (0, 0)
    assert len(mail.outbox) == 2
    assert all("/visites/suivi/" in m.body for m in mail.outbox)


@pytest.mark.django_db(transaction=True)
def test_two_groups_racing_for_the_last_seats_do_not_overbook(territory) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("row locks are only real on PostgreSQL (SQLite serialises writers)")
    slot = VisitSlotFactory(capacity=10)
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def ask() -> None:
        barrier.wait()
        try:
            _ask(slot, 7)
            outcomes.append("ok")
        except TurbineError:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=ask) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    slot.refresh_from_db()
    assert sorted(outcomes) == ["ok", "refused"]
    assert slot.reserved == 7
