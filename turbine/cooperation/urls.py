"""Pages of the cooperation app, with their full paths (included at the site root)."""

from django.urls import path

from turbine.cooperation.views import debates, groups, meetings, meetings_followup

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
    path("groupes/", groups.group_list, name="group_list"),
    path("groupes/nouveau/", groups.group_create, name="group_create"),
    path("groupes/thematiques/nouvelle/", groups.work_theme_create, name="work_theme_create"),
    path("groupes/<int:pk>/", groups.group_detail, name="group_detail"),
    path("groupes/<int:pk>/rejoindre/", groups.group_join, name="group_join"),
    path("groupes/<int:pk>/quitter/", groups.group_leave, name="group_leave"),
    path("groupes/<int:pk>/courriels/", groups.group_notify, name="group_notify"),
    path("groupes/<int:pk>/messages/", groups.group_message, name="group_message"),
    path("groupes/<int:pk>/documents/", groups.group_document, name="group_document"),
    path(
        "groupes/documents/<int:document_id>/",
        groups.group_document_download,
        name="group_document_download",
    ),
    path("savoir-faire/", groups.offer_list, name="offer_list"),
    path("savoir-faire/nouveau/", groups.offer_create, name="offer_create"),
    path("savoir-faire/<int:pk>/", groups.offer_detail, name="offer_detail"),
    path("savoir-faire/<int:pk>/participer/", groups.offer_request, name="offer_request"),
]
