"""Every write on citizen panels: the panel and its quotas, the pool (registration, import,
withdrawal), the draw in two public steps (the lottery is computed and published, then the
panel is picked with a seed drawn in public), the members' answers and their replacements.

The selection itself is the pure engine :mod:`turbine.cooperation.sortition`; this module only
stores its inputs and outputs so that the draw can be recomputed by anyone.

Locks: every change of a panel's pool, quotas or draw takes the panel's row with
``select_for_update`` first, so that a draw never starts on a pool being changed and two staff
members cannot pick two panels.
"""

from __future__ import annotations

import hashlib
import math
import random
import time
from dataclasses import dataclass

import numpy as np
from django.db import IntegrityError, transaction
from django.utils import timezone

from turbine.accounts.models import User
from turbine.cooperation import sortition, tasks
from turbine.cooperation.models import (
    Algorithm,
    DrawStatus,
    MemberStatus,
    Panel,
    PanelDraw,
    PanelMember,
    PanelQuota,
    PanelStatus,
    Volunteer,
    VolunteerSource,
)
from turbine.cooperation.sortition.distribution import Distribution
from turbine.core.exceptions import NotFoundError, PermissionDeniedError, TurbineError
from turbine.projects.models import Project
from turbine.territory.selectors import get_current_territory

MAX_QUOTA_ROWS = 200
MAX_POOL = 20_000
MAX_CSV_BYTES = 5_000_000
MAX_SEED = 200


def default_categories() -> dict[str, list[str]]:
    """The features the territory asked for; the agglomerations are the current territory's."""
    territory = get_current_territory()
    agglomerations = (
        list(territory.agglomerations.order_by("name").values_list("name", flat=True))
        if territory
        else []
    )
    return {
        "Tranche d'âge": [
            "16 à 29 ans",
            "30 à 44 ans",
            "45 à 59 ans",
            "60 à 74 ans",
            "75 ans et plus",
        ],
        "Genre": ["Femme", "Homme", "Autre ou ne se prononce pas"],
        "Agglomération": agglomerations or ["Territoire"],
        "Catégorie socioprofessionnelle": [
            "Agriculteur·rice, artisan·e, commerçant·e",
            "Cadre, profession intellectuelle",
            "Profession intermédiaire",
            "Employé·e",
            "Ouvrier·ère",
            "Retraité·e",
            "Sans activité professionnelle, étudiant·e",
        ],
        "Niveau d'études": [
            "Sans diplôme ou brevet",
            "CAP, BEP",
            "Baccalauréat",
            "Bac + 2 ou + 3",
            "Bac + 4 et au-delà",
        ],
        "Première participation": ["Oui", "Non"],
    }


def _require_staff(actor: User) -> None:
    if not actor.has_perm("cooperation.manage_panel"):
        raise PermissionDeniedError("Seule l'équipe de la Turbine gère les panels citoyens.")


def _locked_panel(panel_id: int) -> Panel:
    """Must be called inside ``atomic``: the panel's row, locked (see the module docstring)."""
    panel = Panel.objects.select_for_update().filter(pk=panel_id).first()
    if panel is None:
        raise NotFoundError("Ce panel n'existe pas.")
    return panel


def _clean_text(
    value: str, *, field: str, label: str, max_length: int, required: bool = True
) -> str:
    value = (value or "").replace("\x00", "").strip()
    if required and not value:
        raise TurbineError(f"Renseignez {label}.", field=field)
    if len(value) > max_length:
        raise TurbineError(
            f"{label.capitalize()} tient en {max_length} caractères au plus.", field=field
        )
    return value


def _check_size(size: int) -> int:
    if not isinstance(size, int) or size < 2 or size > 1000:
        raise TurbineError("Un panel compte de 2 à 1 000 membres.", field="size")
    return size


