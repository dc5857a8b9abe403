"""The label committee: members with declared interests, assignments that exclude anyone
linked to the application, per-criterion verdicts and each reviewer's own score, the decision
(level granted, refused with reasons, or returned for changes), confirmation after delivery,
and the expiry and renewal reminders."""

from __future__ import annotations

import datetime
from functools import partial
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from turbine.accounts.models import User
from turbine.core.email import send_after_commit
from turbine.core.exceptions import NotFoundError, PermissionDeniedError, TurbineError
from turbine.directory.models import MemberRole, Membership, MembershipStatus
from turbine.label.models import (
    Application,
    ApplicationStatus,
    AssessmentStatus,
    CommitteeMember,
    Decision,
    DecisionOutcome,
    Level,
    ReviewAssignment,
    Verdict,
    VerdictChoice,
)
from turbine.label.scores import score_sheet
from turbine.label.search_label import index_label
from turbine.label.selectors.label import referential_levels, referential_nodes

RENEWAL_NOTICE_DAYS = 90
MAX_VALIDITY_START_DAYS = 366


def _require_staff(actor: User) -> None:
    if not actor.has_perm("label.manage_committee"):
        raise PermissionDeniedError("Seule l'équipe de la Turbine organise le comité du label.")


def _text(value: str, *, field: str, label: str, max_length: int, required: bool = False) -> str:
    value = (value or "").strip()
    if "\x00" in value:
        raise TurbineError(f"{label} contient un caractère invalide.", field=field)
    if required and not value:
        raise TurbineError(f"{label} est obligatoire.", field=field)
    if len(value) > max_length:
        raise TurbineError(f"{label} ne doit pas dépasser {max_length} caractères.", field=field)
    return value


def linked_user_ids(application: Application) -> set[int]:
    """People linked to the application: its holders and the active members of its holder and
    partner organisations. They never review it."""
    ids: set[int] = set()
    org_ids: set[int] = set()
    project = application.project
    if project is not None:
        if project.holder_user_id:
            ids.add(project.holder_user_id)
        if project.holder_organisation_id:
            org_ids.add(project.holder_organisation_id)
        org_ids |= set(project.partners.values_list("pk", flat=True))
    elif application.organisation_id is not None:
        org_ids.add(application.organisation_id)
    ids |= set(
        Membership.objects.filter(
            organisation_id__in=org_ids, status=MembershipStatus.ACTIVE
        ).values_list("user_id", flat=True)
    )
    return ids


@transaction.atomic
def committee_member_add(
    *, actor: User, user_id: int, is_invited: bool, quality: str = "", declared_interests: str = ""
) -> CommitteeMember:
    _require_staff(actor)
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None:
        raise NotFoundError("Cette personne n'a pas de compte actif.")
    quality = _text(quality, field="quality", label="La qualité", max_length=200)
    interests = _text(
        declared_interests, field="declared_interests", label="Les intérêts", max_length=5000
    )
    member, _created = CommitteeMember.objects.update_or_create(
        user=user,
        defaults={
            "is_invited": is_invited,
            "quality": quality,
            "declared_interests": interests,
            "is_active": True,
        },
    )
    return member


def _locked_application(application_id: int) -> Application:
    application = (
        Application.objects.select_for_update(of=("self",))
        .select_related("project__holder_organisation", "organisation", "referential")
        .filter(pk=application_id)
        .first()
    )
    if application is None:
        raise NotFoundError("Cette candidature n'existe pas.")
    return application


@transaction.atomic
def review_assign(*, actor: User, application_id: int, member_id: int) -> ReviewAssignment:
    """Staff assign a committee member to an application under review; a member linked to it
    (holder, member of the holder or partner organisations) is excluded."""
    _require_staff(actor)
    application = _locked_application(application_id)
    if application.status != ApplicationStatus.REVIEW:
        raise TurbineError("Seule une candidature soumise au comité s'examine.")
    member = (
        CommitteeMember.objects.select_related("user").filter(pk=member_id, is_active=True).first()
    )
    if member is None:
        raise NotFoundError("Ce membre du comité n'existe pas.")
    if member.user_id in linked_user_ids(application):
        raise TurbineError(
            f"{member.user.public_name} est lié·e à cette candidature (porteur, membre de "
            "l'organisation porteuse ou partenaire) : conflit d'intérêts, il ou elle ne peut "
            "pas l'examiner.",
            field="member",
        )
    try:
        with transaction.atomic():
            return ReviewAssignment.objects.create(application=application, member=member)
    except IntegrityError:
        raise TurbineError("Ce membre examine déjà cette candidature.", field="member") from None


