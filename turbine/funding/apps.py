from django.apps import AppConfig


class FundingConfig(AppConfig):
    name = "turbine.funding"
    label = "funding"
    verbose_name = "Financements"
