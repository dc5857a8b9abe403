"""Demonstration data of the guichet: advisors and their coverage, mentors among the demo
projects already realised, and 60 invented requests in every state, with recommendations,
conversations, notes and reminders. Everything invented is marked ``is_demo`` / "(démo)".

Requests are created through ``services.request_submit`` (so triage is real); what follows is
written directly, with its history, so that seeding sends no email."""

from __future__ import annotations

import datetime
import random

from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group
from django.utils import timezone

from turbine.accounts import roles
from turbine.accounts.models import User
from turbine.core import demo
from turbine.core.models import Theme
from turbine.directory.models import Membership
from turbine.guichet import matching, services
from turbine.guichet.models import (
    AdvisorCoverage,
    HistoryEntry,
    MentorOffer,
    Message,
    Outcome,
    Procedure,
    Recommendation,
    Reminder,
    StaffNote,
    Status,
    SupportRequest,
)
from turbine.projects.models import Project
from turbine.territory.models import Agglomeration, Commune
from turbine.territory.selectors import get_current_territory

RNG_SEED = "turbine-demo-guichet"
REQUEST_COUNT = 60

ADVISORS = [
    # email, name, agglomeration name fragment, themes
    (
        "nadia.bensaid@guichet-demo.turbine.localhost",
        "Nadia Bensaïd (démo)",
        "Lens",
        ["alimentation", "solidarite-justice-sociale", "dechets-economie-circulaire"],
    ),
    (
        "hugo.lemaire@guichet-demo.turbine.localhost",
        "Hugo Lemaire (démo)",
        "Hénin",
        ["mobilite", "energie", "industrie-reconversion"],
    ),
]

# title, theme slugs, holder type, needs, help wanted
REQUESTS = [
    (
        "Épicerie solidaire et cuisine partagée à {c}",
        ["alimentation", "solidarite-justice-sociale"],
        "association",
        ["financement", "demarches", "lieu"],
        "Nous cherchons un local et des financements pour la vente de produits locaux.",
    ),
    (
        "Panneaux solaires sur le toit de la salle des fêtes de {c}",
        ["energie"],
        "commune",
        ["financement", "demarches", "competences"],
        "Travaux de toiture et installation photovoltaïque en autoconsommation.",
    ),
    (
        "Repair café et recyclerie de {c}",
        ["dechets-economie-circulaire"],
        "collectif",
        ["lieu", "partenaires", "visibilite"],
        "Un lieu pour réparer et un partenaire pour la collecte des objets.",
    ),
    (
        "Vélo-école pour les adultes de {c}",
        ["mobilite", "emploi-formation"],
        "association",
        ["financement", "competences", "reseau"],
        "Former des bénévoles et acheter une flotte de vélos.",
    ),
    (
        "Renaturation de la cour d'école de {c}",
        ["biodiversite-renaturation", "eau", "education-culture"],
        "commune",
        ["financement", "demarches", "partenaires"],
        "Désimperméabiliser la cour, créer une mare pédagogique.",
    ),
    (
        "Fête des transitions de {c}",
        ["citoyennete-cooperation", "education-culture"],
        "collectif",
        ["demarches", "visibilite", "reseau"],
        "Organiser un festival avec buvette et marché de producteurs.",
    ),
    (
        "Rénovation énergétique de ma maison à {c}",
        ["renovation-habitat", "energie"],
        "habitant",
        ["financement", "demarches"],
        "Isolation des murs par l'extérieur et changement des menuiseries.",
    ),
    (
        "Conserverie de légumes invendus à {c}",
        ["alimentation", "dechets-economie-circulaire"],
        "entreprise",
        ["financement", "demarches", "partenaires"],
        "Transformer les invendus des maraîchers en conserves vendues localement.",
    ),
    (
        "Rucher pédagogique de {c}",
        ["biodiversite-renaturation", "education-culture"],
        "association",
        ["competences", "lieu"],
        "Installer quelques ruches et accueillir les écoles.",
    ),
    (
        "Parking en zone humide à {c}",
        ["mobilite"],
        "entreprise",
        ["demarches", "financement"],
        "Remblayer une zone humide pour agrandir un parking.",
    ),
]

