"""The projects importer of the staff CSV import (see ``turbine.directory.imports``)."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError

from turbine.accounts.models import User
from turbine.directory import imports
from turbine.directory.imports import ImportRowError, lookup_communes, lookup_themes, split_list
from turbine.directory.models import Organisation
from turbine.projects import services
from turbine.projects.models import Project, Stage, Visibility

COLUMNS = (
    "titre",
    "resume",
    "description",
    "echelle",
    "etape",
    "organisation_porteuse",
    "communes",
    "tout_le_territoire",
    "themes",
    "budget_total",
    "latitude",
    "longitude",
    "visibilite",
    "savoir_faire",
)


def check_project(row: dict[str, str]) -> dict[str, Any]:
    scale = row.get("echelle", "1") or "1"
    if scale not in {"1", "2", "3"}:
        raise ImportRowError(f"L'échelle doit valoir 1, 2 ou 3, pas « {scale} ».")
    stage = row.get("etape", "") or Stage.IDEA
    if stage not in Stage.values:
        raise ImportRowError(f"Étape inconnue : « {stage} ». Étapes : {', '.join(Stage.values)}.")
    visibility = row.get("visibilite", "") or Visibility.PUBLIC
    if visibility not in Visibility.values:
        raise ImportRowError("La visibilité vaut public ou draft.")
    budget = None
    if row.get("budget_total"):
        try:
            budget = Decimal(row["budget_total"].replace(" ", "").replace(",", "."))
        except InvalidOperation:
            raise ImportRowError("Le budget total n'est pas un nombre.") from None
        if not budget.is_finite():
            raise ImportRowError("Le budget total n'est pas un nombre.")
    fields: dict[str, Any] = {
        "title": row.get("titre", ""),
        "summary": row.get("resume", ""),
        "description": row.get("description", ""),
        "know_how": row.get("savoir_faire", ""),
        "scale": int(scale),
        "stage": stage,
        "visibility": visibility,
        "budget_total": budget,
        "whole_territory": imports.parse_bool(row.get("tout_le_territoire", "")),
        "latitude": imports.parse_float(row.get("latitude", ""), "La latitude"),
        "longitude": imports.parse_float(row.get("longitude", ""), "La longitude"),
    }
    if not fields["title"]:
        raise ImportRowError("Le titre est vide.")
    if (fields["latitude"] is None) != (fields["longitude"] is None):
        raise ImportRowError("Indiquez la latitude et la longitude, ou aucune des deux.")
    try:
        Project(**fields).full_clean(validate_unique=False)
    except ValidationError as error:
        name, messages = next(iter(error.message_dict.items()))
        label = Project._meta.get_field(name).verbose_name
        raise ImportRowError(f"{str(label).capitalize()} : {messages[0]}") from None
    holder = row.get("organisation_porteuse", "").replace(" ", "")
    fields["holder_organisation"] = None
    if holder:
        org = Organisation.objects.filter(siren=holder).first() if len(holder) == 9 else None
        if org is None and holder.isdigit():
            org = Organisation.objects.filter(pk=int(holder)).first()
        if org is None:
            raise ImportRowError(f"Organisation porteuse introuvable (SIREN ou numéro) : {holder}.")
        fields["holder_organisation"] = org
    fields["communes"] = lookup_communes(split_list(row.get("communes", "")))
    fields["themes"] = lookup_themes(split_list(row.get("themes", "")))
    return fields


def save_project(user: User, fields: dict[str, Any]) -> Any:
    return services.project_create(user=user, holder_is_creator=False, **fields)


imports.register(
    imports.Importer(
        kind="projets",
        label="Projets",
        columns=COLUMNS,
        required=("titre",),
        check=check_project,
        save=save_project,
        title=lambda data: data["title"],
    )
)
