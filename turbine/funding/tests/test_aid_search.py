from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from turbine.core.exceptions import PermissionDeniedError
from turbine.funding.models import AidStatus, Scale
from turbine.funding.selectors import AidFilters, aid_search
from turbine.funding.services import catalogue as services
from turbine.funding.services.catalogue import FundingError, aid_create, aid_update, aids_expire
from turbine.funding.tests.factories import FunderFactory, commune, make_aid, perimeter

pytestmark = pytest.mark.usefixtures("perimeters")


def titles(filters: AidFilters) -> list[str]:
    return [a.title for a in aid_search(filters)[:100]]


def test_it_lists_aids_for_a_commune_narrowest_perimeter_first(db: None) -> None:
    make_aid(title="Europe", perimeters=[perimeter(Scale.EU, "EU")], deadline_in=3)
    make_aid(title="France", perimeters=[perimeter(Scale.COUNTRY, "FR")], deadline_in=5)
    make_aid(title="Région", perimeters=[perimeter(Scale.REGION, "32")])
    make_aid(title="Département", perimeters=[perimeter(Scale.DEPARTMENT, "62")])
    make_aid(title="Agglo", perimeters=[perimeter(Scale.EPCI, "200072460")])
    make_aid(title="Béthune", perimeters=[commune("62119")], deadline_in=None)
    make_aid(title="Lens seulement", perimeters=[commune("62498")])
    make_aid(title="Nord", perimeters=[perimeter(Scale.DEPARTMENT, "59")])
    make_aid(title="Île-de-France", perimeters=[perimeter(Scale.REGION, "11")])
    assert titles(AidFilters(commune="62119")) == [
        "Béthune", "Agglo", "Département", "Région", "France", "Europe",
    ]  # fmt: skip
    # Lens: an aid for Béthune and the Nord and Lens does not apply to Béthune, but the one for
    # Lens and Béthune is ranked by its narrowest matching perimeter.
    make_aid(title="Lens et Nord", perimeters=[commune("62498"), perimeter(Scale.DEPARTMENT, "59")])
    assert "Lens et Nord" not in titles(AidFilters(commune="62119"))
    assert titles(AidFilters(commune="62498"))[:2] == ["Lens et Nord", "Lens seulement"]
    assert titles(AidFilters(commune="00000")) == []


def test_it_orders_by_nearest_deadline_within_a_scale(db: None) -> None:
    make_aid(title="Sans date", deadline_in=None)
    make_aid(title="Dans 40 jours", deadline_in=40)
    make_aid(title="Dans 2 jours", deadline_in=2)
    assert titles(AidFilters()) == ["Dans 2 jours", "Dans 40 jours", "Sans date"]


def test_it_applies_every_filter(db: None) -> None:
    ademe = FunderFactory(name="ADEME")
    make_aid(
        title="Chaleur renouvelable",
        types=["subvention"],
        beneficiaries=["entreprise", "commune"],
        themes=["energie"],
        funders=[ademe],
        is_call_for_projects=True,
        deadline_in=20,
        description="Réseaux de chaleur et géothermie.",
    )
    make_aid(
        title="Prêt vélo",
        types=["pret"],
        beneficiaries=["particulier"],
        themes=["mobilite"],
        deadline_in=90,
        start_date=timezone.localdate() + datetime.timedelta(days=10),
    )
    assert titles(AidFilters(type="pret")) == ["Prêt vélo"]
    assert titles(AidFilters(beneficiary="entreprise")) == ["Chaleur renouvelable"]
    assert titles(AidFilters(themes=("energie",))) == ["Chaleur renouvelable"]
    assert titles(AidFilters(themes=("energie", "mobilite"))) == []
    assert titles(AidFilters(call_for_projects=True)) == ["Chaleur renouvelable"]
    assert titles(AidFilters(funder=ademe.pk)) == ["Chaleur renouvelable"]
    assert titles(AidFilters(closing_within=30)) == ["Chaleur renouvelable"]
    assert titles(AidFilters(open=True)) == ["Chaleur renouvelable"]
    assert titles(AidFilters(q="geothermie")) == ["Chaleur renouvelable"]
    assert titles(AidFilters(q="velo", commune="62119", type="pret")) == ["Prêt vélo"]


def test_it_ranks_text_matches_by_relevance_first(db: None) -> None:
    make_aid(title="Rénovation des écoles", perimeters=[perimeter(Scale.COUNTRY, "FR")])
    make_aid(
        title="Aide aux communes",
        perimeters=[commune("62119")],
        description="Peut financer la rénovation.",
    )
    assert titles(AidFilters(q="rénovation", commune="62119")) == [
        "Rénovation des écoles",
        "Aide aux communes",
    ]


def test_it_never_returns_drafts_or_expired_aids_even_before_the_task_runs(db: None) -> None:
    make_aid(title="Brouillon", status=AidStatus.DRAFT)
    stale = make_aid(title="Échue hier", deadline_in=5)
    type(stale).objects.filter(pk=stale.pk).update(
        deadline=timezone.localdate() - datetime.timedelta(days=1)
    )
    make_aid(title="En cours")
    assert titles(AidFilters()) == ["En cours"]
    assert titles(AidFilters(q="échue")) == []
    assert aids_expire() == 1
    stale.refresh_from_db()
    assert stale.status == AidStatus.EXPIRED
    assert stale.effective_status == AidStatus.EXPIRED


def test_it_revives_an_expired_aid_whose_deadline_moves_later(db: None, bruno) -> None:
    aid = make_aid(title="Reportée", deadline_in=1)
    type(aid).objects.filter(pk=aid.pk).update(
        status=AidStatus.EXPIRED, deadline=timezone.localdate() - datetime.timedelta(days=2)
    )
    aid = aid_update(
        actor=bruno,
        aid_id=aid.pk,
        values={"deadline": timezone.localdate() + datetime.timedelta(days=30)},
    )
    assert aid.status == AidStatus.PUBLISHED
    assert aid.edited_fields == ["deadline"]
    assert titles(AidFilters()) == ["Reportée"]


def test_it_validates_aids(db: None, alice) -> None:
    with pytest.raises(FundingError, match="au moins un périmètre"):
        aid_create(actor=None, values={"title": "Sans périmètre"}, status=AidStatus.PUBLISHED)
    with pytest.raises(FundingError, match="taux minimal dépasse"):
        make_aid(subsidy_rate_min=80, subsidy_rate_max=20)
    with pytest.raises(FundingError, match="inconnue"):
        make_aid(types=["don"])
    with pytest.raises(FundingError, match="précéder"):
        make_aid(start_date=timezone.localdate() + datetime.timedelta(days=90), deadline_in=10)
    aid = make_aid()
    with pytest.raises(PermissionDeniedError):
        aid_update(actor=alice, aid_id=aid.pk, values={"title": "Piraté"})
    assert services.Aid.objects.count() == 1


def test_it_records_back_office_edits_for_the_import(db: None) -> None:
    aid = make_aid(title="Éditée", perimeters=[commune("62119")])
    services.aid_admin_saved(aid_id=aid.pk, changed_fields=["title", "perimeters", "status"])
    aid.refresh_from_db()
    assert aid.edited_fields == ["perimeters", "title"]
    assert aid.narrowest_rank == 1
