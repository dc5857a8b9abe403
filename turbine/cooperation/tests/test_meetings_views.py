"""Pages of meetings: list with filters and bounded queries, detail, feeds, registration,
cancellation, attendance, creation and the diversity dashboard."""

from __future__ import annotations

from datetime import datetime, time, timedelta

import icalendar
import pytest
from django.core import mail
from django.utils import timezone

from turbine.accounts.tests.factories import UserFactory
from turbine.cooperation.models import Event, Registration, RegistrationStatus
from turbine.cooperation.services import meetings as services
from turbine.cooperation.tests.factories_meetings import EventFactory
from turbine.core.models import Theme
from turbine.directory.tests.factories import NetworkFactory, OrganisationFactory

pytestmark = pytest.mark.django_db


def _many_events(n: int) -> list[Event]:
    theme = Theme.objects.get(slug="mobilite")
    events = []
    for i in range(n):
        event = EventFactory(
            format=["atelier", "forum", "visite"][i % 3],
            start=timezone.now() + timedelta(days=1 + i),
        )
        event.themes.add(theme)
        organisation = OrganisationFactory()
        organisation.networks.add(NetworkFactory())
        event.organisations.add(organisation)
        events.append(event)
    return events


def test_it_lists_upcoming_events_in_bounded_queries(
    territory, client, django_assert_max_num_queries
) -> None:
    _many_events(6)
    EventFactory(title="Passé", start=timezone.now() - timedelta(days=3))
    with django_assert_max_num_queries(12):
        response = client.get("/rencontres/")
    assert response.status_code == 200
    assert len(response.context["events"]) == 6 and response.context["count"] == 6
    _many_events(25)
    with django_assert_max_num_queries(12):
        response = client.get("/rencontres/?page=2")
    assert response.context["page"] == 2 and len(response.context["events"]) == 11
    assert "Passé" not in response.content.decode()


def test_it_filters_by_format_slot_theme_commune_and_dates(territory, client) -> None:
    # Noon, Paris time, two calendar days ahead: not now + 48 hours, which on the eve of a
    # daylight-saving change lands on the next calendar day after 23:00.
    day = timezone.localdate() + timedelta(days=2)
    a = EventFactory(format="visite", start=timezone.make_aware(datetime.combine(day, time(12))))
    a.themes.add(Theme.objects.get(slug="eau"))
    b = EventFactory(format="forum", commune_code="62119", time_slot="soiree")
    online = EventFactory(modality="en-ligne", commune_code=None, online_url="https://v.example/x")

    def titles(query: str) -> set[str]:
        return {e.title for e in client.get(f"/rencontres/?{query}").context["events"]}

    assert titles("format=visite") == {a.title}
    assert titles("modalite=en-ligne") == {online.title}
    assert titles("creneau=soiree") == {b.title}
    assert titles("theme=eau") == {a.title}
    assert titles("commune=62119") == {b.title}
    assert titles(f"du={day}&au={day}") == {a.title}


@pytest.mark.parametrize(
    "query",
    [
        "format=nope",
        "page=99999999999999999999",
        "du=2026-13-45",
        "commune=%00",
        "format=atelier&format=forum",
        "du=2027-01-10&au=2027-01-01",
    ],
)
def test_it_answers_bad_filters_without_error(territory, client, query) -> None:
    assert client.get(f"/rencontres/?{query}").status_code == 200


def test_the_online_link_is_shown_only_to_registered_people(territory, client) -> None:
    event = EventFactory(modality="hybride", online_url="https://visio.example/secret")
    assert "visio.example/secret" not in client.get(event.get_absolute_url()).content.decode()
    person = UserFactory()
    services.registration_create(event_id=event.pk, user=person)
    client.force_login(person)
    page = client.get(event.get_absolute_url()).content.decode()
    assert "visio.example/secret" in page and "<svg" in page
    ics = icalendar.Calendar.from_ical(client.get(f"/rencontres/{event.pk}.ics").content)
    assert "visio.example/secret" in str(ics.walk("VEVENT")[0]["description"])
    client.logout()
    ics = icalendar.Calendar.from_ical(client.get(f"/rencontres/{event.pk}.ics").content)
    assert "visio.example/secret" not in str(ics.walk("VEVENT")[0]["description"])


def test_the_feed_follows_the_list_filters(territory, client) -> None:
    visit = EventFactory(format="visite")
    EventFactory(format="forum")
    response = client.get("/rencontres.ics?format=visite")
    assert response["Content-Type"].startswith("text/calendar")
    events = icalendar.Calendar.from_ical(response.content).walk("VEVENT")
    assert [str(e["summary"]) for e in events] == [visit.title]
    assert str(events[0]["url"]).endswith(f"/rencontres/{visit.pk}/")
    assert client.get("/rencontres.ics?format=nope").status_code == 400
    assert client.get("/rencontres/999999.ics").status_code == 404


def test_a_signed_in_person_registers_and_cancels(territory, client, alice) -> None:
    event = EventFactory(capacity=1)
    waiting = UserFactory()
    client.force_login(alice)
    response = client.post(f"/rencontres/{event.pk}/inscription/", {"age_band": "30-44"})
    assert response.status_code == 302
    registration = Registration.objects.get(user=alice)
    assert registration.status == RegistrationStatus.REGISTERED and registration.age_band == "30-44"
    services.registration_create(event_id=event.pk, user=waiting)
    page = client.get(event.get_absolute_url()).content.decode()
    assert services.format_code(registration.code) in page
    client.post(f"/rencontres/{event.pk}/annulation/")
    assert Registration.objects.get(user=waiting).status == RegistrationStatus.REGISTERED
    assert client.post(f"/rencontres/{event.pk}/inscription/", {"age_band": "x"}).status_code == 400


