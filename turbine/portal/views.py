"""The home page and the site pages: the portal reads every app's selectors; nothing depends on
it."""

from __future__ import annotations

from contextlib import suppress

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.text import slugify
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST
from weasyprint import HTML

from turbine.core import search as search_index
from turbine.core.exceptions import NotFoundError, TurbineError
from turbine.funding.selectors_management import get_funder_for_management
from turbine.portal import services
from turbine.portal.demand import funder_demand
from turbine.portal.forms import SearchForm
from turbine.portal.models import PlaceFollow
from turbine.portal.selectors import (
    Briefing,
    agglomeration_briefing,
    agglomeration_dashboard,
    commune_briefing,
    commune_dashboard,
)
from turbine.territory.selectors import (
    commune_list,
    get_agglomeration,
    get_commune,
    get_current_territory,
    territory_figures,
)

SEARCH_PAGE_SIZE = 20


def home(request: HttpRequest) -> HttpResponse:
    territory = get_current_territory()
    figures = territory_figures(territory) if territory else None
    return render(request, "portal/home.html", {"territory": territory, "figures": figures})


def search_page(request: HttpRequest) -> HttpResponse:
    form = SearchForm(request.GET or None)
    results = None
    if form.is_valid() and form.cleaned_data["q"]:
        data = form.cleaned_data
        results = search_index.search(
            data["q"],
            kinds=[data["type"]] if data["type"] else (),
            page=data["page"] or 1,
            page_size=SEARCH_PAGE_SIZE,
        )
    context = {
        "form": form,
        "results": results,
        "kinds": search_index.registered_kinds(),
        "page_size": SEARCH_PAGE_SIZE,
    }
    # htmx asks for the results fragment only; the full page works without JavaScript.
    partial = request.headers.get("HX-Request") == "true"
    template = "portal/_search_results.html" if partial else "portal/search.html"
    response = render(request, template, context)
    patch_vary_headers(response, ["HX-Request"])
    return response


