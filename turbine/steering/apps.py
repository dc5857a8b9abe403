from django.apps import AppConfig


class SteeringConfig(AppConfig):
    name = "turbine.steering"
    label = "steering"
    verbose_name = "Pilotage"

    def ready(self) -> None:
        from turbine.steering import rules  # noqa: F401  (registrations)
