"""Demonstration data, loaded by ``manage.py seed_demo``.

Each app registers its data sets in its ``demo`` module (``register``), imported only when the
data is seeded, never by ``ready()``: the order of ``INSTALLED_APPS`` is the order of loading.
A data set loads once, in one
transaction, and is recorded in ``DemoDataset`` so that re-running the command loads nothing
twice. Invented people, associations and projects are marked ``is_demo`` and shown as "démo".
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.db import transaction
from django.utils.module_loading import autodiscover_modules

from turbine.core.models import DemoDataset

DEMO_PASSWORD = "demo-turbine-2026"  # noqa: S105 - documented demo accounts, refused in production


@dataclass(frozen=True)
class Dataset:
    name: str
    load: Callable[[], str]  # returns a one-line French summary


_datasets: list[Dataset] = []


def register(name: str, load: Callable[[], str]) -> None:
    if any(d.name == name for d in _datasets):
        return
    _datasets.append(Dataset(name, load))


def seed(*, only: list[str] | None = None) -> list[tuple[str, str]]:
    """Load every registered data set not loaded yet; returns (name, summary) for each."""
    autodiscover_modules("demo")
    done = set(DemoDataset.objects.values_list("name", flat=True))
    report = []
    for dataset in _datasets:
        if only and dataset.name not in only:
            continue
        if dataset.name in done:
            report.append((dataset.name, "déjà chargé"))
            continue
        with transaction.atomic():
            summary = dataset.load()
            DemoDataset.objects.create(name=dataset.name)
        report.append((dataset.name, summary))
    return report
