"""API resources of the directory app, mounted under /api/v1/."""

import json
from collections.abc import Mapping
from datetime import date
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status

from turbine.accounts.models import User
from turbine.core import form_extensions
from turbine.core.api import Pagination, token_auth
from turbine.core.exceptions import TurbineError
from turbine.core.models import Theme
from turbine.directory import geo, introductions, matching, selectors, services
from turbine.directory.models import NeedOffer, Network, Organisation
from turbine.territory.models import Commune
from turbine.territory.selectors import commune_list, get_current_territory

router = Router(tags=["Annuaire"])


def absolute(context: Any, path: str) -> str:
    request = (context or {}).get("request")
    return request.build_absolute_uri(path) if request is not None else path


class DirectoryFilterIn(Schema):
    q: str | None = Field(None, max_length=200, description="texte recherché")
    theme: str | None = Field(None, max_length=60, description="identifiant de thème")
    commune: str | None = Field(None, max_length=5, description="code INSEE de la commune")
    agglomeration: str | None = Field(None, max_length=9, description="SIREN de l'agglomération")
    kind: str | None = Field(None, max_length=30, description="type d'organisation")
    family: str | None = Field(None, max_length=20, description="famille : font, aident, diffusent")
    network: str | None = Field(None, max_length=100, description="identifiant de réseau")
    sort: str | None = Field(None, max_length=20, description="nom, recent, commune, pertinence")

    def filters(self) -> selectors.DirectoryFilters:
        return selectors.DirectoryFilters(
            q=self.q or "",
            theme=self.theme or "",
            commune=self.commune or "",
            agglomeration=self.agglomeration or "",
            kind=self.kind or "",
            family=self.family or "",
            network=self.network or "",
            sort=self.sort or "",
        )


class OrganisationOut(Schema):
    id: int
    name: str
    kind: str
    family: str
    commune: str | None
    agglomeration: str | None
    themes: list[str]
    networks: list[str]
    latitude: float | None
    longitude: float | None
    url: str
    website: str
    siren: str
    rna: str
    address: str
    description: str
    contact_email: str | None
    contact_phone: str | None
    logo: str | None
    is_demo: bool

    @staticmethod
    def resolve_logo(obj: Organisation, context: Any) -> str | None:
        return absolute(context, obj.logo.url) if obj.logo else None

    @staticmethod
    def resolve_commune(obj: Organisation) -> str | None:
        return obj.commune.code if obj.commune else None

    @staticmethod
    def resolve_agglomeration(obj: Organisation) -> str | None:
        if obj.commune and obj.commune.agglomeration:
            return obj.commune.agglomeration.siren
        return None

    @staticmethod
    def resolve_themes(obj: Organisation) -> list[str]:
        return [t.slug for t in obj.themes.all()]

    @staticmethod
    def resolve_networks(obj: Organisation) -> list[str]:
        return [n.slug for n in obj.networks.all()]

    @staticmethod
    def resolve_url(obj: Organisation, context: Any) -> str:
        return absolute(context, obj.get_absolute_url())

    @staticmethod
    def resolve_contact_email(obj: Organisation) -> str | None:
        return obj.contact_email if obj.contact_public else None

    @staticmethod
    def resolve_contact_phone(obj: Organisation) -> str | None:
        return obj.contact_phone if obj.contact_public else None


class CharterAdherenceIn(Schema):
    version: int = Field(..., ge=1, le=100_000, description="numéro de la version en vigueur")
    accepted: bool = Field(..., description="la structure adhère à la charte (doit être vrai)")
    signer_name: str = Field(..., min_length=1, max_length=120, description="nom du signataire")
    signer_role: str = Field(..., min_length=1, max_length=120, description="sa fonction")


