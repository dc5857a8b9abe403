"""The login lockout (axes) and allauth's throttles: by address and IP, the IP read behind a
trusted proxy only."""

from __future__ import annotations

import pytest
from axes.models import AccessAttempt
from django.core.cache import cache
from django.test import RequestFactory, override_settings

from turbine.accounts.tests.factories import PASSWORD
from turbine.core.clients import client_ip, login_identifier

pytestmark = pytest.mark.django_db

LOGIN = "/compte/login/"


def _fail(client, email: str, **headers: str) -> None:
    response = client.post(LOGIN, {"login": email, "password": "faux"}, **headers)
    assert "_auth_user_id" not in client.session
    assert response.status_code in {200, 429}


def test_it_never_locks_alice_out_for_failures_on_other_addresses(client, alice):
    for n in range(5):
        _fail(client, f"inconnu{n}@example.org")
    response = client.post(LOGIN, {"login": "alice@example.org", "password": PASSWORD})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(alice.pk)


def test_it_records_the_attempted_address(client, alice):
    _fail(client, "Alice@Example.org")
    assert list(AccessAttempt.objects.values_list("username", flat=True)) == ["alice@example.org"]


def test_it_locks_one_address_from_one_ip_only(client, alice):
    for _ in range(5):
        _fail(client, "alice@example.org", REMOTE_ADDR="198.51.100.7")
    locked = client.post(
        LOGIN, {"login": "alice@example.org", "password": PASSWORD}, REMOTE_ADDR="198.51.100.7"
    )
    assert locked.status_code == 429
    elsewhere = client.post(
        LOGIN, {"login": "alice@example.org", "password": PASSWORD}, REMOTE_ADDR="198.51.100.8"
    )
    assert elsewhere.status_code == 302


def test_it_ignores_x_forwarded_for_without_a_trusted_proxy(client, alice):
    # A client cannot dodge the lockout by sending a new X-Forwarded-For each time.
    for n in range(5):
        _fail(client, "alice@example.org", HTTP_X_FORWARDED_FOR=f"203.0.113.{n}")
    response = client.post(
        LOGIN,
        {"login": "alice@example.org", "password": PASSWORD},
        HTTP_X_FORWARDED_FOR="203.0.113.99",
    )
    assert response.status_code == 429


@override_settings(TRUSTED_PROXY_COUNT=1)
def test_it_tells_visitors_apart_behind_a_trusted_proxy(client, alice):
    # Every request comes from the proxy's address; the client is the proxy's last hop.
    proxy = {"REMOTE_ADDR": "10.0.0.1"}
    for _ in range(5):
        _fail(client, "alice@example.org", HTTP_X_FORWARDED_FOR="203.0.113.5", **proxy)
    blocked = client.post(
        LOGIN,
        {"login": "alice@example.org", "password": PASSWORD},
        HTTP_X_FORWARDED_FOR="203.0.113.5",
        **proxy,
    )
    assert blocked.status_code == 429
    other_visitor = client.post(
        LOGIN,
        {"login": "alice@example.org", "password": PASSWORD},
        HTTP_X_FORWARDED_FOR="203.0.113.6",
        **proxy,
    )
    assert other_visitor.status_code == 302


@override_settings(TRUSTED_PROXY_COUNT=1, ACCOUNT_RATE_LIMITS={"login_failed": "3/m/ip"})
def test_it_throttles_allauth_per_client_ip_behind_the_proxy(client, alice):
    cache.clear()
    proxy = {"REMOTE_ADDR": "10.0.0.1"}
    for n in range(4):
        _fail(client, f"inconnu{n}@example.org", HTTP_X_FORWARDED_FOR="203.0.113.5", **proxy)
    throttled = client.post(
        LOGIN,
        {"login": "alice@example.org", "password": PASSWORD},
        HTTP_X_FORWARDED_FOR="203.0.113.5",
        **proxy,
    )
    # allauth refuses in the form, without even checking the password.
    assert "_auth_user_id" not in client.session
    assert "Trop de tentatives" in throttled.content.decode()
    other_visitor = client.post(
        LOGIN,
        {"login": "alice@example.org", "password": PASSWORD},
        HTTP_X_FORWARDED_FOR="198.51.100.1, 203.0.113.6",
        **proxy,
    )
    assert other_visitor.status_code == 302
    cache.clear()


@pytest.mark.parametrize(
    ("count", "remote", "forwarded", "expected"),
    [
        (0, "192.0.2.1", "203.0.113.9", "192.0.2.1"),
        (1, "10.0.0.1", "6.6.6.6, 203.0.113.9", "203.0.113.9"),
        (2, "10.0.0.1", "6.6.6.6, 203.0.113.9, 10.0.0.2", "203.0.113.9"),
        (2, "10.0.0.1", "203.0.113.9", "10.0.0.1"),  # fewer hops than proxies
        (1, "10.0.0.1", "pas-une-ip", "10.0.0.1"),
        (1, "10.0.0.1", "203.0.113.9:443", "203.0.113.9"),
        (1, "10.0.0.1", "[2001:db8::1]:443", "2001:db8::1"),
    ],
)
def test_it_reads_the_client_ip(settings, count, remote, forwarded, expected):
    settings.TRUSTED_PROXY_COUNT = count
    request = RequestFactory().get("/", REMOTE_ADDR=remote, HTTP_X_FORWARDED_FOR=forwarded)
    assert client_ip(request) == expected


def test_it_reads_the_login_from_allauth_credentials_or_the_form():
    request = RequestFactory().post("/", {"login": " Bob@Example.org "})
    assert login_identifier(request, {"email": "Alice@example.org"}) == "alice@example.org"
    assert login_identifier(request, None) == "bob@example.org"
