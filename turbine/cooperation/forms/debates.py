"""Forms of debates."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from turbine.cooperation.models import Side
from turbine.core.models import Theme


class DebateForm(forms.Form):
    question = forms.CharField(label=_("Question débattue"), max_length=300, min_length=10)
    context = forms.CharField(
        label=_("Contexte"),
        required=False,
        max_length=10_000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Ce qu'il faut savoir pour débattre. Markdown accepté."),
    )
    themes = forms.ModelMultipleChoiceField(
        label=_("Thèmes"),
        queryset=Theme.objects.order_by("position", "name"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )


class ArgumentForm(forms.Form):
    side = forms.ChoiceField(
        label=_("Votre position"), choices=Side.choices, widget=forms.RadioSelect
    )
    text = forms.CharField(
        label=_("Votre argument"), max_length=2000, widget=forms.Textarea(attrs={"rows": 4})
    )


class ReplyForm(forms.Form):
    parent = forms.IntegerField(min_value=1, max_value=2_000_000_000, widget=forms.HiddenInput)
    text = forms.CharField(
        label=_("Votre réponse"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


class SynthesisForm(forms.Form):
    agreements = forms.CharField(
        label=_("Points d'accord"),
        required=False,
        max_length=10_000,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    disagreements = forms.CharField(
        label=_("Points de désaccord"),
        required=False,
        max_length=10_000,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    open_questions = forms.CharField(
        label=_("Questions ouvertes"),
        required=False,
        max_length=10_000,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    close = forms.BooleanField(
        label=_("Clore le débat (plus de nouvelles contributions)"), required=False
    )
