"""Demonstration meetings: every format, modality and time slot, some past with minutes, some
full with a waiting list; all marked « démo »."""

from __future__ import annotations

import random
from datetime import datetime, time, timedelta

from django.utils import timezone

from turbine.accounts.models import User
from turbine.cooperation.models import (
    AgeBand,
    Event,
    EventFormat,
    FirstTime,
    HeardVia,
    Modality,
    Registration,
    RegistrationMode,
    RegistrationStatus,
)
from turbine.cooperation.search_meetings import index_events
from turbine.cooperation.services.meetings import _new_code, time_slot_of, token_digest
from turbine.core import demo
from turbine.core.models import Theme
from turbine.directory.models import Organisation
from turbine.territory.models import Commune

RNG_SEED = 12

# (title, format, theme slugs, description)
EVENTS = [
    (
        "Atelier réparation de vélos",
        EventFormat.WORKSHOP,
        ["mobilite"],
        "On apprend à régler ses freins et changer une chambre à air, outils fournis.",
    ),
    (
        "Convention citoyenne sur l'eau",
        EventFormat.CITIZEN_CONVENTION,
        ["eau"],
        "Des habitantes et habitants tirés au sort travaillent sur le partage de l'eau.",
    ),
    (
        "Forum des initiatives de transition",
        EventFormat.FORUM,
        ["alimentation", "energie"],
        "Stands, rencontres et tables rondes : qui fait quoi sur le territoire.",
    ),
    (
        "Visite d'une ferme en agroécologie",
        EventFormat.VISIT,
        ["alimentation"],
        "Une agricultrice montre ses haies, ses mares et sa vente directe.",
    ),
    (
        "Webinaire : financer une rénovation",
        EventFormat.WEBINAR,
        ["energie", "renovation-habitat"],
        "Les aides à la rénovation énergétique expliquées en une heure, questions en direct.",
    ),
    (
        "Chantier participatif : planter une haie",
        EventFormat.WORK_PARTY,
        ["biodiversite-renaturation"],
        "Bêches et gants fournis ; venez une heure ou toute la journée.",
    ),
    (
        "Monter une recyclerie, de pair à pair",
        EventFormat.PEER_TRAINING,
        ["dechets-economie-circulaire"],
        "Une équipe qui l'a fait raconte ses étapes, ses erreurs et ses outils.",
    ),
]
SLOT_TIMES = [  # (day offset from a Monday, hour): weekday, evening, week-end
    (1, 14),
    (2, 19),
    (5, 10),
]
MINUTES = """## Ce qui s'est dit

- Une quinzaine de participants, dont **six pour la première fois**.
- Trois pistes retenues pour la suite, à travailler en groupe.

## Prochaines étapes

1. Partager les contacts (avec l'accord de chacun).
2. Se retrouver dans deux mois.
"""


def _start(week: int, day: int, hour: int) -> datetime:
    today = timezone.localdate()
    monday = today - timedelta(days=today.weekday()) + timedelta(weeks=week)
    moment = datetime.combine(monday + timedelta(days=day), time(hour, 0))
    return timezone.make_aware(moment)


def load_meetings() -> str:
    rng = random.Random(RNG_SEED)
    communes = list(Commune.objects.filter(agglomeration__isnull=False).order_by("code"))
    if not communes:
        return "aucun territoire importé : rien à charger"
    themes = {t.slug: t for t in Theme.objects.all()}
    organisations = list(
        Organisation.objects.filter(is_demo=True, is_hidden=False)
        .prefetch_related("networks")
        .order_by("id")[:40]
    )
    people = list(User.objects.filter(is_demo=True).order_by("email")[:60])
    staff = User.objects.filter(email="bruno.demo@turbine.localhost").first()
    modalities = list(Modality)
    created = 0
    registrations = 0
    agglomerations = sorted({c.agglomeration for c in communes}, key=lambda a: a.name)
    for index, (title, fmt, slugs, description) in enumerate(EVENTS):
        for variant in range(3):
            modality = modalities[(index + variant) % 3]
            if fmt == EventFormat.WEBINAR:
                modality = Modality.ONLINE if variant != 2 else Modality.HYBRID
            day, hour = SLOT_TIMES[(index + variant) % 3]
            week = variant * 2 - 1  # one past event per kind, two to come
            start = _start(week, day, hour)
            commune = (
                None
                if modality == Modality.ONLINE
                else communes[(index * 7 + variant * 13) % len(communes)]
            )
            lat = lon = None
            if commune is not None:
                # Around the centre of the Pôle métropolitain de l'Artois.
                lat = 50.43 + rng.uniform(-0.12, 0.12)
                lon = 2.75 + rng.uniform(-0.25, 0.25)
            capacity = [30, 12, None][variant] if fmt != EventFormat.FORUM else None
            event = Event.objects.create(
                title=f"{title} (démo)",
                description=description,
                format=fmt,
                modality=modality,
                commune=commune,
                address=f"{10 + index} rue de la République" if commune else "",
                latitude=lat,
                longitude=lon,
                step_free=variant != 1,
                hearing_loop=index % 2 == 0,
                childcare=variant == 2,
                online_url="https://visio.example.org/turbine-demo"
                if modality != Modality.IN_PERSON
                else "",
                start=start,
                end=start + timedelta(hours=2 if hour >= 18 else 3),
                time_slot=time_slot_of(start),
                registration_mode=(
                    RegistrationMode.NONE if fmt == EventFormat.FORUM else RegistrationMode.PLATFORM
                ),
                capacity=capacity,
                minutes=MINUTES if week < 0 else "",
                is_demo=True,
                organiser_person=staff if index % 3 == 0 else None,
                created_by=staff,
            )
            event.themes.set([themes[s] for s in slugs if s in themes])
            if organisations:
                first = organisations[(index * 3 + variant) % len(organisations)]
                second = organisations[(index * 3 + variant + 17) % len(organisations)]
                event.organisations.set({first, second})
            elif staff is not None and event.organiser_person is None:
                event.organiser_person = staff
                event.save(update_fields=["organiser_person"])
            created += 1
            if event.registration_mode != RegistrationMode.PLATFORM or not people:
                continue
            wanted = min(len(people), (capacity or 20) + (4 if capacity == 12 else 0))
            for position, person in enumerate(rng.sample(people, wanted)):
                full = capacity is not None and position >= capacity
                Registration.objects.create(
                    event=event,
                    user=person,
                    email=person.email,
                    name=person.display_name,
                    status=RegistrationStatus.WAITING if full else RegistrationStatus.REGISTERED,
                    code=_new_code(),
                    token_digest=token_digest(f"demo-{event.pk}-{person.pk}"),
                    confirmed_at=event.start - timedelta(days=5),
                    queued_at=event.start - timedelta(days=5, minutes=-position) if full else None,
                    attended_at=(
                        event.start + timedelta(minutes=5)
                        if week < 0 and not full and rng.random() < 0.8
                        else None
                    ),
                    # Visits reach only retired people in the demo: the diversity dashboard
                    # flags it.
                    age_band=(
                        AgeBand.FROM_60
                        if fmt == EventFormat.VISIT
                        else rng.choice(list(AgeBand.values) + [""])
                    ),
                    agglomeration=rng.choice(agglomerations + [None]),
                    first_time=rng.choice(list(FirstTime.values) + [""]),
                    heard_via=rng.choice(list(HeardVia.values) + [""]),
                )
                registrations += 1

    index_events(ids=Event.objects.filter(is_demo=True).values_list("id", flat=True))
    return f"{created} rencontres et {registrations} inscriptions"


demo.register("rencontres", load_meetings)
