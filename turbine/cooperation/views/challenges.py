"""Pages of common challenges: thin views over the challenges selectors and services."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from turbine.cooperation.forms.challenges import ChallengeForm, PledgeForm, ReportForm
from turbine.cooperation.models import ChallengeStatus, Pledge, PledgeReport
from turbine.cooperation.selectors import challenges as selectors
from turbine.cooperation.services import challenges as services
from turbine.core.exceptions import TurbineError


def _form_error(form, error: TurbineError) -> None:  # noqa: ANN001
    form.add_error(error.field if error.field in form.fields else None, error.message)


def challenge_list(request: HttpRequest) -> HttpResponse:
    proposals = list(selectors.challenge_list(status=ChallengeStatus.PROPOSED)[:200])
    return render(
        request,
        "cooperation/challenges/challenge_list.html",
        {
            "chosen": selectors.chosen_with_progress(),
            "proposals": proposals,
            "approved": selectors.approved_ids(user=request.user, ids=[c.pk for c in proposals]),
            "can_manage": request.user.has_perm("cooperation.manage_challenge"),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def challenge_propose(request: HttpRequest) -> HttpResponse:
    organisations = selectors.my_organisations(user=request.user)
    form = ChallengeForm(request.POST or None, organisations=organisations)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            challenge = services.challenge_propose(
                user=request.user,
                title=data["title"],
                description=data["description"],
                indicator=data["indicator"],
                unit=data["unit"],
                baseline=data["baseline"],
                target=data["target"],
                deadline=data["deadline"],
                scope=data["scope"],
                organisation_id=data["organisation"],
            )
        except TurbineError as error:
            _form_error(form, error)
        else:
            messages.success(request, _("Votre proposition de défi est soumise au vote."))
            return redirect(challenge.get_absolute_url())
    return render(request, "cooperation/challenges/challenge_form.html", {"form": form})


def challenge_detail(request: HttpRequest, pk: int) -> HttpResponse:
    challenge = selectors.get_challenge(challenge_id=pk)
    progress = selectors.challenge_progress(challenge=challenge)
    user = request.user
    organisations = selectors.my_organisations(user=user)
    reportable = (
        {line.pledge.pk for line in progress.pledges if services.can_report(user, line.pledge)}
        if user.is_authenticated
        else set()
    )
    return render(
        request,
        "cooperation/challenges/challenge_detail.html",
        {
            "challenge": challenge,
            "progress": progress,
            "approved": challenge.pk in selectors.approved_ids(user=user, ids=[challenge.pk]),
            "can_manage": user.has_perm("cooperation.manage_challenge"),
            "pledge_form": PledgeForm(organisations=organisations)
            if user.is_authenticated and challenge.status == ChallengeStatus.CHOSEN
            else None,
            "reportable": reportable,
            "reports": selectors.recent_reports(challenge=challenge),
        },
    )


@login_required
@require_POST
def challenge_approve(request: HttpRequest, pk: int) -> HttpResponse:
    challenge = selectors.get_challenge(challenge_id=pk)
    approve = request.POST.get("approve") == "1"
    try:
        now = services.challenge_approve(
            user=request.user, challenge_id=challenge.pk, approve=approve
        )
    except TurbineError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request, _("Vous approuvez ce défi.") if now else _("Vous n'approuvez plus ce défi.")
        )
    if request.POST.get("next") == "liste":
        return redirect("cooperation:challenge_list")
    return redirect(challenge.get_absolute_url())


@login_required
@require_POST
def challenge_decide(request: HttpRequest, pk: int) -> HttpResponse:
    challenge = selectors.get_challenge(challenge_id=pk)
    try:
        services.challenge_decide(
            actor=request.user, challenge_id=challenge.pk, chosen=request.POST.get("chosen") == "1"
        )
    except TurbineError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("La décision est enregistrée."))
    return redirect(challenge.get_absolute_url())


@login_required
@require_http_methods(["GET", "POST"])
def pledge_create(request: HttpRequest, pk: int) -> HttpResponse:
    challenge = selectors.get_challenge(challenge_id=pk)
    form = PledgeForm(
        request.POST or None, organisations=selectors.my_organisations(user=request.user)
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.pledge_create(
                user=request.user,
                challenge_id=challenge.pk,
                quantity=data["quantity"],
                description=data["description"],
                due_date=data["due_date"],
                commune_code=data["commune"].code if data["commune"] else "",
                organisation_id=data["organisation"],
                threshold=data["threshold"],
            )
        except TurbineError as error:
            _form_error(form, error)
        else:
            messages.success(request, _("Votre engagement est enregistré. Merci !"))
            return redirect(f"{challenge.get_absolute_url()}#engagements")
    return render(
        request, "cooperation/challenges/pledge_form.html", {"form": form, "challenge": challenge}
    )


@login_required
@require_http_methods(["GET", "POST"])
def report_create(request: HttpRequest, pledge_id: int) -> HttpResponse:
    pledge = (
        Pledge.objects.select_related("challenge")
        .filter(pk=pledge_id, challenge__is_hidden=False)
        .first()
    )
    if pledge is None:
        raise Http404("Engagement introuvable")
    form = ReportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.report_create(user=request.user, pledge_id=pledge.pk, **form.cleaned_data)
        except TurbineError as error:
            _form_error(form, error)
        else:
            messages.success(request, _("L'avancement est enregistré."))
            return redirect(f"{pledge.challenge.get_absolute_url()}#engagements")
    return render(
        request,
        "cooperation/challenges/report_form.html",
        {
            "form": form,
            "pledge": pledge,
            "challenge": pledge.challenge,
            "allowed": services.can_report(request.user, pledge),
        },
    )


@require_GET
def report_evidence(request: HttpRequest, report_id: int) -> FileResponse:
    """A report's document, as an attachment (never rendered by the browser)."""
    report = (
        PledgeReport.objects.select_related("pledge__challenge")
        .filter(pk=report_id, pledge__challenge__is_hidden=False)
        .exclude(evidence_file="")
        .first()
    )
    if report is None:
        raise Http404("Document introuvable")
    try:
        handle = report.evidence_file.open("rb")
    except FileNotFoundError:
        raise Http404("Document introuvable") from None
    extension = report.evidence_file.name[report.evidence_file.name.rfind(".") :]
    response = FileResponse(
        handle,
        content_type=report.evidence_type,
        as_attachment=True,
        filename=f"preuve-avancement-{report.pk}{extension}",
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response
