"""Read queries of the directory, shared by pages, exports and the API."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.db.models import (
    Case,
    Count,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.http import Http404

from turbine.accounts.models import User
from turbine.core import badges, search
from turbine.core.models import Theme
from turbine.directory.matching import open_needs_offers
from turbine.directory.models import (
    Membership,
    MembershipStatus,
    NeedOffer,
    Network,
    Organisation,
    PersonProfile,
)
from turbine.territory.models import Commune

if TYPE_CHECKING:  # the map's filters: geo imports this module, for its layer
    from turbine.directory.geo import MapFilters

# Full-text search narrows a list to at most this many best-ranked matches.
SEARCH_LIMIT = 500

ORGANISATION_SORTS = {
    "nom": ("name", "id"),
    "recent": ("-created_at", "-id"),
    "commune": ("commune__name", "name", "id"),
}
PEOPLE_SORTS = {
    "nom": ("display_name", "id"),
    "recent": ("-date_joined", "-id"),
    "commune": ("commune__name", "display_name", "id"),
}


@dataclass(frozen=True)
class DirectoryFilters:
    """The filters of every directory list, named as in pages and API."""

    q: str = ""
    theme: str = ""
    commune: str = ""
    agglomeration: str = ""
    kind: str = ""
    family: str = ""
    network: str = ""
    sort: str = ""
    # Filters other apps offer (turbine.core.badges), by key: ("charte",).
    badges: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        # The default order, in one place for the page, the API and the map: by relevance
        # when words are searched, else nom.
        if not self.sort:
            object.__setattr__(self, "sort", "pertinence" if self.q else "nom")

    @property
    def active(self) -> bool:
        return any(
            (self.q, self.theme, self.commune, self.agglomeration, self.kind, self.family)
        ) or bool(self.network or self.badges)


def search_ids(*, kind: str, q: str) -> list[str] | None:
    """Object ids of the best matches of ``q`` among documents of ``kind`` (rank order), or
    None when there is no query."""
    q = q.strip()
    if not q:
        return None
    page = search.search(q, kinds=[kind], page=1, page_size=SEARCH_LIMIT)
    return [hit.object_id for hit in page.hits]


def _ranked(qs: QuerySet, ids: list[str]) -> QuerySet:
    ints = [int(i) for i in ids if i.isdigit()]
    if not ints:
        return qs.none().annotate(search_rank=Value(0, output_field=IntegerField()))
    return qs.filter(pk__in=ints).annotate(
        search_rank=Case(
            *[When(pk=pk, then=Value(n)) for n, pk in enumerate(ints)],
            output_field=IntegerField(),
        )
    )


def public_organisations() -> QuerySet[Organisation]:
    return Organisation.objects.filter(is_hidden=False)


def with_list_relations(qs: QuerySet[Organisation]) -> QuerySet[Organisation]:
    return qs.select_related("commune__agglomeration").prefetch_related(
        Prefetch("themes", queryset=Theme.objects.order_by("position", "name")),
        Prefetch("networks", queryset=Network.objects.order_by("name")),
    )


def filter_organisations(
    qs: QuerySet[Organisation], filters: DirectoryFilters | MapFilters
) -> QuerySet[Organisation]:
    """The directory's filters, applied the same way by its list, its API and the map."""
    if filters.theme:
        qs = qs.filter(themes__slug=filters.theme)
    if filters.commune:
        qs = qs.filter(commune__code=filters.commune)
    if filters.agglomeration:
        qs = qs.filter(commune__agglomeration__siren=filters.agglomeration)
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    if filters.family:
        qs = qs.filter(family=filters.family)
    if filters.network:
        qs = qs.filter(networks__slug=filters.network)
    if filters.badges:
        qs = badges.apply_filters("organisation", qs, filters.badges)
    return qs


def organisation_list(*, filters: DirectoryFilters) -> QuerySet[Organisation]:
    """Public organisations matching the filters, sorted, with what lists show."""
    qs = filter_organisations(public_organisations(), filters)
    ids = search_ids(kind="organisation", q=filters.q)
    if ids is not None:
        qs = _ranked(qs, ids)
        if filters.sort == "pertinence" or filters.sort not in ORGANISATION_SORTS:
            return with_list_relations(qs.order_by(F("search_rank")))
    order = ORGANISATION_SORTS.get(filters.sort, ORGANISATION_SORTS["nom"])
    return with_list_relations(qs.order_by(*order))


