"""Pages of projects."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from turbine.core import badges, form_extensions
from turbine.core.exceptions import TurbineError
from turbine.core.web import form_error, paginate
from turbine.directory import exports, introductions, matching
from turbine.projects import selectors, services
from turbine.projects.forms import (
    ImageForm,
    ImpactFormSet,
    LinkForm,
    ProjectFilterForm,
    ProjectForm,
    UpdateForm,
)
from turbine.projects.models import Project


def project_list(request: HttpRequest) -> HttpResponse:
    form = ProjectFilterForm(request.GET or None)
    shown = paginate(selectors.project_list(filters=form.filters()), form.page_number())
    return render(
        request,
        "projects/project_list.html",
        {
            "form": form,
            **shown.context("projects"),
            "badges": badges.collect("project", [p.pk for p in shown.items]),
            "can_create": request.user.has_perm("projects.add_project"),
        },
    )


PROJECT_HEADER = [
    "id",
    "titre",
    "resume",
    "echelle",
    "etape",
    "organisation_porteuse",
    "communes",
    "tout_le_territoire",
    "themes",
    "budget_total",
    "financements_obtenus",
    "latitude",
    "longitude",
    "url",
    "demo",
]


def _project_row(p: Project, base: str) -> list[Any]:
    return [
        p.pk,
        p.title,
        p.summary,
        p.scale,
        p.stage,
        p.holder_organisation.name if p.holder_organisation else "",
        "|".join(c.code for c in p.communes.all()),
        "oui" if p.whole_territory else "non",
        "|".join(t.slug for t in p.themes.all()),
        p.budget_total,
        sum((f.amount for f in p.fundings.all()), start=0),
        p.latitude,
        p.longitude,
        base + p.get_absolute_url(),
        "oui" if p.is_demo else "non",
    ]


def _export_queryset(request: HttpRequest) -> Any:
    form = ProjectFilterForm(request.GET or None)
    return selectors.project_list(filters=form.filters()).prefetch_related("fundings")


def project_export_csv(request: HttpRequest) -> StreamingHttpResponse:
    base = request.build_absolute_uri("/")[:-1]
    return exports.csv_response(
        filename="turbine-projets",
        header=PROJECT_HEADER,
        rows=(
            _project_row(p, base)
            for p in _export_queryset(request).iterator(chunk_size=exports.CHUNK)
        ),
    )


def project_export_geojson(request: HttpRequest) -> StreamingHttpResponse:
    base = request.build_absolute_uri("/")[:-1]

    def feature(p: Project) -> dict[str, Any]:
        properties = dict(zip(PROJECT_HEADER, _project_row(p, base), strict=True))
        properties.pop("latitude")
        properties.pop("longitude")
        properties["budget_total"] = (
            str(properties["budget_total"]) if properties["budget_total"] is not None else None
        )
        properties["financements_obtenus"] = str(properties["financements_obtenus"])
        return {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [p.longitude, p.latitude]},
            "properties": properties,
        }

    qs = _export_queryset(request).filter(latitude__isnull=False, longitude__isnull=False)
    return exports.geojson_response(
        filename="turbine-projets", items=qs.iterator(chunk_size=exports.CHUNK), feature=feature
    )


def project_detail(request: HttpRequest, pk: int) -> HttpResponse:
    project = selectors.get_project(user=request.user, project_id=pk)
    links = selectors.project_links(project=project, user=request.user)
    can_edit = request.user.has_perm("projects.change_project", project)
    updates, update_count = selectors.latest_updates(project=project)
    exclude = [p.pk for p in project.partners.all()]
    if project.holder_organisation_id:
        exclude.append(project.holder_organisation_id)
    suggestions = matching.suggest_organisations(
        profile=matching.project_profile(project), exclude_ids=exclude
    )
    return render(
        request,
        "projects/project_detail.html",
        {
            "project": project,
            "badges": badges.collect("project", [project.pk]),
            "links": links,
            "graph": selectors.link_graph(links),
            "can_edit": can_edit,
            "link_form": LinkForm() if can_edit else None,
            "image_form": ImageForm() if can_edit else None,
            "suggestions": suggestions,
            "asked": introductions.asked_targets(
                user=request.user, kind="organisation", ids=[s.object_id for s in suggestions]
            ),
            "funded": sum((f.amount for f in project.fundings.all()), start=0),
            "updates": updates,
            "update_count": update_count,
            "update_form": UpdateForm() if can_edit else None,
        },
    )


def _initial_impacts(project: Project | None) -> list[dict[str, Any]]:
    if project is None:
        return []
    return [
        {"indicator": i.indicator, "value": i.value, "nature": i.nature, "source": i.source}
        for i in project.impacts.all()
    ]


def _edit(request: HttpRequest, project: Project | None) -> HttpResponse:
    data = request.POST if request.method == "POST" else None
    form = ProjectForm(
        data,
        user=request.user,
        project=project,
        initial=ProjectForm.initial_from(project)
        if project
        else {"scale": 1, "visibility": "draft"},
    )
    impacts = ImpactFormSet(data, prefix="impacts", initial=_initial_impacts(project))
    # What upper apps add to the form (the funding rows, owned by the funding app).
    extensions = form_extensions.extend(
        "project_edit", user=request.user, data=data, instance=project
    )
    if data is not None and all(
        [form.is_valid(), impacts.is_valid(), form_extensions.all_valid(extensions)]
    ):
        try:
            saved = services.project_save(
                user=request.user,
                project=project,
                fields=form.cleaned_data,
                impacts=[i for i in impacts.cleaned_data if i.get("indicator")],
                extensions=lambda saved: form_extensions.save(
                    extensions, user=request.user, obj=saved
                ),
            )
        except form_extensions.ExtensionRefused:
            pass  # the refusal is on the extension's own form
        except TurbineError as error:
            form_error(form, error)
        else:
            messages.success(request, "Le projet est enregistré.")
            return redirect(saved.get_absolute_url())
    return render(
        request,
        "projects/project_form.html",
        {"form": form, "impacts": impacts, "extensions": extensions, "project": project},
    )


@login_required
def project_create(request: HttpRequest) -> HttpResponse:
    return _edit(request, None)


@login_required
def project_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _edit(request, selectors.get_project_for_edit(user=request.user, project_id=pk))


@login_required
@require_POST
def project_link_add(request: HttpRequest, pk: int) -> HttpResponse:
    project = selectors.get_project_for_edit(user=request.user, project_id=pk)
    form = LinkForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Indiquez le numéro du projet lié et la nature du lien.")
        return redirect(project.get_absolute_url())
    target = Project.objects.filter(pk=form.cleaned_data["target"]).first()
    try:
        if target is None:
            raise TurbineError("Ce projet n'existe pas.")
        services.project_link_add(
            user=request.user,
            project=project,
            target=target,
            kind=form.cleaned_data["kind"],
            note=form.cleaned_data["note"],
        )
    except TurbineError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, "Le lien est ajouté.")
    return redirect(project.get_absolute_url())


@login_required
@require_POST
def project_link_remove(request: HttpRequest, pk: int, link_id: int) -> HttpResponse:
    project = selectors.get_project_for_edit(user=request.user, project_id=pk)
    try:
        services.project_link_remove(user=request.user, project=project, link_id=link_id)
    except TurbineError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, "Le lien est retiré.")
    return redirect(project.get_absolute_url())


@login_required
def my_projects(request: HttpRequest) -> HttpResponse:
    projects = list(
        selectors.with_list_relations(selectors.projects_of_user(user=request.user))[:200]
    )
    return render(
        request,
        "projects/my_projects.html",
        {"projects": projects, "badges": badges.collect("project", [p.pk for p in projects])},
    )


@login_required
@require_POST
def project_image_add(request: HttpRequest, pk: int) -> HttpResponse:
    project = selectors.get_project_for_edit(user=request.user, project_id=pk)
    form = ImageForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, "Choisissez une image et décrivez-la.")
        return redirect(project.get_absolute_url())
    try:
        services.project_add_image(
            user=request.user,
            project=project,
            upload=form.cleaned_data["image"],
            alt_text=form.cleaned_data["alt_text"],
        )
    except TurbineError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, "L'image est ajoutée.")
    return redirect(project.get_absolute_url())


@login_required
@require_POST
def project_image_remove(request: HttpRequest, pk: int, image_id: int) -> HttpResponse:
    project = selectors.get_project_for_edit(user=request.user, project_id=pk)
    try:
        services.project_remove_image(user=request.user, project=project, image_id=image_id)
    except TurbineError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, "L'image est retirée.")
    return redirect(project.get_absolute_url())


def project_updates(request: HttpRequest, pk: int) -> HttpResponse:
    """Every piece of news of the project, newest first; holders and staff post one here."""
    project = selectors.get_project(user=request.user, project_id=pk)
    can_edit = request.user.has_perm("projects.change_project", project)
    form = UpdateForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied("Seuls les porteurs du projet publient ses nouvelles.")
        if form.is_valid():
            try:
                services.project_post_update(
                    user=request.user,
                    project=project,
                    text=form.cleaned_data["text"],
                    date=form.cleaned_data["date"],
                )
            except TurbineError as error:
                form_error(form, error)
            else:
                messages.success(request, "La nouvelle est publiée.")
                return redirect(project.get_absolute_url() + "#nouvelles")
        status = 400
    try:
        page_number = max(1, int(request.GET.get("page", 1)))
    except ValueError:
        page_number = 1
    shown = paginate(selectors.project_updates(project=project), page_number)
    return render(
        request,
        "projects/project_updates.html",
        {
            "project": project,
            **shown.context("updates"),
            "can_edit": can_edit,
            "update_form": form if can_edit else None,
        },
        status=status,
    )


@login_required
@require_POST
def project_update_remove(request: HttpRequest, pk: int, update_id: int) -> HttpResponse:
    project = selectors.get_project_for_edit(user=request.user, project_id=pk)
    try:
        services.project_delete_update(user=request.user, project=project, update_id=update_id)
    except TurbineError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, "La nouvelle est retirée.")
    return redirect(project.get_absolute_url() + "#nouvelles")
