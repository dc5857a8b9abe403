from __future__ import annotations

import pytest

from turbine.accounts.scale import EMAIL_DOMAIN
from turbine.accounts.tests.factories import UserFactory
from turbine.core import scale as core_scale
from turbine.directory.models import Organisation
from turbine.directory.scale import MARK
from turbine.guichet import scale
from turbine.guichet.models import Status, SupportRequest
from turbine.guichet.tests.factories import BETHUNE
from turbine.projects.tests.factories import ProjectFactory


@pytest.mark.usefixtures("perimeters")
def test_it_generates_requests_deterministically_and_the_queue_stays_flat(
    client, territory, django_assert_max_num_queries
) -> None:
    people = [UserFactory(email=f"p{i}@{EMAIL_DOMAIN}") for i in range(5)]
    advisor = UserFactory(email=f"a@{EMAIL_DOMAIN}", roles=["administrateur", "conseiller"])
    organisation = Organisation.objects.create(name="Synthétique", website=MARK + "x")
    for _ in range(3):
        ProjectFactory(holder_organisation=organisation, commune_codes=[BETHUNE])
    summary = scale.generate_requests(1, core_scale.rng_for("guichet"))
    assert summary.startswith("500 demandes")
    assert set(SupportRequest.objects.values_list("status", flat=True)) == set(Status.values)
    first = list(SupportRequest.objects.order_by("id").values_list("urgency_score", flat=True))
    client.force_login(advisor)
    with django_assert_max_num_queries(14):
        assert client.get("/guichet/suivi/?status=close").status_code == 200
    assert scale.clear_requests() >= 500
    scale.generate_requests(1, core_scale.rng_for("guichet"))
    again = list(SupportRequest.objects.order_by("id").values_list("urgency_score", flat=True))
    assert again == first
    assert people
