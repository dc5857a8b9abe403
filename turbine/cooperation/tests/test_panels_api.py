"""API of panels and challenges: /api/v1/panels, /panels/{id}/composition, /challenges,
/challenges/{id}/progress, POST /challenges/{id}/pledges (token)."""

from __future__ import annotations

import json

import pytest

from turbine.cooperation.models import Pledge
from turbine.cooperation.services import panels as services
from turbine.cooperation.tests.test_challenges import chosen, in_days, propose
from turbine.cooperation.tests.test_meetings_api import bearer
from turbine.cooperation.tests.test_panels_services import make_panel

pytestmark = pytest.mark.django_db


def test_panels_and_their_composition_hold_no_personal_data(
    client, territory, bruno, django_capture_on_commit_callbacks, django_assert_max_num_queries
) -> None:
    panel, users = make_panel(bruno)
    for _ in range(3):
        make_panel(bruno, people=1)
    with django_assert_max_num_queries(6):
        listing = client.get("/api/v1/panels").json()
    assert listing["count"] == 4
    assert {"id", "title", "size", "pool_size", "status", "url"} <= set(listing["items"][0])
    before = client.get(f"/api/v1/panels/{panel.pk}/composition").json()
    assert before["draw"] is None
    assert before["quotas"][0]["features"][0]["pool"] == 6
    with django_capture_on_commit_callbacks(execute=True):
        draw = services.draw_start(actor=bruno, panel_id=panel.pk)
    services.draw_pick(actor=bruno, draw_id=draw.pk, seed="9")
    body = client.get(f"/api/v1/panels/{panel.pk}/composition").json()
    assert body["draw"]["seed"] == "9"
    assert 0 < body["draw"]["min_probability"] <= body["draw"]["max_probability"] <= 1
    assert all(f["met"] for c in body["quotas"] for f in c["features"])
    text = json.dumps(body)
    assert all(u.email not in text and u.display_name not in text for u in users)
    assert client.get("/api/v1/panels/999999/composition").status_code == 404


def test_challenges_progress_and_pledging_with_a_token(client, territory, alice, bruno) -> None:
    challenge = chosen(alice, bruno)
    propose(alice, title="Manger local")
    listing = client.get("/api/v1/challenges").json()
    assert listing["count"] == 2
    url = f"/api/v1/challenges/{challenge.pk}/pledges"
    payload = {"quantity": "20", "description": "20 arceaux", "due_date": str(in_days(30))}
    assert client.post(url, payload, content_type="application/json").status_code == 401
    headers = bearer(alice)
    created = client.post(url, payload, content_type="application/json", **headers)
    assert created.status_code == 201 and created.json()["quantity"] == 20.0
    for bad, status in [
        ({**payload, "quantity": "1e40"}, 422),
        ({**payload, "quantity": "-3"}, 422),
        ({**payload, "description": ""}, 422),
        ({**payload, "due_date": str(in_days(-3))}, 400),
        ({**payload, "commune": "00000"}, 400),
        ({**payload, "description": "x" * 301}, 422),
    ]:
        response = client.post(url, bad, content_type="application/json", **headers)
        assert response.status_code == status, bad
        assert "detail" in response.json()
    huge = client.post(
        url, "{" + '"a":1,' * 200_000 + '"b":2}', content_type="application/json", **headers
    )
    assert 400 <= huge.status_code < 500
    assert Pledge.objects.count() == 1
    assert (
        client.post(
            "/api/v1/challenges/999999/pledges", payload, content_type="application/json", **headers
        ).status_code
        == 404
    )
    progress = client.get(f"/api/v1/challenges/{challenge.pk}/progress").json()
    assert progress["pledged"] == 20.0 and progress["pledges"][0]["description"] == "20 arceaux"
