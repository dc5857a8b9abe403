"""The applicants' and the committee's spaces: applications, self-assessment, evidence,
reviews and decisions. Thin views over the label selectors and services."""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from turbine.core.exceptions import NotFoundError, PermissionDeniedError, TurbineError
from turbine.directory.models import MemberRole, MembershipStatus, Organisation
from turbine.label.forms import (
    ApplicationCreateForm,
    CommitmentsForm,
    DecisionForm,
    EvidenceForm,
)
from turbine.label.models import (
    ApplicationStatus,
    AssessmentStatus,
    ReviewAssignment,
    VerdictChoice,
)
from turbine.label.rules import is_application_holder
from turbine.label.selectors import label as selectors
from turbine.label.services import applications as services
from turbine.label.services import committee
from turbine.label.uploads import ACCEPT
from turbine.label.views._common import int_or_none
from turbine.projects.models import Project


def _refusal(request: HttpRequest, error: TurbineError) -> None:
    if isinstance(error, NotFoundError):
        raise Http404(error.message)
    if isinstance(error, PermissionDeniedError):
        raise PermissionDenied(error.message)
    messages.error(request, error.message)


def _holdable(user: object) -> tuple[list[Project], list[Organisation]]:
    projects = list(
        Project.objects.filter(holder_user=user, is_hidden=False).order_by("title")[:200]
    ) + list(
        Project.objects.filter(
            holder_organisation__memberships__user=user,
            holder_organisation__memberships__status=MembershipStatus.ACTIVE,
            is_hidden=False,
        )
        .exclude(holder_user=user)
        .distinct()
        .order_by("title")[:200]
    )
    organisations = list(
        Organisation.objects.filter(
            memberships__user=user,
            memberships__role=MemberRole.ADMIN,
            memberships__status=MembershipStatus.ACTIVE,
            is_hidden=False,
        ).order_by("name")
    )
    return projects, organisations


@login_required
def applications(request: HttpRequest) -> HttpResponse:
    projects, organisations = _holdable(request.user)
    form = None
    if projects or organisations:
        form = ApplicationCreateForm(
            request.POST or None, projects=projects, organisations=organisations
        )
    if request.method == "POST" and form is not None and form.is_valid():
        project_id, organisation_id = form.holder_ids()
        try:
            application = services.application_create(
                actor=request.user, project_id=project_id, organisation_id=organisation_id
            )
        except TurbineError as error:
            _refusal(request, error)
        else:
            messages.success(
                request, _("La candidature est ouverte : signez d'abord les engagements du label.")
            )
            return redirect(application.get_absolute_url())
    is_staff = request.user.has_perm("label.manage_committee")
    status = request.GET.get("etape", "")
    return render(
        request,
        "label/applications.html",
        {
            "mine": selectors.applications_of_holder(user=request.user),
            "reviews": selectors.reviews_of(user=request.user),
            "form": form,
            "referential": selectors.current_referential(),
            "is_staff": is_staff,
            "all": list(selectors.applications_for_staff(status=status)[:300]) if is_staff else [],
            "status": status,
            "status_choices": ApplicationStatus.choices,
        },
    )