# The situations each demo project ticks in the intake (procedures come from these alone).
TRIGGERS = {
    "Épicerie solidaire": ["vente-alimentaire"],
    "Panneaux solaires": ["travaux-exterieurs", "production-electricite"],
    "Repair café": ["nouvelle-structure"],
    "Renaturation de la cour": ["milieu-aquatique"],
    "Fête des transitions": ["manifestation", "buvette", "vente-alimentaire", "nouvelle-structure"],
    "Rénovation énergétique": ["travaux-exterieurs"],
    "Conserverie": ["vente-alimentaire", "construction"],
    "Rucher": ["ruches"],
    "Parking en zone humide": ["milieu-aquatique"],
}

MESSAGES_FROM_HOLDER = [
    "Bonjour, merci pour votre retour. Pouvons-nous en parler au téléphone cette semaine ?",
    "Nous avons réuni le collectif : les habitants sont partants.",
    "Le dossier de l'aide est prêt, pouvez-vous le relire ?",
]
MESSAGES_FROM_ADVISOR = [
    "Bonjour, j'ai bien reçu votre demande. Je vous propose un premier rendez-vous.",
    "Je vous ai mis en relation avec un porteur qui a mené un projet proche.",
    "Pensez à la date limite de l'aide recommandée : le dossier doit être déposé avant.",
]


def _advisors(territory_aggs: list[Agglomeration]) -> list[User]:
    group = Group.objects.get(name=roles.ADVISOR)
    advisors = []
    bruno = User.objects.filter(email="bruno.demo@turbine.localhost").first()
    if bruno is not None:
        coverage, _ = AdvisorCoverage.objects.get_or_create(user=bruno)
        coverage.agglomerations.set([a for a in territory_aggs if "Béthune" in a.name])
        coverage.themes.set(
            Theme.objects.filter(slug__in=["renovation-habitat", "energie", "alimentation"])
        )
        advisors.append(bruno)
    for email, name, fragment, themes in ADVISORS:
        user, created = User.objects.get_or_create(
            email=email, defaults={"display_name": name, "is_demo": True, "is_staff": True}
        )
        if created:
            user.set_password(demo.DEMO_PASSWORD)
            user.save(update_fields=["password"])
            EmailAddress.objects.get_or_create(
                user=user, email=email, defaults={"primary": True, "verified": True}
            )
        user.groups.add(group)
        coverage, _ = AdvisorCoverage.objects.get_or_create(user=user)
        coverage.agglomerations.set([a for a in territory_aggs if fragment in a.name])
        coverage.themes.set(Theme.objects.filter(slug__in=themes))
        advisors.append(user)
    return advisors


def _holders(communes: list[Commune], rng: random.Random) -> list[User]:
    group = Group.objects.get(name=roles.HOLDER)
    holders = []
    chloe = User.objects.filter(email="chloe.demo@turbine.localhost").first()
    if chloe is not None:
        holders.append(chloe)
    for n in range(1, 20):
        email = f"porteur{n:02d}@guichet-demo.turbine.localhost"
        user, created = User.objects.get_or_create(
            email=email,
            defaults={
                "display_name": f"Porteur ou porteuse {n} (démo)",
                "is_demo": True,
                "commune": rng.choice(communes),
            },
        )
        if created:
            user.set_password(demo.DEMO_PASSWORD)
            user.save(update_fields=["password"])
            EmailAddress.objects.get_or_create(
                user=user, email=email, defaults={"primary": True, "verified": True}
            )
        user.groups.add(group)
        holders.append(user)
    return holders


