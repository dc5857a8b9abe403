from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from turbine.core import badges
from turbine.core.models import Theme
from turbine.directory.models import (
    Direction,
    Family,
    NeedOfferKind,
    Network,
    Organisation,
    OrganisationKind,
    validate_rna,
    validate_siren,
)
from turbine.directory.selectors import DirectoryFilters, NeedOfferFilters, organisations_of_user
from turbine.territory.forms import CommuneChoiceField, CommunesField, fill_territory_filter_choices
from turbine.territory.models import Commune
from turbine.territory.selectors import (
    commune_list,
    get_current_territory,
)


def _territory_communes() -> Any:
    return commune_list(territory=get_current_territory())


class FilterForm(forms.Form):
    """The filters of a list page; field names are those of the API."""

    q = forms.CharField(label=_("Mots recherchés"), required=False, max_length=200)
    theme = forms.ChoiceField(label=_("Thème"), required=False)
    agglomeration = forms.ChoiceField(label=_("Agglomération"), required=False)
    commune = forms.ChoiceField(label=_("Commune"), required=False)
    kind = forms.ChoiceField(
        label=_("Type"), required=False, choices=[("", _("Tous"))] + OrganisationKind.choices
    )
    family = forms.ChoiceField(
        label=_("Famille d'acteurs"), required=False, choices=[("", _("Toutes"))] + Family.choices
    )
    network = forms.ChoiceField(label=_("Réseau"), required=False)
    sort = forms.ChoiceField(
        label=_("Trier par"),
        required=False,
        choices=[
            ("nom", _("Nom")),
            ("recent", _("Les plus récents")),
            ("commune", _("Commune")),
            ("pertinence", _("Pertinence (avec une recherche)")),
        ],
    )
    page = forms.IntegerField(required=False, min_value=1, max_value=100_000)

    def __init__(
        self,
        *args: Any,
        fields: tuple[str, ...] | None = None,
        badge_kind: str = "",
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        fill_territory_filter_choices(self)
        self.fields["network"].choices = [("", _("Tous"))] + [
            (n.slug, n.name) for n in Network.objects.order_by("name").only("slug", "name")
        ]
        if fields is not None:
            for name in list(self.fields):
                if name not in fields and name != "page":
                    del self.fields[name]
        # The filters other apps offer on this list (« seulement les signataires de la
        # charte »), see turbine.core.badges.
        self.badge_keys: list[str] = []
        for badge_filter in badges.filters(badge_kind) if badge_kind else []:
            self.fields[badge_filter.key] = forms.BooleanField(
                label=badge_filter.label, required=False
            )
            self.badge_keys.append(badge_filter.key)

    def filters(self) -> DirectoryFilters:
        data = self.cleaned_data if self.is_valid() else {}
        return DirectoryFilters(
            q=data.get("q") or "",
            theme=data.get("theme") or "",
            commune=data.get("commune") or "",
            agglomeration=data.get("agglomeration") or "",
            kind=data.get("kind") or "",
            family=data.get("family") or "",
            network=data.get("network") or "",
            sort=data.get("sort") or "",
            badges=tuple(key for key in self.badge_keys if data.get(key)),
        )

    def page_number(self) -> int:
        return (self.cleaned_data.get("page") if self.is_valid() else None) or 1


class OrganisationForm(forms.Form):
    name = forms.CharField(label=_("Nom de l'organisation"), max_length=200)
    kind = forms.ChoiceField(label=_("Type"), choices=OrganisationKind.choices)
    family = forms.ChoiceField(
        label=_("Famille d'acteurs"),
        choices=Family.choices,
        widget=forms.RadioSelect,
        help_text=_("Comme le territoire les nomme : ceux qui font, qui aident, qui diffusent."),
    )
    siren = forms.CharField(
        label=_("Numéro SIREN"),
        required=False,
        max_length=11,
        help_text=_("9 chiffres, facultatif."),
    )
    rna = forms.CharField(
        label=_("Numéro RNA (associations)"),
        required=False,
        max_length=10,
        help_text=_("W suivi de 9 caractères, facultatif."),
    )
    address = forms.CharField(label=_("Adresse"), required=False, max_length=300)
    commune = CommuneChoiceField(
        label=_("Commune"), queryset=Commune.objects.none(), required=False
    )
    latitude = forms.FloatField(
        label=_("Latitude"),
        required=False,
        min_value=-90,
        max_value=90,
        help_text=_("En degrés décimaux, par exemple 50.53. Vide : pas de point sur la carte."),
    )
    longitude = forms.FloatField(
        label=_("Longitude"),
        required=False,
        min_value=-180,
        max_value=180,
        help_text=_("En degrés décimaux, par exemple 2.64."),
    )
    themes = forms.ModelMultipleChoiceField(
        label=_("Thèmes"),
        queryset=Theme.objects.order_by("position", "name"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    networks = forms.ModelMultipleChoiceField(
        label=_("Réseaux"),
        queryset=Network.objects.order_by("name"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    website = forms.URLField(label=_("Site web"), required=False, assume_scheme="https")
    description = forms.CharField(
        label=_("Présentation"),
        required=False,
        max_length=20_000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Texte en Markdown : **gras**, *italique*, listes, liens."),
    )
    logo = forms.FileField(
        label=_("Logo"),
        required=False,
        help_text=_("PNG, JPEG, WebP ou GIF, 2 Mo au plus ; il sera réduit à 512 pixels."),
        widget=forms.FileInput(attrs={"accept": "image/png,image/jpeg,image/webp,image/gif"}),
    )
    remove_logo = forms.BooleanField(label=_("Retirer le logo actuel"), required=False)
    contact_email = forms.EmailField(label=_("Adresse de contact"), required=False)
    contact_phone = forms.CharField(label=_("Téléphone de contact"), required=False, max_length=30)
    contact_public = forms.BooleanField(
        label=_("Montrer ce contact à tout le monde"),
        required=False,
        help_text=_(
            "Sinon, seuls les membres de l'organisation et l'équipe de la Turbine le voient."
        ),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["commune"].queryset = _territory_communes()

    def clean_siren(self) -> str:
        value = self.cleaned_data["siren"].replace(" ", "")
        if value:
            validate_siren(value)
        return value

    def clean_rna(self) -> str:
        value = self.cleaned_data["rna"].replace(" ", "").upper()
        if value:
            validate_rna(value)
        return value

    @classmethod
    def initial_from(cls, organisation: Organisation) -> dict[str, Any]:
        initial = {
            name: getattr(organisation, name)
            for name in cls.base_fields
            if name not in ("logo", "remove_logo")
        }
        initial["themes"] = list(organisation.themes.all())
        initial["networks"] = list(organisation.networks.all())
        initial["commune"] = organisation.commune_id
        return initial


class JoinForm(forms.Form):
    message = forms.CharField(
        label=_("Message aux administrateurs (facultatif)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ProfileForm(forms.Form):
    know_how = forms.CharField(
        label=_("Mon savoir-faire"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Ce que vous savez faire et que d'autres peuvent apprendre de vous."),
    )
    can_help_with = forms.CharField(
        label=_("Ce en quoi je peux aider"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    themes = forms.ModelMultipleChoiceField(
        label=_("Thèmes sur lesquels j'agis"),
        queryset=Theme.objects.order_by("position", "name"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    networks = forms.ModelMultipleChoiceField(
        label=_("Mes réseaux"),
        queryset=Network.objects.order_by("name"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )


class ReportForm(forms.Form):
    reason = forms.CharField(
        label=_("Ce qui pose problème"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("L'équipe de la Turbine examine chaque signalement."),
    )


class NeedOfferFilterForm(forms.Form):
    q = forms.CharField(label=_("Mots recherchés"), required=False, max_length=200)
    direction = forms.ChoiceField(
        label=_("Sens"),
        required=False,
        choices=[("", _("Besoins et offres"))] + Direction.choices,
    )
    kind = forms.ChoiceField(
        label=_("Nature"), required=False, choices=[("", _("Toutes"))] + NeedOfferKind.choices
    )
    theme = forms.ChoiceField(label=_("Thème"), required=False)
    agglomeration = forms.ChoiceField(label=_("Agglomération"), required=False)
    commune = forms.ChoiceField(label=_("Commune"), required=False)
    sort = forms.ChoiceField(
        label=_("Trier par"),
        required=False,
        choices=[
            ("recent", _("Les plus récents")),
            ("expiration", _("Expiration proche")),
            ("titre", _("Titre")),
            ("pertinence", _("Pertinence (avec une recherche)")),
        ],
    )
    page = forms.IntegerField(required=False, min_value=1, max_value=100_000)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fill_territory_filter_choices(self)

    def filters(self) -> NeedOfferFilters:
        data = self.cleaned_data if self.is_valid() else {}
        return NeedOfferFilters(
            q=data.get("q") or "",
            theme=data.get("theme") or "",
            commune=data.get("commune") or "",
            agglomeration=data.get("agglomeration") or "",
            kind=data.get("kind") or "",
            direction=data.get("direction") or "",
            sort=data.get("sort") or "",
        )

    def page_number(self) -> int:
        return (self.cleaned_data.get("page") if self.is_valid() else None) or 1


class NeedOfferForm(forms.Form):
    direction = forms.ChoiceField(
        label=_("Vous"), choices=Direction.choices, widget=forms.RadioSelect
    )
    kind = forms.ChoiceField(label=_("Nature"), choices=NeedOfferKind.choices)
    title = forms.CharField(label=_("Titre de l'annonce"), max_length=200)
    description = forms.CharField(
        label=_("Description"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    organisation = forms.ModelChoiceField(
        label=_("Au nom de"),
        queryset=Organisation.objects.none(),
        required=False,
        empty_label=_("— À titre personnel —"),
    )
    themes = forms.ModelMultipleChoiceField(
        label=_("Thèmes"),
        queryset=Theme.objects.order_by("position", "name"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    communes = CommunesField(
        label=_("Communes"),
        queryset=Commune.objects.none(),
        required=False,
    )
    expires_on = forms.DateField(
        label=_("Valable jusqu'au"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("Dans l'année qui vient."),
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)

        self.fields["organisation"].queryset = organisations_of_user(user=user)
        self.fields["communes"].queryset = _territory_communes()


class IntroductionForm(forms.Form):
    target_kind = forms.CharField(widget=forms.HiddenInput, max_length=40)
    target_id = forms.CharField(widget=forms.HiddenInput, max_length=64)
    subject_kind = forms.CharField(widget=forms.HiddenInput, max_length=40, required=False)
    subject_id = forms.CharField(widget=forms.HiddenInput, max_length=64, required=False)
    message = forms.CharField(
        label=_("Votre message"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Présentez-vous et dites ce que vous proposez. Votre adresse n'est pas transmise."
        ),
    )
    share_contact = forms.BooleanField(
        label=_("Partager mon adresse électronique si l'autre personne accepte aussi"),
        required=False,
        initial=True,
    )
