from __future__ import annotations

from typing import Any

import factory
from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group

from turbine.accounts.models import User
from turbine.territory.models import Commune

PASSWORD = "motdepasse-de-test-42"


class UserFactory(factory.django.DjangoModelFactory):
    """A user with a verified primary email address and the given roles (group names)."""

    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"personne{n}@example.org")
    display_name = factory.Sequence(lambda n: f"Personne {n}")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    class Params:
        commune_code: str | None = None

    @factory.lazy_attribute
    def commune(self) -> Commune | None:
        code = self.commune_code
        return Commune.objects.get(code=code) if code else None

    @factory.post_generation
    def roles(self, create: bool, extracted: list[str] | None, **kwargs: Any) -> None:
        if create:
            names = extracted if extracted is not None else ["citoyen"]
            self.groups.add(*Group.objects.filter(name__in=names))
            self.save()
            EmailAddress.objects.create(user=self, email=self.email, primary=True, verified=True)
