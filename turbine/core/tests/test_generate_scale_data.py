"""``manage.py generate_scale_data``: deterministic, idempotent, and never touches real rows."""

from __future__ import annotations

from io import StringIO

import pytest
from allauth.account.models import EmailAddress
from django.core.management import CommandError, call_command

from turbine.accounts.models import User
from turbine.accounts.scale import EMAIL_DOMAIN, USERS_PER_FACTOR
from turbine.core import scale
from turbine.core.models import SearchDocument

pytestmark = pytest.mark.django_db


def generate(factor: int) -> str:
    out = StringIO()
    call_command("generate_scale_data", factor=factor, stdout=out)
    return out.getvalue()


def snapshot() -> list[tuple]:
    """Everything that describes the synthetic accounts except their database keys."""
    synthetic = User.objects.filter(email__endswith="@" + EMAIL_DOMAIN)
    users = list(
        synthetic.order_by("email").values_list(
            "email",
            "password",
            "display_name",
            "commune__code",
            "is_profile_public",
            "bio",
            "is_demo",
            "is_staff",
            "date_joined",
        )
    )
    memberships = sorted(synthetic.values_list("email", "groups__name"))
    addresses = sorted(
        EmailAddress.objects.filter(user__in=synthetic).values_list("email", "verified", "primary")
    )
    return [users, memberships, addresses]


def test_it_is_deterministic_and_idempotent(territory, alice):
    first_output = generate(1)
    first = snapshot()
    documents = SearchDocument.objects.count()

    second_output = generate(1)

    assert snapshot() == first
    assert second_output.splitlines()[0] == first_output.splitlines()[0]
    assert len(first[0]) == USERS_PER_FACTOR
    assert len(first[2]) == USERS_PER_FACTOR
    assert all(row[6] for row in first[0]), "synthetic accounts are marked as demo"
    assert all(row[1].startswith("!") for row in first[0]), "passwords are unusable"
    assert SearchDocument.objects.count() == documents
    assert User.objects.filter(pk=alice.pk).exists()
    assert "comptes : 500 comptes synthétiques" in first_output


def test_it_replaces_a_larger_factor(territory):
    generate(2)
    assert User.objects.filter(email__endswith="@" + EMAIL_DOMAIN).count() == 2 * USERS_PER_FACTOR

    generate(1)

    assert User.objects.filter(email__endswith="@" + EMAIL_DOMAIN).count() == USERS_PER_FACTOR


def test_it_refuses_a_factor_out_of_range(territory):
    with pytest.raises(CommandError, match="facteur"):
        generate(0)
    with pytest.raises(ValueError, match="factor"):
        scale.generate(factor=scale.MAX_FACTOR + 1)
