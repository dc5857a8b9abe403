from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Rechercher"), max_length=200, required=False)
    type = forms.CharField(required=False, max_length=40)
    page = forms.IntegerField(required=False, min_value=1, max_value=1000)