def _mentors() -> int:
    """Up to 15 holders of realised demo projects volunteer as mentors: the project's holder, or
    for an organisation's project, its first active admin (demo projects are mostly held by
    organisations)."""
    projects = list(
        Project.objects.filter(is_demo=True, stage="realise")
        .exclude(guichet_mentor_offer__isnull=False)
        .order_by("pk")
    )
    admins: dict[int, int] = {}
    for membership in Membership.objects.filter(
        role="admin",
        status="active",
        organisation_id__in={p.holder_organisation_id for p in projects},
    ).order_by("pk"):
        admins.setdefault(membership.organisation_id, membership.user_id)
    offers: list[MentorOffer] = []
    volunteers: set[int] = set()
    for project in projects:
        user_id = project.holder_user_id or admins.get(project.holder_organisation_id)
        if user_id is None or user_id in volunteers:
            continue
        volunteers.add(user_id)
        offers.append(
            MentorOffer(
                user_id=user_id,
                project=project,
                message="Je raconte volontiers comment nous avons monté le projet (démo).",
            )
        )
        if len(offers) == 15:
            break
    MentorOffer.objects.bulk_create(offers)
    return len(offers)


def _follow(
    support_request: SupportRequest,
    advisor: User,
    state: int,
    rng: random.Random,
    created: datetime.datetime,
) -> int:
    """Move a request to the state ``state`` (0 new … 5 renounced), with its history."""
    recs = 0
    history: list[HistoryEntry] = []

    def log(action: str, detail: str, when: datetime.datetime, staff_only: bool = False) -> None:
        history.append(
            HistoryEntry(
                request=support_request,
                actor=advisor,
                action=action,
                detail=detail,
                is_staff_only=staff_only,
                created_at=when,
            )
        )

    SupportRequest.objects.filter(pk=support_request.pk).update(created_at=created)
    if state == 0:
        return 0
    answered = created + datetime.timedelta(hours=rng.randint(2, 120))
    scale = support_request.proposed_scale
    fields = {
        "confirmed_scale": scale,
        "status": Status.QUALIFIED,
        "advisor": advisor,
        "first_answer_at": answered,
    }
    log("qualification", f"Échelle confirmée : niveau {scale} (démo).", answered)
    log("attribution", f"Confiée à {advisor}.", answered)
    query = matching.query_for_request(support_request)
    found = matching.match(query) if query else None
    recommendations = []
    if found and found.aids:
        aid = found.aids[0].obj
        recommendations.append(
            Recommendation(
                request=support_request,
                kind="aide",
                title=aid.title,
                aid=aid,
                body="Votre projet correspond bien à cette aide (démo).",
                author=advisor,
                status="faite" if state >= 3 else rng.choice(["proposee", "en-cours"]),
            )
        )
    if found and found.procedures:
        procedure: Procedure = found.procedures[0].obj
        recommendations.append(
            Recommendation(
                request=support_request,
                kind="demarche",
                title=procedure.title,
                body=procedure.what_to_do,
                url=procedure.url,
                author=advisor,
                status="en-cours" if state < 3 else "faite",
            )
        )
    recommendations.append(
        Recommendation(
            request=support_request,
            kind="contact",
            title="Rencontrer le réseau des porteurs de projets (démo)",
            author=advisor,
            status="ecartee" if state == 4 else "proposee",
            dismissal_reason="Pas disponible ce trimestre (démo)." if state == 4 else "",
        )
    )
    Recommendation.objects.bulk_create(recommendations)
    recs = len(recommendations)
    for rec in recommendations:
        log("recommandation", f"{rec.get_kind_display()} : {rec.title}", answered)
    messages = [
        Message(request=support_request, author=advisor, body=rng.choice(MESSAGES_FROM_ADVISOR)),
        Message(
            request=support_request,
            author=support_request.holder,
            body=rng.choice(MESSAGES_FROM_HOLDER),
        ),
    ]
    Message.objects.bulk_create(messages)
    StaffNote.objects.create(
        request=support_request,
        author=advisor,
        body="Porteur motivé ; vérifier le foncier avec la mairie (démo).",
    )
    log("note", "Note interne ajoutée.", answered, staff_only=True)
    if state >= 2:
        fields["status"] = Status.ACCOMPANIED
        log("accompagnement", support_request.accompaniment, answered)
        Reminder.objects.create(
            request=support_request,
            author=advisor,
            due_on=timezone.localdate() + datetime.timedelta(days=rng.randint(5, 40)),
            note="Faire le point sur le dossier de financement (démo).",
        )
    if state >= 3:
        outcome = {3: Outcome.SUCCEEDED, 4: rng.choice([Outcome.REDIRECTED, Outcome.ABANDONED])}
        fields["status"] = Status.CLOSED
        fields["closed_at"] = answered + datetime.timedelta(days=rng.randint(20, 90))
        if state == 5:
            fields.update(
                outcome=Outcome.RENOUNCED,
                renunciation=True,
                renunciation_reason="Le projet détruirait une zone humide (démo).",
                outcome_reason="Projet transformé : parking perméable sur une friche (démo).",
            )
            log("renoncement", "Le projet détruirait une zone humide (démo).", answered)
        else:
            fields["outcome"] = outcome[state]
            fields["outcome_reason"] = "Issue inventée pour la démonstration."
        log("cloture", str(fields["outcome_reason"]), fields["closed_at"])
    SupportRequest.objects.filter(pk=support_request.pk).update(**fields)
    entries = HistoryEntry.objects.bulk_create(history)
    for entry in entries:
        HistoryEntry.objects.filter(pk=entry.pk).update(created_at=entry.created_at)
    return recs


