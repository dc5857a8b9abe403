"""Demonstration working groups (crossing networks) and know-how offers, marked « démo »."""

from __future__ import annotations

from turbine.accounts.models import User
from turbine.cooperation.models import (
    GroupMember,
    GroupMessage,
    KnowHowOffer,
    KnowHowRequest,
    WorkingGroup,
    WorkTheme,
)
from turbine.core import demo
from turbine.directory.models import Network, PersonProfile

THEMES = [
    (
        "Rendre les friches aux habitants (démo)",
        "Associations, entreprises et communes imaginent ensemble l'usage des friches minières.",
    ),
    (
        "Manger local à la cantine (démo)",
        "Producteurs, cuisiniers et parents construisent un approvisionnement de proximité.",
    ),
]
GROUPS = [
    (0, "Friches de Loos-en-Gohelle (démo)", "Recenser les friches et proposer trois usages."),
    (1, "Cantines du Lensois (démo)", "Relier cinq cantines à des fermes à moins de 30 km."),
    (0, "Jardins partagés sur terrils (démo)", "Un groupe qui cherche encore un second réseau."),
]
OFFERS = [
    (
        "Monter une recyclerie associative (démo)",
        "Trouver un local, former des bénévoles, fixer des prix justes : ce que nous avons appris.",
    ),
    (
        "Animer un atelier de réparation de vélos (démo)",
        "L'outillage minimal, l'accueil, la sécurité : une demi-journée pour se lancer.",
    ),
]


def load_groups() -> str:
    profiles = list(
        PersonProfile.objects.filter(user__is_demo=True)
        .prefetch_related("networks")
        .select_related("user")
        .order_by("user__email")[:40]
    )
    by_network: dict[int, list[tuple[User, Network]]] = {}
    for profile in profiles:
        for network in profile.networks.all():
            by_network.setdefault(network.pk, []).append((profile.user, network))
    pools = [people for people in by_network.values() if people]
    if len(pools) < 2:
        return "pas assez de réseaux dans l'annuaire de démonstration : rien à charger"
    themes = [WorkTheme.objects.create(title=t, description=d, is_demo=True) for t, d in THEMES]
    for index, (theme_index, name, description) in enumerate(GROUPS):
        group = WorkingGroup.objects.create(
            work_theme=themes[theme_index], name=name, description=description, is_demo=True
        )
        # The last group stays within one network: it shows how a group waits for a second.
        chosen = pools[index % len(pools)][:3]
        if index < len(GROUPS) - 1:
            chosen += pools[(index + 1) % len(pools)][:2]
        for user, network in chosen:
            GroupMember.objects.get_or_create(group=group, user=user, defaults={"network": network})
        group.network_count = group.members.values("network").distinct().count()
        group.created_by = chosen[0][0]
        group.save()
        if group.crosses_networks:
            for position, (user, _) in enumerate(chosen[:3]):
                GroupMessage.objects.create(
                    group=group,
                    author=user,
                    body=[
                        "Bonjour à toutes et à tous ! Qui a des pistes ?",
                        "Je peux présenter ce que fait notre réseau jeudi.",
                        "Proposons une visite de terrain avant l'été.",
                    ][position],
                )
    people = [p.user for p in profiles]
    for index, (title, description) in enumerate(OFFERS):
        offer = KnowHowOffer.objects.create(
            title=title, description=description, offered_by=people[index], is_demo=True
        )
        for requester in people[5 + index * 3 : 8 + index * 3]:
            KnowHowRequest.objects.create(offer=offer, user=requester)
    return f"{len(THEMES)} thématiques, {len(GROUPS)} groupes, {len(OFFERS)} savoir-faire"


demo.register("groupes", load_groups)
