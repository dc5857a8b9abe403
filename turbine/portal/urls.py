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
    path("territoire/communes/<str:code>/suivre/", views.commune_follow, name="commune_follow"),
    path(
        "territoire/agglomerations/<str:siren>/suivre/",
        views.agglomeration_follow,
        name="agglomeration_follow",
    ),
    path("territoire/suivis/", views.follows, name="follows"),
    # The demand around a funder's aids reads the guichet (above funding): the portal's page.
    path("financeurs/<int:funder_id>/demande/", views.funder_demand_page, name="funder_demand"),
    path(
        "territoire/suivis/<str:token>/desabonner/",
        views.follow_unsubscribe,
        name="follow_unsubscribe",
    ),
    path(
        "territoire/suivis/<str:token>/desabonner/un-clic/",
        views.follow_unsubscribe_one_click,
        name="follow_unsubscribe_one_click",
    ),
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
