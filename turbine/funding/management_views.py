"""A funder's management pages (``/financeurs/<id>/gestion/``) and a project's applications
for aids (``/projets/<id>/candidatures/``). Thin: authorise through the selectors' accessors,
call ``services.management`` / ``services.applications``, render."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from turbine.core.exceptions import TurbineError
from turbine.funding import selectors_management as manage_selectors
from turbine.funding.forms import AidManageForm, ApplicationForm, ManagedNoteForm
from turbine.funding.models import Aid, AidSource, Funder
from turbine.funding.services import applications as application_services
from turbine.funding.services import management as services
from turbine.projects.selectors import get_project_for_edit


def _raise_for(exc: TurbineError) -> None:
    if exc.status_code == 403:
        raise PermissionDenied(exc.message) from None
    if exc.status_code == 404:
        raise Http404(exc.message) from None


def _home(funder: Funder) -> str:
    return reverse("funding:manage", args=[funder.pk])


@login_required
@require_http_methods(["GET"])
def manage_home(request: HttpRequest, funder_id: int) -> HttpResponse:
    funder = manage_selectors.get_funder_for_management(user=request.user, funder_id=funder_id)
    return render(
        request,
        "funding/manage/home.html",
        {
            "funder": funder,
            "managed": manage_selectors.managed_aids(funder=funder),
            "changes": manage_selectors.funder_changes(funder=funder),
            "applications": manage_selectors.funder_application_counts(funder=funder),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def manage_aid_create(request: HttpRequest, funder_id: int) -> HttpResponse:
    funder = manage_selectors.get_funder_for_management(user=request.user, funder_id=funder_id)
    form = AidManageForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            publish = "publish" in request.POST
            try:
                aid = services.managed_aid_create(
                    actor=request.user, funder_id=funder.pk, values=form.values(), publish=publish
                )
            except TurbineError as exc:
                _raise_for(exc)
                form.add_error(exc.field if exc.field in form.fields else None, exc.message)
            else:
                messages.success(
                    request,
                    "Aide publiée : elle est dans le catalogue."
                    if publish
                    else "Brouillon enregistré : publiez-le quand il est prêt.",
                )
                return redirect(reverse("funding:manage_aid", args=[funder.pk, aid.pk]))
    return render(
        request,
        "funding/manage/aid_form.html",
        {"funder": funder, "form": form, "aid": None},
        status=status,
    )


def _aid_page(
    request: HttpRequest, *, funder: Funder, aid: Aid, form: AidManageForm | None,
    note_form: ManagedNoteForm, status: int = 200,
) -> HttpResponse:  # fmt: skip
    imported = aid.source == AidSource.AIDES_TERRITOIRES
    return render(
        request,
        "funding/manage/aid_form.html",
        {
            "funder": funder,
            "aid": aid,
            "imported": imported,
            "form": None if imported else form,
            "note_form": note_form,
            "changes": manage_selectors.aid_changes(aid=aid),
            "applications": manage_selectors.aid_applications(aid=aid),
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def manage_aid_edit(request: HttpRequest, funder_id: int, aid_id: int) -> HttpResponse:
    funder = manage_selectors.get_funder_for_management(user=request.user, funder_id=funder_id)
    aid = manage_selectors.get_managed_aid(funder=funder, aid_id=aid_id)
    if request.method == "GET":
        form = AidManageForm(initial=AidManageForm.initial_for(aid))
        return _aid_page(request, funder=funder, aid=aid, form=form, note_form=ManagedNoteForm())
    if aid.source == AidSource.AIDES_TERRITOIRES:
        raise PermissionDenied(services.IMPORTED_READ_ONLY)
    form = AidManageForm(request.POST)
    if form.is_valid():
        try:
            services.managed_aid_update(
                actor=request.user, aid_id=aid.pk, funder_id=funder.pk, values=form.values()
            )
        except TurbineError as exc:
            _raise_for(exc)
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(request, "Modifications enregistrées.")
            return redirect(reverse("funding:manage_aid", args=[funder.pk, aid.pk]))
    return _aid_page(
        request, funder=funder, aid=aid, form=form, note_form=ManagedNoteForm(), status=400
    )


ACTIONS = {
    "publier": (services.managed_aid_publish, "Aide publiée : elle est dans le catalogue."),
    "cloturer": (services.managed_aid_close, "Aide clôturée : elle ne reçoit plus de demandes."),
    "dupliquer": (
        services.managed_aid_duplicate,
        "Nouvelle session créée en brouillon : indiquez ses dates, puis publiez-la.",
    ),
}


@login_required
@require_POST
def manage_aid_action(
    request: HttpRequest, funder_id: int, aid_id: int, action: str
) -> HttpResponse:
    funder = manage_selectors.get_funder_for_management(user=request.user, funder_id=funder_id)
    aid = manage_selectors.get_managed_aid(funder=funder, aid_id=aid_id)
    if action not in ACTIONS:
        raise Http404("Action inconnue")
    service, done = ACTIONS[action]
    try:
        result = service(actor=request.user, aid_id=aid.pk, funder_id=funder.pk)
    except TurbineError as exc:
        _raise_for(exc)
        messages.error(request, exc.message)
        return redirect(reverse("funding:manage_aid", args=[funder.pk, aid.pk]))
    messages.success(request, done)
    if request.POST.get("next") == "list" and action != "dupliquer":
        return redirect(_home(funder))
    return redirect(reverse("funding:manage_aid", args=[funder.pk, result.pk]))


@login_required
@require_POST
def manage_note_create(request: HttpRequest, funder_id: int, aid_id: int) -> HttpResponse:
    funder = manage_selectors.get_funder_for_management(user=request.user, funder_id=funder_id)
    aid = manage_selectors.get_managed_aid(funder=funder, aid_id=aid_id)
    note_form = ManagedNoteForm(request.POST)
    if note_form.is_valid():
        try:
            services.managed_note_create(
                actor=request.user,
                aid_id=aid.pk,
                funder_id=funder.pk,
                text=note_form.cleaned_data["text"],
            )
        except TurbineError as exc:
            _raise_for(exc)
            note_form.add_error("text", exc.message)
        else:
            messages.success(request, "Note locale publiée sur la page de l'aide.")
            return redirect(reverse("funding:manage_aid", args=[funder.pk, aid.pk]) + "#notes")
    form = None
    if aid.source != AidSource.AIDES_TERRITOIRES:
        form = AidManageForm(initial=AidManageForm.initial_for(aid))
    return _aid_page(request, funder=funder, aid=aid, form=form, note_form=note_form, status=400)


# --- A project's applications -----------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def project_applications(request: HttpRequest, pk: int) -> HttpResponse:
    project = get_project_for_edit(user=request.user, project_id=pk)
    form = ApplicationForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                application_services.application_record(
                    actor=request.user,
                    project_id=project.pk,
                    aid_id=form.cleaned_data["aid"].pk,
                    values=form.cleaned_data,
                )
            except TurbineError as exc:
                _raise_for(exc)
                form.add_error(exc.field if exc.field in form.fields else None, exc.message)
            else:
                messages.success(request, "Candidature enregistrée.")
                return redirect(reverse("funding:project_applications", args=[project.pk]))
    return render(
        request,
        "funding/project_applications.html",
        {
            "project": project,
            "applications": manage_selectors.project_applications(project=project),
            "form": form,
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def project_application_edit(request: HttpRequest, pk: int, application_id: int) -> HttpResponse:
    project = get_project_for_edit(user=request.user, project_id=pk)
    application = manage_selectors.get_project_application(
        project=project, application_id=application_id
    )
    back = reverse("funding:project_applications", args=[project.pk])
    if request.method == "POST" and "delete" in request.POST:
        try:
            application_services.application_delete(
                actor=request.user, project_id=project.pk, application_id=application.pk
            )
        except TurbineError as exc:
            _raise_for(exc)
            messages.error(request, exc.message)
        else:
            messages.success(request, "Candidature supprimée.")
        return redirect(back)
    initial = {name: getattr(application, name) for name in application_services.APPLICATION_FIELDS}
    form = ApplicationForm(request.POST or None, initial=initial, fixed_aid=application.aid)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                application_services.application_update(
                    actor=request.user,
                    project_id=project.pk,
                    application_id=application.pk,
                    values=form.cleaned_data,
                )
            except TurbineError as exc:
                _raise_for(exc)
                form.add_error(exc.field if exc.field in form.fields else None, exc.message)
            else:
                messages.success(request, "Candidature mise à jour.")
                return redirect(back)
    return render(
        request,
        "funding/project_application_form.html",
        {"project": project, "application": application, "form": form},
        status=status,
    )
