"""Pages of steering: thin views over selectors and services."""

from __future__ import annotations

import csv
import secrets
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from turbine.core.csvcells import csv_row
from turbine.core.exceptions import TurbineError
from turbine.funding.selectors import partner_searches_for
from turbine.projects.selectors import public_projects
from turbine.steering import imports, report, selectors, services
from turbine.steering.forms import (
    BallotForm,
    JointMemberForm,
    JointProjectForm,
    JointRemoveForm,
    JointResponseForm,
    JointStepForm,
    PairwiseForm,
    ProjectLinkForm,
    ProjectUnlinkForm,
    ScoreForm,
    ValuesImportForm,
    WeightsForm,
)
from turbine.steering.models import (
    CRITERIA,
    FIRST_YEAR,
    HORIZON,
    JOINT_RESPONSE_STEPS,
    Criterion,
    JointResponseStatus,
    MandateVoter,
)

IMPORT_SESSION_KEY = "steering_values_import"


def _staff(request: HttpRequest, perm: str) -> None:
    if not request.user.has_perm(perm):
        raise PermissionDenied


def objective_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "steering/objective_list.html",
        {
            "axes": selectors.objective_list(),
            "can_import": request.user.has_perm("steering.import_values"),
        },
    )


def objective_detail(request: HttpRequest, objective_id: int) -> HttpResponse:
    objective = selectors.get_objective(objective_id)
    return render(
        request,
        "steering/objective_detail.html",
        {
            "objective": objective,
            "links": list(selectors.objective_projects(objective)),
            "can_link": request.user.has_perm("steering.configure"),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def objective_projects(request: HttpRequest, objective_id: int) -> HttpResponse:
    """Staff link projects to the objective and its indicators, change or remove the links."""
    _staff(request, "steering.configure")
    objective = selectors.get_objective_for_links(objective_id)
    indicators = list(objective.indicators.all())
    action = request.POST.get("action", "") if request.method == "POST" else ""
    form = ProjectLinkForm(
        request.POST if action == "relier" else None,
        indicators=indicators,
        initial={"from_year": timezone.localdate().year},
    )
    error = ""
    if action == "relier" and form.is_valid():
        d = form.cleaned_data
        try:
            link = services.project_objective_save(
                user=request.user,
                objective_id=objective.pk,
                project_id=d["project"],
                indicator_id=d["indicator"],
                from_year=d["from_year"],
                note=d["note"],
            )
        except TurbineError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(request, f"« {link.project.title} » est relié à cet objectif.")
            return redirect("steering:objective_projects", objective_id=objective.pk)
    elif action == "retirer":
        unlink = ProjectUnlinkForm(request.POST)
        try:
            if not unlink.is_valid():
                raise services.SteeringError("Lien invalide.")
            services.project_objective_unlink(
                user=request.user, objective_id=objective.pk, link_id=unlink.cleaned_data["link"]
            )
        except TurbineError as exc:
            error = exc.message
        else:
            messages.success(request, "Lien retiré.")
            return redirect("steering:objective_projects", objective_id=objective.pk)
    elif action and action != "relier":
        error = "Action inconnue."
    return render(
        request,
        "steering/objective_projects.html",
        {
            "objective": objective,
            "form": form,
            "links": selectors.objective_links_for_staff(objective),
            "error": error,
        },
        status=400 if error else 200,
    )


def indicator_detail(request: HttpRequest, indicator_id: int) -> HttpResponse:
    return render(
        request, "steering/indicator_detail.html", {"v": selectors.indicator_view(indicator_id)}
    )


def indicator_csv(request: HttpRequest, indicator_id: int) -> HttpResponse:
    indicator = selectors.get_indicator(indicator_id)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="indicateur-{indicator.pk}.csv"'
    writer = csv.writer(response, delimiter=";")
    writer.writerow(imports.COLUMNS)
    for value in selectors.indicator_values(indicator):
        writer.writerow(
            csv_row(
                [indicator.pk, value.year, value.value, value.nature, value.source, value.area_code]
            )
        )
    return response


@login_required
@require_http_methods(["GET", "POST"])
def values_import(request: HttpRequest) -> HttpResponse:
    """Step 1: upload, checked line by line, previewed; step 2 (``confirmer``): saved."""
    _staff(request, "steering.import_values")
    parsed = None
    form = ValuesImportForm()
    if request.method == "POST" and "confirmer" in request.POST:
        pending = request.session.get(IMPORT_SESSION_KEY)
        if not pending or pending.get("token") != request.POST.get("token"):
            messages.error(request, "Cet aperçu a expiré : déposez le fichier à nouveau.")
            return redirect("steering:values_import")
        try:
            count = services.indicator_values_import(user=request.user, rows=pending["rows"])
        except TurbineError as exc:
            messages.error(request, exc.message)
            return redirect("steering:values_import")
        del request.session[IMPORT_SESSION_KEY]
        messages.success(
            request, "1 valeur enregistrée." if count == 1 else f"{count} valeurs enregistrées."
        )
        return redirect("steering:objectives")
    if request.method == "POST":
        form = ValuesImportForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            if upload.size > imports.MAX_BYTES:
                form.add_error("file", "Le fichier dépasse 2 Mo : découpez-le.")
            else:
                parsed = imports.parse_values(upload.read())
                if parsed.ok:
                    token = secrets.token_urlsafe(16)
                    request.session[IMPORT_SESSION_KEY] = {"token": token, "rows": parsed.rows}
                    return render(
                        request,
                        "steering/values_import.html",
                        {
                            "form": form,
                            "parsed": parsed,
                            "token": token,
                            "preview": parsed.rows[:50],
                        },
                    )
    return render(request, "steering/values_import.html", {"form": form, "parsed": parsed})


def portfolio(request: HttpRequest) -> HttpResponse:
    kind = request.GET.get("lien", "")
    graph = selectors.project_graph(kind=kind if kind in dict(selectors.LinkKind.choices) else None)
    return render(
        request,
        "steering/portfolio.html",
        {
            "p": selectors.portfolio(),
            "criteria": Criterion.choices,
            "graph": graph,
            "kind": kind,
            "harmful": selectors.harmful_projects(),
            "can_score": request.user.has_perm("steering.score"),
            "can_configure": request.user.has_perm("steering.configure"),
        },
    )


def portfolio_csv(request: HttpRequest) -> HttpResponse:
    data = selectors.portfolio(limit=None)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="portefeuille.csv"'
    writer = csv.writer(response, delimiter=";")
    writer.writerow(["rang", "projet", "titre", "score", *CRITERIA, f"probabilite_top_{data.k}"])
    for row in data.rows:
        writer.writerow(
            csv_row(
                [row["rank"], row["project"].pk, row["project"].title, round(row["total"], 4)]
                + row["scores"]
                + [row["probability"]]
            )
        )
    return response


@login_required
@require_http_methods(["GET", "POST"])
def project_scores(request: HttpRequest, project_id: int) -> HttpResponse:
    _staff(request, "steering.score")
    project = get_object_or_404(public_projects(), pk=project_id)
    current = {s.criterion: s for s in project.steering_scores.all()}
    form = ScoreForm(request.POST or None, initial_scores=current)
    if request.method == "POST" and form.is_valid():
        try:
            services.project_scores_set(user=request.user, project=project, scores=form.scores())
        except TurbineError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, f"Notes de « {project.title} » enregistrées.")
            return redirect("steering:portfolio")
    return render(request, "steering/score_form.html", {"form": form, "project": project})


@login_required
def scoring_list(request: HttpRequest) -> HttpResponse:
    _staff(request, "steering.score")
    projects = list(selectors.scoring_projects()[:200])
    return render(
        request, "steering/scoring_list.html", {"projects": projects, "total": len(CRITERIA)}
    )


@login_required
@require_http_methods(["GET", "POST"])
def weights(request: HttpRequest) -> HttpResponse:
    _staff(request, "steering.configure")
    current, _ = selectors.current_weights()
    initial = dict(zip(CRITERIA, current.tolist(), strict=True))
    weights_form = WeightsForm(initial_weights=initial)
    pairwise_form = PairwiseForm()
    if request.method == "POST" and request.POST.get("methode") == "poids":
        weights_form = WeightsForm(request.POST, initial_weights=initial)
        if weights_form.is_valid():
            try:
                services.criterion_weights_set(
                    user=request.user, weights={c: weights_form.cleaned_data[c] for c in CRITERIA}
                )
            except TurbineError as exc:
                weights_form.add_error(None, exc.message)
            else:
                messages.success(request, "Poids enregistrés.")
                return redirect("steering:portfolio")
    elif request.method == "POST" and request.POST.get("methode") == "comparaisons":
        pairwise_form = PairwiseForm(request.POST)
        if pairwise_form.is_valid():
            try:
                result = services.criterion_weights_from_pairwise(
                    user=request.user, matrix=pairwise_form.matrix()
                )
            except TurbineError as exc:
                pairwise_form.add_error(None, exc.message)
            else:
                messages.success(
                    request,
                    "Poids calculés à partir des comparaisons (ratio de cohérence : "
                    f"{result.consistency_ratio:.1%}).".replace(".", ",", 1),
                )
                return redirect("steering:portfolio")
    return render(
        request,
        "steering/weights.html",
        {"weights_form": weights_form, "pairwise_form": pairwise_form},
    )


def mandate_detail(request: HttpRequest, mandate_id: int | None = None) -> HttpResponse:
    mandate = selectors.get_mandate(mandate_id) if mandate_id else selectors.current_mandate()
    if mandate is None:
        raise Http404("Aucune mandature")
    has_voted = (
        request.user.is_authenticated
        and MandateVoter.objects.filter(mandate=mandate, user=request.user).exists()
    )
    results = mandate.results if mandate.results_published_at else None
    return render(
        request,
        "steering/mandate.html",
        {
            "mandate": mandate,
            "mandates": list(selectors.mandate_list().only("id", "title", "start", "end")),
            "results": report.results_tables(results) if results else None,
            "can_vote": request.user.has_perm("steering.vote_mandate") and mandate.vote_open,
            "has_voted": has_voted,
            "can_manage": request.user.has_perm("steering.manage_mandate"),
            "ballot_count": mandate.ballots.count() if mandate.vote_open else None,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def mandate_vote(request: HttpRequest, mandate_id: int) -> HttpResponse:
    _staff(request, "steering.vote_mandate")
    mandate = selectors.get_mandate(mandate_id)
    candidates = list(mandate.candidates.all())
    form = BallotForm(request.POST or None, candidates=candidates)
    if request.method == "POST" and form.is_valid():
        try:
            services.mandate_ballot_cast(
                user=request.user, mandate_id=mandate.pk, ranking_ids=form.cleaned_data["ranking"]
            )
        except TurbineError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, "Votre classement est enregistré. Merci !")
            return redirect("steering:mandate_detail", mandate.pk)
    return render(request, "steering/mandate_vote.html", {"mandate": mandate, "form": form})


@login_required
@require_POST
def mandate_publish(request: HttpRequest, mandate_id: int) -> HttpResponse:
    _staff(request, "steering.manage_mandate")
    try:
        services.mandate_results_publish(user=request.user, mandate_id=mandate_id)
    except TurbineError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "Résultats publiés.")
    return redirect("steering:mandate_detail", mandate_id)


def _report_year(year: int) -> int:
    if not FIRST_YEAR <= year <= HORIZON:
        raise Http404("Pas de rapport pour cette année")
    return year


def report_page(request: HttpRequest, year: int) -> HttpResponse:
    data = report.yearly_report(_report_year(year))
    return render(
        request,
        "steering/report.html",
        {
            "r": data,
            "pdf": report.pdf_status(year),
            "can_build": request.user.has_perm("steering.configure"),
        },
    )


def report_pdf(request: HttpRequest, year: int) -> FileResponse:
    path = report.pdf_path(_report_year(year))
    if not default_storage.exists(path):
        raise Http404("Le PDF de ce rapport n'est pas encore produit")
    return FileResponse(
        default_storage.open(path, "rb"),
        content_type="application/pdf",
        filename=f"rapport-effets-{year}.pdf",
    )


@login_required
@require_POST
def report_pdf_build(request: HttpRequest, year: int) -> HttpResponse:
    _staff(request, "steering.configure")
    try:
        services.report_pdf_request(user=request.user, year=_report_year(year))
    except TurbineError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "La production du PDF est lancée.")
    return redirect("steering:report", year)


