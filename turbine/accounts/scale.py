"""Synthetic accounts for ``manage.py generate_scale_data``: 500 people per unit of factor.

They live in the territory's communes (drawn in proportion to population), hold the roles a
territory's members would (mostly citizens, some project holders, a few elected officials,
funders and advisors), have a verified address, and about a third show a public profile. They
cannot sign in: their password is unusable. Their addresses end with ``@scale.turbine.invalid``
(a reserved top-level domain), which is how ``clear`` finds them, and they are marked
``is_demo``.
"""

from __future__ import annotations

import random
import string
from datetime import UTC, datetime, timedelta

from allauth.account.models import EmailAddress
from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.contrib.auth.models import Group

from turbine.accounts import roles
from turbine.accounts.models import User
from turbine.core import scale
from turbine.territory.models import Commune
from turbine.territory.selectors import get_current_territory

USERS_PER_FACTOR = 500
EMAIL_DOMAIN = "scale.turbine.invalid"
BATCH_SIZE = 1000
# Dates are drawn from a fixed window, not from "now", so that two runs give the same rows.
JOINED_FROM = datetime(2024, 1, 1, tzinfo=UTC)
JOINED_SPAN_SECONDS = 2 * 365 * 24 * 3600

FIRST_NAMES = (
    "Camille",
    "Léa",
    "Manon",
    "Chloé",
    "Emma",
    "Inès",
    "Jade",
    "Louise",
    "Zoé",
    "Lina",
    "Sarah",
    "Julie",
    "Nadia",
    "Élodie",
    "Sophie",
    "Amandine",
    "Aurélie",
    "Fatima",
    "Yasmine",
    "Margaux",
    "Lucas",
    "Hugo",
    "Louis",
    "Nathan",
    "Gabriel",
    "Théo",
    "Arthur",
    "Jules",
    "Mathis",
    "Raphaël",
    "Karim",
    "Mehdi",
    "Thomas",
    "Nicolas",
    "Julien",
    "Maxime",
    "Antoine",
    "Sébastien",
    "Kévin",
    "Rémi",
)
LAST_NAMES = (
    "Martin",
    "Bernard",
    "Dubois",
    "Lefebvre",
    "Leroy",
    "Roux",
    "Petit",
    "Durand",
    "Moreau",
    "Lefèvre",
    "Dupont",
    "Lambert",
    "Bonnet",
    "François",
    "Caron",
    "Dufour",
    "Delattre",
    "Delcroix",
    "Deprez",
    "Vasseur",
    "Carpentier",
    "Lemaire",
    "Fontaine",
    "Poulain",
    "Lecomte",
    "Dhainaut",
    "Wattez",
    "Devos",
    "Vandamme",
    "Boulanger",
    "Mercier",
    "Benali",
    "Haddad",
    "Kowalski",
    "Nowak",
    "Szymański",
    "Lemoine",
    "Hennebelle",
    "Descamps",
    "Flament",
)
INTERESTS = (
    "la rénovation énergétique",
    "les mobilités douces",
    "les jardins partagés",
    "le réemploi et la réparation",
    "l'alimentation locale",
    "la biodiversité en ville",
    "les énergies renouvelables citoyennes",
    "l'économie circulaire",
    "la sobriété numérique",
    "la reconversion des friches minières",
)
# (role, share of people holding it) — everyone is also a citizen.
EXTRA_ROLES = (
    (roles.HOLDER, 0.15),
    (roles.ELECTED, 0.01),
    (roles.FUNDER, 0.005),
    (roles.ADVISOR, 0.005),
)
PUBLIC_PROFILE_SHARE = 0.3
NO_COMMUNE_SHARE = 0.05


def _unusable_password(rng: random.Random) -> str:
    # Same shape as Django's make_password(None), but drawn from rng to stay deterministic.
    return UNUSABLE_PASSWORD_PREFIX + "".join(rng.choices(string.ascii_letters, k=40))


def clear_users() -> int:
    """Delete every synthetic account (and, by cascade, what hangs on it)."""
    deleted, _ = User.objects.filter(email__endswith="@" + EMAIL_DOMAIN).delete()
    return deleted


def generate_users(factor: int, rng: random.Random) -> str:
    """Create ``USERS_PER_FACTOR × factor`` synthetic accounts. Expects none to exist yet."""
    territory = get_current_territory()
    communes = (
        list(
            Commune.objects.filter(agglomeration__territory=territory)
            .order_by("code")
            .values_list("id", "name", "population")
        )
        if territory
        else []
    )
    weights = [max(population, 1) for _, _, population in communes]
    groups = {g.name: g.pk for g in Group.objects.filter(name__in=roles.ROLES.values())}

    count = USERS_PER_FACTOR * factor
    users: list[User] = []
    user_roles: dict[str, list[str]] = {}
    for i in range(1, count + 1):
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        commune = None
        if communes and rng.random() >= NO_COMMUNE_SHARE:
            commune = rng.choices(communes, weights=weights)[0]
        public = rng.random() < PUBLIC_PROFILE_SHARE
        bio = ""
        if public:
            place = f"Habite à {commune[1]}" if commune else "Vit dans le territoire"
            bio = f"{place} ; s'intéresse à {rng.choice(INTERESTS)}."
        person_roles = [roles.CITIZEN] + [r for r, share in EXTRA_ROLES if rng.random() < share]
        email = f"personne{i:06d}@{EMAIL_DOMAIN}"
        user_roles[email] = person_roles
        users.append(
            User(
                email=email,
                password=_unusable_password(rng),
                display_name=f"{first} {last} (démo)",
                commune_id=commune[0] if commune else None,
                is_profile_public=public,
                bio=bio,
                is_demo=True,
                is_staff=roles.ADVISOR in person_roles,
                date_joined=JOINED_FROM + timedelta(seconds=rng.randrange(JOINED_SPAN_SECONDS)),
            )
        )
    User.objects.bulk_create(users, batch_size=BATCH_SIZE)

    # Read the keys back rather than rely on bulk_create setting them (backend-dependent).
    ids = dict(User.objects.filter(email__endswith="@" + EMAIL_DOMAIN).values_list("email", "pk"))
    EmailAddress.objects.bulk_create(
        [
            EmailAddress(user_id=ids[u.email], email=u.email, primary=True, verified=True)
            for u in users
        ],
        batch_size=BATCH_SIZE,
    )
    Membership = User.groups.through
    Membership.objects.bulk_create(
        [
            Membership(user_id=ids[email], group_id=groups[role])
            for email, person_roles in user_roles.items()
            for role in person_roles
            if role in groups
        ],
        batch_size=BATCH_SIZE,
    )
    holders = sum(roles.HOLDER in r for r in user_roles.values())
    public_count = sum(u.is_profile_public for u in users)
    return (
        f"{count} comptes synthétiques (dont {holders} porteurs de projet, "
        f"{public_count} profils publics), sans mot de passe utilisable"
    )


scale.register("comptes", generate_users, clear=clear_users)
