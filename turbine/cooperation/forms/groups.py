"""Forms of working groups and peer teaching."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from turbine.cooperation.models import WorkTheme
from turbine.core.models import Theme


class NetworkChoiceMixin(forms.Form):
    network = forms.TypedChoiceField(label=_("Le réseau que vous apportez"), coerce=int)

    def __init__(self, *args: Any, networks: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["network"].choices = [(n.pk, n.name) for n in networks]


class GroupForm(NetworkChoiceMixin):
    work_theme = forms.ModelChoiceField(
        label=_("Thématique de travail"), queryset=WorkTheme.objects.order_by("title")
    )
    name = forms.CharField(label=_("Nom du groupe"), max_length=200)
    description = forms.CharField(
        label=_("Objet du groupe"), max_length=10_000, widget=forms.Textarea(attrs={"rows": 5})
    )
    field_order = ["work_theme", "name", "description", "network"]


class JoinForm(NetworkChoiceMixin):
    pass


class MessageForm(forms.Form):
    body = forms.CharField(
        label=_("Votre message"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Les autres membres le reçoivent par courriel. Markdown accepté."),
    )


class WorkThemeForm(forms.Form):
    title = forms.CharField(label=_("Thématique"), max_length=200)
    description = forms.CharField(
        label=_("Description"), required=False, max_length=10_000, widget=forms.Textarea
    )
    themes = forms.ModelMultipleChoiceField(
        label=_("Thèmes"),
        queryset=Theme.objects.order_by("position", "name"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )


class OfferForm(forms.Form):
    title = forms.CharField(
        label=_("Le savoir-faire que vous proposez de transmettre"), max_length=200
    )
    description = forms.CharField(
        label=_("Ce que vous transmettez, à qui, comment"),
        max_length=10_000,
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    project = forms.TypedChoiceField(
        label=_("Le projet où vous l'avez appris"), coerce=int, required=False, empty_value=None
    )
    themes = forms.ModelMultipleChoiceField(
        label=_("Thèmes"),
        queryset=Theme.objects.order_by("position", "name"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, projects: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["project"].choices = [("", _("— aucun"))] + [(p.pk, p.title) for p in projects]


class OfferRequestForm(forms.Form):
    message = forms.CharField(
        label=_("Un mot pour la personne (facultatif)"), required=False, max_length=500
    )
