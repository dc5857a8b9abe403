"""Pages of the label app, with their full paths (included at the site root)."""

from django.urls import path

from turbine.label.views import charter

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
]
