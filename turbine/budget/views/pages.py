"""Pages of the participatory budget: thin views over selectors and services."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from turbine.budget import selectors, services
from turbine.budget.explanations import EQUAL_SHARES_URL, method_sentence
from turbine.budget.forms import (
    ProgressForm,
    ProposalFilterForm,
    ProposalForm,
    ReviewForm,
    VoteForm,
    VoterCodeForm,
)
from turbine.budget.models import BallotType, Campaign, Envelope, Phase, Proposal, VoterCheck
from turbine.budget.pabulib_io import envelope_export
from turbine.budget.results import RULE_LABELS
from turbine.core.clients import client_ip
from turbine.core.exceptions import PermissionDeniedError, TurbineError
from turbine.core.models import Theme
from turbine.core.web import form_error, paginate

PAGE_SIZE = 24


def campaign_list(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    campaigns = [(c, c.phase_on(today)) for c in selectors.campaign_list()]
    return render(
        request,
        "budget/campaign_list.html",
        {
            "campaigns": campaigns,
            "can_manage": request.user.has_perm("budget.manage_campaign"),
        },
    )


def campaign_detail(request: HttpRequest, slug: str) -> HttpResponse:
    campaign = selectors.get_campaign(slug=slug)
    today = timezone.localdate()
    themes = list(Theme.objects.order_by("position", "name"))
    form = ProposalFilterForm(request.GET or None, campaign=campaign, themes=themes)
    filters: dict[str, Any] = {}
    if form.is_valid():
        filters = form.cleaned_data
    page = filters.get("page") or 1
    phase = campaign.phase_on(today)
    counts = (
        selectors.ballot_counts(campaign=campaign)
        if phase in (Phase.VOTE, Phase.RESULTS, Phase.REALISATION)
        else None
    )
    qs = selectors.proposal_list(
        campaign=campaign,
        status=filters.get("statut") or None,
        theme=filters.get("theme") or None,
        agglomeration=filters.get("agglomeration") or None,
    )
    shown = paginate(qs, page, page_size=PAGE_SIZE)
    return render(
        request,
        "budget/campaign_detail.html",
        {
            "campaign": campaign,
            "phase": phase,
            "timeline": selectors.timeline(campaign, today=today),
            "envelopes": [
                (e, counts.get(e.pk, 0) if counts is not None else None)
                for e in campaign.envelopes.all()
            ],
            "show_counts": counts is not None,
            "form": form,
            **shown.context("proposals"),
            "results_public": campaign.results_published,
            "can_review": request.user.has_perm("budget.review_proposal"),
            "can_manage": request.user.has_perm("budget.manage_campaign"),
        },
    )


def proposal_detail(request: HttpRequest, slug: str, proposal_id: int) -> HttpResponse:
    campaign = selectors.get_campaign(slug=slug)
    proposal = selectors.get_proposal(campaign=campaign, proposal_id=proposal_id)
    return render(
        request,
        "budget/proposal_detail.html",
        {
            "campaign": campaign,
            "proposal": proposal,
            "themes": list(proposal.themes.all()),
            "images": list(proposal.images.all()),
            "merged": list(proposal.merged_proposals.all()),
            "phase": campaign.phase_on(timezone.localdate()),
            "project": proposal.realisation_project
            if proposal.realisation_project and proposal.realisation_project.is_public
            else None,
            "can_review": request.user.has_perm("budget.review_proposal"),
        },
    )


def proposal_image(request: HttpRequest, image_id: int) -> FileResponse:
    """A proposal's re-encoded image (media files are not served by the web server)."""
    image = selectors.get_image(image_id=image_id)
    try:
        handle = image.file.open("rb")
    except FileNotFoundError:
        raise Http404("Image introuvable") from None
    response = FileResponse(handle, content_type="image/jpeg")
    response["Cache-Control"] = "public, max-age=86400"
    return response


