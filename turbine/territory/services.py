"""Writes on the territory: building it from Etalab's administrative data."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from turbine.core import search
from turbine.core.exceptions import TurbineError
from turbine.territory.models import Agglomeration, Commune, Territory
from turbine.territory.selectors import commune_search_key

BUNDLED_DATA = Path(__file__).resolve().parent / "data" / "pma"
PMA_NAME = "Pôle métropolitain de l'Artois"
PMA_SLUG = "pole-metropolitain-artois"
PMA_EPCI = ("200072460", "246200364", "246200299")
_SIREN_RE = re.compile(r"^\d{9}$")


class TerritoryImportError(TurbineError):
    pass


@dataclass(frozen=True)
class ImportReport:
    territory: Territory
    agglomerations: int
    communes: int
    population: int


def _load(data_dir: Path, filename: str) -> list[dict]:
    path = data_dir / filename
    try:
        with path.open(encoding="utf-8") as handle:
            data = json.load(handle)
    except FileNotFoundError:
        raise TerritoryImportError(f"Fichier introuvable : {path}.") from None
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise TerritoryImportError(f"Le fichier {path} n'est pas un JSON valide : {exc}.") from None
    if not isinstance(data, list):
        raise TerritoryImportError(f"Le fichier {path} doit contenir une liste.")
    return data


def territory_import(
    *, name: str, epci_codes: list[str], data_dir: Path = BUNDLED_DATA, slug: str | None = None
) -> ImportReport:
    """Create or update the territory made of these EPCI, with their agglomerations and current
    communes, then index them for search.

    Every check runs before the first write; the writes run in one transaction, so an error
    changes nothing. Agglomerations that a previous import put in this territory and that are no
    longer listed are detached from it (their communes stay, other parts of Turbine refer to them).
    """
    name = name.strip()
    if not name:
        raise TerritoryImportError("Le nom du territoire est obligatoire.")
    if not epci_codes:
        raise TerritoryImportError("Indiquez au moins un code SIREN d'EPCI.")
    bad = [code for code in epci_codes if not _SIREN_RE.match(code)]
    if bad:
        raise TerritoryImportError(
            "Code(s) SIREN invalide(s) : " + ", ".join(bad) + ". Un SIREN compte 9 chiffres."
        )
    slug = slug or (PMA_SLUG if name == PMA_NAME else slugify(name.replace("'", " "))[:100])
    if not slug:
        raise TerritoryImportError(
            "Le nom du territoire doit contenir des lettres ou des chiffres."
        )

    epci_by_code = {str(e.get("code")): e for e in _load(data_dir, "epci.json")}
    unknown = [code for code in epci_codes if code not in epci_by_code]
    if unknown:
        raise TerritoryImportError(
            "EPCI inconnu(s) dans les données Etalab : " + ", ".join(unknown) + "."
        )
    communes_by_code = {
        str(c["code"]): c
        for c in _load(data_dir, "communes.json")
        if c.get("type", "commune-actuelle") == "commune-actuelle" and "code" in c
    }
    commune_rows: list[Commune] = []
    member_of: dict[str, str] = {}
    for siren in dict.fromkeys(epci_codes):
        for member in epci_by_code[siren].get("membres", []):
            code = str(member.get("code"))
            if code in member_of:
                raise TerritoryImportError(
                    f"La commune {code} est membre de deux EPCI ({member_of[code]} et {siren})."
                )
            data = communes_by_code.get(code)
            if data is None:
                raise TerritoryImportError(
                    f"La commune {code} ({member.get('nom', '?')}), membre de l'EPCI {siren}, "
                    "est absente de communes.json."
                )
            member_of[code] = siren
            commune_rows.append(
                Commune(
                    code=code,
                    name=data["nom"],
                    search_key=commune_search_key(
                        " ".join([data["nom"], *data.get("codesPostaux", [])])
                    ),
                    postal_codes=list(data.get("codesPostaux", [])),
                    population=int(data.get("population") or 0),
                    department=data.get("departement", ""),
                    region=data.get("region", ""),
                )
            )

    with transaction.atomic():
        territory, _ = Territory.objects.update_or_create(
            slug=slug, defaults={"name": name, "imported_at": timezone.now()}
        )
        Agglomeration.objects.filter(territory=territory).exclude(siren__in=epci_codes).update(
            territory=None
        )
        agglomerations = {}
        for siren in dict.fromkeys(epci_codes):
            epci = epci_by_code[siren]
            agglomerations[siren], _ = Agglomeration.objects.update_or_create(
                siren=siren,
                defaults={
                    "name": epci["nom"],
                    "kind": epci.get("type", ""),
                    "population": int(epci.get("populationMunicipale") or 0),
                    "territory": territory,
                },
            )
        for row in commune_rows:
            row.agglomeration = agglomerations[member_of[row.code]]
        Commune.objects.bulk_create(
            commune_rows,
            batch_size=1000,
            update_conflicts=True,
            unique_fields=["code"],
            update_fields=[
                "name",
                "search_key",
                "postal_codes",
                "population",
                "department",
                "region",
                "agglomeration",
            ],
        )
        search.reindex(["commune", "agglomeration"])
    return ImportReport(
        territory=territory,
        agglomerations=len(agglomerations),
        communes=len(commune_rows),
        population=sum(row.population for row in commune_rows),
    )