class OrganisationIn(Schema):
    name: str = Field(..., min_length=1, max_length=200)
    kind: str = Field(..., max_length=30)
    family: str = Field(..., max_length=20)
    siren: str = Field("", max_length=11)
    rna: str = Field("", max_length=10)
    address: str = Field("", max_length=300)
    commune: str | None = Field(None, max_length=5, description="code INSEE")
    latitude: float | None = Field(None, ge=-90, le=90)
    longitude: float | None = Field(None, ge=-180, le=180)
    themes: list[str] = Field(default_factory=list, description="identifiants de thèmes")
    networks: list[str] = Field(default_factory=list, description="identifiants de réseaux")
    website: str = Field("", max_length=200)
    description: str = Field("", max_length=20_000)
    contact_email: str = Field("", max_length=254)
    contact_phone: str = Field("", max_length=30)
    contact_public: bool = False
    charter: CharterAdherenceIn | None = Field(
        None,
        description="adhésion à la charte de la Turbine en vigueur, signée avec la création "
        "(sur le site, elle est demandée ; ici facultative, la fiche peut signer ensuite "
        "sur /charte/)",
    )


class OrganisationPatch(Schema):
    name: str | None = Field(None, min_length=1, max_length=200)
    kind: str | None = Field(None, max_length=30)
    family: str | None = Field(None, max_length=20)
    siren: str | None = Field(None, max_length=11)
    rna: str | None = Field(None, max_length=10)
    address: str | None = Field(None, max_length=300)
    commune: str | None = Field(None, max_length=5)
    latitude: float | None = Field(None, ge=-90, le=90)
    longitude: float | None = Field(None, ge=-180, le=180)
    themes: list[str] | None = None
    networks: list[str] | None = None
    website: str | None = Field(None, max_length=200)
    description: str | None = Field(None, max_length=20_000)
    contact_email: str | None = Field(None, max_length=254)
    contact_phone: str | None = Field(None, max_length=30)
    contact_public: bool | None = None


def themes_from_slugs(slugs: list[str]) -> list[Theme]:
    themes = list(Theme.objects.filter(slug__in=slugs))
    unknown = set(slugs) - {t.slug for t in themes}
    if unknown:
        raise TurbineError(f"Thème inconnu : {', '.join(sorted(unknown))}.", field="themes")
    return themes


def networks_from_slugs(slugs: list[str]) -> list[Network]:
    networks = list(Network.objects.filter(slug__in=slugs))
    unknown = set(slugs) - {n.slug for n in networks}
    if unknown:
        raise TurbineError(f"Réseau inconnu : {', '.join(sorted(unknown))}.", field="networks")
    return networks


def commune_from_code(code: str | None) -> Commune | None:
    if not code:
        return None
    commune = commune_list(territory=get_current_territory()).filter(code=code).first()
    if commune is None:
        raise TurbineError(f"Commune inconnue sur le territoire : {code}.", field="commune")
    return commune


def _organisation_fields(data: dict[str, Any]) -> dict[str, Any]:
    if "themes" in data:
        data["themes"] = themes_from_slugs(data["themes"] or [])
    if "networks" in data:
        data["networks"] = networks_from_slugs(data["networks"] or [])
    if "commune" in data:
        data["commune"] = commune_from_code(data["commune"])
    for key in ("siren", "rna", "address", "website", "description", "contact_email"):
        if key in data and data[key] is None:
            data[key] = ""
    return data


@router.get("/organisations", response=list[OrganisationOut], summary="Organisations du territoire")
@paginate(Pagination)
def organisations(
    request: HttpRequest, filters: Query[DirectoryFilterIn]
) -> QuerySet[Organisation]:
    """Filtres : `q` (recherche plein texte), `theme`, `commune` (INSEE), `agglomeration`
    (SIREN), `kind`, `family`, `network` ; tri `sort`. Le contact n'apparaît que si
    l'organisation a choisi de le rendre public."""
    return selectors.organisation_list(filters=filters.filters())


@router.get(
    "/organisations/{organisation_id}", response=OrganisationOut, summary="Une organisation"
)
def organisation(request: HttpRequest, organisation_id: int) -> Organisation:
    org = selectors.get_organisation(user=request.user, organisation_id=organisation_id)
    if org.is_hidden:
        # Hidden organisations stay readable in the web UI by their members, not in open data.
        raise Http404("Organisation introuvable")
    return org


