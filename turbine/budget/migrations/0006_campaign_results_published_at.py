"""Publication of the results becomes an explicit state (``campaign_results_publish``).

Campaigns whose results were already tallied (a snapshot with their own rule, written by the first
visit of the results page before this change) count as published, at the time of that tally.
"""

from django.db import migrations, models
from django.db.models import Min


def mark_tallied_campaigns(apps, schema_editor):
    Campaign = apps.get_model("budget", "Campaign")
    ResultSnapshot = apps.get_model("budget", "ResultSnapshot")
    for campaign in Campaign.objects.filter(results_published_at__isnull=True):
        first = ResultSnapshot.objects.filter(
            envelope__campaign=campaign, rule=campaign.rule
        ).aggregate(at=Min("computed_at"))["at"]
        if first is not None:
            campaign.results_published_at = first
            campaign.save(update_fields=["results_published_at"])


class Migration(migrations.Migration):
    dependencies = [
        ("budget", "0005_proposal_realisation_project"),
    ]

    operations = [
        migrations.AddField(
            model_name="campaign",
            name="results_published_at",
            field=models.DateTimeField(
                blank=True,
                editable=False,
                help_text="Écrit par le service de publication des résultats, jamais à la main.",
                null=True,
                verbose_name="résultats publiés le",
            ),
        ),
        migrations.RunPython(mark_tallied_campaigns, migrations.RunPython.noop),
    ]
