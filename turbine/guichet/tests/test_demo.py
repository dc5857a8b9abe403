from __future__ import annotations

import pytest

from turbine.accounts.demo import load_people
from turbine.guichet.demo import load_guichet
from turbine.guichet.models import Outcome, Status, SupportRequest

pytestmark = pytest.mark.usefixtures("perimeters")


def test_it_loads_sixty_requests_in_every_state(territory) -> None:
    load_people()
    summary = load_guichet()
    assert summary.startswith("60 demandes")
    requests = SupportRequest.objects.all()
    assert requests.count() == 60 and not requests.filter(is_demo=False).exists()
    assert set(requests.values_list("status", flat=True)) == set(Status.values)
    assert set(requests.exclude(outcome="").values_list("outcome", flat=True)) == set(
        Outcome.values
    )
    followed = requests.exclude(status=Status.NEW)
    assert all(r.recommendations.exists() and r.messages.exists() for r in followed)
    assert all(r.project.title.endswith("(démo)") for r in requests.select_related("project"))
