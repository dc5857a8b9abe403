"""Pages of the showcase, with their full paths (included at the site root)."""

from django.urls import path

from turbine.showcase.views import blockers, embed, stories, strategies, visits, vitrine

app_name = "showcase"
urlpatterns = [
    path("vitrine/", vitrine.home, name="home"),
    path("vitrine/familles/<slug:family>/", vitrine.family, name="family"),
    path("vitrine/mon-portrait/<int:pk>/", vitrine.portrait_mine, name="portrait_mine"),
    path("vitrine/equipe/", vitrine.portrait_staff, name="portrait_staff"),
    path("vitrine/equipe/<int:pk>/", vitrine.portrait_manage, name="portrait_manage"),
    path("recits/", stories.story_list, name="story_list"),
    path("recits/nouveau/", stories.story_create, name="story_create"),
    path("recits/mes-recits/", stories.story_mine, name="story_mine"),
    path("recits/relecture/", stories.review_queue, name="story_review_queue"),
    path("recits/<int:pk>/", stories.story_detail, name="story_detail"),
    path("recits/<int:pk>/modifier/", stories.story_edit, name="story_edit"),
    path("recits/<int:pk>/relecture/", stories.story_review, name="story_review"),
    path("visites/", visits.visit_list, name="visit_list"),
    path("visites/nouvelle/", visits.visit_create, name="visit_create"),
    path("visites/chiffres/", visits.visit_figures, name="visit_figures"),
    path("visites/suivi/<str:token>/", visits.request_personal, name="visit_request_personal"),
    path("visites/<int:pk>/", visits.visit_detail, name="visit_detail"),
    path("visites/<int:pk>/gerer/", visits.visit_manage, name="visit_manage"),
    path("visites/<int:pk>/modifier/", visits.visit_edit, name="visit_edit"),
    path("embed/", embed.embed_code, name="embed_code"),
    path("embed/carte/", embed.embed_map, name="embed_map"),
    path("embed/projets/", embed.embed_cards, name="embed_cards"),
    path("blocages/", blockers.blocker_list, name="blocker_list"),
    path("blocages/signaler/", blockers.blocker_create, name="blocker_create"),
    path("blocages/equipe/", blockers.blocker_staff, name="blocker_staff"),
    path("blocages/dossiers/<int:pk>/", blockers.advocacy_detail, name="advocacy_detail"),
    path("blocages/<int:pk>/", blockers.blocker_detail, name="blocker_detail"),
    path("strategies/", strategies.strategies, name="strategies"),
    path("strategies/equipe/", strategies.strategies_staff, name="strategies_staff"),
    path("strategies/notes/<int:pk>/", strategies.brief_detail, name="brief_detail"),
]
