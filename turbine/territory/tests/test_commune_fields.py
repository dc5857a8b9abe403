"""The communes' fields: typed names, French order, one way of showing a commune."""

from __future__ import annotations

import pytest
from django import forms

from turbine.territory.forms import CommuneChoiceField, CommunesField, commune_label
from turbine.territory.models import Commune

pytestmark = pytest.mark.django_db


class _Form(forms.Form):
    communes = CommunesField(label="Communes", queryset=Commune.objects.all())


def _clean(value: str) -> tuple[list[str], dict]:
    form = _Form({"communes": value})
    valid = form.is_valid()
    return ([c.name for c in form.cleaned_data["communes"]] if valid else []), form.errors


def test_names_are_read_whatever_their_accents_case_and_spacing(territory):
    names, errors = _clean("  béthune ,LENS (62300);  eleu dit leauwette\n62498, Lens")
    assert not errors
    assert names == ["Béthune", "Lens", "Éleu-dit-Leauwette"]  # in the order typed, once each


def test_a_postal_code_shared_by_communes_or_an_unknown_name_is_refused_in_french(territory):
    names, errors = _clean("Atlantis, Lens")
    assert names == [] and "« Atlantis » n'est pas une commune du territoire." in errors["communes"]
    _, errors = _clean("62300")
    assert errors["communes"] == ["Plusieurs communes ont le code postal 62300 : écrivez leur nom."]


def test_it_refuses_a_thousand_names_and_a_nul_byte_without_a_500(territory):
    _, errors = _clean(", ".join(["Lens"] * 1000))
    assert errors["communes"] == ["Indiquez 200 communes au plus."]
    _, errors = _clean("Lens\x00")
    assert errors


def test_the_field_shows_communes_with_their_postal_code_and_offers_them_in_french_order(territory):
    form = _Form(initial={"communes": list(Commune.objects.filter(code__in=["62498", "62119"]))})
    html = str(form["communes"])
    assert 'value="Béthune (62400), Lens (62300)"' in html
    labels = list(form.fields["communes"].widget.labels)
    assert labels.index("Éleu-dit-Leauwette (62300)") < labels.index("Estevelles (62880)")
    assert "data-multi-autocomplete" in html and "<datalist" in html


def test_the_single_commune_choice_is_in_french_order_with_postal_codes(territory):
    field = CommuneChoiceField(queryset=Commune.objects.all())
    names = [label for _, label in list(field.choices)[1:]]
    assert names.index("Éleu-dit-Leauwette (62300)") < names.index("Estevelles (62880)")
    assert commune_label(Commune.objects.get(code="62498")) == "Lens (62300)"
