from __future__ import annotations

import re
from typing import Any

from django import forms
from django.db.models import Q
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from turbine.core.exceptions import TurbineError
from turbine.core.models import Theme
from turbine.funding.models import (
    Aid,
    AidType,
    AlertFrequency,
    ApplicationStatus,
    Beneficiary,
    ExpenseType,
    Funder,
    FundingKind,
    NoteVisibility,
    Perimeter,
    ProjectStage,
    Recurrence,
    Scale,
)
from turbine.funding.selectors import MAX_THEME_FILTERS, AidFilters, aid_lookup
from turbine.funding.services.applications import application_values_validate
from turbine.funding.services.catalogue import aid_values_validate, perimeter_search_name
from turbine.territory.selectors import agglomeration_list, commune_list, get_current_territory

FILTER_NAMES = (
    "commune",
    "beneficiary",
    "theme",
    "type",
    "open",
    "closing_within",
    "call_for_projects",
    "funder",
    "q",
)


class AidSearchForm(forms.Form):
    """The filters of ``/aides/``, its feeds and export, read from the query string."""

    q = forms.CharField(label=_("Mots recherchés"), required=False, max_length=200)
    commune = forms.CharField(
        label=_("Commune"),
        required=False,
        max_length=100,
        help_text=_(
            "Nom ou code INSEE : les aides de son EPCI, département, région, de la France "
            "et de l'Europe s'y ajoutent."
        ),
    )
    beneficiary = forms.ChoiceField(
        label=_("Bénéficiaire"),
        required=False,
        choices=[("", _("Tous"))] + [c for c in Beneficiary.choices if c[0] != "recherche"],
    )
    theme = forms.MultipleChoiceField(
        label=_("Thèmes"), required=False, widget=forms.CheckboxSelectMultiple
    )
    type = forms.ChoiceField(
        label=_("Type d'aide"), required=False, choices=[("", _("Tous"))] + AidType.choices
    )
    funder = forms.TypedChoiceField(
        label=_("Financeur"), required=False, coerce=int, empty_value=None
    )
    open = forms.BooleanField(label=_("Ouvertes aujourd'hui"), required=False)
    closing_within = forms.IntegerField(
        label=_("Clôture dans les … jours"), required=False, min_value=1, max_value=366
    )
    call_for_projects = forms.BooleanField(
        label=_("Appels à projets et AMI seulement"), required=False
    )

    def __init__(self, data: QueryDict | dict | None = None, **kwargs: Any) -> None:
        super().__init__(data, **kwargs)
        self.fields["theme"].choices = [(t.slug, t.name) for t in Theme.objects.all()]
        self.fields["funder"].choices = [("", _("Tous"))] + [
            (f.pk, f.name) for f in Funder.objects.order_by("name").only("pk", "name")
        ]
        self.commune_perimeter: Perimeter | None = None

    def clean_theme(self) -> list[str]:
        themes = list(dict.fromkeys(self.cleaned_data["theme"]))
        if len(themes) > MAX_THEME_FILTERS:
            raise forms.ValidationError(
                _("Choisissez au plus %(n)d thèmes.") % {"n": MAX_THEME_FILTERS}
            )
        return themes

    def clean_commune(self) -> str:
        value = " ".join(self.cleaned_data["commune"].split())
        if not value:
            return ""
        # "Béthune (62119)", as the page shows a commune it found, reads as its code.
        match = re.search(r"\((\w{5})\)$", value)
        if match:
            value = match.group(1)
        communes = Perimeter.objects.filter(scale=Scale.COMMUNE).select_related(
            "department", "epci"
        )
        if value.isdigit() or (len(value) == 5 and value[:2] in ("2A", "2B")):
            found = list(communes.filter(code=value.upper()))
        else:
            key = perimeter_search_name(value)
            found = list(communes.filter(search_name=key)[:20]) or list(
                communes.filter(search_name__startswith=key)[:20]
            )
        if not found:
            raise forms.ValidationError(
                _("Aucune commune française ne correspond à « %(v)s ».") % {"v": value}
            )
        if len(found) > 1:
            options = ", ".join(
                f"{p.code} ({p.department.name if p.department else ''})" for p in found[:10]
            )
            raise forms.ValidationError(
                _("Plusieurs communes s'appellent « %(v)s » : indiquez son code INSEE (%(o)s).")
                % {"v": value, "o": options}
            )
        self.commune_perimeter = found[0]
        return found[0].code

    def filters(self) -> AidFilters:
        """The filters of a valid form."""
        data = self.cleaned_data
        return AidFilters(
            commune=data.get("commune") or "",
            beneficiary=data.get("beneficiary") or "",
            themes=tuple(data.get("theme") or ()),
            type=data.get("type") or "",
            open=bool(data.get("open")),
            closing_within=data.get("closing_within"),
            call_for_projects=bool(data.get("call_for_projects")),
            funder=data.get("funder"),
            q=(data.get("q") or "").strip(),
        )


