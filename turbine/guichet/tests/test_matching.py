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
    make_aid(title="Potager ouvert", perimeters=[perimeter(Scale.DEPARTMENT, "62")], **values)
    make_aid(
        title="Potager clos", deadline=timezone.localdate() - datetime.timedelta(days=1), **values
    )
    make_aid(title="Potager brouillon", status=AidStatus.DRAFT, **values)
    make_aid(
        title="Potager pas encore ouvert",
        start_date=timezone.localdate() + datetime.timedelta(days=5),
        **values,
    )
    make_aid(title="Potager des communes", themes=food, beneficiaries=["commune"])
    make_aid(title="Potager de Lens", perimeters=[commune(LENS)], **values)
    make_aid(title="Potager du Nord", perimeters=[perimeter(Scale.DEPARTMENT, "59")], **values)
    make_aid(title="Autre sujet", themes=["mobilite"], beneficiaries=["association"])

    items = matching.match_aids(query())

    assert [i.title for i in items] == ["Potager ouvert"]
    reasons = " ".join(items[0].reasons)
    assert "Mots en commun avec votre projet : «\u00a0potager\u00a0» dans son titre." in reasons
    assert "Thèmes en commun : Alimentation." in reasons
    assert "Vous y êtes éligible : elle est ouverte aux associations et couvre Béthune" in reasons


def test_it_reads_the_description_words_before_the_themes(db: None) -> None:
    bike = {"beneficiaries": ["association"], "deadline_in": None}
    make_aid(
        title="Ateliers de réparation de vélos", themes=["dechets-economie-circulaire"], **bike
    )
    make_aid(title="Fête de quartier", themes=["mobilite", "solidarite-justice-sociale"], **bike)
    make_aid(title="Sans rapport", themes=["eau"], **bike)

    items = matching.match_aids(
        query(
            title="Atelier vélo solidaire",
            description="Un atelier de réparation de vélos pour les habitants.",
            themes=list(Theme.objects.filter(slug__in=["mobilite", "solidarite-justice-sociale"])),
        )
    )

    assert [i.title for i in items] == ["Ateliers de réparation de vélos", "Fête de quartier"]
    words = items[0].reasons[0]
    assert words.startswith("Mots en commun avec votre projet :")
    assert (
        "«\u00a0atelier\u00a0»" in words
        and "«\u00a0vélo" in words
        and "«\u00a0réparation\u00a0»" in words
    )
    assert not any(r.startswith("Thèmes en commun") for r in items[0].reasons)
    # Permanent aids are ranked by fit like the others: no deadline is no penalty.
    assert items[0].obj.deadline is None


def test_it_maps_the_help_asked_to_aid_types_and_the_stage_to_its_steps(db: None) -> None:
    common = {"themes": ["alimentation"], "beneficiaries": ["association"]}
    make_aid(title="Potager études", types=["ingenierie-technique"], **common)
    make_aid(title="Potager subvention", types=["subvention"], stages=["reflexion"], **common)

    money = matching.match_aids(query(needs=["financement"]))
    engineering = matching.match_aids(query(needs=["ingenierie"]))

    assert [i.title for i in money] == ["Potager subvention", "Potager études"]
    assert "Elle apporte ce que vous cherchez (financement) : subvention." in money[0].reasons
    assert "Elle intervient à l'étape où en est le projet (réflexion)." in money[0].reasons
    assert any(r.startswith("Elle apporte autre chose") for r in money[1].reasons)
    assert [i.title for i in engineering] == ["Potager études", "Potager subvention"]


def test_it_compares_the_budget_only_with_what_the_aid_states(db: None) -> None:
    common = {"themes": ["alimentation"], "beneficiaries": ["association"]}
    make_aid(title="Potager plafonné", amount_max=50_000, **common)
    make_aid(title="Potager au taux", subsidy_rate_max=40, **common)
    make_aid(title="Potager muet", **common)
    make_aid(title="Potager trop gros", amount_min=100_000, **common)

    items = {i.title: i.reasons for i in matching.match_aids(query(budget=10_000))}

    assert any("jusqu'à 50\u202f000 €" in r for r in items["Potager plafonné"])
    assert any(
        "jusqu'à 40 % des dépenses, soit jusqu'à 4\u202f000 €" in r
        for r in items["Potager au taux"]
    )
    assert not any("€" in r for r in items["Potager muet"])
    assert any("dépasse votre budget" in r for r in items["Potager trop gros"])
    assert list(items)[-1] == "Potager trop gros"


def test_it_shows_the_closest_eligible_aids_when_nothing_fits(db: None) -> None:
    make_aid(title="Rénovation des écoles", themes=["energie"], beneficiaries=["association"])

    result = matching.match(query())

    assert [i.title for i in result.aids] == ["Rénovation des écoles"]
    assert result.aids_are_closest and result.aids[0].extra["closest"]


def test_it_never_proposes_a_set_aside_aid(db: None) -> None:
    aid = make_aid(title="Potager écarté", themes=["alimentation"], beneficiaries=["association"])
    assert matching.match_aids(query(exclude_aid_ids=[aid.pk])) == []


def test_it_proposes_procedures_from_the_situations_ticked_never_from_words(db: None) -> None:
    text = {"title": "Construire un local", "description": "Permis, statuts, fête, buvette."}
    assert matching.match_procedures(query(**text)) == []

    ticked = matching.match_procedures(
        query(triggers=["vente-alimentaire", "nouvelle-structure"], has_structure=True)
    )
    titles = [i.title for i in ticked]
    assert titles == ["Déclaration sanitaire de manipulation de denrées alimentaires (DDPP)"]
    assert ticked[0].reasons[0].startswith("Vous avez indiqué : préparer, vendre")

    collective = matching.match_procedures(query(triggers=["nouvelle-structure"]))
    assert [i.title for i in collective] == ["Déclaration de création d'une association"]


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

    result = matching.match(
        query(needs=["financement"], holder_type="association", triggers=["vente-alimentaire"])
    )

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
