from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from turbine.accounts.models import User
from turbine.core import badges
from turbine.core.models import Theme
from turbine.directory.models import Organisation
from turbine.directory.selectors import organisations_of_user
from turbine.projects.models import (
    ImpactNature,
    Indicator,
    LinkKind,
    Project,
    Scale,
    Stage,
    Visibility,
)
from turbine.projects.selectors import ProjectFilters
from turbine.territory.forms import CommunesField, fill_territory_filter_choices
from turbine.territory.models import Commune
from turbine.territory.selectors import commune_list, get_current_territory


class ProjectFilterForm(forms.Form):
    q = forms.CharField(label=_("Mots recherchés"), required=False, max_length=200)
    theme = forms.ChoiceField(label=_("Thème"), required=False)
    agglomeration = forms.ChoiceField(label=_("Agglomération"), required=False)
    commune = forms.ChoiceField(label=_("Commune"), required=False)
    scale = forms.TypedChoiceField(
        label=_("Échelle"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", _("Toutes"))] + Scale.choices,
    )
    stage = forms.ChoiceField(
        label=_("Étape"), required=False, choices=[("", _("Toutes"))] + Stage.choices
    )
    sort = forms.ChoiceField(
        label=_("Trier par"),
        required=False,
        choices=[
            ("titre", _("Titre")),
            ("recent", _("Les plus récents")),
            ("echelle", _("Échelle, la plus grande d'abord")),
            ("pertinence", _("Pertinence (avec une recherche)")),
        ],
    )
    page = forms.IntegerField(required=False, min_value=1, max_value=100_000)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fill_territory_filter_choices(self)
        # The filters other apps offer (« seulement les projets labellisés »), see
        # turbine.core.badges.
        self.badge_keys: list[str] = []
        for badge_filter in badges.filters("project"):
            self.fields[badge_filter.key] = forms.BooleanField(
                label=badge_filter.label, required=False
            )
            self.badge_keys.append(badge_filter.key)

    def filters(self) -> ProjectFilters:
        data = self.cleaned_data if self.is_valid() else {}
        return ProjectFilters(
            q=data.get("q") or "",
            theme=data.get("theme") or "",
            commune=data.get("commune") or "",
            agglomeration=data.get("agglomeration") or "",
            scale=data.get("scale") or None,
            stage=data.get("stage") or "",
            sort=data.get("sort") or "",
            badges=tuple(key for key in self.badge_keys if data.get(key)),
        )

    def page_number(self) -> int:
        return (self.cleaned_data.get("page") if self.is_valid() else None) or 1


class ProjectForm(forms.Form):
    title = forms.CharField(label=_("Titre du projet"), max_length=200)
    summary = forms.CharField(
        label=_("Résumé en une ou deux phrases"),
        required=False,
        max_length=400,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    holder_organisation = forms.ModelChoiceField(
        label=_("Organisation porteuse"),
        queryset=Organisation.objects.none(),
        required=False,
        empty_label=_("— Je porte ce projet à titre personnel —"),
        help_text=_("Une organisation dont vous êtes membre."),
    )
    scale = forms.TypedChoiceField(
        label=_("Échelle"), coerce=int, choices=Scale.choices, widget=forms.RadioSelect
    )
    stage = forms.ChoiceField(label=_("Étape"), choices=Stage.choices)
    themes = forms.ModelMultipleChoiceField(
        label=_("Thèmes"),
        queryset=Theme.objects.order_by("position", "name"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    whole_territory = forms.BooleanField(
        label=_("Le projet concerne tout le territoire"), required=False
    )
    communes = CommunesField(
        label=_("Communes concernées"),
        queryset=Commune.objects.none(),
        required=False,
    )
    description = forms.CharField(
        label=_("Description"),
        required=False,
        max_length=30_000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("Texte en Markdown."),
    )
    know_how = forms.CharField(
        label=_("Savoir-faire et astuces à partager"),
        required=False,
        max_length=20_000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_(
            "Ce que d'autres porteurs peuvent réutiliser : méthodes, pièges, contacts utiles."
        ),
    )
    budget_total = forms.DecimalField(
        label=_("Budget total (€)"), required=False, min_value=0, max_digits=14, decimal_places=2
    )
    partners = forms.ModelMultipleChoiceField(
        label=_("Organisations partenaires"),
        queryset=Organisation.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    latitude = forms.FloatField(label=_("Latitude"), required=False, min_value=-90, max_value=90)
    longitude = forms.FloatField(
        label=_("Longitude"), required=False, min_value=-180, max_value=180
    )
    visibility = forms.ChoiceField(
        label=_("Visibilité"),
        choices=Visibility.choices,
        widget=forms.RadioSelect,
        help_text=_("Un brouillon n'est visible que de ses porteurs."),
    )

    def __init__(
        self, *args: Any, user: User, project: Project | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["communes"].queryset = commune_list(territory=get_current_territory())
        holders = organisations_of_user(user=user)
        if project is not None and project.holder_organisation_id:
            holders = holders | Organisation.objects.filter(pk=project.holder_organisation_id)
        self.fields["holder_organisation"].queryset = holders.distinct().order_by("name")
        # Partners are chosen among the holder's partners so far and the organisations the
        # person belongs to; a long select of 50,000 organisations would help nobody.
        partners = Organisation.objects.filter(is_hidden=False, pk__in=holders.values("pk"))
        if project is not None:
            partners = partners | Organisation.objects.filter(partner_projects=project)
        self.fields["partners"].queryset = partners.distinct().order_by("name")

    @staticmethod
    def initial_from(project: Project) -> dict[str, Any]:
        return {
            "title": project.title,
            "summary": project.summary,
            "holder_organisation": project.holder_organisation_id,
            "scale": project.scale,
            "stage": project.stage,
            "themes": list(project.themes.all()),
            "whole_territory": project.whole_territory,
            "communes": list(project.communes.all()),
            "description": project.description,
            "know_how": project.know_how,
            "budget_total": project.budget_total,
            "partners": list(project.partners.all()),
            "latitude": project.latitude,
            "longitude": project.longitude,
            "visibility": project.visibility,
        }


class ImpactForm(forms.Form):
    indicator = forms.ChoiceField(
        label=_("Indicateur"), choices=[("", "—")] + Indicator.choices, required=False
    )
    value = forms.DecimalField(
        label=_("Valeur"), min_value=0, max_digits=14, decimal_places=2, required=False
    )
    nature = forms.ChoiceField(
        label=_("Estimé ou mesuré"), choices=ImpactNature.choices, required=False
    )
    source = forms.CharField(label=_("Source de la valeur"), max_length=300, required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("indicator") and data.get("value") is None:
            self.add_error("value", _("Indiquez la valeur."))
        return data


ImpactFormSet = forms.formset_factory(ImpactForm, extra=2, max_num=20)


class LinkForm(forms.Form):
    target = forms.IntegerField(
        label=_("Numéro du projet lié"),
        min_value=1,
        help_text=_("Le numéro figure dans l'adresse de sa page : /projets/123/."),
    )
    kind = forms.ChoiceField(label=_("Nature du lien"), choices=LinkKind.choices)
    note = forms.CharField(label=_("Précision"), required=False, max_length=300)


class ImageForm(forms.Form):
    image = forms.FileField(
        label=_("Image"),
        help_text=_("PNG, JPEG, WebP ou GIF, 5 Mo au plus."),
        widget=forms.FileInput(attrs={"accept": "image/png,image/jpeg,image/webp,image/gif"}),
    )
    alt_text = forms.CharField(
        label=_("Description de l'image"),
        max_length=300,
        help_text=_("Ce qu'on y voit, pour les personnes qui ne voient pas l'image."),
    )


class UpdateForm(forms.Form):
    date = forms.DateField(
        label=_("Date"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("Aujourd'hui si vous la laissez vide."),
    )
    text = forms.CharField(
        label=_("La nouvelle"),
        max_length=10_000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Texte en Markdown : où en est le projet, ce qui a été fait, ce qui vient."),
    )
