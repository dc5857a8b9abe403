"""Pages of meetings: thin views over the meetings selectors and services."""

from __future__ import annotations

from typing import Any

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from turbine.cooperation import meetings_ics
from turbine.cooperation.forms.meetings import (
    AttendanceForm,
    DeclaredForm,
    EmailRegistrationForm,
    EventFilterForm,
    EventForm,
    FeedbackForm,
)
from turbine.cooperation.models import (
    Event,
    EventFormat,
    KnowHowOffer,
    Registration,
    RegistrationStatus,
)
from turbine.cooperation.selectors import meetings as selectors
from turbine.cooperation.services import meetings as services
from turbine.core.exceptions import TurbineError
from turbine.core.web import form_error, paginate

FEED_LIMIT = 500


def _qr_svg(event: Event, registration: Registration) -> str:
    """The QR code of a registration: the attendance page's address with the code, so that an
    organiser's phone camera opens it directly."""
    url = (
        settings.SITE_URL
        + reverse("cooperation:event_attendance", args=[event.pk])
        + f"?code={registration.code}"
    )
    return segno.make(url, error="m").svg_inline(
        scale=4, svgclass="qr-code", title=_("QR code de votre inscription")
    )


def event_list(request: HttpRequest) -> HttpResponse:
    form = EventFilterForm(request.GET or None)
    qs = selectors.event_list(filters=form.filters())
    shown = paginate(qs, form.page_number())
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "cooperation/meetings/event_list.html",
        {
            "form": form,
            **shown.context("events"),
            "feed_query": query.urlencode(),
            "can_create": request.user.has_perm("cooperation.add_event"),
            "can_see_diversity": request.user.has_perm("cooperation.view_diversity_dashboard"),
        },
    )


def event_list_ics(request: HttpRequest) -> HttpResponse:
    form = EventFilterForm(request.GET or None)
    if form.is_bound and not form.is_valid():
        return HttpResponse(
            _("Filtres invalides : ")
            + "; ".join(f"{k} : {' '.join(v)}" for k, v in form.errors.items()),
            status=400,
            content_type="text/plain; charset=utf-8",
        )
    events = list(selectors.event_list(filters=form.filters())[:FEED_LIMIT])
    body = meetings_ics.calendar_bytes(events, name=_("Rencontres de la Turbine"))
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="rencontres.ics"'
    return response


def event_detail(request: HttpRequest, pk: int) -> HttpResponse:
    event = selectors.get_event(event_id=pk)
    registration = selectors.registration_of(user=request.user, event=event)
    holds_place = registration is not None and registration.holds_place
    can_manage = request.user.has_perm("cooperation.change_event", event)
    return render(
        request,
        "cooperation/meetings/event_detail.html",
        {
            "event": event,
            "themes": list(event.themes.all()),
            "organisations": list(event.organisations.all()),
            "networks": selectors.networks_crossed(event),
            "registration": registration,
            "code": services.format_code(registration.code) if registration else "",
            "rank": services.waiting_rank(registration) if registration else None,
            "qr_svg": _qr_svg(event, registration) if holds_place else "",
            "show_online_link": holds_place or can_manage,
            "open_for_registration": event.registration_mode == "plateforme"
            and event.start > timezone.now(),
            "declared_form": DeclaredForm(),
            "email_form": EmailRegistrationForm(),
            "calendar_links": meetings_ics.add_to_calendar_links(event),
            "can_manage": can_manage,
            "counts": selectors.attendance_counts(event=event) if can_manage else None,
            "is_past": event.end <= timezone.now(),
            "is_started": event.start <= timezone.now(),
            "documents": list(event.documents.all()),
            "counts_public": selectors.attendance_counts(event=event)
            if event.end <= timezone.now()
            else None,
            "feedback_form": FeedbackForm(),
            "my_feedback": selectors.feedback_of(registration=registration)
            if registration is not None and event.start <= timezone.now()
            else None,
        },
    )


def event_ics(request: HttpRequest, pk: int) -> HttpResponse:
    event = selectors.get_event(event_id=pk)
    registration = selectors.registration_of(user=request.user, event=event)
    body = meetings_ics.calendar_bytes(
        [event],
        name=event.title,
        with_online_link=registration is not None and registration.holds_place,
    )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="rencontre-{event.pk}.ics"'
    return response


