"""API resources of the funding app, mounted under /api/v1/."""

import datetime
from decimal import Decimal
from typing import Any, Literal

from django import forms
from django.conf import settings
from django.db import transaction
from django.http import Http404, HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status

from turbine.core.api import Pagination, token_auth
from turbine.core.exceptions import PermissionDeniedError, TurbineError
from turbine.funding import selectors
from turbine.funding import selectors_management as manage_selectors
from turbine.funding.forms import AidManageForm, ApplicationForm
from turbine.funding.models import (
    Aid,
    AidSource,
    AidStatus,
    AidType,
    Beneficiary,
    Funder,
    ProjectApplication,
)
from turbine.funding.selectors import MAX_THEME_FILTERS, AidFilters
from turbine.funding.services import applications as application_services
from turbine.funding.services import management as management_services
from turbine.projects.selectors import get_project

router = Router(tags=["Financements"])


class AidFiltersIn(Schema):
    commune: str | None = Field(None, max_length=5, description="code INSEE d'une commune")
    beneficiary: str | None = Field(
        None, description="bénéficiaire : " + ", ".join(Beneficiary.values)
    )
    theme: list[str] = Field(
        default_factory=list,
        max_length=MAX_THEME_FILTERS,
        description=f"identifiant de thème (répétable, {MAX_THEME_FILTERS} fois au plus)",
    )
    type: str | None = Field(None, description="type d'aide : " + ", ".join(AidType.values))
    open: bool = Field(False, description="ouvertes aujourd'hui")
    closing_within: int | None = Field(None, ge=1, le=366, description="clôture sous N jours")
    call_for_projects: bool = Field(False, description="appels à projets et AMI seulement")
    funder: int | None = Field(None, ge=1, description="identifiant de financeur")
    q: str | None = Field(None, max_length=200, description="texte recherché")

    def to_filters(self) -> AidFilters:
        if self.beneficiary and self.beneficiary not in Beneficiary.values:
            raise TurbineError("Bénéficiaire inconnu.", field="beneficiary")
        if self.type and self.type not in AidType.values:
            raise TurbineError("Type d'aide inconnu.", field="type")
        return AidFilters(
            commune=(self.commune or "").strip().upper(),
            beneficiary=self.beneficiary or "",
            themes=tuple(dict.fromkeys(self.theme)),
            type=self.type or "",
            open=self.open,
            closing_within=self.closing_within,
            call_for_projects=self.call_for_projects,
            funder=self.funder,
            q=(self.q or "").strip(),
        )


class PerimeterOut(Schema):
    scale: str
    code: str
    name: str


class FunderRef(Schema):
    id: int
    name: str


class AidOut(Schema):
    id: int
    title: str
    short_description: str
    funders: list[FunderRef]
    types: list[str]
    beneficiaries: list[str]
    themes: list[str]
    is_call_for_projects: bool
    perimeters: list[PerimeterOut]
    start_date: datetime.date | None
    predeposit_date: datetime.date | None
    deadline: datetime.date | None
    recurrence: str
    subsidy_rate_min: int | None
    subsidy_rate_max: int | None
    status: str
    url: str
    origin_url: str
    application_url: str

    @staticmethod
    def resolve_funders(aid: Aid) -> list[Funder]:
        return list(aid.funders.all())

    @staticmethod
    def resolve_types(aid: Aid) -> list[str]:
        return aid.type_list

    @staticmethod
    def resolve_beneficiaries(aid: Aid) -> list[str]:
        return aid.beneficiary_list

    @staticmethod
    def resolve_themes(aid: Aid) -> list[str]:
        return [t.slug for t in aid.themes.all()]

    @staticmethod
    def resolve_perimeters(aid: Aid) -> list[dict]:
        return [{"scale": p.scale, "code": p.code, "name": p.name} for p in aid.perimeters.all()]

    @staticmethod
    def resolve_status(aid: Aid) -> str:
        return aid.effective_status

    @staticmethod
    def resolve_url(aid: Aid) -> str:
        return settings.SITE_URL + aid.get_absolute_url()


class FundedProjectOut(Schema):
    id: int
    title: str
    url: str
    amount: Decimal = Field(..., description="montant obtenu de cette aide (€)")
    communes: list[str] = Field(..., description="noms des communes du projet")


