"""Diplomacy: blocker reports and the advocacy files that group them; the stakeholder map,
public commitments and their follow-up; briefs of the pedagogical actors to elected officials."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from turbine.accounts import roles
from turbine.accounts.models import User
from turbine.core.exceptions import NotFoundError, TurbineError
from turbine.directory.models import MembershipStatus
from turbine.guichet.models import SupportRequest
from turbine.projects.models import Project, Visibility
from turbine.showcase.models import (
    ActorKind,
    AdvocacyFile,
    AdvocacyStatus,
    AdvocacyStep,
    BlockerLevel,
    BlockerReport,
    Commitment,
    CommitmentStatus,
    PolicyBrief,
    Qualification,
    Relation,
    StrategicActor,
)
from turbine.showcase.services._common import MAX_LINKS, clean_text, require, send_text_email

# --- Blocker reports ------------------------------------------------------------------------


@dataclass(frozen=True)
class BlockerData:
    title: str
    description: str
    rule: str
    level: str
    project_ids: list[int] = field(default_factory=list)
    support_request_id: int | None = None
    holder_agrees: bool = False


def _affected_projects(ids: list[int], *, holder: User | None) -> list[Project]:
    """Public projects, or the holder's own drafts."""
    ids = list(dict.fromkeys(ids))
    if len(ids) > MAX_LINKS:
        raise TurbineError(f"Au plus {MAX_LINKS} projets.", field="projects")
    visible = Q(visibility=Visibility.PUBLIC, is_hidden=False)
    if holder is not None:
        visible |= Q(holder_user=holder)
    projects = list(Project.objects.filter(visible, pk__in=ids))
    if len(projects) != len(ids):
        raise TurbineError("Un des projets choisis n'existe pas.", field="projects")
    return projects


def blocker_report_create(*, actor: User, data: BlockerData) -> BlockerReport:
    """A holder reports what blocked their project; an advisor may report it from a guichet
    request, the request's holder then deciding alone whether it becomes public."""
    require(actor.has_perm("showcase.report_blocker"), "Connectez-vous pour signaler un blocage.")
    title = clean_text(data.title, field="title", max_length=200)
    description = clean_text(data.description, field="description", max_length=5000)
    rule = clean_text(data.rule, field="rule", max_length=300)
    if data.level not in BlockerLevel.values:
        raise TurbineError("Choisissez le niveau de la règle en cause.", field="level")
    holder, support_request, agrees = actor, None, bool(data.holder_agrees)
    if data.support_request_id is not None:
        require(
            actor.has_perm("showcase.qualify_blocker"),
            "Seule l'équipe de la Turbine signale un blocage depuis une demande au guichet.",
        )
        support_request = SupportRequest.objects.filter(pk=data.support_request_id).first()
        if support_request is None:
            raise TurbineError("Cette demande au guichet n'existe pas.", field="support_request")
        holder, agrees = support_request.holder, False
    with transaction.atomic():
        report = BlockerReport.objects.create(
            title=title,
            description=description,
            rule=rule,
            level=data.level,
            author=actor,
            holder=holder,
            support_request=support_request,
            holder_agrees=agrees,
        )
        report.projects.set(_affected_projects(data.project_ids, holder=holder))
        if holder is not None and holder.pk != actor.pk:
            send_text_email(
                to=[holder.email],
                subject="Un blocage de votre projet a été signalé",
                template="blocker_for_holder",
                context={"report": report},
            )
    return report


def get_blocker_for_view(*, user: User, report_id: int) -> BlockerReport:
    """The report if ``user`` may see it: public, or its author, its holder, staff. A private
    report is answered as not found, so that its existence is not revealed either."""
    report = (
        BlockerReport.objects.select_related("file", "author", "holder")
        .filter(pk=report_id)
        .first()
    )
    if report is None or not user.has_perm("showcase.view_blocker", report):
        raise NotFoundError("Blocage introuvable.")
    return report


def blocker_set_public(*, user: User, report_id: int, agree: bool) -> BlockerReport:
    report = get_blocker_for_view(user=user, report_id=report_id)
    require(
        user.has_perm("showcase.publish_blocker", report),
        "Seul le porteur du projet décide de rendre ce signalement public.",
    )
    BlockerReport.objects.filter(pk=report.pk).update(holder_agrees=agree)
    report.refresh_from_db()
    return report


