"""Writes on projects: create, edit, impacts, links, images, news (the funding rows are the
funding app's: ``funding/services/project_fundings.py``).

Every function checks the permission of the person acting, runs in one transaction and raises
``ProjectError`` with a French message; pages and API call the same functions.
"""

from __future__ import annotations

import datetime
import secrets
from collections.abc import Callable, Iterable
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from turbine.accounts.models import User
from turbine.core import images
from turbine.core.exceptions import NotFoundError, PermissionDeniedError, TurbineError
from turbine.core.models import Theme
from turbine.directory.models import Organisation
from turbine.projects import search_indexes
from turbine.projects.models import (
    ImpactNature,
    Indicator,
    LinkKind,
    Project,
    ProjectImage,
    ProjectImpact,
    ProjectLink,
    ProjectUpdate,
)
from turbine.projects.rules import is_project_holder
from turbine.territory.models import Commune

UPDATE_MAX_LENGTH = 10_000


class ProjectError(TurbineError):
    pass


PROJECT_FIELDS = (
    "title",
    "summary",
    "description",
    "holder_organisation",
    "scale",
    "stage",
    "budget_total",
    "know_how",
    "latitude",
    "longitude",
    "visibility",
    "whole_territory",
)


def _require(user: User, perm: str, obj: Any = None, message: str = "") -> None:
    if not user.has_perm(perm, obj):
        raise PermissionDeniedError(message or "Vous n'avez pas le droit de faire cela.")


def _validate(project: Project) -> None:
    if not (project.title or "").strip():
        raise ProjectError("Indiquez le titre du projet.", field="title")
    if (project.latitude is None) != (project.longitude is None):
        raise ProjectError(
            "Indiquez la latitude et la longitude, ou aucune des deux.", field="latitude"
        )
    try:
        project.full_clean(exclude=["holder_organisation", "holder_user"], validate_unique=False)
    except ValidationError as error:
        field, errors = next(iter(error.message_dict.items()))
        raise ProjectError(errors[0], field=field) from None


def _check_holder_organisation(user: User, organisation: Organisation | None) -> None:
    """A person may name as holder only an organisation they belong to (staff: any)."""
    if organisation is None or user.has_perm("directory.moderate"):
        return
    if not user.has_perm("directory.view_members", organisation):
        raise ProjectError(
            "Vous ne pouvez désigner comme porteuse qu'une organisation dont vous êtes membre.",
            field="holder_organisation",
        )


def _set_relations(
    project: Project,
    *,
    themes: Iterable[Theme] | None,
    communes: Iterable[Commune] | None,
    partners: Iterable[Organisation] | None,
) -> None:
    if themes is not None:
        project.themes.set(list(themes))
    if communes is not None:
        project.communes.set(list(communes))
    if partners is not None:
        project.partners.set([p for p in partners if p.pk != project.holder_organisation_id])


def project_create(
    *,
    user: User,
    themes: Iterable[Theme] = (),
    communes: Iterable[Commune] = (),
    partners: Iterable[Organisation] = (),
    is_demo: bool = False,
    holder_is_creator: bool = True,
    **fields: Any,
) -> Project:
    """Create a project held by the person (and by an organisation they belong to, if named).
    Staff importing a file create projects they do not hold (``holder_is_creator=False``)."""
    _require(user, "projects.add_project", message="Connectez-vous pour présenter un projet.")
    unknown = set(fields) - set(PROJECT_FIELDS)
    if unknown:
        raise ProjectError(f"Champ inconnu : {', '.join(sorted(unknown))}.")
    _check_holder_organisation(user, fields.get("holder_organisation"))
    project = Project(holder_user=user if holder_is_creator else None, is_demo=is_demo, **fields)
    _validate(project)
    with transaction.atomic():
        project.save()
        _set_relations(project, themes=themes, communes=communes, partners=partners)
        search_indexes.index_projects([project.pk])
    return project


