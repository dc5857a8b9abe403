from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from turbine.core.models import SearchDocument
from turbine.territory.models import Agglomeration, Commune, Territory
from turbine.territory.services import TerritoryImportError, territory_import

SHARED = Path(__file__).resolve().parents[3].parent / "shared" / "data"
ETALAB = SHARED / "etalab-decoupage-administratif"


def test_it_imports_the_pma_with_150_communes(territory):
    assert territory.slug == "pole-metropolitain-artois"
    assert territory.agglomerations.count() == 3
    communes = Commune.objects.filter(agglomeration__territory=territory)
    assert communes.count() == 150
    assert sum(c.population for c in communes) == 642_834
    henin = Agglomeration.objects.get(siren="246200299")
    assert henin.communes.count() == 14
    assert Commune.objects.get(code="62119").name == "Béthune"


def test_it_is_idempotent(territory):
    call_command("import_territory", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert Territory.objects.filter(slug="pole-metropolitain-artois").count() == 1
    assert Commune.objects.filter(agglomeration__territory=territory).count() == 150
    assert SearchDocument.objects.filter(kind="commune").count() == 150


@pytest.mark.parametrize(
    ("codes", "message"),
    [
        (["12345"], "SIREN invalide"),
        (["999999999"], "EPCI inconnu"),
        (["200072460", "abc"], "SIREN invalide"),
    ],
)
def test_it_refuses_bad_codes_and_changes_nothing(territory, codes, message):
    before = list(Commune.objects.order_by("code").values_list("code", "agglomeration_id"))
    with pytest.raises(CommandError, match=message):
        call_command("import_territory", "--name", "Essai", "--epci", *codes)
    assert not Territory.objects.filter(name="Essai").exists()
    after = list(Commune.objects.order_by("code").values_list("code", "agglomeration_id"))
    assert before == after


def test_it_refuses_a_missing_data_folder(territory, tmp_path):
    with pytest.raises(TerritoryImportError, match="introuvable"):
        territory_import(name="Essai", epci_codes=["200072460"], data_dir=tmp_path)


def test_it_refuses_a_malformed_file(territory, tmp_path):
    (tmp_path / "epci.json").write_text("{pas du json", encoding="utf-8")
    with pytest.raises(TerritoryImportError, match="JSON valide"):
        territory_import(name="Essai", epci_codes=["200072460"], data_dir=tmp_path)


def test_it_refuses_an_epci_whose_commune_is_missing(territory, tmp_path):
    epci = [{"code": "200000001", "nom": "CC Test", "membres": [{"code": "00001", "nom": "X"}]}]
    (tmp_path / "epci.json").write_text(json.dumps(epci), encoding="utf-8")
    (tmp_path / "communes.json").write_text("[]", encoding="utf-8")
    with pytest.raises(TerritoryImportError, match="absente de communes.json"):
        territory_import(name="Test", epci_codes=["200000001"], data_dir=tmp_path)
    assert not Territory.objects.filter(name="Test").exists()


@pytest.mark.skipif(not ETALAB.is_dir(), reason="shared Etalab data absent")
def test_it_builds_another_territory_from_the_full_etalab_files(territory):
    # CU d'Arras, outside the PMA.
    epci = next(
        e for e in json.loads((ETALAB / "epci.json").read_text()) if e["code"] == "200033579"
    )
    call_command(
        "import_territory",
        "--name",
        "Communauté urbaine d'Arras",
        "--epci",
        "200033579",
        "--data",
        str(ETALAB),
        stdout=open("/dev/null", "w"),  # noqa: SIM115
    )
    arras = Territory.objects.get(slug="communaute-urbaine-d-arras")
    assert arras.agglomerations.get().name == epci["nom"]
    assert Commune.objects.filter(agglomeration__territory=arras).count() == len(epci["membres"])
    assert Commune.objects.get(code="62041").name == "Arras"
    # The PMA is untouched.
    assert Commune.objects.filter(agglomeration__territory=territory).count() == 150
