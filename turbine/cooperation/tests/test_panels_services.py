"""Citizen panels: quotas, pool, the two-step public draw, replacements (services)."""

from __future__ import annotations

import pytest

from turbine.accounts.tests.factories import UserFactory
from turbine.cooperation import sortition
from turbine.cooperation.models import (
    DrawStatus,
    MemberStatus,
    PanelMember,
    PanelStatus,
    Volunteer,
)
from turbine.cooperation.services import panels as services
from turbine.core.exceptions import NotFoundError, PermissionDeniedError, TurbineError

pytestmark = pytest.mark.django_db

QUOTAS = [
    ("Genre", "Femme", 2, 3),
    ("Genre", "Homme", 2, 3),
    ("Âge", "Jeune", 1, 3),
    ("Âge", "Âgé", 1, 3),
]


def make_panel(bruno, *, size: int = 4, people: int = 12):
    panel = services.panel_create(
        actor=bruno,
        title="Panel mobilité",
        purpose="Examiner les projets",
        size=size,
        duration="6 mois",
    )
    services.quotas_set(actor=bruno, panel_id=panel.pk, rows=QUOTAS)
    services.panel_set_status(actor=bruno, panel_id=panel.pk, status=PanelStatus.OPEN)
    users = []
    for n in range(people):
        user = UserFactory()
        services.volunteer_register(
            user=user,
            panel_id=panel.pk,
            features={"Genre": "Femme" if n % 2 else "Homme", "Âge": "Jeune" if n % 3 else "Âgé"},
            consent_draw=True,
            consent_contact=True,
        )
        users.append(user)
    return panel, users


def computed_draw(bruno, panel, capture):
    with capture(execute=True):
        draw = services.draw_start(actor=bruno, panel_id=panel.pk)
    draw.refresh_from_db()
    return draw


def test_a_new_panel_has_the_default_categories(territory, bruno) -> None:
    panel = services.panel_create(
        actor=bruno, title="Panel", purpose="Mission", size=30, duration="1 an"
    )
    categories = {q.category for q in panel.quotas.all()}
    assert categories == {
        "Tranche d'âge",
        "Genre",
        "Agglomération",
        "Catégorie socioprofessionnelle",
        "Niveau d'études",
        "Première participation",
    }
    agglomerations = set(
        panel.quotas.filter(category="Agglomération").values_list("feature", flat=True)
    )
    assert len(agglomerations) == 3


def test_only_staff_create_panels_and_draw(territory, alice, bruno) -> None:
    with pytest.raises(PermissionDeniedError):
        services.panel_create(actor=alice, title="P", purpose="M", size=10, duration="1 an")
    panel, _users = make_panel(bruno)
    with pytest.raises(PermissionDeniedError):
        services.draw_start(actor=alice, panel_id=panel.pk)
    with pytest.raises(PermissionDeniedError):
        services.quotas_import(actor=alice, panel_id=panel.pk, text="category,feature,min,max\n")


def test_registration_needs_consent_valid_features_and_an_open_panel(
    territory, alice, bruno
) -> None:
    panel, _users = make_panel(bruno, people=0)
    features = {"Genre": "Femme", "Âge": "Jeune"}
    with pytest.raises(TurbineError, match="acceptez que vos réponses"):
        services.volunteer_register(
            user=alice,
            panel_id=panel.pk,
            features=features,
            consent_draw=False,
            consent_contact=True,
        )
    with pytest.raises(TurbineError, match="Âge"):
        services.volunteer_register(
            user=alice,
            panel_id=panel.pk,
            features={"Genre": "Femme", "Âge": "Vieux"},
            consent_draw=True,
            consent_contact=True,
        )
    services.volunteer_register(
        user=alice, panel_id=panel.pk, features=features, consent_draw=True, consent_contact=True
    )
    with pytest.raises(TurbineError, match="déjà dans le vivier"):
        services.volunteer_register(
            user=alice,
            panel_id=panel.pk,
            features=features,
            consent_draw=True,
            consent_contact=True,
        )
    services.panel_set_status(actor=bruno, panel_id=panel.pk, status=PanelStatus.DRAFT)
    with pytest.raises(TurbineError, match="fermées"):
        services.volunteer_register(
            user=UserFactory(),
            panel_id=panel.pk,
            features=features,
            consent_draw=True,
            consent_contact=True,
        )
    with pytest.raises(NotFoundError):
        services.volunteer_register(
            user=alice, panel_id=10**9, features=features, consent_draw=True, consent_contact=True
        )


