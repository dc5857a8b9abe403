"""Forms of steering: the French messages of refusals are the services' (``SteeringError``)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from turbine.steering.models import (
    CRITERIA,
    FIRST_YEAR,
    HORIZON,
    Criterion,
    Indicator,
    JointResponseStatus,
    JointRole,
)

SAATY = [
    ("9", _("extrêmement plus important (9)")),
    ("7", _("beaucoup plus important (7)")),
    ("5", _("nettement plus important (5)")),
    ("3", _("un peu plus important (3)")),
    ("1", _("aussi important (1)")),
    ("1/3", _("un peu moins important (1/3)")),
    ("1/5", _("nettement moins important (1/5)")),
    ("1/7", _("beaucoup moins important (1/7)")),
    ("1/9", _("extrêmement moins important (1/9)")),
]


class NoNulCharField(forms.CharField):
    def clean(self, value: Any) -> Any:
        if isinstance(value, str) and "\x00" in value:
            raise forms.ValidationError(_("Ce texte contient un caractère interdit."))
        return super().clean(value)


class ScoreForm(forms.Form):
    """A 0–5 score and its justification for every criterion of one project."""

    def __init__(self, *args: Any, initial_scores: dict[str, Any] | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        labels = dict(Criterion.choices)
        for code in CRITERIA:
            current = (initial_scores or {}).get(code)
            self.fields[f"{code}_score"] = forms.TypedChoiceField(
                label=_("Note : %(c)s") % {"c": labels[code]},
                choices=[(str(i), str(i)) for i in range(6)],
                coerce=int,
                initial=str(current.score) if current else None,
            )
            self.fields[f"{code}_why"] = NoNulCharField(
                label=_("Justification : %(c)s") % {"c": labels[code]},
                max_length=1000,
                initial=current.justification if current else "",
                widget=forms.Textarea(attrs={"rows": 2}),
            )

    def scores(self) -> dict[str, tuple[int, str]]:
        return {
            c: (self.cleaned_data[f"{c}_score"], self.cleaned_data[f"{c}_why"]) for c in CRITERIA
        }


class WeightsForm(forms.Form):
    def __init__(self, *args: Any, initial_weights: dict[str, float] | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        for code, label in Criterion.choices:
            self.fields[code] = forms.FloatField(
                label=label,
                min_value=0,
                max_value=1000,
                initial=round((initial_weights or {}).get(code, 1) * 100, 1),
                help_text=_("en points ; les poids sont ramenés à 100 %"),
            )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if (
            all(isinstance(data.get(c), float) for c in CRITERIA)
            and sum(data[c] for c in CRITERIA) <= 0
        ):
            raise forms.ValidationError(_("Au moins un critère doit avoir un poids non nul."))
        return data


def _parse_saaty(value: str) -> float:
    if value.startswith("1/"):
        return 1 / float(value[2:])
    return float(value)


class PairwiseForm(forms.Form):
    """Each pair of criteria compared once on Saaty's scale; the reciprocal fills the rest."""

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        labels = dict(Criterion.choices)
        self.pairs = []
        for i, a in enumerate(CRITERIA):
            for b in CRITERIA[i + 1 :]:
                name = f"{a}__{b}"
                self.pairs.append((name, a, b))
                self.fields[name] = forms.ChoiceField(
                    label=_("%(a)s par rapport à %(b)s") % {"a": labels[a], "b": labels[b]},
                    choices=SAATY,
                    initial="1",
                )

    def matrix(self) -> list[list[float]]:
        n = len(CRITERIA)
        m = [[1.0] * n for _ in range(n)]
        for name, a, b in self.pairs:
            i, j = CRITERIA.index(a), CRITERIA.index(b)
            m[i][j] = _parse_saaty(self.cleaned_data[name])
            m[j][i] = 1 / m[i][j]
        return m


class ValuesImportForm(forms.Form):
    file = forms.FileField(
        label=_("Fichier CSV des valeurs"),
        help_text=_("Colonnes : indicateur;annee;valeur;nature;source;territoire (2 Mo au plus)."),
    )


