from __future__ import annotations

import time
from functools import lru_cache

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from turbine.celery import app
from turbine.core.api import api


@lru_cache(maxsize=1)
def _api_operations() -> list[tuple[str, list[dict[str, object]]]]:
    """The API's operations grouped by tag, read from the OpenAPI document (so this page
    follows every app's routers without being edited)."""
    schema = api.get_openapi_schema(path_prefix="/api/v1/")
    groups: dict[str, list[dict[str, object]]] = {}
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            tag = (operation.get("tags") or ["Autres"])[0]
            groups.setdefault(tag, []).append(
                {
                    "method": method.upper(),
                    "path": path,
                    "summary": operation.get("summary", ""),
                    "token": bool(operation.get("security")),
                }
            )
    return list(groups.items())


def api_overview(request: HttpRequest) -> HttpResponse:
    return render(request, "core/api.html", {"groups": _api_operations()})


def _check_database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def _check_cache() -> None:
    key = "healthz:probe"
    cache.set(key, "ok", 10)
    if cache.get(key) != "ok":
        raise RuntimeError("cache did not return the value it was given")


def _check_broker() -> None:
    with app.connection_for_write() as conn:
        conn.ensure_connection(max_retries=1, timeout=2)


@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """State of the database, and of the cache and broker when configured; 503 if one is down."""
    checks = {"database": _check_database}
    if settings.CACHE_URL:
        checks["cache"] = _check_cache
    if settings.CELERY_BROKER_URL:
        checks["broker"] = _check_broker
    report: dict[str, dict[str, object]] = {}
    healthy = True
    for name, check in checks.items():
        started = time.perf_counter()
        try:
            check()
        except Exception as exc:  # any failure means "down"; the message says which
            healthy = False
            report[name] = {"status": "error", "error": f"{type(exc).__name__}: {exc}"[:300]}
        else:
            report[name] = {
                "status": "ok",
                "ms": round((time.perf_counter() - started) * 1000, 1),
            }
    for name in ("cache", "broker"):
        report.setdefault(name, {"status": "not_configured"})
    return JsonResponse(
        {"status": "ok" if healthy else "error", "checks": report}, status=200 if healthy else 503
    )
