from django.urls import path

from turbine.portal import views

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("recherche/", views.search_page, name="search"),
    path("mentions-legales/", views.legal_notice, name="legal"),
    path("accessibilite/", views.accessibility, name="accessibility"),
    # A place's page gathers every app's data: it belongs to the portal, at territory's address.
    path("territoire/agglomerations/<str:siren>/", views.agglomeration, name="agglomeration"),
    path("territoire/communes/<str:code>/", views.commune, name="commune"),
    path(
        "territoire/agglomerations/<str:siren>/briefing/",
        views.agglomeration_briefing_page,
        name="agglomeration_briefing",
    ),
    path(
        "territoire/agglomerations/<str:siren>/briefing.pdf",
        views.agglomeration_briefing_pdf,
        name="agglomeration_briefing_pdf",
    ),
    path(
        "territoire/communes/<str:code>/briefing/",
        views.commune_briefing_page,
        name="commune_briefing",
    ),
    path(
        "territoire/communes/<str:code>/briefing.pdf",
        views.commune_briefing_pdf,
        name="commune_briefing_pdf",
    ),
]
