"""Staff pages that create and edit a campaign (outside the Django admin), through the same
services as the commands: ``campaign_create`` and ``campaign_update``."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from turbine.budget import selectors, services
from turbine.budget.forms import CampaignForm, EnvelopeFormSet, VoterCheckForm, VoterListForm
from turbine.budget.models import Campaign
from turbine.budget.services import EnvelopeSpec
from turbine.core.exceptions import TurbineError
from turbine.territory.models import Agglomeration, Territory
from turbine.territory.selectors import get_current_territory

NEW_DEFAULTS = {
    "min_age": 16,
    "ballot_type": "approval",
    "approval_min": 1,
    "approval_max": 5,
    "cumulative_points": 10,
    "rule": "mes-completed",
}


def _require_manager(request: HttpRequest) -> None:
    if not request.user.has_perm("budget.manage_campaign"):
        raise PermissionDenied("La gestion des campagnes est réservée à l'équipe de la Turbine.")


def _envelope_specs(formset: Any) -> list[tuple[int | None, EnvelopeSpec]]:
    specs = []
    for data in formset.cleaned_data:
        if not data or data.get("delete") or not data.get("name"):
            continue
        specs.append(
            (
                data.get("envelope_id"),
                EnvelopeSpec(
                    name=data["name"],
                    budget=data["budget"],
                    agglomeration=data.get("agglomeration"),
                    min_cost=data.get("min_cost"),
                    max_cost=data.get("max_cost"),
                ),
            )
        )
    return specs


def _apply(form: CampaignForm, error: TurbineError) -> None:
    if error.field in form.fields:
        form.add_error(error.field, error.message)
    elif error.field == "envelopes":
        form.add_error(None, f"Enveloppes : {error.message}")
    else:
        form.add_error(None, error.message)


def _page(request: HttpRequest, *, territory: Territory, campaign: Campaign | None) -> HttpResponse:
    data = request.POST if request.method == "POST" else None
    initial = CampaignForm.initial_from(campaign) if campaign else NEW_DEFAULTS
    form = CampaignForm(data, initial=initial, editing=campaign is not None)
    agglomerations = Agglomeration.objects.filter(territory=territory).order_by("name")
    envelopes = EnvelopeFormSet(
        data,
        prefix="enveloppes",
        initial=[
            {
                "envelope_id": e.pk,
                "name": e.name,
                "budget": e.budget,
                "agglomeration": e.agglomeration_id,
                "min_cost": e.min_cost,
                "max_cost": e.max_cost,
            }
            for e in campaign.envelopes.all()
        ]
        if campaign
        else [],
        form_kwargs={"agglomerations": agglomerations},
    )
    if data is not None and form.is_valid() and envelopes.is_valid():
        values = {
            "title": form.cleaned_data["title"],
            "year": form.cleaned_data["year"],
            "description": form.cleaned_data["description"],
            "total_budget": form.cleaned_data["total_budget"],
            "dates": form.dates(),
            "min_age": form.cleaned_data["min_age"],
            "ballot_type": form.cleaned_data["ballot_type"],
            "approval_min": form.cleaned_data["approval_min"],
            "approval_max": form.cleaned_data["approval_max"],
            "cumulative_points": form.cleaned_data["cumulative_points"],
            "rule": form.cleaned_data["rule"],
        }
        specs = _envelope_specs(envelopes)
        try:
            if campaign is None:
                saved = services.campaign_create(
                    actor=request.user,
                    territory=territory,
                    slug=form.cleaned_data["slug"],
                    envelopes=[spec for _, spec in specs],
                    **values,
                )
            else:
                saved = services.campaign_update(
                    actor=request.user, campaign_id=campaign.pk, envelopes=specs, **values
                )
        except TurbineError as error:
            _apply(form, error)
        else:
            messages.success(request, "La campagne est enregistrée.")
            return redirect(saved.get_absolute_url())
    return render(
        request,
        "budget/campaign_form.html",
        {"form": form, "envelopes": envelopes, "campaign": campaign},
    )


@login_required
@require_http_methods(["GET", "POST"])
def campaign_new(request: HttpRequest) -> HttpResponse:
    _require_manager(request)
    territory = get_current_territory()
    if territory is None:
        raise Http404("Aucun territoire n'est encore importé.")
    return _page(request, territory=territory, campaign=None)


@login_required
@require_http_methods(["GET", "POST"])
def campaign_edit(request: HttpRequest, slug: str) -> HttpResponse:
    _require_manager(request)
    campaign = selectors.get_campaign(slug=slug)
    return _page(request, territory=campaign.territory, campaign=campaign)


@login_required
@require_http_methods(["GET", "POST"])
def voter_list(request: HttpRequest, slug: str) -> HttpResponse:
    """Staff page: how voters are checked, and the list of voters with one-time codes."""
    _require_manager(request)
    campaign = selectors.get_campaign(slug=slug)
    action = request.POST.get("action", "") if request.method == "POST" else ""
    check_form = VoterCheckForm(
        request.POST if action == "controle" else None,
        initial={"voter_check": campaign.voter_check},
    )
    list_form = VoterListForm(
        request.POST if action == "importer" else None,
        request.FILES if action == "importer" else None,
    )
    try:
        if action == "controle" and check_form.is_valid():
            services.voter_check_set(
                actor=request.user,
                campaign_id=campaign.pk,
                voter_check=check_form.cleaned_data["voter_check"],
            )
            messages.success(request, "Le contrôle des votants est enregistré.")
            return redirect("budget:voter_list", slug=slug)
        if action == "importer" and list_form.is_valid():
            summary = services.voter_list_import(
                actor=request.user, campaign_id=campaign.pk, text=list_form.cleaned_data["text"]
            )
            messages.success(
                request,
                f"{summary.added} adresse(s) ajoutée(s) à la liste, chacune a reçu son code ; "
                f"{summary.already} déjà inscrite(s).",
            )
            return redirect("budget:voter_list", slug=slug)
        if action == "renvoyer":
            sent = services.voter_codes_resend(actor=request.user, campaign_id=campaign.pk)
            messages.success(request, f"Un nouveau code a été envoyé à {sent} personne(s).")
            return redirect("budget:voter_list", slug=slug)
    except TurbineError as error:
        form = check_form if action == "controle" else list_form
        if error.field in form.fields:
            form.add_error(error.field, error.message)
        else:
            form.add_error(None, error.message)
    return render(
        request,
        "budget/voter_list.html",
        {
            "campaign": campaign,
            "check_form": check_form,
            "list_form": list_form,
            "counts": selectors.eligible_voter_counts(campaign=campaign),
        },
    )
