"""Every write on common challenges: proposals, approval votes, staff's choice, pledges and
progress reports."""

from __future__ import annotations

import datetime
from decimal import Decimal, InvalidOperation

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from turbine.accounts.models import User
from turbine.cooperation.models import (
    Challenge,
    ChallengeApproval,
    ChallengeStatus,
    Pledge,
    PledgeReport,
)
from turbine.cooperation.uploads import MAX_BYTES, CheckedFile, check_document, stored_name
from turbine.core import images
from turbine.core.exceptions import NotFoundError, PermissionDeniedError, TurbineError
from turbine.directory.models import MembershipStatus, Organisation
from turbine.territory.models import Commune

MAX_QUANTITY = Decimal("1000000000000")
MAX_PLEDGES_PER_PERSON = 50
MAX_REPORTS_PER_PLEDGE = 500
EVIDENCE_MAX_SIDE = 2000  # pixels, the longest side of a photo kept as evidence
EVIDENCE_TYPES = "PDF, ou photo PNG ou JPEG"


def _text(value: str, *, field: str, label: str, max_length: int, required: bool = True) -> str:
    value = (value or "").replace("\x00", "").strip()
    if required and not value:
        raise TurbineError(f"Renseignez {label}.", field=field)
    if len(value) > max_length:
        raise TurbineError(
            f"{label.capitalize()} tient en {max_length} caractères au plus.", field=field
        )
    return value


def _quantity(
    value: Decimal | int | float | str, *, field: str, label: str, positive: bool
) -> Decimal:
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        raise TurbineError(f"{label.capitalize()} doit être un nombre.", field=field) from None
    if not number.is_finite() or number < 0 or (positive and number == 0):
        raise TurbineError(
            f"{label.capitalize()} doit être un nombre "
            f"{'strictement ' if positive else ''}positif.",
            field=field,
        )
    if number > MAX_QUANTITY:
        raise TurbineError(f"{label.capitalize()} est trop grand.", field=field)
    return number.quantize(Decimal("0.01"))


def _organisation_of(user: User, organisation_id: int | None) -> Organisation | None:
    if organisation_id is None:
        return None
    organisation = Organisation.objects.filter(
        pk=organisation_id, memberships__user=user, memberships__status=MembershipStatus.ACTIVE
    ).first()
    if organisation is None:
        raise PermissionDeniedError(
            "Vous ne pouvez engager que les organisations dont vous êtes membre.",
        )
    return organisation


def _signed_in(user: User, message: str) -> None:
    if not getattr(user, "is_authenticated", False):
        raise PermissionDeniedError(message)


def challenge_propose(
    *,
    user: User,
    title: str,
    description: str,
    indicator: str,
    unit: str,
    baseline: Decimal,
    target: Decimal,
    deadline: datetime.date,
    scope: str,
    organisation_id: int | None = None,
) -> Challenge:
    _signed_in(user, "Connectez-vous pour proposer un défi.")
    title = _text(title, field="title", label="l'intitulé", max_length=200)
    description = _text(description, field="description", label="la description", max_length=10_000)
    indicator = _text(indicator, field="indicator", label="l'indicateur", max_length=200)
    unit = _text(unit, field="unit", label="l'unité", max_length=40)
    scope = _text(scope, field="scope", label="le périmètre", max_length=200)
    baseline = _quantity(baseline, field="baseline", label="la valeur de départ", positive=False)
    target = _quantity(target, field="target", label="la valeur visée", positive=True)
    if target <= baseline:
        raise TurbineError("La valeur visée doit dépasser la valeur de départ.", field="target")
    today = timezone.localdate()
    if deadline <= today or deadline.year > today.year + 30:
        raise TurbineError("L'échéance doit être dans le futur (30 ans au plus).", field="deadline")
    organisation = _organisation_of(user, organisation_id)
    return Challenge.objects.create(
        title=title,
        description=description,
        indicator=indicator,
        unit=unit,
        baseline=baseline,
        target=target,
        deadline=deadline,
        scope=scope,
        proposed_by=user,
        proposed_for=organisation,
    )


