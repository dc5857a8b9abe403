"""Turbine's roles, as Django groups (names from turbine.accounts.roles)."""

from django.db import migrations

ROLES = [
    "citoyen",
    "porteur de projet",
    "conseiller",
    "élu",
    "partenaire financeur",
    "administrateur",
]


def create_roles(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for name in ROLES:
        Group.objects.get_or_create(name=name)


def delete_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=ROLES).delete()


class Migration(migrations.Migration):
    dependencies = [("accounts", "0001_initial"), ("auth", "0012_alter_user_first_name_max_length")]
    operations = [migrations.RunPython(create_roles, delete_roles)]
