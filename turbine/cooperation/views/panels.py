"""Pages of citizen panels: thin views over the panels selectors and services."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from turbine.cooperation.forms.panels import (
    AnswerForm,
    ContributionForm,
    CsvForm,
    DrawStartForm,
    HolderAnswerForm,
    PanelForm,
    QuotaBoundsForm,
    ReviewOpenForm,
    ReviewWriteForm,
    SeedForm,
    volunteer_form,
)
from turbine.cooperation.models import DrawStatus, PanelMember, PanelStatus, ReviewStatus
from turbine.cooperation.selectors import panels as selectors
from turbine.cooperation.services import panel_reviews as review_services
from turbine.cooperation.services import panels as services
from turbine.core.exceptions import TurbineError


def _form_error(form, error: TurbineError) -> None:  # noqa: ANN001
    form.add_error(error.field if error.field in form.fields else None, error.message)


def panel_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "cooperation/panels/panel_list.html",
        {
            "panels": list(selectors.panel_list(user=request.user)[:200]),
            "can_manage": selectors.can_manage(request.user),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def panel_create(request: HttpRequest) -> HttpResponse:
    if not selectors.can_manage(request.user):
        raise PermissionDenied(_("Seule l'équipe de la Turbine gère les panels citoyens."))
    form = PanelForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            panel = services.panel_create(
                actor=request.user,
                title=data["title"],
                purpose=data["purpose"],
                size=data["size"],
                duration=data["duration"],
                questions=data["questions"],
                projects=tuple(data["projects"]),
            )
        except TurbineError as error:
            _form_error(form, error)
        else:
            messages.success(request, _("Le panel est créé. Réglez maintenant ses quotas."))
            return redirect("cooperation:panel_quotas", panel.pk)
    return render(request, "cooperation/panels/panel_form.html", {"form": form, "panel": None})


@login_required
@require_http_methods(["GET", "POST"])
def panel_edit(request: HttpRequest, pk: int) -> HttpResponse:
    panel = selectors.get_panel_for_manage(user=request.user, panel_id=pk)
    initial = {
        "title": panel.title,
        "purpose": panel.purpose,
        "size": panel.size,
        "duration": panel.duration,
        "questions": panel.questions,
        "projects": list(panel.projects.all()),
    }
    form = PanelForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.panel_update(
                actor=request.user,
                panel_id=panel.pk,
                title=data["title"],
                purpose=data["purpose"],
                size=data["size"],
                duration=data["duration"],
                questions=data["questions"],
                projects=tuple(data["projects"]),
            )
        except TurbineError as error:
            _form_error(form, error)
        else:
            messages.success(request, _("Le panel est enregistré."))
            return redirect(panel.get_absolute_url())
    return render(request, "cooperation/panels/panel_form.html", {"form": form, "panel": panel})


def panel_detail(request: HttpRequest, pk: int) -> HttpResponse:
    panel = selectors.get_panel(user=request.user, panel_id=pk)
    draw = selectors.published_draw(panel)
    place = selectors.my_place(user=request.user, panel=panel, draw=draw)
    results = selectors.draw_results(draw) if draw and draw.status == DrawStatus.DRAWN else None
    can_manage = selectors.can_manage(request.user)
    return render(
        request,
        "cooperation/panels/panel_detail.html",
        {
            "panel": panel,
            "projects": list(panel.projects.all()),
            "composition": selectors.pool_composition(panel) if can_manage else None,
            "pool_size": panel.pool_size,
            "draw": draw,
            "results": results,
            "place": place,
            "reviews": selectors.panel_reviews(panel=panel, user=request.user),
            "can_manage": can_manage,
            "review_form": ReviewOpenForm(projects=list(panel.projects.all()))
            if can_manage and panel.status in (PanelStatus.DRAWN, PanelStatus.CLOSED)
            else None,
            "statuses": PanelStatus.choices,
        },
    )


@require_http_methods(["GET", "POST"])
def panel_register(request: HttpRequest, pk: int) -> HttpResponse:
    panel = selectors.get_panel(user=request.user, panel_id=pk)
    if not request.user.is_authenticated:
        return render(request, "cooperation/panels/register.html", {"panel": panel, "form": None})
    categories = selectors.categories(panel)
    form_class = volunteer_form(categories)
    form = form_class(request.POST or None)
    place = selectors.my_place(user=request.user, panel=panel, draw=None)
    if request.method == "POST" and form.is_valid():
        features = {
            category: form.cleaned_data[f"feature_{index}"]
            for index, category in enumerate(categories)
        }
        try:
            services.volunteer_register(
                user=request.user,
                panel_id=panel.pk,
                features=features,
                consent_draw=form.cleaned_data["consent_draw"],
                consent_contact=form.cleaned_data["consent_contact"],
                consent_name=form.cleaned_data["consent_name"],
            )
        except TurbineError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Vous êtes dans le vivier du panel. Merci !"))
            return redirect(panel.get_absolute_url())
    return render(
        request,
        "cooperation/panels/register.html",
        {"panel": panel, "form": form, "already": place.volunteer is not None},
    )


@login_required
@require_POST
def panel_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    panel = selectors.get_panel(user=request.user, panel_id=pk)
    try:
        services.volunteer_withdraw(user=request.user, panel_id=panel.pk)
    except TurbineError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Vous avez quitté le vivier ; vos réponses sont effacées."))
    return redirect(panel.get_absolute_url())


@login_required
@require_http_methods(["GET", "POST"])
def panel_quotas(request: HttpRequest, pk: int) -> HttpResponse:
    panel = selectors.get_panel_for_manage(user=request.user, panel_id=pk)
    quotas = selectors.quota_rows(panel)
    action = request.POST.get("action", "") if request.method == "POST" else ""
    bounds = QuotaBoundsForm(request.POST if action == "bounds" else None, quotas=quotas)
    quota_csv = CsvForm(
        request.POST if action == "quotas_csv" else None, request.FILES or None, prefix="quotas"
    )
    pool_csv = CsvForm(
        request.POST if action == "pool_csv" else None, request.FILES or None, prefix="pool"
    )
    if action:
        try:
            if action == "bounds" and bounds.is_valid():
                services.quotas_set(actor=request.user, panel_id=panel.pk, rows=bounds.rows())
                messages.success(request, _("Les quotas sont enregistrés."))
                return redirect("cooperation:panel_quotas", panel.pk)
            if action == "quotas_csv" and quota_csv.is_valid():
                services.quotas_import(
                    actor=request.user, panel_id=panel.pk, text=quota_csv.cleaned_data["file"]
                )
                messages.success(request, _("Les quotas du fichier sont enregistrés."))
                return redirect("cooperation:panel_quotas", panel.pk)
            if action == "pool_csv" and pool_csv.is_valid():
                count = services.pool_import(
                    actor=request.user, panel_id=panel.pk, text=pool_csv.cleaned_data["file"]
                )
                messages.success(request, _("%(n)s personnes ajoutées au vivier.") % {"n": count})
                return redirect("cooperation:panel_quotas", panel.pk)
            if action == "status" and request.POST.get("status") in PanelStatus.values:
                services.panel_set_status(
                    actor=request.user, panel_id=panel.pk, status=request.POST["status"]
                )
                messages.success(request, _("L'état du panel est changé."))
                return redirect("cooperation:panel_quotas", panel.pk)
        except TurbineError as error:
            target = {"bounds": bounds, "quotas_csv": quota_csv, "pool_csv": pool_csv}.get(action)
            if target is not None:
                target.add_error(None, error.message)
            else:
                messages.error(request, error.message)
    composition = selectors.pool_composition(panel)
    rows = {(q.category, q.feature): q for q in quotas}
    tables = [
        (
            table.category,
            [
                (
                    row,
                    bounds[f"min_{rows[table.category, row.feature].pk}"],
                    bounds[f"max_{rows[table.category, row.feature].pk}"],
                )
                for row in table.rows
            ],
        )
        for table in composition
    ]
    return render(
        request,
        "cooperation/panels/quotas.html",
        {
            "panel": panel,
            "tables": tables,
            "bounds": bounds,
            "quota_csv": quota_csv,
            "pool_csv": pool_csv,
            "statuses": PanelStatus.choices,
        },
    )


def panel_draw(request: HttpRequest, pk: int) -> HttpResponse:
    """The draw page: public results; for staff, feasibility, the computation and the seed."""
    panel = selectors.get_panel(user=request.user, panel_id=pk)
    can_manage = selectors.can_manage(request.user)
    latest = selectors.latest_draw(panel)
    draw = selectors.published_draw(panel)
    results = selectors.draw_results(draw) if draw else None
    problem = None
    snapshot_size = None
    estimate = None
    if can_manage and (draw is None or draw.status != DrawStatus.DRAWN):
        snapshot = services.pool_snapshot(panel)
        snapshot_size = len(snapshot.people)
        problem = services.feasibility(snapshot, panel.size)
        estimate = services.expected_seconds(
            people=snapshot_size,
            profiles=len({tuple(p) for p in snapshot.people}),
            categories=len(snapshot.categories),
            algorithm="leximin",
        )
    return render(
        request,
        "cooperation/panels/draw.html",
        {
            "panel": panel,
            "latest": latest,
            "draw": draw,
            "results": results,
            "can_manage": can_manage,
            "problem": problem,
            "snapshot_size": snapshot_size,
            "estimate": estimate,
            "start_form": DrawStartForm() if can_manage else None,
            "seed_form": SeedForm()
            if can_manage and draw and draw.status == DrawStatus.COMPUTED
            else None,
            "place": selectors.my_place(user=request.user, panel=panel, draw=draw),
            "min_type": selectors.MIN_PUBLISHED_TYPE,
        },
    )


@login_required
@require_POST
def panel_draw_start(request: HttpRequest, pk: int) -> HttpResponse:
    panel = selectors.get_panel_for_manage(user=request.user, panel_id=pk)
    form = DrawStartForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choisissez une méthode de tirage."))
        return redirect("cooperation:panel_draw", panel.pk)
    try:
        services.draw_start(
            actor=request.user, panel_id=panel.pk, algorithm=form.cleaned_data["algorithm"]
        )
    except TurbineError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Le calcul de la loterie est lancé."))
    return redirect("cooperation:panel_draw", panel.pk)


@login_required
@require_POST
def panel_draw_pick(request: HttpRequest, pk: int) -> HttpResponse:
    panel = selectors.get_panel_for_manage(user=request.user, panel_id=pk)
    draw = selectors.published_draw(panel)
    form = SeedForm(request.POST)
    if draw is None:
        messages.error(request, _("La loterie n'est pas encore calculée."))
    elif not form.is_valid():
        messages.error(request, _("Saisissez la graine tirée en public (200 caractères au plus)."))
    else:
        try:
            services.draw_pick(actor=request.user, draw_id=draw.pk, seed=form.cleaned_data["seed"])
        except TurbineError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Le panel est tiré au sort."))
    return redirect("cooperation:panel_draw", panel.pk)


def panel_draw_record(request: HttpRequest, pk: int) -> HttpResponse:
    """The published record of the draw, enough to recompute it (rows are anonymous)."""
    panel = selectors.get_panel(user=request.user, panel_id=pk)
    draw = selectors.published_draw(panel)
    if draw is None:
        raise Http404("Pas encore de tirage publié.")
    members = selectors.draw_members(draw)
    record = {"panel": panel.title, **selectors.public_record(draw, members)}
    response = JsonResponse(record, json_dumps_params={"ensure_ascii": False})
    response["Content-Disposition"] = f'inline; filename="tirage-panel-{panel.pk}.json"'
    return response


@login_required
@require_POST
def member_answer(request: HttpRequest, member_id: int) -> HttpResponse:
    member = PanelMember.objects.select_related("draw").filter(pk=member_id).first()
    if member is None:
        raise Http404("Cette sélection n'existe pas.")
    panel = selectors.get_panel(user=request.user, panel_id=member.draw.panel_id)
    form = AnswerForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Répondez par oui ou par non."))
    else:
        try:
            services.member_answer(
                actor=request.user, member_id=member.pk, accept=form.cleaned_data["accept"]
            )
        except TurbineError as error:
            messages.error(request, error.message)
        else:
            messages.success(
                request,
                _("Votre réponse est enregistrée.")
                if form.cleaned_data["accept"]
                else _("Le refus est enregistré ; une autre personne est tirée au sort."),
            )
    if request.POST.get("next") == "tirage":
        return redirect("cooperation:panel_draw", panel.pk)
    return redirect(panel.get_absolute_url())


# --- Reviews ----------------------------------------------------------------------------


@login_required
@require_POST
def review_open(request: HttpRequest, pk: int) -> HttpResponse:
    panel = selectors.get_panel_for_manage(user=request.user, panel_id=pk)
    form = ReviewOpenForm(request.POST, projects=list(panel.projects.all()))
    if not form.is_valid():
        messages.error(
            request,
            _("Choisissez un projet du panel ou écrivez une question (300 caractères au plus)."),
        )
        return redirect(panel.get_absolute_url())
    project = form.cleaned_data["project"]
    try:
        review = review_services.review_open(
            actor=request.user,
            panel_id=panel.pk,
            project_id=project.pk if project else None,
            question=form.cleaned_data["question"],
        )
    except TurbineError as error:
        messages.error(request, error.message)
        return redirect(panel.get_absolute_url())
    return redirect("cooperation:review_detail", review.pk)


def review_detail(request: HttpRequest, review_id: int) -> HttpResponse:
    review = selectors.get_review(user=request.user, review_id=review_id)
    can_manage = selectors.can_manage(request.user)
    member = selectors.member_of(user=request.user, panel=review.panel)
    contributed = member is not None and review.contributions.filter(member=member).exists()
    return render(
        request,
        "cooperation/panels/review_detail.html",
        {
            "review": review,
            "panel": review.panel,
            "ratings": selectors.review_ratings(review),
            "median": selectors.review_median(review),
            "contributions": selectors.review_contributions(review)
            if (can_manage or member)
            else None,
            "contribution_form": ContributionForm()
            if member and not contributed and review.status == ReviewStatus.OPEN
            else None,
            "contributed": contributed,
            "write_form": ReviewWriteForm(
                initial={
                    "ambition": review.ambition,
                    "daily_life": review.daily_life,
                    "questions_to_holder": review.questions_to_holder,
                    "recommendations": review.recommendations,
                }
            )
            if can_manage
            else None,
            "answer_form": HolderAnswerForm(initial={"answer": review.answer})
            if review.status == ReviewStatus.PUBLISHED
            and selectors.can_answer(user=request.user, review=review)
            else None,
        },
    )


@login_required
@require_POST
def review_contribute(request: HttpRequest, review_id: int) -> HttpResponse:
    review = selectors.get_review(user=request.user, review_id=review_id)
    form = ContributionForm(request.POST)
    if not form.is_valid():
        messages.error(
            request,
            _(
                "Donnez une appréciation à chaque question et écrivez votre avis "
                "(4 000 caractères au plus)."
            ),
        )
    else:
        try:
            review_services.contribution_add(
                user=request.user, review_id=review.pk, **form.cleaned_data
            )
        except TurbineError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Votre contribution est enregistrée."))
    return redirect("cooperation:review_detail", review.pk)


@login_required
@require_POST
def review_write(request: HttpRequest, review_id: int) -> HttpResponse:
    review = selectors.get_review(user=request.user, review_id=review_id)
    form = ReviewWriteForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Chaque partie de l'avis tient en 10 000 caractères au plus."))
    else:
        try:
            review_services.review_write(
                actor=request.user, review_id=review.pk, **form.cleaned_data
            )
        except TurbineError as error:
            messages.error(request, error.message)
        else:
            messages.success(
                request,
                _("L'avis est publié.")
                if form.cleaned_data["publish"]
                else _("L'avis est enregistré."),
            )
    return redirect("cooperation:review_detail", review.pk)


@login_required
@require_POST
def review_answer(request: HttpRequest, review_id: int) -> HttpResponse:
    review = selectors.get_review(user=request.user, review_id=review_id)
    form = HolderAnswerForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Écrivez votre réponse (10 000 caractères au plus)."))
    else:
        try:
            review_services.review_answer(
                user=request.user, review_id=review.pk, answer=form.cleaned_data["answer"]
            )
        except TurbineError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Votre réponse est publiée."))
    return redirect("cooperation:review_detail", review.pk)
