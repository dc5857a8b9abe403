"""Study visits: the offers (also in English with ``?lang=en``), a request without an account,
the visitor's personal link, the host's page, and the figures."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from turbine.core.clients import client_ip
from turbine.core.exceptions import TurbineError
from turbine.directory.models import MembershipStatus, Organisation
from turbine.showcase import selectors
from turbine.showcase.forms import (
    DecideForm,
    FeedbackForm,
    SlotForm,
    VisitFilterForm,
    VisitOfferForm,
    VisitRequestForm,
)
from turbine.showcase.models import Language, VisitSlot
from turbine.showcase.services import visits as services
from turbine.showcase.views._common import apply_error, paginate, raise_http, require_perm

VISITOR_LANGUAGES = ("fr", "en")


def _visitor_language(request: HttpRequest) -> str:
    lang = request.GET.get("lang", "")
    return lang if lang in VISITOR_LANGUAGES else "fr"


def in_visitor_language(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Pages for outside visitors: French by default, English with ``?lang=en`` (Django's
    translation catalogue), the choice kept in the links of the page."""

    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        lang = _visitor_language(request)
        with translation.override(lang):
            request.visitor_lang = lang  # type: ignore[attr-defined]
            response = view(request, *args, **kwargs)
            if hasattr(response, "render") and not getattr(response, "is_rendered", True):
                response.render()
        response["Content-Language"] = lang
        return response

    wrapped.__name__ = view.__name__
    wrapped.__doc__ = view.__doc__
    return wrapped


def _slot_label(slot: VisitSlot) -> str:
    when = formats.date_format(timezone.localtime(slot.start), "l j F Y, H:i")
    if slot.remaining:
        return _("%(when)s — %(n)s place(s) libre(s)") % {"when": when, "n": slot.remaining}
    return _("%(when)s — complet") % {"when": when}


def _lang_suffix(request: HttpRequest) -> str:
    return "?lang=en" if getattr(request, "visitor_lang", "fr") == "en" else ""


@in_visitor_language
def visit_list(request: HttpRequest) -> HttpResponse:
    form = VisitFilterForm(request.GET or None)
    qs = selectors.visit_offer_list(filters=form.filters())
    return render(
        request,
        "showcase/visits/visit_list.html",
        {
            "form": form,
            "lang": request.visitor_lang,  # type: ignore[attr-defined]
            "can_offer": request.user.has_perm("showcase.add_visit"),
            "can_see_figures": request.user.has_perm("showcase.view_visit_figures"),
            **paginate(qs, form.page_number()),
        },
    )


