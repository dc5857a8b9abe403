"""The map of actors and projects, with a list beside it that works without JavaScript."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from turbine.core.web import paginate
from turbine.directory import geo
from turbine.directory.models import Family, Network, OrganisationKind
from turbine.territory.forms import fill_territory_filter_choices

DEFAULT_TILES_URL = "https://{s}.tile.openstreetmap.org/{z}/{x}/{y}.png"
DEFAULT_ATTRIBUTION = (
    '&copy; <a href="https://www.openstreetmap.org/copyright">les contributeurs d’OpenStreetMap</a>'
)
# The Pôle métropolitain de l'Artois; a deployment elsewhere sets TURBINE_MAP_CENTER.
DEFAULT_CENTER = (50.45, 2.72)
DEFAULT_ZOOM = 10


class MapFilterForm(forms.Form):
    type = forms.ChoiceField(
        label=_("Afficher"),
        required=False,
        choices=[("organisation", _("Organisations")), ("projet", _("Projets"))],
        widget=forms.RadioSelect,
    )
    theme = forms.ChoiceField(label=_("Thème"), required=False)
    kind = forms.ChoiceField(
        label=_("Type d'organisation"),
        required=False,
        choices=[("", _("Tous"))] + OrganisationKind.choices,
    )
    family = forms.ChoiceField(
        label=_("Famille d'acteurs"), required=False, choices=[("", _("Toutes"))] + Family.choices
    )
    agglomeration = forms.ChoiceField(label=_("Agglomération"), required=False)
    commune = forms.ChoiceField(label=_("Commune"), required=False)
    scale = forms.TypedChoiceField(
        label=_("Échelle du projet"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", _("Toutes")), (1, "1"), (2, "2"), (3, "3")],
    )
    stage = forms.ChoiceField(label=_("Étape du projet"), required=False)
    network = forms.ChoiceField(label=_("Réseau"), required=False)
    page = forms.IntegerField(required=False, min_value=1, max_value=100_000)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fill_territory_filter_choices(self)
        # Every registered layer (organisations, projects, and those other apps add).
        self.fields["type"].choices = [(layer.key, layer.label) for layer in geo.layers()]
        self.fields["stage"].choices = [("", _("Toutes"))] + geo.filter_choices("stage")
        self.fields["network"].choices = [("", _("Tous"))] + [
            (n.slug, n.name) for n in Network.objects.order_by("name").only("slug", "name")
        ]
        # The filters other apps offer on the layers (turbine.core.badges).
        for badge_filter in geo.badge_filters():
            self.fields[badge_filter.key] = forms.BooleanField(
                label=badge_filter.label, required=False
            )

    def data_or_empty(self) -> dict[str, Any]:
        return self.cleaned_data if self.is_valid() else {}


def map_settings() -> dict[str, Any]:
    """Tile server, attribution and initial view of the maps (settings are optional)."""
    return {
        "tiles_url": getattr(settings, "TURBINE_MAP_TILES_URL", DEFAULT_TILES_URL),
        "attribution": getattr(settings, "TURBINE_MAP_ATTRIBUTION", DEFAULT_ATTRIBUTION),
        "center": getattr(settings, "TURBINE_MAP_CENTER", DEFAULT_CENTER),
        "zoom": getattr(settings, "TURBINE_MAP_ZOOM", DEFAULT_ZOOM),
    }


def map_page(request: HttpRequest) -> HttpResponse:
    form = MapFilterForm(request.GET or None)
    data = form.data_or_empty()
    layer_key = data.get("type") or "organisation"
    filters = geo.MapFilters(
        theme=data.get("theme") or "",
        kind=data.get("kind") or "",
        family=data.get("family") or "",
        commune=data.get("commune") or "",
        agglomeration=data.get("agglomeration") or "",
        scale=data.get("scale"),
        stage=data.get("stage") or "",
        network=data.get("network") or "",
        badges=tuple(f.key for f in geo.badge_filters() if data.get(f.key)),
    )
    layer = geo.layer(layer_key)
    qs = layer.queryset(filters).order_by(*layer.order).values(*layer.fields)
    shown = paginate(qs, data.get("page") or 1)
    query = request.GET.copy()
    query.pop("page", None)
    query["type"] = layer_key
    return render(
        request,
        "directory/map.html",
        {
            "form": form,
            "layer": layer,
            **shown.context(),
            "items": layer.features(shown.items),
            "geojson_url": reverse("api:map_geojson") + "?" + query.urlencode(),
            **map_settings(),
        },
    )
