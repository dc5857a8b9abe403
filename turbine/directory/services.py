"""Writes of the directory: organisations, memberships, people's profiles, reports.

Every function checks the permission of the person acting (the HTML views and the API call the
same function), runs in one transaction and raises ``DirectoryError`` with a French message.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from turbine.accounts.models import User
from turbine.core import images
from turbine.core.exceptions import NotFoundError, PermissionDeniedError, TurbineError
from turbine.core.models import Theme
from turbine.directory import geocoding, search_indexes
from turbine.directory.models import (
    MemberRole,
    Membership,
    MembershipStatus,
    NeedOffer,
    Network,
    Organisation,
    PersonProfile,
)
from turbine.territory.models import Commune


class DirectoryError(TurbineError):
    pass


ORGANISATION_FIELDS = (
    "name",
    "kind",
    "family",
    "siren",
    "rna",
    "address",
    "commune",
    "latitude",
    "longitude",
    "website",
    "description",
    "contact_email",
    "contact_phone",
    "contact_public",
)


def _require(user: User, perm: str, obj: Any = None, message: str = "") -> None:
    if not user.has_perm(perm, obj):
        raise PermissionDeniedError(message or "Vous n'avez pas le droit de faire cela.")


def _raise_validation(error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        field, errors = next(iter(error.error_dict.items()))
        raise DirectoryError(str(errors[0].messages[0]), field=field) from None
    raise DirectoryError(error.messages[0]) from None


def _clean_fields(fields: dict[str, Any]) -> dict[str, Any]:
    unknown = set(fields) - set(ORGANISATION_FIELDS)
    if unknown:
        raise DirectoryError(f"Champ inconnu : {', '.join(sorted(unknown))}.")
    cleaned = dict(fields)
    for key in ("name", "siren", "rna", "address", "website", "contact_email", "contact_phone"):
        if key in cleaned and cleaned[key] is not None:
            cleaned[key] = str(cleaned[key]).strip()
    for key in ("siren", "rna"):
        if key in cleaned and cleaned[key] is not None:
            cleaned[key] = cleaned[key].replace(" ", "").upper()
    if (cleaned.get("latitude") is None) != (cleaned.get("longitude") is None) and (
        "latitude" in cleaned or "longitude" in cleaned
    ):
        raise DirectoryError(
            "Indiquez la latitude et la longitude, ou aucune des deux.", field="latitude"
        )
    return cleaned


def _validate(organisation: Organisation) -> None:
    if not organisation.name:
        raise DirectoryError("Indiquez le nom de l'organisation.", field="name")
    try:
        organisation.full_clean(exclude=["created_by"], validate_unique=False)
    except ValidationError as error:
        _raise_validation(error)


def _set_relations(
    organisation: Organisation,
    themes: Iterable[Theme] | None,
    networks: Iterable[Network] | None,
) -> None:
    if themes is not None:
        organisation.themes.set(list(themes))
    if networks is not None:
        organisation.networks.set(list(networks))


def organisation_create(
    *,
    user: User,
    themes: Iterable[Theme] = (),
    networks: Iterable[Network] = (),
    is_demo: bool = False,
    creator_is_admin: bool = True,
    **fields: Any,
) -> Organisation:
    """Create an organisation; the person who creates it becomes its first administrator
    (unless ``creator_is_admin`` is False: staff importing a file)."""
    _require(user, "directory.add_organisation", message="Connectez-vous pour créer une fiche.")
    fields = _clean_fields(fields)
    organisation = Organisation(created_by=user, is_demo=is_demo, **fields)
    _validate(organisation)
    with transaction.atomic():
        organisation.save()
        _set_relations(organisation, themes, networks)
        if creator_is_admin:
            Membership.objects.create(
                organisation=organisation,
                user=user,
                role=MemberRole.ADMIN,
                status=MembershipStatus.ACTIVE,
                decided_at=timezone.now(),
            )
        search_indexes.index_organisations([organisation.pk])
    return organisation


def organisation_update(
    *,
    user: User,
    organisation: Organisation,
    themes: Iterable[Theme] | None = None,
    networks: Iterable[Network] | None = None,
    **fields: Any,
) -> Organisation:
    """Change the given fields (the others keep their value)."""
    _require(
        user,
        "directory.change_organisation",
        organisation,
        "Seuls les administrateurs de l'organisation peuvent modifier sa fiche.",
    )
    fields = _clean_fields(fields)
    with transaction.atomic():
        locked = Organisation.objects.select_for_update().get(pk=organisation.pk)
        for key, value in fields.items():
            setattr(locked, key, value)
        _validate(locked)
        locked.save(update_fields=[*fields.keys(), "updated_at"])
        _set_relations(locked, themes, networks)
        search_indexes.index_organisations([locked.pk])
    return locked


def membership_request(*, user: User, organisation: Organisation, message: str = "") -> Membership:
    """Ask to join an organisation; its administrators accept or refuse."""
    if not user.is_authenticated:
        raise PermissionDeniedError("Connectez-vous pour demander à rejoindre une organisation.")
    if organisation.is_hidden:
        raise NotFoundError("Cette organisation n'est pas visible.")
    message = message.strip()
    if len(message) > 1000:
        raise DirectoryError("Le message ne doit pas dépasser 1 000 caractères.", field="message")
    with transaction.atomic():
        existing = (
            Membership.objects.select_for_update()
            .filter(organisation=organisation, user=user)
            .first()
        )
        if existing is not None:
            if existing.status == MembershipStatus.ACTIVE:
                raise DirectoryError("Vous êtes déjà membre de cette organisation.")
            if existing.status == MembershipStatus.PENDING:
                raise DirectoryError("Votre demande est déjà en attente de réponse.")
            # A refused request can be made again.
            existing.status = MembershipStatus.PENDING
            existing.message = message
            existing.decided_at = None
            existing.save(update_fields=["status", "message", "decided_at"])
            return existing
        try:
            return Membership.objects.create(organisation=organisation, user=user, message=message)
        except IntegrityError:
            raise DirectoryError("Votre demande est déjà enregistrée.") from None


def membership_decide(*, user: User, membership_id: int, accept: bool) -> Membership:
    """An administrator accepts or refuses a pending request to join."""
    with transaction.atomic():
        membership = (
            Membership.objects.select_for_update(of=("self",))
            .select_related("organisation")
            .filter(pk=membership_id)
            .first()
        )
        if membership is None:
            raise NotFoundError("Cette demande n'existe pas.")
        _require(
            user,
            "directory.manage_members",
            membership.organisation,
            "Seuls les administrateurs de l'organisation traitent les demandes.",
        )
        if membership.status != MembershipStatus.PENDING:
            raise DirectoryError("Cette demande a déjà été traitée.")
        membership.status = MembershipStatus.ACTIVE if accept else MembershipStatus.REFUSED
        membership.decided_at = timezone.now()
        membership.save(update_fields=["status", "decided_at"])
    return membership


def membership_set_role(*, user: User, membership_id: int, role: str) -> Membership:
    """An administrator makes a member administrator, or back; an organisation keeps at least
    one administrator."""
    if role not in MemberRole.values:
        raise DirectoryError("Rôle inconnu.", field="role")
    with transaction.atomic():
        membership = (
            Membership.objects.select_for_update(of=("self",))
            .select_related("organisation")
            .filter(pk=membership_id, status=MembershipStatus.ACTIVE)
            .first()
        )
        if membership is None:
            raise NotFoundError("Ce membre n'existe pas.")
        _require(user, "directory.manage_members", membership.organisation)
        if role == MemberRole.MEMBER and membership.role == MemberRole.ADMIN:
            # Lock the organisation's admin rows so two demotions cannot leave it without one.
            admins = list(
                Membership.objects.select_for_update().filter(
                    organisation=membership.organisation,
                    role=MemberRole.ADMIN,
                    status=MembershipStatus.ACTIVE,
                )
            )
            if len(admins) <= 1:
                raise DirectoryError("L'organisation doit garder au moins un administrateur.")
        membership.role = role
        membership.save(update_fields=["role"])
    return membership


def profile_update(
    *,
    user: User,
    know_how: str,
    can_help_with: str,
    themes: Iterable[Theme],
    networks: Iterable[Network],
) -> PersonProfile:
    """The directory side of the person's own profile."""
    if not user.is_authenticated:
        raise PermissionDeniedError("Connectez-vous pour compléter votre profil.")
    know_how, can_help_with = know_how.strip(), can_help_with.strip()
    if len(know_how) > 5000 or len(can_help_with) > 5000:
        raise DirectoryError("Chaque texte est limité à 5 000 caractères.")
    with transaction.atomic():
        profile, _ = PersonProfile.objects.select_for_update().get_or_create(user=user)
        profile.know_how = know_how
        profile.can_help_with = can_help_with
        profile.save(update_fields=["know_how", "can_help_with", "updated_at"])
        profile.themes.set(list(themes))
        profile.networks.set(list(networks))
        search_indexes.index_person(user.pk)
    return profile


