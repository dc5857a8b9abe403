from django.apps import AppConfig


class CooperationConfig(AppConfig):
    name = "turbine.cooperation"
    label = "cooperation"
    verbose_name = "Coopération"
