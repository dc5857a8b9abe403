"""Pages of the cooperation app, with their full paths (included at the site root)."""

from django.urls import path

from turbine.cooperation.views import debates, meetings, meetings_followup

app_name = "cooperation"
urlpatterns: list = [
    path("rencontres/", meetings.event_list, name="event_list"),
    path("rencontres.ics", meetings.event_list_ics, name="event_list_ics"),
    path("rencontres/nouvelle/", meetings.event_create, name="event_create"),
    path("rencontres/diversite/", meetings.diversity_dashboard, name="event_diversity"),
    path(
        "rencontres/inscription/<str:token>/",
        meetings.registration_personal,
        name="registration_personal",
    ),
    path("rencontres/<int:pk>/", meetings.event_detail, name="event_detail"),
    path("rencontres/<int:pk>.ics", meetings.event_ics, name="event_ics"),
    path("rencontres/<int:pk>/modifier/", meetings.event_edit, name="event_edit"),
    path("rencontres/<int:pk>/inscription/", meetings.event_register, name="event_register"),
    path("rencontres/<int:pk>/annulation/", meetings.event_cancel, name="event_cancel"),
    path("rencontres/<int:pk>/presences/", meetings.event_attendance, name="event_attendance"),
    path("rencontres/<int:pk>/bilan/", meetings_followup.event_followup, name="event_followup"),
    path("rencontres/<int:pk>/avis/", meetings_followup.event_feedback, name="event_feedback"),
    path(
        "rencontres/documents/<int:document_id>/",
        meetings_followup.document_download,
        name="event_document",
    ),
    path("debats/", debates.debate_list, name="debate_list"),
    path("debats/nouveau/", debates.debate_create, name="debate_create"),
    path("debats/<int:pk>/", debates.debate_detail, name="debate_detail"),
    path("debats/<int:pk>/contribuer/", debates.argument_add, name="argument_add"),
    path("debats/<int:pk>/synthese/", debates.debate_synthesis, name="debate_synthesis"),
]
