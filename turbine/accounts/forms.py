from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from turbine.accounts.models import User
from turbine.accounts.roles import CITIZEN, HOLDER
from turbine.territory.forms import CommuneChoiceField
from turbine.territory.models import Commune
from turbine.territory.selectors import commune_list, get_current_territory


class ProfileForm(forms.Form):
    display_name = forms.CharField(
        label=_("Nom affiché"),
        max_length=120,
        required=False,
        help_text=_("Le seul nom montré aux autres, et seulement si votre profil est public."),
    )
    commune = CommuneChoiceField(
        label=_("Commune de résidence"),
        queryset=Commune.objects.none(),
        required=False,
        empty_label=_("— Je ne réside pas sur le territoire ou je préfère ne pas le dire —"),
        help_text=_("Elle sert à vous proposer ce qui se passe près de chez vous et à voter."),
    )
    bio = forms.CharField(
        label=_("Présentation"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("2 000 caractères au plus."),
    )
    self_roles = forms.MultipleChoiceField(
        label=_("Vous êtes"),
        required=False,
        choices=[
            (CITIZEN, _("Habitant ou habitante du territoire")),
            (HOLDER, _("Porteur ou porteuse d'un projet de transition")),
        ],
        widget=forms.CheckboxSelectMultiple,
    )
    is_profile_public = forms.BooleanField(
        label=_("Rendre mon profil public"),
        required=False,
        help_text=_(
            "Votre nom affiché, votre commune et votre présentation deviennent visibles de tous. "
            "Votre adresse électronique ne l'est jamais."
        ),
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        kwargs.setdefault(
            "initial",
            {
                "display_name": user.display_name,
                "commune": user.commune_id,
                "bio": user.bio,
                "is_profile_public": user.is_profile_public,
                "self_roles": list(
                    user.groups.filter(name__in=[CITIZEN, HOLDER]).values_list("name", flat=True)
                ),
            },
        )
        super().__init__(*args, **kwargs)
        self.fields["commune"].queryset = commune_list(territory=get_current_territory())


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        label=_("Nom du jeton"),
        max_length=100,
        help_text=_("Par exemple : « tableau de bord de l'association »."),
    )


class DeleteAccountForm(forms.Form):
    password = forms.CharField(
        label=_("Votre mot de passe, pour confirmer"),
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        required=False,
    )
    confirm = forms.BooleanField(
        label=_("Je comprends que la suppression est définitive."), required=True
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self) -> str:
        password = self.cleaned_data.get("password", "")
        # People who signed in through ProConnect or FranceConnect may have no password.
        if self.user.has_usable_password() and not self.user.check_password(password):
            raise forms.ValidationError(_("Mot de passe incorrect."))
        return password