def panel_create(
    *,
    actor: User,
    title: str,
    purpose: str,
    size: int,
    duration: str,
    questions: str = "",
    projects: tuple[Project, ...] = (),
) -> Panel:
    """A new panel in preparation, with the default categories (every bound open: 0 to size)."""
    _require_staff(actor)
    title = _clean_text(title, field="title", label="le titre", max_length=200)
    purpose = _clean_text(purpose, field="purpose", label="la mission", max_length=10_000)
    duration = _clean_text(duration, field="duration", label="la durée", max_length=200)
    questions = _clean_text(
        questions, field="questions", label="les questions", max_length=10_000, required=False
    )
    size = _check_size(size)
    with transaction.atomic():
        panel = Panel.objects.create(
            title=title,
            purpose=purpose,
            size=size,
            duration=duration,
            questions=questions,
            created_by=actor,
        )
        panel.projects.set(projects)
        position = 0
        for category, values in default_categories().items():
            for value in values:
                PanelQuota.objects.create(
                    panel=panel,
                    category=category,
                    feature=value,
                    min=0,
                    max=size,
                    position=position,
                )
                position += 1
    return panel


def panel_update(
    *,
    actor: User,
    panel_id: int,
    title: str,
    purpose: str,
    size: int,
    duration: str,
    questions: str = "",
    projects: tuple[Project, ...] = (),
) -> Panel:
    _require_staff(actor)
    title = _clean_text(title, field="title", label="le titre", max_length=200)
    purpose = _clean_text(purpose, field="purpose", label="la mission", max_length=10_000)
    duration = _clean_text(duration, field="duration", label="la durée", max_length=200)
    questions = _clean_text(
        questions, field="questions", label="les questions", max_length=10_000, required=False
    )
    size = _check_size(size)
    with transaction.atomic():
        panel = _locked_panel(panel_id)
        if size != panel.size and panel.draws.filter(status=DrawStatus.DRAWN).exists():
            raise TurbineError("Le panel est tiré : sa taille ne change plus.", field="size")
        panel.title, panel.purpose, panel.size = title, purpose, size
        panel.duration, panel.questions = duration, questions
        panel.save(update_fields=["title", "purpose", "size", "duration", "questions"])
        panel.projects.set(projects)
    return panel


def panel_set_status(*, actor: User, panel_id: int, status: str) -> Panel:
    _require_staff(actor)
    if status not in PanelStatus.values:
        raise TurbineError("État inconnu.")
    with transaction.atomic():
        panel = _locked_panel(panel_id)
        if status == PanelStatus.DRAWN and not panel.draws.filter(status=DrawStatus.DRAWN).exists():
            raise TurbineError("Le panel n'est pas encore tiré au sort.")
        panel.status = status
        panel.save(update_fields=["status"])
    return panel


# --- Quotas ------------------------------------------------------------------------------


def engine_quotas(rows: list[tuple[str, str, int, int]]) -> sortition.Quotas:
    quotas = sortition.Quotas()
    for category, feature, low, high in rows:
        quotas.categories.setdefault(category, {})[feature] = sortition.Quota(
            category, feature, low, high
        )
    return quotas


def panel_quota_rows(panel: Panel) -> list[tuple[str, str, int, int]]:
    return [
        (q.category, q.feature, q.min, q.max)
        for q in PanelQuota.objects.filter(panel=panel).order_by("position", "id")
    ]