class AidDetailOut(AidOut):
    description: str
    eligibility: str
    amount_min: int | None
    amount_max: int | None
    amount_comment: str
    contact: str
    instructors: list[FunderRef]
    source: str
    projects: list[FundedProjectOut] = Field(
        default_factory=list,
        description="projets publics du territoire qui l'ont obtenue (les 30 premiers)",
    )
    project_count: int = 0

    @staticmethod
    def resolve_projects(aid: Aid) -> list[Any]:
        funded = getattr(aid, "funded_projects", None)
        return funded.items if funded is not None else []

    @staticmethod
    def resolve_project_count(aid: Aid) -> int:
        funded = getattr(aid, "funded_projects", None)
        return funded.count if funded is not None else 0

    @staticmethod
    def resolve_instructors(aid: Aid) -> list[Funder]:
        return list(aid.instructors.all())


class FunderOut(Schema):
    id: int
    name: str
    level: str
    website: str
    logo_url: str
    description: str
    live_aids: int = Field(..., alias="live_count")


@router.get("/aids", response=list[AidOut], summary="Aides et appels à projets")
@paginate(Pagination)
def aid_list(request: HttpRequest, filters: Query[AidFiltersIn]) -> selectors.AidResults:
    """Les aides publiées et non expirées, avec les mêmes filtres que la page `/aides/` ; triées
    par pertinence (avec `q`), périmètre le plus étroit, puis date limite la plus proche."""
    return selectors.aid_search(filters.to_filters())


@router.get("/aids/deadlines", response=list[AidOut], summary="Échéances des aides")
@paginate(Pagination)
def aid_deadlines(request: HttpRequest, filters: Query[AidFiltersIn]) -> selectors.AidResults:
    """Les aides en cours qui ont une date limite, la plus proche d'abord (mêmes filtres)."""
    return selectors.aid_search(filters.to_filters(), by_deadline=True)


@router.get("/aids/{aid_id}", response=AidDetailOut, summary="Une aide")
def aid_detail(request: HttpRequest, aid_id: int) -> Aid:
    """Une aide, avec les projets publics du territoire qui l'ont obtenue (`projects`, les 30
    qui en ont reçu le plus ; `project_count` en donne le nombre total)."""
    aid = selectors.get_aid_for_view(user=request.user, aid_id=aid_id)
    aid.funded_projects = selectors.projects_funded_by(aid=aid)  # type: ignore[attr-defined]
    return aid


class FunderAidOut(Schema):
    id: int
    title: str
    deadline: datetime.date | None


class FunderProjectOut(Schema):
    id: int
    title: str
    url: str
    amount: Decimal
    communes: list[str]


class FunderDetailOut(FunderOut):
    open_aids: list[FunderAidOut]
    open_aid_count: int
    past_aids: list[FunderAidOut]
    past_aid_count: int
    funded_projects: list[FunderProjectOut]
    funded_project_count: int


@router.get("/funders/{funder_id}", response=FunderDetailOut, summary="Un financeur")
def funder_detail(request: HttpRequest, funder_id: int) -> dict:
    """Un financeur, ses aides ouvertes et passées (50 au plus de chaque) et les projets publics
    du territoire qui déclarent une de ses aides (les 30 qui en ont reçu le plus)."""
    funder = selectors.get_funder(funder_id=funder_id)
    aids = selectors.funder_aids(funder=funder)
    funded = selectors.projects_funded_by_funder(funder=funder)
    return {
        "id": funder.pk,
        "name": funder.name,
        "level": funder.level,
        "website": funder.website,
        "logo_url": funder.logo_url,
        "description": funder.description,
        "live_count": funder.live_count,  # type: ignore[attr-defined]
        "open_aids": aids.open,
        "open_aid_count": aids.open_count,
        "past_aids": aids.past,
        "past_aid_count": aids.past_count,
        "funded_projects": [
            {
                "id": p.id,
                "title": p.title,
                "url": request.build_absolute_uri(p.url),
                "amount": p.amount,
                "communes": p.communes,
            }
            for p in funded.items
        ],
        "funded_project_count": funded.count,
    }


@router.get("/funders", response=list[FunderOut], summary="Financeurs")
@paginate(Pagination)
def funder_list(request: HttpRequest) -> list[Funder]:
    """Les financeurs, avec leur nombre d'aides en cours."""
    return selectors.funder_list()


# --- A funder's own aids, with a token --------------------------------------------------------


class FormInvalid(TurbineError):
    """A write refused by the same form as the web pages: 422, its errors field by field."""

    status_code = 422