def test_categories_cannot_change_once_people_registered_but_bounds_can(territory, bruno) -> None:
    panel, _users = make_panel(bruno, people=2)
    with pytest.raises(TurbineError, match="plus les catégories"):
        services.quotas_set(actor=bruno, panel_id=panel.pk, rows=[*QUOTAS, ("Âge", "Enfant", 0, 1)])
    services.quotas_set(
        actor=bruno, panel_id=panel.pk, rows=[("Genre", "Femme", 1, 3), *QUOTAS[1:]]
    )
    assert panel.quotas.get(feature="Femme").min == 1


def test_quotas_import_in_the_sortition_foundation_format(territory, bruno) -> None:
    panel = services.panel_create(actor=bruno, title="P", purpose="M", size=4, duration="1 an")
    services.quotas_import(
        actor=bruno,
        panel_id=panel.pk,
        text="category,feature,min,max\nGenre,Femme,2,2\nGenre,Homme,2,2\n",
    )
    assert [(q.feature, q.min, q.max) for q in panel.quotas.all()] == [
        ("Femme", 2, 2),
        ("Homme", 2, 2),
    ]
    with pytest.raises(TurbineError, match="ligne 2"):
        services.quotas_import(
            actor=bruno, panel_id=panel.pk, text="category,feature,min,max\nGenre,Femme,3,2\n"
        )
    with pytest.raises(TurbineError, match="octets nuls"):
        services.quotas_import(actor=bruno, panel_id=panel.pk, text="category\x00,feature")


def test_pool_import_keeps_only_features(territory, bruno) -> None:
    panel, _users = make_panel(bruno, people=0)
    count = services.pool_import(
        actor=bruno,
        panel_id=panel.pk,
        text="nom,Genre,Âge\nX,Femme,Jeune\nY,Homme,Âgé\n",
    )
    assert count == 2
    imported = Volunteer.objects.filter(panel=panel).order_by("id")
    assert [v.features for v in imported] == [
        {"Genre": "Femme", "Âge": "Jeune"},
        {"Genre": "Homme", "Âge": "Âgé"},
    ]
    assert all(v.user_id is None for v in imported)
    with pytest.raises(TurbineError, match="ligne 2"):
        services.pool_import(actor=bruno, panel_id=panel.pk, text="Genre,Âge\nAutre,Jeune\n")


def test_an_infeasible_pool_is_refused_with_the_conflicting_quota(territory, bruno) -> None:
    panel, _users = make_panel(bruno, people=12)
    services.quotas_set(
        actor=bruno,
        panel_id=panel.pk,
        rows=[
            ("Genre", "Femme", 4, 4),
            ("Genre", "Homme", 0, 0),
            ("Âge", "Jeune", 0, 4),
            ("Âge", "Âgé", 3, 4),
        ],
    )
    # 6 women, 4 older people of whom 2 are women: 4 women and 3 older people cannot both hold.
    with pytest.raises(TurbineError, match="Pour le rendre possible"):
        services.draw_start(actor=bruno, panel_id=panel.pk)


