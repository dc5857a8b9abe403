"""Pages, feeds and exports of the funding catalogue. Thin: parse, call, render."""

from __future__ import annotations

import csv
from collections.abc import Iterator

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    StreamingHttpResponse,
)
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from turbine.core.clients import client_ip
from turbine.core.csvcells import csv_row
from turbine.core.exceptions import TurbineError
from turbine.core.throttle import throttle_exceeded
from turbine.core.web import paginate
from turbine.funding import ical, selectors
from turbine.funding import rules as funding_rules
from turbine.funding import selectors_management as manage_selectors
from turbine.funding.forms import (
    AidSearchForm,
    AlertForm,
    FollowForm,
    LocalNoteForm,
    PartnerSearchForm,
    filters_querystring,
)
from turbine.funding.models import Aid, Alert, NoteVisibility, Scale
from turbine.funding.selectors import AidFilters
from turbine.funding.services import alerts as alert_services
from turbine.funding.services import catalogue as services
from turbine.funding.services import partners as partner_services

FEED_SIZE = 50


def _filters(request: HttpRequest) -> tuple[AidSearchForm, AidFilters | None]:
    form = AidSearchForm(request.GET)
    return form, form.filters() if form.is_valid() else None


def _page_number(request: HttpRequest) -> int:
    try:
        return max(1, int(request.GET.get("page", "1")))
    except ValueError:
        return 1


@require_GET
def aid_list(request: HttpRequest) -> HttpResponse:
    form, filters = _filters(request)
    canonical_url = None
    if filters is not None and filters.commune and request.GET.get("commune") != filters.commune:
        # A commune typed by name: the shared address carries its INSEE code.
        canonical_url = f"{reverse('funding:aid_list')}?{filters_querystring(filters)}"
        if not request.headers.get("HX-Request"):
            return redirect(canonical_url)
    results = selectors.aid_search(filters) if filters is not None else selectors.AidResults([])
    shown = paginate(results, _page_number(request))
    query = filters_querystring(filters) if filters is not None else ""
    context = {
        "form": form,
        "filters": filters,
        "commune": form.commune_perimeter,
        **shown.context("aids"),
        "query": query,
        "alert_form": AlertForm(initial={"query": query}),
        "scale_labels": dict(Scale.choices),
    }
    template = (
        "funding/_aid_results.html"
        if request.headers.get("HX-Request")
        else "funding/aid_list.html"
    )
    response = render(request, template, context)
    if canonical_url:
        response["HX-Push-Url"] = canonical_url
    return response


@require_GET
def aid_detail(request: HttpRequest, aid_id: int) -> HttpResponse:
    aid = selectors.get_aid_for_view(user=request.user, aid_id=aid_id)
    return _render_detail(request, aid, note_form=LocalNoteForm())


def _render_detail(
    request: HttpRequest, aid: Aid, *, note_form: LocalNoteForm, status: int = 200
) -> HttpResponse:
    context = {
        "aid": aid,
        "notes": list(selectors.local_notes_for(aid=aid, user=request.user)),
        "similar": selectors.similar_aids(aid=aid),
        "can_write_notes": funding_rules.can_write_notes(request.user),
        "note_form": note_form,
        "staff_visibility": NoteVisibility.STAFF,
        "instructors": list(aid.instructors.all()),
        "follow_form": FollowForm(),
        "funded_projects": selectors.projects_funded_by(aid=aid),
        "applications": manage_selectors.aid_applications(aid=aid),
        "entered_by_funder": manage_selectors.entered_by_funder(aid=aid),
    }
    context.update(_detail_extras(request, aid))
    return render(request, "funding/aid_detail.html", context, status=status)


