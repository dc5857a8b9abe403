from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command

from turbine.accounts.models import User
from turbine.core.models import DemoDataset, SearchDocument

pytestmark = pytest.mark.django_db


def run(*args: str) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_it_reindexes_search(territory):
    SearchDocument.objects.all().delete()
    assert "commune : 150 document(s)" in run("search_reindex", "commune")
    assert SearchDocument.objects.filter(kind="commune").count() == 150


def test_it_refuses_an_unknown_kind():
    with pytest.raises(CommandError, match="Type\\(s\\) inconnu"):
        run("search_reindex", "licorne")


def test_it_runs_the_schedules_in_process():
    assert "purge-expired-sessions : 0" in run("run_schedules")
    with pytest.raises(CommandError, match="inconnue"):
        run("run_schedules", "licorne")


def test_it_loads_the_demo_data_once(territory):
    first = run("seed_demo")
    assert "comptes : 6 comptes" in first
    users = User.objects.filter(is_demo=True).count()
    datasets = DemoDataset.objects.count()
    second = run("seed_demo")
    assert "comptes : déjà chargé" in second
    assert "chargé" not in second.replace("déjà chargé", "")
    assert User.objects.filter(is_demo=True).count() == users
    assert User.objects.filter(email__endswith=".demo@turbine.localhost").count() == 6
    assert DemoDataset.objects.count() == datasets