@router.post(
    "/organisations",
    response={201: OrganisationOut},
    auth=token_auth,
    summary="Créer une organisation (jeton)",
)
def organisation_create(request: HttpRequest, payload: OrganisationIn) -> Status:
    """La personne titulaire du jeton devient administratrice de la fiche. Avec `charter`,
    l'adhésion à la charte est signée en même temps : si elle est refusée, rien n'est créé."""
    data = payload.dict()
    charter = data.pop("charter", None)
    data = _organisation_fields(data)
    with transaction.atomic():
        org = services.organisation_create(user=request.user, **data)
        if charter is not None:
            # Owned by the label app (core.form_extensions, its extension « charte »): saved
            # in this transaction.
            form_extensions.save_data(
                "organisation_create", user=request.user, obj=org, values={"charte": charter}
            )
    services.organisation_locate(user=request.user, organisation=org)
    return Status(201, selectors.get_organisation(user=request.user, organisation_id=org.pk))


@router.patch(
    "/organisations/{organisation_id}",
    response=OrganisationOut,
    auth=token_auth,
    summary="Modifier une organisation (jeton, administrateurs)",
)
def organisation_update(
    request: HttpRequest, organisation_id: int, payload: OrganisationPatch
) -> Organisation:
    """Seuls les champs envoyés changent."""
    org = selectors.get_organisation(user=request.user, organisation_id=organisation_id)
    data = _organisation_fields(payload.dict(exclude_unset=True))
    updated = services.organisation_update(user=request.user, organisation=org, **data)
    services.organisation_locate(user=request.user, organisation=updated)
    return selectors.get_organisation(user=request.user, organisation_id=org.pk)


class PersonOut(Schema):
    id: int
    name: str
    commune: str | None
    bio: str
    know_how: str
    can_help_with: str
    themes: list[str]
    networks: list[str]
    url: str
    is_demo: bool

    @staticmethod
    def resolve_name(obj: User) -> str:
        return str(obj.public_name)

    @staticmethod
    def resolve_commune(obj: User) -> str | None:
        return obj.commune.code if obj.commune else None

    @staticmethod
    def resolve_know_how(obj: User) -> str:
        profile = getattr(obj, "directory_profile", None)
        return profile.know_how if profile else ""

    @staticmethod
    def resolve_can_help_with(obj: User) -> str:
        profile = getattr(obj, "directory_profile", None)
        return profile.can_help_with if profile else ""

    @staticmethod
    def resolve_themes(obj: User) -> list[str]:
        profile = getattr(obj, "directory_profile", None)
        return [t.slug for t in profile.themes.all()] if profile else []

    @staticmethod
    def resolve_networks(obj: User) -> list[str]:
        profile = getattr(obj, "directory_profile", None)
        return [n.slug for n in profile.networks.all()] if profile else []

    @staticmethod
    def resolve_url(obj: User, context: Any) -> str:
        return absolute(context, reverse("directory:person_detail", args=[obj.pk]))


class PeopleFilterIn(Schema):
    q: str | None = Field(None, max_length=200)
    theme: str | None = Field(None, max_length=60)
    commune: str | None = Field(None, max_length=5)
    agglomeration: str | None = Field(None, max_length=9)
    network: str | None = Field(None, max_length=100)
    sort: str | None = Field(None, max_length=20)


@router.get("/people", response=list[PersonOut], summary="Personnes au profil public")
@paginate(Pagination)
def people(request: HttpRequest, filters: Query[PeopleFilterIn]) -> QuerySet[User]:
    """Seules les personnes qui ont choisi un profil public ; jamais d'adresse électronique."""
    return selectors.people_list(
        filters=selectors.DirectoryFilters(
            q=filters.q or "",
            theme=filters.theme or "",
            commune=filters.commune or "",
            agglomeration=filters.agglomeration or "",
            network=filters.network or "",
            sort=filters.sort or "",
        )
    )


@router.get("/people/{person_id}", response=PersonOut, summary="Une personne au profil public")
def person(request: HttpRequest, person_id: int) -> User:
    return selectors.get_person(person_id=person_id)