def _detail_extras(request: HttpRequest, aid: Aid) -> dict:
    """The partners section of a call for projects."""
    if not aid.is_call_for_projects:
        return {"extra_sections": []}
    searches = selectors.partner_searches_for(aid=aid, user=request.user)
    return {
        "extra_sections": ["funding/_partners.html"],
        "partner_searches": searches,
        "has_own_search": any(s.own for s in searches),
        "partner_search_form": PartnerSearchForm(),
        "partner_target_kind": partner_services.TARGET_KIND,
        "partner_subject_kind": partner_services.SUBJECT_KIND,
    }


@login_required
@require_POST
def note_create(request: HttpRequest, aid_id: int) -> HttpResponse:
    aid = selectors.get_aid_for_view(user=request.user, aid_id=aid_id)
    if not funding_rules.can_write_notes(request.user):
        raise PermissionDenied
    form = LocalNoteForm(request.POST)
    if form.is_valid():
        try:
            services.note_create(
                actor=request.user,
                aid_id=aid.pk,
                text=form.cleaned_data["text"],
                visibility=form.cleaned_data["visibility"],
            )
        except TurbineError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(request, "Note enregistrée.")
            return redirect(f"{aid.get_absolute_url()}#notes")
    return _render_detail(request, aid, note_form=form, status=400)


@login_required
@require_POST
def note_delete(request: HttpRequest, aid_id: int, note_id: int) -> HttpResponse:
    aid = selectors.get_aid_for_view(user=request.user, aid_id=aid_id)
    try:
        services.note_delete(actor=request.user, note_id=note_id)
    except TurbineError as exc:
        if exc.status_code == 403:
            raise PermissionDenied from None
        raise Http404(exc.message) from None
    messages.success(request, "Note supprimée.")
    return redirect(f"{aid.get_absolute_url()}#notes")


@require_GET
def funder_list(request: HttpRequest) -> HttpResponse:
    return render(request, "funding/funder_list.html", {"funders": list(selectors.funder_list())})


@require_GET
def funder_detail(request: HttpRequest, funder_id: int) -> HttpResponse:
    """A funder's public page: its aids, open and past, and the territory's projects they
    funded."""
    funder = selectors.get_funder(funder_id=funder_id)
    return render(
        request,
        "funding/funder_detail.html",
        {
            "funder": funder,
            "aids": selectors.funder_aids(funder=funder),
            "funded_projects": selectors.projects_funded_by_funder(funder=funder),
        },
    )


@require_GET
def deadlines(request: HttpRequest) -> HttpResponse:
    form, filters = _filters(request)
    aids = []
    if filters is not None:
        aids = selectors.aid_search(filters, by_deadline=True)[: selectors.CALENDAR_SIZE]
    months: list[tuple[object, list[Aid]]] = []
    for aid in aids:
        month = aid.deadline.replace(day=1)
        if not months or months[-1][0] != month:
            months.append((month, []))
        months[-1][1].append(aid)
    query = filters_querystring(filters) if filters is not None else ""
    return render(
        request,
        "funding/deadlines.html",
        {"form": form, "months": months, "query": query, "count": len(aids)},
    )


def _bad_filters(form: AidSearchForm) -> HttpResponse:
    errors = "; ".join(f"{k} : {' '.join(v)}" for k, v in form.errors.items())
    return HttpResponse(
        f"Filtres invalides. {errors}", status=400, content_type="text/plain; charset=utf-8"
    )


@require_GET
def deadlines_ics(request: HttpRequest) -> HttpResponse:
    form, filters = _filters(request)
    if filters is None:
        return _bad_filters(form)
    aids = selectors.aid_search(filters, by_deadline=True)[: selectors.CALENDAR_SIZE]
    body = ical.deadlines_calendar(aids, site_url=settings.SITE_URL, now=timezone.now())
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="echeances-aides.ics"'
    return response


