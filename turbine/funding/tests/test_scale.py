from __future__ import annotations

import pytest
from django.test import Client

from turbine.core import scale as core_scale
from turbine.core import search
from turbine.funding import scale
from turbine.funding.models import Aid, Funder

pytestmark = pytest.mark.usefixtures("perimeters")


def test_it_generates_aids_deterministically_and_keeps_pages_bounded(
    client: Client, db: None, django_assert_max_num_queries
) -> None:
    summary = scale.generate(1, core_scale.rng_for("financements"))
    assert summary.startswith("500 aides synthétiques")
    first = list(Aid.objects.order_by("source_id").values_list("title", flat=True)[:5])
    search.reindex(["aide"])
    with django_assert_max_num_queries(14):
        response = client.get(
            "/aides/?commune=62119&q=renovation&type=subvention&beneficiary=commune"
            "&theme=energie&open=true&closing_within=300&call_for_projects=true"
        )
    assert response.status_code == 200
    with django_assert_max_num_queries(12):
        assert client.get("/aides/?commune=59350").status_code == 200
    with django_assert_max_num_queries(10):
        assert client.get("/api/v1/aids?commune=59350&page_size=100").status_code == 200
    assert scale.clear() > 540
    assert not Funder.objects.exists() and not Aid.objects.exists()
    scale.generate(1, core_scale.rng_for("financements"))
    assert list(Aid.objects.order_by("source_id").values_list("title", flat=True)[:5]) == first