def legal_notice(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/legal.html")


def accessibility(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/accessibility.html")


def commune(request: HttpRequest, code: str) -> HttpResponse:
    """A commune's dashboard: what happens there, gathered from every app."""
    territory = get_current_territory()
    place = get_commune(territory=territory, code=code)
    return render(
        request,
        "portal/commune.html",
        {
            "territory": territory,
            "commune": place,
            "board": commune_dashboard(commune=place),
            **_follow_context(request, commune=place),
        },
    )


def agglomeration(request: HttpRequest, siren: str) -> HttpResponse:
    """An agglomeration's dashboard, and the list of its communes."""
    territory = get_current_territory()
    place = get_agglomeration(territory=territory, siren=siren)
    communes = list(
        commune_list(territory=territory, agglomeration=siren).order_by("-population", "name")
    )
    return render(
        request,
        "portal/agglomeration.html",
        {
            "territory": territory,
            "agglomeration": place,
            "communes": communes,
            "board": agglomeration_dashboard(agglomeration=place),
            **_follow_context(request, agglomeration=place),
        },
    )


def _briefing_page(request: HttpRequest, brief: Briefing, place_url: str) -> HttpResponse:
    return render(
        request,
        "portal/briefing.html",
        {
            "territory": get_current_territory(),
            "brief": brief,
            "board": brief.board,
            "place_url": place_url,
            "pdf_url": place_url + "briefing.pdf",
        },
    )


def _briefing_pdf(request: HttpRequest, brief: Briefing) -> HttpResponse:
    """The briefing as a PDF: the same text, laid out for A4, charts drawn on the server."""
    site_url = request.build_absolute_uri("/").rstrip("/")
    html = render_to_string(
        "portal/briefing_print.html",
        {"brief": brief, "board": brief.board, "site_url": site_url},
        request=request,
    )
    pdf = HTML(string=html, base_url=site_url + "/").write_pdf()
    response = HttpResponse(pdf, content_type="application/pdf")
    name = slugify(brief.board.place.name) or "lieu"
    response["Content-Disposition"] = f'attachment; filename="note-elus-{name}.pdf"'
    return response


def commune_briefing_page(request: HttpRequest, code: str) -> HttpResponse:
    place = get_commune(territory=get_current_territory(), code=code)
    url = reverse("portal:commune", args=[place.code])
    return _briefing_page(request, commune_briefing(commune=place), url)


def commune_briefing_pdf(request: HttpRequest, code: str) -> HttpResponse:
    place = get_commune(territory=get_current_territory(), code=code)
    return _briefing_pdf(request, commune_briefing(commune=place))


def agglomeration_briefing_page(request: HttpRequest, siren: str) -> HttpResponse:
    place = get_agglomeration(territory=get_current_territory(), siren=siren)
    url = reverse("portal:agglomeration", args=[place.siren])
    return _briefing_page(request, agglomeration_briefing(agglomeration=place), url)


def agglomeration_briefing_pdf(request: HttpRequest, siren: str) -> HttpResponse:
    place = get_agglomeration(territory=get_current_territory(), siren=siren)
    return _briefing_pdf(request, agglomeration_briefing(agglomeration=place))


# --------------------------------------------------------------------------------------------
# Following a place


def _follow_context(request: HttpRequest, **place: object) -> dict[str, object]:
    can_follow = request.user.has_perm("portal.follow_place")
    follow = (
        PlaceFollow.objects.filter(user=request.user, **place).first()  # type: ignore[misc]
        if can_follow
        else None
    )
    return {"can_follow": can_follow, "follow": follow}


def _toggle_follow(request: HttpRequest, back: str, **place: object) -> HttpResponse:
    follow = PlaceFollow.objects.filter(user=request.user, **place).first()  # type: ignore[misc]
    try:
        if follow:
            services.unfollow_place(user=request.user, follow_id=follow.pk)  # type: ignore[arg-type]
            messages.success(request, "Vous ne suivez plus ce lieu : son bilan mensuel s'arrête.")
        else:
            services.follow_place(user=request.user, **place)  # type: ignore[arg-type]
            messages.success(
                request,
                "Vous suivez ce lieu : vous recevrez chaque mois par courriel ses nouveaux "
                "projets, les aides qui ferment bientôt et les résultats.",
            )
    except TurbineError as error:
        if error.status_code == 403:
            raise PermissionDenied(error.message) from error
        messages.error(request, error.message)
    return redirect(back)


@login_required
@require_POST
def commune_follow(request: HttpRequest, code: str) -> HttpResponse:
    place = get_commune(territory=get_current_territory(), code=code)
    return _toggle_follow(request, reverse("portal:commune", args=[place.code]), commune=place)


@login_required
@require_POST
def agglomeration_follow(request: HttpRequest, siren: str) -> HttpResponse:
    place = get_agglomeration(territory=get_current_territory(), siren=siren)
    back = reverse("portal:agglomeration", args=[place.siren])
    return _toggle_follow(request, back, agglomeration=place)


@login_required
def follows(request: HttpRequest) -> HttpResponse:
    """The places the official or agent follows."""
    if not request.user.has_perm("portal.follow_place"):
        raise PermissionDenied("Cette page est réservée aux élus et aux conseillers.")
    rows = (
        PlaceFollow.objects.filter(user=request.user)
        .select_related("commune", "agglomeration")
        .order_by("agglomeration__name", "commune__name")
    )
    return render(request, "portal/follows.html", {"follows": list(rows)})


def follow_unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """The digest's unsubscribe link: a page that asks to confirm (a mail scanner's GET
    unsubscribes nobody)."""
    follow = (
        PlaceFollow.objects.filter(token=token).first()
        if services.TOKEN_RE.fullmatch(token)
        else None
    )
    if request.method == "POST":
        try:
            follow = services.unsubscribe(token=token)
        except NotFoundError as error:
            raise Http404(error.message) from error
        return render(request, "portal/follow_unsubscribed.html", {"place_name": follow.place_name})
    if follow is None:
        raise Http404("Ce lien de désabonnement n'est plus valable.")
    return render(request, "portal/follow_unsubscribe.html", {"follow": follow})


@csrf_exempt
@require_POST
def follow_unsubscribe_one_click(request: HttpRequest, token: str) -> HttpResponse:
    """RFC 8058: the mail program's own button posts here, without a page or a cookie."""
    # Already done or unknown: the same answer, which tells nothing of other tokens.
    with suppress(NotFoundError):
        services.unsubscribe(token=token)
    return HttpResponse("Désabonnement enregistré.", content_type="text/plain; charset=utf-8")


@login_required
def funder_demand_page(request: HttpRequest, funder_id: int) -> HttpResponse:
    """The demand around a funder's aids, for its members with the funder role (and staff):
    aggregates of the guichet, the alerts and the projects' applications."""
    funder = get_funder_for_management(user=request.user, funder_id=funder_id)
    return render(
        request,
        "portal/funder_demand.html",
        {"funder": funder, "demand": funder_demand(funder=funder)},
    )
