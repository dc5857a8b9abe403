"""Embeddable widgets: the map and the cards of projects or actors, with their filters in the
URL, light (no site header, no htmx), every link opening the Turbine in a new tab.

Only these two pages may be framed by another site: they drop ``X-Frame-Options`` and replace
the site's ``frame-ancestors 'none'`` with ``*``; every other page stays unframeable. The code
page (``/embed/``) builds the snippet to copy."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from csp.decorators import csp_replace
from django import forms
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.clickjacking import xframe_options_exempt

from turbine.core import badges as core_badges
from turbine.directory import geo
from turbine.directory.models import Family
from turbine.directory.selectors import DirectoryFilters, organisation_list
from turbine.projects.selectors import ProjectFilters, project_list
from turbine.territory.forms import fill_territory_filter_choices

EMBED_CSP = {"frame-ancestors": ["*"]}
MAX_CARDS = 24


class EmbedFilterForm(forms.Form):
    type = forms.ChoiceField(
        label=_("Contenu"),
        required=False,
        choices=[("projet", _("Projets")), ("organisation", _("Acteurs"))],
    )
    theme = forms.ChoiceField(label=_("Thème"), required=False)
    commune = forms.ChoiceField(label=_("Commune"), required=False)
    family = forms.ChoiceField(
        label=_("Famille d'acteurs"), required=False, choices=[("", _("Toutes")), *Family.choices]
    )
    nombre = forms.IntegerField(
        label=_("Nombre de cartes"), required=False, min_value=1, max_value=MAX_CARDS
    )
    titre = forms.CharField(label=_("Titre affiché"), required=False, max_length=120)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fill_territory_filter_choices(self)
        # The filters other apps offer (turbine.core.badges): « Signataires de la charte »,
        # « Projets labellisés »...
        for badge_filter in geo.badge_filters():
            self.fields[badge_filter.key] = forms.BooleanField(
                label=badge_filter.label, required=False
            )

    def values(self) -> dict[str, Any]:
        """The valid filters; an invalid one is dropped (a widget never shows an error page
        inside someone else's site) and listed in ``ignored``."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {
            "type": data.get("type") or "projet",
            "theme": data.get("theme") or "",
            "commune": data.get("commune") or "",
            "family": data.get("family") or "",
            "nombre": data.get("nombre") or 6,
            "titre": (data.get("titre") or "").replace("\x00", ""),
            "badges": tuple(f.key for f in geo.badge_filters() if data.get(f.key)),
            "ignored": sorted(self.errors),
        }


def _query(values: dict[str, Any], keys: tuple[str, ...]) -> str:
    """The query string of these values (and of the badge filters asked for)."""
    params = {k: values[k] for k in keys if values.get(k)}
    params.update(dict.fromkeys(values["badges"], "on"))
    return urlencode(params)


@xframe_options_exempt
@csp_replace(EMBED_CSP)
def embed_map(request: HttpRequest) -> HttpResponse:
    values = EmbedFilterForm(request.GET or None).values()
    filters = geo.MapFilters(
        theme=values["theme"],
        commune=values["commune"],
        family=values["family"],
        badges=values["badges"],
    )
    layer = geo.layer(values["type"])
    rows = list(
        layer.queryset(filters).order_by(*layer.order).values(*layer.fields)[: MAX_CARDS * 4]
    )
    query = _query(values, ("type", "theme", "commune", "family"))
    return render(
        request,
        "showcase/embed/map.html",
        {
            "values": values,
            "layer": layer,
            "items": layer.features(rows),
            "geojson_url": reverse("api:map_geojson") + ("?" + query if query else ""),
            "full_url": settings.SITE_URL
            + reverse("directory:map")
            + ("?" + query if query else ""),
            "tiles_url": settings.TURBINE_MAP_TILES_URL,
            "attribution": settings.TURBINE_MAP_ATTRIBUTION,
            "center": settings.TURBINE_MAP_CENTER,
            "zoom": settings.TURBINE_MAP_ZOOM,
        },
    )


@xframe_options_exempt
@csp_replace(EMBED_CSP)
def embed_cards(request: HttpRequest) -> HttpResponse:
    values = EmbedFilterForm(request.GET or None).values()
    limit = values["nombre"]
    if values["type"] == "organisation":
        kind = "organisation"
        qs = organisation_list(
            filters=DirectoryFilters(
                theme=values["theme"],
                commune=values["commune"],
                family=values["family"],
                badges=values["badges"],
            )
        )
        full = reverse("directory:organisation_list")
    else:
        kind = "project"
        qs = project_list(
            filters=ProjectFilters(
                theme=values["theme"], commune=values["commune"], badges=values["badges"]
            )
        )
        full = reverse("projects:project_list")
    items = list(qs[:limit])
    # What other apps say of each item (one query per badge provider), shown on its card.
    found = core_badges.collect(kind, [item.pk for item in items])
    query = _query(values, ("theme", "commune", "family"))
    return render(
        request,
        "showcase/embed/cards.html",
        {
            "values": values,
            "cards": [(item, found.get(item.pk, [])) for item in items],
            "full_url": settings.SITE_URL + full + ("?" + query if query else ""),
        },
    )


def embed_code(request: HttpRequest) -> HttpResponse:
    form = EmbedFilterForm(request.GET or None)
    values = form.values()
    query = _query(values, ("type", "theme", "commune", "family", "nombre", "titre"))
    base = settings.SITE_URL
    cards_url = base + reverse("showcase:embed_cards") + ("?" + query if query else "")
    map_url = base + reverse("showcase:embed_map") + ("?" + query if query else "")
    title = values["titre"] or str(_("Projets et acteurs de la transition"))
    return render(
        request,
        "showcase/embed/code.html",
        {
            "form": form,
            "cards_url": cards_url,
            "map_url": map_url,
            "preview_cards": reverse("showcase:embed_cards") + ("?" + query if query else ""),
            "title": title,
        },
    )
