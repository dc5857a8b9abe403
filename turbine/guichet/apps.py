from django.apps import AppConfig


class GuichetConfig(AppConfig):
    name = "turbine.guichet"
    label = "guichet"
    verbose_name = "Guichet unique"

    def ready(self) -> None:
        from turbine.funding.services.catalogue import on_catalogue_change
        from turbine.guichet import (  # noqa: F401  (registrations)
            introduction_kinds,
            personal_data_sections,
            rules,
            search_indexes,
        )
        from turbine.guichet.tasks import catalogue_changed

        on_catalogue_change(catalogue_changed)
