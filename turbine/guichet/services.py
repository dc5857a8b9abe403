"""Writes of the guichet: submit a request, triage, assign, recommend, converse, note, remind,
close. Every function checks the permission of the person acting, runs in one transaction,
records what staff did in the request's history and raises ``GuichetError`` in French."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from allauth.account.models import EmailAddress
from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import Max, Q
from django.template.loader import render_to_string
from django.utils import timezone

from turbine.accounts import roles
from turbine.accounts.models import User
from turbine.core.email import send_after_commit
from turbine.core.exceptions import PermissionDeniedError, TurbineError
from turbine.core.models import Theme
from turbine.core.throttle import ip_throttle_check
from turbine.funding.models import Aid
from turbine.guichet import matching, triage
from turbine.guichet.models import (
    AidChoice,
    AidChoiceKind,
    HistoryEntry,
    HolderType,
    MentorOffer,
    Message,
    Need,
    Outcome,
    ProcedureTrigger,
    Recommendation,
    RecommendationKind,
    RecommendationStatus,
    Reminder,
    StaffNote,
    Status,
    SupportRequest,
    spaced,
)
from turbine.projects import services as project_services
from turbine.projects.models import Project, Stage
from turbine.projects.rules import is_project_holder
from turbine.territory.models import Commune


class GuichetError(TurbineError):
    pass


# --- helpers ----------------------------------------------------------------------------------


def _log(
    support_request: SupportRequest,
    actor: User | None,
    action: str,
    detail: str = "",
    *,
    staff_only: bool = False,
) -> None:
    HistoryEntry.objects.create(
        request=support_request,
        actor=actor,
        action=action,
        detail=detail[:500],
        is_staff_only=staff_only,
    )


def _require_staff(user: User, support_request: SupportRequest) -> None:
    if not user.has_perm("guichet.follow_request", support_request):
        raise PermissionDeniedError("Seule l'équipe qui suit cette demande peut faire cela.")


def _locked(support_request: SupportRequest) -> SupportRequest:
    # Two advisors may act on the same request at once: the row lock serialises status changes.
    return SupportRequest.objects.select_for_update().get(pk=support_request.pk)


def _notify(*, to: Iterable[User], template: str, context: dict[str, Any]) -> None:
    context = {**context, "site_url": settings.SITE_URL}
    subject = render_to_string(f"guichet/email/{template}_subject.txt", context).strip()
    body = render_to_string(f"guichet/email/{template}_body.txt", context)
    html = render_to_string(f"guichet/email/{template}_body.html", context)
    for person in to:
        if person is None or not person.email:
            continue
        message = EmailMultiAlternatives(
            subject=subject, body=body, to=[person.email], from_email=settings.DEFAULT_FROM_EMAIL
        )
        message.attach_alternative(html, "text/html")
        send_after_commit(message)


def _mark_first_answer(support_request: SupportRequest) -> None:
    if support_request.first_answer_at is None:
        SupportRequest.objects.filter(pk=support_request.pk, first_answer_at__isnull=True).update(
            first_answer_at=timezone.now()
        )
        support_request.refresh_from_db(fields=["first_answer_at"])


def _has_verified_email(user: User) -> bool:
    return EmailAddress.objects.filter(user=user, email__iexact=user.email, verified=True).exists()


def triage_input(support_request: SupportRequest, *, deadline: datetime.date | None = None):
    project = support_request.project
    communes = list(project.communes.all())
    dates = [d for d in (support_request.wished_date, deadline) if d is not None]
    return triage.TriageInput(
        actors_count=support_request.actors_count,
        budget=project.budget_total,
        communes_count=len(communes) or 1,
        stage=project.stage,
        themes=[t.slug for t in project.themes.all()],
        social_urgency=support_request.social_urgency,
        abandonment_risk=support_request.abandonment_risk,
        deadline=min(dates) if dates else None,
    )


def _compute_found(support_request: SupportRequest) -> Any:
    query = matching.query_for_request(support_request)
    return matching.match(query) if query is not None else None


def _store_found(support_request: SupportRequest, result: Any) -> None:
    support_request.found = matching.snapshot(result) if result is not None else {}
    support_request.found_at = timezone.now()


def _apply_triage(support_request: SupportRequest, found: Any = None) -> None:
    deadlines = [i.obj.deadline for i in found.aids if i.obj.deadline] if found else []
    deadline = min(deadlines) if deadlines else None
    data = triage_input(support_request, deadline=deadline)
    support_request.proposed_scale, support_request.scale_detail = triage.propose_scale(data)
    score, band, detail = triage.urgency(data)
    support_request.urgency_score = score
    support_request.urgency_band = band
    support_request.urgency_detail = detail


# --- intake -----------------------------------------------------------------------------------


def _clean_triggers(slugs: Iterable[str]) -> list[ProcedureTrigger]:
    slugs = list(dict.fromkeys(slugs))
    rows = list(ProcedureTrigger.objects.filter(is_active=True, slug__in=slugs))
    unknown = sorted(set(slugs) - {t.slug for t in rows})
    if unknown:
        raise GuichetError("Situation inconnue : " + ", ".join(unknown) + ".", field="triggers")
    return rows


def _clean_needs(needs: Iterable[str]) -> list[str]:
    needs = list(dict.fromkeys(needs))
    unknown = [n for n in needs if n not in Need.values]
    if unknown:
        raise GuichetError("Besoin inconnu : " + ", ".join(unknown) + ".", field="needs")
    if not needs:
        raise GuichetError("Choisissez au moins un besoin.", field="needs")
    return needs


def request_submit(
    *,
    user: User,
    holder_type: str,
    needs: Iterable[str],
    consent: bool,
    project: Project | None = None,
    title: str = "",
    summary: str = "",
    description: str = "",
    themes: Iterable[Theme] = (),
    communes: Iterable[Commune] = (),
    stage: str = Stage.IDEA,
    budget: Decimal | None = None,
    structure_name: str = "",
    help_wanted: str = "",
    actors_count: int = 1,
    timing: str = "",
    wished_date: datetime.date | None = None,
    social_urgency: bool = False,
    abandonment_risk: bool = False,
    triggers: Iterable[str] = (),
    is_demo: bool = False,
) -> SupportRequest:
    """Create a request about an existing project of the holder or a new one (created through
    the projects services, as a draft only its holder and staff see). Needs a verified email
    address and consent; the scale and urgency are proposed at once."""
    if not getattr(user, "is_authenticated", False):
        raise PermissionDeniedError("Connectez-vous pour envoyer votre demande.")
    if not is_demo and not _has_verified_email(user):
        raise GuichetError(
            "Confirmez votre adresse électronique avant d'envoyer votre demande.", field="email"
        )
    if not consent:
        raise GuichetError(
            "Votre accord est nécessaire pour que la Turbine traite votre demande.",
            field="consent",
        )
    if holder_type not in HolderType.values:
        raise GuichetError("Indiquez qui porte le projet.", field="holder_type")
    needs = _clean_needs(needs)
    trigger_rows = _clean_triggers(triggers)
    if actors_count < 1:
        raise GuichetError("Indiquez au moins un acteur.", field="actors_count")
    with transaction.atomic():
        if project is None:
            communes = list(communes)
            if not communes:
                raise GuichetError("Indiquez au moins une commune.", field="communes")
            project = project_services.project_create(
                user=user,
                title=title.strip(),
                summary=summary.strip()[:400],
                description=description.strip(),
                stage=stage,
                budget_total=budget,
                themes=themes,
                communes=communes,
                is_demo=is_demo,
            )
        elif not is_project_holder(user, project):
            raise PermissionDeniedError("Vous ne portez pas ce projet.")
        communes = list(project.communes.select_related("agglomeration"))
        support_request = SupportRequest(
            holder=user,
            project=project,
            holder_type=holder_type,
            structure_name=structure_name.strip()[:200],
            needs=spaced(needs),
            help_wanted=help_wanted.strip(),
            actors_count=actors_count,
            timing=timing.strip()[:300],
            wished_date=wished_date,
            social_urgency=social_urgency,
            abandonment_risk=abandonment_risk,
            consent_at=timezone.now(),
            agglomeration=communes[0].agglomeration if communes else None,
            is_demo=is_demo,
        )
        support_request.save()
        support_request.triggers.set(trigger_rows)
        found = _compute_found(support_request)
        _store_found(support_request, found)
        _apply_triage(support_request, found)
        support_request.save(
            update_fields=[
                "proposed_scale",
                "scale_detail",
                "urgency_score",
                "urgency_band",
                "urgency_detail",
                "found",
                "found_at",
            ]
        )
        _log(support_request, user, "creation", "Demande envoyée.")
        if not is_demo:
            _notify(
                to=_covering_advisors(support_request),
                template="new_request",
                context={"support_request": support_request},
            )
    return support_request


def _covering_advisors(support_request: SupportRequest) -> list[User]:
    """The available advisors who cover the request's agglomeration (told of a new request)."""
    if support_request.agglomeration_id is None:
        return []
    return list(
        User.objects.filter(
            groups__name=roles.ADVISOR,
            is_active=True,
            guichet_coverage__is_available=True,
            guichet_coverage__agglomerations=support_request.agglomeration_id,
        )
        .distinct()
        .order_by("pk")
    )


