from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "turbine.core"
    label = "core"
    verbose_name = "Socle"

    def ready(self) -> None:
        # Binds @shared_task to Turbine's Celery app and its settings.
        import turbine.celery  # noqa: F401
