"""Pages of the guichet app, with their full paths (included at the site root)."""

from django.urls import path

from turbine.guichet import views

app_name = "guichet"
urlpatterns = [
    path("guichet/", views.intake_who, name="start"),
    path("guichet/projet/", views.intake_project, name="step_project"),
    path("guichet/besoins/", views.intake_needs, name="step_needs"),
    path("guichet/envoi/", views.intake_submit, name="step_submit"),
    path("guichet/mes-demandes/", views.my_requests, name="my_requests"),
    path("guichet/mes-demandes/<int:pk>/", views.my_request, name="my_request"),
    path(
        "guichet/demandes/<int:pk>/recommandations/<int:rec_pk>/",
        views.recommendation_status,
        name="recommendation_status",
    ),
    path("guichet/demandes/<int:pk>/messages/", views.message_post, name="message_post"),
    path("guichet/demandes/<int:pk>/resultats/", views.found_refresh, name="found_refresh"),
    path(
        "guichet/demandes/<int:pk>/aides/<int:aid_pk>/choix/",
        views.aid_choice,
        name="aid_choice",
    ),
    path("guichet/demarches/", views.procedures, name="procedures"),
    path("guichet/chiffres/", views.figures, name="figures"),
    path("guichet/parrainage/", views.mentor_offer, name="mentor_offer"),
    path("guichet/suivi/", views.queue, name="queue"),
    path("guichet/suivi/lot/", views.queue_bulk, name="queue_bulk"),
    path("guichet/suivi/export.csv", views.queue_export, name="queue_export"),
    path("guichet/suivi/aides/", views.aid_options, name="aid_options"),
    path("guichet/suivi/<int:pk>/", views.staff_request, name="staff_request"),
    path("guichet/suivi/<int:pk>/<slug:action>/", views.staff_action, name="staff_action"),
]
