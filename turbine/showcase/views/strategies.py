"""Strategies by actor and network: the stakeholder map, public commitments and their
follow-up, the briefs of the pedagogical actors to elected officials."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from turbine.core.exceptions import TurbineError
from turbine.core.markdown import render_markdown
from turbine.core.web import form_error, raise_http, require_perm
from turbine.showcase import selectors
from turbine.showcase.forms import ActorForm, BriefForm, CommitmentForm, FollowUpForm
from turbine.showcase.models import ActorKind, CommitmentStatus, Relation
from turbine.showcase.services import diplomacy as services


def strategies(request: HttpRequest) -> HttpResponse:
    actors = selectors.strategic_map()
    groups = [(label, [a for a in actors if a.kind == key]) for key, label in ActorKind.choices]
    relations = [
        (label, sum(1 for a in actors if a.relation == key)) for key, label in Relation.choices
    ]
    return render(
        request,
        "showcase/strategies/strategies.html",
        {
            "groups": [(label, items) for label, items in groups if items],
            "relations": relations,
            "commitment_counts": selectors.commitment_counts(),
            "briefs": list(selectors.published_briefs()[:20]),
            "is_staff": request.user.has_perm("showcase.manage_strategies"),
        },
    )


def brief_detail(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        brief = selectors.get_brief(user=request.user, brief_id=pk)
    except TurbineError as error:
        raise_http(error)
        raise
    return render(
        request,
        "showcase/strategies/brief_detail.html",
        {"brief": brief, "body_html": render_markdown(brief.body)},
    )


@login_required
def strategies_staff(request: HttpRequest) -> HttpResponse:
    require_perm(request, "showcase.manage_strategies")
    actors = selectors.strategic_map()
    pedagogical = [a for a in actors if a.kind == ActorKind.PEDAGOGY]
    action = request.POST.get("action", "") if request.method == "POST" else ""
    actor_form = ActorForm(request.POST if action == "acteur" else None, prefix="acteur")
    commitment_form = CommitmentForm(
        request.POST if action == "engagement" else None, actors=actors, prefix="engagement"
    )
    brief_form = BriefForm(
        request.POST if action == "note" else None, actors=pedagogical, prefix="note"
    )
    error_message = ""
    try:
        if action == "acteur" and actor_form.is_valid():
            services.strategic_actor_create(
                actor=request.user, data=services.ActorData(**actor_form.cleaned_data)
            )
            messages.success(request, _("Acteur ajouté à la carte."))
            return redirect("showcase:strategies_staff")
        if action == "engagement" and commitment_form.is_valid():
            d = commitment_form.cleaned_data
            services.commitment_create(
                actor=request.user,
                actor_id=d["actor"],
                title=d["title"],
                announced_on=d["announced_on"],
                due_on=d["due_on"],
                source_url=d["source_url"],
            )
            messages.success(request, _("Engagement ajouté."))
            return redirect("showcase:strategies_staff")
        if action == "suivi":
            follow = FollowUpForm(request.POST)
            if follow.is_valid():
                services.commitment_follow_up(
                    actor=request.user,
                    commitment_id=follow.cleaned_data["commitment"],
                    status=follow.cleaned_data["status"],
                    follow_up=follow.cleaned_data["follow_up"],
                )
                messages.success(request, _("Suivi enregistré."))
                return redirect("showcase:strategies_staff")
            error_message = _("Suivi invalide : choisissez un statut et écrivez le point de suivi.")
        if action == "note" and brief_form.is_valid():
            d = brief_form.cleaned_data
            services.brief_create(
                actor=request.user,
                actor_id=d["actor"],
                title=d["title"],
                summary=d["summary"],
                body=d["body"],
            )
            messages.success(request, _("Note enregistrée ; publiez-la pour l'envoyer aux élus."))
            return redirect("showcase:strategies_staff")
        if action == "publier":
            brief_id = request.POST.get("brief", "")
            brief = services.brief_publish(
                actor=request.user,
                brief_id=int(brief_id) if brief_id.isdigit() and len(brief_id) < 10 else 0,
            )
            messages.success(
                request,
                _("Note publiée et envoyée à %(n)s élu(s).") % {"n": brief.recipients_count},
            )
            return redirect("showcase:strategies_staff")
    except TurbineError as error:
        raise_http(error)
        form = {"acteur": actor_form, "engagement": commitment_form, "note": brief_form}.get(action)
        if form is not None:
            form_error(form, error)
        else:
            error_message = error.message
    return render(
        request,
        "showcase/strategies/staff.html",
        {
            "actors": actors,
            "actor_form": actor_form,
            "commitment_form": commitment_form,
            "brief_form": brief_form,
            "statuses": CommitmentStatus.choices,
            "drafts": list(selectors.draft_briefs()),
            "error_message": error_message,
        },
    )
