"""Forms of meetings: they parse and validate input; the services decide."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from turbine.accounts.models import User
from turbine.cooperation.models import (
    AgeBand,
    EventFormat,
    FirstTime,
    HeardVia,
    KnowHowOffer,
    Language,
    Modality,
    RegistrationMode,
    ReminderDelay,
    TimeSlot,
    WorkingGroup,
)
from turbine.cooperation.selectors.meetings import EventFilters
from turbine.cooperation.services.meetings import Declared, EventData
from turbine.cooperation.uploads import ACCEPT
from turbine.core.models import Theme
from turbine.directory.models import MembershipStatus, Organisation
from turbine.territory.forms import fill_territory_filter_choices
from turbine.territory.models import Agglomeration, Commune


def _all(label: str, choices: list[tuple[str, str]]) -> list[tuple[str, str]]:
    return [("", label), *choices]


class EventFilterForm(forms.Form):
    format = forms.ChoiceField(
        label=_("Format"), required=False, choices=_all(_("Tous"), EventFormat.choices)
    )
    modalite = forms.ChoiceField(
        label=_("Modalité"), required=False, choices=_all(_("Toutes"), Modality.choices)
    )
    creneau = forms.ChoiceField(
        label=_("Créneau"), required=False, choices=_all(_("Tous"), TimeSlot.choices)
    )
    theme = forms.ChoiceField(label=_("Thème"), required=False)
    commune = forms.ChoiceField(label=_("Commune"), required=False)
    du = forms.DateField(
        label=_("À partir du"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    au = forms.DateField(
        label=_("Jusqu'au"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    page = forms.IntegerField(
        required=False, min_value=1, max_value=10_000, widget=forms.HiddenInput
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fill_territory_filter_choices(self)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("du") and data.get("au") and data["au"] < data["du"]:
            self.add_error("au", _("Cette date doit venir après la date de début."))
        return data

    def filters(self) -> EventFilters:
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        return EventFilters(
            format=data.get("format") or "",
            modality=data.get("modalite") or "",
            time_slot=data.get("creneau") or "",
            theme=data.get("theme") or "",
            commune=data.get("commune") or "",
            date_from=data.get("du"),
            date_to=data.get("au"),
        )

    def page_number(self) -> int:
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        return data.get("page") or 1


class CommuneChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Commune) -> str:
        return obj.name


class EventForm(forms.Form):
    title = forms.CharField(label=_("Titre"), max_length=200)
    description = forms.CharField(
        label=_("Description"),
        max_length=20_000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("Ce qui s'y passe, pour qui, ce qu'il faut apporter. Markdown accepté."),
    )
    format = forms.ChoiceField(label=_("Format"), choices=EventFormat.choices)
    modality = forms.ChoiceField(label=_("Modalité"), choices=Modality.choices)
    start = forms.DateTimeField(
        label=_("Début"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    end = forms.DateTimeField(
        label=_("Fin"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    language = forms.ChoiceField(label=_("Langue"), choices=Language.choices)
    commune = CommuneChoiceField(
        label=_("Commune"),
        queryset=Commune.objects.none(),
        required=False,
        empty_label=_("— (en ligne)"),
    )
    address = forms.CharField(label=_("Adresse"), max_length=300, required=False)
    latitude = forms.FloatField(label=_("Latitude"), required=False, min_value=-90, max_value=90)
    longitude = forms.FloatField(
        label=_("Longitude"), required=False, min_value=-180, max_value=180
    )
    step_free = forms.BooleanField(label=_("Accessible de plain-pied"), required=False)
    hearing_loop = forms.BooleanField(label=_("Boucle magnétique"), required=False)
    childcare = forms.BooleanField(label=_("Garde d'enfants sur place"), required=False)
    accessibility_notes = forms.CharField(
        label=_("Autres informations d'accessibilité"), max_length=500, required=False
    )
    online_url = forms.URLField(
        label=_("Lien de connexion"),
        max_length=500,
        required=False,
        assume_scheme="https",
        help_text=_("Montré seulement aux personnes inscrites."),
    )
    themes = forms.ModelMultipleChoiceField(
        label=_("Thèmes"),
        queryset=Theme.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    organisations = forms.ModelMultipleChoiceField(
        label=_("Organisations (co-)organisatrices"),
        queryset=Organisation.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    person_is_organiser = forms.BooleanField(
        label=_("J'apparais comme personne organisatrice"), required=False, initial=True
    )
    registration_mode = forms.ChoiceField(label=_("Inscription"), choices=RegistrationMode.choices)
    external_registration_url = forms.URLField(
        label=_("Lien d'inscription extérieur"),
        max_length=500,
        required=False,
        assume_scheme="https",
    )
    capacity = forms.IntegerField(
        label=_("Nombre de places"),
        required=False,
        min_value=1,
        max_value=100_000,
        help_text=_("Laissez vide pour un nombre de places illimité."),
    )
    reminders_enabled = forms.BooleanField(
        label=_("Envoyer un rappel par courriel aux inscrits"), required=False, initial=True
    )
    reminder_hours = forms.TypedChoiceField(
        label=_("Moment du rappel"), choices=ReminderDelay.choices, coerce=int, initial=24
    )
    group = forms.ModelChoiceField(
        queryset=WorkingGroup.objects.public(), required=False, widget=forms.HiddenInput
    )
    know_how_offer = forms.ModelChoiceField(
        queryset=KnowHowOffer.objects.filter(is_hidden=False),
        required=False,
        widget=forms.HiddenInput,
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["commune"].queryset = Commune.objects.filter(
            agglomeration__isnull=False
        ).order_by("name")
        self.fields["themes"].queryset = Theme.objects.order_by("position", "name")
        organisations = Organisation.objects.filter(is_hidden=False).order_by("name")
        if not user.has_perm("cooperation.view_diversity_dashboard"):
            organisations = organisations.filter(
                memberships__user=user, memberships__status=MembershipStatus.ACTIVE
            )
        self.fields["organisations"].queryset = organisations

    def to_data(self) -> EventData:
        d = self.cleaned_data
        return EventData(
            title=d["title"],
            description=d["description"],
            format=d["format"],
            modality=d["modality"],
            start=d["start"],
            end=d["end"],
            language=d["language"],
            commune=d.get("commune"),
            address=d.get("address") or "",
            latitude=d.get("latitude"),
            longitude=d.get("longitude"),
            step_free=d.get("step_free", False),
            hearing_loop=d.get("hearing_loop", False),
            childcare=d.get("childcare", False),
            accessibility_notes=d.get("accessibility_notes") or "",
            online_url=d.get("online_url") or "",
            themes=tuple(d.get("themes") or ()),
            organisations=tuple(d.get("organisations") or ()),
            person_is_organiser=d.get("person_is_organiser", False),
            registration_mode=d["registration_mode"],
            external_registration_url=d.get("external_registration_url") or "",
            capacity=d.get("capacity"),
            reminders_enabled=d.get("reminders_enabled", False),
            reminder_hours=d["reminder_hours"],
            group=d.get("group"),
            know_how_offer=d.get("know_how_offer"),
        )


class DeclaredForm(forms.Form):
    """Optional, declared-only information asked at registration."""

    age_band = forms.ChoiceField(
        label=_("Votre tranche d'âge"),
        required=False,
        choices=_all(_("Je préfère ne pas répondre"), AgeBand.choices),
    )
    agglomeration = forms.ModelChoiceField(
        label=_("Votre agglomération"),
        required=False,
        queryset=Agglomeration.objects.none(),
        empty_label=_("Je préfère ne pas répondre"),
    )
    first_time = forms.ChoiceField(
        label=_("Est-ce votre première rencontre de la Turbine ?"),
        required=False,
        choices=_all(_("Je préfère ne pas répondre"), FirstTime.choices),
    )
    heard_via = forms.ChoiceField(
        label=_("Comment en avez-vous entendu parler ?"),
        required=False,
        choices=_all(_("Je préfère ne pas répondre"), HeardVia.choices),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["agglomeration"].queryset = Agglomeration.objects.order_by("name")

    def declared(self) -> Declared:
        d = self.cleaned_data
        return Declared(
            age_band=d.get("age_band") or "",
            agglomeration=d.get("agglomeration"),
            first_time=d.get("first_time") or "",
            heard_via=d.get("heard_via") or "",
        )


class EmailRegistrationForm(DeclaredForm):
    name = forms.CharField(label=_("Votre nom ou prénom"), max_length=120)
    email = forms.EmailField(label=_("Votre adresse électronique"), max_length=254)
    field_order = ["name", "email"]


class AttendanceForm(forms.Form):
    code = forms.CharField(
        label=_("Code d'inscription"),
        max_length=20,
        help_text=_("Huit caractères, par exemple K7PM-Q2XD (les tirets et espaces sont ignorés)."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}),
    )


class MinutesForm(forms.Form):
    minutes = forms.CharField(
        label=_("Compte rendu"),
        required=False,
        max_length=50_000,
        widget=forms.Textarea(attrs={"rows": 12}),
        help_text=_("Markdown accepté : titres (##), listes, gras, liens."),
    )


class DocumentForm(forms.Form):
    title = forms.CharField(label=_("Titre du document"), max_length=200)
    file = forms.FileField(
        label=_("Fichier"),
        help_text=_(
            "PDF, image PNG ou JPEG, document OpenDocument ou Office, texte ou CSV ; 10 Mo au plus."
        ),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["file"].widget.attrs["accept"] = ACCEPT


class FeedbackForm(forms.Form):
    rating = forms.TypedChoiceField(
        label=_("Votre appréciation"),
        coerce=int,
        choices=[
            (5, _("5 — Excellente")),
            (4, _("4 — Bonne")),
            (3, _("3 — Moyenne")),
            (2, _("2 — Décevante")),
            (1, _("1 — Mauvaise")),
        ],
        widget=forms.RadioSelect,
    )
    useful = forms.BooleanField(label=_("La rencontre m'a été utile"), required=False)
    comment = forms.CharField(
        label=_("Un commentaire (facultatif)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    token = forms.CharField(required=False, max_length=100, widget=forms.HiddenInput)
