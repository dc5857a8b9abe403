from django.apps import AppConfig


class GuichetConfig(AppConfig):
    name = "turbine.guichet"
    label = "guichet"
    verbose_name = "Guichet unique"
