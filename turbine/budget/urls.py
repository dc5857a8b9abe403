"""Pages of the budget app, with their full paths (included at the site root)."""

from django.urls import path

from turbine.budget.views import campaigns as views_campaigns
from turbine.budget.views import pages as views

app_name = "budget"
P = "budget-participatif/<slug:slug>/"
urlpatterns = [
    path("budget-participatif/", views.campaign_list, name="campaigns"),
    path("budget-participatif/images/<int:image_id>.jpg", views.proposal_image, name="image"),
    path(
        "budget-participatif/nouvelle-campagne/",
        views_campaigns.campaign_new,
        name="campaign_new",
    ),
    path(P, views.campaign_detail, name="campaign"),
    path(P + "gestion/", views_campaigns.campaign_edit, name="campaign_edit"),
    path(P + "proposer/", views.proposal_submit, name="proposal_submit"),
    path(P + "propositions/<int:proposal_id>/", views.proposal_detail, name="proposal"),
    path(
        P + "propositions/<int:proposal_id>/instruction/",
        views.proposal_review,
        name="proposal_review",
    ),
    path(P + "instruction/", views.review_queue, name="review_queue"),
    path(P + "gestion/votants/", views_campaigns.voter_list, name="voter_list"),
    path(P + "vote/", views.vote_index, name="vote"),
    path(P + "vote/code/", views.vote_code, name="vote_code"),
    path(P + "vote/<int:envelope_id>/", views.vote_ballot, name="vote_ballot"),
    path(P + "vote/<int:envelope_id>/recu/", views.vote_receipt, name="vote_receipt"),
    path(P + "resultats/", views.results, name="results"),
    path(P + "resultats/publier/", views.results_publish, name="results_publish"),
    path(
        P + "resultats/bulletins-<int:envelope_id>.pb", views.results_export, name="results_export"
    ),
]