def report_csv(request: HttpRequest, year: int, figure: str) -> HttpResponse:
    if figure not in report.FIGURES:
        raise Http404("Figure inconnue")
    data = report.yearly_report(_report_year(year))
    table = report.figure_table(data, figure)
    if table is None:
        raise Http404("Figure inconnue")
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="rapport-{year}-{figure}.csv"'
    writer = csv.writer(response, delimiter=";")
    for row in table:
        writer.writerow(csv_row(row))
    return response


# --- Joint responses to cross-agglomeration calls ---------------------------------------------


def _call_label(call: Any) -> str:
    deadline = f" — dépôt avant le {call.deadline:%d/%m/%Y}" if call.deadline else ""
    funders = ", ".join(f.name for f in call.funders.all())
    return f"{call.title}{f' ({funders})' if funders else ''}{deadline}"


def _call_choices(extra: Any = None) -> list[tuple[int, str]]:
    calls = list(selectors.open_calls()[:500])
    if extra is not None and extra not in calls:
        calls.insert(0, extra)
    return [(c.pk, _call_label(c)) for c in calls]


@require_http_methods(["GET", "POST"])
def joint_response_list(request: HttpRequest) -> HttpResponse:
    can_manage = request.user.has_perm("steering.manage_calls")
    form = None
    if can_manage:
        form = JointResponseForm(request.POST or None, calls=_call_choices())
        if request.method == "POST" and form.is_valid():
            d = form.cleaned_data
            try:
                response = services.joint_response_save(
                    user=request.user,
                    call_id=d["call"],
                    title=d["title"],
                    summary=d["summary"],
                    amount_requested=d["amount"],
                )
            except TurbineError as exc:
                form.add_error(exc.field if exc.field in form.fields else None, exc.message)
            else:
                messages.success(request, "Réponse commune ouverte : composez le groupement.")
                return redirect("steering:joint_response_manage", response_id=response.pk)
    elif request.method == "POST":
        raise PermissionDenied
    status = request.GET.get("etat", "")
    if status not in JointResponseStatus.values:
        status = ""
    return render(
        request,
        "steering/joint_list.html",
        {
            "responses": selectors.joint_response_list(status=status),
            "statuses": JointResponseStatus.choices,
            "status": status,
            "form": form,
        },
    )


