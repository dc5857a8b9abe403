"""An elected official follows Lens and receives its monthly digest once a month, with a
one-click unsubscribe; a citizen cannot follow."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from turbine.accounts.tests.factories import UserFactory
from turbine.portal.models import PlaceFollow
from turbine.portal.services import send_monthly_digests
from turbine.projects.tests.factories import ProjectFactory
from turbine.territory.models import Commune

pytestmark = pytest.mark.django_db

LENS = "62498"


@pytest.fixture
def elise(territory):
    """Élise, an elected official with a verified address."""
    from allauth.account.models import EmailAddress

    user = UserFactory(email="elise@example.org", roles=["élu"])
    EmailAddress.objects.update_or_create(
        user=user, email=user.email, defaults={"verified": True, "primary": True}
    )
    return user


def test_an_official_follows_a_commune_then_stops(client, elise):
    client.force_login(elise)
    page = client.get(f"/territoire/communes/{LENS}/").content.decode()
    assert "Suivre ce lieu" in page
    response = client.post(f"/territoire/communes/{LENS}/suivre/", follow=True)
    assert "Vous suivez ce lieu" in response.content.decode()
    assert PlaceFollow.objects.filter(user=elise, commune__code=LENS).count() == 1
    client.post(f"/territoire/communes/{LENS}/suivre/")  # the same button again: unfollow
    assert not PlaceFollow.objects.filter(user=elise).exists()


def test_the_follows_page_lists_the_places(client, elise):
    client.force_login(elise)
    siren = Commune.objects.get(code=LENS).agglomeration.siren
    client.post(f"/territoire/agglomerations/{siren}/suivre/")
    html = client.get("/territoire/suivis/").content.decode()
    assert "CA de Lens" in html and f"/territoire/agglomerations/{siren}/briefing/" in html
    assert "Mes communes" in client.get("/").content.decode()  # in the account menu


def test_a_citizen_cannot_follow_and_gets_a_french_403(client, alice):
    client.force_login(alice)
    assert "Suivre ce lieu" not in client.get(f"/territoire/communes/{LENS}/").content.decode()
    response = client.post(f"/territoire/communes/{LENS}/suivre/")
    assert response.status_code == 403
    assert "réservé" in response.content.decode() or "accès" in response.content.decode()
    assert client.get("/territoire/suivis/").status_code == 403
    assert not PlaceFollow.objects.exists()


def test_following_needs_a_post_and_an_account(client, elise):
    assert client.post(f"/territoire/communes/{LENS}/suivre/").status_code == 302  # to login
    client.force_login(elise)
    assert client.get(f"/territoire/communes/{LENS}/suivre/").status_code == 405
    assert client.post("/territoire/communes/00000/suivre/").status_code == 404


def test_the_monthly_digest_is_sent_once_with_a_one_click_unsubscribe(
    client, elise, django_capture_on_commit_callbacks
):
    client.force_login(elise)
    client.post(f"/territoire/communes/{LENS}/suivre/")
    ProjectFactory(title="Ressourcerie du centre de Lens", commune_codes=[LENS])
    with django_capture_on_commit_callbacks(execute=True):
        assert send_monthly_digests() == 1
    with django_capture_on_commit_callbacks(execute=True):
        assert send_monthly_digests() == 0  # the same month: nothing again
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["elise@example.org"]
    assert "Lens" in message.subject
    assert "Ressourcerie du centre de Lens" in message.body
    follow = PlaceFollow.objects.get(user=elise)
    one_click = f"/territoire/suivis/{follow.token}/desabonner/un-clic/"
    assert message.extra_headers["List-Unsubscribe"].endswith(f"{one_click}>")
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    client.logout()
    assert client.post(one_click).status_code == 200
    assert not PlaceFollow.objects.exists()
    assert client.post(one_click).status_code == 200  # again: same answer
    assert client.get(f"/territoire/suivis/{follow.token}/desabonner/").status_code == 404


def test_the_unsubscribe_page_asks_before_acting(client, elise):
    client.force_login(elise)
    client.post(f"/territoire/communes/{LENS}/suivre/")
    follow = PlaceFollow.objects.get()
    client.logout()
    url = f"/territoire/suivis/{follow.token}/desabonner/"
    assert "Confirmer le désabonnement" in client.get(url).content.decode()
    assert PlaceFollow.objects.exists()  # a mail scanner's GET changes nothing
    assert "Vous ne suivez plus Lens" in client.post(url).content.decode()
    assert not PlaceFollow.objects.exists()
    assert client.get("/territoire/suivis/x%00y/desabonner/").status_code == 404


def test_a_month_with_nothing_new_sends_nothing(elise, django_capture_on_commit_callbacks):
    PlaceFollow.objects.create(user=elise, commune=Commune.objects.get(code="62001"), token="t1")
    with django_capture_on_commit_callbacks(execute=True):
        assert send_monthly_digests(today=timezone.localdate() + timedelta(days=400)) == 0
    assert mail.outbox == []
    assert PlaceFollow.objects.get().last_digest  # marked done all the same
