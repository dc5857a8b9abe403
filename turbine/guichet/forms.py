"""Forms of the guichet: the intake steps, the holder's answers, the staff's actions."""

from __future__ import annotations

from typing import Any

from django import forms
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from turbine.accounts.models import User
from turbine.core.models import Theme
from turbine.funding.models import Beneficiary
from turbine.funding.selectors import aid_lookup
from turbine.guichet.matching import MatchQuery
from turbine.guichet.models import (
    AidChoiceKind,
    HolderType,
    Need,
    Outcome,
    ProcedureTrigger,
    RecommendationKind,
    RecommendationStatus,
    Status,
    UrgencyBand,
)
from turbine.projects.models import Project, Stage
from turbine.territory.forms import CommunesField
from turbine.territory.models import Agglomeration, Commune
from turbine.territory.selectors import commune_list, get_current_territory

NEW_PROJECT = "nouveau"


class WhoForm(forms.Form):
    holder_type = forms.ChoiceField(
        label=_("Vous êtes"), choices=HolderType.choices, widget=forms.RadioSelect
    )
    structure_name = forms.CharField(
        label=_("Nom de votre structure (s'il y en a une)"), required=False, max_length=200
    )
    project = forms.ChoiceField(label=_("Votre demande porte sur"), required=False)

    def __init__(self, *args: Any, projects: list[Project] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if projects:
            self.fields["project"].choices = [(NEW_PROJECT, _("Un nouveau projet"))] + [
                (str(p.pk), p.title) for p in projects
            ]
            self.fields["project"].widget = forms.RadioSelect()
            self.fields["project"].initial = NEW_PROJECT
        else:
            del self.fields["project"]


class ProjectStepForm(forms.Form):
    title = forms.CharField(label=_("Titre du projet"), max_length=200)
    summary = forms.CharField(
        label=_("Décrivez votre projet"),
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Ce que vous voulez faire, pour qui, où. Quelques phrases suffisent."),
    )
    themes = forms.ModelMultipleChoiceField(
        label=_("Thèmes"),
        queryset=Theme.objects.order_by("position", "name"),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choisissez au moins un thème.")},
    )
    communes = CommunesField(
        label=_("Communes concernées"),
        queryset=Commune.objects.none(),
        error_messages={"required": _("Choisissez au moins une commune.")},
    )
    stage = forms.ChoiceField(label=_("Où en est le projet ?"), choices=Stage.choices[:6])
    budget = forms.DecimalField(
        label=_("Budget estimé (€)"), required=False, min_value=0, max_digits=12, decimal_places=0
    )
    actors_count = forms.IntegerField(
        label=_("Nombre d'acteurs impliqués (personnes ou structures)"),
        min_value=1,
        max_value=100_000,
        initial=1,
    )
    timing = forms.CharField(
        label=_("Calendrier envisagé"),
        required=False,
        max_length=300,
        help_text=_("Par exemple : « démarrage au printemps prochain »."),
    )
    wished_date = forms.DateField(
        label=_("Échéance à ne pas manquer (facultatif)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Au format JJ/MM/AAAA."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["communes"].queryset = commune_list(territory=get_current_territory())


class TriggerField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: ProcedureTrigger) -> str:
        return f"{obj.label} ({obj.help_text})" if obj.help_text else obj.label


class NeedsForm(forms.Form):
    needs = forms.MultipleChoiceField(
        label=_("De quoi avez-vous besoin ?"),
        choices=Need.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choisissez au moins un besoin.")},
    )
    help_wanted = forms.CharField(
        label=_("Précisez l'aide attendue (facultatif)"),
        required=False,
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    social_urgency = forms.BooleanField(
        label=_("Le projet répond à une situation sociale difficile"), required=False
    )
    abandonment_risk = forms.BooleanField(
        label=_("Sans aide, le projet risque d'être abandonné"), required=False
    )
    triggers = TriggerField(
        label=_("Votre projet comprend-il… ?"),
        queryset=ProcedureTrigger.objects.none(),
        to_field_name="slug",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Cochez ce qui s'applique : la Turbine vous indique les démarches à prévoir."),
    )

    def __init__(self, *args: Any, has_structure: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        triggers = ProcedureTrigger.objects.filter(is_active=True)
        if has_structure:
            # A holder that is a structure already is never asked whether to create one.
            triggers = triggers.filter(is_new_structure=False)
        self.fields["triggers"].queryset = triggers.order_by("position", "label")


class ConsentForm(forms.Form):
    consent = forms.BooleanField(
        label=_(
            "J'accepte que la Turbine enregistre ma demande et la partage avec ses conseillers "
            "pour m'accompagner. Je peux la consulter, l'exporter ou la supprimer depuis mon "
            "compte."
        ),
        error_messages={"required": _("Votre accord est nécessaire pour envoyer la demande.")},
    )


class MessageForm(forms.Form):
    body = forms.CharField(
        label=_("Votre message"), max_length=5000, widget=forms.Textarea(attrs={"rows": 4})
    )


class RecommendationStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Où en êtes-vous ?"), choices=RecommendationStatus.choices)
    reason = forms.CharField(
        label=_("Si vous l'écartez, pourquoi ?"), required=False, max_length=500
    )


class AidChoiceForm(forms.Form):
    choice = forms.ChoiceField(label=_("Votre choix"), choices=AidChoiceKind.choices)
    reason = forms.CharField(label=_("Pourquoi ? (facultatif)"), required=False, max_length=500)


class QueueFilterForm(forms.Form):
    agglomeration = forms.ModelChoiceField(
        label=_("Agglomération"), queryset=Agglomeration.objects.none(), required=False
    )
    theme = forms.ModelChoiceField(
        label=_("Thème"),
        queryset=Theme.objects.order_by("position", "name"),
        to_field_name="slug",
        required=False,
    )
    scale = forms.TypedChoiceField(
        label=_("Échelle"),
        coerce=int,
        choices=[("", _("Toutes")), (1, "1"), (2, "2"), (3, "3")],
        required=False,
        empty_value=None,
    )
    band = forms.ChoiceField(
        label=_("Priorité"), choices=[("", _("Toutes")), *UrgencyBand.choices], required=False
    )
    status = forms.ChoiceField(
        label=_("Statut"),
        choices=[("", _("En cours (non closes)")), *Status.choices],
        required=False,
    )
    advisor = forms.TypedChoiceField(
        label=_("Conseiller"), coerce=int, required=False, empty_value=None
    )
    q = forms.CharField(
        label=_("Rechercher"),
        required=False,
        max_length=200,
        help_text=_("Titre du projet, structure, nom ou adresse du porteur, aide attendue."),
    )
    sort = forms.ChoiceField(
        label=_("Trier par"),
        required=False,
        choices=[
            ("urgence", _("Priorité")),
            ("projet", _("Projet")),
            ("echelle", _("Échelle")),
            ("statut", _("Statut")),
            ("agglomeration", _("Agglomération")),
            ("conseiller", _("Conseiller")),
            ("reception", _("Date de réception")),
            ("reponse", _("Première réponse")),
        ],
    )
    dir = forms.ChoiceField(
        label=_("Ordre"),
        required=False,
        choices=[("", _("Naturel")), ("inverse", _("Inversé"))],
    )

    def __init__(self, *args: Any, advisors: list[User] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["agglomeration"].queryset = Agglomeration.objects.filter(
            territory=get_current_territory()
        ).order_by("name")
        self.fields["advisor"].choices = [("", _("Tous")), (0, _("Sans conseiller"))] + [
            (a.pk, str(a)) for a in advisors
        ]


BULK_MAX = 500


class BulkForm(forms.Form):
    """One action on the requests ticked in the queue."""

    ids = forms.TypedMultipleChoiceField(
        label=_("Demandes"),
        coerce=int,
        error_messages={"required": _("Cochez au moins une demande.")},
    )
    action = forms.ChoiceField(
        label=_("Action sur les demandes cochées"),
        choices=[
            ("attribuer", _("Confier à un conseiller")),
            ("qualifier", _("Qualifier à l'échelle proposée")),
            ("accompagner", _("Passer en accompagnement")),
            ("clore", _("Clore")),
        ],
    )
    advisor = forms.TypedChoiceField(
        label=_("Conseiller"), coerce=int, required=False, empty_value=None
    )
    outcome = forms.ChoiceField(
        label=_("Issue (pour clore)"), required=False, choices=[("", "—"), *Outcome.choices]
    )
    reason = forms.CharField(label=_("Motif (pour clore)"), required=False, max_length=3000)

    def __init__(
        self, *args: Any, advisors: list[User] = (), ids: list[int] = (), **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["advisor"].choices = [("", _("— Personne —"))] + [
            (a.pk, str(a)) for a in advisors
        ]
        self.fields["ids"].choices = [(i, str(i)) for i in ids]

    def clean_ids(self) -> list[int]:
        ids = self.cleaned_data["ids"]
        if len(ids) > BULK_MAX:
            raise forms.ValidationError(
                _("Au plus %(n)s demandes à la fois."), params={"n": BULK_MAX}
            )
        return ids


class QualifyForm(forms.Form):
    scale = forms.TypedChoiceField(
        label=_("Échelle confirmée"),
        coerce=int,
        choices=[
            (1, _("1 – Petite initiative : orientation légère")),
            (2, _("2 – Projet collectif ou structurant : accompagnement")),
            (3, _("3 – Grand projet territorial : équipe projet")),
        ],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(label=_("Commentaire (historique)"), required=False, max_length=300)


class AssignForm(forms.Form):
    advisor = forms.TypedChoiceField(
        label=_("Confier à"), coerce=int, required=False, empty_value=None
    )

    def __init__(self, *args: Any, advisors: list[User] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["advisor"].choices = [("", _("— Personne —"))] + [
            (a.pk, str(a)) for a in advisors
        ]


class RecommendationForm(forms.Form):
    kind = forms.ChoiceField(label=_("Nature"), choices=RecommendationKind.choices)
    aid = forms.CharField(
        label=_("Aide du catalogue"),
        required=False,
        max_length=400,
        help_text=_(
            "N'importe quelle aide du catalogue : tapez des mots de son titre et choisissez-la, "
            "ou indiquez son numéro (il figure dans l'adresse de sa page : /aides/123/)."
        ),
    )
    title = forms.CharField(
        label=_("Titre"),
        required=False,
        max_length=300,
        help_text=_("Facultatif pour une aide : son titre est repris."),
    )
    body = forms.CharField(
        label=_("Précisions"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    url = forms.URLField(label=_("Lien"), required=False, max_length=500, assume_scheme="https")

    def __init__(self, *args: Any, aids: list[tuple[int, str]] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The aids found for the request come first in the suggestions; any other aid of the
        # catalogue can be typed (and is suggested as one types, with htmx).
        self.suggested = [f"{pk} — {title}" for pk, title in aids]
        self.fields["aid"].widget.attrs.update(
            {
                "list": "aides-catalogue",
                "autocomplete": "off",
                "hx-get": reverse("guichet:aid_options"),
                "hx-trigger": "input changed delay:300ms",
                "hx-target": "#aides-catalogue",
                "hx-swap": "innerHTML",
            }
        )

    def clean_aid(self) -> Any:
        text = (self.cleaned_data.get("aid") or "").replace("\x00", "")
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
            _("Aucune aide publiée du catalogue ne correspond : indiquez son numéro ou son titre.")
        )


class NoteForm(forms.Form):
    body = forms.CharField(
        label=_("Note interne"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )


class ReminderForm(forms.Form):
    days = forms.IntegerField(
        label=_("Relancer dans (jours)"), min_value=1, max_value=365, initial=30
    )
    note = forms.CharField(label=_("Objet de la relance"), required=False, max_length=300)


class CloseForm(forms.Form):
    outcome = forms.ChoiceField(label=_("Issue"), choices=Outcome.choices)
    reason = forms.CharField(
        label=_("Motif"), max_length=3000, widget=forms.Textarea(attrs={"rows": 3})
    )


class RenunciationForm(forms.Form):
    reason = forms.CharField(
        label=_("Pourquoi le projet est-il jugé destructeur pour les milieux ou les personnes ?"),
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class _Values(forms.Field):
    """A list of identifiers (a JSON array in the API, repeated parameters in a form)."""

    widget = forms.SelectMultiple

    def to_python(self, value: Any) -> list[str]:
        if value in (None, ""):
            return []
        if not isinstance(value, list | tuple):
            raise forms.ValidationError(_("Donnez une liste d'identifiants."))
        return [str(v).strip() for v in value]


class MatchForm(forms.Form):
    """What the matching needs to know of a project, checked as the guichet checks it: the
    form of the ``POST /api/v1/guichet/match`` call."""

    title = forms.CharField(
        max_length=200, error_messages={"required": _("Indiquez le titre du projet.")}
    )
    description = forms.CharField(required=False, max_length=10_000)
    commune = forms.CharField(
        max_length=5,
        error_messages={"required": _("Indiquez le code INSEE de la commune du projet.")},
    )
    beneficiary = forms.CharField(max_length=40)
    themes = _Values(required=False)
    stage = forms.CharField(required=False, max_length=40)
    budget = forms.DecimalField(required=False, min_value=0, max_digits=14, decimal_places=2)
    needs = _Values(required=False)
    triggers = _Values(required=False)
    has_structure = forms.BooleanField(required=False)

    def clean_commune(self) -> Commune:
        code = self.cleaned_data["commune"].strip().upper()
        commune = Commune.objects.select_related("agglomeration").filter(code=code).first()
        if commune is None:
            raise forms.ValidationError(
                _("Commune inconnue : indiquez le code INSEE d'une commune.")
            )
        return commune

    def clean_beneficiary(self) -> str:
        value = self.cleaned_data["beneficiary"]
        if value not in Beneficiary.values:
            raise forms.ValidationError(
                _("Bénéficiaire inconnu : %(known)s.") % {"known": ", ".join(Beneficiary.values)}
            )
        return value

    def clean_themes(self) -> list[Theme]:
        slugs = self.cleaned_data["themes"]
        themes = list(Theme.objects.filter(slug__in=slugs))
        unknown = sorted(set(slugs) - {t.slug for t in themes})
        if unknown:
            raise forms.ValidationError(
                _("Thème inconnu : %(values)s.") % {"values": ", ".join(unknown[:10])}
            )
        return themes

    def clean_stage(self) -> str:
        value = self.cleaned_data["stage"] or Stage.IDEA
        if value not in Stage.values:
            raise forms.ValidationError(
                _("Étape inconnue : %(known)s.") % {"known": ", ".join(Stage.values)}
            )
        return value

    def clean_needs(self) -> list[str]:
        bad = [n for n in self.cleaned_data["needs"] if n not in Need.values]
        if bad:
            raise forms.ValidationError(
                _("Besoin inconnu : %(values)s.") % {"values": ", ".join(bad[:10])}
            )
        return list(dict.fromkeys(self.cleaned_data["needs"]))

    def clean_triggers(self) -> list[str]:
        wanted = self.cleaned_data["triggers"]
        known = set(
            ProcedureTrigger.objects.filter(is_active=True, slug__in=wanted).values_list(
                "slug", flat=True
            )
        )
        bad = [t for t in wanted if t not in known]
        if bad:
            raise forms.ValidationError(
                _("Situation inconnue : %(values)s.") % {"values": ", ".join(bad[:10])}
            )
        return list(dict.fromkeys(wanted))

    def query(self) -> MatchQuery:
        data = self.cleaned_data
        return MatchQuery(
            title=data["title"].strip(),
            description=data["description"].strip(),
            commune=data["commune"],
            beneficiary=data["beneficiary"],
            themes=data["themes"],
            stage=data["stage"],
            budget=data["budget"],
            needs=data["needs"],
            triggers=data["triggers"],
            has_structure=data["has_structure"],
        )
