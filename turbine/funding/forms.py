from __future__ import annotations

import re
from typing import Any

from django import forms
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from turbine.core.models import Theme
from turbine.funding.models import (
    AidType,
    AlertFrequency,
    Beneficiary,
    Funder,
    NoteVisibility,
    Perimeter,
    Scale,
)
from turbine.funding.selectors import MAX_THEME_FILTERS, AidFilters
from turbine.funding.services.catalogue import perimeter_search_name

FILTER_NAMES = (
    "commune",
    "beneficiary",
    "theme",
    "type",
    "open",
    "closing_within",
    "call_for_projects",
    "funder",
    "q",
)


class AidSearchForm(forms.Form):
    """The filters of ``/aides/``, its feeds and export, read from the query string."""

    q = forms.CharField(label=_("Mots recherchés"), required=False, max_length=200)
    commune = forms.CharField(
        label=_("Commune"),
        required=False,
        max_length=100,
        help_text=_(
            "Nom ou code INSEE : les aides de son EPCI, département, région, de la France "
            "et de l'Europe s'y ajoutent."
        ),
    )
    beneficiary = forms.ChoiceField(
        label=_("Bénéficiaire"),
        required=False,
        choices=[("", _("Tous"))] + [c for c in Beneficiary.choices if c[0] != "recherche"],
    )
    theme = forms.MultipleChoiceField(
        label=_("Thèmes"), required=False, widget=forms.CheckboxSelectMultiple
    )
    type = forms.ChoiceField(
        label=_("Type d'aide"), required=False, choices=[("", _("Tous"))] + AidType.choices
    )
    funder = forms.TypedChoiceField(
        label=_("Financeur"), required=False, coerce=int, empty_value=None
    )
    open = forms.BooleanField(label=_("Ouvertes aujourd'hui"), required=False)
    closing_within = forms.IntegerField(
        label=_("Clôture dans les … jours"), required=False, min_value=1, max_value=366
    )
    call_for_projects = forms.BooleanField(
        label=_("Appels à projets et AMI seulement"), required=False
    )

    def __init__(self, data: QueryDict | dict | None = None, **kwargs: Any) -> None:
        super().__init__(data, **kwargs)
        self.fields["theme"].choices = [(t.slug, t.name) for t in Theme.objects.all()]
        self.fields["funder"].choices = [("", _("Tous"))] + [
            (f.pk, f.name) for f in Funder.objects.order_by("name").only("pk", "name")
        ]
        self.commune_perimeter: Perimeter | None = None

    def clean_theme(self) -> list[str]:
        themes = list(dict.fromkeys(self.cleaned_data["theme"]))
        if len(themes) > MAX_THEME_FILTERS:
            raise forms.ValidationError(
                _("Choisissez au plus %(n)d thèmes.") % {"n": MAX_THEME_FILTERS}
            )
        return themes

    def clean_commune(self) -> str:
        value = " ".join(self.cleaned_data["commune"].split())
        if not value:
            return ""
        # "Béthune (62119)", as the page shows a commune it found, reads as its code.
        match = re.search(r"\((\w{5})\)$", value)
        if match:
            value = match.group(1)
        communes = Perimeter.objects.filter(scale=Scale.COMMUNE).select_related(
            "department", "epci"
        )
        if value.isdigit() or (len(value) == 5 and value[:2] in ("2A", "2B")):
            found = list(communes.filter(code=value.upper()))
        else:
            key = perimeter_search_name(value)
            found = list(communes.filter(search_name=key)[:20]) or list(
                communes.filter(search_name__startswith=key)[:20]
            )
        if not found:
            raise forms.ValidationError(
                _("Aucune commune française ne correspond à « %(v)s ».") % {"v": value}
            )
        if len(found) > 1:
            options = ", ".join(
                f"{p.code} ({p.department.name if p.department else ''})" for p in found[:10]
            )
            raise forms.ValidationError(
                _("Plusieurs communes s'appellent « %(v)s » : indiquez son code INSEE (%(o)s).")
                % {"v": value, "o": options}
            )
        self.commune_perimeter = found[0]
        return found[0].code

    def filters(self) -> AidFilters:
        """The filters of a valid form."""
        data = self.cleaned_data
        return AidFilters(
            commune=data.get("commune") or "",
            beneficiary=data.get("beneficiary") or "",
            themes=tuple(data.get("theme") or ()),
            type=data.get("type") or "",
            open=bool(data.get("open")),
            closing_within=data.get("closing_within"),
            call_for_projects=bool(data.get("call_for_projects")),
            funder=data.get("funder"),
            q=(data.get("q") or "").strip(),
        )


def filters_querystring(filters: AidFilters) -> str:
    """The canonical query string of a search (commune as its INSEE code)."""
    query = QueryDict(mutable=True)
    if filters.q:
        query["q"] = filters.q
    if filters.commune:
        query["commune"] = filters.commune
    if filters.beneficiary:
        query["beneficiary"] = filters.beneficiary
    if filters.themes:
        query.setlist("theme", list(filters.themes))
    if filters.type:
        query["type"] = filters.type
    if filters.funder:
        query["funder"] = str(filters.funder)
    if filters.open:
        query["open"] = "true"
    if filters.closing_within is not None:
        query["closing_within"] = str(filters.closing_within)
    if filters.call_for_projects:
        query["call_for_projects"] = "true"
    return query.urlencode()


class LocalNoteForm(forms.Form):
    text = forms.CharField(
        label=_("Note (Markdown)"), widget=forms.Textarea(attrs={"rows": 4}), max_length=5000
    )
    visibility = forms.ChoiceField(
        label=_("Visibilité"), choices=NoteVisibility.choices, initial=NoteVisibility.PUBLIC
    )


class AlertForm(forms.Form):
    email = forms.EmailField(label=_("Votre adresse électronique"))
    frequency = forms.ChoiceField(
        label=_("Fréquence"), choices=AlertFrequency.choices, initial=AlertFrequency.WEEKLY
    )
    query = forms.CharField(required=False, max_length=1000, widget=forms.HiddenInput)


class FollowForm(forms.Form):
    email = forms.EmailField(label=_("Votre adresse électronique"))


class PartnerSearchForm(forms.Form):
    organisation = forms.CharField(
        label=_("Votre structure (facultatif)"), max_length=200, required=False
    )
    looking_for = forms.CharField(
        label=_("Nous voulons répondre et cherchons des partenaires avec…"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