def _detail_queryset() -> QuerySet[Organisation]:
    return with_list_relations(Organisation.objects.all())


def get_organisation(*, user: User, organisation_id: int) -> Organisation:
    """A visible organisation: public, or hidden but seen by its members or staff."""
    organisation = _detail_queryset().filter(pk=organisation_id).first()
    if organisation is None:
        raise Http404("Organisation introuvable")
    if organisation.is_hidden and not user.has_perm("directory.view_members", organisation):
        raise Http404("Organisation introuvable")
    return organisation


def get_organisation_for_edit(*, user: User, organisation_id: int) -> Organisation:
    organisation = get_organisation(user=user, organisation_id=organisation_id)
    if not user.has_perm("directory.change_organisation", organisation):
        raise PermissionDenied("Vous ne pouvez pas modifier cette organisation.")
    return organisation


def organisation_members(*, organisation: Organisation) -> list[Membership]:
    return list(
        organisation.memberships.filter(status=MembershipStatus.ACTIVE)
        .select_related("user")
        .order_by("role", "user__display_name", "id")
    )


def organisation_pending_requests(*, organisation: Organisation) -> list[Membership]:
    return list(
        organisation.memberships.filter(status=MembershipStatus.PENDING)
        .select_related("user")
        .order_by("created_at", "id")
    )


def membership_of(*, user: User, organisation: Organisation) -> Membership | None:
    if not user.is_authenticated:
        return None
    return organisation.memberships.filter(user=user).first()


def organisations_of_user(*, user: User) -> QuerySet[Organisation]:
    return Organisation.objects.filter(
        memberships__user=user, memberships__status=MembershipStatus.ACTIVE
    ).order_by("name")


def admin_organisations_of_user(*, user: User) -> QuerySet[Organisation]:
    return organisations_of_user(user=user).filter(memberships__role="admin")


# --- People -----------------------------------------------------------------------------------


def public_people() -> QuerySet[User]:
    return User.objects.filter(is_profile_public=True, is_active=True)


def people_list(*, filters: DirectoryFilters) -> QuerySet[User]:
    qs = public_people()
    if filters.theme:
        qs = qs.filter(directory_profile__themes__slug=filters.theme)
    if filters.commune:
        qs = qs.filter(commune__code=filters.commune)
    if filters.agglomeration:
        qs = qs.filter(commune__agglomeration__siren=filters.agglomeration)
    if filters.network:
        qs = qs.filter(directory_profile__networks__slug=filters.network)
    ids = search_ids(kind="personne", q=filters.q)
    if ids is not None:
        qs = _ranked(qs, ids)
        if filters.sort not in PEOPLE_SORTS:
            return _people_relations(qs.order_by(F("search_rank")))
    order = PEOPLE_SORTS.get(filters.sort, PEOPLE_SORTS["nom"])
    return _people_relations(qs.order_by(*order))


def _people_relations(qs: QuerySet[User]) -> QuerySet[User]:
    return qs.select_related("commune__agglomeration", "directory_profile").prefetch_related(
        Prefetch("directory_profile__themes", queryset=Theme.objects.order_by("position")),
        Prefetch("directory_profile__networks", queryset=Network.objects.order_by("name")),
    )


def get_person(*, person_id: int) -> User:
    person = _people_relations(public_people()).filter(pk=person_id).first()
    if person is None:
        raise Http404("Profil introuvable")
    return person


def person_organisations(*, person: User) -> list[Organisation]:
    return list(
        public_organisations()
        .filter(memberships__user=person, memberships__status=MembershipStatus.ACTIVE)
        .order_by("name")
    )


def profile_of(user: User) -> PersonProfile | None:
    return PersonProfile.objects.filter(user=user).prefetch_related("themes", "networks").first()


# --- Networks ---------------------------------------------------------------------------------


