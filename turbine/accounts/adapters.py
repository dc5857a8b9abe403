from __future__ import annotations

from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from django.contrib.auth.models import Group
from django.http import HttpRequest

from turbine.accounts.roles import CITIZEN
from turbine.core.clients import client_ip
from turbine.core.email import send_after_commit


class AccountAdapter(DefaultAccountAdapter):
    def send_mail(self, template_prefix: str, email: str, context: dict[str, Any]) -> None:
        # Every account email (verification, password reset...) goes through the Celery task.
        send_after_commit(self.render_mail(template_prefix, email, context))

    def get_client_ip(self, request: HttpRequest) -> str:
        # allauth's throttles see the same client as the lockout (TRUSTED_PROXY_COUNT).
        return client_ip(request)

    def save_user(self, request: HttpRequest, user: Any, form: Any, commit: bool = True) -> Any:
        user = super().save_user(request, user, form, commit=commit)
        if commit:
            # Everyone starts as a citizen; other roles are chosen on the profile or granted.
            user.groups.add(Group.objects.get(name=CITIZEN))
        return user


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    def save_user(self, request: HttpRequest, sociallogin: Any, form: Any = None) -> Any:
        user = super().save_user(request, sociallogin, form)
        user.groups.add(Group.objects.get(name=CITIZEN))
        return user