@login_required
@require_http_methods(["GET", "POST"])
def proposal_submit(request: HttpRequest, slug: str) -> HttpResponse:
    campaign = selectors.get_campaign(slug=slug)
    phase = campaign.phase_on(timezone.localdate())
    if phase != Phase.SUBMISSION:
        raise Http404("Le dépôt des idées n'est pas ouvert")
    refusal = None
    try:
        services.check_resident(user=request.user, campaign=campaign, action="déposer une idée")
    except TurbineError as error:
        refusal = error.message
    form = ProposalForm(request.POST or None, request.FILES or None, campaign=campaign)
    if request.method == "POST" and refusal is None and form.is_valid():
        data = form.cleaned_data
        try:
            proposal = services.proposal_submit(
                user=request.user,
                campaign=campaign,
                title=data["title"],
                description=data["description"],
                estimated_cost=data["estimated_cost"],
                commune=data["commune"],
                place=data["place"],
                themes=data["themes"],
                image=data.get("image") or None,
                image_alt=data.get("image_alt", ""),
                client_ip=client_ip(request),
            )
        except TurbineError as error:
            form_error(form, error)
        else:
            messages.success(
                request,
                "Votre idée est déposée. L'équipe de la Turbine va en étudier la faisabilité.",
            )
            return redirect(proposal.get_absolute_url())
    return render(
        request,
        "budget/proposal_form.html",
        {"campaign": campaign, "form": form, "refusal": refusal},
    )


def _require_reviewer(request: HttpRequest) -> None:
    if not request.user.is_authenticated:
        raise PermissionDenied("Connectez-vous.")
    if not request.user.has_perm("budget.review_proposal"):
        raise PermissionDenied("Réservé à l'équipe de la Turbine.")


