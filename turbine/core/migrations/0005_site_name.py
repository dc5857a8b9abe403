"""Names the django.contrib.sites entry that allauth's emails use ("Turbine", not example.com)."""

from urllib.parse import urlsplit

from django.conf import settings
from django.db import migrations


def name_site(apps, schema_editor):
    Site = apps.get_model("sites", "Site")
    domain = urlsplit(settings.SITE_URL).netloc or "127.0.0.1:8000"
    Site.objects.update_or_create(
        id=settings.SITE_ID, defaults={"domain": domain, "name": "Turbine de l'éco-transition"}
    )


class Migration(migrations.Migration):
    dependencies = [("core", "0004_demo_dataset"), ("sites", "0002_alter_domain_unique")]
    operations = [migrations.RunPython(name_site, migrations.RunPython.noop)]