# --- Needs and offers -------------------------------------------------------------------------

MAX_NEEDOFFER_DAYS = 366


def _check_needoffer(item: NeedOffer) -> None:
    if not item.title.strip():
        raise DirectoryError("Indiquez un titre.", field="title")
    today = timezone.localdate()
    if item.expires_on < today:
        raise DirectoryError("La date d'expiration est déjà passée.", field="expires_on")
    if (item.expires_on - today).days > MAX_NEEDOFFER_DAYS:
        raise DirectoryError(
            "Choisissez une date d'expiration dans l'année qui vient.", field="expires_on"
        )
    try:
        item.full_clean(exclude=["author", "organisation"], validate_unique=False)
    except ValidationError as error:
        _raise_validation(error)


def _check_needoffer_organisation(user: User, organisation: Organisation | None) -> None:
    if organisation is not None and not user.has_perm("directory.view_members", organisation):
        raise DirectoryError(
            "Vous ne pouvez publier qu'au nom d'une organisation dont vous êtes membre.",
            field="organisation",
        )


def needoffer_create(
    *,
    user: User,
    direction: str,
    kind: str,
    title: str,
    expires_on: date,
    description: str = "",
    organisation: Organisation | None = None,
    themes: Iterable[Theme] = (),
    communes: Iterable[Commune] = (),
    is_demo: bool = False,
) -> NeedOffer:
    """Post a need or an offer, personally or on behalf of an organisation one belongs to."""
    if not user.is_authenticated:
        raise PermissionDeniedError("Connectez-vous pour publier un besoin ou une offre.")
    _check_needoffer_organisation(user, organisation)
    item = NeedOffer(
        direction=direction,
        kind=kind,
        title=title.strip(),
        description=description.strip(),
        author=user,
        organisation=organisation,
        expires_on=expires_on,
        is_demo=is_demo,
    )
    _check_needoffer(item)
    with transaction.atomic():
        item.save()
        item.themes.set(list(themes))
        item.communes.set(list(communes))
        search_indexes.index_needs_offers([item.pk])
    return item