def _reviewer_assignment(actor: User, assignment_id: int) -> ReviewAssignment:
    assignment = (
        ReviewAssignment.objects.select_for_update(of=("self",))
        .select_related("application__project", "application__organisation", "member")
        .filter(pk=assignment_id)
        .first()
    )
    if (
        assignment is None
        or assignment.member.user_id != actor.pk
        or not assignment.member.is_active
    ):
        raise PermissionDeniedError("Cet examen est confié à un autre membre du comité.")
    if actor.pk in linked_user_ids(assignment.application):
        raise PermissionDeniedError(
            "Vous ne pouvez pas examiner une candidature à laquelle vous êtes lié·e."
        )
    if assignment.application.status != ApplicationStatus.REVIEW:
        raise TurbineError("Le comité a déjà rendu sa décision sur cette candidature.")
    return assignment


@transaction.atomic
def review_declare(
    *, actor: User, assignment_id: int, has_conflict: bool
) -> ReviewAssignment | None:
    """The reviewer declares, before anything else, whether they have a conflict of interest
    with the application; declaring one withdraws them from its review."""
    assignment = _reviewer_assignment(actor, assignment_id)
    if has_conflict:
        assignment.delete()
        return None
    assignment.no_conflict_declared_at = timezone.now()
    assignment.save(update_fields=["no_conflict_declared_at"])
    return assignment


def _require_declared(assignment: ReviewAssignment) -> None:
    if assignment.no_conflict_declared_at is None:
        raise TurbineError(
            "Déclarez d'abord que vous n'avez pas de conflit d'intérêts avec cette candidature."
        )


@transaction.atomic
def verdict_set(
    *,
    actor: User,
    assignment_id: int,
    node_id: int,
    choice: str,
    status: str = "",
    comment: str = "",
) -> Verdict:
    assignment = _reviewer_assignment(actor, assignment_id)
    _require_declared(assignment)
    application = assignment.application
    node = application.referential.nodes.filter(pk=node_id).first()
    if node is None:
        raise NotFoundError("Ce critère n'appartient pas au référentiel de la candidature.")
    if node.identifier not in application.submitted_statuses:
        raise TurbineError("Le porteur n'a pas évalué ce critère : il n'y a rien à juger.")
    if choice not in VerdictChoice.values:
        raise TurbineError(
            "Dites si vous êtes d'accord avec l'évaluation du porteur.", field="choice"
        )
    comment = _text(comment, field="comment", label="Le commentaire", max_length=5000)
    if choice == VerdictChoice.DISAGREE:
        if not comment:
            raise TurbineError("Expliquez votre désaccord dans un commentaire.", field="comment")
        if status not in (
            AssessmentStatus.DONE,
            AssessmentStatus.PLANNED,
            AssessmentStatus.NOT_DONE,
            AssessmentStatus.NOT_CONCERNED,
        ):
            raise TurbineError("Indiquez l'état que vous retiendriez.", field="status")
    else:
        status = ""
    verdict, _created = Verdict.objects.update_or_create(
        assignment=assignment,
        node=node,
        defaults={"choice": choice, "status": status, "comment": comment},
    )
    _refresh_own_score(assignment)
    return verdict


def _statuses_with(
    submitted: dict[str, dict[str, Any]], verdicts: list[Verdict]
) -> dict[str, dict[str, Any]]:
    statuses = dict(submitted)
    for verdict in verdicts:
        if verdict.choice == VerdictChoice.DISAGREE and verdict.status:
            statuses[verdict.node.identifier] = {"status": verdict.status}
    return statuses


def _sheet(application: Application, statuses: dict[str, dict[str, Any]]) -> dict[str, Any]:
    return score_sheet(
        nodes=referential_nodes(application.referential),
        levels=referential_levels(application.referential),
        statuses=statuses,
    ).as_json()


def _refresh_own_score(assignment: ReviewAssignment) -> None:
    verdicts = list(assignment.verdicts.select_related("node"))
    assignment.own_score = _sheet(
        assignment.application, _statuses_with(assignment.application.submitted_statuses, verdicts)
    )
    assignment.save(update_fields=["own_score"])


@transaction.atomic
def review_complete(*, actor: User, assignment_id: int, opinion: str) -> ReviewAssignment:
    assignment = _reviewer_assignment(actor, assignment_id)
    _require_declared(assignment)
    assignment.opinion = _text(
        opinion, field="opinion", label="Votre avis général", max_length=5000, required=True
    )
    assignment.completed_at = timezone.now()
    _refresh_own_score(assignment)
    assignment.save(update_fields=["opinion", "completed_at"])
    return assignment


