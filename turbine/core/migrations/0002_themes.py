"""The shared taxonomy of themes. Slugs are a contract (URLs, API): never change them here."""

from django.db import migrations

THEMES = [
    ("mobilite", "Mobilité"),
    ("alimentation", "Alimentation"),
    ("energie", "Énergie"),
    ("renovation-habitat", "Rénovation et habitat"),
    ("biodiversite-renaturation", "Biodiversité et renaturation"),
    ("eau", "Eau"),
    ("dechets-economie-circulaire", "Déchets et économie circulaire"),
    ("industrie-reconversion", "Industrie et reconversion"),
    ("emploi-formation", "Emploi et formation"),
    ("education-culture", "Éducation et culture"),
    ("sante-environnement", "Santé et environnement"),
    ("solidarite-justice-sociale", "Solidarité et justice sociale"),
    ("citoyennete-cooperation", "Citoyenneté et coopération"),
]


def create_themes(apps, schema_editor):
    Theme = apps.get_model("core", "Theme")
    for position, (slug, name) in enumerate(THEMES, start=1):
        Theme.objects.update_or_create(slug=slug, defaults={"name": name, "position": position})


def delete_themes(apps, schema_editor):
    apps.get_model("core", "Theme").objects.filter(slug__in=[s for s, _ in THEMES]).delete()


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]
    operations = [migrations.RunPython(create_themes, delete_themes)]
