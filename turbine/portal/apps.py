from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "turbine.portal"
    label = "portal"
    verbose_name = "Portail"