def project_update(
    *,
    user: User,
    project: Project,
    themes: Iterable[Theme] | None = None,
    communes: Iterable[Commune] | None = None,
    partners: Iterable[Organisation] | None = None,
    **fields: Any,
) -> Project:
    _require(user, "projects.change_project", project, "Seuls les porteurs modifient ce projet.")
    unknown = set(fields) - set(PROJECT_FIELDS)
    if unknown:
        raise ProjectError(f"Champ inconnu : {', '.join(sorted(unknown))}.")
    if "holder_organisation" in fields and (
        fields["holder_organisation"] is not None
        and fields["holder_organisation"].pk != project.holder_organisation_id
    ):
        _check_holder_organisation(user, fields["holder_organisation"])
    with transaction.atomic():
        locked = Project.objects.select_for_update().get(pk=project.pk)
        for key, value in fields.items():
            setattr(locked, key, value)
        _validate(locked)
        locked.save(update_fields=[*fields.keys(), "updated_at"])
        _set_relations(locked, themes=themes, communes=communes, partners=partners)
        search_indexes.index_projects([locked.pk])
    return locked


def _decimal(value: Any, field: str) -> Decimal:
    try:
        number = Decimal(str(value).replace(",", ".").replace(" ", ""))
    except (InvalidOperation, ValueError):
        raise ProjectError("Indiquez un nombre.", field=field) from None
    if number < 0 or not number.is_finite():
        raise ProjectError("Le nombre doit être positif.", field=field)
    return number.quantize(Decimal("0.01"))


def project_set_impacts(
    *, user: User, project: Project, impacts: list[dict[str, Any]]
) -> list[ProjectImpact]:
    """Replace the impacts: a list of ``{"indicator", "value", "nature", "source"}``, at most
    one estimated and one measured value per indicator."""
    _require(user, "projects.change_project", project, "Seuls les porteurs modifient ce projet.")
    rows = []
    seen = set()
    for item in impacts:
        if item.get("indicator") not in Indicator.values:
            raise ProjectError(f"Indicateur inconnu : {item.get('indicator')}.", field="impacts")
        if item.get("nature") not in ImpactNature.values:
            raise ProjectError("Précisez si l'impact est estimé ou mesuré.", field="impacts")
        key = (item["indicator"], item["nature"])
        if key in seen:
            raise ProjectError(
                "Un même indicateur ne peut avoir qu'une valeur estimée et une valeur mesurée.",
                field="impacts",
            )
        seen.add(key)
        rows.append(
            ProjectImpact(
                project=project,
                indicator=item["indicator"],
                nature=item["nature"],
                value=_decimal(item.get("value"), "impacts"),
                source=str(item.get("source") or "").strip()[:300],
            )
        )
    with transaction.atomic():
        Project.objects.select_for_update().filter(pk=project.pk).first()
        ProjectImpact.objects.filter(project=project).delete()
        return ProjectImpact.objects.bulk_create(rows)


def project_link_add(
    *, user: User, project: Project, target: Project, kind: str, note: str = ""
) -> ProjectLink:
    """A holder links their project to another visible project."""
    _require(user, "projects.change_project", project, "Seuls les porteurs modifient ce projet.")
    if kind not in LinkKind.values:
        raise ProjectError("Nature de lien inconnue.", field="kind")
    if target.pk == project.pk:
        raise ProjectError("Un projet ne peut pas être lié à lui-même.", field="target")
    if not user.has_perm("projects.view_project", target):
        raise NotFoundError("Ce projet n'existe pas.")
    try:
        with transaction.atomic():
            return ProjectLink.objects.create(
                source=project, target=target, kind=kind, note=note.strip()[:300]
            )
    except IntegrityError:
        raise ProjectError("Ce lien existe déjà.", field="target") from None


def project_link_remove(*, user: User, project: Project, link_id: int) -> None:
    _require(user, "projects.change_project", project, "Seuls les porteurs modifient ce projet.")
    with transaction.atomic():
        deleted, _ = ProjectLink.objects.filter(pk=link_id, source=project).delete()
        if not deleted:
            deleted, _ = ProjectLink.objects.filter(pk=link_id, target=project).delete()
        if not deleted:
            raise NotFoundError("Ce lien n'existe pas.")


