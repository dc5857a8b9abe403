"""Every CSV export neutralises cells that a spreadsheet would run as a formula."""

from __future__ import annotations

import csv
import io

import pytest

from turbine.directory.tests.factories import OrganisationFactory
from turbine.funding.tests.factories import make_aid
from turbine.projects.tests.factories import ProjectFactory


def _rows(response) -> list[list[str]]:
    text = b"".join(response.streaming_content).decode().lstrip("\ufeff")
    return list(csv.reader(io.StringIO(text)))


@pytest.mark.django_db
def test_it_neutralises_every_csv_export(client, territory) -> None:
    OrganisationFactory(name="=cmd|' /C calc'!A0")
    ProjectFactory(title="@SUM(1+1)")
    make_aid(title='+HYPERLINK("http://x")')
    organisations = _rows(client.get("/acteurs/export.csv"))
    assert "'=cmd|' /C calc'!A0" in organisations[1]
    aids = _rows(client.get("/aides/export.csv"))
    assert any('\'+HYPERLINK("http://x")' in row for row in aids)
    projects = _rows(client.get("/projets/export.csv"))
    assert any("'@SUM(1+1)" in row for row in projects), projects
    for rows in (organisations, aids, projects):
        for row in rows:
            assert not any(cell.startswith(("=", "+", "-", "@", "\t", "\r")) for cell in row)
