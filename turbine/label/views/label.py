"""Public pages of the label: presentation, referential (and staff's import, export and
levels), registry, a label's page and its embeddable SVG badge."""

from __future__ import annotations

import csv
from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from turbine.core.exceptions import TurbineError
from turbine.label.badge import badge_name, badge_svg
from turbine.label.forms import LevelsForm, ReferentialImportForm
from turbine.label.models import Category, Referential
from turbine.label.selectors import label as selectors
from turbine.label.services import referential as services
from turbine.label.views._common import form_error, int_or_none, require_perm


def home(request: HttpRequest) -> HttpResponse:
    referential = selectors.current_referential()
    registry = selectors.registry()
    return render(
        request,
        "label/home.html",
        {
            "referential": referential,
            "levels": selectors.referential_levels(referential) if referential else [],
            "labelled_count": len(registry),
            "latest": registry[:6],
        },
    )


def referential(request: HttpRequest) -> HttpResponse:
    chosen = int_or_none(request.GET.get("version"))
    current = (
        selectors.get_referential(referential_id=chosen)
        if chosen
        else selectors.current_referential()
    )
    nodes = selectors.referential_nodes(current) if current else []
    totals: dict[str, Decimal] = {}
    leaves = selectors.leaf_ids(nodes)
    for node in nodes:
        if node.pk in leaves:
            totals[node.category] = totals.get(node.category, Decimal(0)) + node.points
    return render(
        request,
        "label/referential.html",
        {
            "referential": current,
            "tree": selectors.referential_tree(nodes),
            "levels": selectors.referential_levels(current) if current else [],
            "total_points": sum((n.points for n in nodes if n.parent_id is None), Decimal(0)),
            "category_totals": [(label, totals.get(value, 0)) for value, label in Category.choices],
            "criteria_count": len(leaves),
            "can_manage": request.user.has_perm("label.manage_referential"),
            "others": list(
                Referential.objects.exclude(pk=getattr(current, "pk", None)).order_by(
                    "-created_at"
                )[:20]
            ),
        },
    )


def referential_export(request: HttpRequest) -> HttpResponse:
    chosen = int_or_none(request.GET.get("version"))
    current = (
        selectors.get_referential(referential_id=chosen)
        if chosen
        else selectors.current_referential()
    )
    if current is None:
        raise Http404(_("Le référentiel n'est pas encore publié."))
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="referentiel-label-{current.pk}.csv"'
    response.write("\ufeff")
    writer = csv.writer(response)
    writer.writerows(services.referential_export_rows(current))
    return response


@login_required
@require_http_methods(["GET", "POST"])
def referential_import(request: HttpRequest) -> HttpResponse:
    require_perm(request, "label.manage_referential")
    form = ReferentialImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            if upload.size > services.MAX_CSV_BYTES:
                raise TurbineError("Le fichier dépasse 1 Mo.", field="file")
            created = services.referential_import(
                actor=request.user,
                name=form.cleaned_data["name"],
                version=form.cleaned_data["version"],
                data=upload.read(),
                commitments=form.cleaned_data["commitments"],
                validity_years=form.cleaned_data["validity_years"],
                make_current=form.cleaned_data["make_current"],
            )
        except TurbineError as error:
            form_error(form, error)
        else:
            messages.success(
                request,
                _("Le référentiel est importé, avec les niveaux par défaut."),
            )
            return redirect(f"{reverse('label:referential')}?version={created.pk}")
    return render(request, "label/referential_import.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def levels_edit(request: HttpRequest, pk: int) -> HttpResponse:
    require_perm(request, "label.manage_referential")
    current = selectors.get_referential(referential_id=pk)
    levels = selectors.referential_levels(current)
    initial = {
        "requirements": "\n".join(
            f"{lv.stars} ; {r.node.identifier} ; {r.min_fait_share * 100:g}"
            for lv in levels
            for r in lv.requirements.all()
        )
    }
    form = LevelsForm(request.POST or None, levels=levels, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            requirements = _parse_requirements(form.cleaned_data["requirements"])
            services.levels_set(
                actor=request.user,
                referential_id=current.pk,
                thresholds={
                    lv.stars: form.cleaned_data[f"level_{lv.stars}"] / 100 for lv in levels
                },
                requirements=requirements,
            )
        except TurbineError as error:
            form_error(form, error)
        else:
            messages.success(request, _("Les niveaux sont enregistrés."))
            return redirect(f"{reverse('label:referential')}?version={current.pk}")
    return render(request, "label/levels_form.html", {"form": form, "referential": current})


def _parse_requirements(text: str) -> dict[int, list[tuple[str, Decimal]]]:
    out: dict[int, list[tuple[str, Decimal]]] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        parts = [p.strip() for p in line.split(";")]
        try:
            stars, identifier, share = int(parts[0]), parts[1], Decimal(parts[2].replace(",", "."))
        except (IndexError, ValueError, ArithmeticError):
            raise TurbineError(
                f"Ligne {number} des exigences : écrivez « étoiles ; numéro ; part en % ».",
                field="requirements",
            ) from None
        if len(parts) != 3 or not share.is_finite():
            raise TurbineError(
                f"Ligne {number} des exigences : écrivez « étoiles ; numéro ; part en % ».",
                field="requirements",
            )
        out.setdefault(stars, []).append((identifier, share / 100))
    return out


def registry(request: HttpRequest) -> HttpResponse:
    stars = int_or_none(request.GET.get("etoiles"))
    year = int_or_none(request.GET.get("annee"))
    kind = request.GET.get("type", "")
    entries = selectors.registry(
        stars=stars if stars and stars <= 5 else None,
        year=year if year and 2000 <= year <= 2100 else None,
        kind=kind if kind in ("projet", "organisation") else "",
    )
    return render(
        request,
        "label/registry.html",
        {
            "entries": entries,
            "stars": stars,
            "year": year,
            "kind": kind,
            "star_choices": range(1, 6),
            "years": range(timezone.localdate().year, 2019, -1),
        },
    )


def registry_detail(request: HttpRequest, pk: int) -> HttpResponse:
    entry = selectors.current_label(application_id=pk)
    if entry is None:
        raise Http404(_("Ce label n'existe pas ou n'est plus valable."))
    registry_url = request.build_absolute_uri(reverse("label:registry_detail", args=[pk]))
    badge_url = request.build_absolute_uri(reverse("label:badge", args=[pk]))
    name = badge_name(entry)
    embed = (
        f'<a href="{registry_url}"><img src="{badge_url}" width="240" height="96" alt="{name}"></a>'
    )
    return render(
        request,
        "label/registry_detail.html",
        {
            "entry": entry,
            "badge_name": name,
            "embed": embed,
            "public_peer_requests": selectors.public_peer_requests(application_id=pk),
        },
    )


def badge(request: HttpRequest, pk: int) -> HttpResponse:
    entry = selectors.current_label(application_id=pk)
    if entry is None:
        raise Http404(_("Ce label n'existe pas ou n'est plus valable."))
    registry_url = request.build_absolute_uri(reverse("label:registry_detail", args=[pk]))
    response = HttpResponse(
        badge_svg(entry, registry_url=registry_url), content_type="image/svg+xml; charset=utf-8"
    )
    response["Cache-Control"] = "public, max-age=3600"
    # Embedded on the holders' own sites.
    response["Cross-Origin-Resource-Policy"] = "cross-origin"
    response["X-Content-Type-Options"] = "nosniff"
    return response