def request_retriage(*, user: User, support_request: SupportRequest) -> SupportRequest:
    """Recompute the proposed scale and the urgency (after the grids or the project changed)."""
    _require_staff(user, support_request)
    with transaction.atomic():
        locked = _locked(support_request)
        _apply_triage(locked, _compute_found(locked))
        locked.save(
            update_fields=[
                "proposed_scale",
                "scale_detail",
                "urgency_score",
                "urgency_band",
                "urgency_detail",
                "updated_at",
            ]
        )
        _log(locked, user, "recalcul", f"Urgence recalculée : {locked.urgency_score}/100.")
    return locked


# --- triage and follow-up ---------------------------------------------------------------------


def request_qualify(
    *, user: User, support_request: SupportRequest, scale: int, note: str = ""
) -> SupportRequest:
    """Staff confirm (or correct) the scale level; a new request becomes "qualifiée"."""
    _require_staff(user, support_request)
    if scale not in (1, 2, 3):
        raise GuichetError("Choisissez une échelle de 1 à 3.", field="scale")
    with transaction.atomic():
        locked = _locked(support_request)
        if locked.status == Status.CLOSED:
            raise GuichetError("Cette demande est close.")
        locked.confirmed_scale = scale
        fields = ["confirmed_scale", "updated_at"]
        if locked.status == Status.NEW:
            locked.status = Status.QUALIFIED
            fields.append("status")
        locked.save(update_fields=fields)
        detail = f"Échelle confirmée : niveau {scale} (proposée : {locked.proposed_scale})."
        _log(locked, user, "qualification", f"{detail} {note}".strip())
    return locked