class BallotForm(forms.Form):
    """A rank for each candidate (1 = preferred), or « non classé »; ranks 1, 2, 3... with no
    gap and no repeat."""

    def __init__(self, *args: Any, candidates: list[Any], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.candidates = candidates
        choices = [("", _("non classé"))] + [
            (str(i), str(i)) for i in range(1, len(candidates) + 1)
        ]
        for c in candidates:
            self.fields[f"rang_{c.pk}"] = forms.TypedChoiceField(
                label=c.project.title, choices=choices, coerce=int, required=False, empty_value=None
            )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        ranks = {c.pk: data.get(f"rang_{c.pk}") for c in self.candidates}
        given = sorted(r for r in ranks.values() if r is not None)
        if not given:
            raise forms.ValidationError(_("Classez au moins un chantier."))
        if len(set(given)) != len(given):
            raise forms.ValidationError(_("Deux chantiers ne peuvent pas avoir le même rang."))
        if given != list(range(1, len(given) + 1)):
            raise forms.ValidationError(_("Les rangs doivent se suivre à partir de 1, sans trou."))
        data["ranking"] = [pk for pk, r in sorted(ranks.items(), key=lambda kv: kv[1] or 0) if r]
        return data


class ProjectLinkForm(forms.Form):
    """Links a project to an objective (and to one of its indicators) from the objective's
    staff page."""

    project = forms.IntegerField(
        label=_("Numéro du projet"),
        min_value=1,
        max_value=2**31 - 1,
        help_text=_("Le numéro figure dans l'adresse du projet : /projets/12/."),
    )
    indicator = forms.TypedChoiceField(
        label=_("Indicateur qui reçoit l'effet du projet"),
        required=False,
        coerce=int,
        empty_value=None,
    )
    from_year = forms.IntegerField(
        label=_("Effet à partir de l'année"), min_value=FIRST_YEAR, max_value=HORIZON
    )
    note = NoNulCharField(label=_("Précision (facultative)"), max_length=300, required=False)

    def __init__(self, *args: Any, indicators: list[Indicator], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["indicator"].choices = [
            ("", _("Aucun : le projet sert l'objectif sans effet chiffré")),
            *[(i.pk, f"{i.name} ({i.unit})") for i in indicators],
        ]


class ProjectUnlinkForm(forms.Form):
    link = forms.IntegerField(min_value=1, max_value=2**31 - 1)


class JointResponseForm(forms.Form):
    """Opens (or rewrites) a joint response to a call of the funding catalogue."""

    call = forms.TypedChoiceField(label=_("Appel à projets ou AMI"), coerce=int)
    title = NoNulCharField(label=_("Titre de la réponse commune"), max_length=200)
    summary = NoNulCharField(
        label=_("Ce que la réponse propose"),
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    amount = forms.IntegerField(
        label=_("Montant demandé en euros (facultatif)"),
        required=False,
        min_value=0,
        max_value=10**12,
    )

    def __init__(self, *args: Any, calls: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["call"].choices = [("", _("Choisir un appel")), *calls]


class JointMemberForm(forms.Form):
    organisation = forms.IntegerField(
        label=_("Numéro de la structure dans l'annuaire"),
        min_value=1,
        max_value=2**31 - 1,
        help_text=_("Le numéro figure dans l'adresse de sa fiche : /acteurs/12/."),
    )
    role = forms.ChoiceField(label=_("Rôle dans le groupement"), choices=JointRole.choices)
    contribution = NoNulCharField(
        label=_("Ce qu'elle apporte (facultatif)"), max_length=300, required=False
    )


class JointProjectForm(forms.Form):
    project = forms.IntegerField(
        label=_("Numéro du projet"),
        min_value=1,
        max_value=2**31 - 1,
        help_text=_("Le numéro figure dans l'adresse du projet : /projets/12/."),
    )


class JointStepForm(forms.Form):
    status = forms.ChoiceField(label=_("Nouvel état"), choices=JointResponseStatus.choices)


class JointRemoveForm(forms.Form):
    item = forms.IntegerField(min_value=1, max_value=2**31 - 1)
