"""Pages of working groups and peer teaching: thin views over selectors and services."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from turbine.cooperation.forms.groups import (
    GroupForm,
    JoinForm,
    MessageForm,
    OfferForm,
    OfferRequestForm,
    WorkThemeForm,
)
from turbine.cooperation.forms.meetings import DocumentForm
from turbine.cooperation.models import MIN_NETWORKS
from turbine.cooperation.selectors import groups as selectors
from turbine.cooperation.services import groups as services
from turbine.core.exceptions import TurbineError
from turbine.core.web import form_error
from turbine.directory.models import MembershipStatus
from turbine.projects.models import Project


def group_list(request: HttpRequest) -> HttpResponse:
    groups = list(selectors.group_list()[:300])
    return render(
        request,
        "cooperation/groups/group_list.html",
        {
            "working": [g for g in groups if g.crosses_networks],
            "forming": [g for g in groups if not g.crosses_networks],
            "work_themes": selectors.work_theme_list(),
            "min_networks": MIN_NETWORKS,
            "can_manage_themes": request.user.has_perm("cooperation.manage_work_themes"),
        },
    )


def group_detail(request: HttpRequest, pk: int) -> HttpResponse:
    group = selectors.get_group(group_id=pk)
    member = selectors.membership_of(user=request.user, group=group)
    networks = services.networks_of(request.user) if request.user.is_authenticated else []
    return render(
        request,
        "cooperation/groups/group_detail.html",
        {
            "group": group,
            "member": member,
            "members": list(group.members.all()),
            "networks": selectors.networks_crossed(group),
            "min_networks": MIN_NETWORKS,
            "thread": selectors.group_messages(group=group) if member else [],
            "documents": list(group.documents.all()) if member else [],
            "events": selectors.group_events(group=group),
            "join_form": JoinForm(networks=networks) if networks and not member else None,
            "message_form": MessageForm(),
            "document_form": DocumentForm(),
        },
    )


def _back(group_id: int) -> HttpResponse:
    return redirect("cooperation:group_detail", pk=group_id)


@login_required
@require_http_methods(["GET", "POST"])
def group_create(request: HttpRequest) -> HttpResponse:
    networks = services.networks_of(request.user)
    form = GroupForm(request.POST or None, networks=networks)
    if request.method == "POST" and form.is_valid():
        try:
            group = services.group_create(
                actor=request.user,
                work_theme_id=form.cleaned_data["work_theme"].pk,
                name=form.cleaned_data["name"],
                description=form.cleaned_data["description"],
                network_id=form.cleaned_data["network"],
            )
        except TurbineError as error:
            form_error(form, error)
        else:
            messages.success(
                request,
                _(
                    "Le groupe est créé. Invitez des personnes d'autres réseaux pour qu'il "
                    "se mette au travail."
                ),
            )
            return redirect(group.get_absolute_url())
    return render(
        request, "cooperation/groups/group_form.html", {"form": form, "networks": networks}
    )


@login_required
@require_POST
def group_join(request: HttpRequest, pk: int) -> HttpResponse:
    group = selectors.get_group(group_id=pk)
    form = JoinForm(request.POST, networks=services.networks_of(request.user))
    if not form.is_valid():
        messages.error(request, _("Choisissez un réseau auquel vous êtes rattaché·e."))
        return _back(group.pk)
    try:
        services.group_join(
            user=request.user, group_id=group.pk, network_id=form.cleaned_data["network"]
        )
    except TurbineError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Bienvenue dans le groupe."))
    return _back(group.pk)


@login_required
@require_POST
def group_leave(request: HttpRequest, pk: int) -> HttpResponse:
    group = selectors.get_group(group_id=pk)
    try:
        services.group_leave(user=request.user, group_id=group.pk)
    except TurbineError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Vous avez quitté le groupe."))
    return _back(group.pk)


@login_required
@require_POST
def group_notify(request: HttpRequest, pk: int) -> HttpResponse:
    group = selectors.get_group(group_id=pk)
    try:
        services.group_set_notify(
            user=request.user, group_id=group.pk, notify=request.POST.get("notify") == "on"
        )
    except TurbineError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Votre choix est enregistré."))
    return _back(group.pk)


@login_required
@require_POST
def group_message(request: HttpRequest, pk: int) -> HttpResponse:
    group = selectors.get_group(group_id=pk)
    form = MessageForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Écrivez votre message (5 000 caractères au plus)."))
        return _back(group.pk)
    try:
        services.message_post(user=request.user, group_id=group.pk, body=form.cleaned_data["body"])
    except TurbineError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Votre message est envoyé aux membres."))
    return redirect(f"{group.get_absolute_url()}#fil")


@login_required
@require_POST
def group_document(request: HttpRequest, pk: int) -> HttpResponse:
    group = selectors.get_group(group_id=pk)
    form = DocumentForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("Donnez un titre et choisissez un fichier."))
        return _back(group.pk)
    try:
        services.document_add(
            user=request.user,
            group_id=group.pk,
            title=form.cleaned_data["title"],
            upload=form.cleaned_data["file"],
        )
    except TurbineError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Le document est partagé avec le groupe."))
    return _back(group.pk)


@login_required
def group_document_download(request: HttpRequest, document_id: int) -> FileResponse:
    """Shared documents are for the group's members."""
    document = selectors.get_group_document(document_id=document_id)
    if not document.group.members.filter(user=request.user).exists():
        raise PermissionDenied(_("Les documents du groupe sont réservés à ses membres."))
    try:
        handle = document.file.open("rb")
    except FileNotFoundError:
        raise Http404("Document introuvable") from None
    extension = document.file.name[document.file.name.rfind(".") :]
    response = FileResponse(
        handle,
        content_type=document.content_type,
        as_attachment=True,
        filename=f"{document.title[:80]}{extension}",
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@require_http_methods(["GET", "POST"])
def work_theme_create(request: HttpRequest) -> HttpResponse:
    if not request.user.has_perm("cooperation.manage_work_themes"):
        raise PermissionDenied(_("Seule l'équipe de la Turbine propose les thématiques."))
    form = WorkThemeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.work_theme_create(
                actor=request.user,
                title=form.cleaned_data["title"],
                description=form.cleaned_data["description"],
                themes=tuple(form.cleaned_data["themes"]),
            )
        except TurbineError as error:
            form_error(form, error)
        else:
            messages.success(request, _("La thématique est proposée."))
            return redirect("cooperation:group_list")
    return render(request, "cooperation/groups/work_theme_form.html", {"form": form})


# --- Peer teaching --------------------------------------------------------------------------


def offer_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "cooperation/groups/offer_list.html",
        {"offers": list(selectors.offer_list()[:200])},
    )