def request_assign(
    *, user: User, support_request: SupportRequest, advisor: User | None
) -> SupportRequest:
    _require_staff(user, support_request)
    if advisor is not None and not advisor.groups.filter(name=roles.ADVISOR).exists():
        raise GuichetError("Choisissez un conseiller de la Turbine.", field="advisor")
    with transaction.atomic():
        locked = _locked(support_request)
        locked.advisor = advisor
        locked.save(update_fields=["advisor", "updated_at"])
        detail = f"Confiée à {advisor}." if advisor else "Plus de conseiller attitré."
        _log(locked, user, "attribution", detail)
    if advisor is not None and advisor.pk != user.pk:
        _notify(to=[advisor], template="assigned", context={"support_request": locked})
    return locked


def request_start_accompaniment(*, user: User, support_request: SupportRequest) -> SupportRequest:
    _require_staff(user, support_request)
    with transaction.atomic():
        locked = _locked(support_request)
        if locked.status == Status.CLOSED:
            raise GuichetError("Cette demande est close.")
        if locked.confirmed_scale is None:
            raise GuichetError("Confirmez d'abord l'échelle du projet.", field="scale")
        locked.status = Status.ACCOMPANIED
        locked.save(update_fields=["status", "updated_at"])
        _log(locked, user, "accompagnement", locked.accompaniment)
    return locked


def request_close(
    *, user: User, support_request: SupportRequest, outcome: str, reason: str
) -> SupportRequest:
    _require_staff(user, support_request)
    if outcome not in Outcome.values:
        raise GuichetError("Choisissez l'issue de la demande.", field="outcome")
    if not reason.strip():
        raise GuichetError("Indiquez le motif de la clôture.", field="reason")
    with transaction.atomic():
        locked = _locked(support_request)
        if locked.status == Status.CLOSED:
            raise GuichetError("Cette demande est déjà close.")
        locked.status = Status.CLOSED
        locked.outcome = outcome
        locked.outcome_reason = reason.strip()
        locked.closed_at = timezone.now()
        locked.save(
            update_fields=["status", "outcome", "outcome_reason", "closed_at", "updated_at"]
        )
        _log(locked, user, "cloture", f"{Outcome(outcome).label} : {reason.strip()}")
    _notify(to=[locked.holder], template="closed", context={"support_request": locked})
    return locked


