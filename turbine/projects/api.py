"""API resources of the projects app, mounted under /api/v1/."""

import datetime
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status

from turbine.core import form_extensions
from turbine.core.api import Pagination, token_auth
from turbine.core.exceptions import TurbineError
from turbine.directory.api import absolute, themes_from_slugs
from turbine.directory.models import Organisation
from turbine.projects import selectors, services
from turbine.projects.models import Project, ProjectUpdate
from turbine.territory.models import Commune
from turbine.territory.selectors import commune_list, get_current_territory

router = Router(tags=["Projets"])


class FundingOut(Schema):
    source: str
    aid: int | None = Field(None, alias="aid_id", description="aide du catalogue (identifiant)")
    kind: str
    amount: Decimal


class ImpactOut(Schema):
    indicator: str
    value: Decimal
    nature: str
    source: str


class ProjectOut(Schema):
    id: int
    title: str
    summary: str
    scale: int
    stage: str
    visibility: str
    holder_organisation: int | None = Field(None, alias="holder_organisation_id")
    communes: list[str]
    whole_territory: bool
    themes: list[str]
    budget_total: Decimal | None
    latitude: float | None
    longitude: float | None
    url: str
    is_demo: bool

    @staticmethod
    def resolve_communes(obj: Project) -> list[str]:
        return [c.code for c in obj.communes.all()]

    @staticmethod
    def resolve_themes(obj: Project) -> list[str]:
        return [t.slug for t in obj.themes.all()]

    @staticmethod
    def resolve_url(obj: Project, context: Any) -> str:
        return absolute(context, obj.get_absolute_url())


class ImageOut(Schema):
    url: str
    alt_text: str


class ProjectDetailOut(ProjectOut):
    description: str
    know_how: str
    partners: list[int]
    fundings: list[FundingOut]
    impacts: list[ImpactOut]
    images: list[ImageOut]

    @staticmethod
    def resolve_images(obj: Project, context: Any) -> list[dict[str, str]]:
        return [
            {"url": absolute(context, i.image.url), "alt_text": i.alt_text}
            for i in obj.images.all()
        ]

    @staticmethod
    def resolve_partners(obj: Project) -> list[int]:
        return [p.pk for p in obj.partners.all()]

    @staticmethod
    def resolve_fundings(obj: Project) -> list[Any]:
        return list(obj.fundings.all())

    @staticmethod
    def resolve_impacts(obj: Project) -> list[Any]:
        return list(obj.impacts.all())


class ProjectFilterIn(Schema):
    q: str | None = Field(None, max_length=200, description="texte recherché")
    theme: str | None = Field(None, max_length=60, description="identifiant de thème")
    commune: str | None = Field(None, max_length=5, description="code INSEE")
    agglomeration: str | None = Field(None, max_length=9, description="SIREN de l'agglomération")
    scale: int | None = Field(None, ge=1, le=3, description="échelle 1, 2 ou 3")
    stage: str | None = Field(None, max_length=20, description="étape")
    sort: str | None = Field(None, max_length=20, description="titre, recent, echelle, pertinence")


@router.get("/projects", response=list[ProjectOut], summary="Projets publics du territoire")
@paginate(Pagination)
def projects(request: HttpRequest, filters: Query[ProjectFilterIn]) -> QuerySet[Project]:
    return selectors.project_list(
        filters=selectors.ProjectFilters(
            q=filters.q or "",
            theme=filters.theme or "",
            commune=filters.commune or "",
            agglomeration=filters.agglomeration or "",
            scale=filters.scale,
            stage=filters.stage or "",
            sort=filters.sort or "",
        )
    )


@router.get("/projects/{project_id}", response=ProjectDetailOut, summary="Un projet public")
def project(request: HttpRequest, project_id: int) -> Project:
    found = selectors.get_project(user=request.user, project_id=project_id)
    if not found.is_public and not request.user.is_authenticated:
        raise Http404("Projet introuvable")
    return found


class FundingIn(Schema):
    source: str = Field("", max_length=200, description="facultative si `aid` est donnée")
    aid: int | None = Field(None, description="identifiant d'une aide publiée du catalogue")
    kind: str = Field(..., max_length=20)
    amount: Decimal = Field(..., ge=0)


class ImpactIn(Schema):
    indicator: str = Field(..., max_length=20)
    value: Decimal = Field(..., ge=0)
    nature: str = Field(..., max_length=10)
    source: str = Field("", max_length=300)


class ProjectIn(Schema):
    title: str = Field(..., min_length=1, max_length=200)
    summary: str = Field("", max_length=400)
    description: str = Field("", max_length=30_000)
    know_how: str = Field("", max_length=20_000)
    holder_organisation: int | None = None
    scale: int = Field(1, ge=1, le=3)
    stage: str = Field("idee", max_length=20)
    budget_total: Decimal | None = Field(None, ge=0)
    latitude: float | None = Field(None, ge=-90, le=90)
    longitude: float | None = Field(None, ge=-180, le=180)
    visibility: str = Field("draft", max_length=10)
    whole_territory: bool = False
    communes: list[str] = Field(default_factory=list, description="codes INSEE")
    themes: list[str] = Field(default_factory=list)
    partners: list[int] = Field(default_factory=list, description="identifiants d'organisations")
    fundings: list[FundingIn] = Field(default_factory=list)
    impacts: list[ImpactIn] = Field(default_factory=list)