def quotas_set(*, actor: User, panel_id: int, rows: list[tuple[str, str, int, int]]) -> Panel:
    """Replaces the panel's quotas. Bounds can change until the panel is drawn; categories and
    values can change only while the pool is empty (the volunteers declared the old ones)."""
    _require_staff(actor)
    if not rows:
        raise TurbineError("Indiquez au moins une catégorie avec ses valeurs.")
    if len(rows) > MAX_QUOTA_ROWS:
        raise TurbineError(f"{MAX_QUOTA_ROWS} valeurs au plus, toutes catégories comprises.")
    seen = set()
    clean = []
    for category, feature, low, high in rows:
        category = _clean_text(category, field="quotas", label="la catégorie", max_length=80)
        feature = _clean_text(feature, field="quotas", label="la valeur", max_length=120)
        if (category, feature) in seen:
            raise TurbineError(f"La valeur « {feature} » de « {category} » est en double.")
        seen.add((category, feature))
        if not (0 <= low <= high <= 10_000):
            raise TurbineError(
                f"« {category} » = « {feature} » : le minimum ({low}) doit être entre 0 et le "
                f"maximum ({high})."
            )
        clean.append((category, feature, low, high))
    with transaction.atomic():
        panel = _locked_panel(panel_id)
        if panel.draws.filter(status=DrawStatus.DRAWN).exists():
            raise TurbineError("Le panel est tiré au sort : ses quotas ne changent plus.")
        old = {(c, f) for c, f, _low, _high in panel_quota_rows(panel)}
        if {(c, f) for c, f, _low, _high in clean} != old and panel.volunteers.exists():
            raise TurbineError(
                "Des volontaires sont inscrits : on peut changer les minimums et maximums, mais "
                "plus les catégories ni leurs valeurs."
            )
        existing = {(q.category, q.feature): q for q in PanelQuota.objects.filter(panel=panel)}
        if set(existing) == {(c, f) for c, f, _low, _high in clean}:
            # Same values: bounds change in place (the rows keep their ids).
            for i, (c, f, low, high) in enumerate(clean):
                quota = existing[c, f]
                quota.min, quota.max, quota.position = low, high, i
            PanelQuota.objects.bulk_update(existing.values(), ["min", "max", "position"])
        else:
            PanelQuota.objects.filter(panel=panel).delete()
            PanelQuota.objects.bulk_create(
                PanelQuota(panel=panel, category=c, feature=f, min=low, max=high, position=i)
                for i, (c, f, low, high) in enumerate(clean)
            )
        # Draws computed on the old quotas no longer hold.
        panel.draws.filter(status__in=[DrawStatus.PENDING, DrawStatus.COMPUTED]).update(
            status=DrawStatus.FAILED, error="Quotas modifiés après le calcul."
        )
    return panel


def quotas_import(*, actor: User, panel_id: int, text: str) -> Panel:
    """Quotas from a CSV in the Sortition Foundation's format (``category,feature,min,max``)."""
    _require_staff(actor)
    if len(text.encode("utf-8", "replace")) > MAX_CSV_BYTES:
        raise TurbineError("Le fichier dépasse 5 Mo.")
    if "\x00" in text:
        raise TurbineError("Le fichier contient des caractères invalides (octets nuls).")
    try:
        quotas = sortition.parse_categories(text)
    except sortition.SortitionError as error:
        raise TurbineError(f"Fichier des quotas, {error.message}") from None
    return quotas_set(
        actor=actor,
        panel_id=panel_id,
        rows=[(q.category, q.feature, q.min, q.max) for q in quotas.all()],
    )


# --- Pool --------------------------------------------------------------------------------


def _check_features(panel: Panel, features: dict[str, str]) -> dict[str, str]:
    categories: dict[str, list[str]] = {}
    for category, feature, _low, _high in panel_quota_rows(panel):
        categories.setdefault(category, []).append(feature)
    clean = {}
    for category, values in categories.items():
        value = features.get(category, "")
        if value not in values:
            raise TurbineError(f"Choisissez une réponse pour « {category} ».", field=category)
        clean[category] = value
    return clean


def volunteer_register(
    *,
    user: User,
    panel_id: int,
    features: dict[str, str],
    consent_draw: bool,
    consent_contact: bool,
    consent_name: bool = False,
) -> Volunteer:
    """A signed-in person joins the pool of an open panel (once)."""
    if not getattr(user, "is_authenticated", False):
        raise PermissionDeniedError("Connectez-vous pour vous porter volontaire.")
    if not consent_draw:
        raise TurbineError(
            "Pour entrer dans le vivier, acceptez que vos réponses servent au tirage au sort.",
            field="consent_draw",
        )
    if not consent_contact:
        raise TurbineError(
            "Acceptez d'être contacté·e : c'est ainsi que nous prévenons les personnes tirées.",
            field="consent_contact",
        )
    with transaction.atomic():
        panel = _locked_panel(panel_id)
        if panel.status != PanelStatus.OPEN:
            raise TurbineError("Les inscriptions à ce panel sont fermées.")
        clean = _check_features(panel, features)
        if panel.volunteers.count() >= MAX_POOL:
            raise TurbineError("Le vivier de ce panel est complet.")
        try:
            with transaction.atomic():
                return Volunteer.objects.create(
                    panel=panel,
                    user=user,
                    source=VolunteerSource.REGISTERED,
                    features=clean,
                    consent_draw=True,
                    consent_contact=True,
                    consent_name=consent_name,
                )
        except IntegrityError:
            raise TurbineError("Vous êtes déjà dans le vivier de ce panel.") from None


