from django.apps import AppConfig


class ShowcaseConfig(AppConfig):
    name = "turbine.showcase"
    label = "showcase"
    verbose_name = "Vitrine et diplomatie"

    def ready(self) -> None:
        from turbine.showcase import (  # noqa: F401  (registrations)
            demo,
            personal_data,
            rules,
            search_showcase,
            steering_sections,
        )