def offer_detail(request: HttpRequest, pk: int) -> HttpResponse:
    offer = selectors.get_offer(offer_id=pk)
    is_owner = request.user.is_authenticated and offer.offered_by_id == request.user.pk
    asked = request.user.is_authenticated and offer.requests.filter(user=request.user).exists()
    return render(
        request,
        "cooperation/groups/offer_detail.html",
        {
            "offer": offer,
            "themes": list(offer.themes.all()),
            "is_owner": is_owner,
            "can_schedule": is_owner or request.user.has_perm("cooperation.manage_work_themes"),
            "asked": asked,
            "requests": list(offer.requests.select_related("user")) if is_owner else [],
            "sessions": list(offer.events.filter(is_hidden=False).order_by("-start")[:20]),
            "request_form": OfferRequestForm(),
        },
    )


def _projects_of(user) -> list[Project]:
    return list(
        Project.objects.filter(
            Q(holder_user=user)
            | Q(
                holder_organisation__memberships__user=user,
                holder_organisation__memberships__status=MembershipStatus.ACTIVE,
            )
        )
        .distinct()
        .order_by("title")[:100]
    )


@login_required
@require_http_methods(["GET", "POST"])
def offer_create(request: HttpRequest) -> HttpResponse:
    form = OfferForm(request.POST or None, projects=_projects_of(request.user))
    if request.method == "POST" and form.is_valid():
        try:
            offer = services.offer_create(
                user=request.user,
                title=form.cleaned_data["title"],
                description=form.cleaned_data["description"],
                project_id=form.cleaned_data["project"],
                themes=tuple(form.cleaned_data["themes"]),
            )
        except TurbineError as error:
            form_error(form, error)
        else:
            return redirect(offer.get_absolute_url())
    return render(request, "cooperation/groups/offer_form.html", {"form": form})


@login_required
@require_POST
def offer_request(request: HttpRequest, pk: int) -> HttpResponse:
    offer = selectors.get_offer(offer_id=pk)
    form = OfferRequestForm(request.POST)
    try:
        services.offer_request(
            user=request.user,
            offer_id=offer.pk,
            message=form.cleaned_data["message"] if form.is_valid() else "",
        )
    except TurbineError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request, _("C'est noté : vous serez prévenu·e dès qu'une session est programmée.")
        )
    return redirect(offer.get_absolute_url())