@require_GET
def aid_feed(request: HttpRequest) -> HttpResponse:
    form, filters = _filters(request)
    if filters is None:
        return _bad_filters(form)
    query = filters_querystring(filters)
    feed = Atom1Feed(
        title="Nouvelles aides – Turbine de l'éco-transition",
        link=settings.SITE_URL + reverse("funding:aid_list") + (f"?{query}" if query else ""),
        description="Les aides et appels à projets récemment publiés pour cette recherche.",
        language="fr",
        feed_url=request.build_absolute_uri(),
    )
    for aid in selectors.newest_aids(filters, limit=FEED_SIZE):
        feed.add_item(
            title=aid.title,
            link=settings.SITE_URL + aid.get_absolute_url(),
            description=aid.short_description,
            unique_id=f"{settings.SITE_URL}{aid.get_absolute_url()}",
            pubdate=aid.published_at or aid.created_at,
            updateddate=aid.changed_at,
            author_name=", ".join(f.name for f in aid.funders.all()) or None,
            categories=[t.name for t in aid.themes.all()],
        )
    return HttpResponse(
        feed.writeString("utf-8"), content_type="application/atom+xml; charset=utf-8"
    )


class _Echo:
    def write(self, value: str) -> str:
        return value


CSV_COLUMNS = [
    "id", "titre", "financeurs", "types", "beneficiaires", "themes", "appel_a_projets",
    "perimetres", "date_ouverture", "date_limite", "recurrence", "statut", "taux_min", "taux_max",
    "url",
]  # fmt: skip


def _csv_rows(results: selectors.AidResults) -> Iterator[list[object]]:
    yield CSV_COLUMNS
    for aid in results.iterate():
        yield [
            aid.pk,
            aid.title,
            " | ".join(f.name for f in aid.funders.all()),
            " ".join(aid.type_list),
            " ".join(aid.beneficiary_list),
            " ".join(t.slug for t in aid.themes.all()),
            "oui" if aid.is_call_for_projects else "non",
            " | ".join(str(p) for p in aid.perimeters.all()),
            aid.start_date.isoformat() if aid.start_date else "",
            aid.deadline.isoformat() if aid.deadline else "",
            aid.recurrence,
            aid.effective_status,
            "" if aid.subsidy_rate_min is None else aid.subsidy_rate_min,
            "" if aid.subsidy_rate_max is None else aid.subsidy_rate_max,
            settings.SITE_URL + aid.get_absolute_url(),
        ]


@require_GET
def aid_export(request: HttpRequest) -> HttpResponse:
    form, filters = _filters(request)
    if filters is None:
        return _bad_filters(form)
    writer = csv.writer(_Echo())
    results = selectors.aid_search(filters)
    response = StreamingHttpResponse(
        (writer.writerow(csv_row(row)) for row in _csv_rows(results)),
        content_type="text/csv; charset=utf-8",
    )
    response["Content-Disposition"] = 'attachment; filename="aides.csv"'
    return response


# --- Alerts -----------------------------------------------------------------------------------


# Alerts asked from one IP address (any addresses) per hour; more waits, whatever the address.
ALERTS_PER_IP_PER_HOUR = 20
ALERTS_THROTTLED = "Trop de demandes d'alerte depuis votre connexion : réessayez dans une heure."


def _alerts_throttled(request: HttpRequest) -> bool:
    return throttle_exceeded(
        f"alerts:ip:{client_ip(request)}", limit=ALERTS_PER_IP_PER_HOUR, window=3600
    )


@require_POST
def alert_create(request: HttpRequest) -> HttpResponse:
    form = AlertForm(request.POST)
    if _alerts_throttled(request):
        form.is_valid()
        form.add_error(None, ALERTS_THROTTLED)
    elif form.is_valid():
        try:
            alert_services.alert_create(
                email=form.cleaned_data["email"],
                query=form.cleaned_data["query"],
                frequency=form.cleaned_data["frequency"],
            )
        except TurbineError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            return render(
                request, "funding/alert_pending.html", {"email": form.cleaned_data["email"]}
            )
    query = form.data.get("query", "")
    return render(
        request,
        "funding/alert_form.html",
        {
            "alert_form": form,
            "filters": alert_services.describe_query(query),
            "query": query,
        },
        status=400,
    )