def joint_response_detail(request: HttpRequest, response_id: int) -> HttpResponse:
    response = selectors.get_joint_response(response_id)
    return render(
        request,
        "steering/joint_detail.html",
        {
            "r": response,
            "partner_searches": partner_searches_for(aid=response.call, user=request.user),
            "can_manage": request.user.has_perm("steering.manage_calls"),
        },
    )


JOINT_ACTIONS = (
    "modifier",
    "ajouter-membre",
    "retirer-membre",
    "ajouter-projet",
    "retirer-projet",
    "etat",
)


@login_required
@require_http_methods(["GET", "POST"])
def joint_response_manage(request: HttpRequest, response_id: int) -> HttpResponse:
    _staff(request, "steering.manage_calls")
    response = selectors.get_joint_response(response_id)
    action = request.POST.get("action", "") if request.method == "POST" else ""
    post = request.POST if request.method == "POST" else None
    edit = JointResponseForm(
        post if action == "modifier" else None,
        calls=_call_choices(extra=response.call),
        initial={
            "call": response.call_id,
            "title": response.title,
            "summary": response.summary,
            "amount": response.amount_requested,
        },
    )
    member = JointMemberForm(post if action == "ajouter-membre" else None)
    project = JointProjectForm(post if action == "ajouter-projet" else None)
    step = JointStepForm(post if action == "etat" else None)
    error = ""
    done = ""
    try:
        if action == "modifier" and edit.is_valid():
            d = edit.cleaned_data
            services.joint_response_save(
                user=request.user,
                call_id=d["call"],
                title=d["title"],
                summary=d["summary"],
                amount_requested=d["amount"],
                response_id=response.pk,
            )
            done = "Réponse modifiée."
        elif action == "ajouter-membre" and member.is_valid():
            d = member.cleaned_data
            services.joint_member_add(
                user=request.user,
                response_id=response.pk,
                organisation_id=d["organisation"],
                role=d["role"],
                contribution=d["contribution"],
            )
            done = "Structure ajoutée au groupement."
        elif action == "ajouter-projet" and project.is_valid():
            services.joint_project_add(
                user=request.user,
                response_id=response.pk,
                project_id=project.cleaned_data["project"],
            )
            done = "Projet ajouté à la réponse."
        elif action == "etat" and step.is_valid():
            services.joint_response_step(
                user=request.user, response_id=response.pk, status=step.cleaned_data["status"]
            )
            done = "État de la réponse mis à jour."
        elif action in ("retirer-membre", "retirer-projet"):
            remove = JointRemoveForm(request.POST)
            if not remove.is_valid():
                raise services.SteeringError("Élément invalide.")
            item = remove.cleaned_data["item"]
            if action == "retirer-membre":
                services.joint_member_remove(
                    user=request.user, response_id=response.pk, member_id=item
                )
                done = "Structure retirée du groupement."
            else:
                services.joint_project_remove(
                    user=request.user, response_id=response.pk, bundled_id=item
                )
                done = "Projet retiré de la réponse."
        elif action and action not in JOINT_ACTIONS:
            error = "Action inconnue."
    except TurbineError as exc:
        form = {
            "modifier": edit,
            "ajouter-membre": member,
            "ajouter-projet": project,
            "etat": step,
        }.get(action)
        if form is not None:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            error = exc.message
    if done:
        messages.success(request, done)
        return redirect("steering:joint_response_manage", response_id=response.pk)
    return render(
        request,
        "steering/joint_manage.html",
        {
            "r": response,
            "edit": edit,
            "member_form": member,
            "project_form": project,
            "step_form": step,
            "next_steps": [
                (code, JointResponseStatus(code).label)
                for code in JOINT_RESPONSE_STEPS[response.status]
            ],
            "error": error,
        },
        status=400 if error else 200,
    )
