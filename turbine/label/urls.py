"""Pages of the label app, with their full paths (included at the site root)."""

from django.urls import path

from turbine.label.views import ambition, applications, charter, label, mutual_aid

app_name = "label"
urlpatterns: list = [
    path("charte/", charter.charter, name="charter"),
    path("charte/signer/", charter.charter_sign, name="charter_sign"),
    path("charte/signataires/", charter.signatories, name="signatories"),
    path(
        "charte/signataires/organisation/<int:pk>/",
        charter.organisation_history,
        name="organisation_history",
    ),
    path("charte/signataires/commune/<str:code>/", charter.commune_history, name="commune_history"),
    path("charte/versions/", charter.version_list, name="version_list"),
    path("charte/versions/nouvelle/", charter.version_edit, name="version_create"),
    path("charte/versions/<int:pk>/modifier/", charter.version_edit, name="version_edit"),
    path("charte/versions/<int:pk>/publier/", charter.version_publish, name="version_publish"),
    path("label/", label.home, name="home"),
    path("label/referentiel/", label.referential, name="referential"),
    path("label/referentiel.csv", label.referential_export, name="referential_export"),
    path("label/referentiel/importer/", label.referential_import, name="referential_import"),
    path("label/referentiel/<int:pk>/niveaux/", label.levels_edit, name="levels_edit"),
    path("label/registre/", label.registry, name="registry"),
    path("label/registre/<int:pk>/", label.registry_detail, name="registry_detail"),
    path("label/badge/<int:pk>.svg", label.badge, name="badge"),
    path("label/candidatures/", applications.applications, name="applications"),
    path(
        "label/candidatures/<int:pk>/", applications.application_detail, name="application_detail"
    ),
    path(
        "label/candidatures/<int:pk>/engagements/",
        applications.commitments_sign,
        name="commitments_sign",
    ),
    path(
        "label/candidatures/<int:pk>/criteres/<int:node_id>/",
        applications.assessment_save,
        name="assessment_save",
    ),
    path(
        "label/candidatures/<int:pk>/criteres/<int:node_id>/preuves/",
        applications.evidence_add,
        name="evidence_add",
    ),
    path(
        "label/candidatures/<int:pk>/preuves/<int:evidence_id>/retirer/",
        applications.evidence_delete,
        name="evidence_delete",
    ),
    path(
        "label/preuves/<int:evidence_id>/", applications.evidence_download, name="evidence_download"
    ),
    path(
        "label/candidatures/<int:pk>/soumettre/",
        applications.application_submit,
        name="application_submit",
    ),
    path(
        "label/candidatures/<int:pk>/examinateurs/",
        applications.review_assign,
        name="review_assign",
    ),
    path(
        "label/candidatures/<int:pk>/examens/<int:assignment_id>/declaration/",
        applications.review_declare,
        name="review_declare",
    ),
    path(
        "label/candidatures/<int:pk>/examens/<int:assignment_id>/criteres/<int:node_id>/",
        applications.verdict_save,
        name="verdict_save",
    ),
    path(
        "label/candidatures/<int:pk>/examens/<int:assignment_id>/terminer/",
        applications.review_complete,
        name="review_complete",
    ),
    path(
        "label/candidatures/<int:pk>/decision/",
        applications.application_decide,
        name="application_decide",
    ),
    path(
        "label/candidatures/<int:pk>/confirmation/",
        applications.confirmation_schedule,
        name="confirmation_schedule",
    ),
    path(
        "label/candidatures/<int:pk>/confirmer/",
        applications.application_confirm,
        name="application_confirm",
    ),
]
urlpatterns += [
    path("label/entraide/", mutual_aid.peer_list, name="peer_list"),
    path(
        "label/entraide/nouvelle/<int:application_id>/",
        mutual_aid.peer_create,
        name="peer_create",
    ),
    path("label/entraide/<int:pk>/", mutual_aid.peer_detail, name="peer_detail"),
    path("label/entraide/<int:pk>/volontaire/", mutual_aid.peer_volunteer, name="peer_volunteer"),
    path("label/entraide/<int:pk>/messages/", mutual_aid.peer_message, name="peer_message"),
    path("label/entraide/<int:pk>/rencontre/", mutual_aid.peer_meeting, name="peer_meeting"),
    path("label/entraide/<int:pk>/cloture/", mutual_aid.peer_close, name="peer_close"),
]
urlpatterns += [
    path("charte-ambition/", ambition.ambition_list, name="ambition_list"),
    path("charte-ambition/nouvelle/", ambition.ambition_create, name="ambition_create"),
    path("charte-ambition/<int:pk>/", ambition.ambition_detail, name="ambition_detail"),
    path("charte-ambition/<int:pk>/engagements/", ambition.commitment_add, name="commitment_add"),
    path("charte-ambition/<int:pk>/bilan/", ambition.review_record, name="ambition_review"),
]