class ProjectPatch(Schema):
    title: str | None = Field(None, min_length=1, max_length=200)
    summary: str | None = Field(None, max_length=400)
    description: str | None = Field(None, max_length=30_000)
    know_how: str | None = Field(None, max_length=20_000)
    holder_organisation: int | None = None
    scale: int | None = Field(None, ge=1, le=3)
    stage: str | None = Field(None, max_length=20)
    budget_total: Decimal | None = Field(None, ge=0)
    latitude: float | None = Field(None, ge=-90, le=90)
    longitude: float | None = Field(None, ge=-180, le=180)
    visibility: str | None = Field(None, max_length=10)
    whole_territory: bool | None = None
    communes: list[str] | None = None
    themes: list[str] | None = None
    partners: list[int] | None = None
    fundings: list[FundingIn] | None = None
    impacts: list[ImpactIn] | None = None


def _communes(codes: list[str]) -> list[Commune]:
    communes = list(commune_list(territory=get_current_territory()).filter(code__in=codes))
    unknown = set(codes) - {c.code for c in communes}
    if unknown:
        raise TurbineError(f"Commune inconnue : {', '.join(sorted(unknown))}.", field="communes")
    return communes


def _fields(data: dict[str, Any]) -> tuple[dict[str, Any], Any, Any]:
    fundings = data.pop("fundings", None)
    impacts = data.pop("impacts", None)
    if "communes" in data:
        data["communes"] = _communes(data["communes"] or [])
    if "themes" in data:
        data["themes"] = themes_from_slugs(data["themes"] or [])
    if "partners" in data:
        ids = data["partners"] or []
        partners = list(Organisation.objects.filter(pk__in=ids, is_hidden=False))
        if len(partners) != len(set(ids)):
            raise TurbineError("Organisation partenaire inconnue.", field="partners")
        data["partners"] = partners
    if "holder_organisation" in data and data["holder_organisation"] is not None:
        holder = Organisation.objects.filter(pk=data["holder_organisation"]).first()
        if holder is None:
            raise TurbineError("Organisation porteuse inconnue.", field="holder_organisation")
        data["holder_organisation"] = holder
    for key in ("summary", "description", "know_how"):
        if key in data and data[key] is None:
            data[key] = ""
    return data, fundings, impacts


def _extensions(request: HttpRequest, fundings: list[dict[str, Any]] | None) -> Any:
    """Saves, in the project's transaction, the fields that upper apps own (``fundings``: the
    funding app's rows, ``core.form_extensions``); a field not sent stays as it is."""
    if fundings is None:
        return None
    return lambda saved: form_extensions.save_data(
        "project_edit", user=request.user, obj=saved, values={"fundings": fundings}
    )


@router.post(
    "/projects", response={201: ProjectDetailOut}, auth=token_auth, summary="Créer un projet"
)
def project_create(request: HttpRequest, payload: ProjectIn) -> Status:
    data, fundings, impacts = _fields(payload.dict())
    created = services.project_save(
        user=request.user,
        project=None,
        fields=data,
        impacts=impacts or [],
        extensions=_extensions(request, fundings or []),
    )
    return Status(201, selectors.get_project(user=request.user, project_id=created.pk))


@router.patch(
    "/projects/{project_id}",
    response=ProjectDetailOut,
    auth=token_auth,
    summary="Modifier un projet (porteurs)",
)
def project_update(request: HttpRequest, project_id: int, payload: ProjectPatch) -> Project:
    """Seuls les champs envoyés changent ; `fundings` et `impacts`, s'ils sont envoyés,
    remplacent les listes existantes."""
    existing = selectors.get_project(user=request.user, project_id=project_id)
    data, fundings, impacts = _fields(payload.dict(exclude_unset=True))
    services.project_save(
        user=request.user,
        project=existing,
        fields=data,
        impacts=impacts,
        extensions=_extensions(request, fundings),
    )
    return selectors.get_project(user=request.user, project_id=existing.pk)


class UpdateOut(Schema):
    id: int
    date: datetime.date
    text: str = Field(..., description="texte en Markdown")
    author: str = Field(..., description="nom public de l'auteur, ou « équipe » / « porteurs »")
    created_at: datetime.datetime

    @staticmethod
    def resolve_author(obj: ProjectUpdate) -> str:
        if obj.author is not None and obj.author.is_profile_public:
            return obj.author.public_name
        return "équipe" if obj.from_staff else "porteurs"


class UpdateIn(Schema):
    text: str = Field(..., min_length=1, max_length=10_000)
    date: datetime.date | None = None


def _visible_project(request: HttpRequest, project_id: int) -> Project:
    found = selectors.get_project(user=request.user, project_id=project_id)
    if not found.is_public and not request.user.is_authenticated:
        raise Http404("Projet introuvable")
    return found


@router.get(
    "/projects/{project_id}/updates",
    response=list[UpdateOut],
    summary="Nouvelles d'un projet, la plus récente d'abord",
)
@paginate(Pagination)
def project_updates(request: HttpRequest, project_id: int) -> QuerySet[ProjectUpdate]:
    return selectors.project_updates(project=_visible_project(request, project_id))


@router.post(
    "/projects/{project_id}/updates",
    response={201: UpdateOut},
    auth=token_auth,
    summary="Publier une nouvelle (porteurs et équipe)",
)
def project_update_post(request: HttpRequest, project_id: int, payload: UpdateIn) -> Status:
    project = selectors.get_project(user=request.user, project_id=project_id)
    update = services.project_post_update(
        user=request.user, project=project, text=payload.text, date=payload.date
    )
    return Status(201, update)