def test_someone_without_an_account_registers_by_email(
    territory, client, django_capture_on_commit_callbacks
) -> None:
    event = EventFactory()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/rencontres/{event.pk}/inscription/", {"name": "Dora", "email": "dora@example.org"}
        )
    assert response.status_code == 200 and "Vérifiez votre messagerie" in response.content.decode()
    link = next(w for w in mail.outbox[0].body.split() if "/rencontres/inscription/" in w)
    path = link[link.index("/rencontres/") :]
    page = client.get(path)
    assert "Confirmer mon inscription" in page.content.decode()
    assert Registration.objects.get().status == RegistrationStatus.PENDING  # GET confirms nothing
    client.post(path, {"action": "confirmer"})
    assert Registration.objects.get().status == RegistrationStatus.REGISTERED
    assert "<svg" in client.get(path).content.decode()
    client.post(path, {"action": "annuler"})
    assert Registration.objects.get().status == RegistrationStatus.CANCELLED
    assert client.get("/rencontres/inscription/faux-jeton/").status_code == 404
    bad = client.post(
        f"/rencontres/{event.pk}/inscription/", {"name": "X", "email": "pas-une-adresse"}
    )
    assert bad.status_code == 400


def test_organisers_mark_attendance_by_code_or_scanned_link(territory, client, bruno) -> None:
    event = EventFactory(created_by=bruno)
    registration = services.registration_create(event_id=event.pk, user=UserFactory())
    url = f"/rencontres/{event.pk}/presences/"
    client.force_login(UserFactory())
    assert client.get(url).status_code == 403
    client.force_login(bruno)
    page = client.get(f"{url}?code={registration.code}").content.decode()
    assert services.format_code(registration.code) in page
    registration.refresh_from_db()
    assert registration.attended_at is None  # opening the scanned link records nothing
    response = client.post(url, {"code": registration.code.lower()})
    assert "noté·e présent·e" in response.content.decode()
    registration.refresh_from_db()
    assert registration.attended_at is not None
    assert "déjà noté" in client.post(url, {"code": registration.code}).content.decode()
    assert "Aucune inscription" in client.post(url, {"code": "ZZZZ-ZZZZ"}).content.decode()


def test_only_staff_and_organisation_members_create_events(territory, client, alice, chloe) -> None:
    client.force_login(alice)
    assert client.get("/rencontres/nouvelle/").status_code == 403
    organisation = OrganisationFactory(admin=chloe)
    client.force_login(chloe)
    assert client.get("/rencontres/nouvelle/").status_code == 200
    start = timezone.localtime() + timedelta(days=5)
    data = {
        "title": "Balade des haies",
        "description": "On marche.",
        "format": "visite",
        "modality": "presentiel",
        "start": start.strftime("%Y-%m-%dT%H:%M"),
        "end": (start + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
        "language": "fr",
        "commune": territory.agglomerations.first().communes.first().pk,
        "organisations": [organisation.pk],
        "person_is_organiser": "on",
        "registration_mode": "plateforme",
        "capacity": "15",
        "reminders_enabled": "on",
        "reminder_hours": "24",
    }
    response = client.post("/rencontres/nouvelle/", data)
    event = Event.objects.get(title="Balade des haies")
    assert response.status_code == 302 and response["Location"] == event.get_absolute_url()
    assert event.capacity == 15
    edit = client.post(f"/rencontres/{event.pk}/modifier/", {**data, "end": data["start"]})
    assert edit.status_code == 200 and "après le début" in edit.content.decode()
    client.force_login(alice)
    assert client.get(f"/rencontres/{event.pk}/modifier/").status_code == 403


def test_the_diversity_dashboard_merges_small_groups_and_flags_single_group_slots(
    territory, client, bruno, alice
) -> None:
    workshop = EventFactory(format="atelier", capacity=None)
    forum = EventFactory(format="forum", capacity=None)
    for _ in range(6):
        services.registration_create(
            event_id=workshop.pk,
            user=UserFactory(),
            declared=services.Declared(age_band="60-74"),
        )
    for band in ["18-29"] * 5 + ["30-44"] * 2 + ["45-59"] * 2:
        services.registration_create(
            event_id=forum.pk, user=UserFactory(), declared=services.Declared(age_band=band)
        )
    client.force_login(alice)
    assert client.get("/rencontres/diversite/").status_code == 403
    client.force_login(bruno)
    response = client.get("/rencontres/diversite/?dimension=age_band")
    rows = {r.key: r for r in response.context["tables"]["formats"]}
    assert rows["atelier"].single_group and rows["atelier"].groups == [("60 à 74 ans", 6)]
    assert not rows["forum"].single_group
    assert rows["forum"].groups == [("18 à 29 ans", 5)]  # 2 + 2 stay hidden: fewer than 5
    assert "30 à 44" not in response.content.decode()
    assert client.get("/rencontres/diversite/?dimension=%00").status_code == 200
    # An organiser sees the events they organise only.
    workshop.created_by = alice
    workshop.save()
    client.force_login(alice)
    rows = {r.key: r for r in client.get("/rencontres/diversite/").context["tables"]["formats"]}
    assert rows["atelier"].total == 6 and rows["forum"].total == 0


@pytest.mark.parametrize(
    "path",
    [
        "/rencontres/99999999999999999999/",
        "/rencontres/99999999999999999999.ics",
        "/api/v1/events/99999999999999999999",
        "/rencontres/documents/99999999999999999999/",
        "/rencontres/inscription/%00/",
    ],
)
def test_it_answers_404_to_unknown_or_huge_ids(territory, client, path) -> None:
    assert client.get(path).status_code in (404, 422)
