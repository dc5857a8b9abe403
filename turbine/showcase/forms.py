"""Forms of the showcase: they parse and validate input; the services decide."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from turbine.core.models import Theme
from turbine.directory.models import Family, Organisation
from turbine.showcase.models import (
    ActorKind,
    AdvocacyStatus,
    BlockerLevel,
    CommitmentStatus,
    Language,
    PolicyLevel,
    Qualification,
    Relation,
    StoryScope,
    VisitorOrigin,
)
from turbine.showcase.selectors import ShowcaseFilters
from turbine.steering.selectors import objective_choices
from turbine.territory.forms import fill_territory_filter_choices
from turbine.territory.selectors import commune_list, get_current_territory

NUMBERS = re.compile(r"^[\d\s,;]*$")


def _numbers(value: str) -> list[int]:
    if not NUMBERS.match(value or ""):
        raise forms.ValidationError(
            _("Écrivez des numéros séparés par des virgules, par exemple 12, 45.")
        )
    numbers = [int(p) for p in re.split(r"[\s,;]+", value.strip()) if p]
    if any(n > 2**31 - 1 for n in numbers) or len(numbers) > 30:
        raise forms.ValidationError(_("Au plus 30 numéros valides."))
    return numbers


class NoNulMixin:
    """Refuses NUL bytes in any text field, with a French message; labels without a colon."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[call-arg]
        self.label_suffix = ""

    def clean(self) -> dict[str, Any]:
        data = super().clean()  # type: ignore[misc]
        for name, value in list(data.items()):
            if isinstance(value, str) and "\x00" in value:
                self.add_error(name, _("Ce texte contient un caractère interdit."))  # type: ignore[attr-defined]
        return data


