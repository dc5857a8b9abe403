"""Demonstration debates, marked « démo »."""

from __future__ import annotations

from turbine.accounts.models import User
from turbine.cooperation.debates_registry import index_debates
from turbine.cooperation.models import Argument, Debate
from turbine.core import demo
from turbine.core.models import Theme

DEBATES = [
    (
        "Faut-il réserver le centre-ville aux piétons le samedi ? (démo)",
        "mobilite",
        [
            (
                "pour",
                "Les commerces de centre-ville gagnent des clients qui flânent.",
                ["Et les enfants peuvent circuler sans danger."],
            ),
            (
                "contre",
                "Les personnes âgées qui viennent en voiture seront pénalisées.",
                ["Une navette gratuite depuis les parkings pourrait répondre à cela."],
            ),
            ("pour", "Moins de bruit et de pollution, un jour par semaine au moins.", []),
            ("contre", "Les livraisons deviennent compliquées pour les artisans.", []),
        ],
        (
            "La sécurité des enfants et la qualité de l'air comptent pour tous.",
            "Le coût pour les personnes peu mobiles et les livreurs.",
            "Une navette suffirait-elle ? Quel essai, sur combien de temps ?",
        ),
    ),
    (
        "Les cantines scolaires doivent-elles passer à 100 % bio et local ? (démo)",
        "alimentation",
        [
            ("pour", "Les producteurs du territoire y trouveraient un débouché stable.", []),
            (
                "contre",
                "Le surcoût retomberait sur les familles ou sur la commune.",
                ["Des communes voisines l'ont fait à coût constant en réduisant le gaspillage."],
            ),
        ],
        None,
    ),
    (
        "Faut-il installer des éoliennes sur les terrils ? (démo)",
        "energie",
        [
            (
                "pour",
                "Les terrils sont déjà artificialisés : on ne prend rien aux terres agricoles.",
                [],
            ),
            ("contre", "Ce sont des sites classés au patrimoine mondial, leur paysage compte.", []),
        ],
        None,
    ),
]


def load_debates() -> str:
    people = list(User.objects.filter(is_demo=True).order_by("email")[:20])
    staff = User.objects.filter(email="bruno.demo@turbine.localhost").first()
    themes = {t.slug: t for t in Theme.objects.all()}
    count = 0
    for index, (question, slug, arguments, synthesis) in enumerate(DEBATES):
        debate = Debate.objects.create(
            question=question, is_demo=True, created_by=staff, context="Un débat de démonstration."
        )
        if slug in themes:
            debate.themes.set([themes[slug]])
        for position, (side, text, replies) in enumerate(arguments):
            author = people[(index * 5 + position) % len(people)] if people else None
            argument = Argument.objects.create(
                debate=debate, side=side, text=text, author=author, is_demo=True
            )
            for offset, reply in enumerate(replies):
                Argument.objects.create(
                    debate=debate,
                    parent=argument,
                    text=reply,
                    author=people[(index + position + offset + 7) % len(people)]
                    if people
                    else None,
                    is_demo=True,
                )
        if synthesis:
            debate.agreements, debate.disagreements, debate.open_questions = synthesis
            debate.synthesis_by = staff
            debate.save()
        count += 1

    index_debates(ids=list(Debate.objects.filter(is_demo=True).values_list("id", flat=True)))
    return f"{count} débats"


demo.register("debats", load_debates)
