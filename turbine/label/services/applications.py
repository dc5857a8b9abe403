"""Applications for the label, by their holder: create, sign the label's commitments,
self-assess with evidence, submit (frozen)."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal, InvalidOperation

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from turbine.accounts.models import User
from turbine.core.exceptions import NotFoundError, PermissionDeniedError, TurbineError
from turbine.directory.models import Organisation
from turbine.directory.rules import is_organisation_admin
from turbine.label import uploads
from turbine.label.models import (
    Application,
    ApplicationStatus,
    Assessment,
    AssessmentStatus,
    Evidence,
    ReferentialNode,
)
from turbine.label.scores import score_sheet, statuses_from_assessments
from turbine.label.selectors.label import (
    current_referential,
    referential_levels,
    referential_nodes,
)
from turbine.projects.models import Project
from turbine.projects.rules import is_project_holder

OPEN_STATUSES = (
    ApplicationStatus.COMMITMENTS,
    ApplicationStatus.SELF_ASSESSMENT,
    ApplicationStatus.RETURNED,
    ApplicationStatus.REVIEW,
)


def _text(value: str, *, field: str, label: str, max_length: int, required: bool = False) -> str:
    value = (value or "").strip()
    if "\x00" in value:
        raise TurbineError(f"{label} contient un caractère invalide.", field=field)
    if required and not value:
        raise TurbineError(f"{label} est obligatoire.", field=field)
    if len(value) > max_length:
        raise TurbineError(f"{label} ne doit pas dépasser {max_length} caractères.", field=field)
    return value


def _locked_application(application_id: int) -> Application:
    # Locked: two tabs of the holder, or the holder and staff, never interleave their writes.
    application = (
        Application.objects.select_for_update(of=("self",))
        .select_related("project__holder_organisation", "organisation", "referential")
        .filter(pk=application_id)
        .first()
    )
    if application is None:
        raise NotFoundError("Cette candidature n'existe pas.")
    return application


def _require_editable(actor: User, application: Application) -> None:
    if not actor.has_perm("label.edit_self_assessment", application):
        if application.is_editable:
            raise PermissionDeniedError(
                "Seul le porteur de la candidature modifie son auto-évaluation."
            )
        raise TurbineError(
            "L'auto-évaluation est figée : elle a été soumise au comité, ou les engagements "
            "ne sont pas encore signés."
        )


@transaction.atomic
def application_create(
    *,
    actor: User,
    project_id: int | None = None,
    organisation_id: int | None = None,
    is_demo: bool = False,
) -> Application:
    """Stage 1 opens: an application of a project (by one of its holders) or of an
    organisation (by one of its administrators), on the current referential. One open
    application per holder at a time."""
    if not actor.is_authenticated:
        raise PermissionDeniedError("Connectez-vous pour candidater au label.")
    if (project_id is None) == (organisation_id is None):
        raise TurbineError("Choisissez le projet ou l'organisation qui candidate.", field="holder")
    referential = current_referential()
    if referential is None:
        raise TurbineError("Le référentiel du label n'est pas encore publié.")
    project = organisation = None
    if project_id is not None:
        # Locked so that two submissions cannot both open an application for it.
        project = Project.objects.select_for_update().filter(pk=project_id).first()
        if project is None:
            raise NotFoundError("Ce projet n'existe pas.")
        if not is_project_holder(actor, project):
            raise PermissionDeniedError("Seuls les porteurs du projet peuvent le faire candidater.")
        open_exists = Application.objects.filter(project=project, status__in=OPEN_STATUSES)
    else:
        assert organisation_id is not None  # exactly one of the two, checked above
        organisation = Organisation.objects.select_for_update().filter(pk=organisation_id).first()
        if organisation is None:
            raise NotFoundError("Cette organisation n'existe pas.")
        if not is_organisation_admin(actor, organisation):
            raise PermissionDeniedError(
                "Seul·e un·e administrateur·rice de l'organisation peut la faire candidater."
            )
        open_exists = Application.objects.filter(
            organisation=organisation, status__in=OPEN_STATUSES
        )
    if open_exists.exists():
        raise TurbineError("Une candidature est déjà en cours pour ce porteur.", field="holder")
    return Application.objects.create(
        referential=referential,
        project=project,
        organisation=organisation,
        created_by=actor,
        is_demo=is_demo,
    )


@transaction.atomic
def application_sign_commitments(
    *, actor: User, application_id: int, accepted: bool
) -> Application:
    """Stage 1 → 2: the holder signs the label's commitments."""
    application = _locked_application(application_id)
    if not _is_holder(actor, application):
        raise PermissionDeniedError("Seul le porteur de la candidature signe ses engagements.")
    if application.status != ApplicationStatus.COMMITMENTS:
        raise TurbineError("Les engagements du label sont déjà signés.")
    if not accepted:
        raise TurbineError("Cochez la case pour signer les engagements du label.", field="accepted")
    application.status = ApplicationStatus.SELF_ASSESSMENT
    application.commitments_signed_at = timezone.now()
    application.commitments_signed_by = actor
    application.save(update_fields=["status", "commitments_signed_at", "commitments_signed_by"])
    return application