def filters_querystring(filters: AidFilters) -> str:
    """The canonical query string of a search (commune as its INSEE code)."""
    query = QueryDict(mutable=True)
    if filters.q:
        query["q"] = filters.q
    if filters.commune:
        query["commune"] = filters.commune
    if filters.beneficiary:
        query["beneficiary"] = filters.beneficiary
    if filters.themes:
        query.setlist("theme", list(filters.themes))
    if filters.type:
        query["type"] = filters.type
    if filters.funder:
        query["funder"] = str(filters.funder)
    if filters.open:
        query["open"] = "true"
    if filters.closing_within is not None:
        query["closing_within"] = str(filters.closing_within)
    if filters.call_for_projects:
        query["call_for_projects"] = "true"
    return query.urlencode()


class LocalNoteForm(forms.Form):
    text = forms.CharField(
        label=_("Note (Markdown)"), widget=forms.Textarea(attrs={"rows": 4}), max_length=5000
    )
    visibility = forms.ChoiceField(
        label=_("Visibilité"), choices=NoteVisibility.choices, initial=NoteVisibility.PUBLIC
    )


class AlertForm(forms.Form):
    email = forms.EmailField(label=_("Votre adresse électronique"))
    frequency = forms.ChoiceField(
        label=_("Fréquence"), choices=AlertFrequency.choices, initial=AlertFrequency.WEEKLY
    )
    query = forms.CharField(required=False, max_length=1000, widget=forms.HiddenInput)


class FollowForm(forms.Form):
    email = forms.EmailField(label=_("Votre adresse électronique"))


