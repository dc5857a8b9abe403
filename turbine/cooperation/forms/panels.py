"""Forms of citizen panels and their reviews."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from turbine.cooperation.models import Algorithm, Rating
from turbine.projects.models import Project

MAX_UPLOAD = 5_000_000


class PanelForm(forms.Form):
    title = forms.CharField(label=_("Titre du panel"), max_length=200)
    purpose = forms.CharField(
        label=_("Mission du panel"),
        max_length=10_000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Ce que le panel examine et ce qu'on attend de lui. Markdown accepté."),
    )
    size = forms.IntegerField(label=_("Nombre de membres"), min_value=2, max_value=1000)
    duration = forms.CharField(
        label=_("Durée des travaux"),
        max_length=200,
        help_text=_("Par exemple : « 6 mois, une séance par mois »"),
    )
    questions = forms.CharField(
        label=_("Questions soumises au panel"),
        required=False,
        max_length=10_000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    projects = forms.ModelMultipleChoiceField(
        label=_("Projets examinés"),
        required=False,
        queryset=Project.objects.filter(visibility="public", is_hidden=False).order_by("title"),
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )


def volunteer_form(categories: dict[str, list[str]]) -> type[forms.Form]:
    """The registration form: one question per category of the panel's quotas, and consents."""
    fields: dict[str, forms.Field] = {}
    for index, (category, values) in enumerate(categories.items()):
        fields[f"feature_{index}"] = forms.ChoiceField(
            label=category,
            choices=[("", _("— Choisissez —")), *[(v, v) for v in values]],
        )
    fields["consent_draw"] = forms.BooleanField(
        label=_(
            "J'accepte que ces réponses servent au tirage au sort, et à lui seul (elles ne sont "
            "montrées à personne, seulement comptées)."
        ),
    )
    fields["consent_contact"] = forms.BooleanField(
        label=_("J'accepte d'être contacté·e par courriel si je suis tiré·e au sort."),
    )
    fields["consent_name"] = forms.BooleanField(
        label=_("Si je suis tiré·e au sort et que j'accepte, mon nom peut être publié."),
        required=False,
    )
    form = type("VolunteerForm", (forms.Form,), fields)
    form.category_names = list(categories)  # type: ignore[attr-defined]
    return form


class QuotaBoundsForm(forms.Form):
    """Min and max for each existing value, named ``min_<id>`` / ``max_<id>``."""

    def __init__(self, *args: object, quotas: list, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.quotas = quotas
        for quota in quotas:
            self.fields[f"min_{quota.pk}"] = forms.IntegerField(
                label=_("Minimum"), min_value=0, max_value=10_000, initial=quota.min
            )
            self.fields[f"max_{quota.pk}"] = forms.IntegerField(
                label=_("Maximum"), min_value=0, max_value=10_000, initial=quota.max
            )

    def rows(self) -> list[tuple[str, str, int, int]]:
        return [
            (
                q.category,
                q.feature,
                self.cleaned_data[f"min_{q.pk}"],
                self.cleaned_data[f"max_{q.pk}"],
            )
            for q in self.quotas
        ]


class CsvForm(forms.Form):
    file = forms.FileField(label=_("Fichier CSV (UTF-8)"))

    def clean_file(self) -> str:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD:
            raise forms.ValidationError(_("Le fichier dépasse 5 Mo."))
        try:
            return upload.read().decode("utf-8-sig")
        except UnicodeDecodeError:
            raise forms.ValidationError(_("Le fichier n'est pas en UTF-8.")) from None


class DrawStartForm(forms.Form):
    algorithm = forms.ChoiceField(
        label=_("Méthode"), choices=Algorithm.choices, initial=Algorithm.LEXIMIN
    )


class SeedForm(forms.Form):
    seed = forms.CharField(
        label=_("Graine tirée en public"),
        max_length=200,
        help_text=_("Par exemple le résultat de cinq dés lancés en public : « 4 2 6 1 3 »."),
    )


class AnswerForm(forms.Form):
    accept = forms.TypedChoiceField(choices=[("1", "1"), ("0", "0")], coerce=lambda v: v == "1")


class ReviewOpenForm(forms.Form):
    project = forms.ModelChoiceField(
        label=_("Projet examiné"), queryset=Project.objects.none(), required=False
    )
    question = forms.CharField(label=_("ou une question"), max_length=300, required=False)

    def __init__(self, *args: object, projects: list[Project], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["project"].queryset = Project.objects.filter(pk__in=[p.pk for p in projects])


class ContributionForm(forms.Form):
    ambition_rating = forms.TypedChoiceField(
        label=_("L'ambition du projet vous paraît"),
        choices=Rating.choices,
        coerce=int,
        widget=forms.RadioSelect,
    )
    daily_life_rating = forms.TypedChoiceField(
        label=_("Sa traduction dans la vie quotidienne vous paraît"),
        choices=Rating.choices,
        coerce=int,
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Votre avis, avec vos raisons"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    question = forms.CharField(
        label=_("Une question au porteur du projet"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    recommendation = forms.CharField(
        label=_("Une recommandation"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ReviewWriteForm(forms.Form):
    ambition = forms.CharField(
        label=_("Son ambition"),
        required=False,
        max_length=10_000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    daily_life = forms.CharField(
        label=_("Sa traduction dans la vie quotidienne"),
        required=False,
        max_length=10_000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    questions_to_holder = forms.CharField(
        label=_("Questions au porteur"),
        required=False,
        max_length=10_000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    recommendations = forms.CharField(
        label=_("Recommandations"),
        required=False,
        max_length=10_000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    publish = forms.BooleanField(
        label=_("Publier l'avis (il paraît sur la page du projet)"), required=False
    )


class HolderAnswerForm(forms.Form):
    answer = forms.CharField(
        label=_("Votre réponse au panel"),
        max_length=10_000,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
