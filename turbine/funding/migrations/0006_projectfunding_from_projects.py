# A project's funding rows move from the projects app to the funding app (issue 9: funding
# depends on projects, not the reverse), keeping every row.

import django.core.validators
import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("funding", "0005_funder_management_applications"),
        ("projects", "0005_projectfunding_to_funding"),
    ]

    operations = [
        # The rows stay where they are (the projects app gave them up in projects 0005): the
        # model is declared here on the existing table, then the table takes the funding app's
        # name.
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="ProjectFunding",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        ("source", models.CharField(max_length=200, verbose_name="source")),
                        (
                            "kind",
                            models.CharField(
                                choices=[
                                    ("public", "Financement public"),
                                    ("prive", "Financement privé, mécénat"),
                                    ("fonds-propres", "Fonds propres"),
                                    ("citoyen", "Financement citoyen"),
                                    ("autre", "Autre"),
                                ],
                                max_length=20,
                                verbose_name="nature",
                            ),
                        ),
                        (
                            "amount",
                            models.DecimalField(
                                decimal_places=2,
                                max_digits=14,
                                validators=[django.core.validators.MinValueValidator(0)],
                                verbose_name="montant obtenu (€)",
                            ),
                        ),
                        (
                            "aid",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="project_fundings",
                                to="funding.aid",
                                verbose_name="aide du catalogue",
                            ),
                        ),
                        (
                            "project",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="fundings",
                                to="projects.project",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "financement obtenu",
                        "verbose_name_plural": "financements obtenus",
                        "ordering": ["-amount", "id"],
                        "db_table": "projects_projectfunding",
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.AlterModelTable(name="projectfunding", table=None),
    ]