@in_visitor_language
def visit_detail(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        offer = selectors.get_visit_offer(offer_id=pk)
    except TurbineError as error:
        raise_http(error)
        raise
    open_slots = [s for s in offer.upcoming if s.remaining]  # type: ignore[attr-defined]
    labels = dict(Language.choices)
    form = VisitRequestForm(
        request.POST or None,
        slots=[(s.pk, _slot_label(s)) for s in open_slots],
        languages=[(code, labels[code]) for code in offer.languages if code in labels],
    )
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            visit_request = services.visit_request_create(
                offer_id=offer.pk,
                data=services.VisitRequestData(
                    slot_id=d["slot"],
                    contact_name=d["contact_name"],
                    email=d["email"],
                    group_name=d["group_name"],
                    origin=d["origin"],
                    group_size=d["group_size"],
                    language=d["language"],
                    country=d["country"],
                    needs=d["needs"],
                    message=d["message"],
                ),
                client_ip=client_ip(request),
            )
        except TurbineError as error:
            apply_error(form, error)
        else:
            messages.success(
                request,
                _("Votre demande est envoyée et vos places sont réservées.")
                + " "
                + _("Gardez ce lien personnel : il vous permet de suivre votre demande."),
            )
            return redirect(services.personal_path(visit_request) + _lang_suffix(request))
    return render(
        request,
        "showcase/visits/visit_detail.html",
        {
            "offer": offer,
            "slots": [(s, _slot_label(s)) for s in offer.upcoming],  # type: ignore[attr-defined]
            "form": form,
            "lang": request.visitor_lang,  # type: ignore[attr-defined]
            "themes": list(offer.themes.all()),
            "can_manage": request.user.has_perm("showcase.manage_visit", offer),
        },
    )


@in_visitor_language
def request_personal(request: HttpRequest, token: str) -> HttpResponse:
    try:
        visit_request = services.get_request_by_token(token=token)
    except TurbineError as error:
        raise_http(error)
        raise
    feedback_form = FeedbackForm(request.POST if request.POST.get("action") == "avis" else None)
    error_message = ""
    if request.method == "POST":
        action = request.POST.get("action", "")
        try:
            if action == "annuler":
                services.visit_request_cancel(token=token)
                messages.success(
                    request, _("Votre demande est annulée ; vos places sont libérées.")
                )
            elif action in ("accepter", "refuser"):
                services.visit_request_answer_proposal(token=token, accept=action == "accepter")
                messages.success(
                    request,
                    _("Votre visite est confirmée à la nouvelle date.")
                    if action == "accepter"
                    else _("Vous avez décliné l'autre date ; la demande est close."),
                )
            elif action == "avis" and feedback_form.is_valid():
                services.visit_feedback_give(
                    token=token,
                    rating=feedback_form.cleaned_data["rating"],
                    learned=feedback_form.cleaned_data["learned"],
                )
                messages.success(request, _("Merci pour votre avis."))
            elif action != "avis":
                error_message = _("Action inconnue.")
            if not error_message and not feedback_form.errors:
                return redirect(request.path + _lang_suffix(request))
        except TurbineError as error:
            if action == "avis":
                apply_error(feedback_form, error)
            else:
                error_message = error.message
    slot = visit_request.slot
    return render(
        request,
        "showcase/visits/request_personal.html",
        {
            "visit_request": visit_request,
            "offer": slot.offer,
            "slot_label": formats.date_format(timezone.localtime(slot.start), "l j F Y, H:i"),
            "proposed_label": formats.date_format(
                timezone.localtime(visit_request.proposed_slot.start), "l j F Y, H:i"
            )
            if visit_request.proposed_slot
            else "",
            "is_past": slot.start <= timezone.now(),
            "has_feedback": hasattr(visit_request, "feedback"),
            "feedback_form": feedback_form,
            "error_message": error_message,
            "lang": request.visitor_lang,  # type: ignore[attr-defined]
        },
    )


def _hosts_of(request: HttpRequest) -> list[Organisation]:
    if request.user.has_perm("showcase.view_visit_figures"):
        return list(Organisation.objects.filter(is_hidden=False).order_by("name")[:500])
    return list(
        Organisation.objects.filter(
            memberships__user=request.user,
            memberships__status=MembershipStatus.ACTIVE,
            is_hidden=False,
        ).order_by("name")
    )


def _offer_data(d: dict[str, Any]) -> services.VisitOfferData:
    return services.VisitOfferData(
        title=d["title"],
        host_id=int(d["host"]),
        commune_code=d["commune"],
        meeting_point=d["meeting_point"],
        description=d["description"],
        learnings=d["learnings"],
        languages=d["languages"],
        project_id=d["project"],
        accessibility=d["accessibility"],
        step_free=d["step_free"],
        duration_minutes=d["duration_minutes"],
        theme_slugs=d["themes"],
    )


@login_required
def visit_create(request: HttpRequest) -> HttpResponse:
    require_perm(request, "showcase.add_visit")
    form = VisitOfferForm(
        request.POST or None, hosts=_hosts_of(request), initial={"languages": ["fr"]}
    )
    if request.method == "POST" and form.is_valid():
        try:
            offer = services.visit_offer_create(
                actor=request.user, data=_offer_data(form.cleaned_data)
            )
        except TurbineError as error:
            apply_error(form, error)
        else:
            messages.success(request, _("Visite enregistrée : ajoutez maintenant ses dates."))
            return redirect("showcase:visit_manage", pk=offer.pk)
    return render(
        request,
        "showcase/visits/visit_form.html",
        {"form": form},
    )


@login_required
def visit_edit(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        offer = services.get_offer_for_manage(user=request.user, offer_id=pk)
    except TurbineError as error:
        raise_http(error)
        raise
    hosts = _hosts_of(request)
    if offer.host not in hosts:
        hosts.insert(0, offer.host)
    initial = {
        "title": offer.title,
        "host": offer.host_id,
        "project": offer.project_id,
        "commune": offer.commune.code,
        "meeting_point": offer.meeting_point,
        "description": offer.description,
        "learnings": offer.learnings,
        "languages": offer.languages,
        "duration_minutes": offer.duration_minutes,
        "step_free": offer.step_free,
        "accessibility": offer.accessibility,
        "themes": [t.slug for t in offer.themes.all()],
    }
    form = VisitOfferForm(request.POST or None, hosts=hosts, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.visit_offer_update(
                actor=request.user, offer_id=offer.pk, data=_offer_data(form.cleaned_data)
            )
        except TurbineError as error:
            raise_http(error)
            apply_error(form, error)
        else:
            messages.success(request, _("Visite modifiée."))
            return redirect("showcase:visit_manage", pk=offer.pk)
    return render(request, "showcase/visits/visit_form.html", {"form": form, "offer": offer})


@login_required
def visit_manage(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        offer = services.get_offer_for_manage(user=request.user, offer_id=pk)
    except TurbineError as error:
        raise_http(error)
        raise
    action = request.POST.get("action", "") if request.method == "POST" else ""
    slot_form = SlotForm(request.POST if action == "date" else None)
    error_message = ""
    if action == "date" and slot_form.is_valid():
        try:
            services.visit_slot_add(
                actor=request.user,
                offer_id=pk,
                start=slot_form.cleaned_data["start"],
                capacity=slot_form.cleaned_data["capacity"],
            )
        except TurbineError as error:
            apply_error(slot_form, error)
        else:
            messages.success(request, _("Date ajoutée."))
            return redirect("showcase:visit_manage", pk=pk)
    elif action in ("confirm", "decline", "propose"):
        decide = DecideForm(request.POST)
        if not decide.is_valid():
            error_message = _("Demande invalide.")
        else:
            try:
                services.visit_request_decide(
                    actor=request.user,
                    request_id=decide.cleaned_data["request"],
                    action=action,
                    proposed_slot_id=decide.cleaned_data["proposed_slot"],
                    note=decide.cleaned_data["note"],
                )
            except TurbineError as error:
                raise_http(error)
                error_message = error.message
            else:
                messages.success(request, _("Réponse envoyée au groupe."))
                return redirect("showcase:visit_manage", pk=pk)
    elif action in ("masquer", "rouvrir"):
        try:
            services.visit_offer_publish_set(
                actor=request.user, offer_id=pk, published=action == "rouvrir"
            )
        except TurbineError as error:
            raise_http(error)
            error_message = error.message
        else:
            messages.success(
                request,
                _("La visite est de nouveau ouverte aux demandes.")
                if action == "rouvrir"
                else _(
                    "La visite est masquée : elle ne reçoit plus de demande ; vous répondez "
                    "toujours à celles déjà reçues."
                ),
            )
            return redirect("showcase:visit_manage", pk=pk)
    elif action and action != "date":
        error_message = _("Action inconnue.")
    slots = selectors.offer_slots(offer=offer)
    future = [s for s in slots if s.start > timezone.now()]
    return render(
        request,
        "showcase/visits/visit_manage.html",
        {
            "offer": offer,
            "slots": [(s, _slot_label(s)) for s in slots],
            "future_slots": [(s, _slot_label(s)) for s in future],
            "requests": selectors.visit_requests_of_offer(offer=offer),
            "slot_form": slot_form,
            "error_message": error_message,
        },
    )


@login_required
def visit_figures(request: HttpRequest) -> HttpResponse:
    require_perm(request, "showcase.view_visit_figures")
    return render(request, "showcase/visits/figures.html", {"figures": selectors.visit_figures()})