def _is_holder(actor: User, application: Application) -> bool:
    if application.project_id:
        return is_project_holder(actor, application.project)
    return is_organisation_admin(actor, application.organisation)


def _node(application: Application, node_id: int) -> ReferentialNode:
    node = ReferentialNode.objects.filter(
        pk=node_id, referential_id=application.referential_id
    ).first()
    if node is None:
        raise NotFoundError("Ce critère n'appartient pas au référentiel de la candidature.")
    return node


def _percent(value: object, label: str) -> Decimal:
    try:
        number = Decimal(str(value).strip().replace(",", ".") or "0")
    except InvalidOperation:
        raise TurbineError(
            f"La part « {label} » doit être un nombre de 0 à 100.", field="shares"
        ) from None
    if not number.is_finite() or number < 0 or number > 100:
        raise TurbineError(f"La part « {label} » doit être un nombre de 0 à 100.", field="shares")
    return (number / 100).quantize(Decimal("0.001"))


@transaction.atomic
def assessment_set(
    *,
    actor: User,
    application_id: int,
    node_id: int,
    status: str,
    reason: str = "",
    comment: str = "",
    percent_done: object = 0,
    percent_planned: object = 0,
    percent_not_done: object = 0,
) -> Assessment:
    """The holder's status of one node. A parent node may only be non concerné; non concerné
    needs a reason; détaillé needs shares summing to 100 %."""
    application = _locked_application(application_id)
    _require_editable(actor, application)
    node = _node(application, node_id)
    if status not in AssessmentStatus.values:
        raise TurbineError("Choisissez un état.", field="status")
    is_leaf = not node.children.exists()
    if not is_leaf and status != AssessmentStatus.NOT_CONCERNED:
        raise TurbineError(
            "Un axe ou un critère qui a des sous-critères ne peut qu'être déclaré non concerné : "
            "évaluez ses sous-critères.",
            field="status",
        )
    reason = _text(reason, field="reason", label="La raison", max_length=2000)
    comment = _text(comment, field="comment", label="Le commentaire", max_length=5000)
    if status == AssessmentStatus.NOT_CONCERNED and not reason:
        raise TurbineError(
            "Expliquez pourquoi votre projet n'est pas concerné par ce critère.", field="reason"
        )
    shares = (Decimal(0), Decimal(0), Decimal(0))
    if status == AssessmentStatus.DETAILED:
        shares = (
            _percent(percent_done, "fait"),
            _percent(percent_planned, "programmé"),
            _percent(percent_not_done, "pas fait"),
        )
        if sum(shares) != Decimal(1):
            raise TurbineError(
                "Les parts « fait », « programmé » et « pas fait » doivent totaliser 100 %.",
                field="shares",
            )
    assessment, _created = Assessment.objects.update_or_create(
        application=application,
        node=node,
        defaults={
            "status": status,
            "reason": reason if status == AssessmentStatus.NOT_CONCERNED else "",
            "comment": comment,
            "share_done": shares[0],
            "share_planned": shares[1],
            "share_not_done": shares[2],
            "updated_by": actor,
        },
    )
    return assessment