def volunteer_withdraw(*, user: User, panel_id: int) -> None:
    """A volunteer leaves the pool before the draw; their features are erased."""
    with transaction.atomic():
        panel = _locked_panel(panel_id)
        volunteer = panel.volunteers.filter(user=user).first()
        if volunteer is None:
            raise NotFoundError("Vous n'êtes pas dans le vivier de ce panel.")
        if volunteer.selections.exists():
            raise TurbineError(
                "Vous avez été tiré·e au sort : répondez plutôt à l'invitation (accepter ou "
                "décliner)."
            )
        volunteer.delete()


def pool_import(*, actor: User, panel_id: int, text: str) -> int:
    """Adds a pool from a CSV (one row per person, one column per category); only the features
    and the row number are kept. Returns the number of people imported."""
    _require_staff(actor)
    if len(text.encode("utf-8", "replace")) > MAX_CSV_BYTES:
        raise TurbineError("Le fichier dépasse 5 Mo.")
    if "\x00" in text:
        raise TurbineError("Le fichier contient des caractères invalides (octets nuls).")
    with transaction.atomic():
        panel = _locked_panel(panel_id)
        if panel.draws.filter(status=DrawStatus.DRAWN).exists():
            raise TurbineError("Le panel est déjà tiré au sort.")
        rows = panel_quota_rows(panel)
        if not rows:
            raise TurbineError("Définissez d'abord les quotas du panel.")
        quotas = engine_quotas(rows)
        try:
            people = sortition.parse_respondents(text, quotas)
        except sortition.SortitionError as error:
            raise TurbineError(f"Fichier du vivier, {error.message}") from None
        if panel.volunteers.count() + len(people) > MAX_POOL:
            raise TurbineError(f"Un vivier compte {MAX_POOL} personnes au plus.")
        categories = list(quotas.categories)
        Volunteer.objects.bulk_create(
            Volunteer(
                panel=panel,
                source=VolunteerSource.IMPORTED,
                reference=f"ligne {index + 2}",
                features=dict(zip(categories, values, strict=True)),
                consent_draw=True,
                consent_contact=True,
            )
            for index, values in enumerate(people)
        )
    return len(people)


# --- The draw ----------------------------------------------------------------------------


@dataclass(frozen=True)
class PoolSnapshot:
    rows: list[tuple[str, str, int, int]]
    categories: list[str]
    people: list[list[str]]
    volunteer_ids: list[int]


def pool_snapshot(panel: Panel) -> PoolSnapshot:
    """The quotas and the active pool in a random order: row numbers are pseudonyms, fixed
    before the seed exists (the published register gives rows, never who they are, and the
    order of registration must not tell either)."""
    rows = panel_quota_rows(panel)
    categories = list(dict.fromkeys(c for c, _f, _l, _h in rows))
    pool = list(
        Volunteer.objects.filter(panel=panel, withdrawn_at__isnull=True, consent_draw=True)
        .order_by("id")
        .values_list("id", "features")
    )
    random.SystemRandom().shuffle(pool)
    people = [[features.get(c, "") for c in categories] for _pk, features in pool]
    ids = [pk for pk, _features in pool]
    return PoolSnapshot(rows, categories, people, ids)


def feasibility(snapshot: PoolSnapshot, size: int) -> sortition.InfeasibleQuotasError | None:
    """None if a panel of ``size`` meets the quotas with this pool, else the engine's error
    (French message, conflicting quotas and how far to relax them)."""
    if not snapshot.people:
        return sortition.InfeasibleQuotasError("Le vivier est vide.", relaxations=[])
    pool = sortition.build_pool(engine_quotas(snapshot.rows), [tuple(p) for p in snapshot.people])
    try:
        sortition.check(pool, size)
    except sortition.InfeasibleQuotasError as error:
        return error
    return None


