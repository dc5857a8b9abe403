from __future__ import annotations

from typing import Any

import factory
from django.utils import timezone

from turbine.funding.models import Aid, AidStatus, Funder, FunderLevel, Perimeter, Scale
from turbine.funding.services.catalogue import aid_create


class FunderFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Funder

    name = factory.Sequence(lambda n: f"Financeur {n}")
    level = FunderLevel.STATE
    website = "https://financeur.example.org/"


def perimeter(scale: str, code: str) -> Perimeter:
    return Perimeter.objects.get(scale=scale, code=code)


def commune(code: str) -> Perimeter:
    return perimeter(Scale.COMMUNE, code)


def make_aid(
    *,
    title: str = "Aide de test",
    perimeters: list[Perimeter] | None = None,
    status: str = AidStatus.PUBLISHED,
    deadline_in: int | None = 30,
    **values: Any,
) -> Aid:
    """An aid created through the service (so that indexes and ranks are right)."""
    if perimeters is None:
        perimeters = [perimeter(Scale.COUNTRY, "FR")]
    if deadline_in is not None and "deadline" not in values:
        values["deadline"] = timezone.localdate() + timezone.timedelta(days=deadline_in)
    values.setdefault("types", ["subvention"])
    values.setdefault("beneficiaries", ["commune"])
    if "funders" in values:
        values["funders"] = [f.pk for f in values["funders"]]
    return aid_create(
        actor=None,
        values={"title": title, "perimeters": [p.pk for p in perimeters], **values},
        status=status,
    )