def blocker_qualify(
    *,
    actor: User,
    report_id: int,
    qualification: str,
    file_id: int | None = None,
    note: str = "",
) -> BlockerReport:
    """Staff qualify a report (or set it out of scope) and group it into an advocacy file."""
    require(actor.has_perm("showcase.qualify_blocker"))
    if qualification not in Qualification.values:
        raise TurbineError("Qualification inconnue.", field="qualification")
    note = clean_text(note, field="staff_note", max_length=2000, required=False)
    file = None
    if file_id is not None:
        file = AdvocacyFile.objects.filter(pk=file_id).first()
        if file is None:
            raise TurbineError("Ce dossier n'existe pas.", field="file")
        if qualification != Qualification.QUALIFIED:
            raise TurbineError("Seul un blocage qualifié rejoint un dossier.", field="file")
    with transaction.atomic():
        report = BlockerReport.objects.select_for_update().filter(pk=report_id).first()
        if report is None:
            raise NotFoundError("Blocage introuvable.")
        report.qualification, report.file, report.staff_note = qualification, file, note
        report.qualified_by, report.qualified_at = actor, timezone.now()
        report.save(
            update_fields=["qualification", "file", "staff_note", "qualified_by", "qualified_at"]
        )
    return report


# --- Advocacy files -------------------------------------------------------------------------


@dataclass(frozen=True)
class AdvocacyData:
    title: str
    summary: str
    rule: str
    level: str
    body_addressed: str = ""


def advocacy_file_create(*, actor: User, data: AdvocacyData) -> AdvocacyFile:
    require(actor.has_perm("showcase.manage_advocacy"))
    if data.level not in BlockerLevel.values:
        raise TurbineError("Choisissez le niveau de la règle en cause.", field="level")
    return AdvocacyFile.objects.create(
        title=clean_text(data.title, field="title", max_length=200),
        summary=clean_text(data.summary, field="summary", max_length=5000),
        rule=clean_text(data.rule, field="rule", max_length=300),
        level=data.level,
        body_addressed=clean_text(
            data.body_addressed, field="body_addressed", max_length=200, required=False
        ),
        opened_on=timezone.localdate(),
        created_by=actor,
    )


def advocacy_step_add(
    *,
    actor: User,
    file_id: int,
    on: date,
    body: str,
    note: str,
    status: str = "",
) -> AdvocacyStep:
    """A dated step of the follow-up towards an authority, which may move the file's status:
    « porté auprès de » records the body and the date; « obtenu » or « abandonné » close it."""
    require(actor.has_perm("showcase.manage_advocacy"))
    body = clean_text(body, field="body", max_length=200)
    note = clean_text(note, field="note", max_length=3000)
    if status and status not in AdvocacyStatus.values:
        raise TurbineError("Statut inconnu.", field="status")
    if on > timezone.localdate():
        raise TurbineError("Une étape se note une fois passée.", field="date")
    with transaction.atomic():
        file = AdvocacyFile.objects.select_for_update().filter(pk=file_id).first()
        if file is None:
            raise NotFoundError("Dossier introuvable.")
        if on < file.opened_on:
            raise TurbineError("Cette date précède l'ouverture du dossier.", field="date")
        step = AdvocacyStep.objects.create(file=file, date=on, body=body, note=note, author=actor)
        if status:
            file.status = status
            if status == AdvocacyStatus.CARRIED:
                file.body_addressed, file.carried_on = body, file.carried_on or on
            if status in (AdvocacyStatus.OBTAINED, AdvocacyStatus.ABANDONED):
                file.closed_on = on
            else:
                file.closed_on = None
            file.save(
                update_fields=["status", "body_addressed", "carried_on", "closed_on", "updated_at"]
            )
    return step


# --- Strategies -----------------------------------------------------------------------------


@dataclass(frozen=True)
class ActorData:
    name: str
    kind: str
    mission: str
    relation: str
    relation_note: str = ""
    website: str = ""


