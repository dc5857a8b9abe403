"""The ambition charter of local authorities: adopted by deliberation, commitments with
measurable targets, and the yearly review of where each commitment stands."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Literal, overload

from django.db import IntegrityError, transaction
from django.utils import timezone

from turbine.accounts.models import User
from turbine.core.exceptions import NotFoundError, PermissionDeniedError, TurbineError
from turbine.label.models import (
    AmbitionCharter,
    AmbitionCommitment,
    AmbitionReview,
    CommitmentStatus,
    CommitmentStatusEntry,
)
from turbine.label.rules import epci_admin_sirens, town_hall_admin_communes
from turbine.territory.models import Agglomeration, Commune

MAX_VALUE = Decimal("999999999999")


def _text(value: str, *, field: str, label: str, max_length: int, required: bool = False) -> str:
    value = (value or "").strip()
    if "\x00" in value:
        raise TurbineError(f"{label} contient un caractère invalide.", field=field)
    if required and not value:
        raise TurbineError(f"{label} est obligatoire.", field=field)
    if len(value) > max_length:
        raise TurbineError(f"{label} ne doit pas dépasser {max_length} caractères.", field=field)
    return value


@overload
def decimal_value(raw: object, *, field: str, label: str, required: Literal[True]) -> Decimal: ...
@overload
def decimal_value(raw: object, *, field: str, label: str, required: bool) -> Decimal | None: ...
def decimal_value(raw: object, *, field: str, label: str, required: bool) -> Decimal | None:
    text = str(raw if raw is not None else "").strip().replace(",", ".").replace(" ", "")
    if not text:
        if required:
            raise TurbineError(f"{label} est obligatoire.", field=field)
        return None
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise TurbineError(f"{label} doit être un nombre.", field=field) from None
    if not value.is_finite() or abs(value) > MAX_VALUE:
        raise TurbineError(f"{label} doit être un nombre de 12 chiffres au plus.", field=field)
    return value.quantize(Decimal("0.01"))


@overload
def _year(
    raw: object, *, field: str, label: str, required: Literal[True], low: int = 1990
) -> int: ...
@overload
def _year(
    raw: object, *, field: str, label: str, required: bool, low: int = 1990
) -> int | None: ...
def _year(raw: object, *, field: str, label: str, required: bool, low: int = 1990) -> int | None:
    text = str(raw if raw is not None else "").strip()
    if not text:
        if required:
            raise TurbineError(f"{label} est obligatoire.", field=field)
        return None
    if not text.isdigit() or not low <= int(text) <= 2100:
        raise TurbineError(f"{label} doit être une année entre {low} et 2100.", field=field)
    return int(text)


def can_edit(user: User, charter: AmbitionCharter) -> bool:
    return user.has_perm("label.edit_ambition_charter", charter)


def _require_edit(actor: User, charter: AmbitionCharter) -> None:
    if not can_edit(actor, charter):
        raise PermissionDeniedError(
            "Seuls les représentants de la collectivité (administrateurs de sa fiche dans "
            "l'annuaire) et l'équipe de la Turbine modifient sa charte d'ambition."
        )


@transaction.atomic
def ambition_charter_create(
    *,
    actor: User,
    commune_id: int | None = None,
    agglomeration_id: int | None = None,
    deliberation_date: datetime.date,
    deliberation_reference: str = "",
    summary: str = "",
    is_demo: bool = False,
) -> AmbitionCharter:
    if (commune_id is None) == (agglomeration_id is None):
        raise TurbineError("Choisissez la commune ou l'agglomération.", field="authority")
    commune = agglomeration = None
    if commune_id is not None:
        commune = Commune.objects.filter(pk=commune_id).first()
        if commune is None:
            raise NotFoundError("Cette commune n'existe pas.")
        allowed = commune.pk in town_hall_admin_communes(actor)
    else:
        assert agglomeration_id is not None  # exactly one of the two, checked above
        agglomeration = Agglomeration.objects.filter(pk=agglomeration_id).first()
        if agglomeration is None:
            raise NotFoundError("Cette agglomération n'existe pas.")
        allowed = agglomeration.siren in epci_admin_sirens(actor)
    if not (allowed or actor.has_perm("label.manage_charter")):
        raise PermissionDeniedError(
            "Seuls les représentants de la collectivité et l'équipe de la Turbine enregistrent "
            "sa charte d'ambition."
        )
    if deliberation_date > timezone.localdate() or deliberation_date.year < 2000:
        raise TurbineError(
            "La délibération doit être déjà votée (date passée, depuis 2000).",
            field="deliberation_date",
        )
    try:
        with transaction.atomic():
            return AmbitionCharter.objects.create(
                commune=commune,
                agglomeration=agglomeration,
                deliberation_date=deliberation_date,
                deliberation_reference=_text(
                    deliberation_reference,
                    field="deliberation_reference",
                    label="La référence",
                    max_length=100,
                ),
                summary=_text(summary, field="summary", label="L'ambition", max_length=5000),
                created_by=actor,
                is_demo=is_demo,
            )
    except IntegrityError:
        raise TurbineError("Cette collectivité a déjà une charte d'ambition.") from None


@transaction.atomic
def commitment_add(
    *,
    actor: User,
    charter_id: int,
    title: str,
    indicator: str,
    unit: str,
    target_value: object,
    target_year: object,
    baseline_value: object = "",
    baseline_year: object = "",
) -> AmbitionCommitment:
    charter = AmbitionCharter.objects.select_for_update().filter(pk=charter_id).first()
    if charter is None:
        raise NotFoundError("Cette charte d'ambition n'existe pas.")
    _require_edit(actor, charter)
    target_year_value = _year(
        target_year, field="target_year", label="L'année visée", required=True, low=2000
    )
    baseline_year_value = _year(
        baseline_year, field="baseline_year", label="L'année de départ", required=False
    )
    if baseline_year_value and target_year_value and baseline_year_value > target_year_value:
        raise TurbineError("L'année de départ précède l'année visée.", field="baseline_year")
    position = charter.commitments.count()
    return AmbitionCommitment.objects.create(
        charter=charter,
        title=_text(title, field="title", label="L'engagement", max_length=200, required=True),
        indicator=_text(
            indicator, field="indicator", label="L'indicateur", max_length=200, required=True
        ),
        unit=_text(unit, field="unit", label="L'unité", max_length=40, required=True),
        target_value=decimal_value(
            target_value, field="target_value", label="La valeur visée", required=True
        ),
        target_year=target_year_value,
        baseline_value=decimal_value(
            baseline_value, field="baseline_value", label="La valeur de départ", required=False
        ),
        baseline_year=baseline_year_value,
        position=position,
    )


@dataclass(frozen=True)
class EntryInput:
    commitment_id: int
    status: str
    measured_value: object = ""
    reason: str = ""


@transaction.atomic
def ambition_review_record(
    *,
    actor: User,
    charter_id: int,
    year: object,
    reviewed_on: datetime.date,
    summary: str,
    entries: list[EntryInput],
) -> AmbitionReview:
    """The yearly review: where each commitment of the charter stands (all of them, once);
    an abandoned commitment needs its reason. All or nothing."""
    charter = AmbitionCharter.objects.select_for_update().filter(pk=charter_id).first()
    if charter is None:
        raise NotFoundError("Cette charte d'ambition n'existe pas.")
    _require_edit(actor, charter)
    year_value = _year(year, field="year", label="L'année du bilan", required=True, low=2000)
    if year_value < charter.deliberation_date.year or year_value > timezone.localdate().year:
        raise TurbineError(
            "Le bilan porte sur une année écoulée depuis la délibération.", field="year"
        )
    if reviewed_on > timezone.localdate():
        raise TurbineError("La date du bilan ne peut pas être dans le futur.", field="reviewed_on")
    commitments = {c.pk: c for c in charter.commitments.all()}
    if not commitments:
        raise TurbineError("Ajoutez d'abord les engagements de la charte.")
    given = [e.commitment_id for e in entries]
    if sorted(given) != sorted(commitments) or len(set(given)) != len(given):
        raise TurbineError("Le bilan dit où en est chaque engagement, une fois chacun.")
    if AmbitionReview.objects.filter(charter=charter, year=year_value).exists():
        raise TurbineError(f"Le bilan {year_value} est déjà enregistré.", field="year")
    review = AmbitionReview.objects.create(
        charter=charter,
        year=year_value,
        reviewed_on=reviewed_on,
        summary=_text(summary, field="summary", label="La synthèse", max_length=10_000),
        created_by=actor,
    )
    for entry in entries:
        commitment = commitments[entry.commitment_id]
        if entry.status not in CommitmentStatus.values:
            raise TurbineError(f"Choisissez où en est « {commitment.title} ».", field="entries")
        reason = _text(entry.reason, field="entries", label="La raison", max_length=2000)
        if entry.status == CommitmentStatus.ABANDONED and not reason:
            raise TurbineError(
                f"« {commitment.title} » est abandonné : dites pourquoi.", field="entries"
            )
        CommitmentStatusEntry.objects.create(
            review=review,
            commitment=commitment,
            status=entry.status,
            measured_value=decimal_value(
                entry.measured_value, field="entries", label="La valeur mesurée", required=False
            ),
            reason=reason,
        )
    return review
