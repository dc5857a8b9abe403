from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path

from turbine.core.api import api

urlpatterns = [
    path("", include("turbine.core.urls")),
    path("compte/", include("turbine.accounts.urls")),
    path("compte/", include("allauth.urls")),
    path("territoire/", include("turbine.territory.urls")),
    # These apps declare their full paths (/acteurs/, /projets/, /aides/, /budget-participatif/...).
    path("", include("turbine.directory.urls")),
    path("", include("turbine.projects.urls")),
    path("", include("turbine.funding.urls")),
    path("", include("turbine.budget.urls")),
    path("", include("turbine.guichet.urls")),
    path("", include("turbine.label.urls")),
    path("", include("turbine.cooperation.urls")),
    path("", include("turbine.steering.urls")),
    path("", include("turbine.showcase.urls")),
    path("", include("turbine.portal.urls")),
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
]

# Uploaded files (logos, images) in development; production serves MEDIA_ROOT from the proxy.
if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
