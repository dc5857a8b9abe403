from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from turbine.accounts.tests.factories import UserFactory
from turbine.core.models import Theme
from turbine.directory.models import NeedOffer
from turbine.funding.models import AidStatus, Scale
from turbine.funding.tests.factories import commune, make_aid, perimeter
from turbine.guichet import matching
from turbine.guichet.models import MentorOffer, SupportRequest
from turbine.guichet.tests.factories import BETHUNE, LENS, advisor
from turbine.projects.tests.factories import ProjectFactory
from turbine.territory.models import Commune

pytestmark = pytest.mark.usefixtures("perimeters")


def query(**values: object) -> matching.MatchQuery:
    values.setdefault("title", "Jardin partagé")
    values.setdefault("description", "Un potager collectif avec vente de légumes.")
    values.setdefault("commune", Commune.objects.select_related("agglomeration").get(code=BETHUNE))
    values.setdefault("beneficiary", "association")
    values.setdefault("themes", list(Theme.objects.filter(slug="alimentation")))
    values.setdefault("stage", "idee")
    return matching.MatchQuery(**values)


def test_it_proposes_only_open_aids_the_holder_is_eligible_for(db: None) -> None:
    food = ["alimentation"]
    values = {"themes": food, "beneficiaries": ["association"]}
    make_aid(title="Ouverte", perimeters=[perimeter(Scale.DEPARTMENT, "62")], **values)
    make_aid(title="Close", deadline=timezone.localdate() - datetime.timedelta(days=1), **values)
    make_aid(title="Brouillon", status=AidStatus.DRAFT, **values)
    make_aid(
        title="Pas encore ouverte",
        start_date=timezone.localdate() + datetime.timedelta(days=5),
        **values,
    )
    make_aid(title="Pour les communes", themes=food, beneficiaries=["commune"])
    make_aid(title="Lens seulement", perimeters=[commune(LENS)], **values)
    make_aid(title="Nord", perimeters=[perimeter(Scale.DEPARTMENT, "59")], **values)
    make_aid(title="Autre thème", themes=["mobilite"], beneficiaries=["association"])

    items = matching.match_aids(query())

    assert [i.title for i in items] == ["Ouverte"]
    reasons = " ".join(items[0].reasons)
    assert "Thèmes en commun : Alimentation." in reasons
    assert "Vous y êtes éligible : elle est ouverte aux associations et couvre Béthune" in reasons


def test_it_ranks_aids_by_fit_then_nearest_deadline(db: None) -> None:
    common = {"themes": ["alimentation"], "beneficiaries": ["association"]}
    make_aid(title="Lointaine", deadline_in=200, **common)
    make_aid(title="Proche", deadline_in=10, **common)
    make_aid(title="Bon budget", deadline_in=200, amount_max=50_000, stages=["reflexion"], **common)
    make_aid(title="Trop petit budget", deadline_in=200, amount_min=100_000, **common)

    items = matching.match_aids(query(budget=10_000))

    assert [i.title for i in items] == ["Bon budget", "Proche", "Lointaine", "Trop petit budget"]
    assert "Votre budget entre dans ses montants" in " ".join(items[0].reasons)
    assert "Elle finance l'étape où en est le projet (Réflexion)." in items[0].reasons
    assert any(r.startswith("Date limite proche") for r in items[1].reasons)
    assert "inférieur à son montant minimal" in " ".join(items[3].reasons)


def test_it_finds_advisors_mentors_projects_offers_and_procedures(db: None) -> None:
    local = advisor(agglomeration_of=BETHUNE, themes=["alimentation"], display_name="Zoé")
    advisor(agglomeration_of=LENS, themes=["mobilite"], display_name="Loin")
    holder = UserFactory(display_name="Marc")
    done = ProjectFactory(
        title="Potager de la gare", stage="realise", holder_user=holder,
        commune_codes=[BETHUNE], theme_slugs=["alimentation"],
    )  # fmt: skip
    MentorOffer.objects.create(user=holder, project=done, message="Je raconte tout.")
    early = ProjectFactory(
        title="Autre idée", stage="idee", holder_user=holder, theme_slugs=["alimentation"]
    )
    MentorOffer.objects.create(user=holder, project=early)
    offer = NeedOffer.objects.create(
        direction="offre", kind="financement", title="Prêt d'honneur", author=holder,
        expires_on=timezone.localdate() + datetime.timedelta(days=30),
    )  # fmt: skip

    result = matching.match(query(needs=["financement"], holder_type="association"))

    assert [i.id for i in result.advisors] == [local.pk]
    assert "Couvre votre agglomération" in " ".join(result.advisors[0].reasons)
    assert [i.obj.project_id for i in result.mentors] == [done.pk]
    assert "Potager de la gare" in result.mentors[0].reasons[0]
    assert done.pk in [i.id for i in result.projects]
    assert [i.id for i in result.offers] == [offer.pk]
    assert result.offers[0].reasons[0] == "Répond à un de vos besoins : financement."
    titles = [i.title for i in result.procedures]
    assert titles[0] == "Déclaration sanitaire de manipulation de denrées alimentaires (DDPP)"
    assert any(r.startswith("À qui s'adresser") for r in result.procedures[0].reasons)


def test_it_is_deterministic(db: None) -> None:
    for n in range(5):
        make_aid(title=f"Aide {n}", themes=["alimentation"], beneficiaries=["association"])
    first = matching.match(query())
    second = matching.match(query())
    assert [(i.id, i.score, i.reasons) for i in first.aids] == [
        (i.id, i.score, i.reasons) for i in second.aids
    ]
    assert SupportRequest.objects.count() == 0