class PartnerSearchForm(forms.Form):
    organisation = forms.CharField(
        label=_("Votre structure (facultatif)"), max_length=200, required=False
    )
    looking_for = forms.CharField(
        label=_("Nous voulons répondre et cherchons des partenaires avec…"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


# --- A funder's management pages and the aids API -----------------------------------------

MAX_AMOUNT = 10**12  # euros: more is a typing mistake, and beyond what the columns hold
MAX_COMMUNES = 200


def broad_perimeter_choices() -> list[tuple[str, str]]:
    """The perimeters a funder of the territory ticks: the EU, France, the territory's
    regions, departments and agglomerations (communes are typed, there may be thousands)."""
    territory = get_current_territory()
    communes = commune_list(territory=territory)
    regions = set(communes.values_list("region", flat=True))
    departments = set(communes.values_list("department", flat=True))
    sirens = set(agglomeration_list(territory=territory).values_list("siren", flat=True))
    rows = Perimeter.objects.filter(
        Q(scale__in=[Scale.EU, Scale.COUNTRY])
        | Q(scale=Scale.REGION, code__in=regions)
        | Q(scale=Scale.DEPARTMENT, code__in=departments)
        | Q(scale=Scale.EPCI, code__in=sirens)
    ).order_by("-rank", "name")
    return [(f"{p.scale}:{p.code}", str(p)) for p in rows]


def _checkboxes(label: str, choices: Any) -> forms.MultipleChoiceField:
    return forms.MultipleChoiceField(
        label=label, choices=choices, required=False, widget=forms.CheckboxSelectMultiple
    )


def _date(label: str) -> forms.DateField:
    return forms.DateField(
        label=label, required=False, widget=forms.DateInput(attrs={"type": "date"})
    )


class AidManageForm(forms.Form):
    """An aid as its funder writes it, on ``/financeurs/<id>/gestion/`` and through
    ``POST/PATCH /api/v1/aids``: the same fields, and the catalogue's validation
    (``services.catalogue.aid_values_validate``) in ``clean``. ``values()`` gives what the
    services take."""

    title = forms.CharField(label=_("Titre"), max_length=300)
    short_description = forms.CharField(
        label=_("Description courte"), max_length=500, required=False
    )
    description = forms.CharField(
        label=_("Description (Markdown)"),
        max_length=50_000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
    )
    is_call_for_projects = forms.BooleanField(
        label=_("C'est un appel à projets ou un appel à manifestation d'intérêt"), required=False
    )
    types = _checkboxes(_("Types d'aide"), AidType.choices)
    beneficiaries = _checkboxes(_("Bénéficiaires"), Beneficiary.choices)
    themes = _checkboxes(_("Thèmes"), [])
    stages = _checkboxes(_("Étapes du projet"), ProjectStage.choices)
    expense_types = _checkboxes(_("Types de dépenses"), ExpenseType.choices)
    perimeters = _checkboxes(_("Périmètres"), [])
    communes = forms.CharField(
        label=_("Communes (facultatif)"),
        required=False,
        max_length=5000,
        help_text=_(
            "Codes INSEE ou noms, séparés par des virgules, pour une aide réservée à "
            "certaines communes (par exemple : 62498, Liévin)."
        ),
    )
    start_date = _date(_("Date d'ouverture"))
    predeposit_date = _date(_("Date de pré-dépôt"))
    deadline = _date(_("Date limite de dépôt"))
    recurrence = forms.ChoiceField(
        label=_("Récurrence"),
        choices=Recurrence.choices,
        initial=Recurrence.ONE_OFF,
        required=False,
    )
    subsidy_rate_min = forms.IntegerField(
        label=_("Taux minimal (%)"), required=False, min_value=0, max_value=100
    )
    subsidy_rate_max = forms.IntegerField(
        label=_("Taux maximal (%)"), required=False, min_value=0, max_value=100
    )
    amount_min = forms.IntegerField(
        label=_("Montant minimal (€)"), required=False, min_value=0, max_value=MAX_AMOUNT
    )
    amount_max = forms.IntegerField(
        label=_("Montant maximal (€)"), required=False, min_value=0, max_value=MAX_AMOUNT
    )
    amount_comment = forms.CharField(
        label=_("Précisions sur les montants"), max_length=500, required=False
    )
    eligibility = forms.CharField(
        label=_("Conditions d'éligibilité (Markdown)"),
        max_length=50_000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    origin_url = forms.URLField(
        label=_("Page de l'aide chez vous"), max_length=500, required=False, assume_scheme="https"
    )
    application_url = forms.URLField(
        label=_("Adresse pour candidater"), max_length=500, required=False, assume_scheme="https"
    )
    contact = forms.CharField(
        label=_("Contact"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["themes"].choices = [(t.slug, t.name) for t in Theme.objects.all()]
        self.fields["perimeters"].choices = broad_perimeter_choices()
        self.perimeter_ids: list[int] = []

    @staticmethod
    def initial_for(aid: Aid) -> dict[str, Any]:
        """The form's values for an existing aid (its edit page, and the base of a PATCH)."""
        data: dict[str, Any] = {
            name: getattr(aid, name)
            for name in (
                "title", "short_description", "description", "is_call_for_projects",
                "start_date", "predeposit_date", "deadline", "recurrence", "subsidy_rate_min",
                "subsidy_rate_max", "amount_min", "amount_max", "amount_comment", "eligibility",
                "origin_url", "application_url", "contact",
            )
        }  # fmt: skip
        for name in ("types", "beneficiaries", "stages", "expense_types"):
            data[name] = getattr(aid, name).split()
        data["themes"] = [t.slug for t in aid.themes.all()]
        perimeters = list(aid.perimeters.all())
        data["perimeters"] = [f"{p.scale}:{p.code}" for p in perimeters if p.scale != Scale.COMMUNE]
        data["communes"] = ", ".join(p.code for p in perimeters if p.scale == Scale.COMMUNE)
        return data

    def clean_recurrence(self) -> str:
        return self.cleaned_data["recurrence"] or Recurrence.ONE_OFF

    def clean_communes(self) -> list[int]:
        tokens = [t.strip() for t in self.cleaned_data["communes"].split(",") if t.strip()]
        if len(tokens) > MAX_COMMUNES:
            raise forms.ValidationError(_("Indiquez au plus %(n)d communes.") % {"n": MAX_COMMUNES})
        ids: list[int] = []
        communes = Perimeter.objects.filter(scale=Scale.COMMUNE)
        for token in tokens:
            if token.isdigit() or (len(token) == 5 and token[:2].upper() in ("2A", "2B")):
                found = list(communes.filter(code=token.upper())[:2])
            else:
                found = list(communes.filter(search_name=perimeter_search_name(token))[:10])
            if not found:
                raise forms.ValidationError(
                    _("Aucune commune française ne correspond à « %(v)s ».") % {"v": token}
                )
            if len(found) > 1:
                raise forms.ValidationError(
                    _("Plusieurs communes s'appellent « %(v)s » : indiquez son code INSEE (%(o)s).")
                    % {"v": token, "o": ", ".join(p.code for p in found)}
                )
            ids.append(found[0].pk)
        return ids

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if self.errors:
            return data
        keys = [tuple(v.split(":", 1)) for v in data.get("perimeters") or ()]
        query = Q(pk__in=[])
        for scale, code in keys:
            query |= Q(scale=scale, code=code)
        broad = list(Perimeter.objects.filter(query).values_list("pk", flat=True))
        self.perimeter_ids = list(dict.fromkeys(broad + list(data.get("communes") or ())))
        try:
            aid_values_validate(self.values())
        except TurbineError as exc:
            self.add_error(exc.field if exc.field in self.fields else None, exc.message)
        return data

    def values(self) -> dict[str, Any]:
        """What ``services.management`` takes (a valid form)."""
        data = {k: v for k, v in self.cleaned_data.items() if k not in ("communes",)}
        data["perimeters"] = self.perimeter_ids
        return data


class ManagedNoteForm(forms.Form):
    text = forms.CharField(
        label=_("Note locale (Markdown)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=5000,
        help_text=_("Ce que cette aide veut dire sur le territoire : elle paraît sur sa page."),
    )


class ApplicationForm(forms.Form):
    """A project's application for an aid (its page under the project, and the API)."""

    aid = forms.CharField(
        label=_("Aide ou appel à projets"),
        max_length=300,
        help_text=_("Son numéro dans le catalogue (par exemple 12) ou son titre."),
    )
    status = forms.ChoiceField(
        label=_("Où en est la candidature"), choices=ApplicationStatus.choices
    )
    amount_asked = forms.DecimalField(
        label=_("Montant demandé (€)"),
        required=False,
        min_value=0,
        max_value=MAX_AMOUNT,
        max_digits=14,
        decimal_places=2,
    )
    amount_obtained = forms.DecimalField(
        label=_("Montant obtenu (€)"),
        required=False,
        min_value=0,
        max_value=MAX_AMOUNT,
        max_digits=14,
        decimal_places=2,
    )
    applied_on = _date(_("Date de dépôt"))
    decided_on = _date(_("Date de la réponse"))

    def __init__(self, *args: Any, fixed_aid: Aid | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fixed_aid = fixed_aid
        if fixed_aid is not None:
            del self.fields["aid"]
        self.aid_suggestions: list[Aid] = []

    def clean_aid(self) -> Aid:
        text = self.cleaned_data["aid"].strip()
        found = aid_lookup(text=text)
        if found.aid is None:
            self.aid_suggestions = list(found.candidates)
            raise forms.ValidationError(
                _("Aucune aide du catalogue ne correspond à « %(v)s » : indiquez son numéro.")
                % {"v": text}
                if not found.candidates
                else _("Plusieurs aides correspondent à « %(v)s » : choisissez-en une ci-dessous.")
                % {"v": text}
            )
        return found.aid

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if self.fixed_aid is not None:
            data["aid"] = self.fixed_aid
        if not self.errors:
            try:
                application_values_validate(data)
            except TurbineError as exc:
                self.add_error(exc.field if exc.field in self.fields else None, exc.message)
        return data


def aid_reference(aid: Any) -> str:
    """How a funding row's aid shows in its text input (and is read back by ``aid_lookup``)."""
    return f"{aid.pk} — {aid.title}" if aid is not None else ""


class FundingForm(forms.Form):
    source = forms.CharField(label=_("Source"), max_length=200, required=False)
    aid = forms.CharField(
        label=_("Aide du catalogue (facultatif)"),
        max_length=400,
        required=False,
        help_text=_(
            "Le numéro de l'aide (il figure dans l'adresse de sa page : /aides/123/) ou son "
            "titre exact. Sans source indiquée, le titre de l'aide sert de source."
        ),
    )
    kind = forms.ChoiceField(label=_("Nature"), choices=FundingKind.choices, required=False)
    amount = forms.DecimalField(
        label=_("Montant obtenu (€)"), min_value=0, max_digits=14, decimal_places=2, required=False
    )

    def clean_aid(self) -> Any:
        text = self.cleaned_data.get("aid") or ""
        if not text.strip():
            return None
        found = aid_lookup(text=text)
        if found.aid is not None:
            return found.aid
        if found.candidates:
            choices = " ; ".join(f"n° {a.pk} « {a.title} »" for a in found.candidates)
            raise forms.ValidationError(
                _("Plusieurs aides peuvent correspondre, indiquez son numéro : %(choices)s."),
                params={"choices": choices},
            )
        raise forms.ValidationError(
            _(
                "Aucune aide publiée du catalogue ne correspond. Indiquez le numéro de l'aide "
                "(cherchez-la sur la page Aides) ou laissez ce champ vide."
            )
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        named = data.get("source") or data.get("aid")
        if named and data.get("amount") is None:
            self.add_error("amount", _("Indiquez le montant obtenu."))
        if data.get("amount") is not None and not named and "aid" not in self.errors:
            self.add_error("source", _("Indiquez la source."))
        return data


FundingFormSet = forms.formset_factory(FundingForm, extra=2, max_num=30)


class ProjectFundingsForm(forms.Form):
    """A project's funding rows on its edit page, as one form of ``core.form_extensions``: it
    holds the rows' formset (prefix ``financements``, as the page always posted them) and is
    valid when every row is; a refusal of the save lands in its non-field errors."""

    def __init__(
        self, data: Any | None, *, prefix: str, initial_rows: list[dict[str, Any]]
    ) -> None:
        super().__init__(data, prefix=prefix)
        self.formset = FundingFormSet(data, prefix="financements", initial=initial_rows)

    def is_valid(self) -> bool:
        rows_valid = self.formset.is_valid()  # validated first, so that its errors show too
        return super().is_valid() and rows_valid

    def rows(self) -> list[dict[str, Any]]:
        """The filled rows (a row with neither source nor aid is an empty line)."""
        return [f for f in self.formset.cleaned_data if f.get("source") or f.get("aid")]
