"""The situations the intake asks about, and the procedures each calls for (staff edit both in
the administration)."""

from django.db import migrations

TRIGGERS = [
    # slug, label, help text, new structure, procedure titles
    ("travaux-exterieurs", "Des travaux qui changent l'aspect extérieur d'un bâtiment", "Toiture, façade, clôture, fenêtres, panneaux sur le toit.", False, ["Déclaration préalable de travaux"]),
    ("construction", "Construire ou agrandir un bâtiment", "Plus de 20 m² : serre, hangar, local, extension.", False, ["Permis de construire"]),
    ("manifestation", "Une manifestation ouverte au public", "Fête, marché, festival, concert, rassemblement.", False, ["Déclaration d'une manifestation publique en mairie"]),
    ("buvette", "Une buvette ou une vente de boissons", "Pendant une manifestation.", False, ["Autorisation de buvette temporaire"]),
    ("vente-alimentaire", "Préparer, vendre ou distribuer des aliments", "Repas, vente de légumes ou de conserves, épicerie, traiteur.", False, ["Déclaration sanitaire de manipulation de denrées alimentaires (DDPP)"]),
    ("domaine-public", "Occuper la voie publique", "Stand, bacs ou jardinières sur un trottoir, terrasse.", False, ["Autorisation d'occupation temporaire du domaine public"]),
    ("milieu-aquatique", "Des travaux sur une mare, un cours d'eau ou une zone humide", "Creuser, prélever de l'eau, aménager des berges.", False, ["Déclaration ou autorisation au titre de la loi sur l'eau"]),
    ("production-electricite", "Produire de l'électricité", "Panneaux solaires, petite éolienne, autoconsommation.", False, ["Demande de raccordement d'une installation de production d'électricité"]),
    ("ruches", "Installer des ruches", "", False, ["Déclaration annuelle de ruches"]),
    ("dechets-traitement", "Stocker ou traiter des déchets en quantité", "Méthanisation, plateforme de compostage, recyclerie.", False, ["Installation classée pour l'environnement (ICPE)"]),
    ("nouvelle-structure", "Créer une association pour porter le projet", "Seulement si le projet n'a pas encore de structure.", True, ["Déclaration de création d'une association"]),
]  # fmt: skip


def create(apps, schema_editor):
    Trigger = apps.get_model("guichet", "ProcedureTrigger")
    Procedure = apps.get_model("guichet", "Procedure")
    for position, (slug, label, help_text, new_structure, titles) in enumerate(TRIGGERS, 1):
        trigger, _ = Trigger.objects.update_or_create(
            slug=slug,
            defaults={
                "label": label,
                "help_text": help_text,
                "is_new_structure": new_structure,
                "position": position,
            },
        )
        for procedure in Procedure.objects.filter(title__in=titles):
            procedure.triggers.add(trigger)


def delete(apps, schema_editor):
    apps.get_model("guichet", "ProcedureTrigger").objects.filter(
        slug__in=[t[0] for t in TRIGGERS]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("guichet", "0004_triggers_found_choices")]
    operations = [migrations.RunPython(create, delete)]
