"""Reporting content, and the staff moderation queue."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from turbine.core.exceptions import NotFoundError, TurbineError
from turbine.core.web import form_error
from turbine.directory import moderation
from turbine.directory.forms import ReportForm


@login_required
def report(request: HttpRequest, kind: str, object_id: str) -> HttpResponse:
    try:
        described = moderation.get(kind).describe(object_id)
    except NotFoundError:
        raise Http404("Contenu introuvable") from None
    if described is None:
        raise Http404("Contenu introuvable")
    title, url = described
    form = ReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            moderation.report_create(
                user=request.user, kind=kind, object_id=object_id, **form.cleaned_data
            )
        except TurbineError as error:
            form_error(form, error)
        else:
            messages.success(request, "Merci : votre signalement est transmis à l'équipe.")
            return redirect(url)
    return render(
        request,
        "directory/report_form.html",
        {"form": form, "title": title, "url": url, "kind_label": moderation.label(kind)},
    )


@login_required
def moderation_queue(request: HttpRequest) -> HttpResponse:
    if not request.user.has_perm("directory.moderate"):
        raise PermissionDenied("Réservé à l'équipe de la Turbine.")
    return render(
        request,
        "directory/moderation.html",
        {
            "reports": moderation.open_reports(),
            "decisions": moderation.recent_decisions(),
            "labels": {k: moderation.label(k) for k in moderation._registry},
        },
    )


@login_required
@require_POST
def moderation_decide(request: HttpRequest, report_id: int) -> HttpResponse:
    action = request.POST.get("action")
    try:
        if action == "restore":
            moderation.content_restore(
                user=request.user,
                kind=request.POST.get("kind", ""),
                object_id=request.POST.get("object_id", ""),
            )
            messages.success(request, "Le contenu est de nouveau visible.")
        elif action in ("hide", "dismiss"):
            moderation.report_handle(user=request.user, report_id=report_id, hide=action == "hide")
            messages.success(
                request, "Le contenu est masqué." if action == "hide" else "Signalement classé."
            )
        else:
            messages.error(request, "Action inconnue.")
    except TurbineError as error:
        if error.status_code == 403:
            raise PermissionDenied(error.message) from None
        messages.error(request, error.message)
    return redirect("directory:moderation")
