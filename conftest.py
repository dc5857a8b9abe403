"""Shared fixtures: the PMA territory is imported once per test database; named personas."""

from __future__ import annotations

import pytest

from turbine.core.testing import ensure_base_data


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):  # noqa: ANN001, ANN201
    with django_db_blocker.unblock():
        ensure_base_data()


@pytest.fixture
def territory(db):  # noqa: ANN001, ANN201
    return ensure_base_data()


@pytest.fixture
def alice(db):  # noqa: ANN001, ANN201
    """Alice, a citizen of Lens with a verified address."""
    from turbine.accounts.tests.factories import UserFactory

    return UserFactory(email="alice@example.org", display_name="Alice", commune_code="62498")


@pytest.fixture
def bruno(db):  # noqa: ANN001, ANN201
    """Bruno, an advisor of the Turbine (staff)."""
    from turbine.accounts.tests.factories import UserFactory

    return UserFactory(
        email="bruno@example.org", display_name="Bruno", roles=["conseiller"], is_staff=True
    )


@pytest.fixture
def chloe(db):  # noqa: ANN001, ANN201
    """Chloé, a project holder from Béthune."""
    from turbine.accounts.tests.factories import UserFactory

    return UserFactory(
        email="chloe@example.org",
        display_name="Chloé",
        commune_code="62119",
        roles=["citoyen", "porteur de projet"],
    )
