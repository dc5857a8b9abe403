from django.urls import path

from turbine.core import views

app_name = "core"
urlpatterns = [
    path("api/", views.api_overview, name="api"),
    path("healthz", views.healthz, name="healthz"),
]
