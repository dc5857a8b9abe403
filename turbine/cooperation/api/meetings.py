"""API resources of meetings, mounted under /api/v1/ (public reads; registering needs a token)."""

from datetime import date, datetime
from typing import Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from turbine.cooperation.models import Event, EventFormat, Modality, TimeSlot
from turbine.cooperation.selectors import meetings as selectors
from turbine.cooperation.services import meetings as services
from turbine.core.api import MappedPage, Pagination, each, token_auth

router = Router(tags=["Rencontres"])


class EventCommuneOut(Schema):
    code: str
    name: str


class OrganiserOut(Schema):
    id: int
    name: str
    networks: list[str]


class EventOut(Schema):
    id: int
    title: str
    format: str
    modality: str
    time_slot: str
    start: datetime
    end: datetime
    commune: EventCommuneOut | None
    address: str
    capacity: int | None = Field(description="nombre de places ; null si illimité")
    registered: int = Field(description="personnes inscrites (place confirmée)")
    waiting: int = Field(description="personnes sur liste d'attente")
    registration_mode: str
    language: str
    themes: list[str]
    organisations: list[OrganiserOut]
    step_free: bool
    hearing_loop: bool
    childcare: bool
    url: str
    ics: str
    is_demo: bool


class EventDetailOut(EventOut):
    description: str
    minutes: str


def _event_out(event: Event, *, detail: bool = False) -> dict[str, Any]:
    out: dict[str, Any] = {
        "id": event.pk,
        "title": event.title,
        "format": event.format,
        "modality": event.modality,
        "time_slot": event.time_slot,
        "start": event.start,
        "end": event.end,
        "commune": {"code": event.commune.code, "name": event.commune.name}
        if event.commune_id
        else None,
        "address": event.address,
        "capacity": event.capacity,
        "registered": event.registered_count,
        "waiting": event.waiting_count,
        "registration_mode": event.registration_mode,
        "language": event.language,
        "themes": [t.slug for t in event.themes.all()],
        "organisations": [
            {"id": o.pk, "name": o.name, "networks": [n.slug for n in o.networks.all()]}
            for o in event.organisations.all()
        ],
        "step_free": event.step_free,
        "hearing_loop": event.hearing_loop,
        "childcare": event.childcare,
        "url": event.get_absolute_url(),
        "ics": f"/rencontres/{event.pk}.ics",
        "is_demo": event.is_demo,
    }
    if detail:
        out["description"] = event.description
        out["minutes"] = event.minutes
    return out


class EventFilterIn(Schema):
    format: EventFormat | None = None
    modality: Modality | None = None
    time_slot: TimeSlot | None = None
    theme: str | None = Field(None, max_length=60, description="identifiant de thème")
    commune: str | None = Field(None, max_length=5, description="code INSEE")
    date_from: date | None = Field(None, description="rencontres se terminant ce jour ou après")
    date_to: date | None = Field(None, description="rencontres commençant ce jour ou avant")
    include_past: bool = Field(False, description="inclure les rencontres passées")


@router.get("/events", response=list[EventOut], summary="Rencontres")
@paginate(Pagination)
def events(request: HttpRequest, filters: Query[EventFilterIn]) -> list[dict[str, Any]]:
    """Les rencontres publiques, les plus proches d'abord ; par défaut celles à venir ou en
    cours. Le lien de connexion n'est jamais publié ici."""
    qs = selectors.event_list(
        filters=selectors.EventFilters(
            format=filters.format or "",
            modality=filters.modality or "",
            time_slot=filters.time_slot or "",
            theme=filters.theme or "",
            commune=filters.commune or "",
            date_from=filters.date_from,
            date_to=filters.date_to,
            include_past=filters.include_past,
        )
    )
    return MappedPage(qs, each(_event_out))


@router.get("/events/{event_id}", response=EventDetailOut, summary="Une rencontre")
def event(request: HttpRequest, event_id: int) -> dict[str, Any]:
    return _event_out(selectors.get_event(event_id=event_id), detail=True)


class RegistrationOut(Schema):
    id: int
    event: int
    status: str = Field(description="inscrit, attente (liste d'attente)")
    code: str = Field(description="code d'inscription, à montrer le jour même")
    waiting_rank: int | None = Field(description="rang sur la liste d'attente (1 = la prochaine)")


@router.post(
    "/events/{event_id}/registrations",
    response={201: RegistrationOut},
    auth=token_auth,
    summary="M'inscrire à une rencontre (jeton)",
)
def register(request: HttpRequest, event_id: int) -> Status:
    """Inscrit la personne titulaire du jeton : une place si il en reste, sinon la liste
    d'attente (la première place libérée va à la plus ancienne inscription en attente)."""
    selectors.get_event(event_id=event_id)  # 404 for a hidden or unknown event
    registration = services.registration_create(event_id=event_id, user=request.user)
    return Status(
        201,
        {
            "id": registration.pk,
            "event": event_id,
            "status": registration.status,
            "code": services.format_code(registration.code),
            "waiting_rank": services.waiting_rank(registration),
        },
    )
