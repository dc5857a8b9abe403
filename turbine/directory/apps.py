from django.apps import AppConfig


class DirectoryConfig(AppConfig):
    name = "turbine.directory"
    label = "directory"
    verbose_name = "Annuaire"
