from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from turbine.core.models import Theme
from turbine.territory.models import Commune
from turbine.territory.selectors import (
    agglomeration_list,
    commune_list,
    commune_search_key,
    get_current_territory,
)


def fill_territory_filter_choices(form: forms.Form) -> None:
    """Fill the choices of a list form's ``theme``, ``agglomeration`` and ``commune`` filter
    fields (those it declares), each with an empty "all" choice first: one query per field."""
    territory = get_current_territory()
    if "theme" in form.fields:
        form.fields["theme"].choices = [("", _("Tous"))] + [
            (t.slug, t.name) for t in Theme.objects.order_by("position", "name")
        ]
    if "agglomeration" in form.fields:
        form.fields["agglomeration"].choices = [("", _("Toutes"))] + [
            (a.siren, a.name) for a in agglomeration_list(territory=territory)
        ]
    if "commune" in form.fields:
        form.fields["commune"].choices = [("", _("Toutes"))] + [
            (c.code, c.name) for c in commune_list(territory=territory)
        ]


def commune_label(commune: Commune) -> str:
    """A commune as pickers show it: its name, with its (first) postal code, « Lens (62300) »."""
    return f"{commune.name} ({commune.postal_codes[0]})" if commune.postal_codes else commune.name


class CommuneChoiceField(forms.ModelChoiceField):
    """One commune, in a list sorted as French sorts (Éleu among the E), shown with its postal
    code."""

    def __init__(self, *, queryset: QuerySet[Commune] | None = None, **kwargs: Any) -> None:
        super().__init__(
            queryset=queryset if queryset is not None else Commune.objects.none(), **kwargs
        )

    def _set_queryset(self, queryset: QuerySet[Commune] | None) -> None:
        super()._set_queryset(
            queryset.order_by("search_key", "code") if queryset is not None else None
        )

    queryset = property(forms.ModelChoiceField._get_queryset, _set_queryset)

    def label_from_instance(self, obj: Commune) -> str:
        return commune_label(obj)


class CommunesInput(forms.TextInput):
    """A text field where communes are typed, separated by commas, with their names offered
    as the person types: a ``<datalist>`` without JavaScript, an accessible combobox for each
    name of the list with it (``core/js/turbine.js``, ``data-multi-autocomplete``)."""

    template_name = "territory/widgets/communes_input.html"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(
            {
                "autocomplete": "off",
                "data-multi-autocomplete": "",
                "data-no-match": _("Aucune commune ne correspond."),
                **(attrs or {}),
            }
        )
        self.labels: list[str] = []

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        context["widget"]["labels"] = self.labels
        context["widget"]["attrs"]["list"] = f"{context['widget']['attrs']['id']}-liste"
        return context


class CommunesField(forms.Field):
    """Several communes of a queryset, typed by name, « name (postal code) », postal code or
    INSEE code, separated by commas; cleans to the list of communes, in the order typed."""

    widget = CommunesInput
    default_error_messages = {
        "unknown": _("« %(value)s » n'est pas une commune du territoire."),
        "ambiguous": _("Plusieurs communes ont le code postal %(value)s : écrivez leur nom."),
        "too_many": _("Indiquez %(max)s communes au plus."),
    }
    MAX_COMMUNES = 200

    def __init__(self, *, queryset: QuerySet[Commune] | None = None, **kwargs: Any) -> None:
        kwargs.setdefault(
            "help_text",
            _("Tapez le début d'un nom puis choisissez ; séparez les communes par des virgules."),
        )
        super().__init__(**kwargs)
        self.queryset = queryset if queryset is not None else Commune.objects.none()

    @property
    def queryset(self) -> QuerySet[Commune]:
        return self._queryset

    @queryset.setter
    def queryset(self, queryset: QuerySet[Commune]) -> None:
        self._queryset = queryset
        self._communes: list[Commune] | None = None
        self.widget.labels = LazyLabels(self)

    def __deepcopy__(self, memo: dict[int, Any]) -> CommunesField:
        result = super().__deepcopy__(memo)
        result.queryset = self._queryset
        return result

    def communes(self) -> list[Commune]:
        if self._communes is None:
            self._communes = list(self._queryset.order_by("search_key", "code"))
        return self._communes

    def prepare_value(self, value: Any) -> str:
        if value is None or isinstance(value, str):
            return value or ""
        return ", ".join(commune_label(c) for c in value)

    def to_python(self, value: Any) -> list[Commune]:
        if not value:
            return []
        tokens = [" ".join(t.split()) for t in re.split(r"[,;\n]", str(value))]
        tokens = [t for t in tokens if t]
        if len(tokens) > self.MAX_COMMUNES:
            raise forms.ValidationError(
                self.error_messages["too_many"], code="too_many", params={"max": self.MAX_COMMUNES}
            )
        # Looked up in this order: INSEE code, name (alone or with its postal code), postal code.
        by_code: dict[str, list[Commune]] = {}
        by_name: dict[str, list[Commune]] = {}
        by_postal: dict[str, list[Commune]] = {}
        for commune in self.communes():
            by_code[commune.code] = [commune]
            for key in {
                commune_search_key(commune.name),
                commune_search_key(commune_label(commune)),
            }:
                by_name.setdefault(key, []).append(commune)
            for postal in commune.postal_codes:
                by_postal.setdefault(postal, []).append(commune)
        chosen: list[Commune] = []
        errors: list[forms.ValidationError] = []
        for token in tokens[: self.MAX_COMMUNES]:
            found = (
                by_code.get(token.upper())
                or by_name.get(commune_search_key(token))
                or by_postal.get(token)
                or []
            )
            if len(found) > 1:
                errors.append(
                    forms.ValidationError(
                        self.error_messages["ambiguous"], code="ambiguous", params={"value": token}
                    )
                )
            elif not found:
                errors.append(
                    forms.ValidationError(
                        self.error_messages["unknown"], code="unknown", params={"value": token[:80]}
                    )
                )
            elif found[0] not in chosen:
                chosen.append(found[0])
        if errors:
            raise forms.ValidationError(errors)
        return chosen

    def has_changed(self, initial: Any, data: Any) -> bool:
        return self.prepare_value(initial) != (data or "")


class LazyLabels:
    """The labels of a field's communes, read from the database only when a page shows them."""

    def __init__(self, field: CommunesField) -> None:
        self.field = field

    def __iter__(self) -> Iterator[str]:
        return iter([commune_label(c) for c in self.field.communes()])