def challenge_approve(*, user: User, challenge_id: int, approve: bool) -> bool:
    """Approval vote: a person approves (or withdraws their approval of) a proposal; returns
    whether the person now approves it."""
    _signed_in(user, "Connectez-vous pour voter.")
    with transaction.atomic():
        challenge = Challenge.objects.public().filter(pk=challenge_id).first()
        if challenge is None:
            raise NotFoundError("Ce défi n'existe pas.")
        if challenge.status != ChallengeStatus.PROPOSED:
            raise TurbineError("Le vote sur ce défi est clos.")
        if not approve:
            ChallengeApproval.objects.filter(challenge=challenge, user=user).delete()
            return False
        try:
            with transaction.atomic():
                ChallengeApproval.objects.create(challenge=challenge, user=user)
        except IntegrityError:
            pass  # already approved: approving twice counts once
        return True


def challenge_decide(*, actor: User, challenge_id: int, chosen: bool) -> Challenge:
    """Staff close the vote on a proposal: chosen (pledges open) or set aside."""
    if not actor.has_perm("cooperation.manage_challenge"):
        raise PermissionDeniedError("Seule l'équipe de la Turbine arrête le choix des défis.")
    with transaction.atomic():
        challenge = Challenge.objects.select_for_update().filter(pk=challenge_id).first()
        if challenge is None:
            raise NotFoundError("Ce défi n'existe pas.")
        if challenge.status != ChallengeStatus.PROPOSED:
            raise TurbineError("Ce défi est déjà décidé.")
        challenge.status = ChallengeStatus.CHOSEN if chosen else ChallengeStatus.SET_ASIDE
        challenge.chosen_at = timezone.now()
        challenge.save(update_fields=["status", "chosen_at"])
    return challenge


def pledge_create(
    *,
    user: User,
    challenge_id: int,
    quantity: Decimal,
    description: str,
    due_date: datetime.date,
    commune_code: str = "",
    organisation_id: int | None = None,
    threshold: int | None = None,
) -> Pledge:
    """« 20 arceaux vélo » by a date; with ``threshold``, only if that many others join."""
    _signed_in(user, "Connectez-vous pour vous engager.")
    quantity = _quantity(quantity, field="quantity", label="la quantité", positive=True)
    description = _text(description, field="description", label="votre engagement", max_length=300)
    today = timezone.localdate()
    if due_date < today or due_date.year > today.year + 30:
        raise TurbineError(
            "La date d'échéance doit être à venir (30 ans au plus).", field="due_date"
        )
    if threshold is not None and not (1 <= threshold <= 10_000):
        raise TurbineError(
            "Le nombre d'autres engagements attendus va de 1 à 10 000.", field="threshold"
        )
    commune = None
    if commune_code:
        commune = Commune.objects.filter(code=commune_code[:5]).first()
        if commune is None:
            raise TurbineError("Cette commune est inconnue.", field="commune")
    organisation = _organisation_of(user, organisation_id)
    with transaction.atomic():
        challenge = Challenge.objects.public().select_for_update().filter(pk=challenge_id).first()
        if challenge is None:
            raise NotFoundError("Ce défi n'existe pas.")
        if challenge.status != ChallengeStatus.CHOSEN:
            raise TurbineError("On s'engage sur un défi retenu, pas sur une proposition.")
        # Counted under the challenge's lock: a burst of posts cannot pass the limit.
        if Pledge.objects.filter(challenge=challenge, user=user).count() >= MAX_PLEDGES_PER_PERSON:
            raise TurbineError(
                f"{MAX_PLEDGES_PER_PERSON} engagements au plus par personne et par défi."
            )
        return Pledge.objects.create(
            challenge=challenge,
            user=user,
            organisation=organisation,
            quantity=quantity,
            description=description,
            commune=commune,
            due_date=due_date,
            threshold=threshold,
        )