def expected_seconds(*, people: int, profiles: int, categories: int, algorithm: str) -> float:
    """A rough estimate of the computation time on this server (2 cores), from the number of
    profiles (groups of identical answers), which drives the programs' sizes. Measured with
    LEXIMIN on 800 volunteers and a panel of 40 (bench/sortition.py's generator, four to eight
    features): 68 profiles in 0.4 s, 247 in 8.5 s, 348 in 21.4 s, 461 in 75.6 s of CPU;
    MAXIMIN took a quarter to two fifths of that."""
    if algorithm == Algorithm.LEGACY:
        return round(1.0 + people * 0.002, 1)
    seconds = 0.4 * (max(profiles, 1) / 68) ** 2.7
    if algorithm == Algorithm.MAXIMIN:
        seconds *= 0.4
    return round(max(1.0, seconds), 1)


def draw_start(*, actor: User, panel_id: int, algorithm: str = Algorithm.LEXIMIN) -> PanelDraw:
    """Freezes the quotas and the pool and sends the computation of the lottery to a task.
    Refused, with the conflicting quotas, when no panel can meet them."""
    _require_staff(actor)
    if algorithm not in Algorithm.values:
        raise TurbineError("Méthode de tirage inconnue.", field="algorithm")
    with transaction.atomic():
        panel = _locked_panel(panel_id)
        if panel.draws.filter(status=DrawStatus.DRAWN).exists():
            raise TurbineError("Ce panel est déjà tiré au sort.")
        if panel.draws.filter(status__in=[DrawStatus.PENDING, DrawStatus.RUNNING]).exists():
            raise TurbineError("Un calcul est déjà en cours pour ce panel.")
        snapshot = pool_snapshot(panel)
        problem = feasibility(snapshot, panel.size)
        if problem is not None:
            raise TurbineError(problem.message)
        profiles = len({tuple(p) for p in snapshot.people})
        draw = PanelDraw.objects.create(
            panel=panel,
            algorithm=algorithm,
            size=panel.size,
            quotas=[list(r) for r in snapshot.rows],
            categories=snapshot.categories,
            people=snapshot.people,
            volunteer_ids=snapshot.volunteer_ids,
            expected_seconds=expected_seconds(
                people=len(snapshot.people),
                profiles=profiles,
                categories=len(snapshot.categories),
                algorithm=algorithm,
            ),
            progress="En attente du calcul",
            created_by=actor,
        )
        draw_id = draw.pk
        transaction.on_commit(lambda: tasks.compute_panel_draw.delay(draw_id=draw_id))
    return draw


def _engine_pool(draw: PanelDraw) -> sortition.Pool:
    return sortition.build_pool(
        engine_quotas([tuple(r) for r in draw.quotas]), [tuple(p) for p in draw.people]
    )


def draw_compute(*, draw_id: int) -> PanelDraw:
    """Computes the distribution and rounds it to the lottery (run by the task; idempotent:
    only a pending draw is claimed, by a conditional update)."""
    claimed = PanelDraw.objects.filter(pk=draw_id, status=DrawStatus.PENDING).update(
        status=DrawStatus.RUNNING, progress="Calcul des probabilités de sélection"
    )
    draw = PanelDraw.objects.get(pk=draw_id)
    if not claimed:
        return draw
    started = time.perf_counter()
    try:
        pool = _engine_pool(draw)
        distribution = sortition.ALGORITHMS[draw.algorithm](pool, draw.size)
        PanelDraw.objects.filter(pk=draw_id).update(
            progress="Arrondi en une loterie de 1 000 panels"
        )
        drawn = sortition.lottery(distribution)
    except sortition.SortitionError as error:
        PanelDraw.objects.filter(pk=draw_id, status=DrawStatus.RUNNING).update(
            status=DrawStatus.FAILED, error=error.message, progress=""
        )
        return PanelDraw.objects.get(pk=draw_id)
    probabilities = drawn.probabilities
    figures = sortition.figures(probabilities)
    info = {k: float(v) for k, v in distribution.info.items()}
    info["exact_minimum"] = float(distribution.probabilities.min())
    PanelDraw.objects.filter(pk=draw_id, status=DrawStatus.RUNNING).update(
        status=DrawStatus.COMPUTED,
        progress="",
        probabilities=[round(float(p), 9) for p in probabilities],
        lottery_panels=distribution.panels.tolist(),
        tickets=drawn.tickets.tolist(),
        profiles=[list(p) for p in pool.profiles],
        figures={
            "minimum": figures.minimum,
            "median": figures.median,
            "maximum": figures.maximum,
            "gini": figures.gini,
            "deviation": drawn.deviation,
        },
        info=info,
        seconds=time.perf_counter() - started,
        computed_at=timezone.now(),
    )
    return PanelDraw.objects.get(pk=draw_id)