def needoffer_update(
    *,
    user: User,
    item: NeedOffer,
    themes: Iterable[Theme] | None = None,
    communes: Iterable[Commune] | None = None,
    **fields: Any,
) -> NeedOffer:
    _require(user, "directory.change_needoffer", item, "Seul son auteur modifie cette annonce.")
    allowed = {
        "direction",
        "kind",
        "title",
        "description",
        "expires_on",
        "organisation",
        "is_closed",
    }
    unknown = set(fields) - allowed
    if unknown:
        raise DirectoryError(f"Champ inconnu : {', '.join(sorted(unknown))}.")
    if "organisation" in fields and fields["organisation"] != item.organisation:
        _check_needoffer_organisation(user, fields["organisation"])
    with transaction.atomic():
        locked = NeedOffer.objects.select_for_update().get(pk=item.pk)
        for key, value in fields.items():
            setattr(locked, key, value.strip() if isinstance(value, str) else value)
        if not locked.is_closed:
            _check_needoffer(locked)
        locked.save(update_fields=list(fields))
        if themes is not None:
            locked.themes.set(list(themes))
        if communes is not None:
            locked.communes.set(list(communes))
        search_indexes.index_needs_offers([locked.pk])
    return locked


def organisation_locate(*, user: User, organisation: Organisation) -> str | None:
    """Give coordinates to an organisation that has an address but none, with the Base Adresse
    Nationale when it is configured. The organisation is already saved: a failure only leaves
    it without coordinates, and the French message returned says why (None when all is well
    or when there was nothing to do)."""
    if organisation.has_coordinates or not organisation.address or not geocoding.geocoder_url():
        return None
    _require(user, "directory.change_organisation", organisation)
    commune = organisation.commune
    try:
        latitude, longitude = geocoding.geocode(
            address=f"{organisation.address} {commune.name if commune else ''}".strip(),
            commune_code=commune.code if commune else None,
        )
    except geocoding.GeocodingError as error:
        return (
            f"{error.message} La fiche est enregistrée sans coordonnées : placez-la en cliquant "
            "sur la carte de la page de modification, ou indiquez latitude et longitude."
        )
    with transaction.atomic():
        Organisation.objects.filter(pk=organisation.pk).update(
            latitude=latitude, longitude=longitude
        )
    organisation.latitude, organisation.longitude = latitude, longitude
    return None


LOGO_MAX_BYTES = 2 * 1024 * 1024
LOGO_SIZE = 512


def organisation_set_logo(
    *, user: User, organisation: Organisation, upload: Any | None
) -> Organisation:
    """Replace (or, with ``upload=None``, remove) the logo. The upload is size- and type-checked
    and re-encoded as a PNG of at most 512 pixels a side: the uploaded bytes are never served."""
    _require(
        user,
        "directory.change_organisation",
        organisation,
        "Seuls les administrateurs de l'organisation peuvent changer son logo.",
    )
    content = None
    if upload is not None:
        content = images.reencode(
            upload, max_side=LOGO_SIZE, fmt="PNG", field="logo", max_bytes=LOGO_MAX_BYTES
        ).content
    with transaction.atomic():
        locked = Organisation.objects.select_for_update().get(pk=organisation.pk)
        old = locked.logo.name if locked.logo else ""
        if content is not None:
            locked.logo.save(f"{locked.pk}-{secrets.token_hex(8)}.png", content, save=False)
        else:
            locked.logo = ""
        locked.save(update_fields=["logo", "updated_at"])
        if old:
            storage, name = locked.logo.storage, old
            transaction.on_commit(lambda: storage.delete(name))
    return locked
