"""Pages of the pôle d'entraide de l'ambition."""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from turbine.core.exceptions import NotFoundError, PermissionDeniedError, TurbineError
from turbine.label.models import PeerMessageKind, PeerOutcome, PeerRequestStatus
from turbine.label.rules import is_application_holder
from turbine.label.selectors import label as label_selectors
from turbine.label.selectors import mutual_aid as selectors
from turbine.label.services import mutual_aid as services


def _refusal(request: HttpRequest, error: TurbineError) -> None:
    if isinstance(error, NotFoundError):
        raise Http404(error.message)
    if isinstance(error, PermissionDeniedError):
        raise PermissionDenied(error.message)
    messages.error(request, error.message)


def peer_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "label/peer_list.html",
        {
            "open": list(selectors.open_requests()[:100]) if request.user.is_authenticated else [],
            "closed": selectors.public_closed_requests(),
            "can_volunteer": bool(services.labelled_applications_of(request.user)),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def peer_create(request: HttpRequest, application_id: int) -> HttpResponse:
    application = label_selectors.get_application_for_view(
        user=request.user, application_id=application_id
    )
    if not is_application_holder(request.user, application):
        raise PermissionDenied
    error = None
    if request.method == "POST":
        try:
            peer = services.peer_request_create(
                actor=request.user,
                application_id=application.pk,
                question=request.POST.get("question", ""),
                public=request.POST.get("public") == "on",
            )
        except TurbineError as exc:
            if isinstance(exc, (NotFoundError, PermissionDeniedError)):
                _refusal(request, exc)
            error = exc.message
        else:
            messages.success(
                request, _("Votre demande est publiée : des porteurs labellisés vont la voir.")
            )
            return redirect(peer.get_absolute_url())
    return render(
        request,
        "label/peer_form.html",
        {"application": application, "error": error, "question": request.POST.get("question", "")},
    )


def peer_detail(request: HttpRequest, pk: int) -> HttpResponse:
    peer = selectors.get_peer_request(request_id=pk)
    participant = services.is_participant(request.user, peer)
    if not participant and not (
        (request.user.is_authenticated and peer.status != PeerRequestStatus.CLOSED)
        or (peer.public and peer.status == PeerRequestStatus.CLOSED)
    ):
        raise Http404(_("Cette demande d'entraide n'est pas publique."))
    is_holder = is_application_holder(request.user, peer.application)
    return render(
        request,
        "label/peer_detail.html",
        {
            "peer": peer,
            "participant": participant,
            "is_holder": is_holder,
            "volunteers": list(peer.volunteers.select_related("user", "application__project")),
            "thread": list(peer.messages.select_related("author")) if participant else [],
            "can_volunteer": not participant
            and peer.status != PeerRequestStatus.CLOSED
            and bool(services.labelled_applications_of(request.user)),
            "kinds": PeerMessageKind.choices,
            "outcomes": PeerOutcome.choices,
        },
    )


@login_required
@require_POST
def peer_volunteer(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        services.peer_volunteer(actor=request.user, request_id=pk)
    except TurbineError as error:
        _refusal(request, error)
    else:
        messages.success(request, _("Merci ! Vous pouvez maintenant échanger avec le porteur."))
    return redirect("label:peer_detail", pk=pk)


@login_required
@require_POST
def peer_message(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        services.peer_message_post(
            actor=request.user,
            request_id=pk,
            kind=request.POST.get("kind", ""),
            body=request.POST.get("body", ""),
        )
    except TurbineError as error:
        _refusal(request, error)
    else:
        messages.success(request, _("Message publié."))
    return redirect("label:peer_detail", pk=pk)


@login_required
@require_POST
def peer_meeting(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        moment = datetime.datetime.fromisoformat(request.POST.get("meeting_at", "")[:16])
    except ValueError:
        messages.error(request, _("Indiquez la date et l'heure de la rencontre."))
        return redirect("label:peer_detail", pk=pk)
    try:
        services.peer_meeting_set(
            actor=request.user,
            request_id=pk,
            meeting_at=timezone.make_aware(moment) if timezone.is_naive(moment) else moment,
            place=request.POST.get("place", ""),
        )
    except TurbineError as error:
        _refusal(request, error)
    else:
        messages.success(request, _("La rencontre est fixée."))
    return redirect("label:peer_detail", pk=pk)


@login_required
@require_POST
def peer_close(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        services.peer_close(
            actor=request.user,
            request_id=pk,
            outcome=request.POST.get("outcome", ""),
            reasons=request.POST.get("reasons", ""),
            public=request.POST.get("public") == "on",
        )
    except TurbineError as error:
        _refusal(request, error)
    else:
        messages.success(request, _("L'échange est clos ; son issue est enregistrée."))
    return redirect("label:peer_detail", pk=pk)