def can_report(user: User, pledge: Pledge) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    if pledge.user_id == user.pk:
        return True
    return (
        pledge.organisation_id is not None
        and user.memberships.filter(
            organisation_id=pledge.organisation_id, status=MembershipStatus.ACTIVE
        ).exists()
    )


def report_create(
    *,
    user: User,
    pledge_id: int,
    value: Decimal,
    date: datetime.date,
    evidence_url: str = "",
    evidence_file: UploadedFile | None = None,
    note: str = "",
) -> PledgeReport:
    """Progress on a pledge (the quantity done since the last report), with its evidence."""
    value = _quantity(value, field="value", label="la quantité réalisée", positive=True)
    note = _text(note, field="note", label="les précisions", max_length=500, required=False)
    evidence_url = _text(
        evidence_url, field="evidence_url", label="le lien", max_length=500, required=False
    )
    if evidence_url and not evidence_url.startswith(("https://", "http://")):
        raise TurbineError(
            "Le lien de la preuve commence par https:// ou http://.", field="evidence_url"
        )
    if date > timezone.localdate():
        raise TurbineError("La date d'un avancement ne peut pas être dans le futur.", field="date")
    evidence = _evidence(evidence_file) if evidence_file is not None else None
    with transaction.atomic():
        pledge = (
            Pledge.objects.select_for_update(of=("self",))
            .select_related("challenge")
            .filter(pk=pledge_id)
            .first()
        )
        if pledge is None or pledge.challenge.is_hidden:
            raise NotFoundError("Cet engagement n'existe pas.")
        if not can_report(user, pledge):
            raise PermissionDeniedError(
                "Seule la personne ou l'organisation engagée rend compte de son avancement."
            )
        if date < pledge.created_at.date() - datetime.timedelta(days=366):
            raise TurbineError("Cette date est antérieure à l'engagement.", field="date")
        if pledge.reports.count() >= MAX_REPORTS_PER_PLEDGE:
            raise TurbineError(f"{MAX_REPORTS_PER_PLEDGE} avancements au plus par engagement.")
        report = PledgeReport(
            pledge=pledge,
            value=value,
            date=date,
            evidence_url=evidence_url,
            note=note,
            created_by=user,
        )
        if evidence is not None:
            checked, content = evidence
            report.evidence_type = checked.content_type
            report.evidence_size = content.size
            report.evidence_file.save(stored_name(checked), content, save=False)
        try:
            report.save()
        except Exception:
            if report.evidence_file:
                report.evidence_file.storage.delete(report.evidence_file.name)
            raise
        return report


def _evidence(upload: UploadedFile) -> tuple[CheckedFile, ContentFile]:
    """A report's document: a PNG or JPEG photo is re-encoded (what is stored is never the
    uploaded bytes, and carries no metadata such as the place it was taken); a PDF is checked
    by its first bytes. Anything else is refused with a French message on ``evidence_file``."""
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    if head.startswith((b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff")):
        fmt = "PNG" if head.startswith(b"\x89PNG") else "JPEG"
        content = images.reencode(
            upload, max_side=EVIDENCE_MAX_SIDE, fmt=fmt, field="evidence_file", max_bytes=MAX_BYTES
        ).content
        extension = ".png" if fmt == "PNG" else ".jpg"
        return CheckedFile(f"image/{fmt.lower()}", extension, content.size), content
    try:
        checked = check_document(upload)
    except TurbineError as error:
        raise TurbineError(error.message, field="evidence_file") from None
    if checked.content_type != "application/pdf":
        raise TurbineError(f"Une preuve jointe est un {EVIDENCE_TYPES}.", field="evidence_file")
    upload.seek(0)
    return checked, ContentFile(upload.read())
