from django.apps import AppConfig


class FundingConfig(AppConfig):
    name = "turbine.funding"
    label = "funding"
    verbose_name = "Financements"

    def ready(self) -> None:
        from turbine.core import search
        from turbine.funding import demo, services  # noqa: F401  (demo registers its data set)

        search.register(
            kind="aide", label="Aides et appels à projets", documents=services.aid_documents
        )