class NetworkOut(Schema):
    slug: str
    name: str
    description: str
    website: str
    organisation_count: int
    people_count: int
    url: str
    is_demo: bool

    @staticmethod
    def resolve_url(obj: Network, context: Any) -> str:
        return absolute(context, obj.get_absolute_url())


class NetworkFilterIn(Schema):
    q: str | None = Field(None, max_length=200)


@router.get("/networks", response=list[NetworkOut], summary="Réseaux du territoire")
@paginate(Pagination)
def networks(request: HttpRequest, filters: Query[NetworkFilterIn]) -> QuerySet[Network]:
    return selectors.network_list(q=filters.q or "")


@router.get("/networks/{slug}", response=NetworkOut, summary="Un réseau")
def network(request: HttpRequest, slug: str) -> Network:
    return selectors.get_network(slug=slug)


# --- Needs and offers -------------------------------------------------------------------------


class NeedOfferOut(Schema):
    id: int
    direction: str
    kind: str
    title: str
    description: str
    organisation: int | None = Field(None, alias="organisation_id")
    themes: list[str]
    communes: list[str]
    expires_on: date
    url: str
    is_demo: bool

    @staticmethod
    def resolve_themes(obj: NeedOffer) -> list[str]:
        return [t.slug for t in obj.themes.all()]

    @staticmethod
    def resolve_communes(obj: NeedOffer) -> list[str]:
        return [c.code for c in obj.communes.all()]

    @staticmethod
    def resolve_url(obj: NeedOffer, context: Any) -> str:
        return absolute(context, obj.get_absolute_url())


class NeedOfferFilterIn(Schema):
    q: str | None = Field(None, max_length=200)
    theme: str | None = Field(None, max_length=60)
    commune: str | None = Field(None, max_length=5)
    agglomeration: str | None = Field(None, max_length=9)
    kind: str | None = Field(None, max_length=20, description="nature : competence, lieu…")
    direction: str | None = Field(None, max_length=10, description="besoin ou offre")
    sort: str | None = Field(None, max_length=20, description="recent, expiration, titre")


@router.get("/needs-offers", response=list[NeedOfferOut], summary="Besoins et offres ouverts")
@paginate(Pagination)
def needs_offers(request: HttpRequest, filters: Query[NeedOfferFilterIn]) -> QuerySet[NeedOffer]:
    return selectors.needoffer_list(
        filters=selectors.NeedOfferFilters(
            q=filters.q or "",
            theme=filters.theme or "",
            commune=filters.commune or "",
            agglomeration=filters.agglomeration or "",
            kind=filters.kind or "",
            direction=filters.direction or "",
            sort=filters.sort or "",
        )
    )


@router.get("/needs-offers/{item_id}", response=NeedOfferOut, summary="Un besoin ou une offre")
def needoffer(request: HttpRequest, item_id: int) -> NeedOffer:
    item = selectors.get_needoffer(user=request.user, needoffer_id=item_id)
    if item.is_hidden:
        raise Http404("Annonce introuvable")
    return item


class SuggestionOut(Schema):
    kind: str
    id: str = Field(..., alias="object_id")
    title: str
    url: str
    score: int
    reasons: list[str]


@router.get(
    "/needs-offers/{item_id}/suggestions",
    response=list[SuggestionOut],
    summary="Rapprochements suggérés, avec leurs raisons",
)
def needoffer_suggestions(request: HttpRequest, item_id: int) -> list[Any]:
    item = selectors.get_needoffer(user=request.user, needoffer_id=item_id)
    if item.is_hidden:
        raise Http404("Annonce introuvable")
    return matching.suggestions_for_needoffer(item)


class NeedOfferIn(Schema):
    direction: str = Field(..., max_length=10)
    kind: str = Field(..., max_length=20)
    title: str = Field(..., min_length=1, max_length=200)
    description: str = Field("", max_length=5000)
    organisation: int | None = None
    themes: list[str] = Field(default_factory=list)
    communes: list[str] = Field(default_factory=list)
    expires_on: date


