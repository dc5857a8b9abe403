"""Citizen panels in the personal-data export and on account deletion."""

from __future__ import annotations

import pytest

from turbine.accounts import personal_data
from turbine.cooperation.models import PanelMember, Volunteer
from turbine.cooperation.personal_data_panels import (
    anonymise_volunteerings,
    export_volunteerings,
)
from turbine.cooperation.services import panels as services
from turbine.cooperation.tests.test_panels_services import computed_draw, make_panel

pytestmark = pytest.mark.django_db


def test_the_section_is_registered() -> None:
    assert "cooperation_panels" in {s.key for s in personal_data.sections()}


def test_a_volunteer_exports_features_consents_and_selection(
    territory, bruno, django_capture_on_commit_callbacks
) -> None:
    panel, users = make_panel(bruno)
    draw = computed_draw(bruno, panel, django_capture_on_commit_callbacks)
    draw = services.draw_pick(actor=bruno, draw_id=draw.pk, seed="7 7 7")
    member = PanelMember.objects.filter(draw=draw).select_related("volunteer__user").first()
    rows = export_volunteerings(member.volunteer.user)
    assert len(rows) == 1
    row = rows[0]
    assert row["panel"] == panel.title
    assert row["features"] == member.volunteer.features
    assert row["consent_draw"] is True and row["consent_contact"] is True
    assert row["withdrawn_at"] is None
    (selection,) = row["selections"]
    assert selection["probability"] == pytest.approx(draw.probabilities[member.row - 1])
    assert selection["status"]
    # Someone else's export says nothing of this registration.
    other = next(u for u in users if u != member.volunteer.user)
    assert all(r["features"] != {} for r in export_volunteerings(other))
    assert export_volunteerings(bruno) == []


def test_account_deletion_erases_pool_entries_and_detaches_the_drawn(
    territory, bruno, django_capture_on_commit_callbacks
) -> None:
    panel, users = make_panel(bruno)
    draw = computed_draw(bruno, panel, django_capture_on_commit_callbacks)
    draw = services.draw_pick(actor=bruno, draw_id=draw.pk, seed="1 2 3")
    drawn_user = PanelMember.objects.filter(draw=draw).first().volunteer.user
    not_drawn = next(u for u in users if not PanelMember.objects.filter(volunteer__user=u))
    anonymise_volunteerings(not_drawn)
    assert not Volunteer.objects.filter(user=not_drawn).exists()
    anonymise_volunteerings(drawn_user)
    assert not Volunteer.objects.filter(user=drawn_user).exists()
    kept = PanelMember.objects.filter(draw=draw).count()
    assert kept == 4  # the draw's record still adds up
    assert Volunteer.objects.filter(panel=panel, user=None, features={}).count() == 1
    drawn_user.delete()
    assert PanelMember.objects.filter(draw=draw).count() == 4
