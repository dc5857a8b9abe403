"""The home page and the site pages: the portal reads every app's selectors; nothing depends on
it."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.cache import patch_vary_headers

from turbine.core import search as search_index
from turbine.portal.forms import SearchForm
from turbine.portal.selectors import agglomeration_dashboard, commune_dashboard
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