def network_list(*, q: str = "") -> QuerySet[Network]:
    # Two correlated counts rather than one COUNT(DISTINCT) over both joins, whose cross
    # product grows as organisations times people.
    organisations = (
        Organisation.networks.through.objects.filter(
            network=OuterRef("pk"), organisation__is_hidden=False
        )
        .values("network")
        .annotate(n=Count("id"))
        .values("n")  # type: ignore[misc]  # django-stubs misses annotations on a through model
    )
    people = (
        PersonProfile.networks.through.objects.filter(
            network=OuterRef("pk"),
            personprofile__user__is_profile_public=True,
            personprofile__user__is_active=True,
        )
        .values("network")
        .annotate(n=Count("id"))
        .values("n")  # type: ignore[misc]  # django-stubs misses annotations on a through model
    )
    qs = Network.objects.annotate(
        organisation_count=Coalesce(Subquery(organisations, output_field=IntegerField()), 0),
        people_count=Coalesce(Subquery(people, output_field=IntegerField()), 0),
    )
    ids = search_ids(kind="reseau", q=q)
    if ids is not None:
        return _ranked(qs, ids).order_by(F("search_rank"))
    return qs.order_by("name")


def get_network(*, slug: str) -> Network:
    network = network_list().filter(slug=slug).first()
    if network is None:
        raise Http404("Réseau introuvable")
    return network


def network_people(*, network: Network) -> QuerySet[User]:
    return _people_relations(public_people().filter(directory_profile__networks=network)).order_by(
        "display_name", "id"
    )


# --- Needs and offers -------------------------------------------------------------------------


@dataclass(frozen=True)
class NeedOfferFilters:
    q: str = ""
    theme: str = ""
    commune: str = ""
    agglomeration: str = ""
    kind: str = ""
    direction: str = ""
    sort: str = ""

    def __post_init__(self) -> None:
        # The default order, in one place for the page, the API and the map: by relevance
        # when words are searched, else recent.
        if not self.sort:
            object.__setattr__(self, "sort", "pertinence" if self.q else "recent")


def needoffer_list(*, filters: NeedOfferFilters) -> QuerySet[NeedOffer]:
    qs = open_needs_offers()
    if filters.theme:
        qs = qs.filter(themes__slug=filters.theme)
    if filters.commune:
        qs = qs.filter(communes__code=filters.commune)
    if filters.agglomeration:
        qs = qs.filter(communes__agglomeration__siren=filters.agglomeration).distinct()
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    if filters.direction:
        qs = qs.filter(direction=filters.direction)
    ids = search_ids(kind="besoin-offre", q=filters.q)
    if ids is not None:
        qs = _ranked(qs, ids)
        if filters.sort == "pertinence":
            return _needoffer_relations(qs.order_by(F("search_rank")))
    order = {
        "recent": ("-created_at", "-id"),
        "expiration": ("expires_on", "id"),
        "titre": ("title", "id"),
    }.get(filters.sort, ("-created_at", "-id"))
    return _needoffer_relations(qs.order_by(*order))


def _needoffer_relations(qs: QuerySet[NeedOffer]) -> QuerySet[NeedOffer]:
    return qs.select_related("organisation", "author").prefetch_related(
        Prefetch("themes", queryset=Theme.objects.order_by("position")),
        Prefetch("communes", queryset=Commune.objects.order_by("name").only("code", "name")),
    )


def get_needoffer(*, user: User, needoffer_id: int) -> NeedOffer:
    item = (
        _needoffer_relations(NeedOffer.objects.all())
        .select_related("organisation__commune__agglomeration")
        .prefetch_related("organisation__networks", "communes__agglomeration")
        .filter(pk=needoffer_id)
        .first()
    )
    if item is None:
        raise Http404("Annonce introuvable")
    if item.is_hidden and not user.has_perm("directory.change_needoffer", item):
        raise Http404("Annonce introuvable")
    return item


def get_needoffer_for_edit(*, user: User, needoffer_id: int) -> NeedOffer:
    item = get_needoffer(user=user, needoffer_id=needoffer_id)
    if not user.has_perm("directory.change_needoffer", item):
        raise PermissionDenied("Vous ne pouvez pas modifier cette annonce.")
    return item


def needs_offers_of_user(*, user: User) -> QuerySet[NeedOffer]:
    return _needoffer_relations(NeedOffer.objects.filter(author=user)).order_by(
        "-created_at", "-id"
    )


def organisations_in_place(*, communes: QuerySet[Commune]) -> QuerySet[Organisation]:
    """Public organisations whose address is in one of these communes."""
    return public_organisations().filter(commune__in=communes)