def strategic_actor_create(*, actor: User, data: ActorData) -> StrategicActor:
    require(actor.has_perm("showcase.manage_strategies"))
    name = clean_text(data.name, field="name", max_length=200)
    if data.kind not in ActorKind.values:
        raise TurbineError("Type d'acteur inconnu.", field="kind")
    if data.relation not in Relation.values:
        raise TurbineError("Relation inconnue.", field="relation")
    if StrategicActor.objects.filter(name__iexact=name).exists():
        raise TurbineError("Cet acteur est déjà sur la carte.", field="name")
    return StrategicActor.objects.create(
        name=name,
        kind=data.kind,
        mission=clean_text(data.mission, field="mission", max_length=3000),
        relation=data.relation,
        relation_note=clean_text(
            data.relation_note, field="relation_note", max_length=300, required=False
        ),
        website=clean_text(data.website, field="website", max_length=200, required=False),
    )


def commitment_create(
    *,
    actor: User,
    actor_id: int,
    title: str,
    announced_on: date,
    due_on: date | None = None,
    source_url: str = "",
    description: str = "",
) -> Commitment:
    require(actor.has_perm("showcase.manage_strategies"))
    holder = StrategicActor.objects.filter(pk=actor_id).first()
    if holder is None:
        raise TurbineError("Cet acteur n'existe pas.", field="actor")
    if due_on is not None and due_on < announced_on:
        raise TurbineError("L'échéance vient après l'annonce.", field="due_on")
    return Commitment.objects.create(
        actor=holder,
        title=clean_text(title, field="title", max_length=300),
        description=clean_text(description, field="description", max_length=3000, required=False),
        announced_on=announced_on,
        due_on=due_on,
        source_url=clean_text(source_url, field="source_url", max_length=200, required=False),
    )


def commitment_follow_up(
    *, actor: User, commitment_id: int, status: str, follow_up: str
) -> Commitment:
    """Staff record where a commitment stands (kept, late, dropped), with today's date."""
    require(actor.has_perm("showcase.manage_strategies"))
    if status not in CommitmentStatus.values:
        raise TurbineError("Suivi inconnu.", field="status")
    follow_up = clean_text(follow_up, field="follow_up", max_length=500)
    done = Commitment.objects.filter(pk=commitment_id).update(
        status=status, follow_up=follow_up, checked_on=timezone.localdate()
    )
    if not done:
        raise NotFoundError("Engagement introuvable.")
    return Commitment.objects.get(pk=commitment_id)


def _can_write_for(user: User, holder: StrategicActor) -> bool:
    if user.has_perm("showcase.manage_strategies"):
        return True
    return bool(
        holder.organisation_id
        and user.memberships.filter(
            organisation_id=holder.organisation_id, status=MembershipStatus.ACTIVE
        ).exists()
    )


def brief_create(*, actor: User, actor_id: int, title: str, summary: str, body: str) -> PolicyBrief:
    """A pedagogical actor's message to decision-makers, written by staff or by a member of
    the actor's organisation; staff publish it."""
    holder = StrategicActor.objects.filter(pk=actor_id, kind=ActorKind.PEDAGOGY).first()
    if holder is None:
        raise TurbineError("Choisissez un acteur pédagogique.", field="actor")
    require(
        actor.is_authenticated and _can_write_for(actor, holder),
        "Seuls l'équipe et les membres de cet acteur écrivent en son nom.",
    )
    return PolicyBrief.objects.create(
        actor=holder,
        title=clean_text(title, field="title", max_length=200),
        summary=clean_text(summary, field="summary", max_length=400),
        body=clean_text(body, field="body", max_length=20_000),
        author=actor,
    )


def brief_publish(*, actor: User, brief_id: int) -> PolicyBrief:
    """Publish the brief and send it, once, to every elected official with an account."""
    require(actor.has_perm("showcase.manage_strategies"))
    now = timezone.now()
    with transaction.atomic():
        # Conditional UPDATE: two clicks on « Publier » send the brief once.
        if not PolicyBrief.objects.filter(pk=brief_id, published_at__isnull=True).update(
            published_at=now
        ):
            if not PolicyBrief.objects.filter(pk=brief_id).exists():
                raise NotFoundError("Note introuvable.")
            raise TurbineError("Cette note est déjà publiée et envoyée.")
        brief = PolicyBrief.objects.select_related("actor").get(pk=brief_id)
        emails = list(
            User.objects.filter(groups__name=roles.ELECTED, is_active=True)
            .values_list("email", flat=True)
            .distinct()
        )
        for email in emails:
            send_text_email(
                to=[email],
                subject=f"Note aux élus : {brief.title}",
                template="brief",
                context={"brief": brief},
            )
        brief.recipients_count = len(emails)
        brief.save(update_fields=["recipients_count"])
    return brief
