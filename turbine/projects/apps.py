from django.apps import AppConfig


class ProjectsConfig(AppConfig):
    name = "turbine.projects"
    label = "projects"
    verbose_name = "Projets"
