from django.apps import AppConfig


class BudgetConfig(AppConfig):
    name = "turbine.budget"
    label = "budget"
    verbose_name = "Budget participatif"
