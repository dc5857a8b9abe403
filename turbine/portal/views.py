"""The home page and the site pages: the portal reads every app's selectors; nothing depends on
it."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.text import slugify
from weasyprint import HTML

from turbine.core import search as search_index
from turbine.portal.forms import SearchForm
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
        {"territory": territory, "commune": place, "board": commune_dashboard(commune=place)},
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
