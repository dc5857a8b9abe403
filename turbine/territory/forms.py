from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from turbine.core.models import Theme
from turbine.territory.selectors import agglomeration_list, commune_list, get_current_territory


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
