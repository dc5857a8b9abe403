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
