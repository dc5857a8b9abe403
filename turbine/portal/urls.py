from django.urls import path

from turbine.portal import views

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("recherche/", views.search_page, name="search"),
    path("mentions-legales/", views.legal_notice, name="legal"),
    path("accessibilite/", views.accessibility, name="accessibility"),
]
