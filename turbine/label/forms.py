"""Forms of the label app. They parse and check shapes; business rules live in services."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

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

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["family"].choices = [("", _("Toutes")), *family_choices()]
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

    def __init__(self, *args: object, members: list, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["member"].choices = [(m.value, m.name) for m in members if not m.signed_current]

    def member_ids(self) -> tuple[int | None, int | None]:
        kind, _sep, raw = self.cleaned_data["member"].partition(":")
        return (int(raw), None) if kind == "o" else (None, int(raw))


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
