from django.apps import AppConfig


class DirectoryConfig(AppConfig):
    name = "turbine.directory"
    label = "directory"
    verbose_name = "Annuaire"

    def ready(self) -> None:
        from turbine.directory import (  # noqa: F401  (registrations)
            geo,
            imports,
            introductions,
            moderation,
            personal_data_sections,
            search_indexes,
            signals,
        )
