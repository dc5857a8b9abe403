from django.apps import AppConfig


class GuichetConfig(AppConfig):
    name = "turbine.guichet"
    label = "guichet"
    verbose_name = "Guichet unique"

    def ready(self) -> None:
        from turbine.guichet import (  # noqa: F401  (registrations)
            demo,
            introduction_kinds,
            personal_data_sections,
            rules,
            search_indexes,
        )