def _form_invalid(form: forms.Form) -> FormInvalid:
    errors = [(name, " ".join(str(m) for m in messages)) for name, messages in form.errors.items()]
    summary = "; ".join(f"{name} : {text}" if name != "__all__" else text for name, text in errors)
    first = next((name for name, _ in errors if name != "__all__"), None)
    return FormInvalid(f"Requête invalide. {summary}", field=first)


ListOfSlugs = list[str] | None


class AidWriteIn(Schema):
    """An aid as its funder sends it: the fields of the management page (``AidManageForm``)."""

    funder: int | None = Field(
        None, ge=1, description="POST : le financeur dont vous êtes membre (obligatoire)"
    )
    status: Literal["brouillon", "publiee", "expiree"] | None = Field(
        None, description="`publiee` publie l'aide, `expiree` la clôture"
    )
    title: str | None = Field(None, max_length=300)
    short_description: str | None = Field(None, max_length=500)
    description: str | None = Field(None, max_length=50_000)
    is_call_for_projects: bool | None = None
    types: ListOfSlugs = Field(None, max_length=20, description=", ".join(AidType.values))
    beneficiaries: ListOfSlugs = Field(
        None, max_length=20, description=", ".join(Beneficiary.values)
    )
    themes: ListOfSlugs = Field(None, max_length=30, description="identifiants de thèmes")
    stages: ListOfSlugs = Field(None, max_length=5)
    expense_types: ListOfSlugs = Field(None, max_length=5)
    perimeters: ListOfSlugs = Field(
        None,
        max_length=30,
        description="« échelle:code » : eu:EU, country:FR, region:32, department:62, "
        "epci:246200364 (ceux du territoire)",
    )
    communes: ListOfSlugs = Field(None, max_length=200, description="codes INSEE")
    start_date: datetime.date | None = None
    predeposit_date: datetime.date | None = None
    deadline: datetime.date | None = None
    recurrence: str | None = Field(None, max_length=12)
    subsidy_rate_min: int | None = None
    subsidy_rate_max: int | None = None
    amount_min: int | None = None
    amount_max: int | None = None
    amount_comment: str | None = Field(None, max_length=500)
    eligibility: str | None = Field(None, max_length=50_000)
    origin_url: str | None = Field(None, max_length=500)
    application_url: str | None = Field(None, max_length=500)
    contact: str | None = Field(None, max_length=2000)


def _form_data(data: dict[str, Any]) -> dict[str, Any]:
    if "communes" in data:
        data["communes"] = ", ".join(data["communes"] or [])
    return {k: v for k, v in data.items() if k not in ("funder", "status")}


def _managed_detail(aid_id: int, request: HttpRequest) -> Aid:
    aid = (
        selectors._with_relations(Aid.objects.filter(pk=aid_id))
        .prefetch_related("instructors")
        .get()
    )
    aid.funded_projects = selectors.projects_funded_by(aid=aid)  # type: ignore[attr-defined]
    return aid


@router.post(
    "/aids",
    response={201: AidDetailOut},
    auth=token_auth,
    summary="Créer une aide (jeton, membres d'un financeur)",
)
def aid_create(request: HttpRequest, payload: AidWriteIn) -> Status:
    """Une aide du financeur `funder`, dont la personne du jeton est membre avec le rôle de
    partenaire financeur ; en brouillon, sauf `status: "publiee"`. Mêmes champs et mêmes
    contrôles que la page de gestion `/financeurs/<id>/gestion/`."""
    data = payload.dict(exclude_unset=True)
    funder = Funder.objects.select_related("organisation").filter(pk=data.get("funder")).first()
    if data.get("funder") is None:
        raise FormInvalid("Requête invalide. funder : indiquez le financeur.", field="funder")
    if funder is None:
        raise Http404("Financeur introuvable")
    if not request.user.has_perm("funding.manage_funder", funder):
        raise PermissionDeniedError("Seuls les membres de ce financeur créent ses aides.")
    if data.get("status") == AidStatus.EXPIRED:
        raise FormInvalid("Requête invalide. status : une nouvelle aide n'est pas clôturée.")
    form = AidManageForm(_form_data(data))
    if not form.is_valid():
        raise _form_invalid(form)
    aid = management_services.managed_aid_create(
        actor=request.user,
        funder_id=funder.pk,
        values=form.values(),
        publish=data.get("status") == AidStatus.PUBLISHED,
    )
    return Status(201, _managed_detail(aid.pk, request))


