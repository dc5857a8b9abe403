# A project's funding rows move to the funding app (funding 0006_projectfunding_from_projects).

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("projects", "0004_project_updates"),
    ]

    operations = [
        # The table is kept: funding 0006 declares the model on it and renames it.
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="ProjectFunding")],
            database_operations=[],
        ),
    ]
