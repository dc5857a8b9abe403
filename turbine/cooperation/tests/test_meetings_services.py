"""Meetings' services: registration, waiting list and promotion, email double opt-in,
cancellation, attendance, reminders, event creation rights."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import icalendar
import pytest
from django.core import mail
from django.utils import timezone

from turbine.accounts.tests.factories import UserFactory
from turbine.cooperation.models import Modality, RegistrationMode, RegistrationStatus, TimeSlot
from turbine.cooperation.services import meetings as services
from turbine.cooperation.tests.factories_meetings import EventFactory
from turbine.core.exceptions import PermissionDeniedError, TurbineError
from turbine.directory.tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db(transaction=False)
PARIS = ZoneInfo("Europe/Paris")


def _ics(message: mail.EmailMessage) -> icalendar.Calendar:
    ((name, content, mime),) = [a for a in message.attachments if a[0].endswith(".ics")]
    assert mime == "text/calendar"
    return icalendar.Calendar.from_ical(content)


def test_it_registers_then_puts_on_the_waiting_list_when_full(
    territory, django_capture_on_commit_callbacks
) -> None:
    event = EventFactory(capacity=2)
    people = [UserFactory() for _ in range(4)]
    with django_capture_on_commit_callbacks(execute=True):
        regs = [services.registration_create(event_id=event.pk, user=p) for p in people]
    assert [r.status for r in regs] == ["inscrit", "inscrit", "attente", "attente"]
    assert [services.waiting_rank(r) for r in regs] == [None, None, 1, 2]
    assert [m.subject for m in mail.outbox][0].startswith("[Turbine] Inscription confirmée")
    assert "Liste d'attente" in mail.outbox[2].subject
    vevent = _ics(mail.outbox[0]).walk("VEVENT")[0]
    assert str(vevent["summary"]) == event.title
    assert event.get_absolute_url() in str(vevent["description"])
    assert len({r.code for r in regs}) == 4 and all(len(r.code) == 8 for r in regs)


def test_it_refuses_a_second_registration_of_the_same_person(territory) -> None:
    event = EventFactory()
    person = UserFactory()
    services.registration_create(event_id=event.pk, user=person)
    with pytest.raises(TurbineError, match="déjà inscrit"):
        services.registration_create(event_id=event.pk, user=person)


def test_it_promotes_the_oldest_waiting_entry_once_when_a_place_frees(
    territory, django_capture_on_commit_callbacks
) -> None:
    event = EventFactory(capacity=1)
    first, second, third = UserFactory(), UserFactory(), UserFactory()
    for person in (first, second, third):
        services.registration_create(event_id=event.pk, user=person)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.registration_cancel(user=first, event_id=event.pk)
    statuses = dict(event.registrations.values_list("user", "status"))
    assert statuses == {first.pk: "annule", second.pk: "inscrit", third.pk: "attente"}
    assert [m.to for m in mail.outbox] == [[second.email]]
    assert "Une place pour vous" in mail.outbox[0].subject
    assert _ics(mail.outbox[0]).walk("VEVENT")
    # A waiting entry that leaves frees no place: nobody is promoted.
    with django_capture_on_commit_callbacks(execute=True):
        services.registration_cancel(user=third, event_id=event.pk)
    assert event.registrations.filter(status="inscrit").count() == 1
    assert len(mail.outbox) == 1
    with pytest.raises(TurbineError):
        services.registration_cancel(user=third, event_id=event.pk)


def test_it_promotes_as_many_as_a_larger_capacity_allows(territory, bruno) -> None:
    event = EventFactory(capacity=1, created_by=bruno)
    people = [UserFactory() for _ in range(4)]
    for p in people:
        services.registration_create(event_id=event.pk, user=p)
    data = _data_of(event, capacity=3)
    services.event_update(actor=bruno, event_id=event.pk, data=data)
    assert list(event.registrations.order_by("id").values_list("status", flat=True)) == [
        "inscrit",
        "inscrit",
        "inscrit",
        "attente",
    ]
    with pytest.raises(TurbineError, match="capacité"):
        services.event_update(actor=bruno, event_id=event.pk, data=_data_of(event, capacity=2))


def _data_of(event, **changes) -> services.EventData:
    values = {
        "title": event.title,
        "description": event.description,
        "format": event.format,
        "modality": event.modality,
        "start": event.start,
        "end": event.end,
        "commune": event.commune,
        "capacity": event.capacity,
    }
    values.update(changes)
    return services.EventData(**values)


def test_it_registers_without_an_account_after_the_email_confirmation(
    territory, django_capture_on_commit_callbacks
) -> None:
    event = EventFactory(capacity=1)
    with django_capture_on_commit_callbacks(execute=True):
        pending = services.registration_create(
            event_id=event.pk, email="Dora@Example.org ", name="Dora"
        )
    assert pending.status == RegistrationStatus.PENDING and pending.email == "dora@example.org"
    assert mail.outbox[0].to == ["dora@example.org"]
    link = next(line for line in mail.outbox[0].body.splitlines() if "/inscription/" in line)
    token = link.rstrip("/").rsplit("/", 1)[1]
    # A pending registration holds no place: a signed-in person takes it meanwhile.
    other = UserFactory()
    assert services.registration_create(event_id=event.pk, user=other).status == "inscrit"
    with django_capture_on_commit_callbacks(execute=True):
        confirmed = services.registration_confirm(token=token)
    assert confirmed.status == RegistrationStatus.WAITING
    assert services.registration_confirm(token=token).status == RegistrationStatus.WAITING
    # Asking again sends a new personal link; the old one stops working.
    with django_capture_on_commit_callbacks(execute=True):
        again = services.registration_create(event_id=event.pk, email="dora@example.org")
    assert again.pk == pending.pk
    with pytest.raises(TurbineError):
        services.get_registration_by_token(token=token)
    services.registration_cancel(user=other, event_id=event.pk)
    assert event.registrations.get(pk=pending.pk).status == RegistrationStatus.REGISTERED


def test_it_cancels_by_the_personal_link(territory, django_capture_on_commit_callbacks) -> None:
    event = EventFactory()
    with django_capture_on_commit_callbacks(execute=True):
        services.registration_create(event_id=event.pk, email="eve@example.org")
    token = mail.outbox[0].body.split("/rencontres/inscription/")[1].split("/")[0]
    services.registration_confirm(token=token)
    assert services.registration_cancel_by_token(token=token).status == "annule"
    # Cancelled, the address may register again.
    assert services.registration_create(event_id=event.pk, email="eve@example.org").pk


@pytest.mark.parametrize(
    ("mode", "message"),
    [(RegistrationMode.ELSEWHERE, "autre site"), (RegistrationMode.NONE, "entrée libre")],
)
def test_it_refuses_registration_when_not_on_the_platform(territory, mode, message) -> None:
    event = EventFactory(registration_mode=mode, external_registration_url="https://x.example")
    with pytest.raises(TurbineError, match=message):
        services.registration_create(event_id=event.pk, user=UserFactory())


def test_it_refuses_registration_once_started(territory) -> None:
    event = EventFactory(start=timezone.now() - timedelta(minutes=5))
    with pytest.raises(TurbineError, match="commencé"):
        services.registration_create(event_id=event.pk, user=UserFactory())


def test_it_marks_attendance_once_by_code(territory, bruno) -> None:
    event = EventFactory(capacity=1, created_by=bruno)
    here = services.registration_create(event_id=event.pk, user=UserFactory())
    waiting = services.registration_create(event_id=event.pk, user=UserFactory())
    typed = f"  {here.code[:4].lower()} {here.code[4:]} "
    result = services.attendance_mark(actor=bruno, event_id=event.pk, code=typed)
    assert not result.already and result.registration.attended_at is not None
    again = services.attendance_mark(actor=bruno, event_id=event.pk, code=here.code)
    assert again.already and again.registration.attended_at == result.registration.attended_at
    with pytest.raises(TurbineError, match="liste d'attente"):
        services.attendance_mark(actor=bruno, event_id=event.pk, code=waiting.code)
    with pytest.raises(TurbineError, match="Aucune inscription"):
        services.attendance_mark(actor=bruno, event_id=event.pk, code="ZZZZZZZZ")
    with pytest.raises(TurbineError, match="8 caractères"):
        services.attendance_mark(actor=bruno, event_id=event.pk, code="ABC\x00")


def test_it_lets_only_organisers_and_staff_mark_attendance(territory, alice, chloe) -> None:
    organisation = OrganisationFactory(admin=chloe)
    event = EventFactory()
    event.organisations.add(organisation)
    reg = services.registration_create(event_id=event.pk, user=UserFactory())
    with pytest.raises(PermissionDeniedError):
        services.attendance_mark(actor=alice, event_id=event.pk, code=reg.code)
    assert services.attendance_mark(actor=chloe, event_id=event.pk, code=reg.code)


def test_it_sends_each_reminder_once_at_the_chosen_time(
    territory, django_capture_on_commit_callbacks
) -> None:
    now = timezone.now()
    soon = EventFactory(start=now + timedelta(hours=20), reminder_hours=24)
    later = EventFactory(start=now + timedelta(hours=30), reminder_hours=24)
    off = EventFactory(start=now + timedelta(hours=20), reminders_enabled=False)
    for event in (soon, later, off):
        services.registration_create(event_id=event.pk, user=UserFactory())
    services.registration_create(event_id=soon.pk, user=UserFactory())
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert services.reminders_send(now=now) == 2
    with django_capture_on_commit_callbacks(execute=True):
        assert services.reminders_send(now=now + timedelta(minutes=15)) == 0
    assert len(mail.outbox) == 2 and all("Rappel" in m.subject for m in mail.outbox)
    assert _ics(mail.outbox[0]).walk("VEVENT")
    with django_capture_on_commit_callbacks(execute=True):
        assert services.reminders_send(now=now + timedelta(hours=7)) == 1


def test_the_beat_schedule_runs_the_reminders_task(territory) -> None:
    from django.conf import settings

    from turbine.cooperation.tasks import send_event_reminders

    entry = settings.CELERY_BEAT_SCHEDULE["cooperation-event-reminders"]
    assert entry["task"] == "turbine.cooperation.tasks.send_event_reminders"
    assert send_event_reminders.apply().result == 0


def test_it_derives_the_time_slot_from_the_start() -> None:
    assert services.time_slot_of(datetime(2026, 12, 1, 14, tzinfo=PARIS)) == TimeSlot.WEEKDAY
    assert services.time_slot_of(datetime(2026, 12, 1, 18, 30, tzinfo=PARIS)) == TimeSlot.EVENING
    assert services.time_slot_of(datetime(2026, 12, 5, 19, tzinfo=PARIS)) == TimeSlot.WEEKEND


def _new_event_data(**changes) -> services.EventData:
    from turbine.territory.models import Commune

    start = timezone.now() + timedelta(days=3)
    values = {
        "title": "Forum des communs",
        "description": "Un forum.",
        "format": "forum",
        "modality": Modality.IN_PERSON,
        "start": start,
        "end": start + timedelta(hours=2),
        "commune": Commune.objects.get(code="62498"),
    }
    values.update(changes)
    return services.EventData(**values)


def test_staff_and_organisation_members_create_events_citizens_do_not(
    territory, alice, bruno, chloe
) -> None:
    with pytest.raises(PermissionDeniedError):
        services.event_create(actor=alice, data=_new_event_data())
    mine, other = OrganisationFactory(admin=chloe), OrganisationFactory()
    event = services.event_create(actor=chloe, data=_new_event_data(organisations=(mine,)))
    assert list(event.organisations.all()) == [mine] and event.organiser_person == chloe
    with pytest.raises(PermissionDeniedError, match="membre"):
        services.event_create(actor=chloe, data=_new_event_data(organisations=(other,)))
    event = services.event_create(
        actor=bruno, data=_new_event_data(organisations=(mine, other), person_is_organiser=False)
    )
    assert event.organiser_person is None and event.organisations.count() == 2


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"end": timezone.now()}, "end"),
        ({"commune": None}, "commune"),
        ({"registration_mode": RegistrationMode.ELSEWHERE}, "external_registration_url"),
        ({"latitude": 50.4}, "latitude"),
        ({"person_is_organiser": False}, "organisations"),
    ],
)
def test_it_refuses_an_incoherent_event(territory, bruno, changes, field) -> None:
    with pytest.raises(TurbineError) as caught:
        services.event_create(actor=bruno, data=_new_event_data(**changes))
    assert caught.value.field == field


def test_an_online_event_keeps_no_place(territory, bruno) -> None:
    event = services.event_create(
        actor=bruno,
        data=_new_event_data(modality=Modality.ONLINE, online_url="https://visio.example/x"),
    )
    assert event.commune is None and event.address == ""


def test_deleting_an_account_frees_its_upcoming_places_and_keeps_past_counts(territory) -> None:
    from turbine.accounts import personal_data
    from turbine.cooperation.personal_data_meetings import export_registrations

    person, waiting = UserFactory(), UserFactory()
    upcoming = EventFactory(capacity=1)
    past = EventFactory()
    services.registration_create(event_id=upcoming.pk, user=person)
    services.registration_create(event_id=upcoming.pk, user=waiting)
    services.registration_create(event_id=past.pk, user=person)
    past.start, past.end = timezone.now() - timedelta(hours=3), timezone.now() - timedelta(hours=1)
    past.save()
    assert len(export_registrations(person)) == 2
    section = next(s for s in personal_data.sections() if s.key == "cooperation_registrations")
    section.anonymise(person)
    person.delete()
    assert upcoming.registrations.get(user=waiting).status == "inscrit"
    kept = past.registrations.get()
    assert kept.user is None and kept.status == "inscrit" and "@" in kept.email
