"""A progress report's evidence as a document: checked, re-encoded, served as an attachment."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from turbine.cooperation.models import PledgeReport
from turbine.cooperation.services import challenges as services
from turbine.cooperation.tests.test_challenges import chosen, in_days
from turbine.core.exceptions import TurbineError

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def media(settings, tmp_path) -> None:
    settings.MEDIA_ROOT = tmp_path


def _jpeg_with_exif() -> bytes:
    image = Image.new("RGB", (3000, 1000), (200, 30, 30))
    exif = Image.Exif()
    exif[0x010F] = "Appareil secret"  # Make
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", exif=exif)
    return buffer.getvalue()


@pytest.fixture
def pledge(territory, alice, bruno):
    challenge = chosen(alice, bruno)
    return services.pledge_create(
        user=alice,
        challenge_id=challenge.pk,
        quantity=20,
        description="20 arceaux à Lens",
        due_date=in_days(10),
        commune_code="62498",
    )


def test_a_photo_is_reencoded_without_its_metadata(alice, pledge) -> None:
    upload = SimpleUploadedFile("arceaux.jpg", _jpeg_with_exif(), content_type="image/jpeg")
    report = services.report_create(
        user=alice, pledge_id=pledge.pk, value=Decimal(4), date=in_days(0), evidence_file=upload
    )
    assert report.evidence_type == "image/jpeg"
    assert report.evidence_file.name.endswith(".jpg")
    assert "arceaux" not in report.evidence_file.name  # a random name
    with report.evidence_file.open("rb") as handle, Image.open(handle) as stored:
        assert max(stored.size) == services.EVIDENCE_MAX_SIDE
        assert not stored.getexif()
    assert report.evidence_size == report.evidence_file.size


def test_a_pdf_is_kept_and_other_types_refused(alice, pledge) -> None:
    report = services.report_create(
        user=alice,
        pledge_id=pledge.pk,
        value=Decimal(1),
        date=in_days(0),
        evidence_file=SimpleUploadedFile("facture.pdf", PDF),
    )
    assert report.evidence_type == "application/pdf"
    bad = [
        (SimpleUploadedFile("page.html", b"<html><script>alert(1)</script>"), "type de fichier"),
        (SimpleUploadedFile("faux.pdf", b"MZ\x90\x00 not a pdf"), "type de fichier"),
        (SimpleUploadedFile("note.txt", b"du texte"), "PDF, ou une photo PNG ou JPEG"),
        (SimpleUploadedFile("vide.pdf", b""), "vide"),
        (SimpleUploadedFile("casse.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 50), "image lisible"),
    ]
    for upload, message in bad:
        with pytest.raises(TurbineError, match=message) as caught:
            services.report_create(
                user=alice,
                pledge_id=pledge.pk,
                value=Decimal(1),
                date=in_days(0),
                evidence_file=upload,
            )
        assert caught.value.field == "evidence_file"
    assert PledgeReport.objects.count() == 1  # nothing half-saved


def test_a_document_too_large_is_refused(alice, pledge, monkeypatch) -> None:
    upload = SimpleUploadedFile("gros.pdf", PDF + b"0" * (10 * 1024 * 1024))
    with pytest.raises(TurbineError, match="10 Mo"):
        services.report_create(
            user=alice, pledge_id=pledge.pk, value=Decimal(1), date=in_days(0), evidence_file=upload
        )
    assert not PledgeReport.objects.exists()


def test_the_form_uploads_and_the_challenge_page_links_the_document(
    client, alice, chloe, pledge
) -> None:
    client.force_login(alice)
    url = reverse("cooperation:report_create", args=[pledge.pk])
    page = client.get(url)
    assert 'enctype="multipart/form-data"' in page.content.decode()
    response = client.post(
        url,
        {
            "value": "3",
            "date": in_days(0).isoformat(),
            "evidence_file": SimpleUploadedFile("preuve.pdf", PDF),
        },
    )
    assert response.status_code == 302
    report = PledgeReport.objects.get()
    detail = client.get(pledge.challenge.get_absolute_url()).content.decode()
    evidence = reverse("cooperation:report_evidence", args=[report.pk])
    assert evidence in detail
    client.logout()
    download = client.get(evidence)
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    assert download["X-Content-Type-Options"] == "nosniff"
    assert download["Content-Disposition"].startswith("attachment")
    assert b"".join(download.streaming_content) == PDF
    # A bad file: the form shows the French reason, nothing is saved.
    client.force_login(alice)
    response = client.post(
        url,
        {
            "value": "3",
            "date": in_days(0).isoformat(),
            "evidence_file": SimpleUploadedFile("virus.exe", b"MZ\x90\x00"),
        },
    )
    assert response.status_code == 200
    assert "type de fichier" in response.content.decode()
    assert PledgeReport.objects.count() == 1


def test_evidence_of_a_hidden_challenge_or_a_report_without_one_is_a_404(
    client, alice, pledge
) -> None:
    report = services.report_create(
        user=alice, pledge_id=pledge.pk, value=Decimal(1), date=in_days(0)
    )
    assert client.get(reverse("cooperation:report_evidence", args=[report.pk])).status_code == 404
    with_file = services.report_create(
        user=alice,
        pledge_id=pledge.pk,
        value=Decimal(1),
        date=in_days(0),
        evidence_file=SimpleUploadedFile("p.pdf", PDF),
    )
    pledge.challenge.is_hidden = True
    pledge.challenge.save(update_fields=["is_hidden"])
    url = reverse("cooperation:report_evidence", args=[with_file.pk])
    assert client.get(url).status_code == 404
    assert client.get("/defis/avancements/99999999999999999999/preuve/").status_code == 404
