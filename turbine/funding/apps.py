from django.apps import AppConfig


class FundingConfig(AppConfig):
    name = "turbine.funding"
    label = "funding"
    verbose_name = "Financements"

    def ready(self) -> None:
        from turbine.core import search

        # demo registers its data set, partner_services its introduction kinds,
        # personal_data_sections what the person can export and delete.
        from turbine.funding import (  # noqa: F401
            demo,
            partner_services,
            personal_data_sections,
            services,
        )

        search.register(
            kind="aide", label="Aides et appels à projets", documents=services.aid_documents
        )
