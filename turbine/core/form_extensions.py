"""Forms that an upper app adds to a lower app's form, saved in the same transaction.

Joining the Turbine as an organisation asks for adherence to the charter: the directory's
creation form cannot import the label app, so the label registers an extension of the form
``"organisation_create"`` in its ``ready()``. The lower app's view calls ``extend`` (each
extension gives a small form of its own, prefixed by its key, or nothing to ask), validates
them with ``all_valid`` beside its own form, renders each one's template inside its ``<form>``
and, inside the transaction that saves the object, calls ``save``: an extension refuses with a
``TurbineError``, shown on its own form, which rolls the whole creation back.

The same goes for an edit page (``instance`` is the object edited, for the extension's initial
values) and for the lower app's API: a field of its JSON body that an upper app owns (a
project's ``fundings``, owned by the funding app) is handed, inside the same transaction, to
the extension's ``save_data`` by ``save_data``; the API keeps declaring the field's shape, so
its OpenAPI schema stays whole.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from django import forms

from turbine.core.exceptions import TurbineError

# (user, data, prefix, instance edited or None) -> the extension's form (bound when ``data``
# is given), or None when there is nothing to ask this person (no charter published yet...).
FormFactory = Callable[[Any, Mapping[str, Any] | None, str, Any], forms.Form | None]
# (user, saved object, valid form): runs inside the transaction; raises TurbineError to refuse.
Saver = Callable[[Any, Any, forms.Form], None]
# (user, saved object, the API field's value): the same, for the lower app's API.
DataSaver = Callable[[Any, Any, Any], None]


@dataclass(frozen=True)
class Extension:
    key: str
    form: FormFactory
    template_name: str  # renders ``form`` (a fieldset, inside the lower app's <form>)
    save: Saver
    save_data: DataSaver | None = None  # when the lower app's API has a field ``key``


@dataclass(frozen=True)
class BoundExtension:
    extension: Extension
    form: forms.Form

    @property
    def template_name(self) -> str:
        return self.extension.template_name


class ExtensionRefused(TurbineError):
    """An extension refused the save; its message is already on the extension's form."""


_extensions: dict[str, dict[str, Extension]] = {}


def register(form_name: str, extension: Extension) -> None:
    """Register (or replace, when ``ready()`` runs again) an extension of ``form_name``."""
    _extensions.setdefault(form_name, {})[extension.key] = extension


def extend(
    form_name: str, *, user: Any, data: Mapping[str, Any] | None = None, instance: Any = None
) -> list[BoundExtension]:
    """The extensions' forms for this person, bound to ``data`` when given; ``instance`` is the
    object edited (None on a creation)."""
    bound = []
    for extension in _extensions.get(form_name, {}).values():
        form = extension.form(user, data, extension.key, instance)
        if form is not None:
            bound.append(BoundExtension(extension, form))
    return bound


def all_valid(extensions: list[BoundExtension]) -> bool:
    """Whether every extension's form is valid (each one validated, so all show their errors)."""
    return all([bound.form.is_valid() for bound in extensions])  # noqa: C419 - validate all


def save(extensions: list[BoundExtension], *, user: Any, obj: Any) -> None:
    """Run the extensions' saves for ``obj``, just saved; must be called inside the transaction
    that saved it, so that a refusal (``ExtensionRefused``) rolls everything back."""
    for bound in extensions:
        try:
            bound.extension.save(user, obj, bound.form)
        except TurbineError as error:
            field = error.field if error.field in bound.form.fields else None
            bound.form.add_error(field, error.message)
            raise ExtensionRefused(error.message, field=error.field) from error


def save_data(form_name: str, *, user: Any, obj: Any, values: Mapping[str, Any]) -> None:
    """Hand each API field in ``values`` (by extension key) to its extension's ``save_data``,
    for ``obj`` just saved; must be called inside the transaction that saved it, so that a
    refusal (the extension's ``TurbineError``, raised as is) rolls everything back. A key no
    extension owns is a programming error (the API declared a field nobody saves)."""
    extensions = _extensions.get(form_name, {})
    for key, value in values.items():
        saver = extensions[key].save_data if key in extensions else None
        if saver is None:
            raise LookupError(f"no extension of {form_name!r} saves the API field {key!r}")
        saver(user, obj, value)
