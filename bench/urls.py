"""Turbine's URLs plus ``/bench/bare/``, the framework's floor: a view that does nothing, served
through the same gunicorn, settings and middleware as every page measured beside it."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.urls import include, path


def bare(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok", content_type="text/plain; charset=utf-8")


urlpatterns = [
    path("bench/bare/", bare, name="bench-bare"),
    path("", include("turbine.urls")),
]
