from django.apps import AppConfig


class ShowcaseConfig(AppConfig):
    name = "turbine.showcase"
    label = "showcase"
    verbose_name = "Vitrine et diplomatie"

    def ready(self) -> None:
        from turbine.showcase import demo, personal_data, rules  # noqa: F401  (registrations)
