"""Demonstration accounts: invented people of the territory, marked as demo."""

from __future__ import annotations

from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group

from turbine.accounts.models import User
from turbine.core import demo
from turbine.territory.models import Commune

PEOPLE = [
    # email, display name, commune INSEE code, roles, public profile, bio
    (
        "alice.demo@turbine.localhost",
        "Alice Martin (démo)",
        "62498",
        ["citoyen"],
        True,
        "Habitante de Lens, bénévole d'un repair café et cycliste du quotidien.",
    ),
    (
        "chloe.demo@turbine.localhost",
        "Chloé Lefebvre (démo)",
        "62119",
        ["citoyen", "porteur de projet"],
        True,
        "Porte un projet de jardin partagé sur une friche de Béthune.",
    ),
    (
        "bruno.demo@turbine.localhost",
        "Bruno Dupont (démo)",
        "62510",
        ["conseiller"],
        True,
        "Conseiller de la Turbine, spécialiste de la rénovation énergétique.",
    ),
    (
        "elise.demo@turbine.localhost",
        "Élise Caron (démo)",
        "62427",
        ["élu"],
        True,
        "Adjointe à la transition écologique d'une commune de l'agglomération d'Hénin-Carvin.",
    ),
    (
        "farid.demo@turbine.localhost",
        "Farid Benali (démo)",
        "62215",
        ["partenaire financeur"],
        False,
        "",
    ),
    (
        "admin.demo@turbine.localhost",
        "Administratrice (démo)",
        None,
        ["administrateur"],
        False,
        "",
    ),
]


def load_people() -> str:
    communes = Commune.objects.in_bulk([p[2] for p in PEOPLE if p[2]], field_name="code")
    groups = {g.name: g for g in Group.objects.all()}
    for email, name, code, roles, public, bio in PEOPLE:
        user, created = User.objects.get_or_create(
            email=email,
            defaults={
                "display_name": name,
                "commune": communes.get(code),
                "is_profile_public": public,
                "bio": bio,
                "is_demo": True,
                "is_staff": "conseiller" in roles or "administrateur" in roles,
                "is_superuser": "administrateur" in roles,
            },
        )
        if created:
            user.set_password(demo.DEMO_PASSWORD)
            user.save(update_fields=["password"])
            user.groups.add(*[groups[r] for r in roles])
            EmailAddress.objects.get_or_create(
                user=user, email=email, defaults={"primary": True, "verified": True}
            )
    return (
        f"{len(PEOPLE)} comptes de démonstration (mot de passe « {demo.DEMO_PASSWORD} ») : "
        + ", ".join(p[0] for p in PEOPLE)
    )


demo.register("comptes", load_people)