def _context(request: HttpRequest, pk: int) -> dict:
    application = selectors.get_application_for_view(user=request.user, application_id=pk)
    user = request.user
    is_holder = is_application_holder(user, application)
    is_staff = user.has_perm("label.manage_committee")
    assignment = None
    if user.has_perm("label.review_application", application):
        assignment = (
            ReviewAssignment.objects.filter(application=application, member__user=user)
            .select_related("member")
            .first()
        )
    statuses = selectors.application_statuses(application)
    sheet = selectors.application_score(application)
    decision = selectors.latest_decision(application)
    # Comments become visible to the holder once the committee has decided.
    show_verdicts = is_staff or (is_holder and decision is not None)
    tree = selectors.application_tree(
        application=application,
        sheet=sheet,
        statuses=statuses,
        reviewer=assignment,
        show_all_verdicts=show_verdicts,
    )
    levels = selectors.referential_levels(application.referential)
    return {
        "application": application,
        "is_holder": is_holder,
        "is_staff": is_staff,
        "can_edit": user.has_perm("label.edit_self_assessment", application),
        "assignment": assignment,
        "sheet": sheet,
        "tree": tree,
        "levels": levels,
        "decision": decision,
        "decisions": list(application.decisions.select_related("level")),
        "show_verdicts": show_verdicts,
        "assignments": list(application.assignments.select_related("member__user"))
        if is_staff
        else [],
        "members": list(selectors.committee_members()) if is_staff else [],
        "decision_form": DecisionForm(levels=levels, initial={"meeting_date": timezone.localdate()})
        if is_staff and application.status == ApplicationStatus.REVIEW
        else None,
        "commitments_form": CommitmentsForm()
        if application.status == ApplicationStatus.COMMITMENTS
        else None,
        "evidence_form": EvidenceForm(),
        "accept": ACCEPT,
        "statuses": AssessmentStatus.choices,
        "leaf_statuses": AssessmentStatus.choices,
        "verdict_choices": VerdictChoice.choices,
        "reviewer_statuses": [
            c for c in AssessmentStatus.choices if c[0] != AssessmentStatus.DETAILED
        ],
        "peer_requests": list(application.peer_requests.all()),
    }


@login_required
def application_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return render(request, "label/application_detail.html", _context(request, pk))


def _back(pk: int, anchor: str = "") -> HttpResponse:
    response = redirect("label:application_detail", pk=pk)
    if anchor:
        response["Location"] += f"#{anchor}"
    return response


