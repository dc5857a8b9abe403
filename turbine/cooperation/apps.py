from django.apps import AppConfig


class CooperationConfig(AppConfig):
    name = "turbine.cooperation"
    label = "cooperation"
    verbose_name = "Coopération"

    def ready(self) -> None:
        from turbine.cooperation import (  # noqa: F401  (registrations)
            debates_registry,
            demo_debates,
            demo_groups,
            demo_meetings,
            demo_panels,
            geo_meetings,
            groups_registry,
            meetings_rules,
            moderation_meetings,
            panels_rules,
            panels_sections,
            personal_data_meetings,
            personal_data_panels,
            search_meetings,
        )
