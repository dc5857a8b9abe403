"""The follow-up of a funded proposal posts its notes as news on the project's page."""

from __future__ import annotations

import pytest
from django.test import Client

from turbine.budget import services
from turbine.budget.models import ProposalStatus
from turbine.budget.tests.factories import make_campaign, make_proposal

pytestmark = pytest.mark.django_db


def test_it_posts_realisation_notes_as_project_news(client: Client, territory, bruno) -> None:
    campaign = make_campaign(phase="resultats")
    funded = make_proposal(campaign, status=ProposalStatus.FUNDED)
    services.proposal_progress(actor=bruno, proposal_id=funded.pk, status="en_travaux", note="")
    funded.refresh_from_db()
    project = funded.realisation_project
    assert not project.updates.exists()
    services.proposal_progress(
        actor=bruno, proposal_id=funded.pk, status="en_travaux", note="Chantier en **mars**."
    )
    services.proposal_progress(
        actor=bruno, proposal_id=funded.pk, status="realisee", note="Inauguré."
    )
    news = list(project.updates.all())
    assert [u.text for u in news] == ["Inauguré.", "Chantier en **mars**."]
    assert all(u.author == bruno and u.from_staff for u in news)
    body = client.get(project.get_absolute_url()).content.decode()
    assert "Nouvelles du projet" in body and "<strong>mars</strong>" in body
    assert body.index("Inauguré.") < body.index("Chantier en")
    items = client.get(f"/api/v1/projects/{project.pk}/updates").json()["items"]
    assert [i["text"] for i in items] == ["Inauguré.", "Chantier en **mars**."]
