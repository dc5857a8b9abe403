"""Synthetic directory for ``manage.py generate_scale_data``: 5,000 organisations and 10
networks per unit of factor (factor 10: 50,000 organisations), 300 needs and offers per unit.

Organisations are spread over the territory's communes in proportion to population, carry one
to three themes, sometimes networks, and approximate coordinates for most of them. Their website
starts with ``https://scale.turbine.invalid/`` (a reserved top-level domain) and networks' slugs
with ``echelle-``: that is how ``clear`` finds them. Everything is ``is_demo`` and "(démo)".
The search index is not filled here: run ``manage.py search_reindex`` afterwards to search
them.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from turbine.accounts.models import User
from turbine.accounts.scale import EMAIL_DOMAIN
from turbine.core import scale
from turbine.core.models import Theme
from turbine.directory.models import (
    Family,
    NeedOffer,
    NeedOfferKind,
    Network,
    Organisation,
    OrganisationKind,
)
from turbine.territory.models import Commune
from turbine.territory.selectors import get_current_territory

ORGANISATIONS_PER_FACTOR = 5000
NETWORKS_PER_FACTOR = 10
NEEDS_OFFERS_PER_FACTOR = 300
MARK = "https://scale.turbine.invalid/"
NETWORK_PREFIX = "echelle-"
BATCH_SIZE = 2000
LOCATED_SHARE = 0.85
# Fixed, so that two runs on different days give the same rows.
EXPIRY_FROM = date(2030, 1, 1)

WORDS = (
    "Repair café",
    "Jardins partagés",
    "Atelier vélo",
    "Ressourcerie",
    "Collectif",
    "Coopérative",
    "Amicale",
    "Épicerie solidaire",
    "Club nature",
    "Ferme",
    "Atelier rénovation",
    "Tiers-lieu",
    "Centre de formation",
    "Radio associative",
)
CENTRES = {"200072460": (50.52, 2.55), "246200364": (50.43, 2.80), "246200299": (50.45, 2.96)}


def clear_directory() -> int:
    needs, _ = NeedOffer.objects.filter(organisation__website__startswith=MARK).delete()
    orgs, _ = Organisation.objects.filter(website__startswith=MARK).delete()
    networks, _ = Network.objects.filter(slug__startswith=NETWORK_PREFIX).delete()
    return needs + orgs + networks


def generate_directory(factor: int, rng: random.Random) -> str:
    territory = get_current_territory()
    communes = (
        list(
            Commune.objects.filter(agglomeration__territory=territory)
            .select_related("agglomeration")
            .order_by("code")
        )
        if territory
        else []
    )
    weights = [max(c.population, 1) for c in communes]
    theme_ids = list(Theme.objects.order_by("slug").values_list("id", flat=True))
    networks = [
        Network(
            slug=f"{NETWORK_PREFIX}{i:04d}", name=f"Réseau synthétique {i:04d} (démo)", is_demo=True
        )
        for i in range(1, NETWORKS_PER_FACTOR * factor + 1)
    ]
    Network.objects.bulk_create(networks, batch_size=BATCH_SIZE)
    network_ids = list(
        Network.objects.filter(slug__startswith=NETWORK_PREFIX)
        .order_by("slug")
        .values_list("id", flat=True)
    )
    kinds = OrganisationKind.values
    families = Family.values
    count = ORGANISATIONS_PER_FACTOR * factor
    rows = []
    for i in range(1, count + 1):
        commune = rng.choices(communes, weights=weights)[0] if communes else None
        lat = lon = None
        if commune is not None and rng.random() < LOCATED_SHARE:
            lat0, lon0 = CENTRES.get(commune.agglomeration.siren, (50.45, 2.75))
            lat = round(lat0 + rng.uniform(-0.09, 0.09), 5)
            lon = round(lon0 + rng.uniform(-0.13, 0.13), 5)
        rows.append(
            Organisation(
                name=f"{rng.choice(WORDS)} n° {i:06d}"
                + (f" de {commune.name}" if commune else "")
                + " (démo)",
                kind=rng.choice(kinds),
                family=rng.choice(families),
                commune=commune,
                latitude=lat,
                longitude=lon,
                website=f"{MARK}o/{i}",
                description="Organisation synthétique générée pour les mesures de charge.",
                is_demo=True,
            )
        )
    Organisation.objects.bulk_create(rows, batch_size=BATCH_SIZE)
    ids = list(
        Organisation.objects.filter(website__startswith=MARK)
        .order_by("id")
        .values_list("id", flat=True)
    )
    ThemeLink = Organisation.themes.through
    NetworkLink = Organisation.networks.through
    theme_links, network_links = [], []
    for org_id in ids:
        for theme_id in rng.sample(theme_ids, rng.randint(1, 3)) if theme_ids else []:
            theme_links.append(ThemeLink(organisation_id=org_id, theme_id=theme_id))
        if network_ids and rng.random() < 0.3:
            network_links.append(
                NetworkLink(organisation_id=org_id, network_id=rng.choice(network_ids))
            )
    ThemeLink.objects.bulk_create(theme_links, batch_size=BATCH_SIZE * 5)
    NetworkLink.objects.bulk_create(network_links, batch_size=BATCH_SIZE * 5)

    # Needs and offers need an author: the first synthetic accounts, when there are some.

    authors = list(
        User.objects.filter(email__endswith="@" + EMAIL_DOMAIN)
        .order_by("id")
        .values_list("id", flat=True)[:1000]
    )
    needs = 0
    if authors:
        items = [
            NeedOffer(
                direction=rng.choice(["besoin", "offre"]),
                kind=rng.choice(NeedOfferKind.values),
                title=f"Annonce synthétique n° {i:06d} (démo)",
                author_id=rng.choice(authors),
                organisation_id=rng.choice(ids),
                expires_on=EXPIRY_FROM + timedelta(days=rng.randrange(365)),
                is_demo=True,
            )
            for i in range(1, NEEDS_OFFERS_PER_FACTOR * factor + 1)
        ]
        NeedOffer.objects.bulk_create(items, batch_size=BATCH_SIZE)
        needs = len(items)
    return (
        f"{count} organisations synthétiques, {len(networks)} réseaux, "
        f"{len(theme_links)} liens vers des thèmes, {needs} besoins et offres"
    )


scale.register("annuaire", generate_directory, clear=clear_directory)