def test_the_draw_is_leximin_published_and_reproducible(
    territory, bruno, django_capture_on_commit_callbacks
) -> None:
    panel, users = make_panel(bruno)
    draw = computed_draw(bruno, panel, django_capture_on_commit_callbacks)
    assert draw.status == DrawStatus.COMPUTED
    assert len(draw.tickets) == sortition.TICKETS
    # The same computation by the engine on the published inputs.
    quotas = services.engine_quotas([tuple(r) for r in draw.quotas])
    result = sortition.select(quotas, [tuple(p) for p in draw.people], size=4, seed="3 1 4 1 5")
    assert draw.figures["minimum"] == pytest.approx(result.lottery.probabilities.min(), abs=1e-9)
    assert draw.probabilities == pytest.approx(list(result.lottery.probabilities), abs=1e-8)
    draw = services.draw_pick(actor=bruno, draw_id=draw.pk, seed="3 1 4 1 5")
    assert draw.rows == [row + 1 for row in result.panel]
    panel.refresh_from_db()
    assert panel.status == PanelStatus.DRAWN
    members = list(PanelMember.objects.filter(draw=draw).select_related("volunteer"))
    assert len(members) == 4
    genders = [m.volunteer.features["Genre"] for m in members]
    assert 2 <= genders.count("Femme") <= 3
    with pytest.raises(TurbineError, match="déjà tiré"):
        services.draw_pick(actor=bruno, draw_id=draw.pk, seed="autre")
    with pytest.raises(TurbineError, match="déjà tiré"):
        services.draw_start(actor=bruno, panel_id=panel.pk)


def test_the_seed_is_required_and_bounded(
    territory, bruno, django_capture_on_commit_callbacks
) -> None:
    panel, _users = make_panel(bruno)
    draw = computed_draw(bruno, panel, django_capture_on_commit_callbacks)
    with pytest.raises(TurbineError, match="graine"):
        services.draw_pick(actor=bruno, draw_id=draw.pk, seed="  \x00 ")
    with pytest.raises(TurbineError, match="200 caractères"):
        services.draw_pick(actor=bruno, draw_id=draw.pk, seed="1" * 201)


def test_a_decline_draws_a_replacement_that_keeps_the_quotas(
    territory, bruno, django_capture_on_commit_callbacks
) -> None:
    panel, users = make_panel(bruno)
    draw = computed_draw(bruno, panel, django_capture_on_commit_callbacks)
    draw = services.draw_pick(actor=bruno, draw_id=draw.pk, seed="42")
    member = PanelMember.objects.filter(draw=draw).select_related("volunteer__user").first()
    stranger = UserFactory()
    with pytest.raises(PermissionDeniedError):
        services.member_answer(actor=stranger, member_id=member.pk, accept=False)
    services.member_answer(actor=member.volunteer.user, member_id=member.pk, accept=False)
    replacement = PanelMember.objects.get(replaces=member)
    assert replacement.replacement_seed == "42:remplacement:1"
    active = PanelMember.objects.filter(draw=draw).exclude(status=MemberStatus.DECLINED)
    assert active.count() == 4
    features = [m.volunteer.features for m in active.select_related("volunteer")]
    for category, feature, low, high in QUOTAS:
        assert low <= sum(1 for f in features if f[category] == feature) <= high
    with pytest.raises(TurbineError, match="déjà enregistrée"):
        services.member_answer(actor=member.volunteer.user, member_id=member.pk, accept=True)
    # The replacement is recomputable from the record.
    choice = services.replacement_choice(
        draw,
        keep_rows=[m.row for m in active if m.pk != replacement.pk],
        excluded_rows={member.row},
        seed="42:remplacement:1",
    )
    assert choice.row == replacement.row


def test_a_volunteer_withdraws_before_the_draw(territory, bruno) -> None:
    panel, users = make_panel(bruno, people=3)
    services.volunteer_withdraw(user=users[0], panel_id=panel.pk)
    assert panel.volunteers.count() == 2
    with pytest.raises(NotFoundError):
        services.volunteer_withdraw(user=users[0], panel_id=panel.pk)