@transaction.atomic
def assessment_clear(*, actor: User, application_id: int, node_id: int) -> None:
    application = _locked_application(application_id)
    _require_editable(actor, application)
    Assessment.objects.filter(application=application, node_id=node_id).delete()


@transaction.atomic
def evidence_add(
    *,
    actor: User,
    application_id: int,
    node_id: int,
    title: str,
    upload: UploadedFile | None = None,
    url: str = "",
) -> Evidence:
    application = _locked_application(application_id)
    _require_editable(actor, application)
    node = _node(application, node_id)
    title = _text(
        title, field="title", label="L'intitulé de la preuve", max_length=200, required=True
    )
    url = _text(url, field="url", label="Le lien", max_length=500)
    if (upload is None) == (not url):
        raise TurbineError("Joignez un fichier ou donnez un lien (l'un ou l'autre).", field="file")
    if url and not url.lower().startswith(("https://", "http://")):
        raise TurbineError("Le lien doit commencer par https:// ou http://.", field="url")
    evidence = Evidence(application=application, node=node, title=title, url=url, added_by=actor)
    if upload is not None:
        checked = uploads.check_evidence(upload)
        evidence.content_type = checked.content_type
        evidence.size = checked.size
        evidence.file.save(uploads.stored_name(checked), upload, save=False)
    evidence.save()
    return evidence


@transaction.atomic
def evidence_delete(*, actor: User, evidence_id: int) -> None:
    evidence = Evidence.objects.filter(pk=evidence_id).first()
    if evidence is None:
        raise NotFoundError("Cette preuve n'existe pas.")
    application = _locked_application(evidence.application_id)
    _require_editable(actor, application)
    if evidence.file:
        name = evidence.file.name
        storage = evidence.file.storage
        if name:
            transaction.on_commit(lambda: storage.delete(name))
    evidence.delete()


@transaction.atomic
def application_submit(*, actor: User, application_id: int) -> Application:
    """Stage 2 → 3: submitted when every concerned sub-criterion has a status; the statuses and
    the score are frozen."""
    application = _locked_application(application_id)
    _require_editable(actor, application)
    referential = application.referential
    statuses = statuses_from_assessments(application.assessments.select_related("node"))
    sheet = score_sheet(
        nodes=referential_nodes(referential),
        levels=referential_levels(referential),
        statuses=statuses,
    )
    if sheet.total["non_renseigne"] > 0:
        missing = [
            key
            for key, node in sheet.nodes.items()
            if key
            and node["concerne"]
            and node["non_renseigne"] > 0
            and _is_leaf_key(key, sheet.nodes)
        ]
        raise TurbineError(
            "L'auto-évaluation n'est pas complète : renseignez "
            + (
                f"les critères {', '.join(missing[:8])}"
                if len(missing) > 1
                else f"le critère {missing[0]}"
            )
            + (" (et d'autres)" if len(missing) > 8 else "")
            + " avant de soumettre."
        )
    application.status = ApplicationStatus.REVIEW
    application.submitted_at = timezone.now()
    application.submitted_statuses = statuses
    application.submitted_score = sheet.as_json()
    application.save(
        update_fields=["status", "submitted_at", "submitted_statuses", "submitted_score"]
    )
    return application


def _is_leaf_key(key: str, nodes: Mapping[str, object]) -> bool:
    prefix = key + "."
    return not any(other.startswith(prefix) for other in nodes)
