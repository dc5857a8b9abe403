from django.apps import AppConfig


class BudgetConfig(AppConfig):
    name = "turbine.budget"
    label = "budget"
    verbose_name = "Budget participatif"

    def ready(self) -> None:
        from turbine.budget import (  # noqa: F401  (registrations)
            permissions,
            personal_data_sections,
            search_indexes,
        )
