from django.urls import path

from turbine.core import views

app_name = "core"
urlpatterns = [
    path("", views.home, name="home"),
    path("recherche/", views.search_page, name="search"),
    path("mentions-legales/", views.legal_notice, name="legal"),
    path("api/", views.api_overview, name="api"),
    path("accessibilite/", views.accessibility, name="accessibility"),
    path("healthz", views.healthz, name="healthz"),
]
