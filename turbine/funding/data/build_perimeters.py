"""Build ``perimeters.csv.gz`` from Etalab's ``@etalab/decoupage-administratif`` JSON files.

Run it again when Etalab publishes a new version (the communes change every January):

    python turbine/funding/data/build_perimeters.py /path/to/etalab-decoupage-administratif

Rows, one per line, ``scale,code,name,department,region,epci``:
- ``region``: INSEE code and name;
- ``department``: INSEE code, name, its region's code;
- ``epci``: SIREN and name;
- ``commune``: INSEE code and name of every current commune (``type`` = ``commune-actuelle``),
  its department, region and EPCI SIREN (empty for the few communes outside any EPCI).
"""

from __future__ import annotations

import csv
import gzip
import io
import json
import sys
from pathlib import Path

OUTPUT = Path(__file__).resolve().parent / "perimeters.csv.gz"


def build(source: Path, output: Path = OUTPUT) -> int:
    def load(name: str) -> list[dict]:
        with (source / name).open(encoding="utf-8") as handle:
            return json.load(handle)

    epci_of: dict[str, str] = {}
    rows: list[list[str]] = []
    for region in sorted(load("regions.json"), key=lambda r: r["code"]):
        rows.append(["region", region["code"], region["nom"], "", "", ""])
    for dep in sorted(load("departements.json"), key=lambda d: d["code"]):
        rows.append(["department", dep["code"], dep["nom"], "", dep.get("region", ""), ""])
    for epci in sorted(load("epci.json"), key=lambda e: e["code"]):
        rows.append(["epci", epci["code"], epci["nom"], "", "", ""])
        for member in epci.get("membres", []):
            epci_of[member["code"]] = epci["code"]
    communes = [c for c in load("communes.json") if c.get("type") == "commune-actuelle"]
    for commune in sorted(communes, key=lambda c: c["code"]):
        rows.append(
            [
                "commune",
                commune["code"],
                commune["nom"],
                commune.get("departement", ""),
                commune.get("region", ""),
                epci_of.get(commune["code"], ""),
            ]
        )
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["scale", "code", "name", "department", "region", "epci"])
    writer.writerows(rows)
    # mtime=0 keeps the file byte-identical between two builds of the same data.
    with gzip.GzipFile(output, "wb", mtime=0) as handle:
        handle.write(buffer.getvalue().encode("utf-8"))
    return len(rows)


if __name__ == "__main__":
    print(build(Path(sys.argv[1])), "rows written to", OUTPUT)
