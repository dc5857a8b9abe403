"""The charter (contrat moral): staff publish versions; members adhere to the current one."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone

from turbine.accounts.models import User
from turbine.core.email import send_after_commit
from turbine.core.exceptions import NotFoundError, PermissionDeniedError, TurbineError
from turbine.directory.models import MemberRole, MembershipStatus, Organisation
from turbine.label.models import CharterSignature, CharterVersion
from turbine.territory.models import Commune

NAME_MAX = 120


def _require_staff(actor: User) -> None:
    if not actor.has_perm("label.manage_charter"):
        raise PermissionDeniedError("Seule l'équipe de la Turbine publie la charte.")


def _clean(text: str, *, field: str, label: str, max_length: int, required: bool = True) -> str:
    value = (text or "").strip()
    if "\x00" in value:
        raise TurbineError(f"{label} contient un caractère invalide.", field=field)
    if required and not value:
        raise TurbineError(f"{label} est obligatoire.", field=field)
    if len(value) > max_length:
        raise TurbineError(f"{label} ne doit pas dépasser {max_length} caractères.", field=field)
    return value


@transaction.atomic
def charter_version_create(
    *, actor: User, title: str, text: str, changes: str = ""
) -> CharterVersion:
    """A new draft version, numbered after the highest existing one."""
    _require_staff(actor)
    title = _clean(title, field="title", label="Le titre", max_length=200)
    text = _clean(text, field="text", label="Le texte", max_length=50_000)
    changes = _clean(
        changes, field="changes", label="Ce qui change", max_length=5000, required=False
    )
    # Lock the table's highest row so that two staff members never get the same number.
    highest = (
        CharterVersion.objects.select_for_update()
        .order_by("-number")
        .values_list("number", flat=True)
        .first()
    )
    return CharterVersion.objects.create(
        number=(highest or 0) + 1, title=title, text=text, changes=changes
    )


@transaction.atomic
def charter_version_update(
    *, actor: User, version_id: int, title: str, text: str, changes: str = ""
) -> CharterVersion:
    _require_staff(actor)
    version = CharterVersion.objects.select_for_update().filter(pk=version_id).first()
    if version is None:
        raise NotFoundError("Cette version de la charte n'existe pas.")
    if version.is_published:
        raise TurbineError(
            "Une version publiée ne se modifie plus : créez une nouvelle version, que les "
            "signataires seront invités à signer."
        )
    version.title = _clean(title, field="title", label="Le titre", max_length=200)
    version.text = _clean(text, field="text", label="Le texte", max_length=50_000)
    version.changes = _clean(
        changes, field="changes", label="Ce qui change", max_length=5000, required=False
    )
    version.save(update_fields=["title", "text", "changes"])
    return version


def current_version() -> CharterVersion | None:
    return CharterVersion.objects.filter(published_at__isnull=False).order_by("-number").first()


@transaction.atomic
def charter_version_publish(*, actor: User, version_id: int) -> CharterVersion:
    """Publish a draft: it becomes the current version, and the administrators of every member
    who adhered to an earlier version are asked by email to adhere again."""
    _require_staff(actor)
    # A conditional UPDATE: of two staff members publishing at once, one only succeeds.
    newest_published = (
        CharterVersion.objects.filter(published_at__isnull=False).aggregate(n=Max("number"))["n"]
        or 0
    )
    updated = CharterVersion.objects.filter(
        pk=version_id, published_at__isnull=True, number__gt=newest_published
    ).update(published_at=timezone.now(), published_by=actor)
    if not updated:
        if not CharterVersion.objects.filter(pk=version_id).exists():
            raise NotFoundError("Cette version de la charte n'existe pas.")
        raise TurbineError(
            "Cette version est déjà publiée, ou une version plus récente l'est déjà."
        )
    version = CharterVersion.objects.get(pk=version_id)
    _ask_signatories_to_renew(version)
    return version


def _ask_signatories_to_renew(version: CharterVersion) -> None:
    previous = CharterSignature.objects.exclude(version=version)
    org_ids = set(
        previous.filter(organisation__isnull=False).values_list("organisation_id", flat=True)
    )
    commune_ids = set(previous.filter(commune__isnull=False).values_list("commune_id", flat=True))
    emails = set(
        User.objects.filter(
            memberships__organisation_id__in=org_ids,
            memberships__role=MemberRole.ADMIN,
            memberships__status=MembershipStatus.ACTIVE,
            is_active=True,
        ).values_list("email", flat=True)
    )
    emails |= set(
        User.objects.filter(
            memberships__organisation__kind="commune",
            memberships__organisation__commune_id__in=commune_ids,
            memberships__role=MemberRole.ADMIN,
            memberships__status=MembershipStatus.ACTIVE,
            is_active=True,
        ).values_list("email", flat=True)
    )
    url = f"{settings.SITE_URL}{reverse('label:charter')}"
    body = (
        f"Bonjour,\n\nLa Turbine de l'éco-transition publie une nouvelle version de sa charte "
        f"(« {version.title} », version {version.number}).\n\n"
        + (f"Ce qui change :\n{version.changes}\n\n" if version.changes else "")
        + "Votre structure avait adhéré à une version précédente : pour rester signataire, "
        f"relisez la charte et signez la nouvelle version ici :\n{url}\n\n"
        "Vos adhésions précédentes restent dans l'historique.\n\nL'équipe de la Turbine"
    )
    for email in sorted(emails):
        send_after_commit(
            EmailMessage(
                subject=f"Nouvelle version de la charte de la Turbine (v{version.number})",
                body=body,
                to=[email],
            )
        )


@transaction.atomic
def charter_sign(
    *,
    actor: User,
    version_id: int,
    organisation_id: int | None = None,
    commune_id: int | None = None,
    signer_name: str,
    signer_role: str,
    accepted: bool,
    is_demo: bool = False,
) -> CharterSignature:
    """``actor`` signs the current version for an organisation or a commune they have rights
    on. Refused on a version that is not the current one, or one already signed for them."""
    if not actor.is_authenticated:
        raise PermissionDeniedError("Connectez-vous pour signer la charte.")
    if not accepted:
        raise TurbineError(
            "Cochez la case pour confirmer que votre structure adhère à la charte.",
            field="accepted",
        )
    if (organisation_id is None) == (commune_id is None):
        raise TurbineError("Choisissez la structure pour laquelle vous signez.", field="member")
    version = current_version()
    if version is None or version.pk != version_id:
        raise TurbineError(
            "Cette version de la charte n'est plus celle en vigueur : relisez la version "
            "actuelle avant de signer."
        )
    organisation = commune = None
    if organisation_id is not None:
        organisation = Organisation.objects.filter(pk=organisation_id, is_hidden=False).first()
        if organisation is None:
            raise NotFoundError("Cette organisation n'existe pas.")
        if not actor.has_perm("label.sign_for_organisation", organisation):
            raise PermissionDeniedError(
                "Seul·e un·e administrateur·rice de l'organisation peut signer pour elle."
            )
    else:
        assert commune_id is not None  # exactly one of the two, checked above
        commune = Commune.objects.filter(pk=commune_id).first()
        if commune is None:
            raise NotFoundError("Cette commune n'existe pas.")
        if not actor.has_perm("label.sign_for_commune", commune):
            raise PermissionDeniedError(
                "Seul·e un·e administrateur·rice de la mairie dans l'annuaire peut signer pour "
                "la commune."
            )
    name = _clean(signer_name, field="signer_name", label="Votre nom", max_length=NAME_MAX)
    role = _clean(signer_role, field="signer_role", label="Votre fonction", max_length=NAME_MAX)
    try:
        # A savepoint: a double submission hits the unique constraint, not a broken transaction.
        with transaction.atomic():
            return CharterSignature.objects.create(
                version=version,
                organisation=organisation,
                commune=commune,
                signed_by=actor,
                signer_name=name,
                signer_role=role,
                signed_at=timezone.now(),
                is_demo=is_demo,
            )
    except IntegrityError:
        raise TurbineError(
            "Cette structure a déjà signé la version en vigueur de la charte."
        ) from None