def request_reopen(*, user: User, support_request: SupportRequest) -> SupportRequest:
    _require_staff(user, support_request)
    with transaction.atomic():
        locked = _locked(support_request)
        if locked.status != Status.CLOSED:
            raise GuichetError("Cette demande n'est pas close.")
        locked.status = Status.QUALIFIED if locked.confirmed_scale else Status.NEW
        locked.outcome = ""
        locked.closed_at = None
        locked.save(update_fields=["status", "outcome", "closed_at", "updated_at"])
        _log(locked, user, "reouverture", "Demande rouverte.")
    return locked


def request_start_renunciation(
    *, user: User, support_request: SupportRequest, reason: str
) -> SupportRequest:
    """The renunciation track: the project is judged destructive for natural environments or
    people; staff record why and accompany its transformation or its dismantling."""
    _require_staff(user, support_request)
    if not reason.strip():
        raise GuichetError(
            "Expliquez pourquoi le projet est jugé destructeur.", field="renunciation_reason"
        )
    with transaction.atomic():
        locked = _locked(support_request)
        locked.renunciation = True
        locked.renunciation_reason = reason.strip()
        locked.save(update_fields=["renunciation", "renunciation_reason", "updated_at"])
        _log(locked, user, "renoncement", reason.strip())
    return locked


# --- the queue: several requests at once ------------------------------------------------------

# Messages of the conversations written from one IP address per hour (a flood stops there).
MESSAGES_PER_IP_PER_HOUR = 60
BULK_ACTIONS = ("attribuer", "qualifier", "accompagner", "clore")


def requests_bulk(
    *,
    user: User,
    request_ids: list[int],
    action: str,
    advisor: User | None = None,
    outcome: str = "",
    reason: str = "",
) -> int:
    """One action on several requests of the queue, all or nothing: each goes through the
    service of that action (same checks, same history entry); the first refusal undoes the
    others and names the request. Returns how many requests were changed."""
    if action not in BULK_ACTIONS:
        raise GuichetError("Action inconnue.", field="action")
    if not request_ids:
        raise GuichetError("Cochez au moins une demande.", field="ids")
    with transaction.atomic():
        requests = list(
            SupportRequest.objects.filter(pk__in=request_ids)
            .select_related("project", "holder")
            .order_by("pk")
        )
        if len(requests) != len(set(request_ids)):
            raise GuichetError("Une des demandes cochées n'existe plus.", field="ids")
        for support_request in requests:
            try:
                if action == "attribuer":
                    request_assign(user=user, support_request=support_request, advisor=advisor)
                elif action == "qualifier":
                    request_qualify(
                        user=user,
                        support_request=support_request,
                        scale=support_request.scale,
                        note="Qualifiée avec d'autres demandes.",
                    )
                elif action == "accompagner":
                    request_start_accompaniment(user=user, support_request=support_request)
                else:
                    request_close(
                        user=user, support_request=support_request, outcome=outcome, reason=reason
                    )
            except TurbineError as error:
                raise GuichetError(
                    f"« {support_request.project.title} » : {error.message} Rien n'a été modifié.",
                    field=error.field,
                ) from error
    return len(requests)


# --- what Turbine found: stored, refreshed, kept or set aside -----------------------------------


def _require_holder_or_staff(user: User, support_request: SupportRequest) -> None:
    if support_request.holder_id != getattr(user, "pk", None) and not user.has_perm(
        "guichet.follow_request", support_request
    ):
        raise PermissionDeniedError("Seuls le porteur et l'équipe qui suit la demande le peuvent.")


def request_found_refresh(*, user: User | None, support_request: SupportRequest) -> SupportRequest:
    """Recompute and store what Turbine finds for the request (the holder or its staff asked,
    or ``user`` is None: the catalogue changed)."""
    if user is not None:
        _require_holder_or_staff(user, support_request)
    with transaction.atomic():
        locked = _locked(support_request)
        _store_found(locked, _compute_found(locked))
        locked.save(update_fields=["found", "found_at"])
        if user is not None:
            _log(locked, user, "resultats", "Résultats recalculés.", staff_only=True)
    return locked


