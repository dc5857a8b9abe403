"""What the directory puts in the search index: organisations, public people and networks."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from django.db.models import Prefetch, QuerySet
from django.urls import reverse

from turbine.accounts.models import User
from turbine.core import search
from turbine.core.models import Theme
from turbine.directory.models import NeedOffer, Network, Organisation

ORGANISATION = "organisation"
PERSON = "personne"
NETWORK = "reseau"


def _organisation_qs() -> QuerySet[Organisation]:
    return (
        Organisation.objects.filter(is_hidden=False)
        .select_related("commune")
        .prefetch_related(
            Prefetch("themes", queryset=Theme.objects.only("slug", "name")), "networks"
        )
        .order_by("id")
    )


def _organisation_document(org: Organisation) -> search.Document:
    themes = list(org.themes.all())
    parts = [org.get_kind_display(), org.get_family_display()]
    if org.commune:
        parts.append(org.commune.name)
    parts += [t.name for t in themes]
    parts += [n.name for n in org.networks.all()]
    return search.Document(
        kind=ORGANISATION,
        object_id=str(org.pk),
        title=org.name,
        body=". ".join(parts) + ". " + org.description,
        url=reverse("directory:organisation_detail", args=[org.pk]),
        themes=[t.slug for t in themes],
        communes=[org.commune.code] if org.commune else [],
    )


def organisation_documents() -> Iterator[search.Document]:
    for org in _organisation_qs().iterator(chunk_size=1000):
        yield _organisation_document(org)


def index_organisations(ids: Iterable[int]) -> None:
    ids = list(ids)
    docs = [_organisation_document(o) for o in _organisation_qs().filter(pk__in=ids)]
    search.index(docs)
    indexed = {int(d.object_id) for d in docs}
    search.unindex(kind=ORGANISATION, object_ids=[i for i in ids if i not in indexed])


def _people_qs() -> QuerySet[User]:
    return (
        User.objects.filter(is_profile_public=True, is_active=True)
        .select_related("commune", "directory_profile")
        .prefetch_related("directory_profile__themes")
        .order_by("id")
    )


def _person_document(user: User) -> search.Document:
    profile = getattr(user, "directory_profile", None)
    themes = list(profile.themes.all()) if profile else []
    body = [user.bio]
    if profile:
        body += [profile.know_how, profile.can_help_with]
    body += [t.name for t in themes]
    if user.commune:
        body.append(user.commune.name)
    return search.Document(
        kind=PERSON,
        object_id=str(user.pk),
        title=user.display_name or str(user.public_name),
        body=". ".join(b for b in body if b),
        url=reverse("directory:person_detail", args=[user.pk]),
        themes=[t.slug for t in themes],
        communes=[user.commune.code] if user.commune else [],
    )


def person_documents() -> Iterator[search.Document]:
    for user in _people_qs().iterator(chunk_size=1000):
        yield _person_document(user)


def index_person(user_id: int) -> None:
    user = _people_qs().filter(pk=user_id).first()
    if user is None:
        search.unindex(kind=PERSON, object_ids=[str(user_id)])
    else:
        search.index([_person_document(user)])


def _network_document(network: Network) -> search.Document:
    return search.Document(
        kind=NETWORK,
        object_id=str(network.pk),
        title=network.name,
        body=network.description,
        url=reverse("directory:network_detail", args=[network.slug]),
    )


def network_documents() -> Iterator[search.Document]:
    for network in Network.objects.order_by("id"):
        yield _network_document(network)


def index_networks(ids: Iterable[int]) -> None:
    search.index(_network_document(n) for n in Network.objects.filter(pk__in=list(ids)))


search.register(kind=ORGANISATION, label="Organisations", documents=organisation_documents)
search.register(kind=PERSON, label="Personnes", documents=person_documents)
search.register(kind=NETWORK, label="Réseaux", documents=network_documents)


NEEDOFFER = "besoin-offre"


def _needoffer_qs() -> QuerySet:

    return (
        NeedOffer.objects.open()
        .select_related("organisation")
        .prefetch_related("themes", "communes")
        .order_by("id")
    )


def _needoffer_document(item) -> search.Document:
    themes = list(item.themes.all())
    communes = list(item.communes.all())
    body = [item.get_direction_display(), item.get_kind_display(), item.description]
    if item.organisation:
        body.append(item.organisation.name)
    body += [c.name for c in communes] + [t.name for t in themes]
    return search.Document(
        kind=NEEDOFFER,
        object_id=str(item.pk),
        title=item.title,
        body=". ".join(b for b in body if b),
        url=reverse("directory:needoffer_detail", args=[item.pk]),
        themes=[t.slug for t in themes],
        communes=[c.code for c in communes],
    )


def needoffer_documents() -> Iterator[search.Document]:
    for item in _needoffer_qs().iterator(chunk_size=1000):
        yield _needoffer_document(item)


def index_needs_offers(ids: Iterable[int]) -> None:
    ids = list(ids)
    docs = [_needoffer_document(i) for i in _needoffer_qs().filter(pk__in=ids)]
    search.index(docs)
    indexed = {int(d.object_id) for d in docs}
    search.unindex(kind=NEEDOFFER, object_ids=[i for i in ids if i not in indexed])


search.register(kind=NEEDOFFER, label="Besoins et offres", documents=needoffer_documents)
