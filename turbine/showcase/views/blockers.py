"""The register of regulatory and administrative blockers: public listing with aggregated
counts, reporting, a report's page (private to its author, holder and staff until public),
staff qualification and advocacy files with their follow-up."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from turbine.core.exceptions import TurbineError
from turbine.core.web import form_error, paginate, raise_http, require_perm
from turbine.showcase import selectors
from turbine.showcase.forms import (
    AdvocacyFileForm,
    AdvocacyStepForm,
    BlockerFilterForm,
    BlockerForm,
    QualifyForm,
)
from turbine.showcase.services import diplomacy as services


def blocker_list(request: HttpRequest) -> HttpResponse:
    form = BlockerFilterForm(request.GET or None)
    return render(
        request,
        "showcase/blockers/blocker_list.html",
        {
            "form": form,
            "counts": selectors.blocker_counts(),
            "files": list(selectors.advocacy_files()[:50]),
            "mine": list(selectors.blockers_of(user=request.user)[:50])
            if request.user.is_authenticated
            else [],
            "can_report": request.user.has_perm("showcase.report_blocker"),
            "is_staff": request.user.has_perm("showcase.qualify_blocker"),
            **paginate(
                selectors.public_blockers(filters=form.filters()), form.page_number()
            ).context(),
        },
    )


@login_required
def blocker_create(request: HttpRequest) -> HttpResponse:
    require_perm(request, "showcase.report_blocker")
    staff = request.user.has_perm("showcase.qualify_blocker")
    projects = list(selectors.projects_for_blocker(user=request.user)[:200])
    form = BlockerForm(request.POST or None, projects=projects, staff=staff)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            report = services.blocker_report_create(
                actor=request.user,
                data=services.BlockerData(
                    title=d["title"],
                    description=d["description"],
                    rule=d["rule"],
                    level=d["level"],
                    project_ids=d["projects"],
                    support_request_id=d.get("support_request"),
                    holder_agrees=d["holder_agrees"],
                ),
            )
        except TurbineError as error:
            form_error(form, error)
        else:
            messages.success(request, _("Merci : le blocage est noté au registre."))
            return redirect(report.get_absolute_url())
    return render(
        request,
        "showcase/blockers/blocker_form.html",
        {"form": form, "staff": staff},
    )


@require_http_methods(["GET", "POST"])
def blocker_detail(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        report = services.get_blocker_for_view(user=request.user, report_id=pk)
    except TurbineError as error:
        raise_http(error)
        raise
    if request.method == "POST":
        try:
            services.blocker_set_public(
                user=request.user, report_id=pk, agree=request.POST.get("public") == "oui"
            )
        except TurbineError as error:
            raise_http(error)
        messages.success(request, _("Votre choix est enregistré."))
        return redirect(report.get_absolute_url())
    return render(
        request,
        "showcase/blockers/blocker_detail.html",
        {
            "report": report,
            "projects": list(report.projects.all()),
            "can_publish": request.user.has_perm("showcase.publish_blocker", report),
            "is_staff": request.user.has_perm("showcase.qualify_blocker"),
        },
    )


@login_required
def blocker_staff(request: HttpRequest) -> HttpResponse:
    require_perm(request, "showcase.qualify_blocker")
    files = list(selectors.advocacy_files()[:200])
    action = request.POST.get("action", "") if request.method == "POST" else ""
    file_form = AdvocacyFileForm(request.POST if action == "dossier" else None)
    error_message = ""
    if action == "dossier" and file_form.is_valid():
        try:
            file = services.advocacy_file_create(
                actor=request.user, data=services.AdvocacyData(**file_form.cleaned_data)
            )
        except TurbineError as error:
            form_error(file_form, error)
        else:
            messages.success(request, _("Dossier ouvert."))
            return redirect(file.get_absolute_url())
    elif action == "qualifier":
        qualify = QualifyForm(request.POST, files=files)
        if not qualify.is_valid():
            error_message = _("Qualification invalide : vérifiez les champs.")
        else:
            try:
                services.blocker_qualify(
                    actor=request.user,
                    report_id=qualify.cleaned_data["report"],
                    qualification=qualify.cleaned_data["qualification"],
                    file_id=qualify.cleaned_data["file"],
                    note=qualify.cleaned_data["note"],
                )
            except TurbineError as error:
                raise_http(error)
                error_message = error.message
            else:
                messages.success(request, _("Signalement qualifié."))
                return redirect("showcase:blocker_staff")
    reports = list(selectors.blockers_for_staff()[:200])
    return render(
        request,
        "showcase/blockers/staff.html",
        {
            "reports": [
                (
                    r,
                    QualifyForm(
                        files=files,
                        initial={
                            "report": r.pk,
                            "qualification": r.qualification,
                            "file": r.file_id,
                            "note": r.staff_note,
                        },
                        prefix=f"r{r.pk}",
                    ),
                )
                for r in reports
            ],
            "file_form": file_form,
            "error_message": error_message,
        },
    )


def advocacy_detail(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        file = selectors.get_advocacy_file(file_id=pk)
    except TurbineError as error:
        raise_http(error)
        raise
    is_staff = request.user.has_perm("showcase.manage_advocacy")
    form = AdvocacyStepForm(request.POST or None) if is_staff else None
    if request.method == "POST":
        require_perm(request, "showcase.manage_advocacy")
        if form is not None and form.is_valid():
            d = form.cleaned_data
            try:
                services.advocacy_step_add(
                    actor=request.user,
                    file_id=pk,
                    on=d["date"],
                    body=d["body"],
                    note=d["note"],
                    status=d["status"],
                )
            except TurbineError as error:
                form_error(form, error)
            else:
                messages.success(request, _("Étape ajoutée au suivi."))
                return redirect(file.get_absolute_url())
    return render(
        request,
        "showcase/blockers/advocacy_detail.html",
        {
            "file": file,
            "steps": list(file.steps.all()),
            "public_reports": list(file.reports.public().prefetch_related("projects")),
            "report_count": file.reports.count(),
            "form": form,
        },
    )
