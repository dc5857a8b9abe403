"""Forms of the participatory budget: they parse and validate input; services decide."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.core.validators import MinValueValidator
from django.utils.translation import gettext_lazy as _

from turbine.budget.models import BallotType, Campaign, Proposal, ProposalStatus, Rule, VoterCheck
from turbine.core.models import Theme
from turbine.territory.forms import CommuneChoiceField
from turbine.territory.models import Agglomeration, Commune

MAX_LIST_CHARS = 10 * 1024 * 1024


class ProposalFilterForm(forms.Form):
    statut = forms.ChoiceField(
        label="Statut", required=False, choices=[("", "Tous")] + list(ProposalStatus.choices)
    )
    theme = forms.ChoiceField(label="Thème", required=False)
    agglomeration = forms.ChoiceField(label="Agglomération", required=False)
    page = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)

    def __init__(self, *args: Any, campaign: Campaign, themes: list[Theme], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["theme"].choices = [("", "Tous")] + [(t.slug, t.name) for t in themes]
        agglomerations = sorted(
            {a.siren: a.name for a in campaign.territory.agglomerations.all()}.items(),
            key=lambda kv: kv[1],
        )
        self.fields["agglomeration"].choices = [("", "Toutes")] + agglomerations


class ProposalForm(forms.Form):
    title = forms.CharField(label="Titre de votre idée", max_length=160)
    description = forms.CharField(
        label="Description",
        max_length=10_000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text="Ce que vous proposez, pour qui, et pourquoi. Mise en forme Markdown acceptée.",
    )
    commune = CommuneChoiceField(
        label="Commune",
        queryset=Commune.objects.none(),
        required=False,
        empty_label="Tout le territoire",
    )
    place = forms.CharField(
        label="Lieu précis",
        max_length=200,
        required=False,
        help_text="Facultatif : rue, quartier, parc…",
    )
    themes = forms.ModelMultipleChoiceField(
        label="Thèmes",
        queryset=Theme.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    estimated_cost = forms.DecimalField(
        label="Coût estimé (€)",
        min_value=Decimal(1),
        max_digits=14,
        decimal_places=2,
        help_text="Une estimation suffit : l'équipe la vérifie pendant l'étude de faisabilité.",
    )

    def __init__(self, *args: Any, campaign: Campaign, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["image"] = forms.FileField(
            label="Image (facultatif)",
            required=False,
            widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
            help_text="Photo ou croquis : JPEG, PNG ou WebP, 5 Mo au plus.",
        )
        self.fields["image_alt"] = forms.CharField(
            label="Description de l'image",
            required=False,
            max_length=200,
            help_text="Une phrase qui dit ce que montre l'image, pour qui ne la voit pas.",
        )
        self.fields["commune"].queryset = Commune.objects.filter(
            agglomeration__territory=campaign.territory
        )
        self.fields["themes"].queryset = Theme.objects.order_by("position", "name")


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(
        label="Décision",
        widget=forms.RadioSelect,
        choices=[
            (ProposalStatus.ADMISSIBLE, "Recevable : soumise au vote"),
            (ProposalStatus.INADMISSIBLE, "Non recevable"),
            (ProposalStatus.MERGED, "Fusionner avec une proposition proche"),
        ],
    )
    public_reason = forms.CharField(
        label="Motif public",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Affiché sur la page de la proposition ; obligatoire si non recevable.",
    )
    revised_cost = forms.DecimalField(
        label="Coût révisé (€)",
        required=False,
        max_digits=14,
        decimal_places=2,
        validators=[MinValueValidator(Decimal(1))],
        help_text="Laissez vide pour garder le coût estimé par l'auteur.",
    )
    merge_into = forms.TypedChoiceField(
        label="Fusionner avec", required=False, coerce=int, empty_value=None
    )

    def __init__(
        self, *args: Any, proposal: Proposal, candidates: list[Proposal], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["merge_into"].choices = [("", "—")] + [
            (p.pk, p.title) for p in candidates if p.pk != proposal.pk
        ]


class VoteForm(forms.Form):
    """The ballot. Approval and knapsack: checkboxes ``projets``; cumulative: one number field
    ``points-<id>`` per project (built by the view from the votable proposals)."""

    age_declared = forms.BooleanField(label="", required=False)

    def __init__(
        self, *args: Any, campaign: Campaign, proposals: list[Proposal], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.campaign = campaign
        self.proposals = proposals
        self.fields[
            "age_declared"
        ].label = f"Je déclare avoir au moins {campaign.min_age} ans et résider sur le territoire."
        if campaign.ballot_type == "cumulative":
            for p in proposals:
                self.fields[f"points-{p.pk}"] = forms.IntegerField(
                    label=p.title, min_value=0, max_value=campaign.cumulative_points, required=False
                )
        else:
            self.fields["projets"] = forms.TypedMultipleChoiceField(
                label="Projets",
                required=False,
                coerce=int,
                choices=[(p.pk, p.title) for p in proposals],
                widget=forms.CheckboxSelectMultiple,
            )

    def choices(self) -> list[int] | dict[str, int]:
        data = self.cleaned_data
        if self.campaign.ballot_type == "cumulative":
            return {str(p.pk): data.get(f"points-{p.pk}") or 0 for p in self.proposals}
        return list(data.get("projets") or [])


class ProgressForm(forms.Form):
    status = forms.ChoiceField(
        label="Avancement",
        widget=forms.RadioSelect,
        choices=[
            (ProposalStatus.IN_PROGRESS, "En cours de réalisation"),
            (ProposalStatus.DONE, "Réalisé"),
        ],
    )
    note = forms.CharField(
        label="Point d'avancement public",
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Affiché sur la page du projet : travaux, calendrier, inauguration…",
    )


DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class CampaignForm(forms.Form):
    """A campaign's settings and dated phases (the staff page); ``campaign_validate`` checks
    the order of the dates, the bounds and the envelopes."""

    slug = forms.CharField(
        label="Identifiant (adresse de la campagne)",
        max_length=80,
        help_text="Minuscules, chiffres et tirets, par exemple « bp-2027 ». Il ne change plus.",
    )
    title = forms.CharField(label="Titre", max_length=200)
    year = forms.IntegerField(label="Année", min_value=1901, max_value=2999)
    description = forms.CharField(
        label="Présentation",
        required=False,
        max_length=20_000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="Mise en forme Markdown acceptée.",
    )
    total_budget = forms.DecimalField(
        label="Budget total (€)", min_value=Decimal(1), max_digits=14, decimal_places=2
    )
    min_age = forms.IntegerField(label="Âge minimum pour voter", min_value=0, max_value=120)
    ballot_type = forms.ChoiceField(
        label="Type de bulletin", choices=BallotType.choices, widget=forms.RadioSelect
    )
    approval_min = forms.IntegerField(
        label="Nombre minimum de projets choisis (approbation)", min_value=1, max_value=32_767
    )
    approval_max = forms.IntegerField(
        label="Nombre maximum de projets choisis (approbation)", min_value=1, max_value=32_767
    )
    cumulative_points = forms.IntegerField(
        label="Points à répartir (cumulatif)", min_value=1, max_value=32_767
    )
    rule = forms.ChoiceField(
        label="Règle de décision des lauréats", choices=Rule.choices, widget=forms.RadioSelect
    )
    submission_start = forms.DateField(label="Début du dépôt des idées", widget=DATE_WIDGET)
    submission_end = forms.DateField(label="Fin du dépôt des idées", widget=DATE_WIDGET)
    feasibility_end = forms.DateField(
        label="Fin de l'étude de faisabilité",
        widget=DATE_WIDGET,
        help_text="Au plus tard la veille de l'ouverture du vote.",
    )
    vote_start = forms.DateField(label="Ouverture du vote", widget=DATE_WIDGET)
    vote_end = forms.DateField(label="Clôture du vote", widget=DATE_WIDGET)
    results_date = forms.DateField(
        label="Publication des résultats",
        widget=DATE_WIDGET,
        help_text="Au plus tôt le lendemain de la clôture du vote.",
    )
    realisation_date = forms.DateField(label="Début de la réalisation", widget=DATE_WIDGET)

    DATE_FIELDS = (
        "submission_start",
        "submission_end",
        "feasibility_end",
        "vote_start",
        "vote_end",
        "results_date",
        "realisation_date",
    )

    def __init__(self, *args: Any, editing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if editing:
            del self.fields["slug"]

    @classmethod
    def initial_from(cls, campaign: Campaign) -> dict[str, Any]:
        fields = [
            "title",
            "year",
            "description",
            "total_budget",
            "min_age",
            "ballot_type",
            "approval_min",
            "approval_max",
            "cumulative_points",
            "rule",
            *cls.DATE_FIELDS,
        ]
        return {f: getattr(campaign, f) for f in fields}

    def dates(self) -> list[Any]:
        return [self.cleaned_data.get(f) for f in self.DATE_FIELDS]


class EnvelopeForm(forms.Form):
    envelope_id = forms.IntegerField(required=False, widget=forms.HiddenInput)
    name = forms.CharField(label="Nom de l'enveloppe", max_length=120, required=False)
    budget = forms.DecimalField(
        label="Montant (€)", required=False, min_value=Decimal(1), max_digits=14, decimal_places=2
    )
    agglomeration = forms.ModelChoiceField(
        label="Réservée à l'agglomération",
        queryset=Agglomeration.objects.none(),
        required=False,
        empty_label="Tout le territoire",
    )
    min_cost = forms.DecimalField(
        label="Coût minimum d'un projet (€)",
        required=False,
        min_value=Decimal(0),
        max_digits=14,
        decimal_places=2,
    )
    max_cost = forms.DecimalField(
        label="Coût maximum d'un projet (€)",
        required=False,
        min_value=Decimal(0),
        max_digits=14,
        decimal_places=2,
    )
    delete = forms.BooleanField(label="Supprimer cette enveloppe", required=False)

    def __init__(self, *args: Any, agglomerations: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if agglomerations is not None:
            self.fields["agglomeration"].queryset = agglomerations

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("delete"):
            return data
        if data.get("name") and data.get("budget") is None:
            self.add_error("budget", "Indiquez le montant de l'enveloppe.")
        if data.get("budget") is not None and not data.get("name"):
            self.add_error("name", "Indiquez le nom de l'enveloppe.")
        return data


EnvelopeFormSet = forms.formset_factory(EnvelopeForm, extra=2, max_num=20, absolute_max=20)


class VoterCodeForm(forms.Form):
    code = forms.CharField(
        label=_("Code reçu par courriel"),
        max_length=40,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "spellcheck": "false", "size": 14}
        ),
    )


class VoterCheckForm(forms.Form):
    voter_check = forms.ChoiceField(
        label=_("Contrôle des votants"), choices=VoterCheck.choices, widget=forms.RadioSelect
    )


class VoterListForm(forms.Form):
    fichier = forms.FileField(
        label=_("Fichier CSV des adresses"),
        required=False,
        help_text=_(
            "Une adresse par ligne, ou une colonne intitulée « courriel », « email » ou "
            "« adresse » ; séparateur virgule ou point-virgule, encodage UTF-8. Chaque nouvelle "
            "adresse reçoit aussitôt son code par courriel."
        ),
    )
    adresses = forms.CharField(
        label=_("Ou collez les adresses, une par ligne"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=MAX_LIST_CHARS,
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        upload = data.get("fichier")
        if upload is not None:
            if upload.size > MAX_LIST_CHARS:
                raise forms.ValidationError(_("Le fichier dépasse 10 Mo."))
            try:
                data["text"] = upload.read().decode("utf-8-sig")
            except UnicodeDecodeError:
                raise forms.ValidationError(
                    _("Le fichier n'est pas en UTF-8 : enregistrez-le en « CSV UTF-8 ».")
                ) from None
        else:
            data["text"] = data.get("adresses") or ""
        if not data["text"].strip():
            raise forms.ValidationError(_("Choisissez un fichier ou collez des adresses."))
        return data
