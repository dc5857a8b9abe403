from django.urls import path

from turbine.accounts import views

app_name = "accounts"
urlpatterns = [
    path("profil/", views.profile, name="profile"),
    path("donnees/", views.personal_data_page, name="personal_data"),
    path("donnees/export.json", views.personal_data_export, name="personal_data_export"),
    path("supprimer/", views.delete_account, name="delete"),
    path("jetons/", views.tokens, name="tokens"),
    path("jetons/<int:token_id>/revoquer/", views.token_revoke, name="token_revoke"),
]
