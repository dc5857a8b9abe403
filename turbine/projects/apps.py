from django.apps import AppConfig


class ProjectsConfig(AppConfig):
    name = "turbine.projects"
    label = "projects"
    verbose_name = "Projets"

    def ready(self) -> None:
        from turbine.projects import (  # noqa: F401  (registrations)
            geo,
            imports,
            moderation,
            personal_data_sections,
            search_indexes,
        )
