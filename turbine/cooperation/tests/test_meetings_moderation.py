"""An event can be reported like any public content; hidden, it leaves its page and the lists."""

from __future__ import annotations

import pytest
from django.urls import reverse

from turbine.cooperation.tests.factories_meetings import EventFactory
from turbine.directory import moderation

pytestmark = pytest.mark.django_db


def test_it_reports_and_hides_an_event(client, territory, alice, bruno) -> None:
    event = EventFactory(title="Atelier douteux")
    client.force_login(alice)
    page = client.get(event.get_absolute_url()).content.decode()
    report_url = reverse("directory:report", args=["rencontre", event.pk])
    assert report_url in page
    client.post(report_url, {"reason": "Vente déguisée, pas une rencontre"})
    report = moderation.open_reports()[0]
    assert report.title == "Atelier douteux"
    decide = reverse("directory:moderation_decide", args=[report.pk])
    assert client.post(decide, {"action": "hide"}).status_code == 403  # a citizen cannot
    client.force_login(bruno)
    client.post(decide, {"action": "hide"})
    event.refresh_from_db()
    assert event.is_hidden
    client.logout()
    assert client.get(event.get_absolute_url()).status_code == 404
    assert "Atelier douteux" not in client.get("/rencontres/").content.decode()


def test_a_visitor_sees_no_report_link(client, territory) -> None:
    event = EventFactory()
    assert "Signaler ce contenu" not in client.get(event.get_absolute_url()).content.decode()