def draw_lottery(draw: PanelDraw) -> sortition.Lottery:
    """The published lottery of a computed draw, rebuilt from its record."""
    pool = _engine_pool(draw)
    panels = np.array(draw.lottery_panels, dtype=np.int64).reshape(-1, len(pool.profiles))
    tickets = np.array(draw.tickets, dtype=np.int64)
    weights = np.bincount(tickets, minlength=len(panels)) / len(tickets)
    distribution = Distribution(pool, draw.size, draw.algorithm, panels, weights)
    return sortition.Lottery(distribution, tickets)


def draw_pick(*, actor: User, draw_id: int, seed: str) -> PanelDraw:
    """Picks the panel from the published lottery with ``seed`` (drawn in public)."""
    _require_staff(actor)
    seed = (seed or "").replace("\x00", "").strip()
    if not seed:
        raise TurbineError(
            "Saisissez la graine tirée en public (par exemple les dés).", field="seed"
        )
    if len(seed) > MAX_SEED:
        raise TurbineError(f"La graine tient en {MAX_SEED} caractères au plus.", field="seed")
    with transaction.atomic():
        draw = PanelDraw.objects.filter(pk=draw_id).first()
        if draw is None:
            raise NotFoundError("Ce tirage n'existe pas.")
        panel = _locked_panel(draw.panel_id)
        draw.refresh_from_db()
        if draw.status != DrawStatus.COMPUTED:
            raise TurbineError(
                "La loterie de ce tirage n'est pas prête, ou le panel est déjà tiré."
            )
        drawn = draw_lottery(draw)
        rows = [person + 1 for person in drawn.draw(seed)]
        draw.seed = seed
        draw.ticket = _hash(f"{seed}:ticket") % len(drawn.tickets)
        draw.rows = rows
        draw.status = DrawStatus.DRAWN
        draw.drawn_at = timezone.now()
        draw.save(update_fields=["seed", "ticket", "rows", "status", "drawn_at"])
        existing = set(
            Volunteer.objects.filter(pk__in=draw.volunteer_ids).values_list("pk", flat=True)
        )
        PanelMember.objects.bulk_create(
            PanelMember(draw=draw, volunteer_id=draw.volunteer_ids[row - 1], row=row)
            for row in rows
            if draw.volunteer_ids[row - 1] in existing
        )
        panel.status = PanelStatus.DRAWN
        panel.save(update_fields=["status"])
    return draw


# --- Answers and replacements --------------------------------------------------------------


def _hash(text: str) -> int:
    return int.from_bytes(hashlib.sha256(text.encode()).digest(), "big")


@dataclass(frozen=True)
class Replacement:
    row: int | None
    note: str