class FilterForm(forms.Form):
    commune = forms.ChoiceField(label=_("Commune"), required=False)
    theme = forms.ChoiceField(label=_("Thème"), required=False)
    page = forms.IntegerField(
        required=False, min_value=1, max_value=10_000, widget=forms.HiddenInput
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fill_territory_filter_choices(self)

    def filters(self) -> ShowcaseFilters:
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        return ShowcaseFilters(
            commune=data.get("commune") or "",
            theme=data.get("theme") or "",
            scope=data.get("portee") or "",
            language=data.get("langue") or "",
            level=data.get("niveau") or "",
        )

    def page_number(self) -> int:
        if self.is_bound and self.is_valid():
            return self.cleaned_data.get("page") or 1
        return 1


class StoryFilterForm(FilterForm):
    portee = forms.ChoiceField(
        label=_("Échelle"), required=False, choices=[("", _("Toutes")), *StoryScope.choices]
    )


class VisitFilterForm(FilterForm):
    langue = forms.ChoiceField(
        label=_("Langue de la visite"),
        required=False,
        choices=[("", _("Toutes")), *Language.choices],
    )


class BlockerFilterForm(forms.Form):
    niveau = forms.ChoiceField(
        label=_("Niveau"), required=False, choices=[("", _("Tous")), *BlockerLevel.choices]
    )
    page = forms.IntegerField(
        required=False, min_value=1, max_value=10_000, widget=forms.HiddenInput
    )

    def filters(self) -> ShowcaseFilters:
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        return ShowcaseFilters(level=data.get("niveau") or "")

    def page_number(self) -> int:
        return (self.cleaned_data.get("page") or 1) if self.is_bound and self.is_valid() else 1


def _theme_field() -> forms.MultipleChoiceField:
    return forms.MultipleChoiceField(
        label=_("Thèmes"), required=False, widget=forms.CheckboxSelectMultiple
    )


class _TerritoryChoices:
    def _fill(self) -> None:
        self.fields["themes"].choices = [  # type: ignore[attr-defined]
            (t.slug, t.name) for t in Theme.objects.order_by("position", "name")
        ]
        if "commune" in self.fields:  # type: ignore[attr-defined]
            fill_territory_filter_choices(self)  # type: ignore[arg-type]
            self.fields["commune"].choices[0] = ("", _("Choisir"))  # type: ignore[attr-defined]


class PortraitForm(NoNulMixin, _TerritoryChoices, forms.Form):
    name = forms.CharField(label=_("Nom affiché"), max_length=120)
    role = forms.CharField(label=_("Ce qu'elle ou il fait"), max_length=200)
    family = forms.ChoiceField(label=_("Famille d'acteurs"), choices=Family.choices)
    know_how = forms.CharField(
        label=_("Savoir-faire"), max_length=5000, widget=forms.Textarea(attrs={"rows": 4})
    )
    tips = forms.CharField(
        label=_("Astuces"),
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    can_teach = forms.CharField(
        label=_("Ce qu'elle ou il peut transmettre"),
        max_length=3000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    person_email = forms.EmailField(
        label=_("Adresse du compte de la personne (si elle en a un)"),
        required=False,
        help_text=_("La personne recevra un courriel pour donner son accord elle-même."),
    )
    organisation = forms.CharField(
        label=_("Organisation (nom exact dans l'annuaire)"), max_length=200, required=False
    )
    commune = forms.ChoiceField(label=_("Commune"), required=False)
    themes = _theme_field()
    projects = forms.CharField(
        label=_("Numéros des projets (séparés par des virgules)"), max_length=400, required=False
    )

    def __init__(self, *args: Any, editing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._fill()
        if editing:
            # The person portrayed is chosen once; their consent goes with them.
            del self.fields["person_email"]

    def clean_organisation(self) -> int | None:
        name = self.cleaned_data.get("organisation", "").strip()
        if not name:
            return None
        organisation = Organisation.objects.filter(name__iexact=name, is_hidden=False).first()
        if organisation is None:
            raise forms.ValidationError(_("Aucune organisation de l'annuaire ne porte ce nom."))
        return organisation.pk

    def clean_projects(self) -> list[int]:
        return _numbers(self.cleaned_data.get("projects", ""))


class StoryForm(NoNulMixin, _TerritoryChoices, forms.Form):
    title = forms.CharField(label=_("Titre"), max_length=200)
    summary = forms.CharField(label=_("Chapeau (une ou deux phrases)"), max_length=400)
    body = forms.CharField(
        label=_("Texte"),
        max_length=30_000,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=_(
            "Mise en forme simple : **gras**, *italique*, listes avec des tirets, liens [texte](https://…)."
        ),
    )
    scope = forms.ChoiceField(
        label=_("Échelle du récit"), choices=StoryScope.choices, widget=forms.RadioSelect
    )
    steering_objectives = forms.TypedMultipleChoiceField(
        label=_("Objectifs 2038 du territoire que ce récit fait bouger"),
        required=False,
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
    )
    steering_indicators = forms.TypedMultipleChoiceField(
        label=_("Indicateurs de ces objectifs"),
        required=False,
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Le récit montrera où en est chaque indicateur choisi."),
    )
    objective = forms.CharField(
        label=_("Objectif qui a bougé, en quelques mots"), max_length=300, required=False
    )
    indicator_note = forms.CharField(
        label=_("Indicateur et son évolution"), max_length=300, required=False
    )
    policy_level = forms.ChoiceField(
        label=_("Niveau de la politique servie"),
        required=False,
        choices=[("", _("Aucun")), *PolicyLevel.choices],
    )
    policy = forms.CharField(
        label=_("Politique nationale ou européenne servie"), max_length=300, required=False
    )
    projects = forms.CharField(
        label=_("Numéros des initiatives liées (séparés par des virgules)"),
        max_length=400,
        required=False,
        help_text=_("Le numéro figure dans l'adresse du projet : /projets/12/."),
    )
    communes = forms.MultipleChoiceField(label=_("Communes"), required=False)
    themes = _theme_field()
    image = forms.ImageField(label=_("Image (facultative, 5 Mo au plus)"), required=False)
    image_alt = forms.CharField(label=_("Description de l'image"), max_length=300, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._fill()
        self.fields["communes"].choices = [
            (c.code, c.name) for c in commune_list(territory=get_current_territory())
        ]
        objectives = objective_choices()
        self.fields["steering_objectives"].choices = [(o.pk, o.title) for o in objectives]
        self.fields["steering_indicators"].choices = [
            (i.pk, f"{i.name} · {o.title}") for o in objectives for i in o.indicators.all()
        ]

    def clean_projects(self) -> list[int]:
        return _numbers(self.cleaned_data.get("projects", ""))


class ReviewForm(NoNulMixin, forms.Form):
    decision = forms.ChoiceField(
        label=_("Décision"),
        choices=[("publier", _("Publier")), ("refuser", _("Renvoyer à l'auteur"))],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("Avis pour l'auteur"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class VisitOfferForm(NoNulMixin, _TerritoryChoices, forms.Form):
    title = forms.CharField(label=_("Titre de la visite"), max_length=200)
    host = forms.ChoiceField(label=_("Structure qui accueille"))
    project = forms.IntegerField(
        label=_("Numéro du projet visité (facultatif)"),
        required=False,
        min_value=1,
        max_value=2**31 - 1,
    )
    commune = forms.ChoiceField(label=_("Commune"))
    meeting_point = forms.CharField(label=_("Lieu de rendez-vous"), max_length=300)
    description = forms.CharField(
        label=_("Déroulé de la visite"), max_length=5000, widget=forms.Textarea(attrs={"rows": 4})
    )
    learnings = forms.CharField(
        label=_("Ce que les visiteurs apprennent"),
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    languages = forms.MultipleChoiceField(
        label=_("Langues de la visite"),
        choices=Language.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    duration_minutes = forms.IntegerField(
        label=_("Durée (minutes)"), min_value=15, max_value=600, initial=90
    )
    step_free = forms.BooleanField(label=_("Accessible en fauteuil roulant"), required=False)
    accessibility = forms.CharField(
        label=_("Accessibilité (précisions)"), max_length=500, required=False
    )
    themes = _theme_field()

    def __init__(self, *args: Any, hosts: list[Organisation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._fill()
        self.fields["host"].choices = [(o.pk, o.name) for o in hosts]


class SlotForm(forms.Form):
    start = forms.DateTimeField(
        label=_("Date et heure"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
    )
    capacity = forms.IntegerField(label=_("Nombre de places"), min_value=1, max_value=500)


class VisitRequestForm(NoNulMixin, forms.Form):
    slot = forms.TypedChoiceField(label=_("Date"), coerce=int)
    group_name = forms.CharField(label=_("Groupe ou structure"), max_length=200)
    origin = forms.ChoiceField(
        label=_("Le groupe vient"), choices=[("", _("Choisir")), *VisitorOrigin.choices]
    )
    country = forms.CharField(label=_("Pays"), max_length=80, initial="France")
    group_size = forms.IntegerField(label=_("Nombre de personnes"), min_value=1, max_value=500)
    language = forms.ChoiceField(label=_("Langue souhaitée"))
    contact_name = forms.CharField(label=_("Votre nom"), max_length=120)
    email = forms.EmailField(label=_("Votre adresse électronique"), max_length=254)
    needs = forms.CharField(
        label=_("Besoins particuliers (accessibilité, horaires…)"), max_length=500, required=False
    )
    message = forms.CharField(
        label=_("Message à la structure"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    # A honeypot: placed off screen and hidden from assistive technologies, so that only
    # robots filling every field of the page fill it.
    website = forms.CharField(
        label=_("Ne remplissez pas ce champ"),
        required=False,
        max_length=200,
        template_name="showcase/visits/_honeypot.html",
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )

    def __init__(
        self,
        *args: Any,
        slots: list[tuple[int, str]],
        languages: list[tuple[str, str]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["slot"].choices = slots
        self.fields["language"].choices = languages

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("website"):
            raise forms.ValidationError(
                _("Votre demande n'a pas pu être envoyée. Réessayez sans remplir le champ caché.")
            )
        return data


class DecideForm(NoNulMixin, forms.Form):
    request = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=2**31 - 1)
    action = forms.ChoiceField(
        choices=[("confirm", "confirm"), ("decline", "decline"), ("propose", "propose")]
    )
    proposed_slot = forms.IntegerField(required=False, min_value=1, max_value=2**31 - 1)
    note = forms.CharField(label=_("Message au groupe"), max_length=2000, required=False)


class FeedbackForm(NoNulMixin, forms.Form):
    rating = forms.TypedChoiceField(
        label=_("Votre note"),
        coerce=int,
        widget=forms.RadioSelect,
        choices=[(n, str(n)) for n in range(5, 0, -1)],
    )
    learned = forms.CharField(
        label=_("Ce que le groupe retient"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class BlockerForm(NoNulMixin, forms.Form):
    title = forms.CharField(label=_("Le blocage en une phrase"), max_length=200)
    description = forms.CharField(
        label=_("Ce qui a bloqué, et ce que cela a coûté au projet"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    rule = forms.CharField(label=_("Règle ou procédure en cause"), max_length=300)
    level = forms.ChoiceField(
        label=_("Qui décide de cette règle ?"), choices=[("", _("Choisir")), *BlockerLevel.choices]
    )
    projects = forms.MultipleChoiceField(
        label=_("Projets concernés"), required=False, widget=forms.CheckboxSelectMultiple
    )
    support_request = forms.IntegerField(
        label=_("Numéro de la demande au guichet (conseillers)"),
        required=False,
        min_value=1,
        max_value=2**31 - 1,
    )
    holder_agrees = forms.BooleanField(
        label=_("J'accepte que ce signalement soit public une fois qualifié par l'équipe"),
        required=False,
    )

    def __init__(self, *args: Any, projects: list[Any], staff: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["projects"].choices = [(p.pk, p.title) for p in projects]
        if not staff:
            del self.fields["support_request"]

    def clean_projects(self) -> list[int]:
        return [int(v) for v in self.cleaned_data.get("projects") or []]


class QualifyForm(NoNulMixin, forms.Form):
    report = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=2**31 - 1)
    qualification = forms.ChoiceField(label=_("Qualification"), choices=Qualification.choices)
    file = forms.TypedChoiceField(
        label=_("Dossier de plaidoyer"), required=False, coerce=int, empty_value=None
    )
    note = forms.CharField(label=_("Note de l'équipe"), max_length=2000, required=False)

    def __init__(self, *args: Any, files: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["file"].choices = [("", _("Aucun")), *[(f.pk, f.title) for f in files]]


class AdvocacyFileForm(NoNulMixin, forms.Form):
    title = forms.CharField(label=_("Titre du dossier"), max_length=200)
    summary = forms.CharField(
        label=_("Ce qu'il faut changer"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )
    rule = forms.CharField(label=_("Règle ou procédure en cause"), max_length=300)
    level = forms.ChoiceField(label=_("Niveau"), choices=BlockerLevel.choices)
    body_addressed = forms.CharField(label=_("Instance à saisir"), max_length=200, required=False)


class AdvocacyStepForm(NoNulMixin, forms.Form):
    date = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    body = forms.CharField(label=_("Instance"), max_length=200)
    note = forms.CharField(
        label=_("Ce qui s'est passé"), max_length=3000, widget=forms.Textarea(attrs={"rows": 3})
    )
    status = forms.ChoiceField(
        label=_("Nouveau statut du dossier"),
        required=False,
        choices=[("", _("Inchangé")), *AdvocacyStatus.choices],
    )


class ActorForm(NoNulMixin, forms.Form):
    name = forms.CharField(label=_("Nom"), max_length=200)
    kind = forms.ChoiceField(label=_("Type d'acteur"), choices=ActorKind.choices)
    mission = forms.CharField(
        label=_("Mission publique"), max_length=3000, widget=forms.Textarea(attrs={"rows": 3})
    )
    relation = forms.ChoiceField(label=_("Relation avec la Turbine"), choices=Relation.choices)
    relation_note = forms.CharField(
        label=_("Précision sur la relation"), max_length=300, required=False
    )
    website = forms.URLField(label=_("Site web"), required=False, assume_scheme="https")


class CommitmentForm(NoNulMixin, forms.Form):
    actor = forms.TypedChoiceField(label=_("Acteur"), coerce=int)
    title = forms.CharField(label=_("Engagement"), max_length=300)
    announced_on = forms.DateField(
        label=_("Annoncé le"), widget=forms.DateInput(attrs={"type": "date"})
    )
    due_on = forms.DateField(
        label=_("Échéance"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    source_url = forms.URLField(label=_("Source publique"), required=False, assume_scheme="https")

    def __init__(self, *args: Any, actors: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["actor"].choices = [(a.pk, a.name) for a in actors]


class FollowUpForm(NoNulMixin, forms.Form):
    commitment = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=2**31 - 1)
    status = forms.ChoiceField(label=_("Suivi"), choices=CommitmentStatus.choices)
    follow_up = forms.CharField(label=_("Point de suivi"), max_length=500)


class BriefForm(NoNulMixin, forms.Form):
    actor = forms.TypedChoiceField(label=_("Acteur pédagogique"), coerce=int)
    title = forms.CharField(label=_("Titre"), max_length=200)
    summary = forms.CharField(label=_("Le message en une phrase"), max_length=400)
    body = forms.CharField(
        label=_("Texte"), max_length=20_000, widget=forms.Textarea(attrs={"rows": 6})
    )

    def __init__(self, *args: Any, actors: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["actor"].choices = [(a.pk, a.name) for a in actors]
