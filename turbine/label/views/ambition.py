"""Pages of the ambition charters of local authorities."""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from turbine.core.exceptions import NotFoundError, PermissionDeniedError, TurbineError
from turbine.label.models import CommitmentStatus
from turbine.label.rules import epci_admin_sirens, town_hall_admin_communes
from turbine.label.selectors import ambition as selectors
from turbine.label.services import ambition as services
from turbine.label.views._common import int_or_none
from turbine.territory.models import Agglomeration, Commune
from turbine.territory.selectors import get_current_territory


def _refusal(request: HttpRequest, error: TurbineError) -> None:
    if isinstance(error, NotFoundError):
        raise Http404(error.message)
    if isinstance(error, PermissionDeniedError):
        raise PermissionDenied(error.message)
    messages.error(request, error.message)


def _date(raw: str | None) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat((raw or "")[:10])
    except ValueError:
        return None


def ambition_list(request: HttpRequest) -> HttpResponse:
    charters = list(selectors.ambition_charters()[:500])
    latest = selectors.latest_reviews([c.pk for c in charters])
    rows = [(c, latest.get(c.pk)) for c in charters]
    return render(
        request,
        "label/ambition_list.html",
        {
            "rows": [(c, r, selectors.review_counts(r) if r else []) for c, r in rows],
            "can_create": request.user.is_authenticated
            and (
                request.user.has_perm("label.manage_charter")
                or bool(town_hall_admin_communes(request.user))
                or bool(epci_admin_sirens(request.user))
            ),
        },
    )


def _authority_choices(request: HttpRequest) -> list[tuple[str, str]]:
    user = request.user
    territory = get_current_territory()
    staff = user.has_perm("label.manage_charter")
    communes = Commune.objects.filter(
        agglomeration__territory=territory, ambition_charter__isnull=True
    )
    agglos = Agglomeration.objects.filter(territory=territory, ambition_charter__isnull=True)
    if not staff:
        communes = communes.filter(pk__in=town_hall_admin_communes(user))
        agglos = agglos.filter(siren__in=epci_admin_sirens(user))
    return [
        *((f"a:{a.pk}", a.name) for a in agglos.order_by("name")),
        *((f"c:{c.pk}", c.name) for c in communes.order_by("name")),
    ]


@login_required
@require_http_methods(["GET", "POST"])
def ambition_create(request: HttpRequest) -> HttpResponse:
    choices = _authority_choices(request)
    if not choices and not request.user.has_perm("label.manage_charter"):
        raise PermissionDenied
    values = request.POST if request.method == "POST" else {}
    if request.method == "POST":
        kind, _sep, raw = values.get("authority", "").partition(":")
        pk = int_or_none(raw)
        date = _date(values.get("deliberation_date"))
        if f"{kind}:{raw}" not in {c[0] for c in choices} or pk is None:
            messages.error(request, _("Choisissez une collectivité de la liste."))
        elif date is None:
            messages.error(request, _("Indiquez la date de la délibération (JJ/MM/AAAA)."))
        else:
            try:
                charter = services.ambition_charter_create(
                    actor=request.user,
                    commune_id=pk if kind == "c" else None,
                    agglomeration_id=pk if kind == "a" else None,
                    deliberation_date=date,
                    deliberation_reference=values.get("deliberation_reference", ""),
                    summary=values.get("summary", ""),
                )
            except TurbineError as error:
                _refusal(request, error)
            else:
                messages.success(
                    request, _("La charte d'ambition est enregistrée : ajoutez ses engagements.")
                )
                return redirect(charter.get_absolute_url())
    return render(request, "label/ambition_form.html", {"choices": choices, "values": values})


def ambition_detail(request: HttpRequest, pk: int) -> HttpResponse:
    charter = selectors.get_ambition_charter(charter_id=pk)
    editable = request.user.is_authenticated and services.can_edit(request.user, charter)
    reviews = list(charter.reviews.all())
    done_years = {r.year for r in reviews}
    this_year = timezone.localdate().year
    return render(
        request,
        "label/ambition_detail.html",
        {
            "charter": charter,
            "rows": selectors.commitment_rows(charter),
            "reviews": [(r, selectors.review_counts(r)) for r in reviews],
            "can_edit": editable,
            "statuses": CommitmentStatus.choices,
            "review_years": [
                y
                for y in range(this_year, charter.deliberation_date.year - 1, -1)
                if y not in done_years
            ],
            "today": timezone.localdate(),
        },
    )


@login_required
@require_POST
def commitment_add(request: HttpRequest, pk: int) -> HttpResponse:
    post = request.POST
    try:
        services.commitment_add(
            actor=request.user,
            charter_id=pk,
            title=post.get("title", ""),
            indicator=post.get("indicator", ""),
            unit=post.get("unit", ""),
            target_value=post.get("target_value", "")[:30],
            target_year=post.get("target_year", "")[:6],
            baseline_value=post.get("baseline_value", "")[:30],
            baseline_year=post.get("baseline_year", "")[:6],
        )
    except TurbineError as error:
        _refusal(request, error)
    else:
        messages.success(request, _("Engagement ajouté."))
    return redirect("label:ambition_detail", pk=pk)


@login_required
@require_POST
def review_record(request: HttpRequest, pk: int) -> HttpResponse:
    charter = selectors.get_ambition_charter(charter_id=pk)
    post = request.POST
    reviewed_on = _date(post.get("reviewed_on"))
    if reviewed_on is None:
        messages.error(request, _("Indiquez la date du bilan."))
        return redirect("label:ambition_detail", pk=pk)
    entries = [
        services.EntryInput(
            commitment_id=c.pk,
            status=post.get(f"status_{c.pk}", ""),
            measured_value=post.get(f"value_{c.pk}", "")[:30],
            reason=post.get(f"reason_{c.pk}", ""),
        )
        for c in charter.commitments.all()
    ]
    try:
        services.ambition_review_record(
            actor=request.user,
            charter_id=pk,
            year=post.get("year", "")[:6],
            reviewed_on=reviewed_on,
            summary=post.get("summary", ""),
            entries=entries,
        )
    except TurbineError as error:
        _refusal(request, error)
    else:
        messages.success(request, _("Le bilan annuel est enregistré et publié."))
    return redirect("label:ambition_detail", pk=pk)
