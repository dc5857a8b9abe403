from django.apps import AppConfig


class FundingConfig(AppConfig):
    name = "turbine.funding"
    label = "funding"
    verbose_name = "Financements"

    def ready(self) -> None:
        from turbine.core import search

        # demo registers its data set, partner_services its introduction kinds.
        from turbine.funding import demo, partner_services, services  # noqa: F401

        search.register(
            kind="aide", label="Aides et appels à projets", documents=services.aid_documents
        )
