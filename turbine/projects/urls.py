"""Pages of the projects app, with their full paths (included at the site root)."""

from django.urls import path

from turbine.projects import views

app_name = "projects"
urlpatterns = [
    path("projets/", views.project_list, name="project_list"),
    path("projets/export.csv", views.project_export_csv, name="project_export_csv"),
    path("projets/export.geojson", views.project_export_geojson, name="project_export_geojson"),
    path("projets/nouveau/", views.project_create, name="project_create"),
    path("projets/mes-projets/", views.my_projects, name="my_projects"),
    path("projets/<int:pk>/", views.project_detail, name="project_detail"),
    path("projets/<int:pk>/modifier/", views.project_edit, name="project_edit"),
    path("projets/<int:pk>/liens/", views.project_link_add, name="project_link_add"),
    path(
        "projets/<int:pk>/liens/<int:link_id>/supprimer/",
        views.project_link_remove,
        name="project_link_remove",
    ),
    path("projets/<int:pk>/nouvelles/", views.project_updates, name="project_updates"),
    path(
        "projets/<int:pk>/nouvelles/<int:update_id>/supprimer/",
        views.project_update_remove,
        name="project_update_remove",
    ),
    path("projets/<int:pk>/images/", views.project_image_add, name="project_image_add"),
    path(
        "projets/<int:pk>/images/<int:image_id>/supprimer/",
        views.project_image_remove,
        name="project_image_remove",
    ),
]