def committee_statuses(application: Application) -> dict[str, dict[str, Any]]:
    """The holder's frozen statuses corrected by the reviewers' disagreements (in the order
    the reviews were assigned: a later reviewer's correction wins)."""
    verdicts = list(
        Verdict.objects.filter(assignment__application=application)
        .select_related("node")
        .order_by("assignment__created_at", "assignment_id", "node__position")
    )
    return _statuses_with(application.submitted_statuses, verdicts)


def committee_sheet(application: Application) -> dict[str, Any]:
    """The score the committee retains today (the holder's, corrected by the reviewers)."""
    return _sheet(application, committee_statuses(application))


def _notify_holder(application: Application, subject: str, body: str) -> None:
    emails: set[str] = set()
    project = application.project
    if project is not None:
        holder = project.holder_user
        if holder is not None and holder.is_active:
            emails.add(holder.email)
        org_id = project.holder_organisation_id
    else:
        org_id = application.organisation_id
    if org_id:
        emails |= set(
            Membership.objects.filter(
                organisation_id=org_id, role=MemberRole.ADMIN, status=MembershipStatus.ACTIVE
            ).values_list("user__email", flat=True)
        )
    url = f"{settings.SITE_URL}{application.get_absolute_url()}"
    for email in sorted(emails):
        send_after_commit(
            EmailMessage(
                subject=subject, body=f"{body}\n\n{url}\n\nL'équipe de la Turbine", to=[email]
            )
        )


@transaction.atomic
def application_decide(
    *,
    actor: User,
    application_id: int,
    outcome: str,
    reasons: str,
    meeting_date: datetime.date,
    level_id: int | None = None,
    valid_from: datetime.date | None = None,
) -> Decision:
    """The committee's decision, recorded by staff not linked to the application. Both scores
    are frozen; a granted level may not exceed the one the committee's score reaches; the label
    is valid for the referential's validity period from ``valid_from``."""
    if not actor.has_perm("label.decide_application", None):
        raise PermissionDeniedError(
            "Seule l'équipe de la Turbine enregistre la décision du comité."
        )
    application = _locked_application(application_id)
    if actor.pk in linked_user_ids(application):
        raise PermissionDeniedError(
            "Vous êtes lié·e à cette candidature : un·e autre membre de l'équipe enregistre "
            "la décision."
        )
    if application.status != ApplicationStatus.REVIEW:
        raise TurbineError("Cette candidature n'attend pas de décision du comité.")
    if outcome not in DecisionOutcome.values:
        raise TurbineError("Choisissez la décision du comité.", field="outcome")
    reasons = _text(reasons, field="reasons", label="Les motifs", max_length=10_000, required=True)
    today = timezone.localdate()
    if meeting_date > today or meeting_date < today - datetime.timedelta(
        days=MAX_VALIDITY_START_DAYS
    ):
        raise TurbineError(
            "La réunion du comité a eu lieu dans l'année écoulée, pas dans le futur.",
            field="meeting_date",
        )
    committee = _sheet(application, committee_statuses(application))
    level = None
    valid_until = None
    if outcome == DecisionOutcome.GRANTED:
        level = (
            Level.objects.filter(pk=level_id, referential=application.referential).first()
            if level_id
            else None
        )
        if level is None:
            raise TurbineError("Choisissez le niveau accordé.", field="level")
        reached = committee["etoiles"] or 0
        if level.stars > reached:
            raise TurbineError(
                f"Le score retenu par le comité atteint {reached} étoile(s) : le niveau accordé "
                "ne peut pas être plus élevé.",
                field="level",
            )
        valid_from = valid_from or meeting_date
        if abs((valid_from - today).days) > MAX_VALIDITY_START_DAYS:
            raise TurbineError(
                "La date de début de validité est trop éloignée.", field="valid_from"
            )
        years = application.referential.validity_years
        try:
            valid_until = valid_from.replace(year=valid_from.year + years) - datetime.timedelta(
                days=1
            )
        except ValueError:  # 29 February
            valid_until = valid_from.replace(year=valid_from.year + years, day=28)
    decision = Decision.objects.create(
        application=application,
        outcome=outcome,
        level=level,
        reasons=reasons,
        meeting_date=meeting_date,
        applicant_score=application.submitted_score,
        committee_score=committee,
        valid_from=valid_from if level else None,
        valid_until=valid_until,
        decided_by=actor,
    )
    application.meeting_date = meeting_date
    application.status = {
        DecisionOutcome.GRANTED: ApplicationStatus.GRANTED,
        DecisionOutcome.REFUSED: ApplicationStatus.REFUSED,
        DecisionOutcome.RETURNED: ApplicationStatus.RETURNED,
    }[DecisionOutcome(outcome)]
    application.save(update_fields=["meeting_date", "status"])
    transaction.on_commit(lambda: index_label(application_id=application.pk))
    label = decision.get_outcome_display()
    _notify_holder(
        application,
        f"Label de la Turbine : décision du comité pour « {application.holder_name} »",
        f"Bonjour,\n\nLe comité du label s'est réuni le {meeting_date:%d/%m/%Y}. Décision : "
        f"{label}{f' ({level.name})' if level else ''}.\n\nMotifs :\n{reasons}\n\n"
        "Les commentaires du comité, critère par critère, sont maintenant visibles dans votre "
        "espace de candidature :",
    )
    return decision