def requests_found_refresh_stale(*, limit: int = 2000, max_age_days: int = 1) -> int:
    """Recompute the stored results of open requests computed before the aid catalogue last
    changed, or more than ``max_age_days`` ago (aids expire with their deadline without a
    change). Run by a task after an import or an aid edit, and nightly. Idempotent: a request
    recomputed is no longer stale."""
    latest = Aid.objects.aggregate(latest=Max("changed_at"))["latest"]
    old = timezone.now() - datetime.timedelta(days=max_age_days)
    stale_q = Q(found_at__isnull=True) | Q(found_at__lt=old)
    if latest is not None:
        stale_q |= Q(found_at__lt=latest)
    stale = list(
        SupportRequest.objects.exclude(status=Status.CLOSED)
        .filter(stale_q)
        .order_by("found_at", "pk")
        .values_list("pk", flat=True)[:limit]
    )
    for pk in stale:
        request_found_refresh(user=None, support_request=SupportRequest(pk=pk))
    return len(stale)


def aid_choice_set(
    *, user: User, support_request: SupportRequest, aid_id: int, choice: str, reason: str = ""
) -> AidChoice:
    """The holder keeps an aid or sets it aside (« pas pour moi »); a set-aside aid leaves the
    results at once and is not proposed again for this request."""

    if support_request.holder_id != getattr(user, "pk", None):
        raise PermissionDeniedError("Seul le porteur de la demande choisit ses aides.")
    if choice not in AidChoiceKind.values:
        raise GuichetError("Choisissez de garder l'aide ou de l'écarter.", field="choice")
    aid = Aid.objects.filter(pk=aid_id).first()
    if aid is None:
        raise GuichetError("Cette aide n'existe pas.", field="aid")
    reason = reason.replace("\x00", "").strip()[:500]
    with transaction.atomic():
        aid_choice, _ = AidChoice.objects.update_or_create(
            request=support_request,
            aid=aid,
            defaults={
                "choice": choice,
                "reason": reason if choice == AidChoiceKind.SET_ASIDE else "",
            },
        )
        label = "gardée" if choice == AidChoiceKind.KEPT else "écartée"
        detail = f"Aide « {aid.title} » {label}" + (f" : {reason}" if aid_choice.reason else ".")
        _log(support_request, user, "choix-aide", detail)
        if choice == AidChoiceKind.SET_ASIDE:
            locked = _locked(support_request)
            _store_found(locked, _compute_found(locked))
            locked.save(update_fields=["found", "found_at"])
    return aid_choice


# --- recommendations, conversation, notes, reminders ------------------------------------------


def recommendation_add(
    *,
    user: User,
    support_request: SupportRequest,
    kind: str,
    title: str,
    body: str = "",
    url: str = "",
    aid_id: int | None = None,
) -> Recommendation:

    _require_staff(user, support_request)
    if kind not in RecommendationKind.values:
        raise GuichetError("Choisissez la nature de la recommandation.", field="kind")
    aid = None
    if aid_id:
        aid = Aid.objects.filter(pk=aid_id).first()
        if aid is None or not aid.is_live:
            raise GuichetError("Cette aide n'existe pas ou n'est plus ouverte.", field="aid")
        title = title.strip() or aid.title
    if not title.strip():
        raise GuichetError("Donnez un titre à la recommandation.", field="title")
    with transaction.atomic():
        recommendation = Recommendation.objects.create(
            request=support_request,
            kind=kind,
            title=title.strip()[:300],
            body=body.strip(),
            url=url.strip(),
            aid=aid,
            author=user,
        )
        _mark_first_answer(support_request)
        _log(
            support_request,
            user,
            "recommandation",
            f"{recommendation.get_kind_display()} : {title}",
        )
    _notify(
        to=[support_request.holder],
        template="recommendation",
        context={"support_request": support_request, "recommendation": recommendation},
    )
    return recommendation


def recommendation_set_status(
    *, user: User, recommendation: Recommendation, status: str, reason: str = ""
) -> Recommendation:
    """The holder says where they are with a recommendation (staff may too)."""
    support_request = recommendation.request
    if not user.has_perm("guichet.view_request", support_request):
        raise PermissionDeniedError("Vous ne suivez pas cette demande.")
    if status not in RecommendationStatus.values:
        raise GuichetError("Statut inconnu.", field="status")
    if status == RecommendationStatus.DISMISSED and not reason.strip():
        raise GuichetError("Dites pourquoi vous l'écartez.", field="reason")
    with transaction.atomic():
        locked = Recommendation.objects.select_for_update().get(pk=recommendation.pk)
        locked.status = status
        locked.dismissal_reason = reason.strip()[:500] if status == "ecartee" else ""
        locked.save(update_fields=["status", "dismissal_reason", "updated_at"])
        label = RecommendationStatus(status).label
        _log(support_request, user, "suivi-recommandation", f"« {locked.title} » : {label}.")
    return locked


