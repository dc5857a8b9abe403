"""The yearly report: HTML, CSV per figure, and the PDF built by the task, read page by page."""

from __future__ import annotations

import io

import pytest
from django.core.cache import cache
from django.test import Client
from pypdf import PdfReader

from turbine.core.exceptions import PermissionDeniedError
from turbine.steering import report, services
from turbine.steering.tests.factories import add_values, make_indicator, make_mandate

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    cache.clear()


def test_the_report_csv_gives_the_data_behind_each_figure(territory) -> None:
    indicator = make_indicator()
    add_values(indicator, {2015: 1000, 2025: 860, 2030: 1})
    rows = report.figure_table(report.yearly_report(2025), "indicateurs")
    assert rows[1][:4] == ["Émissions de GES", "kt CO2e", 2025, 860]
    assert rows[1][5] == pytest.approx(60) and rows[1][6] == "non"
    body = Client().get("/rapport/2025/indicateurs.csv").content.decode()
    assert body.splitlines()[1].startswith("Émissions de GES;kt CO2e;2025;860")
    assert Client().get("/rapport/1200/").status_code == 404
    assert Client().get("/rapport/2025.pdf").status_code == 404


def test_staff_build_the_pdf_and_its_text_is_checked_page_by_page(
    bruno,
    alice,
    territory,
    django_capture_on_commit_callbacks,
) -> None:
    indicator = make_indicator()
    add_values(indicator, {2015: 1000, 2020: 930, 2025: 860})
    make_mandate()
    with pytest.raises(PermissionDeniedError):
        services.report_pdf_request(user=alice, year=2025)
    assert Client().post("/rapport/2025/pdf/").status_code == 302  # to the login page
    client = Client()
    client.force_login(bruno)
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post("/rapport/2025/pdf/").status_code == 302
    assert report.pdf_status(2025)["state"] == "pret"
    response = Client().get("/rapport/2025.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    pdf = PdfReader(io.BytesIO(b"".join(response.streaming_content)))
    pages = [page.extract_text() for page in pdf.pages]
    assert len(pages) >= 4
    assert "rapport 2025" in pages[0] and "Émissions de GES" in pages[0]
    assert "en retard" in pages[0]
    assert "page 1 / " in pages[0]
    text = "\n".join(pages)
    for heading in (
        "Projets réalisés",
        "Financements obtenus",
        "Participation",
        "grands chantiers",
    ):
        assert heading in text
    assert any("Projets réalisés" in p and "Émissions" not in p for p in pages[1:])
    page = Client().get("/rapport/2025/").content.decode()
    assert "/rapport/2025.pdf" in page
