from django.apps import AppConfig


class GuichetConfig(AppConfig):
    name = "turbine.guichet"
    label = "guichet"
    verbose_name = "Guichet unique"

    def ready(self) -> None:
        from turbine.guichet import rules  # noqa: F401  (registrations)
