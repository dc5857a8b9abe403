from __future__ import annotations

import datetime
import re
import zoneinfo

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from turbine.funding.models import Aid, Alert, AlertDigest
from turbine.funding.services import alerts as alert_services
from turbine.funding.services.catalogue import FundingError
from turbine.funding.tests.factories import commune, make_aid

pytestmark = pytest.mark.usefixtures("perimeters")

PARIS = zoneinfo.ZoneInfo("Europe/Paris")


def link(message: mail.EmailMessage, kind: str) -> str:
    return re.search(rf"http://[^\s]+/aides/alertes/[^/\s]+/{kind}/", message.body).group(0)


def test_it_creates_an_alert_with_double_opt_in_and_unsubscribes_without_login(
    client: Client, db: None, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/aides/alertes/",
            {
                "email": "Dora@Example.org",
                "frequency": "quotidienne",
                "query": "theme=energie&commune=62119",
            },
        )
    assert response.status_code == 200
    assert "Un courriel vient de partir" in response.content.decode()
    alert = Alert.objects.get()
    assert (alert.email, alert.query, alert.is_active) == (
        "dora@example.org",
        "commune=62119&theme=energie",
        False,
    )
    (message,) = mail.outbox
    assert message.subject == "Confirmez votre alerte sur les aides – Turbine"
    assert "Thèmes : Énergie" in message.body and "Béthune (62119)" in message.body
    assert message.alternatives[0][1] == "text/html"
    confirm = link(message, "confirmer").removeprefix("http://127.0.0.1:8000")
    assert "Confirmer mon alerte" in client.get(confirm).content.decode()
    assert not Alert.objects.get().is_active  # a GET (mail scanners) confirms nothing
    assert "est confirmée" in client.post(confirm).content.decode()
    assert Alert.objects.get().is_active
    unsubscribe = link(message, "desabonner").removeprefix("http://127.0.0.1:8000")
    assert "Vous êtes désabonné" in client.post(unsubscribe).content.decode()
    assert not Alert.objects.get().is_active
    assert client.get("/aides/alertes/inconnu/confirmer/").status_code == 404


def test_it_refuses_invalid_alerts(client: Client, db: None) -> None:
    response = client.post(
        "/aides/alertes/", {"email": "pas-une-adresse", "frequency": "quotidienne"}
    )
    assert response.status_code == 400
    with pytest.raises(FundingError, match="filtres invalides"):
        alert_services.alert_create(
            email="a@example.org", query="closing_within=x", frequency="quotidienne"
        )


def test_it_caps_pending_alerts_per_mailbox_without_saying_so(
    client: Client, db: None, mailoutbox, django_capture_on_commit_callbacks
) -> None:
    # Plus-addresses and gmail dots reach one mailbox: they share its cap.
    addresses = [
        "a.b@gmail.com",
        "ab+1@gmail.com",
        "A.B+2@gmail.com",
        "ab@gmail.com",
        "a.b+x@gmail.com",
    ]
    with django_capture_on_commit_callbacks(execute=True):
        for address in addresses:
            assert alert_services.alert_create(email=address, query="", frequency="quotidienne")
        assert (
            alert_services.alert_create(email="ab+6@gmail.com", query="", frequency="quotidienne")
            is None
        )
        assert alert_services.alert_create(email="c@example.org", query="", frequency="quotidienne")
    assert len(mailoutbox) == 6 and Alert.objects.count() == 6
    # The page answers the same whether the address has alerts or not.
    with django_capture_on_commit_callbacks(execute=True):
        capped = client.post(
            "/aides/alertes/", {"email": "ab+7@gmail.com", "frequency": "quotidienne"}
        )
        fresh = client.post(
            "/aides/alertes/", {"email": "d@example.org", "frequency": "quotidienne"}
        )
    assert capped.status_code == fresh.status_code == 200
    assert "funding/alert_pending.html" in [t.name for t in capped.templates]
    assert capped.content.decode().replace("ab+7@gmail.com", "X") == fresh.content.decode().replace(
        "d@example.org", "X"
    )
    assert len(mailoutbox) == 7


def test_it_throttles_alerts_per_ip_address(client: Client, db: None) -> None:
    for i in range(20):
        response = client.post(
            "/aides/alertes/", {"email": f"p{i}@example.org", "frequency": "quotidienne"}
        )
        assert response.status_code == 200
    response = client.post(
        "/aides/alertes/", {"email": "p99@example.org", "frequency": "quotidienne"}
    )
    assert response.status_code == 400
    assert "Trop de demandes d&#x27;alerte depuis votre connexion" in response.content.decode()
    assert Alert.objects.count() == 20
    other = Client(REMOTE_ADDR="192.0.2.7")
    assert (
        other.post(
            "/aides/alertes/", {"email": "q@example.org", "frequency": "quotidienne"}
        ).status_code
        == 200
    )


def _confirmed(
    query: str = "", frequency: str = "quotidienne", at: datetime.datetime | None = None
) -> Alert:
    alert = alert_services.alert_create(email="eve@example.org", query=query, frequency=frequency)
    alert = alert_services.alert_confirm(token=alert.token)
    if at:
        Alert.objects.filter(pk=alert.pk).update(confirmed_at=at, last_digest_until=at)
    return alert