def _event_form_page(request: HttpRequest, form: EventForm, event: Event | None) -> HttpResponse:
    return render(request, "cooperation/meetings/event_form.html", {"form": form, "event": event})


@login_required
@require_http_methods(["GET", "POST"])
def event_create(request: HttpRequest) -> HttpResponse:
    """``?groupe=<id>`` for a working group's meeting, ``?savoir-faire=<id>`` for a session of a
    know-how offer (format « formation entre pairs »); the service checks who may."""
    initial: dict[str, Any] = {}
    group_id, offer_id = request.GET.get("groupe", ""), request.GET.get("savoir-faire", "")
    if group_id.isdigit() and len(group_id) < 10:
        initial["group"] = int(group_id)
    if offer_id.isdigit() and len(offer_id) < 10:
        offer = KnowHowOffer.objects.filter(pk=int(offer_id), is_hidden=False).first()
        if offer is not None:
            initial.update(
                know_how_offer=offer.pk,
                format=EventFormat.PEER_TRAINING,
                title=offer.title,
                description=offer.description,
            )
    linked = bool(initial.get("group") or initial.get("know_how_offer")) or bool(
        request.POST.get("group") or request.POST.get("know_how_offer")
    )
    if not linked and not request.user.has_perm("cooperation.add_event"):
        raise_forbidden()
    form = EventForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            event = services.event_create(actor=request.user, data=form.to_data())
        except TurbineError as error:
            form_error(form, error)
        else:
            messages.success(request, _("La rencontre est publiée."))
            return redirect(event.get_absolute_url())
    return _event_form_page(request, form, None)


def raise_forbidden() -> None:
    raise PermissionDenied(
        _(
            "Seules l'équipe de la Turbine et les membres d'une organisation de l'annuaire "
            "peuvent proposer une rencontre."
        )
    )


def _initial(event: Event) -> dict[str, Any]:
    skip = ("themes", "organisations", "commune", "group", "know_how_offer")
    initial = {
        n: getattr(event, n) for n in EventForm.base_fields if n not in skip and hasattr(event, n)
    }
    initial["commune"] = event.commune_id
    initial["group"] = event.group_id
    initial["know_how_offer"] = event.know_how_offer_id
    initial["start"] = timezone.localtime(event.start)
    initial["end"] = timezone.localtime(event.end)
    initial["themes"] = list(event.themes.all())
    initial["organisations"] = list(event.organisations.all())
    initial["person_is_organiser"] = event.organiser_person_id is not None
    return initial


@login_required
@require_http_methods(["GET", "POST"])
def event_edit(request: HttpRequest, pk: int) -> HttpResponse:
    event = selectors.get_event_for_edit(user=request.user, event_id=pk)
    form = EventForm(request.POST or None, user=request.user, initial=_initial(event))
    if request.method == "POST" and form.is_valid():
        try:
            services.event_update(actor=request.user, event_id=event.pk, data=form.to_data())
        except TurbineError as error:
            form_error(form, error)
        else:
            messages.success(request, _("La rencontre est enregistrée."))
            return redirect(event.get_absolute_url())
    return _event_form_page(request, form, event)


@require_POST
def event_register(request: HttpRequest, pk: int) -> HttpResponse:
    """Signed in: registers at once. Without an account: an email with a confirmation link."""
    event = selectors.get_event(event_id=pk)
    form: Form
    if request.user.is_authenticated:
        form = DeclaredForm(request.POST)
        if form.is_valid():
            try:
                registration = services.registration_create(
                    event_id=event.pk, user=request.user, declared=form.declared()
                )
            except TurbineError as error:
                messages.error(request, error.message)
            else:
                if registration.status == RegistrationStatus.REGISTERED:
                    messages.success(
                        request,
                        _("Vous êtes inscrit·e. Un courriel de confirmation vous est envoyé."),
                    )
                else:
                    messages.warning(
                        request,
                        _(
                            "La rencontre est complète : vous êtes sur la liste d'attente. "
                            "Vous recevrez un courriel si une place se libère."
                        ),
                    )
            return redirect(event.get_absolute_url())
    else:
        form = EmailRegistrationForm(request.POST)
        if form.is_valid():
            try:
                services.registration_create(
                    event_id=event.pk,
                    email=form.cleaned_data["email"],
                    name=form.cleaned_data["name"],
                    declared=form.declared(),
                )
            except TurbineError as error:
                form_error(form, error)
            else:
                return render(
                    request,
                    "cooperation/meetings/registration_check_email.html",
                    {"event": event, "email": form.cleaned_data["email"]},
                )
    return render(
        request,
        "cooperation/meetings/registration_form.html",
        {"event": event, "form": form},
        status=400,
    )


