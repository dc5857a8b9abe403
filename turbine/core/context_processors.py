from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from turbine.core import navigation


def site(request: HttpRequest) -> dict[str, object]:
    return {
        "DEMO_BANNER": settings.TURBINE_DEMO_BANNER,
        "SITE_URL": settings.SITE_URL,
        # The role's own menu entries, computed only if the page shows the account menu.
        "role_nav": SimpleLazyObject(
            lambda: navigation.entries_for(getattr(request, "user", None), request.path)
        ),
    }
