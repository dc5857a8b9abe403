"""Forms of the label app. They parse and check shapes; business rules live in services."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from turbine.label.models import DecisionOutcome
from turbine.label.selectors.charter import family_choices
from turbine.territory.forms import fill_territory_filter_choices


class NoNulCharField(forms.CharField):
    def clean(self, value: object) -> str:
        if isinstance(value, str) and "\x00" in value:
            raise forms.ValidationError(_("Ce champ contient un caractère invalide."))
        return super().clean(value)


class SignatoryFilterForm(forms.Form):
    family = forms.ChoiceField(label=_("Famille d'acteurs"), required=False)
    agglomeration = forms.ChoiceField(label=_("Agglomération"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["family"]).choices = [
            ("", _("Toutes")),
            *family_choices(),
        ]
        fill_territory_filter_choices(self)


class CharterSignForm(forms.Form):
    member = forms.ChoiceField(label=_("Je signe pour"))
    signer_name = NoNulCharField(label=_("Votre nom et prénom"), max_length=120)
    signer_role = NoNulCharField(
        label=_("Votre fonction dans la structure"),
        max_length=120,
        help_text=_("Par exemple : présidente, directeur, maire, adjointe à la transition."),
    )
    accepted = forms.BooleanField(
        label=_("J'ai lu la charte et ma structure y adhère."),
        required=True,
        error_messages={
            "required": _("Cochez la case pour confirmer que votre structure adhère à la charte.")
        },
    )

    def __init__(self, *args: Any, members: list, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["member"]).choices = [
            (m.value, m.name) for m in members if not m.signed_current
        ]

    def member_ids(self) -> tuple[int | None, int | None]:
        kind, _sep, raw = self.cleaned_data["member"].partition(":")
        return (int(raw), None) if kind == "o" else (None, int(raw))


class JoinCharterForm(forms.Form):
    """The charter step of the organisation creation form (see ``label.marks``): the person
    creating the organisation signs the current version for it."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=2**31 - 1)
    accepted = forms.BooleanField(
        required=True,
        error_messages={
            "required": _(
                "Cochez la case : rejoindre la Turbine, c'est adhérer à sa charte. "
                "Lisez-la avant de créer la fiche."
            )
        },
    )
    signer_name = NoNulCharField(label=_("Votre nom et prénom"), max_length=120)
    signer_role = NoNulCharField(
        label=_("Votre fonction dans la structure"),
        max_length=120,
        help_text=_("Par exemple : présidente, directeur, co-gérante, bénévole référent."),
    )

    def __init__(self, *args: Any, version_number: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["accepted"].label = _(
            "J'ai lu la charte de la Turbine (version %(n)s) et ma structure y adhère."
        ) % {"n": version_number}


class CharterVersionForm(forms.Form):
    title = NoNulCharField(label=_("Titre"), max_length=200)
    text = NoNulCharField(
        label=_("Texte de la charte"),
        max_length=50_000,
        widget=forms.Textarea(attrs={"rows": 20}),
        help_text=_("En Markdown : ## pour un intertitre, - pour une liste, **gras**."),
    )
    changes = NoNulCharField(
        label=_("Ce qui change par rapport à la version précédente"),
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Repris dans le courriel qui invite les signataires à signer de nouveau."),
    )


class ReferentialImportForm(forms.Form):
    name = NoNulCharField(label=_("Nom du référentiel"), max_length=200)
    version = NoNulCharField(label=_("Version"), max_length=20, help_text=_("Par exemple : 2027"))
    validity_years = forms.IntegerField(
        label=_("Durée de validité du label (ans)"), min_value=1, max_value=10, initial=4
    )
    commitments = NoNulCharField(
        label=_("Engagements que signe chaque candidat (Markdown)"),
        max_length=20_000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    file = forms.FileField(
        label=_("Fichier CSV"),
        help_text=_(
            "Colonnes : numero, intitule, points, categorie, preuves_attendues, description "
            "(UTF-8, séparateur virgule ou point-virgule, 1 Mo au plus)."
        ),
    )
    make_current = forms.BooleanField(
        label=_("En faire le référentiel en vigueur pour les nouvelles candidatures"),
        required=False,
    )


class LevelsForm(forms.Form):
    """One threshold field per level (in %), and requirements as lines « 3 ; 2.1 ; 50 »."""

    requirements = NoNulCharField(
        label=_("Exigences par critère"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "Une exigence par ligne : étoiles ; numéro du critère ; part « fait » minimale en %. "
            "Par exemple « 3 ; 2.1 ; 50 »."
        ),
    )

    def __init__(self, *args: Any, levels: list, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for level in levels:
            self.fields[f"level_{level.stars}"] = forms.DecimalField(
                label=_("Seuil « fait » pour %(name)s (en %%)") % {"name": level.name},
                min_value=0,
                max_value=100,
                decimal_places=1,
                initial=level.min_fait_share * 100,
            )
            self.order_fields([*(f for f in self.fields if f.startswith("level_")), "requirements"])


class ApplicationCreateForm(forms.Form):
    holder = forms.ChoiceField(label=_("Qui candidate ?"))

    def __init__(self, *args: Any, projects: list, organisations: list, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["holder"]).choices = [
            *((f"p:{p.pk}", _("Projet : %(t)s") % {"t": p.title}) for p in projects),
            *((f"o:{o.pk}", _("Organisation : %(n)s") % {"n": o.name}) for o in organisations),
        ]

    def holder_ids(self) -> tuple[int | None, int | None]:
        kind, _sep, raw = self.cleaned_data["holder"].partition(":")
        return (int(raw), None) if kind == "p" else (None, int(raw))


class CommitmentsForm(forms.Form):
    accepted = forms.BooleanField(
        label=_("Nous signons les engagements du label."),
        error_messages={"required": _("Cochez la case pour signer les engagements du label.")},
    )


class EvidenceForm(forms.Form):
    title = NoNulCharField(label=_("Intitulé de la preuve"), max_length=200)
    file = forms.FileField(
        label=_("Fichier (PDF, image, document ; 10 Mo au plus)"), required=False
    )
    url = forms.URLField(label=_("ou lien"), required=False, max_length=500, assume_scheme="https")


class DecisionForm(forms.Form):
    outcome = forms.ChoiceField(label=_("Décision"))
    level = forms.ChoiceField(label=_("Niveau accordé"), required=False)
    meeting_date = forms.DateField(
        label=_("Date de la réunion du comité"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    valid_from = forms.DateField(
        label=_("Label valable à partir du"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("Par défaut, la date de la réunion."),
    )
    reasons = NoNulCharField(
        label=_("Motifs de la décision"),
        max_length=10_000,
        widget=forms.Textarea(attrs={"rows": 5}),
    )

    def __init__(self, *args: Any, levels: list, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["outcome"]).choices = DecisionOutcome.choices
        cast(forms.ChoiceField, self.fields["level"]).choices = [
            ("", "—"),
            *((str(lv.pk), lv.name) for lv in levels),
        ]