@login_required
@require_POST
def event_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    event = selectors.get_event(event_id=pk)
    try:
        services.registration_cancel(user=request.user, event_id=event.pk)
    except TurbineError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Votre inscription est annulée."))
    return redirect(event.get_absolute_url())


@require_http_methods(["GET", "POST"])
def registration_personal(request: HttpRequest, token: str) -> HttpResponse:
    """The personal page of a registration made without an account, reached from its emails:
    confirm (double opt-in, by a button so that a mail scanner opening the link confirms
    nothing), see the code and QR code, cancel."""
    try:
        registration = services.get_registration_by_token(token=token)
    except TurbineError as error:
        raise Http404(error.message) from None
    if request.method == "POST":
        action = request.POST.get("action", "")
        try:
            if action == "confirmer":
                registration = services.registration_confirm(token=token)
                messages.success(request, _("Votre inscription est confirmée."))
            elif action == "annuler":
                registration = services.registration_cancel_by_token(token=token)
                messages.success(request, _("Votre inscription est annulée."))
            else:
                messages.error(request, _("Action inconnue."))
        except TurbineError as error:
            messages.error(request, error.message)
        return redirect("cooperation:registration_personal", token=token)
    event = selectors.get_event(event_id=registration.event_id)
    holds_place = registration.holds_place
    return render(
        request,
        "cooperation/meetings/registration_personal.html",
        {
            "event": event,
            "registration": registration,
            "code": services.format_code(registration.code),
            "rank": services.waiting_rank(registration),
            "qr_svg": _qr_svg(event, registration) if holds_place else "",
            "show_online_link": holds_place,
            "calendar_links": meetings_ics.add_to_calendar_links(event),
            "is_started": event.start <= timezone.now(),
            "feedback_form": FeedbackForm(),
            "my_feedback": selectors.feedback_of(registration=registration),
            "token": token,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def event_attendance(request: HttpRequest, pk: int) -> HttpResponse:
    """On the day: an organiser enters a code, or scans a QR code that opens this page with the
    code filled in (it is recorded only on submitting)."""
    event = selectors.get_event_for_attendance(user=request.user, event_id=pk)
    result = None
    if request.method == "POST":
        form = AttendanceForm(request.POST)
        if form.is_valid():
            try:
                result = services.attendance_mark(
                    actor=request.user, event_id=event.pk, code=form.cleaned_data["code"]
                )
            except TurbineError as error:
                form_error(form, error)
            else:
                form = AttendanceForm()
    else:
        code = request.GET.get("code", "")[:20]
        form = AttendanceForm(initial={"code": services.format_code(code)} if code else None)
    return render(
        request,
        "cooperation/meetings/attendance.html",
        {
            "event": event,
            "form": form,
            "result": result,
            "result_code": services.format_code(result.registration.code) if result else "",
            "counts": selectors.attendance_counts(event=event),
            "recent": selectors.recent_attendances(event=event),
        },
    )


@login_required
def diversity_dashboard(request: HttpRequest) -> HttpResponse:
    """Staff see every event; an organiser sees the events they organise."""
    everything = request.user.has_perm("cooperation.view_diversity_dashboard")
    events = None if everything else selectors.events_organised_by(user=request.user)
    if events is not None and not events.exists():
        raise PermissionDenied(
            _("Ce tableau de bord est réservé à l'équipe de la Turbine et aux organisateurs.")
        )
    dimension = request.GET.get("dimension", "age_band")
    if dimension not in selectors.DIMENSIONS:
        dimension = "age_band"
    return render(
        request,
        "cooperation/meetings/diversity.html",
        {
            "dimension": dimension,
            "dimensions": [(k, v[0]) for k, v in selectors.DIMENSIONS.items()],
            "tables": selectors.diversity_dashboard(dimension=dimension, events=events),
            "min_group": selectors.MIN_GROUP,
            "everything": everything,
        },
    )
