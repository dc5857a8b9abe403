"""Common challenges: proposals, approval vote, pledges (conditional), reports and progress."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from turbine.accounts.tests.factories import UserFactory
from turbine.cooperation.models import Challenge, ChallengeStatus, Pledge, PledgeReport
from turbine.cooperation.selectors import challenges as selectors
from turbine.cooperation.services import challenges as services
from turbine.core.exceptions import NotFoundError, PermissionDeniedError, TurbineError
from turbine.directory.models import Membership, MembershipStatus, Organisation

pytestmark = pytest.mark.django_db


def in_days(n: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=n)


def propose(user, **changes):
    data = {
        "title": "Rendre cyclable le territoire",
        "description": "Des arceaux et des pistes partout.",
        "indicator": "arceaux vélo installés",
        "unit": "arceaux",
        "baseline": Decimal("100"),
        "target": Decimal("1100"),
        "deadline": in_days(900),
        "scope": "Pôle métropolitain de l'Artois",
    }
    data.update(changes)
    return services.challenge_propose(user=user, **data)


def chosen(alice, bruno):
    challenge = propose(alice)
    services.challenge_decide(actor=bruno, challenge_id=challenge.pk, chosen=True)
    return challenge


def test_a_proposal_needs_a_measurable_target(territory, alice) -> None:
    with pytest.raises(TurbineError, match="dépasser la valeur de départ"):
        propose(alice, target=Decimal("50"))
    with pytest.raises(TurbineError, match="futur"):
        propose(alice, deadline=in_days(-1))
    with pytest.raises(TurbineError, match="trop grand"):
        propose(alice, target=Decimal("1e20"))
    with pytest.raises(TurbineError, match="nombre"):
        propose(alice, baseline=Decimal("NaN"))
    assert propose(alice).status == ChallengeStatus.PROPOSED


def test_approval_vote_counts_each_person_once(territory, alice, chloe, bruno) -> None:
    challenge = propose(alice)
    services.challenge_approve(user=alice, challenge_id=challenge.pk, approve=True)
    services.challenge_approve(user=alice, challenge_id=challenge.pk, approve=True)
    services.challenge_approve(user=chloe, challenge_id=challenge.pk, approve=True)
    assert selectors.get_challenge(challenge_id=challenge.pk).approval_count == 2
    services.challenge_approve(user=chloe, challenge_id=challenge.pk, approve=False)
    assert selectors.get_challenge(challenge_id=challenge.pk).approval_count == 1
    with pytest.raises(PermissionDeniedError):
        services.challenge_decide(actor=alice, challenge_id=challenge.pk, chosen=True)
    services.challenge_decide(actor=bruno, challenge_id=challenge.pk, chosen=True)
    with pytest.raises(TurbineError, match="clos"):
        services.challenge_approve(user=chloe, challenge_id=challenge.pk, approve=True)


def test_pledges_only_on_a_chosen_challenge_and_for_ones_own_organisation(
    territory, alice, bruno
) -> None:
    proposal = propose(alice)
    with pytest.raises(TurbineError, match="retenu"):
        services.pledge_create(
            user=alice,
            challenge_id=proposal.pk,
            quantity=20,
            description="20 arceaux",
            due_date=in_days(100),
        )
    challenge = chosen(alice, bruno)
    organisation = Organisation.objects.create(name="Vélo Club de Lens (test)")
    with pytest.raises(PermissionDeniedError):
        services.pledge_create(
            user=alice,
            challenge_id=challenge.pk,
            quantity=20,
            description="20 arceaux",
            due_date=in_days(100),
            organisation_id=organisation.pk,
        )
    Membership.objects.create(user=alice, organisation=organisation, status=MembershipStatus.ACTIVE)
    pledge = services.pledge_create(
        user=alice,
        challenge_id=challenge.pk,
        quantity=20,
        description="20 arceaux",
        due_date=in_days(100),
        organisation_id=organisation.pk,
        commune_code="62498",
    )
    assert pledge.organisation == organisation and pledge.commune.name == "Lens"
    with pytest.raises(TurbineError, match="strictement positif"):
        services.pledge_create(
            user=alice,
            challenge_id=challenge.pk,
            quantity=0,
            description="rien",
            due_date=in_days(100),
        )
    with pytest.raises(TurbineError, match="commune"):
        services.pledge_create(
            user=alice,
            challenge_id=challenge.pk,
            quantity=1,
            description="x",
            due_date=in_days(100),
            commune_code="99999",
        )
    with pytest.raises(NotFoundError):
        services.pledge_create(
            user=alice, challenge_id=10**9, quantity=1, description="x", due_date=in_days(1)
        )


def test_reports_roll_up_into_progress_kept_late_and_conditional(
    territory, alice, chloe, bruno
) -> None:
    challenge = chosen(alice, bruno)
    first = services.pledge_create(
        user=alice,
        challenge_id=challenge.pk,
        quantity=20,
        description="20 arceaux à Lens",
        due_date=in_days(10),
        commune_code="62498",
    )
    conditional = services.pledge_create(
        user=chloe,
        challenge_id=challenge.pk,
        quantity=300,
        description="300 arceaux",
        due_date=in_days(200),
        threshold=5,
    )
    services.report_create(user=alice, pledge_id=first.pk, value=Decimal("12"), date=in_days(0))
    with pytest.raises(PermissionDeniedError):
        services.report_create(user=chloe, pledge_id=first.pk, value=1, date=in_days(0))
    with pytest.raises(TurbineError, match="futur"):
        services.report_create(user=alice, pledge_id=first.pk, value=1, date=in_days(3))
    with pytest.raises(TurbineError, match="https"):
        services.report_create(
            user=alice, pledge_id=first.pk, value=1, date=in_days(0), evidence_url="javascript:x"
        )
    progress = selectors.challenge_progress(challenge=challenge)
    assert progress.reported == Decimal("12")
    assert progress.current == Decimal("112")
    assert progress.share == pytest.approx(12 / 1000)
    assert progress.pledged == Decimal("20")  # the conditional pledge waits for 5 others
    assert progress.waiting == 1
    assert progress.by_commune == [("Lens", Decimal("12"))]
    assert progress.by_actor[0][1] == Decimal("12")
    services.report_create(user=alice, pledge_id=first.pk, value=Decimal("8"), date=in_days(0))
    progress = selectors.challenge_progress(challenge=challenge)
    assert progress.kept == 1 and progress.late == 0
    Pledge.objects.filter(pk=conditional.pk).update(due_date=in_days(-1))
    for _ in range(5):
        services.pledge_create(
            user=UserFactory(),
            challenge_id=challenge.pk,
            quantity=1,
            description="1 arceau",
            due_date=in_days(30),
        )
    progress = selectors.challenge_progress(challenge=challenge)
    assert progress.waiting == 0
    assert progress.late == 1
    assert progress.by_year == [(timezone.localdate().year, Decimal("20"), Decimal("120"))]


def test_challenge_pages(territory, client, alice, bruno) -> None:
    challenge = chosen(alice, bruno)
    proposal = propose(alice, title="Manger local")
    assert client.get("/defis/").status_code == 200
    assert client.get(f"/defis/{challenge.pk}/").status_code == 200
    assert client.get("/defis/999999/").status_code == 404
    assert client.get("/defis/proposer/").status_code == 302  # sign in first
    client.force_login(alice)
    client.post(f"/defis/{proposal.pk}/approuver/", {"approve": "1"})
    assert proposal.approvals.count() == 1
    assert client.post(f"/defis/{proposal.pk}/retenir/", {"chosen": "1"}).status_code == 302
    assert Challenge.objects.get(pk=proposal.pk).status == ChallengeStatus.PROPOSED
    response = client.post(
        f"/defis/{challenge.pk}/engagement/",
        {"quantity": "20", "description": "20 arceaux", "due_date": in_days(30).isoformat()},
    )
    assert response.status_code == 302
    pledge = Pledge.objects.get()
    bad = client.post(
        f"/defis/engagements/{pledge.pk}/avancement/",
        {"value": "1e30", "date": in_days(0).isoformat()},
    )
    assert bad.status_code == 200 and not PledgeReport.objects.exists()
    client.post(
        f"/defis/engagements/{pledge.pk}/avancement/",
        {"value": "5", "date": in_days(0).isoformat(), "evidence_url": "https://example.org/p"},
    )
    assert PledgeReport.objects.get().value == Decimal("5")
    page = client.get(f"/defis/{challenge.pk}/").content.decode()
    assert "20 arceaux" in page and "<progress" in page