def _needoffer_fields(data: dict[str, Any]) -> dict[str, Any]:
    if "themes" in data:
        data["themes"] = themes_from_slugs(data["themes"] or [])
    if "communes" in data:
        codes = data["communes"] or []
        communes = list(commune_list(territory=get_current_territory()).filter(code__in=codes))
        if len(communes) != len(set(codes)):
            raise TurbineError("Commune inconnue sur le territoire.", field="communes")
        data["communes"] = communes
    if data.get("organisation") is not None:
        org = Organisation.objects.filter(pk=data["organisation"]).first()
        if org is None:
            raise TurbineError("Organisation inconnue.", field="organisation")
        data["organisation"] = org
    return data


@router.post(
    "/needs-offers",
    response={201: NeedOfferOut},
    auth=token_auth,
    summary="Publier un besoin ou une offre (jeton)",
)
def needoffer_create(request: HttpRequest, payload: NeedOfferIn) -> Status:
    item = services.needoffer_create(user=request.user, **_needoffer_fields(payload.dict()))
    return Status(201, selectors.get_needoffer(user=request.user, needoffer_id=item.pk))


class IntroductionCountsOut(Schema):
    asked: int
    accepted: int
    declined: int


@router.get(
    "/introductions/counts",
    response=IntroductionCountsOut,
    summary="Mises en relation demandées, acceptées et déclinées",
)
def introduction_counts(request: HttpRequest) -> dict[str, int]:
    return introductions.introduction_counts()


# --- Map --------------------------------------------------------------------------------------


class MapFilterIn(Schema):
    bbox: str | None = Field(
        None, max_length=100, description="ouest,sud,est,nord en degrés (WGS 84)"
    )
    type: str | None = Field(None, max_length=20, description="organisation ou projet")
    theme: str | None = Field(None, max_length=60)
    kind: str | None = Field(None, max_length=30, description="type d'organisation")
    family: str | None = Field(None, max_length=20)
    commune: str | None = Field(None, max_length=5)
    agglomeration: str | None = Field(None, max_length=9)
    scale: int | None = Field(None, ge=1, le=3)
    stage: str | None = Field(None, max_length=20)
    network: str | None = Field(None, max_length=100)
    limit: int = Field(geo.MAX_FEATURES, ge=1, le=geo.MAX_FEATURES)


def map_filters(params: MapFilterIn, query: Mapping[str, Any] | None = None) -> geo.MapFilters:
    try:
        bbox = geo.parse_bbox(params.bbox)
    except ValueError:
        raise TurbineError(
            "bbox doit valoir ouest,sud,est,nord en degrés, par exemple 2.3,50.3,3.2,50.7.",
            field="bbox",
        ) from None
    return geo.MapFilters(
        theme=params.theme or "",
        kind=params.kind or "",
        family=params.family or "",
        commune=params.commune or "",
        agglomeration=params.agglomeration or "",
        scale=params.scale,
        stage=params.stage or "",
        network=params.network or "",
        bbox=bbox,
        # The filters other apps offer (``?label=on``), read from the query string: their
        # names are theirs, not this schema's.
        badges=geo.badge_filter_keys(query or {}),
    )


@router.get("/map.geojson", summary="Carte : organisations et projets localisés (GeoJSON)")
def map_geojson(request: HttpRequest, params: Query[MapFilterIn]) -> HttpResponse:
    """Une FeatureCollection (RFC 7946) des contenus publics localisés ; `truncated` vaut true
    quand la limite (`limit`, 5 000 au plus) a coupé la liste : zoomez (`bbox`) ou filtrez."""
    filters = map_filters(params, request.GET)
    layer_keys = None
    if params.type:
        if params.type not in {layer.key for layer in geo.layers()}:
            raise TurbineError("type doit valoir organisation ou projet.", field="type")
        layer_keys = [params.type]
    items, truncated = geo.features(filters=filters, layer_keys=layer_keys, limit=params.limit)
    return HttpResponse(
        json.dumps(geo.feature_collection(items, truncated=truncated), ensure_ascii=False),
        content_type="application/geo+json",
    )