@login_required
@require_POST
def commitments_sign(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        services.application_sign_commitments(
            actor=request.user, application_id=pk, accepted=request.POST.get("accepted") == "on"
        )
    except TurbineError as error:
        _refusal(request, error)
    else:
        messages.success(
            request, _("Engagements signés. Place à l'auto-évaluation, critère par critère.")
        )
    return _back(pk)


@login_required
@require_POST
def assessment_save(request: HttpRequest, pk: int, node_id: int) -> HttpResponse:
    post = request.POST
    try:
        if post.get("clear"):
            services.assessment_clear(actor=request.user, application_id=pk, node_id=node_id)
        else:
            services.assessment_set(
                actor=request.user,
                application_id=pk,
                node_id=node_id,
                status=post.get("status", ""),
                reason=post.get("reason", ""),
                comment=post.get("comment", ""),
                percent_done=post.get("percent_done", "0")[:10],
                percent_planned=post.get("percent_planned", "0")[:10],
                percent_not_done=post.get("percent_not_done", "0")[:10],
            )
    except TurbineError as error:
        _refusal(request, error)
    else:
        messages.success(request, _("Évaluation enregistrée ; le score est à jour."))
    return _back(pk, f"noeud-{node_id}")


@login_required
@require_POST
def evidence_add(request: HttpRequest, pk: int, node_id: int) -> HttpResponse:
    form = EvidenceForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(
            request,
            " ".join(str(e) for errors in form.errors.values() for e in errors)
            or _("La preuve est invalide."),
        )
        return _back(pk, f"noeud-{node_id}")
    try:
        services.evidence_add(
            actor=request.user,
            application_id=pk,
            node_id=node_id,
            title=form.cleaned_data["title"],
            upload=form.cleaned_data["file"],
            url=form.cleaned_data["url"],
        )
    except TurbineError as error:
        _refusal(request, error)
    else:
        messages.success(request, _("Preuve ajoutée."))
    return _back(pk, f"noeud-{node_id}")


@login_required
@require_POST
def evidence_delete(request: HttpRequest, pk: int, evidence_id: int) -> HttpResponse:
    try:
        services.evidence_delete(actor=request.user, evidence_id=evidence_id)
    except TurbineError as error:
        _refusal(request, error)
    else:
        messages.success(request, _("Preuve retirée."))
    return _back(pk)


@login_required
def evidence_download(request: HttpRequest, evidence_id: int) -> FileResponse:
    evidence = selectors.get_evidence_for_download(user=request.user, evidence_id=evidence_id)
    try:
        handle = evidence.file.open("rb")
    except FileNotFoundError:
        raise Http404(_("Preuve introuvable")) from None
    extension = "." + evidence.file.name.rsplit(".", 1)[-1] if "." in evidence.file.name else ""
    response = FileResponse(
        handle,
        content_type=evidence.content_type,
        as_attachment=True,
        filename=f"{evidence.title[:80]}{extension}",
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@require_POST
def application_submit(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        services.application_submit(actor=request.user, application_id=pk)
    except TurbineError as error:
        _refusal(request, error)
    else:
        messages.success(
            request,
            _("Candidature soumise au comité. Votre auto-évaluation est figée."),
        )
    return _back(pk)


@login_required
@require_POST
def review_assign(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        committee.review_assign(
            actor=request.user,
            application_id=pk,
            member_id=int_or_none(request.POST.get("member")) or 0,
        )
    except TurbineError as error:
        _refusal(request, error)
    else:
        messages.success(request, _("Le membre du comité est chargé de l'examen."))
    return _back(pk, "comite")


@login_required
@require_POST
def review_declare(request: HttpRequest, pk: int, assignment_id: int) -> HttpResponse:
    has_conflict = request.POST.get("conflict") == "oui"
    try:
        committee.review_declare(
            actor=request.user, assignment_id=assignment_id, has_conflict=has_conflict
        )
    except TurbineError as error:
        _refusal(request, error)
        return _back(pk)
    if has_conflict:
        messages.success(request, _("Conflit d'intérêts déclaré : vous n'examinez pas ce dossier."))
        return redirect("label:applications")
    messages.success(request, _("Merci. Donnez maintenant votre avis critère par critère."))
    return _back(pk)


@login_required
@require_POST
def verdict_save(request: HttpRequest, pk: int, assignment_id: int, node_id: int) -> HttpResponse:
    try:
        committee.verdict_set(
            actor=request.user,
            assignment_id=assignment_id,
            node_id=node_id,
            choice=request.POST.get("choice", ""),
            status=request.POST.get("status", ""),
            comment=request.POST.get("comment", ""),
        )
    except TurbineError as error:
        _refusal(request, error)
    else:
        messages.success(request, _("Avis enregistré."))
    return _back(pk, f"noeud-{node_id}")


@login_required
@require_POST
def review_complete(request: HttpRequest, pk: int, assignment_id: int) -> HttpResponse:
    try:
        committee.review_complete(
            actor=request.user, assignment_id=assignment_id, opinion=request.POST.get("opinion", "")
        )
    except TurbineError as error:
        _refusal(request, error)
    else:
        messages.success(request, _("Votre examen est terminé. Merci !"))
    return _back(pk)


@login_required
@require_POST
def application_decide(request: HttpRequest, pk: int) -> HttpResponse:
    application = selectors.get_application_for_view(user=request.user, application_id=pk)
    form = DecisionForm(request.POST, levels=selectors.referential_levels(application.referential))
    if not form.is_valid():
        messages.error(
            request,
            _("La décision est incomplète : ")
            + " ".join(f"{form.fields[f].label} : {' '.join(e)}" for f, e in form.errors.items()),
        )
        return _back(pk, "decision")
    try:
        committee.application_decide(
            actor=request.user,
            application_id=pk,
            outcome=form.cleaned_data["outcome"],
            reasons=form.cleaned_data["reasons"],
            meeting_date=form.cleaned_data["meeting_date"],
            level_id=int_or_none(form.cleaned_data["level"]),
            valid_from=form.cleaned_data["valid_from"],
        )
    except TurbineError as error:
        _refusal(request, error)
        return _back(pk, "decision")
    messages.success(request, _("La décision du comité est enregistrée ; le porteur est prévenu."))
    return _back(pk)


@login_required
@require_POST
def confirmation_schedule(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        due = datetime.date.fromisoformat(request.POST.get("due", "")[:10])
    except ValueError:
        messages.error(request, _("Indiquez une date au format JJ/MM/AAAA."))
        return _back(pk)
    try:
        committee.confirmation_schedule(actor=request.user, application_id=pk, due=due)
    except TurbineError as error:
        _refusal(request, error)
    else:
        messages.success(request, _("La date de confirmation après livraison est fixée."))
    return _back(pk)


@login_required
@require_POST
def application_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        committee.application_confirm(actor=request.user, application_id=pk)
    except TurbineError as error:
        _refusal(request, error)
    else:
        messages.success(request, _("Le label est confirmé après livraison."))
    return _back(pk)