@transaction.atomic
def confirmation_schedule(*, actor: User, application_id: int, due: datetime.date) -> Application:
    """Stage 4: staff set the date of the confirmation after delivery."""
    _require_staff(actor)
    application = _locked_application(application_id)
    if application.status != ApplicationStatus.GRANTED:
        raise TurbineError("Seul un projet labellisé attend sa confirmation après livraison.")
    if (
        due < timezone.localdate() - datetime.timedelta(days=MAX_VALIDITY_START_DAYS)
        or due.year > 2100
    ):
        raise TurbineError("Choisissez une date de confirmation plausible.", field="due")
    application.confirmation_due = due
    application.save(update_fields=["confirmation_due"])
    return application


@transaction.atomic
def application_confirm(*, actor: User, application_id: int) -> Application:
    _require_staff(actor)
    application = _locked_application(application_id)
    if application.status != ApplicationStatus.GRANTED:
        raise TurbineError("Seul un projet labellisé peut être confirmé.")
    if application.confirmation_due is None or application.confirmation_due > timezone.localdate():
        raise TurbineError("La date de confirmation après livraison n'est pas encore arrivée.")
    application.status = ApplicationStatus.CONFIRMED
    application.confirmed_at = timezone.now()
    application.save(update_fields=["status", "confirmed_at"])
    return application


def send_label_reminders(*, today: datetime.date | None = None) -> int:
    """Renewal reminders ``RENEWAL_NOTICE_DAYS`` before a label expires, and a notice once it
    has; each sent once (a conditional UPDATE claims it, so two runs never both send)."""
    today = today or timezone.localdate()
    sent = 0
    soon = today + datetime.timedelta(days=RENEWAL_NOTICE_DAYS)
    due = Decision.objects.filter(
        outcome=DecisionOutcome.GRANTED,
        valid_until__gte=today,
        valid_until__lte=soon,
        renewal_reminder_sent_at__isnull=True,
    ).values_list("pk", flat=True)
    for decision_id in list(due):
        with transaction.atomic():
            if not Decision.objects.filter(
                pk=decision_id, renewal_reminder_sent_at__isnull=True
            ).update(renewal_reminder_sent_at=timezone.now()):
                continue
            decision = Decision.objects.select_related(
                "application__project", "application__organisation"
            ).get(pk=decision_id)
            name = decision.application.holder_name
            space = f"{settings.SITE_URL}{reverse('label:applications')}"
            _notify_holder(
                decision.application,
                f"Label de la Turbine : pensez à le renouveler (« {name} »)",
                f"Bonjour,\n\nLe label accordé à « {name} » expire le "
                f"{decision.valid_until:%d/%m/%Y}. Pour le garder, ouvrez une nouvelle "
                f"candidature depuis l'espace des candidatures ({space}).",
            )
            sent += 1
    expired = Decision.objects.filter(
        outcome=DecisionOutcome.GRANTED, valid_until__lt=today, expiry_notice_sent_at__isnull=True
    ).values_list("pk", flat=True)
    for decision_id in list(expired):
        with transaction.atomic():
            if not Decision.objects.filter(
                pk=decision_id, expiry_notice_sent_at__isnull=True
            ).update(expiry_notice_sent_at=timezone.now()):
                continue
            decision = Decision.objects.select_related(
                "application__project", "application__organisation"
            ).get(pk=decision_id)
            transaction.on_commit(partial(index_label, application_id=decision.application_id))
            name = decision.application.holder_name
            _notify_holder(
                decision.application,
                f"Label de la Turbine : il a expiré (« {name} »)",
                f"Bonjour,\n\nLe label accordé à « {name} » a expiré le "
                f"{decision.valid_until:%d/%m/%Y} et n'apparaît plus au registre. Une nouvelle "
                "candidature permet de le retrouver.",
            )
            sent += 1
    return sent
