"""Pages of needs and offers, and of introductions."""

from __future__ import annotations

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from turbine.core.exceptions import TurbineError
from turbine.core.web import form_error, paginate
from turbine.directory import introductions, matching, selectors, services
from turbine.directory.forms import IntroductionForm, NeedOfferFilterForm, NeedOfferForm
from turbine.directory.models import NeedOffer


def needoffer_list(request: HttpRequest) -> HttpResponse:
    form = NeedOfferFilterForm(request.GET or None)
    shown = paginate(selectors.needoffer_list(filters=form.filters()), form.page_number())
    return render(
        request,
        "directory/needoffer_list.html",
        {
            "form": form,
            **shown.context("items"),
            "counts": introductions.introduction_counts(),
        },
    )


def needoffer_detail(request: HttpRequest, pk: int) -> HttpResponse:
    item = selectors.get_needoffer(user=request.user, needoffer_id=pk)
    suggestions = matching.suggestions_for_needoffer(item)
    asked = introductions.asked_targets(
        user=request.user, kind="besoin-offre", ids=[s.object_id for s in suggestions] + [pk]
    )
    is_author = request.user.is_authenticated and item.author_id == request.user.pk
    return render(
        request,
        "directory/needoffer_detail.html",
        {
            "item": item,
            "suggestions": suggestions,
            "asked": asked,
            "can_edit": request.user.has_perm("directory.change_needoffer", item),
            "is_author": is_author,
            "is_open": not item.is_closed and item.expires_on >= timezone.localdate(),
        },
    )


def _needoffer_form(request: HttpRequest, item: NeedOffer | None) -> HttpResponse:
    initial = {"expires_on": timezone.localdate() + timedelta(days=90), "direction": "besoin"}
    if item is not None:
        initial = {
            "direction": item.direction,
            "kind": item.kind,
            "title": item.title,
            "description": item.description,
            "organisation": item.organisation_id,
            "themes": list(item.themes.all()),
            "communes": list(item.communes.all()),
            "expires_on": item.expires_on,
        }
    form = NeedOfferForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            if item is None:
                saved = services.needoffer_create(user=request.user, **form.cleaned_data)
            else:
                saved = services.needoffer_update(user=request.user, item=item, **form.cleaned_data)
        except TurbineError as error:
            form_error(form, error)
        else:
            messages.success(request, "L'annonce est publiée.")
            return redirect(saved.get_absolute_url())
    return render(request, "directory/needoffer_form.html", {"form": form, "item": item})


@login_required
def needoffer_create(request: HttpRequest) -> HttpResponse:
    return _needoffer_form(request, None)


@login_required
def needoffer_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _needoffer_form(
        request, selectors.get_needoffer_for_edit(user=request.user, needoffer_id=pk)
    )


@login_required
@require_POST
def needoffer_close(request: HttpRequest, pk: int) -> HttpResponse:
    item = selectors.get_needoffer_for_edit(user=request.user, needoffer_id=pk)
    try:
        services.needoffer_update(user=request.user, item=item, is_closed=True)
    except TurbineError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, "L'annonce est close.")
    return redirect(item.get_absolute_url())


@login_required
@require_POST
def introduction_ask(request: HttpRequest) -> HttpResponse:
    form = IntroductionForm(request.POST)
    back = request.POST.get("next") or "directory:introductions"
    if not back.startswith("/") or back.startswith("//"):
        back = "directory:introductions"
    if not form.is_valid():
        messages.error(request, "Écrivez un message pour demander la mise en relation.")
        return redirect(back)
    data = form.cleaned_data
    reasons = request.POST.getlist("reason")[:10]
    try:
        introductions.introduction_request(
            user=request.user,
            target_kind=data["target_kind"],
            target_id=data["target_id"],
            subject_kind=data["subject_kind"],
            subject_id=data["subject_id"],
            message=data["message"],
            reasons=[r[:300] for r in reasons],
            share_contact=data["share_contact"],
        )
    except TurbineError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            "Votre demande est envoyée. Vous serez prévenu de la réponse ; "
            "aucune adresse n'est transmise sans l'accord des deux côtés.",
        )
    return redirect(back)


@login_required
def introduction_inbox(request: HttpRequest) -> HttpResponse:
    items = list(introductions.introductions_of(user=request.user)[:200])
    return render(
        request,
        "directory/introductions.html",
        {
            "received": [i for i in items if i.recipient_id == request.user.pk],
            "asked": [i for i in items if i.requester_id == request.user.pk],
            "counts": introductions.introduction_counts(),
        },
    )


@login_required
@require_POST
def introduction_decide(request: HttpRequest, pk: int) -> HttpResponse:
    decision = request.POST.get("decision")
    if decision not in ("share", "decline"):
        messages.error(request, "Décision inconnue.")
        return redirect("directory:introductions")
    try:
        introduction = introductions.introduction_decide(
            user=request.user, introduction_id=pk, share=decision == "share"
        )
    except TurbineError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            {
                "accepted": "Mise en relation acceptée : vos adresses sont échangées.",
                "declined": "Mise en relation déclinée : aucune adresse n'est transmise.",
            }.get(introduction.status, "Votre accord est noté ; on attend l'autre personne."),
        )
    return redirect("directory:introductions")