@login_required
def review_queue(request: HttpRequest, slug: str) -> HttpResponse:
    _require_reviewer(request)
    campaign = selectors.get_campaign(slug=slug)
    today = timezone.localdate()
    return render(
        request,
        "budget/review_queue.html",
        {
            "campaign": campaign,
            "can_publish": (
                request.user.has_perm("budget.manage_campaign")
                and not campaign.results_published
                and today > campaign.vote_end
            ),
            "proposals": list(selectors.review_queue(campaign=campaign)),
            "counts": selectors.status_counts(campaign=campaign),
            "log": selectors.staff_log(campaign=campaign),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def proposal_review(request: HttpRequest, slug: str, proposal_id: int) -> HttpResponse:
    campaign = selectors.get_campaign(slug=slug)
    try:
        proposal = selectors.get_proposal_for_review(
            user=request.user, campaign=campaign, proposal_id=proposal_id
        )
    except PermissionDeniedError as error:
        raise PermissionDenied(error.message) from None
    phase = campaign.phase_on(timezone.localdate())
    if phase in (Phase.RESULTS, Phase.REALISATION):
        return _progress(request, campaign, proposal)
    candidates = [
        p
        for p in selectors.proposal_list(campaign=campaign, status="recevable")
        if p.pk != proposal.pk
    ]
    initial = {
        "decision": proposal.status if proposal.status != "deposee" else None,
        "public_reason": proposal.public_reason,
        "revised_cost": proposal.revised_cost,
        "merge_into": proposal.merged_into_id,
    }
    form = ReviewForm(
        request.POST or None, initial=initial, proposal=proposal, candidates=candidates
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.proposal_review(
                actor=request.user,
                proposal_id=proposal.pk,
                decision=data["decision"],
                public_reason=data["public_reason"],
                revised_cost=data["revised_cost"],
                merge_into_id=data["merge_into"],
            )
        except TurbineError as error:
            form_error(form, error)
        else:
            messages.success(request, f"Décision enregistrée pour « {proposal.title} ».")
            return redirect("budget:review_queue", slug=campaign.slug)
    return render(
        request,
        "budget/review_form.html",
        {"campaign": campaign, "proposal": proposal, "form": form},
    )


def _progress(request: HttpRequest, campaign: Campaign, proposal: Proposal) -> HttpResponse:
    """After the results: follow a funded project to completion."""
    form = ProgressForm(
        request.POST or None,
        initial={"status": proposal.status, "note": proposal.progress_note},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.proposal_progress(
                actor=request.user,
                proposal_id=proposal.pk,
                status=form.cleaned_data["status"],
                note=form.cleaned_data["note"],
            )
        except TurbineError as error:
            form_error(form, error)
        else:
            messages.success(request, f"Avancement enregistré pour « {proposal.title} ».")
            return redirect("budget:review_queue", slug=campaign.slug)
    return render(
        request,
        "budget/review_form.html",
        {"campaign": campaign, "proposal": proposal, "form": form, "progress": True},
    )


# --------------------------------------------------------------------------------------------
# The vote


def _eligibility(request: HttpRequest, campaign: Campaign) -> str | None:
    try:
        services.check_resident(user=request.user, campaign=campaign, action="voter")
    except TurbineError as error:
        return error.message
    return None


def _needs_code(request: HttpRequest, campaign: Campaign) -> bool:
    return campaign.voter_check == VoterCheck.LIST and not services.voter_code_validated(
        user=request.user, campaign=campaign
    )


def vote_index(
    request: HttpRequest, slug: str, code_form: VoterCodeForm | None = None
) -> HttpResponse:
    campaign = selectors.get_campaign(slug=slug)
    phase = campaign.phase_on(timezone.localdate())
    if phase != Phase.VOTE:
        raise Http404("Le vote n'est pas ouvert")
    refusal = _eligibility(request, campaign)
    envelopes: list[tuple[Envelope, Any]] = []
    if refusal is None and _needs_code(request, campaign):
        code_form = code_form or VoterCodeForm()
    elif refusal is None:
        code_form = None
        records = selectors.voter_records(user=request.user, campaign=campaign)
        envelopes = [
            (e, records.get(e.pk))
            for e in services.voter_envelopes(user=request.user, campaign=campaign)
        ]
    return render(
        request,
        "budget/vote_index.html",
        {
            "campaign": campaign,
            "refusal": refusal,
            "envelopes": envelopes,
            "code_form": code_form,
        },
    )


@login_required
@require_http_methods(["POST"])
def vote_code(request: HttpRequest, slug: str) -> HttpResponse:
    """The one-time code of a campaign with a list of voters, entered once before voting."""
    campaign = selectors.get_campaign(slug=slug)
    if campaign.phase_on(timezone.localdate()) != Phase.VOTE:
        raise Http404("Le vote n'est pas ouvert")
    form = VoterCodeForm(request.POST)
    if form.is_valid():
        try:
            services.voter_code_claim(
                user=request.user, campaign=campaign, code=form.cleaned_data["code"]
            )
        except TurbineError as error:
            if error.field != "code":
                messages.info(request, error.message)
                return redirect("budget:vote", slug=slug)
            form.add_error("code", error.message)
        else:
            messages.success(request, "Votre code est validé : vous pouvez voter.")
            return redirect("budget:vote", slug=slug)
    return vote_index(request, slug, code_form=form)


def _ballot_context(
    campaign: Campaign, envelope: Envelope, proposals: list[Proposal], form: VoteForm
) -> dict[str, Any]:
    """What the ballot shows around the form: the chosen projects' total and what is left."""
    chosen: set[int] = set()
    points: dict[int, str] = {}
    points_used = 0
    data = form.data if form.is_bound else form.initial
    if campaign.ballot_type == BallotType.CUMULATIVE:
        for p in proposals:
            raw = str(data.get(f"points-{p.pk}") or "").strip()
            points[p.pk] = raw
            if raw.isdigit():
                points_used += int(raw)
    else:
        raw = data.getlist("projets") if hasattr(data, "getlist") else data.get("projets", [])
        chosen = {int(x) for x in raw if str(x).isdigit()}
    spent = sum((p.cost for p in proposals if p.pk in chosen), 0)
    return {
        "campaign": campaign,
        "envelope": envelope,
        "proposals": proposals,
        "items": [
            (p, p.pk in chosen, points.get(p.pk, ""), form.errors.get(f"points-{p.pk}"))
            for p in proposals
        ],
        "form": form,
        "chosen": chosen,
        "chosen_count": len(chosen),
        "spent": spent,
        "remaining": envelope.budget - spent,
        "over_budget": spent > envelope.budget,
        "points_used": points_used,
        "points_left": campaign.cumulative_points - points_used,
        "approval_max": min(campaign.approval_max, len(proposals)),
    }


@login_required
@require_http_methods(["GET", "POST"])
def vote_ballot(request: HttpRequest, slug: str, envelope_id: int) -> HttpResponse:
    campaign = selectors.get_campaign(slug=slug)
    if campaign.phase_on(timezone.localdate()) != Phase.VOTE:
        raise Http404("Le vote n'est pas ouvert")
    refusal = _eligibility(request, campaign)
    if refusal is not None:
        messages.error(request, refusal)
        return redirect("budget:vote", slug=slug)
    if _needs_code(request, campaign):
        messages.error(request, "Saisissez d'abord le code personnel reçu par courriel.")
        return redirect("budget:vote", slug=slug)
    envelope = next(
        (
            e
            for e in services.voter_envelopes(user=request.user, campaign=campaign)
            if e.pk == envelope_id
        ),
        None,
    )
    if envelope is None:
        raise Http404("Enveloppe introuvable")
    envelope.campaign = campaign
    proposals = services.votable_proposals(envelope)
    initial: dict[str, Any] = {}
    existing = services.ballot_of(user=request.user, envelope=envelope)
    if existing is not None:
        if campaign.ballot_type == BallotType.CUMULATIVE:
            initial = {f"points-{pid}": pts for pid, pts in existing.choices}
        else:
            initial = {"projets": [str(pid) for pid in existing.choices]}
    action = request.POST.get("action", "") if request.method == "POST" else ""
    bound = request.method == "POST"
    form = VoteForm(
        request.POST if bound else None, initial=initial, campaign=campaign, proposals=proposals
    )
    template = "budget/vote_ballot.html"
    if bound and form.is_valid() and action in ("verifier", "confirmer"):
        try:
            normalised = services.ballot_validate(
                envelope=envelope, proposals=proposals, choices=form.choices()
            )
            if not form.cleaned_data["age_declared"]:
                raise services.NotEligibleError(
                    f"Déclarez avoir au moins {campaign.min_age} ans pour voter.",
                    field="age_declared",
                )
            if action == "confirmer":
                receipt = services.ballot_cast(
                    user=request.user,
                    envelope_id=envelope.pk,
                    choices=form.choices(),
                    age_declared=True,
                )
                request.session["budget_receipt"] = {
                    "envelope": envelope.pk,
                    "code": receipt.code,
                    "changed": receipt.changed,
                }
                return redirect("budget:vote_receipt", slug=slug, envelope_id=envelope.pk)
        except TurbineError as error:
            form_error(form, error)
        else:
            template = "budget/vote_confirm.html"
            context = _ballot_context(campaign, envelope, proposals, form)
            by_id = {p.pk: p for p in proposals}
            if campaign.ballot_type == BallotType.CUMULATIVE:
                context["confirmed"] = [(by_id[pid], pts) for pid, pts in normalised]
            else:
                context["confirmed"] = [(by_id[pid], None) for pid in normalised]
            context["existing"] = existing is not None
            return render(request, template, context)
    context = _ballot_context(campaign, envelope, proposals, form)
    context["existing"] = existing is not None
    return render(request, template, context)


@login_required
def vote_receipt(request: HttpRequest, slug: str, envelope_id: int) -> HttpResponse:
    campaign = selectors.get_campaign(slug=slug)
    receipt = request.session.get("budget_receipt")
    if not receipt or receipt.get("envelope") != envelope_id:
        return redirect("budget:vote", slug=slug)
    envelope = next((e for e in campaign.envelopes.all() if e.pk == envelope_id), None)
    if envelope is None:
        raise Http404("Enveloppe introuvable")
    return render(
        request,
        "budget/vote_receipt.html",
        {"campaign": campaign, "envelope": envelope, "receipt": receipt},
    )


# --------------------------------------------------------------------------------------------
# Results


@login_required
@require_http_methods(["POST"])
def results_publish(request: HttpRequest, slug: str) -> HttpResponse:
    """Staff button: publish the results now (the scheduled task does it on the results date)."""
    if not request.user.has_perm("budget.manage_campaign"):
        raise PermissionDenied(
            "La publication des résultats est réservée à l'équipe de la Turbine."
        )
    campaign = selectors.get_campaign(slug=slug)
    try:
        services.campaign_results_publish(campaign_id=campaign.pk, actor=request.user)
    except TurbineError as error:
        messages.error(request, error.message)
        return redirect("budget:review_queue", slug=campaign.slug)
    messages.success(request, "Les résultats sont publiés.")
    return redirect("budget:results", slug=campaign.slug)


def results(request: HttpRequest, slug: str) -> HttpResponse:
    """Reads the results stored by ``campaign_results_publish``; writes nothing. Before the
    publication, says when it will happen."""
    campaign = selectors.get_campaign(slug=slug)
    if not campaign.results_published:
        return render(
            request,
            "budget/results_pending.html",
            {
                "campaign": campaign,
                "announcement": selectors.results_announcement(
                    campaign=campaign, today=timezone.localdate()
                ),
            },
        )
    envelopes = selectors.campaign_results(campaign=campaign, rule=campaign.rule)
    fairness = selectors.campaign_fairness(campaign=campaign)
    blocks = []
    for item in envelopes:
        envelope = item["envelope"]
        data = item["data"]
        if data is None:  # an envelope without a tally cannot exist once published
            continue
        other = fairness.get(envelope.pk, {}).get(campaign.other_rule)
        chart = {
            "labels": [p["title"] for p in data["projects"]],
            "votes": [p["votes"] for p in data["projects"]],
            "funded": [p["selected"] for p in data["projects"]],
            "unit": "points" if campaign.ballot_type == BallotType.CUMULATIVE else "soutiens",
        }
        agglos = {r["name"]: {"name": r["name"], "chosen": r} for r in data["per_agglomeration"]}
        for r in (other or {}).get("per_agglomeration", []):
            agglos.setdefault(r["name"], {"name": r["name"]})["other"] = r
        blocks.append(
            {
                "envelope": envelope,
                "data": data,
                "other": other,
                "chart": chart,
                "chart_id": f"graphique-votes-{envelope.pk}",
                "chart_data_id": f"donnees-graphique-{envelope.pk}",
                "agglomerations": sorted(agglos.values(), key=lambda r: r["name"]),
                "funded": [p for p in data["projects"] if p["selected"]],
                "not_funded": [p for p in data["projects"] if not p["selected"]],
            }
        )
    return render(
        request,
        "budget/results.html",
        {
            "campaign": campaign,
            "blocks": blocks,
            "rule_label": RULE_LABELS[campaign.rule],
            "other_rule_label": RULE_LABELS[campaign.other_rule],
            "method_sentence": method_sentence(campaign.rule),
            "equal_shares_url": EQUAL_SHARES_URL if campaign.rule != "greedy" else "",
            "votes_unit": "points" if campaign.ballot_type == BallotType.CUMULATIVE else "soutiens",
        },
    )


def results_export(request: HttpRequest, slug: str, envelope_id: int) -> HttpResponse:
    """Anonymised Pabulib export of an envelope's ballots, once the results are public."""
    campaign = selectors.get_campaign(slug=slug)
    if not campaign.results_published:
        raise Http404("Les résultats ne sont pas encore publiés")
    envelope = next((e for e in campaign.envelopes.all() if e.pk == envelope_id), None)
    if envelope is None:
        raise Http404("Enveloppe introuvable")
    envelope.campaign = campaign
    response = HttpResponse(
        envelope_export(envelope=envelope), content_type="text/plain; charset=utf-8"
    )
    response["Content-Disposition"] = (
        f'attachment; filename="{campaign.slug}-enveloppe-{envelope.pk}.pb"'
    )
    return response
