"""Pages of the directory app, with their full paths (included at the site root)."""

from django.urls import path

from turbine.directory.views import imports as views_import
from turbine.directory.views import maps as views_map
from turbine.directory.views import moderation as views_moderation
from turbine.directory.views import needs as views_needs
from turbine.directory.views import pages as views

app_name = "directory"
urlpatterns = [
    path("acteurs/", views.organisation_list, name="organisation_list"),
    path("acteurs/export.csv", views.organisation_export_csv, name="organisation_export_csv"),
    path(
        "acteurs/export.geojson",
        views.organisation_export_geojson,
        name="organisation_export_geojson",
    ),
    path("acteurs/import/", views_import.import_page, name="import"),
    path("acteurs/import/<int:pk>/", views_import.import_progress, name="import_progress"),
    path("acteurs/import/<int:pk>/confirmer/", views_import.import_confirm, name="import_confirm"),
    path("acteurs/nouvelle/", views.organisation_create, name="organisation_create"),
    path("acteurs/<int:pk>/", views.organisation_detail, name="organisation_detail"),
    path("acteurs/<int:pk>/modifier/", views.organisation_edit, name="organisation_edit"),
    path("acteurs/<int:pk>/rejoindre/", views.organisation_join, name="organisation_join"),
    path("acteurs/<int:pk>/membres/", views.organisation_members, name="organisation_members"),
    path(
        "acteurs/<int:pk>/membres/<int:membership_id>/",
        views.membership_decide,
        name="membership_decide",
    ),
    path("acteurs/personnes/", views.people_list, name="people_list"),
    path("acteurs/personnes/<int:pk>/", views.person_detail, name="person_detail"),
    path("acteurs/mon-profil/", views.my_profile, name="my_profile"),
    path("reseaux/", views.network_list, name="network_list"),
    path("reseaux/<slug:slug>/", views.network_detail, name="network_detail"),
    path("signaler/<slug:kind>/<str:object_id>/", views_moderation.report, name="report"),
    path("besoins-offres/", views_needs.needoffer_list, name="needoffer_list"),
    path("besoins-offres/nouveau/", views_needs.needoffer_create, name="needoffer_create"),
    path("besoins-offres/<int:pk>/", views_needs.needoffer_detail, name="needoffer_detail"),
    path("besoins-offres/<int:pk>/modifier/", views_needs.needoffer_edit, name="needoffer_edit"),
    path("besoins-offres/<int:pk>/clore/", views_needs.needoffer_close, name="needoffer_close"),
    path("mises-en-relation/", views_needs.introduction_inbox, name="introductions"),
    path("mises-en-relation/demander/", views_needs.introduction_ask, name="introduction_ask"),
    path(
        "mises-en-relation/<int:pk>/", views_needs.introduction_decide, name="introduction_decide"
    ),
    path("carte/", views_map.map_page, name="map"),
    path("moderation/", views_moderation.moderation_queue, name="moderation"),
    path(
        "moderation/<int:report_id>/",
        views_moderation.moderation_decide,
        name="moderation_decide",
    ),
]
