"""A project's applications for aids, recorded by its holders (``can_record_applications``)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from turbine.core.exceptions import NotFoundError, PermissionDeniedError
from turbine.funding import rules as funding_rules
from turbine.funding.models import Aid, AidStatus, ApplicationStatus, ProjectApplication
from turbine.funding.services.catalogue import FundingError
from turbine.projects.models import Project

MAX_AMOUNT = Decimal(10**12)
APPLICATION_FIELDS = ("status", "amount_asked", "amount_obtained", "applied_on", "decided_on")


def application_values_validate(values: dict[str, Any]) -> None:
    """The rules of an application's values (raises ``FundingError`` naming the field)."""
    status = values.get("status")
    if status not in ApplicationStatus.values:
        raise FundingError("Indiquez où en est la candidature.", field="status")
    for name in ("amount_asked", "amount_obtained"):
        amount = values.get(name)
        if amount is not None and not Decimal(0) <= amount <= MAX_AMOUNT:
            raise FundingError(
                "Un montant est compris entre 0 et 1 000 milliards d'euros.", field=name
            )
    if values.get("amount_obtained") is not None and status != ApplicationStatus.OBTAINED:
        raise FundingError(
            "Le montant obtenu ne s'indique que pour une aide obtenue.", field="amount_obtained"
        )
    today = timezone.localdate()
    applied, decided = values.get("applied_on"), values.get("decided_on")
    if applied is not None and applied > today:
        raise FundingError("La date de dépôt ne peut pas être à venir.", field="applied_on")
    if decided is not None and decided > today:
        raise FundingError("La date de la réponse ne peut pas être à venir.", field="decided_on")
    if decided is not None and status == ApplicationStatus.APPLIED:
        raise FundingError(
            "Une candidature en attente n'a pas encore de date de réponse.", field="decided_on"
        )
    if applied and decided and decided < applied:
        raise FundingError("La réponse ne peut pas précéder le dépôt.", field="decided_on")


def _project_for(*, actor: Any, project_id: int) -> Project:
    project = Project.objects.select_related("holder_organisation").filter(pk=project_id).first()
    if project is None:
        raise NotFoundError("Projet introuvable.")
    if not funding_rules.can_record_applications(actor, project):
        raise PermissionDeniedError(
            "Seules les personnes qui portent ce projet enregistrent ses candidatures."
        )
    return project


@transaction.atomic
def application_record(
    *, actor: Any, project_id: int, aid_id: int, values: dict[str, Any], is_demo: bool = False
) -> ProjectApplication:
    project = _project_for(actor=actor, project_id=project_id)
    aid = Aid.objects.exclude(status=AidStatus.DRAFT).filter(pk=aid_id).first()
    if aid is None:
        raise NotFoundError("Aide introuvable dans le catalogue.")
    fields = {name: values.get(name) for name in APPLICATION_FIELDS}
    application_values_validate(fields)
    try:
        with transaction.atomic():
            return ProjectApplication.objects.create(
                project=project,
                aid=aid,
                created_by=actor if getattr(actor, "is_authenticated", False) else None,
                is_demo=is_demo,
                **fields,
            )
    except IntegrityError:
        raise FundingError(
            "Ce projet a déjà enregistré une candidature à cette aide : modifiez-la.", field="aid"
        ) from None


@transaction.atomic
def application_update(
    *, actor: Any, project_id: int, application_id: int, values: dict[str, Any]
) -> ProjectApplication:
    project = _project_for(actor=actor, project_id=project_id)
    application = (
        ProjectApplication.objects.select_for_update(of=("self",))
        .filter(pk=application_id, project=project)
        .first()
    )
    if application is None:
        raise NotFoundError("Candidature introuvable.")
    fields = {name: values.get(name, getattr(application, name)) for name in APPLICATION_FIELDS}
    application_values_validate(fields)
    for name, value in fields.items():
        setattr(application, name, value)
    application.save(update_fields=[*APPLICATION_FIELDS, "updated_at"])
    return application


@transaction.atomic
def application_delete(*, actor: Any, project_id: int, application_id: int) -> None:
    project = _project_for(actor=actor, project_id=project_id)
    deleted, _ = ProjectApplication.objects.filter(pk=application_id, project=project).delete()
    if not deleted:
        raise NotFoundError("Candidature introuvable.")