def message_post(
    *, user: User, support_request: SupportRequest, body: str, client_ip: str | None = None
) -> Message:
    """A message of the conversation; the other side is told by email. ``client_ip``, given
    by the page and the API, is throttled for the holder (MESSAGES_PER_IP_PER_HOUR)."""
    if not user.has_perm("guichet.view_request", support_request):
        raise PermissionDeniedError("Vous ne suivez pas cette demande.")
    if not body.strip():
        raise GuichetError("Écrivez votre message.", field="body")
    if user.pk == support_request.holder_id:  # advisors share their office's address
        ip_throttle_check(
            "guichet:messages", client_ip=client_ip, limit=MESSAGES_PER_IP_PER_HOUR, window=3600
        )
    with transaction.atomic():
        message = Message.objects.create(request=support_request, author=user, body=body.strip())
        from_holder = user.pk == support_request.holder_id
        if not from_holder:
            _mark_first_answer(support_request)
        _log(support_request, user, "message", "Message du porteur." if from_holder else "Réponse.")
    if from_holder:
        recipients = [support_request.advisor] if support_request.advisor else []
        reply_path = f"/guichet/suivi/{support_request.pk}/"
    else:
        recipients = [support_request.holder]
        reply_path = f"/guichet/mes-demandes/{support_request.pk}/"
    _notify(
        to=recipients,
        template="message",
        context={"support_request": support_request, "message": message, "reply_path": reply_path},
    )
    return message


def note_add(*, user: User, support_request: SupportRequest, body: str) -> StaffNote:
    _require_staff(user, support_request)
    if not body.strip():
        raise GuichetError("Écrivez la note.", field="body")
    with transaction.atomic():
        note = StaffNote.objects.create(request=support_request, author=user, body=body.strip())
        _log(support_request, user, "note", "Note interne ajoutée.", staff_only=True)
    return note


def reminder_add(
    *, user: User, support_request: SupportRequest, days: int, note: str = ""
) -> Reminder:
    _require_staff(user, support_request)
    if not 1 <= days <= 365:
        raise GuichetError("Choisissez un délai de 1 à 365 jours.", field="days")
    due_on = timezone.localdate() + datetime.timedelta(days=days)
    with transaction.atomic():
        reminder = Reminder.objects.create(
            request=support_request, author=user, due_on=due_on, note=note.strip()[:300]
        )
        _log(
            support_request,
            user,
            "relance",
            f"Relance prévue le {due_on:%d/%m/%Y}.",
            staff_only=True,
        )
    return reminder


def reminders_send_due(*, today: datetime.date | None = None) -> int:
    """Send every reminder due today or before and not sent yet, to the request's advisor (or
    whoever set it). Idempotent: a conditional update claims each reminder once."""
    today = today or timezone.localdate()
    sent = 0
    due = list(
        Reminder.objects.filter(sent_at__isnull=True, due_on__lte=today)
        .select_related("request__advisor", "request__project", "author")
        .order_by("due_on", "id")[:1000]
    )
    for reminder in due:
        with transaction.atomic():
            claimed = Reminder.objects.filter(pk=reminder.pk, sent_at__isnull=True).update(
                sent_at=timezone.now()
            )
            if not claimed:
                continue
            recipient = reminder.request.advisor or reminder.author
            _notify(
                to=[recipient] if recipient else [],
                template="reminder",
                context={"reminder": reminder, "support_request": reminder.request},
            )
            _log(reminder.request, None, "relance-envoyee", reminder.note, staff_only=True)
            sent += 1
    return sent


# --- mentors ----------------------------------------------------------------------------------


def mentor_offer_set(
    *, user: User, project: Project, active: bool, message: str = ""
) -> MentorOffer | None:
    """A holder volunteers (or stops volunteering) to help newcomers with one of their
    projects."""
    if not is_project_holder(user, project):
        raise PermissionDeniedError("Vous ne portez pas ce projet.")
    with transaction.atomic():
        offer = MentorOffer.objects.select_for_update().filter(project=project).first()
        if offer is None and not active:
            return None
        if offer is None:
            return MentorOffer.objects.create(user=user, project=project, message=message.strip())
        offer.is_active = active
        offer.message = message.strip() or offer.message
        offer.save(update_fields=["is_active", "message"])
    return offer
