from __future__ import annotations

import os

import pytest
from django.test import override_settings

pytestmark = pytest.mark.django_db


def test_it_reports_the_database_and_unconfigured_services(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["checks"]["database"]["status"] == "ok"
    assert body["checks"]["broker"] == {"status": "not_configured"}


@override_settings(CELERY_BROKER_URL="redis://127.0.0.1:1/0")
def test_it_answers_503_when_the_broker_is_down(client):
    from turbine.celery import app

    original = app.conf.broker_url
    app.conf.broker_url = "redis://127.0.0.1:1/0"
    try:
        response = client.get("/healthz")
    finally:
        app.conf.broker_url = original
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "error"
    assert body["checks"]["broker"]["status"] == "error"
    assert body["checks"]["database"]["status"] == "ok"


@override_settings(
    CACHE_URL="redis://127.0.0.1:1/0",
    CACHES={
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
        }
    },
)
def test_it_answers_503_when_the_cache_is_down(client):
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["checks"]["cache"]["status"] == "error"


@pytest.mark.skipif(not os.environ.get("TEST_REDIS_URL"), reason="TEST_REDIS_URL not set")
def test_it_reports_a_live_redis_cache_and_broker(client):
    url = os.environ["TEST_REDIS_URL"]
    caches = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url}
    }
    from turbine.celery import app

    original = app.conf.broker_url
    app.conf.broker_url = url
    try:
        with override_settings(CACHE_URL=url, CACHES=caches, CELERY_BROKER_URL=url):
            response = client.get("/healthz")
    finally:
        app.conf.broker_url = original
    assert response.status_code == 200, response.json()
    assert response.json()["checks"]["cache"]["status"] == "ok"
    assert response.json()["checks"]["broker"]["status"] == "ok"