def project_save(
    *,
    user: User,
    project: Project | None,
    fields: dict[str, Any],
    impacts: list[dict[str, Any]] | None,
    extensions: Callable[[Project], None] | None = None,
) -> Project:
    """Create or update a project with its impacts (None: unchanged), all or nothing (the
    edit page sends them together). ``extensions`` saves, inside the same transaction, what
    upper apps add to the project's form or API (its funding rows, owned by the funding app:
    ``core.form_extensions``); its ``TurbineError`` rolls the whole save back."""
    with transaction.atomic():
        if project is None:
            project = project_create(user=user, **fields)
        else:
            project = project_update(user=user, project=project, **fields)
        if impacts is not None:
            project_set_impacts(user=user, project=project, impacts=impacts)
        if extensions is not None:
            extensions(project)
    return project


MAX_IMAGES = 8
IMAGE_SIZE = 1600


def project_add_image(*, user: User, project: Project, upload: Any, alt_text: str) -> Any:
    """Add a photo; its description is required, for people who cannot see it."""
    _require(user, "projects.change_project", project, "Seuls les porteurs modifient ce projet.")
    alt_text = alt_text.strip()
    if not alt_text:
        raise ProjectError(
            "Décrivez l'image en quelques mots, pour les personnes qui ne la voient pas.",
            field="alt_text",
        )
    content = images.reencode(upload, max_side=IMAGE_SIZE, fmt="JPEG", field="image").content
    with transaction.atomic():
        Project.objects.select_for_update().filter(pk=project.pk).first()
        if ProjectImage.objects.filter(project=project).count() >= MAX_IMAGES:
            raise ProjectError(f"Un projet compte {MAX_IMAGES} images au plus.", field="image")
        image = ProjectImage(project=project, alt_text=alt_text[:300])
        image.image.save(f"{project.pk}-{secrets.token_hex(8)}.jpg", content, save=False)
        image.save()
    return image


def project_remove_image(*, user: User, project: Project, image_id: int) -> None:
    _require(user, "projects.change_project", project, "Seuls les porteurs modifient ce projet.")
    with transaction.atomic():
        image = ProjectImage.objects.filter(pk=image_id, project=project).first()
        if image is None:
            raise NotFoundError("Cette image n'existe pas.")
        storage, name = image.image.storage, image.image.name or ""
        image.delete()
        if name:
            transaction.on_commit(lambda: storage.delete(name))


def project_post_update(
    *, user: User, project: Project, text: str, date: datetime.date | None = None
) -> ProjectUpdate:
    """Post a dated piece of news on the project's progress (holders and staff). The date
    defaults to today and cannot be in the future."""
    _require(
        user,
        "projects.change_project",
        project,
        "Seuls les porteurs du projet et l'équipe de la Turbine publient ses nouvelles.",
    )
    text = (text or "").strip()
    if not text:
        raise ProjectError("Écrivez la nouvelle.", field="text")
    if len(text) > UPDATE_MAX_LENGTH:
        raise ProjectError(
            f"Une nouvelle compte {UPDATE_MAX_LENGTH} caractères au plus.", field="text"
        )
    today = timezone.localdate()
    date = date or today
    if date > today:
        raise ProjectError("La date d'une nouvelle ne peut pas être dans le futur.", field="date")

    with transaction.atomic():
        return ProjectUpdate.objects.create(
            project=project,
            author=user,
            from_staff=not is_project_holder(user, project),
            date=date,
            text=text,
        )


def project_delete_update(*, user: User, project: Project, update_id: int) -> None:
    _require(
        user,
        "projects.change_project",
        project,
        "Seuls les porteurs du projet et l'équipe de la Turbine retirent ses nouvelles.",
    )
    with transaction.atomic():
        deleted, _ = ProjectUpdate.objects.filter(pk=update_id, project=project).delete()
        if not deleted:
            raise NotFoundError("Cette nouvelle n'existe pas.")
