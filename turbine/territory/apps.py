from django.apps import AppConfig


class TerritoryConfig(AppConfig):
    name = "turbine.territory"
    label = "territory"
    verbose_name = "Territoire"

    def ready(self) -> None:
        from turbine.territory import search_indexes  # noqa: F401  (registers with core.search)
