"""After a meeting: sanitised minutes, checked documents, attendance counts, feedback."""

from __future__ import annotations

import io
import zipfile
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from turbine.accounts.tests.factories import UserFactory
from turbine.cooperation.models import EventDocument, EventFeedback
from turbine.cooperation.services import meetings as services
from turbine.cooperation.tests.factories_meetings import EventFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def _past_event(bruno):
    event = EventFactory(created_by=bruno)
    return event


def test_organisers_write_sanitised_minutes(territory, client, bruno, alice) -> None:
    event = _past_event(bruno)
    url = f"/rencontres/{event.pk}/bilan/"
    client.force_login(alice)
    assert client.get(url).status_code == 403
    client.force_login(bruno)
    client.post(
        url,
        {"action": "compte-rendu", "minutes": "## Décisions\n\n<script>alert(1)</script>**oui**"},
    )
    page = client.get(event.get_absolute_url()).content.decode()
    assert "Décisions</h4>" in page  # headings shift below the page's own
    assert "<script>alert(1)</script>" not in page and "<strong>oui</strong>" in page


def _docx() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("name", "content", "accepted"),
    [
        ("diaporama.pdf", b"%PDF-1.7\n...", True),
        ("photo.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 20, True),
        ("notes.docx", _docx(), True),
        ("liste.csv", b"nom;commune\nDora;Lens\n", True),
        ("programme.exe", b"MZ\x90\x00", False),
        ("faux.pdf", b"<html>hello</html>", False),
        ("archive.docx", b"PK\x03\x04garbage", False),
        ("binaire.txt", b"abc\x00def", False),
        ("vide.pdf", b"", False),
    ],
)
def test_documents_are_type_checked(
    territory, client, bruno, media, name, content, accepted
) -> None:
    event = _past_event(bruno)
    client.force_login(bruno)
    response = client.post(
        f"/rencontres/{event.pk}/bilan/",
        {"action": "document", "title": "Support", "file": SimpleUploadedFile(name, content)},
    )
    assert EventDocument.objects.filter(event=event).exists() is accepted
    if not accepted:
        assert response.status_code == 200 and "form-errors" in response.content.decode()


def test_documents_are_size_checked_downloaded_and_deleted(territory, client, bruno, media) -> None:
    event = _past_event(bruno)
    client.force_login(bruno)
    big = SimpleUploadedFile("gros.pdf", b"%PDF-" + b"0" * (10 * 1024 * 1024))
    response = client.post(
        f"/rencontres/{event.pk}/bilan/", {"action": "document", "title": "Gros", "file": big}
    )
    assert "10 Mo" in response.content.decode() and not EventDocument.objects.exists()
    client.post(
        f"/rencontres/{event.pk}/bilan/",
        {"action": "document", "title": "Support", "file": SimpleUploadedFile("s.pdf", b"%PDF-1")},
    )
    document = EventDocument.objects.get()
    client.logout()
    download = client.get(f"/rencontres/documents/{document.pk}/")
    assert download.status_code == 200 and download["X-Content-Type-Options"] == "nosniff"
    assert download["Content-Type"] == "application/pdf"
    assert "attachment" in download["Content-Disposition"]
    assert "Support" in client.get(event.get_absolute_url()).content.decode()
    client.force_login(bruno)
    client.post(
        f"/rencontres/{event.pk}/bilan/", {"action": "supprimer-document", "document": document.pk}
    )
    assert not EventDocument.objects.exists()
    response = client.post(
        f"/rencontres/{event.pk}/bilan/", {"action": "supprimer-document", "document": "x\x00"}
    )
    assert response.status_code == 200


def test_registered_people_give_feedback_once_the_event_started(territory, client, alice) -> None:
    event = EventFactory()
    registration = services.registration_create(event_id=event.pk, user=alice)
    client.force_login(alice)
    url = f"/rencontres/{event.pk}/avis/"
    client.post(url, {"rating": "4", "useful": "on", "comment": "Bien"})
    assert not EventFeedback.objects.exists()  # not started yet
    event.start = timezone.now() - timedelta(hours=3)
    event.end = timezone.now() - timedelta(hours=1)
    event.save()
    assert "Votre avis" in client.get(event.get_absolute_url()).content.decode()
    client.post(url, {"rating": "4", "useful": "on", "comment": "Bien"})
    client.post(url, {"rating": "5", "comment": "Très bien"})
    feedback = EventFeedback.objects.get()
    assert (feedback.registration, feedback.rating, feedback.useful) == (registration, 5, False)
    client.post(url, {"rating": "9"})
    assert EventFeedback.objects.get().rating == 5
    client.force_login(UserFactory())
    client.post(url, {"rating": "1"})
    assert EventFeedback.objects.count() == 1


def test_the_followup_page_shows_counts_and_anonymous_comments(territory, client, bruno) -> None:
    event = EventFactory(created_by=bruno, capacity=None)
    people = [UserFactory(display_name=f"Nom{i}") for i in range(3)]
    regs = [services.registration_create(event_id=event.pk, user=p) for p in people]
    services.attendance_mark(actor=bruno, event_id=event.pk, code=regs[0].code)
    event.start = timezone.now() - timedelta(hours=3)
    event.end = timezone.now() - timedelta(hours=1)
    event.save()
    from turbine.cooperation.services.meetings_followup import feedback_submit

    regs[0].refresh_from_db()
    feedback_submit(registration=regs[0], rating=4, useful=True, comment="Super atelier")
    client.force_login(bruno)
    page = client.get(f"/rencontres/{event.pk}/bilan/")
    assert page.context["counts"]["attended"] == 1 and page.context["counts"]["registered"] == 3
    text = page.content.decode()
    assert "Super atelier" in text and "Nom0" not in text
    assert "1 personne présente" in client.get(event.get_absolute_url()).content.decode()