@require_POST
def aid_follow(request: HttpRequest, aid_id: int) -> HttpResponse:
    aid = selectors.get_aid_for_view(user=request.user, aid_id=aid_id)
    form = FollowForm(request.POST)
    if _alerts_throttled(request):
        messages.error(request, ALERTS_THROTTLED)
    elif form.is_valid():
        try:
            alert_services.alert_follow_aid(email=form.cleaned_data["email"], aid_id=aid.pk)
        except TurbineError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(
                request,
                "C'est noté. Si cette adresse n'a pas encore d'alerte confirmée, un courriel "
                "vous demande de confirmer avant tout envoi.",
            )
    else:
        messages.error(request, "Indiquez une adresse électronique valide pour suivre cette aide.")
    return redirect(f"{aid.get_absolute_url()}#suivre")


def _alert_token_page(request: HttpRequest, token: str, *, action: str) -> HttpResponse:
    alert = Alert.objects.filter(token=token).first()
    if alert is None:
        raise Http404("Ce lien d'alerte n'est pas valide.")
    done = False
    error = ""
    if request.method == "POST":
        try:
            service = (
                alert_services.alert_confirm
                if action == "confirm"
                else alert_services.alert_unsubscribe
            )
            alert = service(token=token)
            done = True
        except TurbineError as exc:
            error = exc.message
    return render(
        request,
        "funding/alert_token.html",
        {
            "alert": alert,
            "action": action,
            "done": done,
            "error": error,
            "filters": alert_services.describe_query(alert.query) if alert.includes_search else [],
            "followed": list(alert.followed_aids.order_by("title")),
        },
    )


@require_http_methods(["GET", "POST"])
def alert_confirm(request: HttpRequest, token: str) -> HttpResponse:
    return _alert_token_page(request, token, action="confirm")


@require_http_methods(["GET", "POST"])
def alert_unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    return _alert_token_page(request, token, action="unsubscribe")


# The mail program's own button (RFC 8058): a POST with no cookie and no CSRF token; the secret
# token in the address is the proof, as in the link of the email itself.
@csrf_exempt
@require_POST
def alert_unsubscribe_one_click(request: HttpRequest, token: str) -> HttpResponse:
    try:
        alert_services.alert_unsubscribe(token=token)
    except TurbineError as exc:
        return HttpResponse(exc.message, status=404, content_type="text/plain; charset=utf-8")
    return HttpResponse(
        _("Vous êtes désabonné de cette alerte."), content_type="text/plain; charset=utf-8"
    )


# --- Partners for a call ----------------------------------------------------------------------


def _partners_redirect(aid: Aid) -> HttpResponse:
    return redirect(f"{aid.get_absolute_url()}#partenaires")


@login_required
@require_POST
def partner_search_create(request: HttpRequest, aid_id: int) -> HttpResponse:
    aid = selectors.get_aid_for_view(user=request.user, aid_id=aid_id)
    form = PartnerSearchForm(request.POST)
    if not form.is_valid():
        messages.error(
            request, "Décrivez les partenaires que vous cherchez (1 000 caractères au plus)."
        )
        return _partners_redirect(aid)
    try:
        partner_services.partner_search_create(
            user=request.user, aid_id=aid.pk, **form.cleaned_data
        )
    except TurbineError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "Votre recherche de partenaires est publiée sur cet appel.")
    return _partners_redirect(aid)


@login_required
@require_POST
def partner_search_close(request: HttpRequest, aid_id: int, search_id: int) -> HttpResponse:
    aid = selectors.get_aid_for_view(user=request.user, aid_id=aid_id)
    try:
        partner_services.partner_search_close(user=request.user, search_id=search_id)
    except TurbineError as exc:
        if exc.status_code == 403:
            raise PermissionDenied from None
        raise Http404(exc.message) from None
    messages.success(request, "Annonce clôturée.")
    return _partners_redirect(aid)
