from django.apps import AppConfig


class LabelConfig(AppConfig):
    name = "turbine.label"
    label = "label"
    verbose_name = "Charte et label"

    def ready(self) -> None:
        from turbine.label import marks, rules, search_label  # noqa: F401  (registrations)