# The digest period is the Paris date: a morning leaves room for "two hours later, same day".
@time_machine.travel(datetime.datetime(2026, 3, 10, 9, 0, tzinfo=PARIS), tick=False)
def test_it_sends_each_digest_once_with_new_aids_and_deadline_reminders(
    db: None, django_capture_on_commit_callbacks
) -> None:
    alert = _confirmed("commune=62119", at=timezone.now() - datetime.timedelta(days=1))
    make_aid(title="Nouvelle aide pour Béthune")
    make_aid(title="Pour Lens seulement", perimeters=[commune("62498")])
    followed = make_aid(title="Aide suivie", deadline_in=7)
    now = timezone.now()
    Aid.objects.filter(pk=followed.pk).update(
        changed_at=now - datetime.timedelta(days=3), published_at=now - datetime.timedelta(days=3)
    )
    alert.followed_aids.add(followed)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert alert_services.alerts_send_due(now=now) == {"sent": 1}
    (message,) = mail.outbox
    assert "Nouvelle aide pour Béthune" in message.body
    assert "Pour Lens seulement" not in message.body
    assert "Aide suivie : date limite" in message.body and "dans 7 jours" in message.body
    assert "/desabonner/" in message.body and "/desabonner/" in message.alternatives[0][0]
    one_click = f"http://127.0.0.1:8000/aides/alertes/{alert.token}/desabonner/un-clic/"
    assert message.extra_headers["List-Unsubscribe"] == f"<{one_click}>"
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    sent = message.message()  # the MIME message as it leaves
    assert " ".join(sent["List-Unsubscribe"].split()) == f"<{one_click}>"
    # The same period again (a second run, or a rerun after a crash): nothing is sent.
    with django_capture_on_commit_callbacks(execute=True):
        assert alert_services.alerts_send_due(now=now + datetime.timedelta(hours=2)) == {"done": 1}
    assert len(mail.outbox) == 1
    assert AlertDigest.objects.count() == 1
    # The next day, nothing new: recorded, no email.
    with django_capture_on_commit_callbacks(execute=True):
        assert alert_services.alerts_send_due(now=now + datetime.timedelta(days=1)) == {"empty": 1}
    assert len(mail.outbox) == 1


def test_it_never_sends_a_digest_twice_when_sending_crashes_after_recording(
    db: None, django_capture_on_commit_callbacks, monkeypatch
) -> None:
    alert = _confirmed(at=timezone.now() - datetime.timedelta(days=1))
    make_aid(title="Nouvelle")
    mail.outbox.clear()
    # The worker dies after the commit, before the email leaves: the callbacks are dropped.
    with django_capture_on_commit_callbacks(execute=False):
        assert alert_services.alert_digest_send(alert_id=alert.pk) == "sent"
    with django_capture_on_commit_callbacks(execute=True):
        assert alert_services.alert_digest_send(alert_id=alert.pk) == "done"
    assert mail.outbox == []


def test_it_follows_an_aid_without_account(
    client: Client, db: None, django_capture_on_commit_callbacks
) -> None:
    aid = make_aid(title="À suivre", deadline_in=60)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/aides/{aid.pk}/suivre/", {"email": "fanny@example.org"})
    assert response.status_code == 302
    alert = Alert.objects.get()
    assert not alert.includes_search and list(alert.followed_aids.all()) == [aid]
    assert "suivre les échéances de l'aide « À suivre »" in mail.outbox[0].body
    alert_services.alert_confirm(token=alert.token)
    other = make_aid(title="Autre")
    with django_capture_on_commit_callbacks(execute=True):
        alert_services.alert_follow_aid(email="fanny@example.org", aid_id=other.pk)
    assert len(mail.outbox) == 1  # added to the confirmed alert, no new email
    assert alert.followed_aids.count() == 2


def test_it_sends_alerts_from_the_command(db: None, django_capture_on_commit_callbacks) -> None:
    _confirmed(at=timezone.now() - datetime.timedelta(days=1))
    make_aid(title="Nouvelle")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_alerts", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert len(mail.outbox) == 1
    assert (
        alert_services.period_key(frequency="hebdomadaire", today=datetime.date(2026, 11, 27))
        == "2026-W48"
    )


def test_it_exports_and_deletes_a_persons_alerts(db: None, alice) -> None:
    from turbine.funding.personal_data_sections import delete_alerts, export_alerts

    alert_services.alert_create(email="ALICE@example.org", query="", frequency="quotidienne")
    assert [a["frequency"] for a in export_alerts(alice)] == ["quotidienne"]
    delete_alerts(alice)
    assert not Alert.objects.exists()


def test_it_unsubscribes_in_one_click_from_the_mail_program(db: None) -> None:
    alert = _confirmed()
    # What a mail program sends (RFC 8058): a bare POST, no cookie, no CSRF token.
    client = Client(enforce_csrf_checks=True)
    path = f"/aides/alertes/{alert.token}/desabonner/un-clic/"
    assert client.get(path).status_code == 405  # a link scanner's GET changes nothing
    assert Alert.objects.get().is_active
    response = client.post(path, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert response.content.decode() == "Vous êtes désabonné de cette alerte."
    assert not Alert.objects.get().is_active
    assert client.post(path).status_code == 200  # twice is harmless
    unknown = client.post("/aides/alertes/inconnu/desabonner/un-clic/")
    assert unknown.status_code == 404 and "pas valide" in unknown.content.decode()
