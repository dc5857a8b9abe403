from django.apps import AppConfig


class FundingConfig(AppConfig):
    name = "turbine.funding"
    label = "funding"
    verbose_name = "Financements"

    def ready(self) -> None:
        from turbine.core import navigation, search

        # services.partners registers its introduction kinds,
        # personal_data_sections what the person can export and delete; project_extension adds the
        # funding rows to the projects' edit page and API.
        from turbine.funding import (
            personal_data_sections,  # noqa: F401
            project_extension,
        )
        from turbine.funding.navigation import funder_entries
        from turbine.funding.services import catalogue as services
        from turbine.funding.services import partners  # noqa: F401

        navigation.register(funder_entries, order=20)
        project_extension.register()

        search.register(
            kind="aide", label="Aides et appels à projets", documents=services.aid_documents
        )
