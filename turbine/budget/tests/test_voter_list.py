"""A stronger check per campaign (issue 10, point 4b): a list of voters imported by staff, each
sent a one-time code by email, entered once before voting."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from turbine.accounts.services import user_delete
from turbine.accounts.tests.factories import UserFactory
from turbine.budget import services
from turbine.budget.models import EligibleVoter, StaffAction, VoterCheck
from turbine.budget.services import BudgetError, NotEligibleError
from turbine.budget.tests.factories import make_campaign, make_proposal
from turbine.core.exceptions import PermissionDeniedError

pytestmark = pytest.mark.django_db

CODE = re.compile(r"\b([A-Z2-9]{5}-[A-Z2-9]{5})\b")


@pytest.fixture
def campaign(territory, bruno):
    campaign = make_campaign(phase="vote")
    make_proposal(campaign, title="A")
    services.voter_check_set(actor=bruno, campaign_id=campaign.pk, voter_check=VoterCheck.LIST)
    campaign.refresh_from_db()
    return campaign


def _import(bruno, campaign, text, capture):
    with capture(execute=True):
        return services.voter_list_import(actor=bruno, campaign_id=campaign.pk, text=text)


def _codes() -> dict[str, str]:
    return {m.to[0]: CODE.search(m.body).group(1) for m in mail.outbox}


def _vote(user, campaign):
    envelope = campaign.envelopes.get()
    return services.ballot_cast(
        user=user,
        envelope_id=envelope.pk,
        choices=[campaign.proposals.get().pk],
        age_declared=True,
    )


def test_it_imports_the_list_and_sends_each_address_a_code(
    campaign, bruno, django_capture_on_commit_callbacks
) -> None:
    summary = _import(
        bruno,
        campaign,
        "courriel;nom\nalice@example.org;Alice\nAlice+bp@example.org;Alice\nsam@example.net;Sam\n",
        django_capture_on_commit_callbacks,
    )
    assert (summary.added, summary.already) == (2, 1)
    assert sorted(EligibleVoter.objects.values_list("normalised", flat=True)) == [
        "alice@example.org",
        "sam@example.net",
    ]
    assert sorted(_codes()) == ["alice@example.org", "sam@example.net"]
    assert "code personnel" in mail.outbox[0].body
    # Only hashes are stored.
    code = _codes()["sam@example.net"]
    assert not EligibleVoter.objects.filter(code_hash__icontains=code.replace("-", "")).exists()
    assert StaffAction.objects.filter(action="voter_list_import").exists()


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("alice@example.org\npas-une-adresse\n", "ligne 2 : « pas-une-adresse »"),
        ("alice@example.org\x00\n", "caractère nul"),
        ("\n\n", "aucune adresse"),
    ],
)
def test_it_refuses_a_bad_list_with_a_french_message(campaign, bruno, text, message) -> None:
    with pytest.raises(BudgetError, match=message):
        services.voter_list_import(actor=bruno, campaign_id=campaign.pk, text=text)
    assert not EligibleVoter.objects.exists()


def test_it_reserves_the_list_to_staff(campaign, alice) -> None:
    with pytest.raises(PermissionDeniedError):
        services.voter_list_import(actor=alice, campaign_id=campaign.pk, text="a@example.org")
    client = Client()
    client.force_login(alice)
    assert client.get(reverse("budget:voter_list", args=[campaign.slug])).status_code == 403


def test_it_asks_for_the_code_before_the_vote_and_uses_it_once(
    campaign, bruno, alice, chloe, django_capture_on_commit_callbacks
) -> None:
    _import(bruno, campaign, "alice@example.org\n", django_capture_on_commit_callbacks)
    code = _codes()["alice@example.org"]
    with pytest.raises(NotEligibleError, match="code personnel"):
        _vote(alice, campaign)
    with pytest.raises(BudgetError, match="pas valable"):
        services.voter_code_claim(user=alice, campaign=campaign, code="AAAAA-BBBBB")
    services.voter_code_claim(user=alice, campaign=campaign, code=code.lower().replace("-", " "))
    _vote(alice, campaign)
    # Used: nobody else can use it, and it survives the deletion of the account.
    chloe.commune = alice.commune
    chloe.save()
    with pytest.raises(BudgetError, match="pas valable"):
        services.voter_code_claim(user=chloe, campaign=campaign, code=code)
    user_delete(user=alice)
    again = UserFactory(email="alice@example.org", commune_code="62498")
    with pytest.raises(BudgetError, match="pas valable"):
        services.voter_code_claim(user=again, campaign=campaign, code=code)
    assert EligibleVoter.objects.get().claimed


def test_it_throttles_wrong_codes(campaign, alice) -> None:
    for _ in range(5):
        with pytest.raises(BudgetError, match="pas valable"):
            services.voter_code_claim(user=alice, campaign=campaign, code="AAAAA-BBBBB")
    with pytest.raises(BudgetError, match="Trop de codes erronés"):
        services.voter_code_claim(user=alice, campaign=campaign, code="AAAAA-BBBBB")


def test_it_resends_new_codes_to_those_who_did_not_use_theirs(
    campaign, bruno, alice, django_capture_on_commit_callbacks
) -> None:
    _import(bruno, campaign, "alice@example.org\n", django_capture_on_commit_callbacks)
    old = _codes()["alice@example.org"]
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert services.voter_codes_resend(actor=bruno, campaign_id=campaign.pk) == 1
    new = _codes()["alice@example.org"]
    with pytest.raises(BudgetError, match="pas valable"):
        services.voter_code_claim(user=alice, campaign=campaign, code=old)
    services.voter_code_claim(user=alice, campaign=campaign, code=new)


def test_it_freezes_the_check_once_someone_voted(territory, bruno, alice) -> None:
    campaign = make_campaign(phase="vote")
    make_proposal(campaign, title="A")
    _vote(alice, campaign)
    with pytest.raises(BudgetError, match="ne change plus"):
        services.voter_check_set(actor=bruno, campaign_id=campaign.pk, voter_check=VoterCheck.LIST)


def test_it_runs_the_code_step_in_the_pages(
    client, campaign, bruno, alice, django_capture_on_commit_callbacks
) -> None:
    _import(bruno, campaign, "alice@example.org\n", django_capture_on_commit_callbacks)
    client.force_login(alice)
    vote = reverse("budget:vote", args=[campaign.slug])
    page = client.get(vote).content.decode()
    assert "Saisir mon code personnel" in page and "Bulletin « " not in page
    ballot = reverse("budget:vote_ballot", args=[campaign.slug, campaign.envelopes.get().pk])
    assert client.get(ballot).status_code == 302
    code_url = reverse("budget:vote_code", args=[campaign.slug])
    assert "caractère nul" in client.post(code_url, {"code": "x\x00"}).content.decode()
    response = client.post(code_url, {"code": "ABCDE-FGHJK"})
    assert response.status_code == 200 and "pas valable" in response.content.decode()
    response = client.post(
        reverse("budget:vote_code", args=[campaign.slug]),
        {"code": _codes()["alice@example.org"]},
    )
    assert response.status_code == 302
    page = client.get(vote).content.decode()
    assert "Votre code est validé" in page and "Bulletin « " in page
    assert client.get(ballot).status_code == 200


def test_it_runs_the_staff_page(
    client, campaign, bruno, django_capture_on_commit_callbacks, django_assert_max_num_queries
) -> None:
    client.force_login(bruno)
    url = reverse("budget:voter_list", args=[campaign.slug])
    upload = SimpleUploadedFile("votants.csv", b"email\nzoe@example.org\nyan@example.org\n")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"action": "importer", "fichier": upload})
    assert response.status_code == 302 and len(mail.outbox) == 2
    bad = SimpleUploadedFile("votants.csv", "zoé@exa mple.org\n".encode("latin-1"))
    response = client.post(url, {"action": "importer", "fichier": bad})
    assert response.status_code == 200 and "UTF-8" in response.content.decode()
    response = client.post(url, {"action": "importer", "adresses": "ok@example.org\nfaux\n"})
    assert response.status_code == 200 and "ligne 2" in response.content.decode()
    response = client.post(url, {"action": "controle", "voter_check": "n-importe"})
    assert "Sélectionnez un choix valide" in response.content.decode()
    with django_assert_max_num_queries(12):
        page = client.get(url).content.decode()
    assert "Personnes inscrites" in page and ">2<" in page
