"""Forms of common challenges."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from turbine.territory.models import Commune

MAX_NUMBER = 1_000_000_000_000


class ChallengeForm(forms.Form):
    title = forms.CharField(
        label=_("Intitulé du défi"),
        max_length=200,
        help_text=_("Par exemple : « Rendre cyclable le territoire »"),
    )
    description = forms.CharField(
        label=_("Pourquoi ce défi ?"), max_length=10_000, widget=forms.Textarea(attrs={"rows": 5})
    )
    indicator = forms.CharField(
        label=_("Ce que l'on mesure"),
        max_length=200,
        help_text=_("Par exemple : « arceaux vélo installés »"),
    )
    unit = forms.CharField(
        label=_("Unité"),
        max_length=40,
        help_text=_("Par exemple : « arceaux », « km », « repas par semaine »"),
    )
    baseline = forms.DecimalField(
        label=_("Valeur de départ"),
        min_value=0,
        max_value=MAX_NUMBER,
        decimal_places=2,
        max_digits=14,
        initial=0,
    )
    target = forms.DecimalField(
        label=_("Valeur visée"), min_value=0, max_value=MAX_NUMBER, decimal_places=2, max_digits=14
    )
    deadline = forms.DateField(label=_("Échéance"), widget=forms.DateInput(attrs={"type": "date"}))
    scope = forms.CharField(
        label=_("Périmètre"),
        max_length=200,
        help_text=_("Par exemple : « les 150 communes du Pôle métropolitain »"),
    )
    organisation = forms.TypedChoiceField(
        label=_("Au nom de"), required=False, coerce=int, empty_value=None
    )

    def __init__(self, *args: object, organisations: list, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].choices = [("", _("moi-même"))] + [
            (o.pk, o.name) for o in organisations
        ]


class PledgeForm(forms.Form):
    quantity = forms.DecimalField(
        label=_("Quantité promise"),
        min_value=0,
        max_value=MAX_NUMBER,
        decimal_places=2,
        max_digits=14,
    )
    description = forms.CharField(
        label=_("Votre engagement en une phrase"),
        max_length=300,
        help_text=_("Par exemple : « 20 arceaux vélo devant nos commerces »"),
    )
    due_date = forms.DateField(label=_("D'ici le"), widget=forms.DateInput(attrs={"type": "date"}))
    commune = forms.ModelChoiceField(
        label=_("Commune"),
        queryset=Commune.objects.none(),
        required=False,
        empty_label=_("— (plusieurs ou aucune)"),
        to_field_name="code",
    )
    organisation = forms.TypedChoiceField(
        label=_("Au nom de"), required=False, coerce=int, empty_value=None
    )
    threshold = forms.IntegerField(
        label=_("Seulement si d'autres s'engagent aussi : combien ?"),
        required=False,
        min_value=1,
        max_value=10_000,
        help_text=_("Laissez vide pour un engagement sans condition."),
    )

    def __init__(self, *args: object, organisations: list, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].choices = [("", _("moi-même"))] + [
            (o.pk, o.name) for o in organisations
        ]
        communes = Commune.objects.filter(agglomeration__isnull=False).order_by("name")
        self.fields["commune"].queryset = communes
        self.fields["commune"].label_from_instance = lambda c: c.name


class ReportForm(forms.Form):
    value = forms.DecimalField(
        label=_("Quantité réalisée depuis le dernier point"),
        min_value=0,
        max_value=MAX_NUMBER,
        decimal_places=2,
        max_digits=14,
    )
    date = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    evidence_url = forms.URLField(
        label=_("Lien vers une preuve (photo, article, document)"),
        required=False,
        max_length=500,
        assume_scheme="https",
    )
    evidence_file = forms.FileField(
        label=_("Ou un document de preuve (PDF, ou photo PNG ou JPEG, 10 Mo au plus)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.png,.jpg,.jpeg"}),
    )
    note = forms.CharField(label=_("Précisions"), required=False, max_length=500)
