"""Pages of the showcase: each answers, shows what it should, and refuses what it must."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from turbine.directory.models import MemberRole, Membership, MembershipStatus
from turbine.directory.tests.factories import OrganisationFactory
from turbine.projects.tests.factories import ProjectFactory
from turbine.showcase.models import (
    Consent,
    PolicyBrief,
    Portrait,
    Qualification,
    Story,
    StoryStatus,
    VisitRequest,
    VisitRequestStatus,
)
from turbine.showcase.services import visits as visit_services
from turbine.showcase.tests.factories import (
    AdvocacyFileFactory,
    BlockerReportFactory,
    CommitmentFactory,
    PortraitFactory,
    StoryFactory,
    StrategicActorFactory,
    VisitSlotFactory,
)

pytestmark = pytest.mark.django_db


def _client(user=None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def test_it_shows_the_showcase_by_family_with_only_consented_portraits(territory) -> None:
    PortraitFactory(name="Nadia la maraîchère", family="font")
    PortraitFactory(name="Sans accord", family="font", consent=Consent.WITHDRAWN)
    PortraitFactory(name="Paul le formateur", family="diffusent")
    body = _client().get("/vitrine/").content.decode()
    assert "Nadia la maraîchère" in body and "Paul le formateur" in body
    assert "Sans accord" not in body
    page = _client().get("/vitrine/familles/font/")
    assert page.status_code == 200
    assert "Nadia la maraîchère" in page.content.decode()
    assert "Paul le formateur" not in page.content.decode()
    assert _client().get("/vitrine/familles/inconnue/").status_code == 404


def test_the_family_page_filters_by_commune_and_bounds_its_queries(
    territory, django_assert_max_num_queries
) -> None:
    from turbine.territory.models import Commune

    lens = Commune.objects.get(code="62498")
    for i in range(25):
        PortraitFactory(name=f"Portrait {i}", commune=lens if i % 2 else None)
    with django_assert_max_num_queries(12):
        page = _client().get("/vitrine/familles/font/?commune=62498")
    assert page.status_code == 200
    assert "12 portraits" in page.content.decode()


def test_the_person_portrayed_gives_consent_on_their_page_and_nobody_else_sees_it(
    alice, chloe, bruno
) -> None:
    portrait = PortraitFactory(person=alice, consent=Consent.PENDING, consent_record="")
    url = f"/vitrine/mon-portrait/{portrait.pk}/"
    assert _client(chloe).get(url).status_code == 404
    assert _client(bruno).get(url).status_code == 404
    assert _client().get(url).status_code == 302
    response = _client(alice).post(url, {"decision": "accord"})
    assert response.status_code == 302
    assert Portrait.objects.get(pk=portrait.pk).consent == Consent.GIVEN


def test_only_staff_manage_portraits(alice, bruno) -> None:
    assert _client(alice).get("/vitrine/equipe/").status_code == 403
    response = _client(bruno).post(
        "/vitrine/equipe/",
        {"name": "Jeanne", "role": "Couturière", "family": "aident", "know_how": "Réparer."},
    )
    assert response.status_code == 302
    portrait = Portrait.objects.get(name="Jeanne")
    response = _client(bruno).post(f"/vitrine/equipe/{portrait.pk}/", {"action": "publier"})
    assert response.status_code == 200
    assert "accord" in response.content.decode()
    _client(bruno).post(
        f"/vitrine/equipe/{portrait.pk}/", {"action": "accord", "consent_record": "Oral, 2 mai"}
    )
    _client(bruno).post(f"/vitrine/equipe/{portrait.pk}/", {"action": "publier"})
    assert Portrait.objects.public().filter(pk=portrait.pk).exists()


def test_stories_list_filters_and_drafts_stay_private(alice, chloe, bruno) -> None:
    from turbine.territory.models import Commune

    story = StoryFactory(title="La ferme du terril")
    story.communes.set(Commune.objects.filter(code="62510"))
    StoryFactory(title="Autre commune")
    draft = StoryFactory(title="Brouillon secret", status=StoryStatus.SUBMITTED, author=chloe)
    page = _client().get("/recits/?commune=62510").content.decode()
    assert "La ferme du terril" in page and "Autre commune" not in page
    assert "Brouillon secret" not in _client().get("/recits/").content.decode()
    assert _client().get(f"/recits/{story.pk}/").status_code == 200
    assert _client(alice).get(f"/recits/{draft.pk}/").status_code == 404
    assert _client(chloe).get(f"/recits/{draft.pk}/").status_code == 200
    assert (
        _client(alice).post(f"/recits/{draft.pk}/relecture/", {"decision": "publier"}).status_code
        == 403
    )
    _client(bruno).post(f"/recits/{draft.pk}/relecture/", {"decision": "publier"})
    assert _client(alice).get(f"/recits/{draft.pk}/").status_code == 200


def test_an_actor_proposes_a_story_and_bad_input_is_refused(chloe) -> None:
    data = {
        "title": "Notre recyclerie",
        "summary": "Deux ans.",
        "body": "**Texte**",
        "scope": "local",
    }
    response = _client(chloe).post("/recits/nouveau/", {**data, "action": "proposer"})
    assert response.status_code == 302
    bad = _client(chloe).post("/recits/nouveau/", {**data, "title": "a\x00b", "projects": "12x"})
    assert bad.status_code == 200 and "form-errors" in bad.content.decode()
    assert "Écrivez des numéros" in bad.content.decode()
    assert not Story.objects.filter(title__contains="b").exists()
    assert _client().get("/recits/nouveau/").status_code == 302


def test_a_visitor_requests_a_visit_without_account_and_follows_it(territory) -> None:
    slot = VisitSlotFactory(capacity=10)
    offer = slot.offer
    page = _client().get(f"/visites/{offer.pk}/")
    assert page.status_code == 200
    form = {
        "slot": slot.pk,
        "group_name": "Lycée Condorcet",
        "origin": "scolaire",
        "country": "France",
        "group_size": 8,
        "language": "fr",
        "contact_name": "M. Leroy",
        "email": "leroy@example.org",
    }
    too_many = _client().post(f"/visites/{offer.pk}/", {**form, "group_size": 11})
    assert too_many.status_code == 200
    assert "Il ne reste que 10 place" in too_many.content.decode()
    response = _client().post(f"/visites/{offer.pk}/", form)
    assert response.status_code == 302
    personal = response["Location"]
    assert "/visites/suivi/" in personal
    assert "En attente de réponse" in _client().get(personal).content.decode()
    slot.refresh_from_db()
    assert slot.reserved == 8
    _client().post(personal, {"action": "annuler"})
    slot.refresh_from_db()
    assert slot.reserved == 0
    assert _client().get("/visites/suivi/faux-lien/").status_code == 404


def test_visit_pages_are_in_english_on_request(territory) -> None:
    slot = VisitSlotFactory()
    page = _client().get(f"/visites/{slot.offer.pk}/?lang=en")
    assert page.status_code == 200
    assert page["Content-Language"] == "en"
    assert 'lang="en"' in page.content.decode()
    assert "Request a visit" in page.content.decode()
    assert "Demander une visite" in _client().get(f"/visites/{slot.offer.pk}/").content.decode()


def test_visit_requests_are_seen_by_the_host_and_staff_only(alice, chloe, bruno) -> None:
    host = OrganisationFactory(admin=chloe)
    slot = VisitSlotFactory(offer__host=host)
    request = visit_services.visit_request_create(
        offer_id=slot.offer_id,
        data=visit_services.VisitRequestData(
            slot_id=slot.pk,
            contact_name="Ana",
            email="ana@example.org",
            group_name="Delegación",
            origin="etranger",
            group_size=5,
            language="en",
            country="Espagne",
        ),
    )
    url = f"/visites/{slot.offer_id}/gerer/"
    assert _client(alice).get(url).status_code == 403
    assert "ana@example.org" in _client(bruno).get(url).content.decode()
    assert "ana@example.org" in _client(chloe).get(url).content.decode()
    assert "ana@example.org" not in _client().get(f"/visites/{slot.offer_id}/").content.decode()
    forged = _client(alice).post(url, {"action": "confirm", "request": request.pk})
    assert forged.status_code == 403
    _client(chloe).post(url, {"action": "confirm", "request": request.pk})
    assert VisitRequest.objects.get(pk=request.pk).status == VisitRequestStatus.CONFIRMED
    assert _client(alice).get("/visites/chiffres/").status_code == 403
    figures = _client(bruno).get("/visites/chiffres/").content.decode()
    assert "Délégation venue de l" in figures


def test_a_member_offers_a_visit_and_adds_a_date(chloe, alice) -> None:
    host = OrganisationFactory(admin=chloe)
    assert _client(alice).get("/visites/nouvelle/").status_code == 403
    response = _client(chloe).post(
        "/visites/nouvelle/",
        {
            "title": "La recyclerie",
            "host": host.pk,
            "commune": "62498",
            "meeting_point": "Rue de Lille",
            "description": "Tour de l'atelier.",
            "learnings": "Le réemploi.",
            "languages": ["fr", "en"],
            "duration_minutes": 60,
        },
    )
    assert response.status_code == 302
    start = (timezone.localtime() + timedelta(days=20)).strftime("%Y-%m-%dT%H:%M")
    manage = response["Location"]
    assert (
        _client(chloe).post(manage, {"action": "date", "start": start, "capacity": 15}).status_code
        == 302
    )
    past = (timezone.localtime() - timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")
    refused = _client(chloe).post(manage, {"action": "date", "start": past, "capacity": 15})
    assert "Choisissez une date à venir" in refused.content.decode()


def test_embed_pages_alone_can_be_framed(territory) -> None:
    ProjectFactory(title="Jardin partagé du 12-14", commune_codes=["62510"])
    for path in ("/embed/projets/?commune=62510", "/embed/carte/?type=projet"):
        response = _client().get(path)
        assert response.status_code == 200
        assert "X-Frame-Options" not in response
        assert "frame-ancestors *" in response["Content-Security-Policy"]
    assert (
        "Jardin partagé du 12-14" in _client().get("/embed/projets/?commune=62510").content.decode()
    )
    for path in ("/embed/", "/vitrine/", "/recits/"):
        response = _client().get(path)
        assert response["X-Frame-Options"] == "DENY"
        assert "frame-ancestors 'none'" in response["Content-Security-Policy"]
    ignored = _client().get("/embed/projets/?commune=99999&nombre=10000&theme=a&theme=b")
    assert ignored.status_code == 200
    assert "Filtres ignorés" in ignored.content.decode()


def test_a_private_blocker_is_seen_by_its_author_holder_and_staff_only(alice, chloe, bruno) -> None:
    report = BlockerReportFactory(author=chloe, holder=chloe)
    url = f"/blocages/{report.pk}/"
    assert _client().get(url).status_code == 404
    assert _client(alice).get(url).status_code == 404
    assert _client(chloe).get(url).status_code == 200
    assert _client(bruno).get(url).status_code == 200
    assert _client(bruno).post(url, {"public": "oui"}).status_code == 403
    _client(chloe).post(url, {"public": "oui"})
    assert _client(alice).get(url).status_code == 404  # not qualified yet
    file = AdvocacyFileFactory()
    assert (
        _client(alice)
        .post(
            "/blocages/equipe/",
            {"action": "qualifier", "report": report.pk, "qualification": "qualifie"},
        )
        .status_code
        == 403
    )
    _client(bruno).post(
        "/blocages/equipe/",
        {
            "action": "qualifier",
            "report": report.pk,
            "qualification": Qualification.QUALIFIED,
            "file": file.pk,
        },
    )
    assert _client(alice).get(url).status_code == 200
    listing = _client().get("/blocages/").content.decode()
    assert report.title in listing and file.title in listing


def test_counts_are_public_but_private_content_is_not(territory, chloe) -> None:
    BlockerReportFactory(title="Très confidentiel", author=chloe, holder=chloe, level="europeen")
    page = _client().get("/blocages/").content.decode()
    assert "1 blocage signalé" in page
    assert "Très confidentiel" not in page


def test_a_holder_reports_a_blocker(chloe) -> None:
    project = ProjectFactory(holder_user=chloe, visibility="draft")
    response = _client(chloe).post(
        "/blocages/signaler/",
        {
            "title": "Raccordement",
            "description": "Huit mois.",
            "rule": "Procédure de raccordement",
            "level": "national",
            "projects": [project.pk],
        },
    )
    assert response.status_code == 302
    assert _client(chloe).get(response["Location"]).status_code == 200
    bad = _client(chloe).post("/blocages/signaler/", {"title": "", "level": "mars"})
    assert bad.status_code == 200 and "form-errors" in bad.content.decode()


def test_advocacy_steps_by_staff_only(alice, bruno) -> None:
    file = AdvocacyFileFactory()
    url = f"/blocages/dossiers/{file.pk}/"
    assert _client().get(url).status_code == 200
    assert (
        _client(alice).post(url, {"date": "2026-01-01", "body": "x", "note": "y"}).status_code
        == 403
    )
    response = _client(bruno).post(
        url,
        {
            "date": timezone.localdate().isoformat(),
            "body": "DREAL Hauts-de-France",
            "note": "Courrier envoyé.",
            "status": "porte",
        },
    )
    assert response.status_code == 302
    file.refresh_from_db()
    assert file.status == "porte" and file.body_addressed == "DREAL Hauts-de-France"


def test_strategies_show_commitments_and_staff_send_briefs_to_elected(
    alice, bruno, django_capture_on_commit_callbacks
) -> None:
    from django.core import mail

    from turbine.accounts.tests.factories import UserFactory

    UserFactory(email="elue@example.org", roles=["élu"])
    CommitmentFactory(actor__name="Grand industriel démo", status="en-retard")
    pedagogue = StrategicActorFactory(name="CERDD", kind="pedagogique")
    page = _client().get("/strategies/").content.decode()
    assert "Grand industriel démo" in page and "En retard" in page
    assert _client(alice).get("/strategies/equipe/").status_code == 403
    _client(bruno).post(
        "/strategies/equipe/",
        {
            "action": "note",
            "note-actor": pedagogue.pk,
            "note-title": "Sobriété",
            "note-summary": "Agir.",
            "note-body": "Texte.",
        },
    )
    brief = PolicyBrief.objects.get()
    assert _client().get(f"/strategies/notes/{brief.pk}/").status_code == 404
    with django_capture_on_commit_callbacks(execute=True):
        _client(bruno).post("/strategies/equipe/", {"action": "publier", "brief": brief.pk})
    assert [m.to for m in mail.outbox] == [["elue@example.org"]]
    assert _client().get(f"/strategies/notes/{brief.pk}/").status_code == 200
    again = _client(bruno).post("/strategies/equipe/", {"action": "publier", "brief": brief.pk})
    assert "déjà publiée" in again.content.decode()
    assert len(mail.outbox) == 1


def test_membership_is_what_makes_a_host(chloe, alice) -> None:
    host = OrganisationFactory()
    Membership.objects.create(
        organisation=host, user=alice, role=MemberRole.MEMBER, status=MembershipStatus.PENDING
    )
    slot = VisitSlotFactory(offer__host=host)
    assert _client(alice).get(f"/visites/{slot.offer_id}/gerer/").status_code == 403


@pytest.mark.parametrize(
    "path", ["/vitrine/", "/recits/", "/visites/", "/blocages/", "/strategies/"]
)
def test_list_pages_do_not_grow_their_queries_with_the_data(
    path, chloe, django_assert_max_num_queries
) -> None:
    def add(n: int) -> None:
        for _ in range(n):
            portrait = PortraitFactory()
            story = StoryFactory()
            story.portraits.add(portrait)
            slot = VisitSlotFactory()
            slot.offer.themes.set([])
            BlockerReportFactory(holder=chloe, holder_agrees=True, qualification="qualifie")
            CommitmentFactory()

    add(2)
    client = _client()
    client.get(path)
    with CaptureQueriesContext(connection) as few:
        assert client.get(path).status_code == 200
    add(8)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(path).status_code == 200