@router.patch(
    "/aids/{aid_id}",
    response=AidDetailOut,
    auth=token_auth,
    summary="Modifier une aide (jeton, membres de son financeur)",
)
def aid_update(request: HttpRequest, aid_id: int, payload: AidWriteIn) -> Aid:
    """Seuls les champs envoyés changent ; `status` publie (`publiee`) ou clôture (`expiree`).
    Les aides importées d'Aides-territoires ne se modifient pas ici."""
    aid = Aid.objects.filter(pk=aid_id).prefetch_related("themes", "perimeters").first()
    if aid is None:
        raise Http404("Aide introuvable")
    if not request.user.has_perm("funding.manage_aid", aid):
        if aid.status == AidStatus.DRAFT:
            raise Http404("Aide introuvable")
        raise PermissionDeniedError("Seuls les membres de son financeur modifient cette aide.")
    if aid.source == AidSource.AIDES_TERRITOIRES:
        raise PermissionDeniedError(management_services.IMPORTED_READ_ONLY)
    data = payload.dict(exclude_unset=True)
    status = data.get("status")
    if status == AidStatus.DRAFT and aid.status != AidStatus.DRAFT:
        raise FormInvalid(
            "Requête invalide. status : une aide publiée ne redevient pas un brouillon ; "
            "clôturez-la.",
            field="status",
        )
    fields = _form_data(data)
    with transaction.atomic():
        if fields:
            form = AidManageForm({**AidManageForm.initial_for(aid), **fields})
            if not form.is_valid():
                raise _form_invalid(form)
            management_services.managed_aid_update(
                actor=request.user, aid_id=aid.pk, values=form.values()
            )
        if status == AidStatus.PUBLISHED and not Aid.objects.get(pk=aid.pk).is_live:
            management_services.managed_aid_publish(actor=request.user, aid_id=aid.pk)
        elif status == AidStatus.EXPIRED:
            management_services.managed_aid_close(actor=request.user, aid_id=aid.pk)
    return _managed_detail(aid.pk, request)


# --- A project's applications -----------------------------------------------------------------


class ApplicationOut(Schema):
    id: int
    aid: FunderAidOut
    status: str
    amount_asked: Decimal | None
    amount_obtained: Decimal | None
    applied_on: datetime.date | None
    decided_on: datetime.date | None
    is_demo: bool


class ApplicationIn(Schema):
    aid: int = Field(..., ge=1, description="identifiant d'une aide publiée du catalogue")
    status: Literal["deposee", "obtenue", "refusee"]
    amount_asked: Decimal | None = Field(None, ge=0, le=10**12, decimal_places=2)
    amount_obtained: Decimal | None = Field(None, ge=0, le=10**12, decimal_places=2)
    applied_on: datetime.date | None = None
    decided_on: datetime.date | None = None


def _visible_project(request: HttpRequest, project_id: int) -> Any:
    project = get_project(user=request.user, project_id=project_id)
    if not project.is_public and not request.user.is_authenticated:
        raise Http404("Projet introuvable")
    return project


@router.get(
    "/projects/{project_id}/applications",
    response=list[ApplicationOut],
    summary="Les candidatures d'un projet aux aides",
)
def project_applications(request: HttpRequest, project_id: int) -> list[ProjectApplication]:
    """Les candidatures que les porteurs d'un projet public ont déclarées (déposée, obtenue,
    refusée), la plus récente d'abord."""
    project = _visible_project(request, project_id)
    return manage_selectors.project_applications(project=project)


@router.post(
    "/projects/{project_id}/applications",
    response={201: ApplicationOut},
    auth=token_auth,
    summary="Déclarer une candidature (jeton, porteurs du projet)",
)
def project_application_create(
    request: HttpRequest, project_id: int, payload: ApplicationIn
) -> Status:
    """Mêmes champs et mêmes contrôles que la page `/projets/<id>/candidatures/`."""
    project = get_project(user=request.user, project_id=project_id)
    if not request.user.has_perm("funding.record_applications", project):
        raise PermissionDeniedError(
            "Seules les personnes qui portent ce projet déclarent ses candidatures."
        )
    data = payload.dict()
    form = ApplicationForm({**data, "aid": str(data["aid"])})
    if not form.is_valid():
        raise _form_invalid(form)
    created = application_services.application_record(
        actor=request.user,
        project_id=project.pk,
        aid_id=form.cleaned_data["aid"].pk,
        values=form.cleaned_data,
    )
    return Status(201, ProjectApplication.objects.select_related("aid").get(pk=created.pk))
