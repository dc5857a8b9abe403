from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "turbine.portal"
    label = "portal"
    verbose_name = "Portail"

    def ready(self) -> None:
        from turbine.core import navigation
        from turbine.portal.navigation import role_entries

        navigation.register(role_entries, order=10)
