"""Pages of the funding app, with their full paths (included at the site root)."""

from django.urls import path

from turbine.funding import management_views as manage
from turbine.funding import views

app_name = "funding"
urlpatterns = [
    path("aides/", views.aid_list, name="aid_list"),
    path("aides/echeances/", views.deadlines, name="deadlines"),
    path("aides/echeances.ics", views.deadlines_ics, name="deadlines_ics"),
    path("aides/flux.atom", views.aid_feed, name="feed"),
    path("aides/export.csv", views.aid_export, name="export"),
    path("aides/<int:aid_id>/", views.aid_detail, name="aid"),
    path("aides/<int:aid_id>/notes/", views.note_create, name="note_create"),
    path(
        "aides/<int:aid_id>/notes/<int:note_id>/supprimer/",
        views.note_delete,
        name="note_delete",
    ),
    path("aides/<int:aid_id>/suivre/", views.aid_follow, name="aid_follow"),
    path(
        "aides/<int:aid_id>/partenaires/",
        views.partner_search_create,
        name="partner_search_create",
    ),
    path(
        "aides/<int:aid_id>/partenaires/<int:search_id>/clore/",
        views.partner_search_close,
        name="partner_search_close",
    ),
    path("aides/alertes/", views.alert_create, name="alert_create"),
    path("aides/alertes/<str:token>/confirmer/", views.alert_confirm, name="alert_confirm"),
    path(
        "aides/alertes/<str:token>/desabonner/", views.alert_unsubscribe, name="alert_unsubscribe"
    ),
    path(
        "aides/alertes/<str:token>/desabonner/un-clic/",
        views.alert_unsubscribe_one_click,
        name="alert_unsubscribe_one_click",
    ),
    path("financeurs/", views.funder_list, name="funders"),
    path("financeurs/<int:funder_id>/", views.funder_detail, name="funder"),
    path("financeurs/<int:funder_id>/gestion/", manage.manage_home, name="manage"),
    path(
        "financeurs/<int:funder_id>/gestion/aides/nouvelle/",
        manage.manage_aid_create,
        name="manage_aid_create",
    ),
    path(
        "financeurs/<int:funder_id>/gestion/aides/<int:aid_id>/",
        manage.manage_aid_edit,
        name="manage_aid",
    ),
    path(
        "financeurs/<int:funder_id>/gestion/aides/<int:aid_id>/notes/",
        manage.manage_note_create,
        name="manage_note_create",
    ),
    path(
        "financeurs/<int:funder_id>/gestion/aides/<int:aid_id>/<slug:action>/",
        manage.manage_aid_action,
        name="manage_aid_action",
    ),
    path(
        "projets/<int:pk>/candidatures/", manage.project_applications, name="project_applications"
    ),
    path(
        "projets/<int:pk>/candidatures/<int:application_id>/",
        manage.project_application_edit,
        name="project_application",
    ),
]
