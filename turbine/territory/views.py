from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from turbine.territory import selectors


def overview(request: HttpRequest) -> HttpResponse:
    territory = selectors.get_current_territory()
    agglomerations = list(selectors.agglomeration_list(territory=territory))
    figures = selectors.territory_figures(territory) if territory else None
    return render(
        request,
        "territory/overview.html",
        {"territory": territory, "agglomerations": agglomerations, "figures": figures},
    )


def agglomeration_detail(request: HttpRequest, siren: str) -> HttpResponse:
    territory = selectors.get_current_territory()
    agglomeration = selectors.get_agglomeration(territory=territory, siren=siren)
    communes = list(
        selectors.commune_list(territory=territory, agglomeration=siren).order_by(
            "-population", "name"
        )
    )
    return render(
        request,
        "territory/agglomeration.html",
        {"territory": territory, "agglomeration": agglomeration, "communes": communes},
    )


def commune_detail(request: HttpRequest, code: str) -> HttpResponse:
    territory = selectors.get_current_territory()
    commune = selectors.get_commune(territory=territory, code=code)
    return render(request, "territory/commune.html", {"territory": territory, "commune": commune})
