from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest


def site(request: HttpRequest) -> dict[str, object]:
    return {
        "DEMO_BANNER": settings.TURBINE_DEMO_BANNER,
        "SITE_URL": settings.SITE_URL,
    }
