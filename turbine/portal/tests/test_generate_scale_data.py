"""``manage.py generate_scale_data``: deterministic, idempotent, and never touches real rows.

The command runs here with the foundation's generator only (synthetic accounts), so that this
file stays fast whatever the other apps register; each app tests its own generator.
"""

from __future__ import annotations

import random
from io import StringIO

import pytest
from allauth.account.models import EmailAddress
from django.core.management import CommandError, call_command

from turbine.accounts.models import User
from turbine.accounts.scale import EMAIL_DOMAIN, USERS_PER_FACTOR
from turbine.core import scale
from turbine.core.models import SearchDocument

pytestmark = pytest.mark.django_db


@pytest.fixture
def accounts_only(monkeypatch):
    generators = [g for g in scale.discover() if g.name == "comptes"]
    assert generators, "turbine/accounts/scale.py registers the accounts generator"
    monkeypatch.setattr(scale, "discover", lambda: generators)


def generate(factor: int) -> str:
    out = StringIO()
    call_command("generate_scale_data", factor=factor, stdout=out)
    return out.getvalue()


def synthetic_users():
    return User.objects.filter(email__endswith="@" + EMAIL_DOMAIN)


def snapshot() -> list[list[tuple]]:
    """Everything that describes the synthetic accounts except their database keys."""
    users = list(
        synthetic_users()
        .order_by("email")
        .values_list(
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
    memberships = sorted(synthetic_users().values_list("email", "groups__name"))
    addresses = sorted(
        EmailAddress.objects.filter(user__in=synthetic_users()).values_list(
            "email", "verified", "primary"
        )
    )
    return [users, memberships, addresses]


def test_it_is_deterministic_and_idempotent(territory, alice, accounts_only):
    first_output = generate(1)
    first = snapshot()
    documents = SearchDocument.objects.count()

    second_output = generate(1)

    assert snapshot() == first
    assert second_output.splitlines()[0] == first_output.splitlines()[0]
    assert "comptes : 500 comptes synthétiques" in first_output
    assert len(first[0]) == USERS_PER_FACTOR
    assert len(first[2]) == USERS_PER_FACTOR
    assert all(row[6] for row in first[0]), "synthetic accounts are marked as demo"
    assert all(row[1].startswith("!") for row in first[0]), "passwords are unusable"
    assert SearchDocument.objects.count() == documents
    assert User.objects.filter(pk=alice.pk).exists()


def test_it_replaces_a_larger_factor(territory, accounts_only):
    generate(2)
    assert synthetic_users().count() == 2 * USERS_PER_FACTOR

    generate(1)

    assert synthetic_users().count() == USERS_PER_FACTOR


def test_it_clears_in_reverse_order_then_generates_in_order(monkeypatch):
    calls: list[str] = []
    draws: dict[str, float] = {}

    def generator(name: str) -> scale.Generator:
        def generate(factor: int, rng: random.Random) -> str:
            calls.append(f"generate {name} ×{factor}")
            draws[name] = rng.random()
            return name

        def clear() -> int:
            calls.append(f"clear {name}")
            return 0

        return scale.Generator(name=name, generate=generate, clear=clear)

    monkeypatch.setattr(scale, "discover", lambda: [generator("a"), generator("b")])

    report = scale.generate(factor=3)

    assert report == [("a", "a"), ("b", "b")]
    assert calls == ["clear b", "clear a", "generate a ×3", "generate b ×3"]
    assert draws["a"] == scale.rng_for("a").random() != draws["b"]


def test_it_refuses_a_factor_out_of_range(territory):
    with pytest.raises(CommandError, match="facteur"):
        generate(0)
    with pytest.raises(ValueError, match="factor"):
        scale.generate(factor=scale.MAX_FACTOR + 1)