def replacement_choice(
    draw: PanelDraw, *, keep_rows: list[int], excluded_rows: set[int], seed: str
) -> Replacement:
    """The replacement for one declined member, from the same lottery conditioned on the
    members kept: a person ``j`` comes with probability proportional to the probability of the
    panel ``kept ∪ {j}`` in the lottery (tickets of that composition ÷ the ways of picking its
    members in each profile). The profile is picked with ``H(seed) mod total`` over the
    profiles' integer weights in profile order, the person as in the draw (smallest
    ``H("<seed>:<row>")``). When no ticket holds such a panel, any profile whose addition
    keeps the quotas is weighted by its members' probabilities; ``note`` says which rule."""
    lottery = draw_lottery(draw)
    pool = lottery.distribution.pool
    types = len(pool.profiles)
    kept = np.zeros(types, dtype=np.int64)
    for row in keep_rows:
        kept[pool.person_profile[row - 1]] += 1
    eligible: list[list[int]] = [[] for _ in range(types)]
    for t, members in enumerate(pool.members):
        for person in members:
            row = person + 1
            if row not in excluded_rows and row not in keep_rows:
                eligible[t].append(row)
    tickets = np.bincount(lottery.tickets, minlength=len(lottery.distribution.panels))
    weights = [0] * types
    ways_of: dict[int, int] = {}
    note = "même loterie, conditionnée aux membres restants"
    by_panel = {panel.tobytes(): j for j, panel in enumerate(lottery.distribution.panels)}
    for u in range(types):
        if not eligible[u]:
            continue
        candidate = kept.copy()
        candidate[u] += 1
        j = by_panel.get(candidate.tobytes())
        if j is None or tickets[j] == 0:
            continue
        ways = 1
        for t in np.nonzero(candidate)[0].tolist():
            ways *= math.comb(int(pool.sizes[t]), int(candidate[t]))
        ways_of[u] = ways
        weights[u] = int(tickets[j]) * len(eligible[u])
    if ways_of:
        # Exact integer weights over a common multiple of the ways (Python integers are exact).
        common = math.lcm(*ways_of.values())
        for u, ways in ways_of.items():
            weights[u] *= common // ways
    if not any(weights):
        note = "aucun panel de la loterie ne convient : profils qui respectent les quotas"
        quotas = pool.quotas.all()
        lows = np.array([q.min for q in quotas])
        highs = np.array([q.max for q in quotas])
        probabilities = lottery.distribution.profile_probabilities
        for u in range(types):
            if not eligible[u]:
                continue
            candidate = kept.copy()
            candidate[u] += 1
            counts = pool.incidence @ candidate
            if (counts >= lows).all() and (counts <= highs).all():
                weights[u] = max(1, int(round(probabilities[u] * 10**9))) * len(eligible[u])
    total = sum(weights)
    if total == 0:
        return Replacement(
            None, "aucune personne du vivier ne peut remplacer en respectant les quotas"
        )
    pick = _hash(seed) % total
    for u, weight in enumerate(weights):
        if pick < weight:
            row = min(eligible[u], key=lambda r: _hash(f"{seed}:{r}"))
            return Replacement(row, note)
        pick -= weight
    raise AssertionError("unreachable")


def _replace(member: PanelMember) -> PanelMember | None:
    """Must be called inside ``atomic`` holding the panel's lock."""
    draw = member.draw
    members = list(draw.members.all())
    keep = [m.row for m in members if m.status != MemberStatus.DECLINED]
    declined = {m.row for m in members if m.status == MemberStatus.DECLINED}
    number = sum(1 for m in members if m.replaces_id) + 1
    seed = f"{draw.seed}:remplacement:{number}"
    choice = replacement_choice(draw, keep_rows=keep, excluded_rows=declined, seed=seed)
    if choice.row is None:
        member.replacement_note = choice.note
        member.save(update_fields=["replacement_note"])
        return None
    volunteer_id = draw.volunteer_ids[choice.row - 1]
    if not Volunteer.objects.filter(pk=volunteer_id).exists():
        member.replacement_note = "la personne désignée a quitté le vivier"
        member.save(update_fields=["replacement_note"])
        return None
    return PanelMember.objects.create(
        draw=draw,
        volunteer_id=volunteer_id,
        row=choice.row,
        replaces=member,
        replacement_seed=seed,
        replacement_note=choice.note,
    )


def member_answer(*, actor: User, member_id: int, accept: bool) -> PanelMember:
    """The selected person (or staff on their behalf, e.g. for an imported pool) accepts or
    declines; a decline draws the replacement at once."""
    with transaction.atomic():
        member = (
            PanelMember.objects.select_related("draw", "volunteer").filter(pk=member_id).first()
        )
        if member is None:
            raise NotFoundError("Cette sélection n'existe pas.")
        is_self = member.volunteer.user_id is not None and member.volunteer.user_id == actor.pk
        if not is_self and not actor.has_perm("cooperation.manage_panel"):
            raise PermissionDeniedError("Seule la personne tirée au sort répond à l'invitation.")
        _locked_panel(member.draw.panel_id)
        member.refresh_from_db()
        if member.status != MemberStatus.SELECTED:
            raise TurbineError("La réponse à cette invitation est déjà enregistrée.")
        member.status = MemberStatus.ACCEPTED if accept else MemberStatus.DECLINED
        member.answered_at = timezone.now()
        member.save(update_fields=["status", "answered_at"])
        if not accept:
            _replace(member)
    return member