def load_guichet() -> str:
    rng = random.Random(RNG_SEED)
    territory = get_current_territory()
    aggs = list(Agglomeration.objects.filter(territory=territory))
    communes = list(
        Commune.objects.filter(agglomeration__territory=territory)
        .select_related("agglomeration")
        .order_by("code")
    )
    if not communes:
        return "aucune commune : territoire non importé"
    advisors = _advisors(aggs)
    holders = _holders(communes, rng)
    mentors = _mentors()
    themes = {t.slug: t for t in Theme.objects.all()}
    now = timezone.now()
    recommendations = 0
    for n in range(REQUEST_COUNT):
        title, slugs, holder_type, needs, help_wanted = REQUESTS[n % len(REQUESTS)]
        commune = rng.choice(communes)
        holder = holders[n % len(holders)]
        state = 5 if title.startswith("Parking") else n % 5
        support_request = services.request_submit(
            user=holder,
            title=f"{title.format(c=commune.name)} (démo)",
            summary=help_wanted,
            description=help_wanted,
            themes=[themes[s] for s in slugs if s in themes],
            communes=[commune],
            stage=rng.choice(["idee", "emergence", "conception", "financement"]),
            budget=rng.choice([None, 3_000, 15_000, 80_000, 450_000]),
            holder_type=holder_type,
            needs=needs,
            help_wanted=help_wanted,
            actors_count=rng.randint(1, 15),
            social_urgency=rng.random() < 0.3,
            abandonment_risk=rng.random() < 0.25,
            triggers=next((t for k, t in TRIGGERS.items() if title.startswith(k)), []),
            consent=True,
            is_demo=True,
        )
        covering = [
            a
            for a in advisors
            if support_request.agglomeration_id
            in {g.pk for g in a.guichet_coverage.agglomerations.all()}
        ]
        advisor = covering[0] if covering else advisors[n % len(advisors)]
        created = now - datetime.timedelta(days=rng.randint(1, 300), hours=rng.randint(0, 23))
        recommendations += _follow(support_request, advisor, state, rng, created)
    return (
        f"{REQUEST_COUNT} demandes, {recommendations} recommandations, {len(advisors)} "
        f"conseillers, {mentors} parrains"
    )


demo.register("guichet", load_guichet)
